/** ELB's reason codes and descriptions for the states that are not `healthy`. */
export const TARGET_REASONS = {
    registering: { reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' },
    initialChecks: { reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' },
    draining: { reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' },
    notInUse: { reason: 'Target.NotInUse', description: 'Target group is not configured to receive traffic from the load balancer' },
};
export class TargetSet {
    options;
    targets = new Map();
    config;
    inUse = false;
    nextPick = 0;
    checkTimer;
    running = false;
    constructor(options) {
        this.options = options;
        this.config = options.config;
    }
    get name() {
        return this.options.name;
    }
    get protocol() {
        return this.config.protocol;
    }
    /** Health checks every intervalSeconds, until stop(). */
    start() {
        if (this.running)
            return;
        this.running = true;
        this.scheduleChecks();
    }
    stop() {
        this.running = false;
        this.options.clock.clearTimeout(this.checkTimer);
        for (const target of this.targets.values())
            this.options.clock.clearTimeout(target.drainTimer);
    }
    /** New settings; a changed health check restarts the schedule at the new interval. */
    configure(config) {
        const before = JSON.stringify(this.config.healthCheck);
        this.config = config;
        if (before !== JSON.stringify(config.healthCheck) && this.running) {
            this.options.clock.clearTimeout(this.checkTimer);
            this.scheduleChecks();
        }
    }
    /** Whether a listener forwards to this group; targets of a group no listener uses are `unused`. */
    setInUse(inUse) {
        if (this.inUse === inUse)
            return;
        this.inUse = inUse;
        this.options.onChange();
    }
    /**
     * Registers the wanted targets that are not registered yet and deregisters the registered
     * ones that are no longer wanted; returns what changed.
     */
    reconcile(wanted) {
        const wantedIds = new Set(wanted.map((t) => t.id));
        const registered = wanted.filter((t) => this.register(t));
        const deregistered = [...this.targets.values()]
            .filter((t) => !wantedIds.has(t.registration.id) && t.state !== 'draining')
            .map((t) => t.registration)
            .filter((t) => this.deregister(t.id));
        return { registered, deregistered };
    }
    /** true when the target was not registered (or was draining) before. */
    register(registration) {
        const known = this.targets.get(registration.id);
        if (known && known.state !== 'draining' && known.registration.address === registration.address && known.registration.port === registration.port)
            return false;
        if (known)
            this.options.clock.clearTimeout(known.drainTimer);
        const target = { registration, state: 'initial', checks: 0, streak: 0, inFlight: known?.inFlight ?? 0 };
        this.targets.set(registration.id, target);
        this.options.onChange();
        if (this.running)
            void this.check(target);
        return true;
    }
    /**
     * The target receives no new requests; it goes when its in-flight requests have ended,
     * or after deregistrationDelaySeconds, whichever comes first.
     */
    deregister(id) {
        const target = this.targets.get(id);
        if (!target || target.state === 'draining')
            return false;
        target.state = 'draining';
        delete target.failure;
        if (target.inFlight === 0) {
            this.remove(target);
            return true;
        }
        target.drainTimer = this.options.clock.setTimeout(() => this.remove(target), this.config.deregistrationDelaySeconds * 1000);
        this.options.onChange();
        return true;
    }
    health(id) {
        const target = this.targets.get(id);
        return target && this.view(target);
    }
    describe() {
        return [...this.targets.values()].map((t) => this.view(t)).sort((a, b) => a.service.localeCompare(b.service) || a.id.localeCompare(b.id));
    }
    /** True when some target can take a request now. */
    hasHealthyTarget() {
        return [...this.targets.values()].some((t) => t.state === 'healthy');
    }
    /**
     * A healthy target for one request or connection, by the group's algorithm, skipping
     * those already tried; undefined when there is none.
     */
    pick(exclude = new Set()) {
        const candidates = [...this.targets.values()].filter((t) => t.state === 'healthy' && !exclude.has(t.registration.id));
        if (candidates.length === 0)
            return undefined;
        const target = this.config.loadBalancingAlgorithm === 'least_outstanding_requests' ? this.leastOutstanding(candidates) : candidates[this.nextPick++ % candidates.length];
        target.inFlight++;
        let released = false;
        return {
            id: target.registration.id,
            address: target.registration.address,
            port: target.registration.port,
            release: () => {
                if (released)
                    return;
                released = true;
                target.inFlight--;
                if (target.state === 'draining' && target.inFlight === 0)
                    this.remove(target);
            },
        };
    }
    /** One health check of every target that is not draining (the schedule calls it every interval). */
    async checkAll() {
        await Promise.all([...this.targets.values()].filter((t) => t.state !== 'draining').map((t) => this.check(t)));
    }
    /** Fewest requests in flight; ties go round robin, so equal targets share the load. */
    leastOutstanding(candidates) {
        const fewest = Math.min(...candidates.map((t) => t.inFlight));
        const tied = candidates.filter((t) => t.inFlight === fewest);
        return tied[this.nextPick++ % tied.length];
    }
    scheduleChecks() {
        this.checkTimer = this.options.clock.setTimeout(() => {
            if (!this.running)
                return;
            void this.checkAll().finally(() => {
                if (this.running)
                    this.scheduleChecks();
            });
        }, this.config.healthCheck.intervalSeconds * 1000);
    }
    check(target) {
        target.probing ??= this.probe(target).finally(() => delete target.probing);
        return target.probing;
    }
    async probe(target) {
        const outcome = await this.options.probe(target.registration, this.config.healthCheck);
        // Deregistered (or registered anew) while the check ran: the result is about another target.
        if (this.targets.get(target.registration.id) !== target || target.state === 'draining')
            return;
        if (this.apply(target, outcome))
            this.options.onChange();
    }
    /** The thresholds: healthyThresholdCount passes in a row make a target healthy, unhealthyThresholdCount failures unhealthy. */
    apply(target, outcome) {
        const before = JSON.stringify(this.view(target));
        target.checks++;
        target.streak = target.lastPassed === outcome.healthy ? target.streak + 1 : 1;
        target.lastPassed = outcome.healthy;
        const { healthyThresholdCount, unhealthyThresholdCount } = this.config.healthCheck;
        if (outcome.healthy) {
            if (target.streak >= healthyThresholdCount) {
                target.state = 'healthy';
                delete target.failure;
            }
        }
        else {
            target.failure = outcome;
            if (target.streak >= unhealthyThresholdCount)
                target.state = 'unhealthy';
        }
        return JSON.stringify(this.view(target)) !== before;
    }
    remove(target) {
        if (this.targets.get(target.registration.id) !== target)
            return;
        this.options.clock.clearTimeout(target.drainTimer);
        this.targets.delete(target.registration.id);
        this.options.onChange();
    }
    view(target) {
        const { id, address, port, service } = target.registration;
        const base = { id, address, port, service };
        if (target.state === 'draining')
            return { ...base, state: 'draining', ...TARGET_REASONS.draining };
        if (!this.inUse)
            return { ...base, state: 'unused', ...TARGET_REASONS.notInUse };
        if (target.state === 'healthy')
            return { ...base, state: 'healthy' };
        if (target.state === 'unhealthy')
            return { ...base, state: 'unhealthy', reason: target.failure.reason, description: target.failure.description };
        return { ...base, state: 'initial', ...(target.checks === 0 ? TARGET_REASONS.registering : TARGET_REASONS.initialChecks) };
    }
}
//# sourceMappingURL=targetSet.js.map