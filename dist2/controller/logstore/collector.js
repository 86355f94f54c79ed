import { filter } from 'rxjs';
import { isoTime, systemClock } from '../clock.js';
import { LABEL } from '../runtime/labels.js';
import { logTimeToUnixSeconds } from '../runtime/logLines.js';
import { EngineError } from '../runtime/runtime.js';
import { guardedObserver } from '../streams.js';
import { errorMessage } from '../errors.js';
export const DEFAULT_LOG_RETENTION_MS = 7 * 24 * 3_600_000;
const DEFAULT_SWEEP_INTERVAL_MS = 10 * 60_000;
/** States in which a container may still write. */
const LIVE_STATES = new Set(['running', 'restarting', 'paused']);
/** `since` goes a microsecond back: a double cannot hold nanoseconds, and the cursor skips what was stored. */
const SINCE_MARGIN_SECONDS = 1e-6;
/**
 * Follows the output of every container this controller owns, on every engine, into the
 * log store. Containers are picked up when they start (engine events) and by relisting on
 * every (re)connect of an engine's event stream and at start-up, so a controller restart
 * resumes each container where its stored log ends: nothing is lost, nothing duplicated.
 *
 * It runs beside the reconcilers, never in their way: each container is an independent
 * stream, engine failures are logged and retried with backoff, and nothing it does can
 * throw into the controller.
 */
export class LogCollector {
    store;
    engines;
    logger;
    clock;
    retentionMs;
    sweepIntervalMs;
    retry;
    following = new Map();
    pendingEnds = new Set();
    events;
    sweepTimer;
    stopped = false;
    constructor(options) {
        this.store = options.store;
        this.engines = options.engines;
        this.logger = options.logger;
        this.clock = options.clock ?? systemClock;
        this.retentionMs = options.retentionMs ?? DEFAULT_LOG_RETENTION_MS;
        this.sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
        this.retry = options.retry ?? { initialMs: 1000, maxMs: 30_000 };
    }
    /** Starts following; resolves once the engines known now were listed and the first sweep ran. */
    async start() {
        this.events = this.engines.events.pipe(filter(({ event }) => event.type === 'resync' || (event.type === 'container' && event.action === 'start'))).subscribe(guardedObserver({
            logger: this.logger,
            stream: 'engine events (log collection)',
            next: ({ address, event }) => {
                const runtime = this.runtimeAt(address);
                if (!runtime)
                    return;
                if (event.type === 'resync')
                    this.track(this.relist(runtime, address).then(() => undefined));
                else if (event.type === 'container')
                    this.followSafely(runtime, { id: event.id, labels: event.labels });
            },
        }));
        await this.sweep();
    }
    /** Stops following; what was read so far is written out. Containers keep running. */
    async stop() {
        this.stopped = true;
        this.events?.unsubscribe();
        if (this.sweepTimer !== undefined)
            this.clock.clearTimeout(this.sweepTimer);
        for (const following of this.following.values()) {
            following.subscription?.unsubscribe();
            if (following.retryTimer !== undefined)
                this.clock.clearTimeout(following.retryTimer);
        }
        this.following.clear();
        await Promise.all(this.pendingEnds);
        await this.store.drainAll();
        this.store.stopRetrying();
    }
    /** Containers followed right now (tests). */
    followedCount() {
        return [...this.following.values()].filter((following) => following.subscription !== undefined).length;
    }
    /**
     * Relists every engine: follows what was missed, marks tasks whose containers vanished
     * as stopped, and deletes logs past retention. Runs at start and then periodically.
     */
    async sweep() {
        if (this.stopped)
            return;
        try {
            const alive = new Set();
            let complete = true;
            for (const { address, runtime } of this.engines.all()) {
                const listed = await this.relist(runtime, address);
                if (listed === undefined)
                    complete = false;
                for (const container of listed ?? [])
                    alive.add(container.id);
            }
            // Only when every engine answered: an engine that is down still has its containers.
            if (complete)
                this.stopVanishedTasks(alive);
            const removed = this.store.sweep(isoTime(this.clock.now() - this.retentionMs));
            if (removed.length > 0)
                this.logger.info({ tasks: removed.length }, 'removed logs of tasks stopped longer than the retention');
        }
        catch (error) {
            this.logger.warn({ err: messageOf(error) }, 'log sweep failed');
        }
        finally {
            if (!this.stopped)
                this.sweepTimer = this.clock.setTimeout(() => void this.sweep(), this.sweepIntervalMs);
        }
    }
    /** Follows every listed container that may still have output to collect. Undefined when the engine did not answer. */
    async relist(runtime, address) {
        let containers;
        try {
            containers = await runtime.list();
        }
        catch (error) {
            this.logger.warn({ engine: address, err: messageOf(error) }, 'cannot list containers to collect their logs');
            return undefined;
        }
        for (const container of containers) {
            if (LIVE_STATES.has(container.state) || !this.hasEnded(container))
                this.followSafely(runtime, container);
        }
        return containers;
    }
    /** Whether the store already holds everything of this container (it ended, and it is the same container). */
    hasEnded(container) {
        const ref = containerRef(container.labels);
        if (!ref)
            return true;
        const stored = this.store.entry(ref.cluster, ref.taskId)?.containers.find((c) => c.name === ref.container);
        return stored?.containerId === container.id && stored.endedAt !== undefined;
    }
    stopVanishedTasks(alive) {
        const now = isoTime(this.clock.now());
        for (const entry of this.store.list()) {
            if (entry.stoppedAt !== undefined)
                continue;
            if (entry.containers.some((container) => alive.has(container.containerId) || this.following.has(container.containerId)))
                continue;
            this.store.markTaskStopped(entry.cluster, entry.taskId, now);
            this.logger.debug({ taskId: entry.taskId }, 'containers gone: task logs complete');
        }
    }
    /**
     * {@link follow} from an event, a timer or a listing: whatever goes wrong is this
     * container's problem, logged and retried, never an exception in the controller.
     */
    followSafely(runtime, container) {
        try {
            this.follow(runtime, container);
        }
        catch (error) {
            const ref = containerRef(container.labels);
            this.logger.warn({ containerId: container.id, err: messageOf(error) }, 'cannot follow container output');
            if (!ref)
                return;
            if (!this.following.has(container.id))
                this.following.set(container.id, { failures: 0 });
            this.retryLater(runtime, container.id, ref, error);
        }
    }
    /** Starts following one container, unless it is followed already. */
    follow(runtime, container) {
        if (this.stopped)
            return;
        const existing = this.following.get(container.id);
        if (existing?.subscription || existing?.retryTimer !== undefined)
            return;
        const ref = containerRef(container.labels);
        if (!ref)
            return;
        const labels = container.labels;
        const logGroup = labels[LABEL.logGroup];
        const logStream = labels[LABEL.logStream];
        this.store.registerContainer({
            taskId: ref.taskId,
            cluster: ref.cluster,
            group: labels[LABEL.group] ?? '',
            taskDefinition: `${labels[LABEL.family] ?? ''}:${labels[LABEL.revision] ?? ''}`,
            containerCount: Number(labels[LABEL.taskContainers] ?? 1) || 1,
        }, 
        // ECS names an awslogs stream after the container id when there is no prefix.
        { name: ref.container, containerId: container.id, ...(logGroup ? { logGroup, logStream: logStream ?? container.id } : {}) });
        const following = existing ?? { failures: 0 };
        this.following.set(container.id, following);
        const cursor = this.store.cursor(ref);
        let repeatsToSkip = cursor?.count ?? 0;
        const fresh = (line) => {
            if (!cursor || line.time > cursor.time)
                return true;
            if (line.time < cursor.time)
                return false;
            // Same time as the last stored line: the first `count` of them are stored already.
            if (repeatsToSkip === 0)
                return true;
            repeatsToSkip--;
            return false;
        };
        const since = cursor ? logTimeToUnixSeconds(cursor.time) - SINCE_MARGIN_SECONDS : undefined;
        following.subscription = runtime
            .logs(container.id, { follow: true, ...(since !== undefined ? { since } : {}) })
            .pipe(filter(fresh))
            .subscribe({
            next: (line) => {
                following.failures = 0;
                // The store never rejects (a failing disk pauses it); the catch keeps that true for good.
                this.store.append(ref, [line]).catch((error) => this.logger.warn({ ...ref, err: messageOf(error) }, 'cannot store log line'));
            },
            complete: () => this.track(this.onStreamEnd(runtime, container.id, ref)),
            error: (error) => this.track(this.onStreamError(runtime, container.id, ref, error)),
        });
    }
    /** The stream ended: the container stopped (the usual case) or the connection dropped. */
    async onStreamEnd(runtime, id, ref) {
        const following = this.following.get(id);
        if (following)
            following.subscription = undefined;
        let observed;
        try {
            observed = await runtime.inspect(id);
        }
        catch (error) {
            return this.retryLater(runtime, id, ref, error);
        }
        if (observed && LIVE_STATES.has(observed.state))
            return this.retryLater(runtime, id, ref, 'log stream ended while the container runs');
        this.following.delete(id);
        await this.store.markEnded(ref, { at: observed?.finishedAt ?? isoTime(this.clock.now()) });
    }
    async onStreamError(runtime, id, ref, error) {
        const following = this.following.get(id);
        if (following)
            following.subscription = undefined;
        if (error instanceof EngineError && error.statusCode === 404) {
            this.following.delete(id);
            await this.store.markEnded(ref, { at: isoTime(this.clock.now()) });
            return;
        }
        if (error instanceof EngineError && /does not support reading/i.test(error.engineMessage)) {
            // The `none` driver, or another the engine cannot read back: nothing to collect, ever.
            this.following.delete(id);
            this.logger.info({ ...ref, reason: error.engineMessage }, 'container output cannot be collected');
            await this.store.markEnded(ref, { at: isoTime(this.clock.now()), collected: false });
            return;
        }
        this.retryLater(runtime, id, ref, error);
    }
    retryLater(runtime, id, ref, reason) {
        const following = this.following.get(id);
        if (!following || this.stopped)
            return;
        following.failures += 1;
        const delay = Math.min(this.retry.maxMs, this.retry.initialMs * 2 ** (following.failures - 1));
        this.logger.warn({ ...ref, err: messageOf(reason), retryInMs: delay }, 'following container logs failed; retrying');
        following.retryTimer = this.clock.setTimeout(() => {
            following.retryTimer = undefined;
            this.track(runtime.inspect(id).then(async (observed) => {
                if (observed)
                    return this.followSafely(runtime, observed);
                await this.store.markEnded(ref, { at: isoTime(this.clock.now()) });
                this.following.delete(id);
            }, (error) => this.retryLater(runtime, id, ref, error)));
        }, delay);
    }
    /** Keeps end handling visible to `stop`, and its failures in the log. */
    track(work) {
        const tracked = work.catch((error) => this.logger.warn({ err: messageOf(error) }, 'log collection step failed'));
        this.pendingEnds.add(tracked);
        void tracked.finally(() => this.pendingEnds.delete(tracked));
    }
    runtimeAt(address) {
        return this.engines.all().find((engine) => engine.address === address)?.runtime;
    }
}
/** Where a container's lines go; undefined for a container without berth's task labels. */
function containerRef(labels) {
    const cluster = labels[LABEL.cluster];
    const taskId = labels[LABEL.taskId];
    const container = labels[LABEL.container];
    if (!cluster || !taskId || !container)
        return undefined;
    return { cluster, taskId, container };
}
function messageOf(error) {
    return errorMessage(error);
}
//# sourceMappingURL=collector.js.map