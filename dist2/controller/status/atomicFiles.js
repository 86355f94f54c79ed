/**
 * The file operations the status writer is built from: files read whole through a
 * descriptor that pins their inode, temp files written beside their target (whole or not
 * at all, fsynced, with the target's mode and owner), directory fsyncs, and reads that
 * take a missing file for an answer rather than an error.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fchownSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, realpathSync, unlinkSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFully } from '../state/stateStore.js';
/** Temp files and backup links end with this, and start with ".", so that watchers skip them. */
export const TEMP_SUFFIX = '.berth-tmp';
export function openHeld(path) {
    let fd;
    try {
        fd = openSync(path, 'r');
    }
    catch (error) {
        if (isErrno(error, 'ENOENT'))
            return undefined;
        throw error;
    }
    try {
        return { fd, stat: fstatSync(fd), content: readWhole(fd) };
    }
    catch (error) {
        closeSync(fd);
        throw error;
    }
}
/** Reads an open file from the start, whatever its size is now. */
export function readWhole(fd) {
    const chunks = [];
    let position = 0;
    for (;;) {
        const chunk = Buffer.allocUnsafe(64 * 1024);
        const read = readSync(fd, chunk, 0, chunk.length, position);
        if (read === 0)
            return Buffer.concat(chunks);
        chunks.push(chunk.subarray(0, read));
        position += read;
    }
}
/** Beside the target, starting with "." and ending in ".berth-tmp", so that watchers skip it. */
export function tempPathFor(path) {
    return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}
/**
 * Writes and fsyncs a temp file beside the target. Undefined (and no file left
 * behind) when `abandonIf` says so before the fsync.
 */
export async function writeTempFile(input) {
    const path = tempPathFor(join(input.dir, input.name));
    const mode = input.like ? input.like.mode & 0o7777 : 0o644;
    const handle = await open(path, 'wx', mode);
    let complete = false;
    try {
        await handle.writeFile(input.content);
        await handle.chmod(mode); // the umask applied at creation may have removed bits the original had
        if (input.like && (input.like.uid !== process.getuid?.() || input.like.gid !== process.getgid?.())) {
            await handle.chown(input.like.uid, input.like.gid).catch(() => undefined); // only root may; otherwise the file becomes ours
        }
        if (input.abandonIf?.())
            return undefined;
        await handle.sync();
        complete = true;
    }
    finally {
        await handle.close();
        if (!complete)
            removeQuietly(path);
    }
    const fd = openSync(path, 'r');
    return { path, fd, ino: fstatSync(fd).ino };
}
/** {@link writeTempFile} without yielding: for rescued edits, which must land before anyone reads the file again. */
export function writeTempFileSync(input) {
    const path = tempPathFor(join(input.dir, input.name));
    const mode = input.like.mode & 0o7777;
    const fd = openSync(path, 'wx+', mode);
    try {
        // Whole or not at all: a short write on a nearly full disk must never be renamed over the manifest.
        writeFully(fd, input.content);
        fchmodSync(fd, mode);
        if (input.like.uid !== process.getuid?.() || input.like.gid !== process.getgid?.()) {
            try {
                fchownSync(fd, input.like.uid, input.like.gid);
            }
            catch {
                // only root may; otherwise the file becomes ours
            }
        }
        fsyncSync(fd);
        return { path, fd, ino: fstatSync(fd).ino };
    }
    catch (error) {
        closeSync(fd);
        removeQuietly(path);
        throw error;
    }
}
/** Makes a rename in `dir` durable. Some file systems refuse to fsync directories; that is not an error here. */
export async function fsyncDir(dir) {
    try {
        const handle = await open(dir, 'r');
        try {
            await handle.sync();
        }
        finally {
            await handle.close();
        }
    }
    catch (error) {
        if (!isErrno(error, 'EINVAL') && !isErrno(error, 'EISDIR') && !isErrno(error, 'EPERM') && !isErrno(error, 'EBADF'))
            throw error;
    }
}
export function readPathOrUndefined(path) {
    try {
        return readFileSync(path);
    }
    catch (error) {
        if (isErrno(error, 'ENOENT'))
            return undefined;
        throw error;
    }
}
export async function readFileOrUndefined(path) {
    try {
        return await readFile(path);
    }
    catch (error) {
        if (isErrno(error, 'ENOENT'))
            return undefined;
        throw error;
    }
}
export function realPathOrUndefined(path) {
    try {
        return realpathSync(path);
    }
    catch (error) {
        if (isErrno(error, 'ENOENT'))
            return undefined;
        throw error;
    }
}
export function removeQuietly(path) {
    try {
        unlinkSync(path);
    }
    catch {
        // already gone
    }
}
export function isErrno(error, code) {
    return error instanceof Error && error.code === code;
}
export function sleep(ms) {
    return new Promise((done) => setTimeout(done, ms));
}
//# sourceMappingURL=atomicFiles.js.map