/**
 * The executor's launches running in the background: counted while they run (so
 * `Berth.idle()` waits for them), drained at shutdown so no task is left half-created,
 * and told at shutdown to stop waiting on dependsOn (the next controller resumes).
 */
export class Launches {
    running = new Set();
    stopping = false;
    /** True once the controller shuts down. */
    get shuttingDown() {
        return this.stopping;
    }
    get size() {
        return this.running.size;
    }
    /** Keeps `work` counted until it settles. */
    track(work) {
        const tracked = work.finally(() => this.running.delete(tracked));
        this.running.add(tracked);
    }
    async drain() {
        this.stopping = true;
        await Promise.allSettled([...this.running]);
    }
}
//# sourceMappingURL=launches.js.map