/** Time moves only when a test says so; timers fire in order as it passes them. */
export class ManualClock {
    time = 1_000_000;
    timers = [];
    now() {
        return this.time;
    }
    setTimeout(callback, ms) {
        const timer = { at: this.time + ms, callback };
        this.timers.push(timer);
        return timer;
    }
    clearTimeout(handle) {
        this.timers = this.timers.filter((t) => t !== handle);
    }
    advance(ms) {
        const until = this.time + ms;
        for (;;) {
            const next = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
            if (!next)
                break;
            this.timers = this.timers.filter((t) => t !== next);
            this.time = next.at;
            next.callback();
        }
        this.time = until;
    }
}
//# sourceMappingURL=manualClock.js.map