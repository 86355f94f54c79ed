import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { defer, finalize, share, startWith, tap } from 'rxjs';
import { ForwardingRuntime } from '../runtime/forwarding.js';
const RESYNC = { type: 'resync' };
/**
 * One engine as the controller observes it: a cache of its berth containers (inspected,
 * by id), filled by one list and its inspects, kept current by the engine's events and by
 * the changes made through it, and repaired by a full relist after every (re)connect of
 * the events stream, an outage, and each periodic resync. `list` reads the cache; every
 * other call goes to the engine.
 *
 * The promise it keeps: a read reflects every event this engine delivered before the read
 * began and every change made through it that had finished. An event marks its container
 * stale before anyone downstream hears of it, so the reconcile an event queues inspects
 * that container afresh: it never sees a state older than the event that woke it.
 */
export class ObservedEngine extends ForwardingRuntime {
    cache = new Map();
    /** Containers whose cached state an event or a change made stale, with the sequence number of the latest. */
    stale = new Map();
    /** Inspects under way, and the sequence number each began at. */
    inspecting = new Map();
    /** Counts events and changes: an inspect begun at n describes its container as of n. */
    sequence = 0;
    /** Whether the cache holds the whole engine; an outage, a reconnect or a resync clears it. */
    synced = false;
    /** Counts what clears `synced`: a relist that began before one cannot set it. */
    syncEpoch = 0;
    relisting;
    /** Subscribers of the events: without them nothing tells the cache what changed. */
    followers = 0;
    followed;
    /** The events stream is connected: it has (re)synced and the engine has not gone away since. */
    live = false;
    constructor(inner) {
        super(inner);
        this.followed = defer(() => {
            this.followers++;
            return inner.events();
        }).pipe(tap((event) => this.note(event)), finalize(() => {
            this.followers--;
            this.live = false;
            this.invalidate();
        }), share());
    }
    /** The cache's containers whose labels hold every pair of `labels`, brought up to date first. */
    async list(labels = {}) {
        // A read that asks the engine nothing would never let the event loop take in what the
        // engine sent meanwhile: a reconcile that requeues itself would then spin on a picture
        // its events can no longer correct (seen: an adopted task restarted forever while the
        // destroy event of its container waited in the socket). Each read lets them in first.
        await yieldToEvents();
        await this.current();
        const wanted = Object.entries(labels);
        return [...this.cache.values()].filter((container) => wanted.every(([key, value]) => container.labels[key] === value));
    }
    /** Lists the whole engine again now (the periodic repair), and answers as `list` does. */
    async relist(labels = {}) {
        this.invalidate();
        return this.list(labels);
    }
    /** Forget that the cache is whole: the next read lists the engine again. */
    invalidate() {
        this.synced = false;
        this.syncEpoch++;
    }
    /** The engine's events, each noted by the cache first. A subscriber joining a live stream gets its own resync, as from the engine. */
    events() {
        return defer(() => (this.live ? this.followed.pipe(startWith(RESYNC)) : this.followed));
    }
    /**
     * Asks the engine: the ports other people's containers publish never reach berth's
     * events stream (it carries berth's containers only), so no cache can know them.
     */
    hostPortsInUse() {
        return this.inner.hostPortsInUse();
    }
    close() {
        this.invalidate();
        return this.inner.close();
    }
    /** A change made through this engine: whatever it did, the container's next read inspects it. */
    containerChanged(id) {
        this.markStale(id);
    }
    /** Runs before any subscriber downstream hears of the event. */
    note(event) {
        if (event.type === 'container') {
            this.markStale(event.id);
            return;
        }
        this.live = event.type !== 'unreachable';
        // Whatever happened while the stream was away is found only by listing again.
        this.invalidate();
    }
    markStale(id) {
        this.stale.set(id, ++this.sequence);
    }
    /** Relists when the cache is not whole, then inspects every container made stale before this read began. */
    async current() {
        // Unfollowed, nothing keeps the cache: every read lists afresh, as a plain list would.
        if (this.followers === 0)
            await this.relistEngine();
        // A relist that an outage or a reconnect overtook does not count: the next one does.
        else
            while (!this.synced)
                await this.relistOnce();
        const asOf = this.sequence;
        for (;;) {
            const due = [...this.stale].filter(([, at]) => at <= asOf).map(([id]) => id);
            if (due.length === 0)
                return;
            await Promise.all(due.map((id) => this.inspectAfter(id, this.stale.get(id) ?? asOf)));
        }
    }
    /** One relist at a time; concurrent reads share it. */
    relistOnce() {
        this.relisting ??= this.relistEngine().finally(() => (this.relisting = undefined));
        return this.relisting;
    }
    /**
     * The engine's list, compared with the cache: a container whose state or health differs
     * is inspected, one gone is dropped (unless an event told of it after the list began).
     */
    async relistEngine() {
        const epoch = this.syncEpoch;
        const listedFrom = this.sequence;
        // Unfollowed, no event says what changed: every container is inspected, as a plain list would.
        const following = this.followers > 0;
        const summaries = await this.inner.listSummaries();
        const present = new Set(summaries.map((summary) => summary.id));
        for (const id of this.cache.keys()) {
            if (!present.has(id) && (this.stale.get(id) ?? 0) <= listedFrom)
                this.forget(id);
        }
        for (const summary of summaries) {
            const cached = this.cache.get(summary.id);
            if (!following || !cached || cached.state !== summary.state || cached.health !== summary.health)
                this.markStale(summary.id);
        }
        if (epoch === this.syncEpoch)
            this.synced = true;
    }
    /** Waits for an inspect of `id` that began at or after sequence number `from`. */
    async inspectAfter(id, from) {
        const running = this.inspecting.get(id);
        if (running && running.from >= from)
            return running.done;
        if (running)
            await running.done.catch(() => undefined);
        const again = this.inspecting.get(id);
        if (again && again.from >= from)
            return again.done;
        const begun = this.sequence;
        const done = this.inner.inspect(id).then((observed) => {
            if (observed)
                this.cache.set(id, observed);
            else
                this.cache.delete(id);
            // An event after the inspect began leaves the container stale for the next read.
            if ((this.stale.get(id) ?? 0) <= begun)
                this.stale.delete(id);
        });
        const entry = { from: begun, done };
        this.inspecting.set(id, entry);
        try {
            await done;
        }
        finally {
            if (this.inspecting.get(id) === entry)
                this.inspecting.delete(id);
        }
    }
    forget(id) {
        this.cache.delete(id);
        this.stale.delete(id);
    }
}
//# sourceMappingURL=engineCache.js.map