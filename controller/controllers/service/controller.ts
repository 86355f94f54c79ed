import { randomBytes } from 'node:crypto';
import type { Condition, DeploymentConfiguration, ServiceStatus, TaskState } from '../../kinds/index.js';
import type { Logger } from '../../log.js';
import { groupLabel, LABEL } from '../../runtime/labels.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { StoredResource } from '../../store/store.js';
import { buildConditions, validCondition, type ConditionInput } from '../conditions.js';
import { writeStatus, type ControllerContext, type ReconcileResult, type Reconciler, type Watches } from '../context.js';
import { everyKey, EXIT_RECHECK_MS, groupOwner } from '../watches.js';
import type { StoppedTask } from '../../state/ledger.js';
import { requiredHostPorts } from '../../taskspec/containerSpecs.js';
import { ensureTaskNetwork, launchTask } from '../../executor/launcher.js';
import { hostPortConflicts, hostPortsTakenReason } from '../../scheduler/hostPorts.js';
import { observeHostPorts } from '../../observer/hostPorts.js';
import { RUNTIME_PLATFORM_MISMATCH } from '../../taskspec/runtimePlatform.js';
import { checkEnginePlatform, resolveLaunchTarget, TASK_POLICY_DENIED, type LaunchTarget } from '../../scheduler/launchTarget.js';
import { launchRequestFor } from '../../executor/launchRequest.js';
import { observeGroup } from '../../observer/observeGroup.js';
import { Launches } from '../../executor/launches.js';
import { restartExitedContainers, resumeTaskStart, stopUnhealthyTasks } from '../../executor/supervise.js';
import type { ObservedTask } from '../../observer/observe.js';
import { engineOutageLookup } from '../../observer/engineStops.js';
import { recordStoppedTasks, taskSummary } from '../../observer/summary.js';
import { stoppedTaskEvents } from './stopEvents.js';
import { countsHealthy } from './health.js';
import { planService, type PlannedTask, type ServicePlan, type ServicePlanOptions } from './plan.js';
import { UNSTABLE_AFTER_FAILURES } from './rollout.js';
import { errorMessage } from '../../errors.js';
import { key, retirementKey } from '../../keys.js';

interface InFlightLaunch {
  revision: number;
  family: string;
  createdAt: number;
}

/** The last task that could not be placed: why, and when placing is tried again. */
interface PlacementFailure {
  /** ECS's service event. */
  message: string;
  /** Which ports, held by whom. */
  detail: string;
  retryAt: number;
}

/** What must hold before a service can act; each failure names itself in status. */
type Resolved = LaunchTarget;

/** What the service controller is reconciled for, besides its own manifests. */
export const SERVICE_WATCHES: Watches = {
  // Where the service's tasks belong follows its cluster and capacity provider.
  manifests: { Cluster: everyKey('Service'), CapacityProvider: everyKey('Service') },
  containers: { keys: groupOwner('service'), recheckAfterExitMs: EXIT_RECHECK_MS },
  everyKeyOnEngineReturn: true,
};

/**
 * The service controller: keeps desiredCount tasks of the service's task
 * definition running, replaces tasks that stop, scales in and out, and reports
 * the service's status and ECS-style events. It decides which tasks stop; the
 * retirement controller stops them.
 */
export class ServiceController implements Reconciler {
  readonly kind = 'Service';
  readonly watches = SERVICE_WATCHES;
  private readonly inFlight = new Map<string, Map<string, InFlightLaunch>>();
  /** Per group: the last placement that failed, until a task is placed again. */
  private readonly unplaced = new Map<string, PlacementFailure>();
  /** Per group: the task policy refusal last announced, so the event is told once while it lasts. */
  private readonly policyRefusals = new Map<string, string>();
  /** Test and benchmark hook: called when a container create call is made. */
  onContainerCreate: (() => void) | undefined;

  private readonly launches = new Launches();

  constructor(private readonly ctx: ControllerContext) {}

  launchesInFlight(): number {
    return this.launches.size;
  }

  /** Waits for launches in progress, so a shutdown never leaves a task half-created. */
  drainLaunches(): Promise<void> {
    return this.launches.drain();
  }

  async reconcile(name: string, log: Logger): Promise<ReconcileResult> {
    const { ctx } = this;
    const group = groupLabel('service', name);
    const now = ctx.clock.now();
    // Launches are snapshotted before listing: a launch that finishes while the engine is
    // being listed is then still counted, even if the list was taken before its create.
    const inFlight = new Map(this.inFlight.get(group) ?? []);
    const resource = ctx.store.get('Service', name);
    const resolved = resource ? await this.resolve(resource) : undefined;
    const { tasks, runtimeOf } = await this.observe(group, resolved && !('problem' in resolved) ? resolved.runtime : undefined);
    for (const task of tasks) ctx.registry.observeRevision(task.family, task.revision);
    const newlyStopped = recordStoppedTasks({ ledger: ctx.ledger, group, tasks, now, stableAfterMs: ctx.options.stableAfterMs, engineOutageOf: engineOutageLookup(ctx, runtimeOf) });
    for (const message of stoppedTaskEvents(name, newlyStopped)) ctx.ledger.addEvent(group, message, now);
    this.reportEngineStops(newlyStopped.filter((t) => t.byEngine), log);

    if (resource) {
      await restartExitedContainers({ ctx, group, tasks, runtimeOf, log, owner: `service ${name}` });
      stopUnhealthyTasks({ ctx, group, tasks, log, owner: `service ${name}` });
    }

    const placement = resolved && !('problem' in resolved) ? { cluster: resolved.cluster, provider: resolved.provider } : undefined;
    const planned = this.plannedTasks(group, tasks, inFlight, placement);
    if (!resource || !resolved) {
      if (ctx.store.mayDefine('Service', name)) {
        log.warn('no valid spec of this service can be read; its tasks keep running until its file is fixed or removed');
        return {};
      }
      return this.drain(group, planned, log);
    }

    if ('problem' in resolved) {
      this.announcePolicyRefusal(name, group, resolved.problem, log);
      await this.writeStatus(resource, tasks, group, undefined, resolved.problem);
      return {};
    }
    this.policyRefusals.delete(group);

    // A launch on an engine that is going away or not back yet could only fail: the
    // engine's return requeues the service.
    const outage = ctx.engines.currentOutage(resolved.runtime);
    if (outage) {
      log.info({ engine: outage.engine }, 'engine unreachable; launches wait for it');
      const since = new Date(outage.from).toISOString();
      await this.writeStatus(resource, tasks, group, undefined, { type: 'Steady', reason: 'EngineUnreachable', message: `Engine ${outage.engine} has not answered since ${since}; tasks are launched once it answers again.` });
      return {};
    }

    const desiredCount = resource.manifest.spec.desiredCount ?? 1;
    const plan = planService({
      desired: { desiredCount, revision: resolved.revision.revision },
      tasks: planned,
      // The crash-loop throttle looks at the revision being launched: a fixed revision starts at once.
      stopped: ctx.ledger.get(group).stopped.filter((t) => t.taskDefinition === `${resolved.family}:${resolved.revision.revision}`),
      now,
      options: rolloutOptions(ctx.options.service, resource.manifest.spec.deploymentConfiguration),
      ...(this.unplaced.has(group) ? { placementBlockedUntil: this.unplaced.get(group)!.retryAt } : {}),
    });
    // Every wanted task runs: an old placement failure no longer says anything. (While the
    // leftovers of a launch the engine refused are still around, nothing is wanted either,
    // but the failure still holds: forgetting it would retry at once and repeat the event.)
    const runningNow = planned.filter((t) => !t.stopRequested && t.lastStatus === 'RUNNING').length;
    if (plan.launch === 0 && plan.placementWaitMs === undefined && runningNow >= desiredCount) this.unplaced.delete(group);
    await this.apply(name, group, plan, resolved, log);

    const unplaced = this.unplaced.get(group);
    const problem = plan.throttle
      ? {
          type: 'Steady',
          reason: 'TasksFailing',
          // The last failure's reason, so the condition itself says what to fix (a policy refusal names the rule and the field).
          message: `${plan.throttle.consecutiveFailures} tasks in a row failed to start; next launch in ${Math.ceil(plan.throttle.waitMs / 1000)} s${lastFailure(ctx.ledger.get(group).stopped)}`,
        }
      : unplaced
        ? { type: 'Steady', reason: 'PortInUse', message: `${unplaced.message} (${unplaced.detail})` }
        : undefined;
    const observedAfter = this.plannedTasks(group, tasks, new Map([...inFlight, ...(this.inFlight.get(group) ?? [])]), placement);
    await this.writeStatus(resource, tasks, group, { resolved, observed: observedAfter, desiredCount }, problem);
    const result: ReconcileResult = {};
    const requeueAfterMs = plan.requeueAfterMs ?? (unplaced ? Math.max(0, unplaced.retryAt - ctx.clock.now()) : undefined);
    if (requeueAfterMs !== undefined) result.requeueAfterMs = requeueAfterMs;
    return result;
  }

  /** Tasks its engine stopped by going away: not counted as failures (the event is stoppedTaskEvents'). */
  private reportEngineStops(stopped: readonly StoppedTask[], log: Logger): void {
    if (stopped.length === 0) return;
    log.info({ tasks: stopped.map((t) => t.taskId), reason: stopped[0]!.stoppedReason }, 'tasks stopped by their engine; not counted as task failures');
  }

  /**
   * A task could not be placed: the service says so the way ECS does, once while the
   * cause lasts, and tries again after placementRetryMs. No task was started, so nothing
   * counts toward the crash-loop throttle.
   */
  private placementFailed(name: string, group: string, engine: string, detail: string, log: Logger): void {
    const { ctx } = this;
    const now = ctx.clock.now();
    const message =
      `(service ${name}) was unable to place a task because no container instance met all of its requirements. ` +
      `The closest matching container-instance ${engine} is already using a port required by your task.`;
    const known = this.unplaced.get(group)?.message === message;
    this.unplaced.set(group, { message, detail, retryAt: now + ctx.options.placementRetryMs });
    if (!known) ctx.ledger.addEvent(group, message, now);
    log.info({ detail }, 'task could not be placed');
  }

  /**
   * A task definition the cluster's task policy refuses: the service says so once, as an
   * ECS service event, and launches nothing. Its running tasks are left alone, and nothing
   * counts toward the crash-loop throttle (no task was started); it is tried again when the
   * Cluster or the TaskDefinition manifest changes, the only things that can change the answer.
   */
  private announcePolicyRefusal(name: string, group: string, problem: ConditionInput, log: Logger): void {
    // An engine without the task's runtimePlatform is told the same way: once, until it changes.
    if (problem.reason !== TASK_POLICY_DENIED && problem.reason !== RUNTIME_PLATFORM_MISMATCH) {
      this.policyRefusals.delete(group);
      return;
    }
    if (this.policyRefusals.get(group) === problem.message) return;
    this.policyRefusals.set(group, problem.message);
    const message = `(service ${name}) was unable to ${problem.reason === TASK_POLICY_DENIED ? 'start' : 'place'} a task: ${problem.message}.`;
    // After a controller restart the same refusal is already the newest event.
    if (this.ctx.ledger.get(group).events[0]?.message !== message) this.ctx.ledger.addEvent(group, message, this.ctx.clock.now());
    log.warn({ reason: problem.message }, problem.reason === TASK_POLICY_DENIED ? 'task definition refused by the task policy' : 'task cannot be placed on the engine');
  }

  /**
   * How many of the planned launches can be placed now. A task with fixed host ports
   * fits on an engine only where none of them is taken, and only once: its own siblings
   * would take the same ports, so one launches at a time.
   */
  private async placeable(name: string, group: string, wanted: number, resolved: Resolved, log: Logger): Promise<number> {
    if (wanted === 0 || requiredHostPorts(resolved.revision.spec).length === 0) return wanted;
    if ((this.inFlight.get(group)?.size ?? 0) > 0) return 0;
    const conflicts = hostPortConflicts(resolved.revision.spec, await observeHostPorts(resolved.runtime, true));
    if (conflicts.length === 0) return 1;
    this.placementFailed(name, group, resolved.runtime.engine, hostPortsTakenReason(conflicts), log);
    return 0;
  }

  /** The service's tasks on every engine (see observeGroup). */
  private observe(group: string, ownEngine: Runtime | undefined): Promise<{ tasks: ObservedTask[]; runtimeOf: Map<string, Runtime> }> {
    return observeGroup(this.ctx, group, ownEngine);
  }

  /** Observed tasks merged with launches still in progress (which the engine may not show yet). */
  private plannedTasks(
    group: string,
    tasks: readonly ObservedTask[],
    inFlight: ReadonlyMap<string, InFlightLaunch>,
    placement: { cluster: string; provider: string } | undefined,
  ): PlannedTask[] {
    const requests = this.ctx.ledger.get(group).stopRequests;
    const planned: PlannedTask[] = tasks.map((t) => {
      const p: PlannedTask = {
        taskId: t.taskId,
        revision: t.revision,
        lastStatus: t.lastStatus,
        createdAt: t.createdAt,
        inFlight: inFlight.has(t.taskId),
        stopRequested: Boolean(requests[t.taskId]),
      };
      if (placement && (t.cluster !== placement.cluster || t.capacityProvider !== placement.provider)) p.placedElsewhere = true;
      if (t.startedAt !== undefined) p.startedAt = t.startedAt;
      p.healthy = countsHealthy(t);
      return p;
    });
    for (const [taskId, launch] of inFlight) {
      if (planned.some((t) => t.taskId === taskId)) continue;
      planned.push({ taskId, revision: launch.revision, lastStatus: 'PROVISIONING', createdAt: launch.createdAt, inFlight: true, stopRequested: Boolean(requests[taskId]) });
    }
    return planned;
  }

  private resolve(resource: StoredResource<'Service'>): Promise<Resolved | { problem: ConditionInput }> {
    return checkEnginePlatform(resolveLaunchTarget(this.ctx, resource.manifest.spec, 'Steady'), 'Steady');
  }

  private async apply(name: string, group: string, plan: ServicePlan, resolved: Resolved, log: Logger): Promise<void> {
    const { ctx } = this;
    const now = ctx.clock.now();
    if (plan.stop.length) {
      for (const stop of plan.stop) ctx.ledger.requestStop(group, stop.taskId, { stopCode: stop.stopCode, reason: stop.reason, requestedAt: now });
      ctx.ledger.addEvent(group, `(service ${name}) has stopped ${plan.stop.length} running tasks: ${plan.stop.map((s) => `(task ${s.taskId})`).join(' ')}.`, now);
      log.info({ tasks: plan.stop.map((s) => s.taskId), reason: plan.stop[0]!.reason }, 'stopping tasks');
      ctx.enqueue(retirementKey(group));
    }
    if (plan.start.length) {
      log.info({ tasks: plan.start }, 'starting adopted pending tasks');
      await ensureTaskNetwork(resolved.runtime, resolved.cluster, resolved.revision.spec);
      for (const taskId of plan.start) this.resume(name, group, taskId, resolved, log);
    }
    if (plan.throttle && !ctx.ledger.get(group).events[0]?.message.includes('unable to consistently start tasks')) {
      if (plan.throttle.consecutiveFailures >= UNSTABLE_AFTER_FAILURES) {
        ctx.ledger.addEvent(group, `(service ${name}) is unable to consistently start tasks successfully.`, now);
        log.warn({ consecutiveFailures: plan.throttle.consecutiveFailures, waitMs: plan.throttle.waitMs }, 'launches throttled');
      }
    }
    const placeable = await this.placeable(name, group, plan.launch, resolved, log);
    if (placeable > 0) this.launch(name, group, placeable, resolved, log);
  }

  /**
   * Starts, in the background, a task a previous controller created but did not finish
   * starting (it may have been waiting on dependsOn). A task that cannot start is replaced.
   */
  private resume(name: string, group: string, taskId: string, resolved: Resolved, log: Logger): void {
    const { ctx } = this;
    const inFlight = this.inFlight.get(group) ?? new Map<string, InFlightLaunch>();
    this.inFlight.set(group, inFlight);
    inFlight.set(taskId, { revision: resolved.revision.revision, family: resolved.family, createdAt: ctx.clock.now() });
    const resumed = (async () => {
      const containers = await resolved.runtime.list({ [LABEL.taskId]: taskId });
      await resumeTaskStart({ ctx, group, taskId, runtime: resolved.runtime, containers, log, shuttingDown: () => this.launches.shuttingDown });
    })()
      .catch((error: unknown) => log.warn({ taskId, err: errorMessage(error) }, 'listing an adopted task failed; will retry'))
      .finally(() => {
        inFlight.delete(taskId);
        ctx.enqueue(key('Service', name));
      });
    this.launches.track(resumed);
  }

  /** Launches run in the background; each completion requeues the service. */
  private launch(name: string, group: string, count: number, resolved: Resolved, log: Logger): void {
    const { ctx } = this;
    const now = ctx.clock.now();
    const inFlight = this.inFlight.get(group) ?? new Map<string, InFlightLaunch>();
    this.inFlight.set(group, inFlight);
    const taskIds = Array.from({ length: count }, () => randomBytes(16).toString('hex'));
    // While placement is being retried, a task is announced only once it is placed.
    const retryingPlacement = this.unplaced.has(group);
    if (!retryingPlacement) ctx.ledger.addEvent(group, `(service ${name}) has started ${count} tasks: ${taskIds.map((id) => `(task ${id})`).join(' ')}.`, now);
    log.info({ count, taskDefinition: `${resolved.family}:${resolved.revision.revision}` }, 'launching tasks');
    for (const taskId of taskIds) {
      inFlight.set(taskId, { revision: resolved.revision.revision, family: resolved.family, createdAt: now });
      const launch = launchTask({
        ...launchRequestFor(ctx, resolved, { group, taskId, logger: log, shuttingDown: () => this.launches.shuttingDown }),
        spec: resolved.revision.spec,
        serviceName: name,
        onUnplaced: (reason) => this.placementFailed(name, group, resolved.runtime.engine, reason, log),
        ...(this.onContainerCreate ? { onCreate: this.onContainerCreate } : {}),
      })
        .then((outcome) => {
          if (outcome === 'started' && retryingPlacement) ctx.ledger.addEvent(group, `(service ${name}) has started 1 tasks: (task ${taskId}).`, ctx.clock.now());
          if (outcome === 'started') this.unplaced.delete(group);
          if (outcome !== 'failed') return;
          const stopped = ctx.ledger.get(group).stopped.find((t) => t.taskId === taskId);
          // A launch failure leaves no container to observe, so its reason is told here.
          if (stopped?.failed) ctx.ledger.addEvent(group, `(service ${name}) task ${taskId} failed to start: ${stopped.stoppedReason}.`, ctx.clock.now());
          ctx.enqueue(retirementKey(group));
        })
        .finally(() => {
          inFlight.delete(taskId);
          ctx.enqueue(key('Service', name));
        });
      this.launches.track(launch);
    }
  }

  /** The Service manifest is gone: stop every task; the ledger goes once the containers are gone. */
  private drain(group: string, planned: PlannedTask[], log: Logger): ReconcileResult {
    const { ctx } = this;
    const plan = planService({ tasks: planned, stopped: [], now: ctx.clock.now(), options: ctx.options.service });
    if (plan.stop.length) {
      for (const stop of plan.stop) ctx.ledger.requestStop(group, stop.taskId, { stopCode: stop.stopCode, reason: stop.reason, requestedAt: ctx.clock.now() });
      log.info({ tasks: plan.stop.map((s) => s.taskId) }, 'service deleted: stopping its tasks');
    }
    if (planned.length > 0) ctx.enqueue(retirementKey(group));
    return {};
  }

  private async writeStatus(
    resource: StoredResource<'Service'>,
    tasks: readonly ObservedTask[],
    group: string,
    state: { resolved: Resolved; observed: PlannedTask[]; desiredCount: number } | undefined,
    problem: ConditionInput | undefined,
  ): Promise<void> {
    const { ctx } = this;
    const ledger = ctx.ledger.get(group);
    const live = tasks.filter((t) => !ledger.stopRequests[t.taskId] && t.lastStatus !== 'STOPPED');
    const pendingStates: ReadonlySet<TaskState> = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);
    const inFlightOnly = (state?.observed ?? []).filter((t) => t.inFlight && !tasks.some((o) => o.taskId === t.taskId) && !t.stopRequested);
    const runningCount = live.filter((t) => t.lastStatus === 'RUNNING').length;
    const pendingCount = live.filter((t) => pendingStates.has(t.lastStatus)).length + inFlightOnly.length;
    const desiredCount = state?.desiredCount ?? resource.manifest.spec.desiredCount ?? 1;
    // Outdated as the plan sees it: another revision, or another cluster or capacity provider.
    const currentRevision = state?.resolved.revision.revision;
    const outdated = (state?.observed ?? []).some(
      (t) => !t.stopRequested && live.some((l) => l.taskId === t.taskId) && (t.revision !== currentRevision || t.placedElsewhere === true),
    );
    const steady = !problem && runningCount === desiredCount && pendingCount === 0 && !outdated;
    const now = ctx.clock.now();

    if (steady && ctx.ledger.setSteady(group, true)) ctx.ledger.addEvent(group, `(service ${resource.name}) has reached a steady state.`, now);
    if (!steady) ctx.ledger.setSteady(group, false);

    const conditionInputs: ConditionInput[] = [
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
    const conditions: Condition[] = buildConditions(conditionInputs, ledger.conditions, now);
    ctx.ledger.setConditions(group, conditions);

    const status: ServiceStatus = {
      status: 'ACTIVE',
      ...(state ? { taskDefinition: `${state.resolved.family}:${state.resolved.revision.revision}` } : {}),
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
          taskDefinition: `${state?.resolved.family}:${t.revision}`,
          lastStatus: 'PROVISIONING' as const,
          desiredStatus: 'RUNNING' as const,
          createdAt: new Date(t.createdAt).toISOString(),
          containers: [],
        })),
      ],
      stoppedTasks: ledger.stopped.slice(0, ctx.options.statusStoppedTasks).map(({ failed: _failed, wasStable: _stable, byEngine: _byEngine, ...summary }) => summary),
      events: ledger.events.slice(0, ctx.options.statusEvents),
      conditions,
    };
    await writeStatus(ctx.status, { file: resource.file, kind: 'Service', name: resource.name }, status);
  }
}

/** The controller's rollout defaults, with the service's own maximumPercent and minimumHealthyPercent. */
function rolloutOptions(defaults: ServicePlanOptions, config: DeploymentConfiguration | undefined): ServicePlanOptions {
  return {
    ...defaults,
    ...(config?.maximumPercent !== undefined ? { maximumPercent: config.maximumPercent } : {}),
    ...(config?.minimumHealthyPercent !== undefined ? { minimumHealthyPercent: config.minimumHealthyPercent } : {}),
  };
}

/** ": <reason>" of the newest failed task, for the TasksFailing condition; empty when there is none. */
function lastFailure(stopped: readonly StoppedTask[]): string {
  const reason = stopped.find((t) => t.failed)?.stoppedReason;
  return reason ? `; last failure: ${reason}` : '';
}
