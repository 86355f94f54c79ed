/**
 * Step 1 of the status write-back protocol (see writer.ts): writes to one file within a
 * window become one batch, a file has at most one commit running, and what arrives
 * meanwhile collects in the next batch. Batches that met too many concurrent edits come
 * back after a backoff; batches that met a full disk wait for space together.
 */
import type { Logger } from '../log.js';
import { WriteBackoff, isOutOfSpace, type HealthReporter } from '../state/writeBackoff.js';
import { sleep } from './atomicFiles.js';
import { StatusWriteError, type DocumentTarget } from './document.js';
import type { StatusWriterStats, WriteResult } from './writer.js';

/** Requeues before a write is given up with an error: with the delays below, the file changed under every attempt for about 15 s. */
const MAX_REQUEUES = 40;
/** The n-th requeue waits n times this (at most {@link MAX_REQUEUE_DELAY_MS}), plus jitter, so it does not fall into step with a periodic writer. */
const REQUEUE_DELAY_MS = 25;
const MAX_REQUEUE_DELAY_MS = 100;
/**
 * Files committed at once. Each commit holds two or three descriptors through its grace
 * period: thousands of first statuses at start-up would otherwise run out of them, and the
 * disk gains nothing from more fsyncs queued at once.
 */
const MAX_COMMITS_IN_FLIGHT = 32;

export interface Destination {
  /** The file the batch writes: the manifest, or the status file. */
  readonly path: string;
  readonly manifest: string;
}

export interface Batch extends Destination {
  readonly documents: Map<string, PendingDocument>;
  readonly timer: NodeJS.Timeout;
  /** Its window has passed (or a flush asked for it); it waits only for the file's running commit. */
  due: boolean;
  /** Created by a requeue: its timer is a backoff that a flush does not cut short. */
  readonly backoff: boolean;
  /** Created because the disk was full: a flush does not wait for it. */
  readonly waitingForSpace: boolean;
}

export interface PendingDocument {
  readonly target: DocumentTarget;
  status: Record<string, unknown>;
  readonly waiters: Array<{ resolve(result: WriteResult): void; reject(error: unknown): void }>;
  requeues: number;
}

export interface CoalescingQueueOptions {
  readonly logger: Logger;
  /** Writes to one file requested within this window become one write. */
  readonly coalesceMs: number;
  /** Counted into: requeues. */
  readonly stats: StatusWriterStats;
  /** How a path is named in logs and errors. */
  readonly display: (path: string) => string;
  /** Where a full disk is reported (and its recovery cleared). */
  readonly health?: HealthReporter;
  /** Delays between attempts while the disk is full. */
  readonly spaceRetry?: { initialMs: number; maxMs: number };
  /** Writes one batch: each document's result by its id ("Kind/name"), or 'requeue' after too many conflicts. */
  readonly commit: (batch: Batch) => Promise<Map<string, WriteResult> | 'requeue'>;
}

/** Per file: one batch collecting, one commit running. Settles every caller of every batch. */
export class CoalescingQueue {
  /** Batches still collecting writes, by the path they will write: at most one per file. */
  private readonly collecting = new Map<string, Batch>();
  /** How many of them wait for disk space: asked after every commit, so counted rather than searched for. */
  private waitingForSpaceCount = 0;
  /** The commit running for each path: at most one per file. Writes arriving meanwhile collect in the next batch. */
  private readonly inflight = new Map<string, Promise<void>>();
  /** Due batches of files waiting for a commit to finish elsewhere ({@link MAX_COMMITS_IN_FLIGHT}), oldest first. */
  private readonly waitingForTurn = new Set<string>();
  private closed = false;
  private readonly spaceBackoff: WriteBackoff;
  /** When the batches waiting for space try again: every file that fails in one round waits for the same moment. */
  private spaceRetryAt = 0;

  constructor(private readonly options: CoalescingQueueOptions) {
    this.spaceBackoff = new WriteBackoff({
      component: 'status',
      what: 'statuses',
      meanwhile: 'kept in memory and written when the disk has room again (the manifests are untouched)',
      logger: options.logger,
      ...(options.health ? { health: options.health } : {}),
      ...(options.spaceRetry ?? {}),
    });
  }

  /** Whether a write to `path` is collecting or running: a newer status may be on its way there. */
  busy(path: string): boolean {
    return this.collecting.has(path) || this.inflight.has(path);
  }

  /** A new write: joins the file's collecting batch (its status replacing an older one of the same document), or opens one. */
  add(destination: Destination, document: PendingDocument): void {
    this.enqueue(destination, document, { delayMs: this.options.coalesceMs, newest: true });
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
      if (running.length === 0 && this.collecting.size === this.waitingForSpaceCount) return;
      await (running.length > 0 ? Promise.all(running) : sleep(REQUEUE_DELAY_MS));
    }
  }

  /** Refuses new writes and starts pending ones now; `flush()` waits for them. Writes waiting for disk space are given up. */
  close(): void {
    this.closed = true;
    for (const [path, batch] of [...this.collecting]) {
      if (!batch.waitingForSpace) continue;
      this.stopCollecting(path);
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
      if (created.waitingForSpace) this.waitingForSpaceCount++;
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

  private stopCollecting(path: string): void {
    if (this.collecting.get(path)?.waitingForSpace) this.waitingForSpaceCount--;
    this.collecting.delete(path);
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
    if (this.inflight.size >= MAX_COMMITS_IN_FLIGHT) {
      batch.due = true;
      this.waitingForTurn.add(path);
      return;
    }
    this.waitingForTurn.delete(path);
    this.stopCollecting(path);
    clearTimeout(batch.timer);
    const run = this.commit(batch).finally(() => {
      this.inflight.delete(path);
      if (this.collecting.get(path)?.due) this.dispatch(path);
      for (const next of this.waitingForTurn) {
        if (this.inflight.size >= MAX_COMMITS_IN_FLIGHT) break;
        this.dispatch(next);
      }
    });
    this.inflight.set(path, run);
  }

  /** Runs one batch and settles its callers; never rejects, so one file's failure cannot stall its queue. */
  private async commit(batch: Batch): Promise<void> {
    let outcome: Map<string, WriteResult> | 'requeue';
    try {
      outcome = await this.options.commit(batch);
    } catch (error) {
      if (isOutOfSpace(error) && !this.closed) {
        this.waitForSpace(batch, error);
        return;
      }
      for (const document of batch.documents.values()) for (const waiter of document.waiters) waiter.reject(error);
      return;
    }
    // Writes go through again once nothing waits for space any more.
    if (this.waitingForSpaceCount === 0) this.spaceBackoff.succeeded();
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
    this.options.stats.requeued++;
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

  private display(path: string): string {
    return this.options.display(path);
  }
}
