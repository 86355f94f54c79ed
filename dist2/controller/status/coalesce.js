import { WriteBackoff, isOutOfSpace } from '../state/writeBackoff.js';
import { sleep } from './atomicFiles.js';
import { StatusWriteError } from './document.js';
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
/** Per file: one batch collecting, one commit running. Settles every caller of every batch. */
export class CoalescingQueue {
    options;
    /** Batches still collecting writes, by the path they will write: at most one per file. */
    collecting = new Map();
    /** How many of them wait for disk space: asked after every commit, so counted rather than searched for. */
    waitingForSpaceCount = 0;
    /** The commit running for each path: at most one per file. Writes arriving meanwhile collect in the next batch. */
    inflight = new Map();
    /** Due batches of files waiting for a commit to finish elsewhere ({@link MAX_COMMITS_IN_FLIGHT}), oldest first. */
    waitingForTurn = new Set();
    closed = false;
    spaceBackoff;
    /** When the batches waiting for space try again: every file that fails in one round waits for the same moment. */
    spaceRetryAt = 0;
    constructor(options) {
        this.options = options;
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
    busy(path) {
        return this.collecting.has(path) || this.inflight.has(path);
    }
    /** A new write: joins the file's collecting batch (its status replacing an older one of the same document), or opens one. */
    add(destination, document) {
        this.enqueue(destination, document, { delayMs: this.options.coalesceMs, newest: true });
    }
    /**
     * Resolves when every write requested so far has finished, including any
     * requeued meanwhile. Collecting windows are cut short; a requeued write
     * still waits out its backoff, since the file was just seen changing.
     */
    async flush() {
        for (;;) {
            this.dispatchAll();
            const running = [...this.inflight.values()];
            // Writes waiting for disk space are not waited for: that may take hours.
            if (running.length === 0 && this.collecting.size === this.waitingForSpaceCount)
                return;
            await (running.length > 0 ? Promise.all(running) : sleep(REQUEUE_DELAY_MS));
        }
    }
    /** Refuses new writes and starts pending ones now; `flush()` waits for them. Writes waiting for disk space are given up. */
    close() {
        this.closed = true;
        for (const [path, batch] of [...this.collecting]) {
            if (!batch.waitingForSpace)
                continue;
            this.stopCollecting(path);
            clearTimeout(batch.timer);
            const error = Object.assign(new Error(`${this.display(path)}: status not written, the disk was full when the controller stopped`), { code: 'ENOSPC' });
            for (const document of batch.documents.values())
                for (const waiter of document.waiters)
                    waiter.reject(error);
        }
        this.dispatchAll();
    }
    dispatchAll() {
        for (const [path, batch] of [...this.collecting])
            if (!batch.backoff)
                this.dispatch(path);
    }
    // -------------------------------------------------------------------------
    // Queueing
    enqueue(destination, document, options) {
        let batch = this.collecting.get(destination.path);
        if (!batch) {
            const timer = setTimeout(() => this.dispatch(destination.path), options.delayMs);
            const created = {
                path: destination.path,
                manifest: destination.manifest,
                documents: new Map(),
                timer,
                due: false,
                backoff: !options.newest,
                waitingForSpace: options.waitingForSpace ?? false,
            };
            this.collecting.set(destination.path, created);
            if (created.waitingForSpace)
                this.waitingForSpaceCount++;
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
        if (options.newest)
            existing.status = document.status;
    }
    stopCollecting(path) {
        if (this.collecting.get(path)?.waitingForSpace)
            this.waitingForSpaceCount--;
        this.collecting.delete(path);
    }
    /**
     * Starts a batch's commit, or, while the file's previous commit still runs,
     * marks the batch due so that it starts right after, with every write that
     * arrived in the meantime: a slow file gets fewer, larger writes, never a backlog.
     */
    dispatch(path) {
        const batch = this.collecting.get(path);
        if (!batch)
            return;
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
            if (this.collecting.get(path)?.due)
                this.dispatch(path);
            for (const next of this.waitingForTurn) {
                if (this.inflight.size >= MAX_COMMITS_IN_FLIGHT)
                    break;
                this.dispatch(next);
            }
        });
        this.inflight.set(path, run);
    }
    /** Runs one batch and settles its callers; never rejects, so one file's failure cannot stall its queue. */
    async commit(batch) {
        let outcome;
        try {
            outcome = await this.options.commit(batch);
        }
        catch (error) {
            if (isOutOfSpace(error) && !this.closed) {
                this.waitForSpace(batch, error);
                return;
            }
            for (const document of batch.documents.values())
                for (const waiter of document.waiters)
                    waiter.reject(error);
            return;
        }
        // Writes go through again once nothing waits for space any more.
        if (this.waitingForSpaceCount === 0)
            this.spaceBackoff.succeeded();
        if (outcome === 'requeue') {
            this.requeue(batch);
            return;
        }
        for (const [id, document] of batch.documents) {
            const result = outcome.get(id) ?? 'gone';
            for (const waiter of document.waiters)
                waiter.resolve(result);
        }
    }
    /** The disk is full: the batch keeps its statuses (newer ones join it) and tries again after the backoff. */
    waitForSpace(batch, error) {
        const now = Date.now();
        if (now >= this.spaceRetryAt)
            this.spaceRetryAt = now + this.spaceBackoff.failed(error, { path: this.display(batch.path) });
        for (const document of batch.documents.values()) {
            this.enqueue(batch, document, { delayMs: this.spaceRetryAt - now, newest: false, waitingForSpace: true });
        }
    }
    requeue(batch) {
        this.options.stats.requeued++;
        this.options.logger.info({ file: this.display(batch.path) }, 'file kept changing while its status was written; trying again shortly');
        for (const document of batch.documents.values()) {
            document.requeues++;
            if (document.requeues > MAX_REQUEUES) {
                const error = new StatusWriteError('conflict', `${this.display(batch.path)} kept changing under every attempt to write the status of ${document.target.kind} "${document.target.name}"`);
                for (const waiter of document.waiters)
                    waiter.reject(error);
                continue;
            }
            // A requeued status is older than one written since, so it does not replace it.
            const delayMs = Math.min(REQUEUE_DELAY_MS * document.requeues, MAX_REQUEUE_DELAY_MS) + Math.floor(Math.random() * REQUEUE_DELAY_MS);
            this.enqueue(batch, document, { delayMs, newest: false });
        }
    }
    display(path) {
        return this.options.display(path);
    }
}
//# sourceMappingURL=coalesce.js.map