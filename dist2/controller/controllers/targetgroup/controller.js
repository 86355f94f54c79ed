import { targetGroupConfig } from '../../kinds/index.js';
import { formatManifestError } from '../../store/parse.js';
import { errorAtField } from '../../store/fieldPosition.js';
import { key, parseGroup } from '../../keys.js';
import { groupLabel, LABEL } from '../../runtime/labels.js';
import { observeGroup } from '../../observer/observeGroup.js';
import { buildConditions, validCondition } from '../conditions.js';
import { writeStatus } from '../context.js';
import { everyKey, EXIT_RECHECK_MS } from '../watches.js';
import { loadBalancerProblem, registrationEvents, taskTarget, unhealthyEvents } from './plan.js';
/** A change of any service's container may add or remove a target of any group. */
function everyTargetGroupForServiceContainers(labels, store) {
    return parseGroup(labels[LABEL.group])?.kind === 'service' ? store.list('TargetGroup').map((g) => key('TargetGroup', g.name)) : [];
}
/** What the targetgroup controller is reconciled for, besides its own manifests. */
export const TARGET_GROUP_WATCHES = {
    manifests: { Service: everyKey('TargetGroup'), TaskDefinition: everyKey('TargetGroup'), LoadBalancer: everyKey('TargetGroup') },
    containers: { keys: everyTargetGroupForServiceContainers, recheckAfterExitMs: EXIT_RECHECK_MS },
    everyKeyOnEngineReturn: true,
};
/**
 * Registers the RUNNING tasks of every Service whose loadBalancers name the group as its
 * targets, deregisters those that stop or are being stopped, and reports the targets'
 * health in ELB's words and the registrations as ECS's service events.
 */
export class TargetGroupController {
    ctx;
    balancer;
    kind = 'TargetGroup';
    watches = TARGET_GROUP_WATCHES;
    /** Per group: each target's state when last reported, so an event tells a change once. */
    reportedStates = new Map();
    /** Per group: the loadBalancers problems already told as service events. */
    toldProblems = new Map();
    conditions = new Map();
    constructor(ctx, balancer) {
        this.ctx = ctx;
        this.balancer = balancer;
    }
    async reconcile(name, log) {
        const resource = this.ctx.store.get('TargetGroup', name);
        if (!resource) {
            this.balancer.removeTargetGroup(name);
            this.reportedStates.delete(name);
            this.toldProblems.delete(name);
            this.conditions.delete(name);
            return {};
        }
        this.balancer.configureTargetGroup(name, targetGroupConfig(resource.manifest.spec));
        const { entries, problems } = await this.serviceEntries(name);
        const wanted = (await Promise.all(entries.map((e) => this.runningTargets(e)))).flat();
        const change = this.balancer.registerTargets(name, wanted);
        if (change.registered.length || change.deregistered.length) {
            log.info({ registered: change.registered.map((t) => t.id), deregistered: change.deregistered.map((t) => t.id) }, 'targets changed');
        }
        const targets = this.balancer.describeTargets(name);
        const events = [...registrationEvents(name, change), ...unhealthyEvents(name, this.reportedStates.get(name) ?? new Map(), targets), ...this.newProblemEvents(name, problems)];
        this.reportedStates.set(name, new Map(targets.map((t) => [t.id, t.state])));
        await this.writeStatus(resource, entries, problems);
        return { actions: this.eventActions(events) };
    }
    /** The Services that name this group, each entry checked; the ones that cannot be served, as file:line errors. */
    async serviceEntries(name) {
        const entries = [];
        const problems = [];
        for (const service of this.ctx.store.list('Service')) {
            const named = (service.manifest.spec.loadBalancers ?? []).map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.targetGroup === name);
            // The task definition missing is the service's own problem, told in its status.
            const revision = this.ctx.registry.resolve(service.manifest.spec.taskDefinition);
            for (const { entry, index } of named) {
                const problem = revision ? loadBalancerProblem(entry, index, revision.spec) : undefined;
                if (problem)
                    problems.push(await errorAtField(service, this.ctx.store.display(service.file), problem.path, problem.message));
                else if (entries.some((e) => e.service === service)) {
                    problems.push(await errorAtField(service, this.ctx.store.display(service.file), ['spec', 'loadBalancers', index], `target group ${name} is already named by another entry of this service: a task is registered in a group once`));
                }
                else
                    entries.push({ service, entry });
            }
        }
        return { entries, problems };
    }
    /** The service's tasks that take traffic: RUNNING, and neither asked to stop nor stopping. */
    async runningTargets({ service, entry }) {
        const { ctx } = this;
        const group = groupLabel('service', service.name);
        const { tasks } = await observeGroup(ctx, group, undefined);
        const stopRequests = ctx.ledger.get(group).stopRequests;
        return tasks.flatMap((task) => {
            if (task.lastStatus !== 'RUNNING' || stopRequests[task.taskId] || ctx.execution.isStopping(task.taskId))
                return [];
            const networkMode = ctx.registry.resolve(`${task.family}:${task.revision}`)?.spec.networkMode;
            const target = taskTarget(task, entry, networkMode);
            return target ? [{ id: task.taskId, ...target, service: service.name }] : [];
        });
    }
    /** A problem is told once as a service event while it lasts; it stays in the group's conditions. */
    newProblemEvents(name, problems) {
        const told = this.toldProblems.get(name) ?? new Set();
        const current = new Set(problems.map(formatManifestError));
        const events = problems
            .filter((p) => !told.has(formatManifestError(p)))
            .map((p) => ({ service: p.name, message: `(service ${p.name}) cannot register its tasks in (target-group ${name}): ${formatManifestError(p)}` }));
        this.toldProblems.set(name, current);
        return events;
    }
    /** Events go to services that still exist; each such service's status is written again to show them. */
    eventActions(events) {
        const present = events.filter((e) => this.ctx.store.get('Service', e.service));
        const at = this.ctx.clock.now();
        const actions = present.map((e) => ({ type: 'addEvent', group: groupLabel('service', e.service), message: e.message, at }));
        for (const service of new Set(present.map((e) => e.service)))
            actions.push({ type: 'enqueue', key: key('Service', service) });
        return actions;
    }
    async writeStatus(resource, entries, problems) {
        const { ctx } = this;
        const name = resource.name;
        const inputs = [
            validCondition(resource.errors, 'the last valid spec stays in force'),
            problems.length
                ? { type: 'ServicesResolved', status: 'False', reason: 'InvalidLoadBalancer', message: problems.map(formatManifestError).join('; ') }
                : { type: 'ServicesResolved', status: 'True', reason: 'AllResolved', message: `${entries.length} services register their tasks.` },
        ];
        const conditions = buildConditions(inputs, this.conditions.get(name) ?? [], ctx.clock.now());
        this.conditions.set(name, conditions);
        const status = {
            protocol: targetGroupConfig(resource.manifest.spec).protocol,
            services: [...new Set([...entries.map((e) => e.service.name), ...problems.map((p) => p.name)])].sort(),
            loadBalancers: this.balancer.loadBalancersOf(name),
            targets: this.balancer.describeTargets(name),
            conditions,
        };
        await writeStatus(ctx.status, { file: resource.file, kind: 'TargetGroup', name }, status);
    }
}
//# sourceMappingURL=controller.js.map