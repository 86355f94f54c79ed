import { silentLogger } from '../../log.js';
import { groupLabel, LABEL } from '../../runtime/labels.js';
import { buildConditions, validCondition } from '../conditions.js';
import { everyKey, EXIT_RECHECK_MS, groupOwner } from '../watches.js';
import { stoppedHistoryWith } from '../../state/ledger.js';
import { clusterNetwork, requiredHostPorts, usesClusterNetwork } from '../../taskspec/containerSpecs.js';
import { hostPortConflicts, hostPortPlacementFailure, hostPortsTakenReason } from '../../scheduler/hostPorts.js';
import { observeHostPorts } from '../../observer/hostPorts.js';
import { RUNTIME_PLATFORM_MISMATCH } from '../../taskspec/runtimePlatform.js';
import { checkEnginePlatform, resolveLaunchTarget, TASK_POLICY_DENIED } from '../../scheduler/launchTarget.js';
import { observeGroup } from '../../observer/observeGroup.js';
import { engineOutageLookup } from '../../observer/engineStops.js';
import { newlyStoppedTasks, taskSummary } from '../../observer/summary.js';
import { inPlaceRestarts, unhealthyStops } from '../supervision.js';
import { engineAddress, engineAddresses } from '../engineAddress.js';
import { randomTaskId } from '../taskIds.js';
import { stoppedTaskEvents } from './stopEvents.js';
import { countsHealthy } from './health.js';
import { planService } from './plan.js';
import { UNSTABLE_AFTER_FAILURES } from './rollout.js';
import { retirementKey } from '../../keys.js';
/** What the service controller is reconciled for, besides its own manifests. */
export const SERVICE_WATCHES = {
    // Where the service's tasks belong follows its cluster and capacity provider.
    manifests: { Cluster: everyKey('Service'), CapacityProvider: everyKey('Service') },
    containers: { keys: groupOwner('service'), recheckAfterExitMs: EXIT_RECHECK_MS },
    everyKeyOnEngineReturn: true,
};
/**
 * The service controller: keeps desiredCount tasks of the service's task
 * definition running, replaces tasks that stop, scales in and out, and reports
 * the service's status and ECS-style events. It decides which tasks stop; the
 * retirement controller stops them. It observes, then plans (planServicePass); the
 * executor carries the actions out.
 */
export class ServiceController {
    ctx;
    newTaskId;
    kind = 'Service';
    watches = SERVICE_WATCHES;
    constructor(ctx, newTaskId = randomTaskId) {
        this.ctx = ctx;
        this.newTaskId = newTaskId;
    }
    async reconcile(name, log) {
        const { ctx } = this;
        const group = groupLabel('service', name);
        // Launches are snapshotted before listing: a launch that finishes while the engine is
        // being listed is then still counted, even if the list was taken before its create.
        const launching = new Map(ctx.execution.launching(group));
        const resource = ctx.store.get('Service', name);
        const resolved = resource ? await checkEnginePlatform(resolveLaunchTarget(ctx, resource.manifest.spec, 'Steady'), 'Steady') : undefined;
        const target = resolved && !('problem' in resolved) ? resolved : undefined;
        const { tasks, runtimeOf } = await observeGroup(ctx, group, target?.runtime);
        for (const task of tasks)
            ctx.registry.observeRevision(task.family, task.revision);
        const pass = {
            name,
            group,
            resource,
            mayDefine: ctx.store.mayDefine('Service', name),
            resolved,
            tasks,
            engineOf: engineAddresses(ctx, runtimeOf),
            targetEngine: target && engineAddress(ctx, target.runtime),
            engineOutageOf: engineOutageLookup(ctx, runtimeOf),
            outage: target && ctx.engines.currentOutage(target.runtime),
            hostPortsInUse: undefined,
            launching,
            placementFailure: ctx.execution.placementFailure(group),
            refusalTold: ctx.execution.refusalTold(group),
            ledger: ctx.ledger.get(group),
            now: ctx.clock.now(),
            options: ctx.options,
            newTaskId: this.newTaskId,
            log,
        };
        // Which host ports are taken is asked only when a task with fixed ones is to be placed:
        // a silent first pass says whether one is (the plan is pure, so planning twice is safe).
        const fixedPorts = target !== undefined && requiredHostPorts(target.revision.spec).length > 0;
        const askPorts = fixedPorts && planServicePass({ ...pass, log: silentLogger }).needsHostPorts;
        return planServicePass({ ...pass, hostPortsInUse: askPorts ? await observeHostPorts(target.runtime, true) : undefined }).result;
    }
}
/**
 * One pass of a service, pure: the actions that close the gap between the Service
 * manifest and its tasks, in the order the executor applies them, ending with the status.
 * The ledger is read as it will be once the actions before are applied.
 */
export function planServicePass(input) {
    const pass = new ServicePass(input);
    const result = pass.plan();
    return { result, needsHostPorts: pass.needsHostPorts };
}
/** The actions of one pass, with the ledger as they will leave it (stop requests, stopped tasks, newest event). */
class ServicePass {
    input;
    actions = [];
    stopRequested;
    stopped;
    newestEvent;
    /** When a task failing its health checks within the grace period is to be looked at again. */
    graceRecheckMs;
    placementFailure;
    owner;
    /** A task with fixed host ports was to be placed, and the ports in use were not observed. */
    needsHostPorts = false;
    constructor(input) {
        this.input = input;
        this.stopRequested = new Set(Object.keys(input.ledger.stopRequests));
        this.stopped = input.ledger.stopped;
        this.newestEvent = input.ledger.events[0]?.message;
        this.placementFailure = input.placementFailure;
        this.owner = { kind: 'Service', name: input.name, group: input.group };
    }
    plan() {
        const { input } = this;
        const { resource, resolved, log } = input;
        this.recordStopped();
        if (resource)
            this.supervise();
        if (!resource || !resolved) {
            if (input.mayDefine) {
                log.warn('no valid spec of this service can be read; its tasks keep running until its file is fixed or removed');
                return { actions: this.actions };
            }
            return this.drain();
        }
        if ('problem' in resolved) {
            this.announceRefusal(resolved.problem);
            return this.finish(this.status(resource, undefined, resolved.problem));
        }
        if (input.refusalTold !== undefined)
            this.actions.push({ type: 'noteRefusal', group: input.group, message: undefined });
        // A launch on an engine that is going away or not back yet could only fail: the
        // engine's return requeues the service.
        if (input.outage) {
            log.info({ engine: input.outage.engine }, 'engine unreachable; launches wait for it');
            const since = new Date(input.outage.from).toISOString();
            const problem = { type: 'Steady', reason: 'EngineUnreachable', message: `Engine ${input.outage.engine} has not answered since ${since}; tasks are launched once it answers again.` };
            return this.finish(this.status(resource, undefined, problem));
        }
        return this.converge(resource, resolved);
    }
    /** Tasks that finished stopping enter the history; the executor tells their events. */
    recordStopped() {
        const { input } = this;
        const newly = newlyStoppedTasks({
            ledger: input.ledger,
            tasks: input.tasks,
            now: input.now,
            stableAfterMs: input.options.stableAfterMs,
            engineOutageOf: input.engineOutageOf,
            launching: new Set(input.launching.keys()),
        });
        if (newly.length === 0)
            return;
        this.actions.push({ type: 'recordStopped', group: input.group, stopped: newly });
        this.stopped = stoppedHistoryWith(this.stopped, newly);
        this.newestEvent = stoppedTaskEvents(input.name, newly).at(-1) ?? this.newestEvent;
        const byEngine = newly.filter((t) => t.byEngine);
        if (byEngine.length)
            input.log.info({ tasks: byEngine.map((t) => t.taskId), reason: byEngine[0].stoppedReason }, 'tasks stopped by their engine; not counted as task failures');
    }
    /** Exited containers restart in place; unhealthy tasks are stopped, to be replaced in this same pass. */
    supervise() {
        const { input } = this;
        const supervision = { group: input.group, tasks: input.tasks, stopRequested: this.stopRequested, owner: `service ${input.name}` };
        this.actions.push(...inPlaceRestarts({ ...supervision, engineOf: input.engineOf }));
        const graceSeconds = input.resource?.manifest.spec.healthCheckGracePeriodSeconds ?? 0;
        const unhealthy = unhealthyStops({ ...supervision, now: input.now, graceMs: graceSeconds * 1000 });
        this.graceRecheckMs = unhealthy.recheckAfterMs;
        if (unhealthy.taskIds.length === 0)
            return;
        this.push(...unhealthy.actions);
        for (const taskId of unhealthy.taskIds)
            this.stopRequested.add(taskId);
        input.log.info({ tasks: unhealthy.taskIds }, 'stopping unhealthy tasks');
        this.actions.push({ type: 'enqueue', key: retirementKey(input.group) });
    }
    push(...actions) {
        for (const action of actions) {
            this.actions.push(action);
            if (action.type === 'addEvent')
                this.newestEvent = action.message;
        }
    }
    event(message) {
        this.push({ type: 'addEvent', group: this.input.group, message, at: this.input.now });
    }
    requestStops(stops) {
        for (const stop of stops) {
            this.actions.push({ type: 'requestStop', group: this.input.group, taskId: stop.taskId, request: { stopCode: stop.stopCode, reason: stop.reason, requestedAt: this.input.now } });
            this.stopRequested.add(stop.taskId);
        }
    }
    /** The Service manifest is gone: stop every task; the ledger goes once the containers are gone. */
    drain() {
        const { input } = this;
        const planned = this.plannedTasks(input.launching, undefined);
        const plan = planService({ tasks: planned, stopped: [], now: input.now, options: input.options.service });
        if (plan.stop.length) {
            this.requestStops(plan.stop);
            input.log.info({ tasks: plan.stop.map((s) => s.taskId) }, 'service deleted: stopping its tasks');
        }
        if (planned.length > 0)
            this.actions.push({ type: 'enqueue', key: retirementKey(input.group) });
        return { actions: this.actions };
    }
    /**
     * A task definition the cluster's task policy refuses: the service says so once, as an
     * ECS service event, and launches nothing. Its running tasks are left alone, and nothing
     * counts toward the crash-loop throttle (no task was started); it is tried again when the
     * Cluster or the TaskDefinition manifest changes, the only things that can change the answer.
     */
    announceRefusal(problem) {
        const { input } = this;
        const { group } = input;
        // An engine without the task's runtimePlatform is told the same way: once, until it changes.
        if (problem.reason !== TASK_POLICY_DENIED && problem.reason !== RUNTIME_PLATFORM_MISMATCH) {
            if (input.refusalTold !== undefined)
                this.actions.push({ type: 'noteRefusal', group, message: undefined });
            return;
        }
        if (input.refusalTold === problem.message)
            return;
        this.actions.push({ type: 'noteRefusal', group, message: problem.message });
        const message = `(service ${input.name}) was unable to ${problem.reason === TASK_POLICY_DENIED ? 'start' : 'place'} a task: ${problem.message}.`;
        // After a controller restart the same refusal is already the newest event.
        if (this.newestEvent !== message)
            this.event(message);
        input.log.warn({ reason: problem.message }, problem.reason === TASK_POLICY_DENIED ? 'task definition refused by the task policy' : 'task cannot be placed on the engine');
    }
    /** Scale, replace, restart what stalled, and launch what fits. */
    converge(resource, target) {
        const { input } = this;
        const { group, name, now, log } = input;
        const placement = { cluster: target.cluster, provider: target.provider };
        const planned = this.plannedTasks(input.launching, placement);
        const desiredCount = resource.manifest.spec.desiredCount ?? 1;
        const plan = planService({
            desired: { desiredCount, revision: target.revision.revision },
            tasks: planned,
            // The crash-loop throttle looks at the revision being launched: a fixed revision starts at once.
            stopped: this.stopped.filter((t) => t.taskDefinition === `${target.family}:${target.revision.revision}`),
            now,
            options: rolloutOptions(input.options.service, resource.manifest.spec.deploymentConfiguration),
            ...(this.placementFailure ? { placementBlockedUntil: this.placementFailure.retryAt } : {}),
        });
        // Every wanted task runs: an old placement failure no longer says anything. (While the
        // leftovers of a launch the engine refused are still around, nothing is wanted either,
        // but the failure still holds: forgetting it would retry at once and repeat the event.)
        const runningNow = planned.filter((t) => !t.stopRequested && t.lastStatus === 'RUNNING').length;
        if (this.placementFailure && plan.launch === 0 && plan.placementWaitMs === undefined && runningNow >= desiredCount) {
            this.actions.push({ type: 'forgetPlacementFailure', group });
            this.placementFailure = undefined;
        }
        if (plan.stop.length) {
            this.requestStops(plan.stop);
            this.event(`(service ${name}) has stopped ${plan.stop.length} running tasks: ${plan.stop.map((s) => `(task ${s.taskId})`).join(' ')}.`);
            log.info({ tasks: plan.stop.map((s) => s.taskId), reason: plan.stop[0].reason }, 'stopping tasks');
            this.actions.push({ type: 'enqueue', key: retirementKey(group) });
        }
        const launched = new Map(input.launching);
        if (plan.start.length) {
            log.info({ tasks: plan.start }, 'starting adopted pending tasks');
            const network = usesClusterNetwork(target.revision.spec.networkMode ?? 'bridge');
            const engine = input.targetEngine ?? target.runtime.engine;
            if (network)
                this.actions.push({ type: 'ensureNetwork', engine, name: clusterNetwork(target.cluster), labels: { [LABEL.managed]: 'true', [LABEL.cluster]: target.cluster } });
            for (const taskId of plan.start) {
                this.actions.push({ type: 'resumeTask', owner: this.owner, engine, taskId, revision: target.revision.revision, at: now });
                launched.set(taskId, { revision: target.revision.revision, createdAt: now });
            }
        }
        if (plan.throttle && !this.newestEvent?.includes('unable to consistently start tasks') && plan.throttle.consecutiveFailures >= UNSTABLE_AFTER_FAILURES) {
            this.event(`(service ${name}) is unable to consistently start tasks successfully.`);
            log.warn({ consecutiveFailures: plan.throttle.consecutiveFailures, waitMs: plan.throttle.waitMs }, 'launches throttled');
        }
        for (const taskId of this.launch(this.placeable(plan.launch, target, launched.size > 0), target))
            launched.set(taskId, { revision: target.revision.revision, createdAt: now });
        const failure = this.placementFailure;
        const problem = plan.throttle
            ? {
                type: 'Steady',
                reason: 'TasksFailing',
                // The last failure's reason, so the condition itself says what to fix (a policy refusal names the rule and the field).
                message: `${plan.throttle.consecutiveFailures} tasks in a row failed to start; next launch in ${Math.ceil(plan.throttle.waitMs / 1000)} s${lastFailure(this.stopped)}`,
            }
            : failure
                ? { type: 'Steady', reason: 'PortInUse', message: `${failure.message} (${failure.detail})` }
                : undefined;
        const result = this.finish(this.status(resource, { target, observed: this.plannedTasks(launched, placement), desiredCount }, problem));
        const requeues = [plan.requeueAfterMs, failure ? Math.max(0, failure.retryAt - now) : undefined, this.graceRecheckMs].filter((ms) => ms !== undefined);
        if (requeues.length)
            result.requeueAfterMs = Math.min(...requeues);
        return result;
    }
    /**
     * How many of the planned launches can be placed now. A task with fixed host ports
     * fits on an engine only where none of them is taken, and only once: its own siblings
     * would take the same ports, so one launches at a time.
     */
    placeable(wanted, target, launching) {
        const { input } = this;
        if (wanted === 0 || requiredHostPorts(target.revision.spec).length === 0)
            return wanted;
        if (launching)
            return 0;
        if (input.hostPortsInUse === undefined) {
            this.needsHostPorts = true;
            return 0;
        }
        const conflicts = hostPortConflicts(target.revision.spec, input.hostPortsInUse);
        if (conflicts.length === 0)
            return 1;
        const failure = hostPortPlacementFailure({ service: input.name, engine: target.runtime.engine, detail: hostPortsTakenReason(conflicts), now: input.now, retryMs: input.options.placementRetryMs });
        this.actions.push({ type: 'placementFailed', group: input.group, failure });
        this.placementFailure = failure;
        return 0;
    }
    /** New tasks, announced before they launch unless placement is being retried (then each is told once placed). */
    launch(count, target) {
        if (count === 0)
            return [];
        const { input } = this;
        const taskIds = Array.from({ length: count }, () => input.newTaskId());
        const retryingPlacement = this.placementFailure !== undefined;
        if (!retryingPlacement)
            this.event(`(service ${input.name}) has started ${count} tasks: ${taskIds.map((id) => `(task ${id})`).join(' ')}.`);
        input.log.info({ count, taskDefinition: `${target.family}:${target.revision.revision}` }, 'launching tasks');
        this.actions.push({ type: 'launchTasks', owner: this.owner, taskIds, target, spec: target.revision.spec, at: input.now, announceWhenPlaced: retryingPlacement });
        return taskIds;
    }
    /** Observed tasks merged with launches still in progress (which the engine may not show yet). */
    plannedTasks(launching, placement) {
        const planned = this.input.tasks.map((t) => {
            const p = {
                taskId: t.taskId,
                revision: t.revision,
                lastStatus: t.lastStatus,
                createdAt: t.createdAt,
                inFlight: launching.has(t.taskId),
                stopRequested: this.stopRequested.has(t.taskId),
            };
            if (placement && (t.cluster !== placement.cluster || t.capacityProvider !== placement.provider))
                p.placedElsewhere = true;
            if (t.startedAt !== undefined)
                p.startedAt = t.startedAt;
            p.healthy = countsHealthy(t);
            return p;
        });
        for (const [taskId, launch] of launching) {
            if (planned.some((t) => t.taskId === taskId))
                continue;
            planned.push({ taskId, revision: launch.revision, lastStatus: 'PROVISIONING', createdAt: launch.createdAt, inFlight: true, stopRequested: this.stopRequested.has(taskId) });
        }
        return planned;
    }
    finish(status) {
        this.actions.push(...status);
        return this.graceRecheckMs === undefined ? { actions: this.actions } : { actions: this.actions, requeueAfterMs: this.graceRecheckMs };
    }
    /** The steady-state event (once per steady state), the conditions, then the status. */
    status(resource, state, problem) {
        const { input } = this;
        const { group, now, tasks } = input;
        const live = tasks.filter((t) => !this.stopRequested.has(t.taskId) && t.lastStatus !== 'STOPPED');
        const pendingStates = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);
        const inFlightOnly = (state?.observed ?? []).filter((t) => t.inFlight && !tasks.some((o) => o.taskId === t.taskId) && !t.stopRequested);
        const runningCount = live.filter((t) => t.lastStatus === 'RUNNING').length;
        const pendingCount = live.filter((t) => pendingStates.has(t.lastStatus)).length + inFlightOnly.length;
        const desiredCount = state?.desiredCount ?? resource.manifest.spec.desiredCount ?? 1;
        // Outdated as the plan sees it: another revision, or another cluster or capacity provider.
        const currentRevision = state?.target.revision.revision;
        const outdated = (state?.observed ?? []).some((t) => !t.stopRequested && live.some((l) => l.taskId === t.taskId) && (t.revision !== currentRevision || t.placedElsewhere === true));
        const steady = !problem && runningCount === desiredCount && pendingCount === 0 && !outdated;
        const actions = [];
        if (steady !== input.ledger.steady)
            actions.push({ type: 'setSteady', group, steady });
        if (steady && !input.ledger.steady)
            actions.push({ type: 'addEvent', group, message: `(service ${resource.name}) has reached a steady state.`, at: now });
        const conditionInputs = [
            validCondition(resource.errors, 'the last valid spec stays in force'),
            problem
                ? { ...problem, status: 'False' }
                : steady
                    ? { type: 'Steady', status: 'True', reason: 'SteadyState', message: `${runningCount} of ${desiredCount} tasks running.` }
                    : {
                        type: 'Steady',
                        status: 'False',
                        reason: outdated ? 'Deploying' : runningCount + pendingCount < desiredCount || pendingCount > 0 ? 'ScalingUp' : 'ScalingDown',
                        message: `${runningCount} of ${desiredCount} tasks running, ${pendingCount} pending.`,
                    },
        ];
        const conditions = buildConditions(conditionInputs, input.ledger.conditions, now);
        actions.push({ type: 'setConditions', group, conditions });
        const status = {
            status: 'ACTIVE',
            ...(state ? { taskDefinition: `${state.target.family}:${state.target.revision.revision}` } : {}),
            desiredCount,
            runningCount,
            pendingCount,
            tasks: [
                ...live
                    .slice()
                    .sort((a, b) => a.createdAt - b.createdAt || a.taskId.localeCompare(b.taskId))
                    .map((t) => taskSummary(t, 'RUNNING')),
                ...inFlightOnly.map((t) => ({
                    taskId: t.taskId,
                    taskDefinition: `${state?.target.family}:${t.revision}`,
                    lastStatus: 'PROVISIONING',
                    desiredStatus: 'RUNNING',
                    createdAt: new Date(t.createdAt).toISOString(),
                    containers: [],
                })),
            ],
            // Both are the ledger's as the executor finds it when it writes (see `history`).
            stoppedTasks: [],
            events: [],
            conditions,
        };
        const { statusStoppedTasks, statusEvents } = input.options;
        actions.push({ type: 'writeStatus', write: { file: resource.file, kind: 'Service', name: resource.name, status }, history: { group, events: statusEvents, stoppedTasks: statusStoppedTasks } });
        return actions;
    }
}
/** The controller's rollout defaults, with the service's own maximumPercent and minimumHealthyPercent. */
function rolloutOptions(defaults, config) {
    return {
        ...defaults,
        ...(config?.maximumPercent !== undefined ? { maximumPercent: config.maximumPercent } : {}),
        ...(config?.minimumHealthyPercent !== undefined ? { minimumHealthyPercent: config.minimumHealthyPercent } : {}),
    };
}
/** ": <reason>" of the newest failed task, for the TasksFailing condition; empty when there is none. */
function lastFailure(stopped) {
    const reason = stopped.find((t) => t.failed)?.stoppedReason;
    return reason ? `; last failure: ${reason}` : '';
}
//# sourceMappingURL=controller.js.map