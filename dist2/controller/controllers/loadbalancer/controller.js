import { DEFAULT_BIND_ADDRESS } from '../../kinds/index.js';
import { targetGroupConfig } from '../../kinds/index.js';
import { formatManifestError } from '../../store/parse.js';
import { errorAtField } from '../../store/fieldPosition.js';
import { buildConditions, validCondition } from '../conditions.js';
import { writeStatus } from '../context.js';
import { everyKey } from '../watches.js';
/** A listener that could not bind is tried again this often (the port may be freed). */
export const LISTENER_RETRY_MS = 10_000;
/** What the loadbalancer controller is reconciled for, besides its own manifests. */
export const LOAD_BALANCER_WATCHES = { manifests: { TargetGroup: everyKey('LoadBalancer') } };
/**
 * Binds the listeners of a LoadBalancer manifest in the controller's balancer, closes them
 * when the manifest goes, and reports each listener's state; a listener that cannot bind
 * or forwards where it cannot names the field to fix, with its file and line.
 */
export class LoadBalancerController {
    ctx;
    balancer;
    kind = 'LoadBalancer';
    watches = LOAD_BALANCER_WATCHES;
    conditions = new Map();
    constructor(ctx, balancer) {
        this.ctx = ctx;
        this.balancer = balancer;
    }
    async reconcile(name, log) {
        const resource = this.ctx.store.get('LoadBalancer', name);
        if (!resource) {
            await this.balancer.removeLoadBalancer(name);
            this.conditions.delete(name);
            return {};
        }
        const listeners = resource.manifest.spec.listeners;
        const states = await this.balancer.applyLoadBalancer(name, listeners.map(listenerSpec));
        const bindProblems = await Promise.all(states.flatMap((state, index) => (state.state === 'failed' ? [this.errorAt(resource, ['spec', 'listeners', index, 'port'], `${state.reason}; the listener is tried again every ${LISTENER_RETRY_MS / 1000} s`)] : [])));
        if (bindProblems.length)
            log.warn({ problems: bindProblems.map(formatManifestError) }, 'listeners not bound');
        const forwardProblems = await this.forwardProblems(resource);
        const conditions = buildConditions([
            validCondition(resource.errors, 'the last valid spec stays in force'),
            bindProblems.length
                ? { type: 'Listening', status: 'False', reason: 'ListenerNotBound', message: bindProblems.map(formatManifestError).join('; ') }
                : { type: 'Listening', status: 'True', reason: 'AllListenersBound', message: `${states.length} listeners accept connections.` },
            forwardProblems.length
                ? { type: 'TargetGroupsResolved', status: 'False', reason: 'InvalidForwardAction', message: forwardProblems.map(formatManifestError).join('; ') }
                : { type: 'TargetGroupsResolved', status: 'True', reason: 'AllResolved', message: 'Every forward action names a target group of the listener protocol.' },
        ], this.conditions.get(name) ?? [], this.ctx.clock.now());
        this.conditions.set(name, conditions);
        await writeStatus(this.ctx.status, { file: resource.file, kind: 'LoadBalancer', name }, { listeners: states, conditions });
        return bindProblems.length ? { requeueAfterMs: LISTENER_RETRY_MS } : {};
    }
    /** Target groups a forward action names that do not exist, or use the other protocol. */
    async forwardProblems(resource) {
        const problems = [];
        resource.manifest.spec.listeners.forEach((listener, l) => {
            listener.defaultActions[0].targetGroups.forEach(({ targetGroup }, g) => {
                const path = ['spec', 'listeners', l, 'defaultActions', 0, 'targetGroups', g, 'targetGroup'];
                const group = this.ctx.store.get('TargetGroup', targetGroup);
                if (!group)
                    problems.push(this.errorAt(resource, path, `TargetGroupNotFound: target group ${targetGroup} is not defined by any TargetGroup manifest`));
                else if (targetGroupConfig(group.manifest.spec).protocol !== listener.protocol) {
                    problems.push(this.errorAt(resource, path, `a ${listener.protocol} listener cannot forward to target group ${targetGroup}, whose protocol is ${targetGroupConfig(group.manifest.spec).protocol}`));
                }
            });
        });
        return Promise.all(problems);
    }
    errorAt(resource, path, message) {
        return errorAtField(resource, this.ctx.store.display(resource.file), path, message);
    }
}
function listenerSpec(listener) {
    return {
        port: listener.port,
        protocol: listener.protocol,
        bindAddress: listener.bindAddress ?? DEFAULT_BIND_ADDRESS,
        forward: listener.defaultActions[0].targetGroups.map((g) => ({ name: g.targetGroup, weight: g.weight ?? 1 })),
    };
}
//# sourceMappingURL=controller.js.map