/**
 * Reading one manifest file without trusting what the path names. The controller runs as
 * root over a directory that git or a person fills, so:
 *
 * - only regular files are opened. A FIFO blocks open() until a writer comes, and Node
 *   opens files on its small I/O thread pool: four FIFOs held every file read of the
 *   process for ever. Sockets and devices are no manifests either. The type is checked
 *   before the open, and again on the descriptor (opened non-blocking), because the path
 *   may be replaced between the two;
 * - a symbolic link is followed only when it resolves inside the manifests directory (a
 *   config-map style `..data` swap), unless the operator allows links that lead out.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { decodeText } from './textDecoding.js';
/** O_NOFOLLOW: the path opened is already resolved; a link put there since is refused, not followed. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
/** `a FIFO`, `a socket`…: what a non-regular file is, for messages. */
export function fileTypeName(stats) {
    if (stats.isFIFO())
        return 'a FIFO';
    if (stats.isSocket())
        return 'a socket';
    if (stats.isCharacterDevice())
        return 'a character device';
    if (stats.isBlockDevice())
        return 'a block device';
    if (stats.isSymbolicLink())
        return 'a symbolic link';
    return 'not a regular file';
}
function notRegular(stats) {
    return { outcome: 'refused', reason: `not a regular file (${fileTypeName(stats)}); not read` };
}
function isInside(root, path) {
    return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
function outside(resolved) {
    return {
        outcome: 'refused',
        reason: `resolves to ${resolved}, outside the manifests directory; not read (--follow-external-symlinks allows it)`,
    };
}
/** Errors that mean "nothing there" rather than a failure. */
function isMissing(error) {
    const code = error.code;
    return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
/** Errors of a path that exists but must not be read: a socket (ENXIO), a link put in place since (ELOOP). */
function refusedCode(error) {
    const code = error.code;
    if (code === 'ELOOP')
        return { outcome: 'refused', reason: 'a symbolic link that loops, or that was put in place while being read; not read' };
    if (code === 'ENXIO')
        return { outcome: 'refused', reason: 'not a regular file (a socket or device); not read' };
    return undefined;
}
export async function readManifestFile(path, options) {
    try {
        const resolved = await realpath(path);
        if (!options.followExternalSymlinks && !isInside(await realpath(options.root), resolved))
            return outside(resolved);
        const before = await stat(resolved);
        if (before.isDirectory())
            return { outcome: 'missing' };
        if (!before.isFile())
            return notRegular(before);
        const handle = await open(resolved, OPEN_FLAGS);
        try {
            const opened = await handle.stat();
            if (!opened.isFile())
                return notRegular(opened);
            return { outcome: 'text', text: decodeText(await handle.readFile()).text };
        }
        finally {
            await handle.close();
        }
    }
    catch (error) {
        if (isMissing(error))
            return { outcome: 'missing' };
        const refused = refusedCode(error);
        if (refused)
            return refused;
        throw error;
    }
}
/** The same for the CLI, which is synchronous. */
export function readManifestFileSync(path, options) {
    try {
        const resolved = realpathSync(path);
        if (!options.followExternalSymlinks && !isInside(realpathSync(options.root), resolved))
            return outside(resolved);
        const before = statSync(resolved);
        if (before.isDirectory())
            return { outcome: 'missing' };
        if (!before.isFile())
            return notRegular(before);
        const fd = openSync(resolved, OPEN_FLAGS);
        try {
            const opened = fstatSync(fd);
            if (!opened.isFile())
                return notRegular(opened);
            return { outcome: 'text', text: decodeText(readFileSync(fd)).text };
        }
        finally {
            closeSync(fd);
        }
    }
    catch (error) {
        if (isMissing(error))
            return { outcome: 'missing' };
        const refused = refusedCode(error);
        if (refused)
            return refused;
        throw error;
    }
}
//# sourceMappingURL=manifestRead.js.map