/**
 * The status writer: puts what the controllers observed into the `status:`
 * blocks of the manifest files (or into a separate status directory), without
 * ever losing an edit a person or git makes to the same file at the same time.
 *
 * The protocol, per file (see DESIGN.md, "Status write-back protocol"):
 *
 * 1. Coalesce: writes to one file within `coalesceMs` become one write, and
 *    while a file is being written, new writes for it collect for the next one.
 * 2. Open the file and keep the descriptor (it pins the inode); read C0.
 * 3. Splice the new statuses into C0 (document.ts). Nothing to change → done,
 *    the file is not touched at all.
 * 4. Write the result to a temp file beside it, fsync. Hard-link the current
 *    file under a temp name too (its "backup"): that keeps the inode we are
 *    about to replace reachable by name.
 * 5. Compare-and-swap, synchronously with no await in between: the inode we
 *    hold still has content C0 and the path still names it → rename the temp
 *    file over it. Otherwise someone edited the file meanwhile: start again
 *    from step 2.
 * 6. After the rename, watch the replaced inode through the descriptor for a
 *    grace period (~20 ms). A writer that saves in place (open with O_TRUNC,
 *    then write: fs.writeFileSync, most editors) and opened the file between
 *    our check and our rename writes into that inode, which the path no longer
 *    names. Its open truncates it at once, so this shows immediately, usually
 *    before its write has even landed. The user's inode is then renamed back
 *    into place from the backup (a single rename: the save in progress lands
 *    where it belongs, and no reader sees our stale version for longer than a
 *    few hundred microseconds), and the status is applied again on top of it
 *    by starting over at step 2. Without a backup (a file system without hard
 *    links), the content is rescued instead: read from the descriptor, status
 *    applied, written as a new file.
 * 7. At the end of the grace period, also check that the path still carries
 *    our status: a save based on the file as it was before our rename puts the
 *    old status back (and keeps its edit, rightly); the status is applied again.
 * 8. fsync the directory; remove the backup.
 *
 * A full disk (ENOSPC, EDQUOT) fails step 4 before anything is renamed, so the
 * manifest keeps its content; the temp file is written whole or not at all.
 * The batch then waits for space: retried with backoff (every file waiting
 * retries together), reported as the controller's health (component "status",
 * DiskFull), and written when the disk has room again. Newer statuses for the
 * same documents join it, so what is written is the latest.
 *
 * The one window this cannot close: a writer that itself renames a new file
 * over ours (an "atomic save") between our check in step 5 and our rename. Our
 * rename then replaces their file, which nobody holds open and no name
 * reaches, so there is nothing to put back and their edit is lost. Closing it
 * needs renameat2(RENAME_EXCHANGE), which would leave the replaced file in the
 * temp file's place for inspection; Node.js does not expose it. The check and
 * the rename are adjacent system calls, so the window is short (50-100 µs
 * measured on a busy 2-core VM, more if the process is descheduled right
 * there), and the chance that a status write falls into it is about the window
 * divided by the time between two atomic saves: roughly 1 in 50,000 for an
 * editor saving every few seconds, a few percent for the race test's editor
 * that saves every 2 ms.
 *
 * Where each part lives: coalesce.ts (step 1, requeues, waiting for space),
 * compareAndSwap.ts (steps 2 to 8), atomicFiles.ts (the file operations they
 * are built from), statusDir.ts (the status directory, written instead of the
 * manifests when one is configured).
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { CoalescingQueue } from './coalesce.js';
import { ManifestCommitter } from './compareAndSwap.js';
import { StatusWriteError, normalizeStatus } from './document.js';
import { commitStatusFiles, statusFilePath } from './statusDir.js';
export { readStatusFrom, statusFilePath } from './statusDir.js';
/**
 * Applies the status write-back protocol to the disk. One instance per
 * controller; writes to different files proceed independently, writes to the
 * same file are serialised and coalesced.
 */
export class StatusWriter {
    options;
    stats = { renames: 0, conflicts: 0, reapplied: 0, restored: 0, requeued: 0 };
    queue;
    manifests;
    closed = false;
    constructor(options) {
        this.options = options;
        const display = (path) => this.display(path);
        this.manifests = new ManifestCommitter({
            logger: options.logger,
            stats: this.stats,
            display,
            ...(options.hooks ? { hooks: options.hooks } : {}),
            ...(options.now ? { now: options.now } : {}),
            ...(options.announce ? { announce: options.announce } : {}),
        });
        this.queue = new CoalescingQueue({
            logger: options.logger,
            coalesceMs: options.coalesceMs ?? 50,
            stats: this.stats,
            display,
            ...(options.health ? { health: options.health } : {}),
            ...(options.spaceRetry ? { spaceRetry: options.spaceRetry } : {}),
            commit: (batch) => this.commit(batch),
        });
    }
    /**
     * Writes one document's status. Resolves 'unchanged' when the file already
     * holds an equal status (the file is not touched, not even its mtime),
     * 'gone' when the file or the document no longer exists (nothing written).
     * Rejects with {@link StatusWriteError} when the file does not parse.
     */
    write(target, status) {
        if (this.closed)
            return Promise.reject(new StatusWriteError('invalid-target', 'the status writer is closed'));
        let pending;
        let destination;
        try {
            const manifest = resolve(this.options.manifestsDir, target.file);
            const path = this.options.statusDir ? statusFilePath(this.options.statusDir, target.kind, target.name) : manifest;
            destination = { path, manifest };
            pending = { target: { kind: target.kind, name: target.name }, status: normalizeStatus(status), waiters: [], requeues: 0 };
        }
        catch (error) {
            return Promise.reject(error);
        }
        // The same status as the file holds, and nothing else on its way to it: nothing to do.
        if (!this.options.statusDir && !this.queue.busy(destination.path) && this.manifests.holdsAlready(destination.path, `${target.kind}/${target.name}`, pending.status)) {
            return Promise.resolve('unchanged');
        }
        return new Promise((resolveWrite, rejectWrite) => {
            pending.waiters.push({ resolve: resolveWrite, reject: rejectWrite });
            this.queue.add(destination, pending);
        });
    }
    /**
     * Resolves when every write requested so far has finished, including any
     * requeued meanwhile. Collecting windows are cut short; a requeued write
     * still waits out its backoff, since the file was just seen changing. Also waits for the
     * inodes its renames replaced to be closed, so that their space is back.
     */
    async flush() {
        await this.queue.flush();
        await this.manifests.closed();
    }
    /** Refuses new writes and starts pending ones now; `flush()` waits for them. Writes waiting for disk space are given up. */
    close() {
        this.closed = true;
        this.queue.close();
    }
    commit(batch) {
        const documents = [...batch.documents].map(([id, document]) => ({ id, target: document.target, status: document.status }));
        if (this.options.statusDir) {
            return commitStatusFiles({ path: batch.path, manifest: batch.manifest, documents, stats: this.stats, logger: this.options.logger, display: (path) => this.display(path) });
        }
        return this.manifests.commit(batch.path, documents);
    }
    /** Paths in logs: relative to the manifests directory when inside it. */
    display(path) {
        const inside = relative(resolve(this.options.manifestsDir), path);
        return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
    }
}
//# sourceMappingURL=writer.js.map