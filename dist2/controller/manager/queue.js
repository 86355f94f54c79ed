export class WorkQueue {
    options;
    ready = [];
    queued = new Set();
    processing = new Set();
    dirty = new Set();
    failures = new Map();
    timers = new Map();
    waiters = [];
    shuttingDown = false;
    baseDelayMs;
    maxDelayMs;
    constructor(options) {
        this.options = options;
        this.baseDelayMs = options.baseDelayMs ?? 100;
        this.maxDelayMs = options.maxDelayMs ?? 30_000;
    }
    get length() {
        return this.ready.length;
    }
    add(key) {
        if (this.shuttingDown)
            return;
        if (this.processing.has(key)) {
            this.dirty.add(key);
            return;
        }
        if (this.queued.has(key))
            return;
        this.queued.add(key);
        const waiter = this.waiters.shift();
        if (waiter) {
            this.queued.delete(key);
            this.processing.add(key);
            waiter(key);
        }
        else {
            this.ready.push(key);
        }
    }
    /** Adds the key after `delayMs`; an earlier pending schedule for the key wins. */
    addAfter(key, delayMs) {
        if (this.shuttingDown)
            return;
        if (delayMs <= 0)
            return this.add(key);
        const at = this.options.clock.now() + delayMs;
        const existing = this.timers.get(key);
        if (existing && existing.at <= at)
            return;
        if (existing)
            this.options.clock.clearTimeout(existing.handle);
        const handle = this.options.clock.setTimeout(() => {
            this.timers.delete(key);
            this.add(key);
        }, delayMs);
        this.timers.set(key, { at, handle });
    }
    /** Re-adds a key that failed, after its per-key backoff: base × 2^(failures-1), capped. */
    addRateLimited(key) {
        const failures = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, failures);
        const delay = backoffDelay(failures, this.baseDelayMs, this.maxDelayMs);
        this.addAfter(key, delay);
        return delay;
    }
    /** Clears the failure history of a key (after a successful reconcile). */
    forget(key) {
        this.failures.delete(key);
    }
    failureCount(key) {
        return this.failures.get(key) ?? 0;
    }
    /** Resolves with the next key to process, or undefined once shut down. Call `done(key)` after. */
    get() {
        if (this.shuttingDown)
            return Promise.resolve(undefined);
        const key = this.ready.shift();
        if (key !== undefined) {
            this.queued.delete(key);
            this.processing.add(key);
            return Promise.resolve(key);
        }
        return new Promise((resolve) => this.waiters.push(resolve));
    }
    done(key) {
        this.processing.delete(key);
        if (this.dirty.delete(key))
            this.add(key);
    }
    /** True when nothing is ready, running or scheduled. */
    idle() {
        return this.ready.length === 0 && this.processing.size === 0 && this.timers.size === 0;
    }
    shutdown() {
        this.shuttingDown = true;
        for (const { handle } of this.timers.values())
            this.options.clock.clearTimeout(handle);
        this.timers.clear();
        const waiters = this.waiters;
        this.waiters = [];
        for (const waiter of waiters)
            waiter(undefined);
    }
}
/**
 * Exponential backoff with a cap. With base 100 ms and cap 30 s:
 * failure 1 → 100 ms, 2 → 200 ms, 5 → 1.6 s, 9 → 25.6 s, 10 and later → 30 s.
 */
export function backoffDelay(failures, baseMs, maxMs) {
    if (failures <= 0)
        return 0;
    const exponent = Math.min(failures - 1, 30);
    return Math.min(maxMs, baseMs * 2 ** exponent);
}
//# sourceMappingURL=queue.js.map