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
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  type Stats,
} from 'node:fs';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { stringify } from 'yaml';
import { API_VERSION } from '../kinds/common.js';
import type { Logger } from '../log.js';
import { writeFully } from '../state/stateStore.js';
import { WriteBackoff, isOutOfSpace, type HealthReporter } from '../state/writeBackoff.js';
import { StatusWriteError, locateDocuments, normalizeStatus, readStatus, replaceStatus, type DocumentTarget } from './document.js';
import { decodeText, encodeText } from '../store/textDecoding.js';

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
  /** Delays between attempts while the disk is full. @default { initialMs: 1000, maxMs: 30000 } */
  readonly spaceRetry?: { initialMs: number; maxMs: number };
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

const TEMP_SUFFIX = '.berth-tmp';
/** Compare-and-swap attempts before a write is requeued. */
const MAX_ATTEMPTS = 12;
/** Requeues before a write is given up with an error: with the delays below, the file changed under every attempt for about 15 s. */
const MAX_REQUEUES = 40;
/** The n-th requeue waits n times this (at most {@link MAX_REQUEUE_DELAY_MS}), plus jitter, so it does not fall into step with a periodic writer. */
const REQUEUE_DELAY_MS = 25;
const MAX_REQUEUE_DELAY_MS = 100;
/** How long after a rename the replaced inode is watched for a late in-place write. */
const GRACE_MS = 20;
/** How often it is looked at meanwhile: a reader should meet our stale version for no longer than this. */
const GRACE_POLL_MS = 1;
/** How long an empty or half-written file (a save in progress) is given to become whole. */
const SETTLE_LIMIT_MS = 200;

/**
 * Applies the status write-back protocol to the disk. One instance per
 * controller; writes to different files proceed independently, writes to the
 * same file are serialised and coalesced.
 */
export class StatusWriter {
  readonly stats: StatusWriterStats = { renames: 0, conflicts: 0, reapplied: 0, restored: 0, requeued: 0 };
  private readonly coalesceMs: number;
  /** Batches still collecting writes, by the path they will write: at most one per file. */
  private readonly collecting = new Map<string, Batch>();
  /** The commit running for each path: at most one per file. Writes arriving meanwhile collect in the next batch. */
  private readonly inflight = new Map<string, Promise<void>>();
  private closed = false;
  private readonly spaceBackoff: WriteBackoff;
  /** When the batches waiting for space try again: every file that fails in one round waits for the same moment. */
  private spaceRetryAt = 0;

  constructor(private readonly options: StatusWriterOptions) {
    this.coalesceMs = options.coalesceMs ?? 50;
    this.spaceBackoff = new WriteBackoff({
      component: 'status',
      what: 'statuses',
      meanwhile: 'kept in memory and written when the disk has room again (the manifests are untouched)',
      logger: options.logger,
      ...(options.health ? { health: options.health } : {}),
      ...(options.spaceRetry ?? {}),
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
    return new Promise<WriteResult>((resolveWrite, rejectWrite) => {
      pending.waiters.push({ resolve: resolveWrite, reject: rejectWrite });
      this.enqueue(destination, pending, { delayMs: this.coalesceMs, newest: true });
    });
  }

  /**
   * Resolves when every write requested so far has finished, including any
   * requeued meanwhile. Collecting windows are cut short; a requeued write
   * still waits out its backoff, since the file was just seen changing.
   */
  async flush(): Promise<void> {
    for (;;) {
      this.dispatchAll();
      const running = [...this.inflight.values()];
      // Writes waiting for disk space are not waited for: that may take hours.
      if (running.length === 0 && [...this.collecting.values()].every((batch) => batch.waitingForSpace)) return;
      await (running.length > 0 ? Promise.all(running) : sleep(REQUEUE_DELAY_MS));
    }
  }

  /** Refuses new writes and starts pending ones now; `flush()` waits for them. Writes waiting for disk space are given up. */
  close(): void {
    this.closed = true;
    for (const [path, batch] of [...this.collecting]) {
      if (!batch.waitingForSpace) continue;
      this.collecting.delete(path);
      clearTimeout(batch.timer);
      const error = Object.assign(new Error(`${this.display(path)}: status not written, the disk was full when the controller stopped`), { code: 'ENOSPC' });
      for (const document of batch.documents.values()) for (const waiter of document.waiters) waiter.reject(error);
    }
    this.dispatchAll();
  }

  private dispatchAll(): void {
    for (const [path, batch] of [...this.collecting]) if (!batch.backoff) this.dispatch(path);
  }

  // -------------------------------------------------------------------------
  // Queueing

  private enqueue(destination: Destination, document: PendingDocument, options: { delayMs: number; newest: boolean; waitingForSpace?: boolean }): void {
    let batch = this.collecting.get(destination.path);
    if (!batch) {
      const timer = setTimeout(() => this.dispatch(destination.path), options.delayMs);
      const created: Batch = {
        path: destination.path,
        manifest: destination.manifest,
        documents: new Map(),
        timer,
        due: false,
        backoff: !options.newest,
        waitingForSpace: options.waitingForSpace ?? false,
      };
      this.collecting.set(destination.path, created);
      batch = created;
    }
    const id = `${document.target.kind}/${document.target.name}`;
    const existing = batch.documents.get(id);
    if (!existing) {
      batch.documents.set(id, document);
      return;
    }
    // Two writes of one document in a window: the most recent status wins, and every caller hears the outcome.
    existing.waiters.push(...document.waiters);
    existing.requeues = Math.max(existing.requeues, document.requeues);
    if (options.newest) existing.status = document.status;
  }

  /**
   * Starts a batch's commit, or, while the file's previous commit still runs,
   * marks the batch due so that it starts right after, with every write that
   * arrived in the meantime: a slow file gets fewer, larger writes, never a backlog.
   */
  private dispatch(path: string): void {
    const batch = this.collecting.get(path);
    if (!batch) return;
    if (this.inflight.has(path)) {
      batch.due = true;
      return;
    }
    this.collecting.delete(path);
    clearTimeout(batch.timer);
    const run = this.commit(batch).finally(() => {
      this.inflight.delete(path);
      if (this.collecting.get(path)?.due) this.dispatch(path);
    });
    this.inflight.set(path, run);
  }

  /** Runs one batch and settles its callers; never rejects, so one file's failure cannot stall its queue. */
  private async commit(batch: Batch): Promise<void> {
    let outcome: Map<string, WriteResult> | 'requeue';
    try {
      outcome = this.options.statusDir ? await this.commitStatusFiles(batch) : await this.commitManifest(batch);
    } catch (error) {
      if (isOutOfSpace(error) && !this.closed) {
        this.waitForSpace(batch, error);
        return;
      }
      for (const document of batch.documents.values()) for (const waiter of document.waiters) waiter.reject(error);
      return;
    }
    // Writes go through again once nothing waits for space any more.
    if (![...this.collecting.values()].some((waiting) => waiting.waitingForSpace)) this.spaceBackoff.succeeded();
    if (outcome === 'requeue') {
      this.requeue(batch);
      return;
    }
    for (const [id, document] of batch.documents) {
      const result = outcome.get(id) ?? 'gone';
      for (const waiter of document.waiters) waiter.resolve(result);
    }
  }

  /** The disk is full: the batch keeps its statuses (newer ones join it) and tries again after the backoff. */
  private waitForSpace(batch: Batch, error: unknown): void {
    const now = Date.now();
    if (now >= this.spaceRetryAt) this.spaceRetryAt = now + this.spaceBackoff.failed(error, { path: this.display(batch.path) });
    for (const document of batch.documents.values()) {
      this.enqueue(batch, document, { delayMs: this.spaceRetryAt - now, newest: false, waitingForSpace: true });
    }
  }

  private requeue(batch: Batch): void {
    this.stats.requeued++;
    this.options.logger.info({ file: this.display(batch.path) }, 'file kept changing while its status was written; trying again shortly');
    for (const document of batch.documents.values()) {
      document.requeues++;
      if (document.requeues > MAX_REQUEUES) {
        const error = new StatusWriteError('conflict', `${this.display(batch.path)} kept changing under every attempt to write the status of ${document.target.kind} "${document.target.name}"`);
        for (const waiter of document.waiters) waiter.reject(error);
        continue;
      }
      // A requeued status is older than one written since, so it does not replace it.
      const delayMs = Math.min(REQUEUE_DELAY_MS * document.requeues, MAX_REQUEUE_DELAY_MS) + Math.floor(Math.random() * REQUEUE_DELAY_MS);
      this.enqueue(batch, document, { delayMs, newest: false });
    }
  }

  // -------------------------------------------------------------------------
  // Into the manifest

  private async commitManifest(batch: Batch): Promise<Map<string, WriteResult> | 'requeue'> {
    const session: ManifestSession = {
      path: batch.path,
      documents: [...batch.documents].map(([id, document]) => ({ id, target: document.target, status: document.status })),
      displaced: [],
      rescued: undefined,
      attempts: 0,
      settleDeadline: undefined,
      dirNeedsSync: false,
    };
    try {
      for (;;) {
        // A rescued edit lives only in memory, so it gets more chances to be written before giving up.
        if (session.attempts >= MAX_ATTEMPTS && (!session.rescued || session.attempts >= MAX_ATTEMPTS * 3)) return 'requeue';
        const results = await this.attempt(session);
        if (results) return results;
      }
    } finally {
      for (const inode of session.displaced) release(inode);
      if (session.dirNeedsSync) await fsyncDir(dirname(session.path));
    }
  }

  /** One pass of steps 2 to 7; undefined means "start over". */
  private async attempt(session: ManifestSession): Promise<Map<string, WriteResult> | undefined> {
    const path = realPathOrUndefined(session.path); // write through symlinks, do not replace them
    const held = path === undefined ? undefined : openHeld(path);
    if (path === undefined || held === undefined) return allResults(session.documents, 'gone');
    let heldOwned = true;
    let temp: TempFile | undefined;
    let backup: string | undefined;
    try {
      const usesRescue = session.rescued !== undefined && held.content.equals(session.rescued.over);
      const base = usesRescue && session.rescued ? session.rescued.content : held.content;
      session.rescued = undefined;
      const plan = planManifest(base, session.documents);
      // The limit is on one save in progress, not on the session: an editor saving in place
      // many times a second empties the file again and again, each time only for a moment.
      if (plan.kind !== 'unsettled') session.settleDeadline = undefined;
      if (plan.kind === 'unsettled') {
        // Empty or unparseable: most likely a save in progress. Give it a moment before believing it.
        session.settleDeadline ??= Date.now() + SETTLE_LIMIT_MS;
        if (!usesRescue && Date.now() < session.settleDeadline) {
          await sleep(5);
          return undefined;
        }
        if (plan.error && !usesRescue) throw plan.error;
      }
      if (plan.text.equals(held.content)) return plan.results;

      const like = held.stat;
      const input = { dir: dirname(path), name: basename(path), content: plan.text, like };
      // Written synchronously, from the read to the rename: an attempt then takes about as
      // long as its fsync (~0.5 ms here) instead of several turns of a busy event loop, so
      // it fits between the saves of someone editing the file many times a second.
      temp = writeTempFileSync(input);

      if (temp === undefined) return this.conflict(session);
      backup = linkBackup(path);

      // ---- compare-and-swap: synchronous from the check to the rename ----
      this.options.hooks?.beforeCheck?.(path);
      if (!stillHolds(path, held)) return this.conflict(session);
      this.options.hooks?.beforeRename?.(path);
      renameSync(temp.path, path);
      // ---- end of compare-and-swap ----
      const current: PathInode = { fd: temp.fd, ino: temp.ino, content: plan.text };
      temp = undefined;
      this.stats.renames++;
      session.dirNeedsSync = true;
      this.options.hooks?.afterRename?.(path);
      session.displaced.push({ fd: held.fd, seen: held.content, backup });
      heldOwned = false;
      backup = undefined; // released with the displaced inode

      const afterGrace = await this.watchDisplaced(session, path, current);
      if (afterGrace !== 'quiet') return undefined;
      if (overwrittenSince(path, plan)) {
        this.noteReapplied(session, 'a save based on the file before our write put the old status back');
        return undefined;
      }
      if (plan.error) throw plan.error; // a rescued edit that does not parse was restored as the user wrote it
      for (const document of plan.written) {
        this.options.logger.debug({ file: this.display(session.path), kind: document.target.kind, name: document.target.name }, 'status written');
      }
      return plan.results;
    } finally {
      if (heldOwned) closeSync(held.fd);
      if (backup !== undefined) removeQuietly(backup);
      if (temp !== undefined) {
        closeSync(temp.fd);
        removeQuietly(temp.path);
      }
    }
  }

  /**
   * Step 6: watches the inodes our renames displaced for the grace period.
   * 'quiet': nobody wrote into them. 'restored': a late save's inode was put
   * back from its backup. 'rescued': its content was taken into
   * `session.rescued`. Either way the status must be applied again.
   */
  private async watchDisplaced(session: ManifestSession, path: string, current: PathInode): Promise<'quiet' | 'restored' | 'rescued'> {
    let currentOwned = true;
    try {
      const deadline = performance.now() + GRACE_MS;
      let dirSynced = false;
      for (;;) {
        const late = findLateWrite(session.displaced); // the first look comes with no await since the rename
        if (late) {
          session.attempts++;
          if (late.backup !== undefined && restoreFromBackup(path, current, late)) {
            session.displaced.splice(session.displaced.indexOf(late), 1);
            closeSync(late.fd);
            // Ours is the displaced one now; a save that opened it meanwhile must be seen too.
            session.displaced.push({ fd: current.fd, seen: current.content, backup: undefined });
            currentOwned = false;
            session.dirNeedsSync = true;
            this.stats.restored++;
            this.noteReapplied(session, 'an in-place save landed in the replaced file; it was put back');
            return 'restored';
          }
          session.rescued = { content: await settle(late), over: current.content };
          this.noteReapplied(session, 'an in-place save landed in the replaced file; its content was rescued');
          return 'rescued';
        }
        if (!dirSynced) {
          await fsyncDir(dirname(path));
          session.dirNeedsSync = false;
          dirSynced = true;
        }
        if (performance.now() >= deadline) return 'quiet';
        await sleep(GRACE_POLL_MS);
      }
    } finally {
      if (currentOwned) closeSync(current.fd);
    }
  }

  private conflict(session: ManifestSession): undefined {
    session.attempts++;
    this.stats.conflicts++;
    this.options.logger.debug({ file: this.display(session.path), attempt: session.attempts }, 'file changed while the status was being written; starting over');
    return undefined;
  }

  private noteReapplied(session: ManifestSession, why: string): void {
    this.stats.reapplied++;
    const targets = session.documents.map((document) => `${document.target.kind}/${document.target.name}`);
    this.options.logger.info({ file: this.display(session.path), targets, why }, 'status re-applied after a concurrent edit');
  }

  // -------------------------------------------------------------------------
  // Into the status directory

  private async commitStatusFiles(batch: Batch): Promise<Map<string, WriteResult>> {
    const results = new Map<string, WriteResult>();
    for (const [id, document] of batch.documents) {
      if (!(await manifestHolds(batch.manifest, document.target))) {
        results.set(id, 'gone');
        continue;
      }
      const existing = await readFileOrUndefined(batch.path);
      if (existing !== undefined && statusEquals(decodeText(existing).text, document.target, document.status)) {
        results.set(id, 'unchanged');
        continue;
      }
      const dir = dirname(batch.path);
      await mkdir(dir, { recursive: true });
      const like = existing === undefined ? undefined : await stat(batch.path);
      const temp = await writeTempFile({ dir, name: basename(batch.path), content: Buffer.from(renderStatusFile(document.target, document.status)), like });
      if (temp === undefined) throw new StatusWriteError('conflict', 'temp file abandoned'); // cannot happen: nothing asks to abandon it
      closeSync(temp.fd);
      // Only this writer writes here, so no compare-and-swap: atomic replacement is enough.
      renameSync(temp.path, batch.path);
      this.stats.renames++;
      await fsyncDir(dir);
      this.options.logger.debug({ file: this.display(batch.path), kind: document.target.kind, name: document.target.name }, 'status written');
      results.set(id, 'written');
    }
    return results;
  }

  /** Paths in logs: relative to the manifests directory when inside it. */
  private display(path: string): string {
    const inside = relative(resolve(this.options.manifestsDir), path);
    return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
  }
}

// ---------------------------------------------------------------------------
// The status directory layout, shared with readers (the CLI)

/** `<statusDir>/<Kind>/<name>.yaml`; kind and name must be plain file names. */
export function statusFilePath(statusDir: string, kind: string, name: string): string {
  for (const [what, value] of [['kind', kind], ['name', name]] as const) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value) || value.includes('..')) {
      throw new StatusWriteError('invalid-target', `${what} "${value}" cannot be used as a file name in the status directory`);
    }
  }
  return join(resolve(statusDir), kind, `${name}.yaml`);
}

/** The status written for one resource in a status directory; undefined when none was written yet. */
export function readStatusFrom(statusDir: string, kind: string, name: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(statusFilePath(statusDir, kind, name), 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  const status = readStatus(text, { kind, name });
  return status !== null && typeof status === 'object' && !Array.isArray(status) ? (status as Record<string, unknown>) : undefined;
}

function renderStatusFile(target: DocumentTarget, status: Record<string, unknown>): string {
  return stringify({ apiVersion: API_VERSION, kind: target.kind, metadata: { name: target.name }, status }, { lineWidth: 0 });
}

/** True unless the manifest provably no longer holds the document. A manifest mid-edit (does not parse) still counts. */
async function manifestHolds(manifest: string, target: DocumentTarget): Promise<boolean> {
  const content = await readFileOrUndefined(manifest);
  if (content === undefined) return false;
  try {
    return locateDocuments(decodeText(content).text).some((doc) => doc.kind === target.kind && doc.name === target.name);
  } catch {
    return true;
  }
}

function statusEquals(text: string, target: DocumentTarget, status: Record<string, unknown>): boolean {
  try {
    return isDeepStrictEqual(readStatus(text, target), status);
  } catch {
    return false; // a broken or foreign status file is simply rewritten
  }
}

// ---------------------------------------------------------------------------
// Planning a manifest write (pure)

interface PlannedDocument {
  readonly id: string;
  readonly target: DocumentTarget;
  readonly status: Record<string, unknown>;
}

type ManifestPlan =
  | { kind: 'ready'; text: Buffer; results: Map<string, WriteResult>; written: PlannedDocument[]; error?: undefined }
  /** Empty or unparseable content: `text` is the content as it is, so a rescued edit is restored verbatim. */
  | { kind: 'unsettled'; text: Buffer; results: Map<string, WriteResult>; written: PlannedDocument[]; error?: StatusWriteError };

function planManifest(content: Buffer, documents: PlannedDocument[]): ManifestPlan {
  const gone = allResults(documents, 'gone');
  // A UTF-16 file (a PowerShell redirect) is written back in UTF-16, with its byte order mark.
  const decoded = decodeText(content);
  const source = decoded.text;
  if (!encodeText(source, decoded).equals(content)) {
    // Cut in the middle of a character by a save in progress, or not UTF-8 (or UTF-16 with a mark) at all.
    return { kind: 'unsettled', text: content, results: gone, written: [], error: new StatusWriteError('parse-error', 'the file is not valid UTF-8') };
  }
  if (source.trim() === '') return { kind: 'unsettled', text: content, results: gone, written: [] };
  let text = source;
  const results = new Map<string, WriteResult>();
  const written: PlannedDocument[] = [];
  for (const document of documents) {
    let current: unknown;
    try {
      current = readStatus(text, document.target);
    } catch (error) {
      if (error instanceof StatusWriteError && error.reason === 'not-found') {
        results.set(document.id, 'gone');
        continue;
      }
      if (error instanceof StatusWriteError && error.reason === 'parse-error') return { kind: 'unsettled', text: content, results: gone, written: [], error };
      throw error;
    }
    if (isDeepStrictEqual(current, document.status)) {
      results.set(document.id, 'unchanged');
      continue;
    }
    text = replaceStatus(text, document.target, document.status);
    results.set(document.id, 'written');
    written.push(document);
  }
  return { kind: 'ready', text: encodeText(text, decoded), results, written };
}

function allResults(documents: Array<{ id: string }>, result: WriteResult): Map<string, WriteResult> {
  return new Map(documents.map((document) => [document.id, result]));
}

/**
 * Step 7: does the path still carry the statuses we wrote? A writer that read
 * the file just before our rename and saved just after puts the old status
 * back (keeping its own edit, which is right).
 */
function overwrittenSince(path: string, plan: ManifestPlan): boolean {
  const now = readPathOrUndefined(path);
  if (now === undefined || now.equals(plan.text) || plan.written.length === 0) return false;
  const source = decodeText(now).text;
  return !plan.written.every((document) => statusEquals(source, document.target, document.status));
}

// ---------------------------------------------------------------------------
// State of one commit

interface Destination {
  /** The file the batch writes: the manifest, or the status file. */
  readonly path: string;
  readonly manifest: string;
}

interface Batch extends Destination {
  readonly documents: Map<string, PendingDocument>;
  readonly timer: NodeJS.Timeout;
  /** Its window has passed (or a flush asked for it); it waits only for the file's running commit. */
  due: boolean;
  /** Created by a requeue: its timer is a backoff that a flush does not cut short. */
  readonly backoff: boolean;
  /** Created because the disk was full: a flush does not wait for it. */
  readonly waitingForSpace: boolean;
}

interface PendingDocument {
  readonly target: DocumentTarget;
  status: Record<string, unknown>;
  readonly waiters: Array<{ resolve(result: WriteResult): void; reject(error: unknown): void }>;
  requeues: number;
}

interface ManifestSession {
  readonly path: string;
  readonly documents: PlannedDocument[];
  /** Inodes our renames took the path away from, still open so a late in-place write into them is seen. */
  displaced: DisplacedInode[];
  /** A user's edit rescued from a displaced inode, to be written with the status applied. */
  rescued: RescuedEdit | undefined;
  /** Conflicts and re-applies so far: each means the file changed under us. */
  attempts: number;
  settleDeadline: number | undefined;
  dirNeedsSync: boolean;
}

/** The file as we read it, with its descriptor kept open: the descriptor pins the inode the content came from. */
interface HeldFile {
  readonly fd: number;
  readonly stat: Stats;
  readonly content: Buffer;
}

/** The inode our last rename put at the path. */
interface PathInode {
  readonly fd: number;
  readonly ino: number;
  readonly content: Buffer;
}

interface DisplacedInode {
  readonly fd: number;
  /** Its content when we last looked. */
  seen: Buffer;
  /** A temp name hard-linked to it, so it can be renamed back into place. */
  backup: string | undefined;
}

interface RescuedEdit {
  /** What the late writer put into the displaced inode. */
  readonly content: Buffer;
  /** What we renamed into place; the rescue applies only while the path still holds it. */
  readonly over: Buffer;
}

interface TempFile {
  readonly path: string;
  /** Kept open: after the rename it is how we see the inode now at the path. */
  readonly fd: number;
  readonly ino: number;
}

// ---------------------------------------------------------------------------
// Files

function openHeld(path: string): HeldFile | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  try {
    return { fd, stat: fstatSync(fd), content: readWhole(fd) };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads an open file from the start, whatever its size is now. */
function readWhole(fd: number): Buffer {
  const chunks: Buffer[] = [];
  let position = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const read = readSync(fd, chunk, 0, chunk.length, position);
    if (read === 0) return Buffer.concat(chunks);
    chunks.push(chunk.subarray(0, read));
    position += read;
  }
}

/**
 * "The path still holds what we read" is checked as: the inode we hold still
 * has content C0, and the path still names that inode. That is the same as
 * re-reading the path, in fewer system calls. The content comes first: an
 * in-place save that opens the file after it writes into the inode we
 * displace, and step 6 puts that back. The inode comes last, right before the
 * rename, because a rename by someone else after it cannot be repaired (the
 * residual window).
 */
function stillHolds(path: string, held: HeldFile): boolean {
  if (!readWhole(held.fd).equals(held.content)) return false;
  try {
    return statSync(path).ino === held.stat.ino;
  } catch {
    return false;
  }
}

/**
 * Step 4's backup: a second name for the inode at the path, so that step 6
 * can rename it back; undefined when the file system has no hard links (the
 * slower content rescue is used then). Made before the check: creating a name
 * is a journalled directory update, which would widen the window.
 */
function linkBackup(path: string): string | undefined {
  const backup = tempPathFor(path);
  try {
    linkSync(path, backup);
    return backup;
  } catch {
    return undefined;
  }
}

/**
 * Puts a displaced inode that received a late save back at the path. Only
 * while the path still holds exactly what our rename put there: anything else
 * is a newer edit, which wins.
 */
function restoreFromBackup(path: string, current: PathInode, late: DisplacedInode): boolean {
  if (late.backup === undefined) return false;
  try {
    // The backup was linked by name: make sure it is the inode that received the late write.
    if (statSync(late.backup).ino !== fstatSync(late.fd).ino) return false;
    if (statSync(path).ino !== current.ino || !readWhole(current.fd).equals(current.content)) return false;
    renameSync(late.backup, path);
  } catch {
    return false;
  }
  late.backup = undefined;
  return true;
}

/** The first displaced inode whose content changed since we last looked: a late in-place write. */
function findLateWrite(displaced: DisplacedInode[]): DisplacedInode | undefined {
  return displaced.find((inode) => !readWhole(inode.fd).equals(inode.seen));
}

function release(inode: DisplacedInode): void {
  if (inode.backup !== undefined) removeQuietly(inode.backup);
  closeSync(inode.fd);
}

/**
 * Waits for a late write to finish: its open truncated the file, its write
 * may not have landed yet. Settled = not empty, parses, and read the same
 * twice; after {@link SETTLE_LIMIT_MS}, whatever is there is taken as the
 * user's content.
 */
async function settle(inode: DisplacedInode): Promise<Buffer> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  let previous = readWhole(inode.fd);
  for (;;) {
    await new Promise<void>((done) => setImmediate(done));
    const now = readWhole(inode.fd);
    if ((now.equals(previous) && now.length > 0 && parses(now)) || Date.now() > deadline) {
      inode.seen = now;
      return now;
    }
    previous = now;
  }
}

function parses(content: Buffer): boolean {
  try {
    locateDocuments(decodeText(content).text);
    return true;
  } catch {
    return false;
  }
}

/** Beside the target, starting with "." and ending in ".berth-tmp", so that watchers skip it. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

interface TempFileInput {
  readonly dir: string;
  readonly name: string;
  readonly content: Buffer;
  /** The file it will replace: its mode (and owner, when allowed) are copied. */
  readonly like: Stats | undefined;
}

/**
 * Writes and fsyncs a temp file beside the target. Undefined (and no file left
 * behind) when `abandonIf` says so before the fsync.
 */
async function writeTempFile(input: TempFileInput & { abandonIf?: () => boolean }): Promise<TempFile | undefined> {
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
    if (input.abandonIf?.()) return undefined;
    await handle.sync();
    complete = true;
  } finally {
    await handle.close();
    if (!complete) removeQuietly(path);
  }
  const fd = openSync(path, 'r');
  return { path, fd, ino: fstatSync(fd).ino };
}

/** {@link writeTempFile} without yielding: for rescued edits, which must land before anyone reads the file again. */
function writeTempFileSync(input: TempFileInput & { like: Stats }): TempFile {
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
      } catch {
        // only root may; otherwise the file becomes ours
      }
    }
    fsyncSync(fd);
    return { path, fd, ino: fstatSync(fd).ino };
  } catch (error) {
    closeSync(fd);
    removeQuietly(path);
    throw error;
  }
}

/** Makes a rename in `dir` durable. Some file systems refuse to fsync directories; that is not an error here. */
async function fsyncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (!isErrno(error, 'EINVAL') && !isErrno(error, 'EISDIR') && !isErrno(error, 'EPERM') && !isErrno(error, 'EBADF')) throw error;
  }
}

function readPathOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

async function readFileOrUndefined(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function realPathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
