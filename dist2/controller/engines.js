import { Subject } from 'rxjs';
/** The capacity provider every cluster can use without a manifest: the local Docker engine. */
export const LOCAL_PROVIDER = 'local';
/** Outages remembered per engine: enough for the tasks stopped by the last few restarts. */
const OUTAGES_KEPT = 10;
/**
 * How long before the engine was first found unreachable a container's stop still counts
 * as the engine's. A stopping dockerd refuses new connections at once, then stops its
 * containers (SIGTERM, then SIGKILL after their stop timeout, within its shutdown-timeout),
 * so their finish times fall after the first refused request; the margin covers the time
 * between a stop and the controller's next request, and clocks that round differently.
 */
export const ENGINE_STOP_MARGIN_MS = 5000;
/**
 * The address an engine is reached at, so two providers naming the same engine
 * (the built-in `local` and a provider with socketPath /var/run/docker.sock) share
 * one runtime: its containers are listed, and acted on, once.
 */
export function engineAddress(engine, env = process.env) {
    if (engine?.socketPath)
        return `unix://${engine.socketPath}`;
    if (engine?.host)
        return engine.host;
    return env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}
/**
 * One runtime per Docker engine, made when the first capacity provider names it
 * and closed when the last one stops naming it. Events of all engines come out merged.
 */
export class EnginePool {
    options;
    engines = new Map();
    providers = new Map();
    eventsSubject = new Subject();
    events = this.eventsSubject.asObservable();
    constructor(options) {
        this.options = options;
    }
    /** The runtime of a provider, creating or switching it to match `engine`. */
    ensure(provider, engine) {
        const address = engineAddress(engine);
        const previous = this.providers.get(provider);
        if (previous !== undefined && previous !== address) {
            this.release(provider).catch((error) => this.options.logger.warn({ engine: previous, err: error }, 'closing the previous engine failed'));
        }
        this.providers.set(provider, address);
        let entry = this.engines.get(address);
        if (!entry) {
            const runtime = this.options.factory({ provider, engine, logger: this.options.logger });
            const outages = [];
            const subscription = runtime.events().subscribe({
                next: (event) => {
                    this.noteReachability(address, outages, event);
                    this.eventsSubject.next({ address, event });
                },
                error: (error) => this.options.logger.error({ engine: address, err: error }, 'engine event stream failed'),
            });
            entry = { runtime, subscription, providers: new Set(), outages };
            this.engines.set(address, entry);
        }
        entry.providers.add(provider);
        return entry.runtime;
    }
    noteReachability(address, outages, event) {
        if (event.type === 'unreachable') {
            outages.push({ engine: address, from: event.since });
            if (outages.length > OUTAGES_KEPT)
                outages.shift();
            this.options.logger.warn({ engine: address, reason: event.reason }, 'engine unreachable');
        }
        else if (event.type === 'reachable') {
            const open = outages.at(-1);
            if (open && open.to === undefined)
                open.to = event.at;
            else
                outages.push({ engine: address, from: event.since, to: event.at });
            this.options.logger.info({ engine: address, unreachableMs: event.at - event.since }, 'engine answers again');
        }
    }
    /**
     * The outage of `runtime`'s engine that explains a task's stop: the task was running
     * when the engine went away, and stopped while it was away (a stopping engine refuses
     * requests before it stops its containers). Undefined when the engine answered all along.
     */
    outageOf(runtime, task) {
        const entry = [...this.engines.values()].find((e) => e.runtime === runtime);
        return entry?.outages.find((o) => task.startedAt < o.from &&
            task.stoppedAt >= o.from - ENGINE_STOP_MARGIN_MS &&
            (o.to === undefined || task.stoppedAt <= o.to + ENGINE_STOP_MARGIN_MS));
    }
    /** The outage `runtime`'s engine is in now, if it does not answer. */
    currentOutage(runtime) {
        const latest = [...this.engines.values()].find((e) => e.runtime === runtime)?.outages.at(-1);
        return latest && latest.to === undefined ? latest : undefined;
    }
    get(provider) {
        const address = this.providers.get(provider);
        return address === undefined ? undefined : this.engines.get(address)?.runtime;
    }
    /** Every engine once, whichever providers name it. */
    all() {
        return [...this.engines.entries()].map(([address, { runtime }]) => ({ address, runtime }));
    }
    /** The provider no longer exists; its engine closes when no other provider names it. */
    async remove(provider) {
        await this.release(provider);
    }
    async release(provider) {
        const address = this.providers.get(provider);
        this.providers.delete(provider);
        const entry = address === undefined ? undefined : this.engines.get(address);
        if (!entry || address === undefined)
            return;
        entry.providers.delete(provider);
        if (entry.providers.size > 0)
            return;
        this.engines.delete(address);
        entry.subscription.unsubscribe();
        await entry.runtime.close();
    }
    async close() {
        await Promise.all([...this.providers.keys()].map((provider) => this.release(provider)));
        this.eventsSubject.complete();
    }
}
//# sourceMappingURL=engines.js.map