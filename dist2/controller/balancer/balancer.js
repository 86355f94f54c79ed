import { errorMessage } from '../errors.js';
import { probeTarget } from './healthCheck.js';
import { HttpListener } from './httpListener.js';
import { WeightedRouter } from './router.js';
import { TcpListener } from './tcpListener.js';
import { TargetSet } from './targetSet.js';
export class Balancer {
    options;
    groups = new Map();
    /** By "address:port". */
    listeners = new Map();
    stopped = false;
    constructor(options) {
        this.options = options;
    }
    /** Creates the group or updates its settings; health checks start at once. */
    configureTargetGroup(name, config) {
        const known = this.groups.get(name);
        if (known) {
            known.configure(config);
            return known;
        }
        const set = new TargetSet({ name, config, clock: this.options.clock, probe: this.options.probe ?? probeTarget, onChange: () => this.options.onTargetGroupChange(name) });
        this.groups.set(name, set);
        set.setInUse(this.forwardsTo(name));
        if (!this.stopped)
            set.start();
        return set;
    }
    removeTargetGroup(name) {
        this.groups.get(name)?.stop();
        this.groups.delete(name);
    }
    registerTargets(group, wanted) {
        const set = this.groups.get(group);
        if (!set)
            throw new Error(`target group ${group} is not configured`);
        return set.reconcile(wanted);
    }
    targetHealth(group, taskId) {
        return this.groups.get(group)?.health(taskId);
    }
    describeTargets(group) {
        return this.groups.get(group)?.describe() ?? [];
    }
    /** The LoadBalancers with a listener that forwards to the group. */
    loadBalancersOf(group) {
        return [...new Set([...this.listeners.values()].filter((l) => l.spec.forward.some((f) => f.name === group)).map((l) => l.owner))].sort();
    }
    /**
     * Makes the LoadBalancer's listeners these: new ones are bound, gone ones closed, changed
     * forward actions take effect on the next request. Returns each listener's state.
     */
    async applyLoadBalancer(owner, specs) {
        const wanted = new Map(specs.map((s) => [listenerKey(s), s]));
        for (const [key, listener] of this.listeners) {
            const spec = wanted.get(key);
            if (listener.owner === owner && (!spec || spec.protocol !== listener.spec.protocol))
                await this.closeListener(key);
        }
        const states = [];
        for (const spec of specs)
            states.push(await this.ensureListener(owner, spec));
        this.updateGroupsInUse();
        return states;
    }
    async removeLoadBalancer(owner) {
        for (const [key, listener] of this.listeners)
            if (listener.owner === owner)
                await this.closeListener(key);
        this.updateGroupsInUse();
    }
    /** Closes every listener (in-flight requests get the grace period) and stops health checks. */
    async stop() {
        this.stopped = true;
        await Promise.all([...this.listeners.keys()].map((key) => this.closeListener(key)));
        for (const set of this.groups.values())
            set.stop();
    }
    async ensureListener(owner, spec) {
        const key = listenerKey(spec);
        const status = { port: spec.port, protocol: spec.protocol, bindAddress: spec.bindAddress };
        const running = this.listeners.get(key);
        if (running && running.owner !== owner)
            return { ...status, state: 'failed', reason: `${key} is already a listener of LoadBalancer ${running.owner}` };
        if (running) {
            running.spec = spec;
            running.router.setGroups(spec.forward);
            return { ...status, state: 'active' };
        }
        if (this.stopped)
            return { ...status, state: 'failed', reason: 'the load balancer is shutting down' };
        const router = new WeightedRouter(spec.forward, {
            // A group of the other protocol takes no traffic: the loadbalancer controller reports it.
            hasHealthyTarget: (group) => this.groups.get(group)?.protocol === spec.protocol && this.groups.get(group).hasHealthyTarget(),
            pick: (group, exclude) => this.groups.get(group)?.pick(exclude),
        });
        const logger = this.options.logger.child({ listener: key });
        const server = spec.protocol === 'HTTP' ? new HttpListener({ host: spec.bindAddress, port: spec.port }, router, logger) : new TcpListener({ host: spec.bindAddress, port: spec.port }, router, logger);
        try {
            await server.listen();
        }
        catch (error) {
            return { ...status, state: 'failed', reason: bindFailure(spec, error) };
        }
        this.listeners.set(key, { owner, spec, router, server });
        this.options.logger.info({ loadBalancer: owner, listener: key, protocol: spec.protocol }, 'listener bound');
        return { ...status, state: 'active' };
    }
    async closeListener(key) {
        const listener = this.listeners.get(key);
        if (!listener)
            return;
        this.listeners.delete(key);
        await listener.server.close(this.options.closeGraceMs ?? 10_000);
        this.options.logger.info({ loadBalancer: listener.owner, listener: key }, 'listener closed');
    }
    forwardsTo(group) {
        return [...this.listeners.values()].some((l) => l.spec.forward.some((f) => f.name === group));
    }
    updateGroupsInUse() {
        for (const [name, set] of this.groups)
            set.setInUse(this.forwardsTo(name));
    }
}
function listenerKey(spec) {
    return `${spec.bindAddress}:${spec.port}`;
}
function bindFailure(spec, error) {
    const code = error.code;
    if (code === 'EADDRINUSE')
        return `port ${spec.port} on ${spec.bindAddress} is already in use`;
    if (code === 'EADDRNOTAVAIL')
        return `${spec.bindAddress} is not an address of this host`;
    if (code === 'EACCES')
        return `binding port ${spec.port} needs privileges the controller lacks`;
    return `cannot listen on ${spec.bindAddress}:${spec.port}: ${errorMessage(error)}`;
}
//# sourceMappingURL=balancer.js.map