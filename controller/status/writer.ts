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
import type { Logger } from '../log.js';
import type { HealthReporter } from '../state/writeBackoff.js';
import { CoalescingQueue, type Batch, type Destination, type PendingDocument } from './coalesce.js';
import { ManifestCommitter } from './compareAndSwap.js';
import { StatusWriteError, normalizeStatus, type DocumentTarget } from './document.js';
import { commitStatusFiles, statusFilePath } from './statusDir.js';

export { readStatusFrom, statusFilePath } from './statusDir.js';

export type WriteResult = 'written' | 'unchanged' | 'gone';

/** One document: the file that holds it (absolute, or relative to `manifestsDir`), its kind and metadata.name. */
export interface StatusTarget extends DocumentTarget {
  readonly file: string;
}

/** Synchronous callbacks around each status rename, for tests and metrics. Work done in them races exactly like a concurrent writer. */
export interface StatusWriterHooks {
  /** The compare-and-swap check is about to look at the file. */
  readonly beforeCheck?: (file: string) => void;
  /** The check has passed; the rename is next. */
  readonly beforeRename?: (file: string) => void;
  /** The rename is done; the replaced inode has not been looked at yet. */
  readonly afterRename?: (file: string) => void;
}

export interface StatusWriterOptions {
  readonly logger: Logger;
  /** Where the manifests live; relative target files are resolved against it. */
  readonly manifestsDir: string;
  /**
   * Write status to `<statusDir>/<Kind>/<name>.yaml` instead of into the
   * manifests, which are then never touched (for repositories where committing
   * status is unwanted).
   */
  readonly statusDir?: string;
  /** Writes to one file requested within this window become one write. @default 50 */
  readonly coalesceMs?: number;
  readonly hooks?: StatusWriterHooks;
  /** Where a full disk is reported (and its recovery cleared). */
  readonly health?: HealthReporter;
  /**
   * The clock file modification times are compared with: a file modified within 100 ms of
   * it is not remembered as holding its statuses (a save in the same tick of the file's
   * clock could not be told apart). @default Date.now
   */
  readonly now?: () => number;
  /** Delays between attempts while the disk is full. @default { initialMs: 1000, maxMs: 30000 } */
  readonly spaceRetry?: { initialMs: number; maxMs: number };
  /**
   * Told of each manifest write just before its rename, with the file (as the target named
   * it) and its text before and after: the store recognises its own writes by it
   * (ManifestStore.expectOwnWrite). Not called in the status directory mode.
   */
  readonly announce?: (write: { file: string; before: string; after: string }) => void;
}

/** Counters since construction: exported as metrics, and what the race tests report. */
export interface StatusWriterStats {
  /** Status renames: files replaced with a new status. */
  renames: number;
  /** Compare-and-swap checks that found the file changed since it was read, so the write started over. */
  conflicts: number;
  /** Writes done again because a concurrent edit landed in the replaced inode or put the old status back. */
  reapplied: number;
  /** Of those, user inodes renamed back into place from their backup after a late in-place save. */
  restored: number;
  /** Writes put back on the queue after too many conflicts in a row. */
  requeued: number;
}

/**
 * Applies the status write-back protocol to the disk. One instance per
 * controller; writes to different files proceed independently, writes to the
 * same file are serialised and coalesced.
 */
export class StatusWriter {
  readonly stats: StatusWriterStats = { renames: 0, conflicts: 0, reapplied: 0, restored: 0, requeued: 0 };
  private readonly queue: CoalescingQueue;
  private readonly manifests: ManifestCommitter;
  private closed = false;

  constructor(private readonly options: StatusWriterOptions) {
    const display = (path: string) => this.display(path);
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
  write(target: StatusTarget, status: Record<string, unknown>): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new StatusWriteError('invalid-target', 'the status writer is closed'));
    let pending: PendingDocument;
    let destination: Destination;
    try {
      const manifest = resolve(this.options.manifestsDir, target.file);
      const path = this.options.statusDir ? statusFilePath(this.options.statusDir, target.kind, target.name) : manifest;
      destination = { path, manifest };
      pending = { target: { kind: target.kind, name: target.name }, status: normalizeStatus(status), waiters: [], requeues: 0 };
    } catch (error) {
      return Promise.reject(error);
    }
    // The same status as the file holds, and nothing else on its way to it: nothing to do.
    if (!this.options.statusDir && !this.queue.busy(destination.path) && this.manifests.holdsAlready(destination.path, `${target.kind}/${target.name}`, pending.status)) {
      return Promise.resolve('unchanged');
    }
    return new Promise<WriteResult>((resolveWrite, rejectWrite) => {
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
  async flush(): Promise<void> {
    await this.queue.flush();
    await this.manifests.closed();
  }

  /** Refuses new writes and starts pending ones now; `flush()` waits for them. Writes waiting for disk space are given up. */
  close(): void {
    this.closed = true;
    this.queue.close();
  }

  private commit(batch: Batch): Promise<Map<string, WriteResult> | 'requeue'> {
    const documents = [...batch.documents].map(([id, document]) => ({ id, target: document.target, status: document.status }));
    if (this.options.statusDir) {
      return commitStatusFiles({ path: batch.path, manifest: batch.manifest, documents, stats: this.stats, logger: this.options.logger, display: (path) => this.display(path) });
    }
    return this.manifests.commit(batch.path, documents);
  }

  /** Paths in logs: relative to the manifests directory when inside it. */
  private display(path: string): string {
    const inside = relative(resolve(this.options.manifestsDir), path);
    return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
  }
}
