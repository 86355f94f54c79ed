import { randomBytes } from 'node:crypto';
import type { Condition, TaskDefinitionSpec } from '../../kinds/index.js';
import type { Logger } from '../../log.js';
import { groupLabel } from '../../runtime/labels.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { StoredResource } from '../../store/store.js';
import { buildConditions, validCondition, type ConditionInput } from '../conditions.js';
import { writeStatus, type ControllerContext, type ReconcileResult, type Reconciler, type Watches } from '../context.js';
import { everyKey, EXIT_RECHECK_MS, groupOwner } from '../watches.js';
import type { TaskRun } from '../../state/ledger.js';
import { launchTask } from '../../executor/launcher.js';
import { checkEnginePlatform, resolveLaunchTarget, TASK_POLICY_DENIED, type LaunchTarget } from '../../scheduler/launchTarget.js';
import { launchRequestFor } from '../../executor/launchRequest.js';
import { observeGroup } from '../../observer/observeGroup.js';
import { Launches } from '../../executor/launches.js';
import type { ObservedTask } from '../../observer/observe.js';
import { engineOutageLookup } from '../../observer/engineStops.js';
import { recordStoppedTasks } from '../../observer/summary.js';
import { restartExitedContainers, resumeTaskStart } from '../../executor/supervise.js';
import { applyOverrides, overrideProblems } from '../../taskspec/overrides.js';
import { describeRun, launchSpecHash, planTaskRun, type TaskRunPlan, type TaskStatus } from './plan.js';
import { key, retirementKey } from '../../keys.js';

export const SPEC_CHANGED_MESSAGE = 'a Task runs once: create a new Task manifest (or rename this one) to run again';

/** What the task controller is reconciled for, besides its own manifests. */
export const TASK_WATCHES: Watches = {
  // A Task that waits for its cluster, capacity provider or task definition launches once it appears.
  manifests: { Cluster: everyKey('Task'), CapacityProvider: everyKey('Task'), TaskDefinition: everyKey('Task') },
  containers: { keys: groupOwner('task'), recheckAfterExitMs: EXIT_RECHECK_MS },
  everyKeyOnEngineReturn: true,
};

/**
 * The task controller: runs a Task manifest's tasks once (ECS RunTask), never replaces
 * them, stops them when the manifest says desiredStatus STOPPED or is deleted (ECS
 * StopTask), and reports each task as ECS DescribeTasks does. The retirement
 * controller stops the tasks and removes them after the task retention.
 * Keys: "Task/<name>"; the tasks carry the group label "task:<name>".
 */
export class TaskController implements Reconciler {
  readonly kind = 'Task';
  readonly watches = TASK_WATCHES;
  /** Task ids being launched, by group. */
  private readonly inFlight = new Map<string, Set<string>>();
  private readonly launches = new Launches();
  /** Per group: the task policy refusal last logged. */
  private readonly policyRefusals = new Map<string, string>();

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
    const group = groupLabel('task', name);
    // Snapshotted before listing: a launch that ends meanwhile is still known.
    const inFlight = new Set(this.inFlight.get(group) ?? []);
    const resource = ctx.store.get('Task', name);
    const target = resource && !ctx.ledger.get(group).run ? await checkEnginePlatform(resolveLaunchTarget(ctx, resource.manifest.spec, 'Launched'), 'Launched') : undefined;
    const { tasks, runtimeOf } = await observeGroup(ctx, group, target && !('problem' in target) ? target.runtime : undefined);
    for (const task of tasks) ctx.registry.observeRevision(task.family, task.revision);
    recordStoppedTasks({ ledger: ctx.ledger, group, tasks, now: ctx.clock.now(), stableAfterMs: ctx.options.stableAfterMs, engineOutageOf: engineOutageLookup(ctx, runtimeOf) });

    if (!resource && ctx.store.mayDefine('Task', name)) {
      log.warn('no valid spec of this task can be read; its tasks keep running until its file is fixed or removed');
      return {};
    }
    if (resource && !ctx.ledger.get(group).run && tasks.length > 0) this.adopt(group, resource, tasks, log);

    const ledger = ctx.ledger.get(group);
    const plan = planTaskRun({
      desiredStatus: resource?.manifest.spec.desiredStatus ?? 'RUNNING',
      ownerGone: !resource,
      run: ledger.run,
      tasks,
      inFlight,
      stopRequested: new Set(Object.keys(ledger.stopRequests)),
      recordedStopped: new Set(ledger.stopped.map((t) => t.taskId)),
    });
    await this.apply({ name, group, plan, tasks, runtimeOf, log, deleted: !resource });
    if (!resource) return {};

    let problem: ConditionInput | undefined;
    if (plan.launch && target) problem = 'problem' in target ? target.problem : this.launch(name, group, resource, target, log);
    // Nothing is recorded as run: the Task launches once its Cluster allows it (a Cluster change requeues it).
    // Told once while the refusal lasts, not on every resync.
    if (problem?.reason === TASK_POLICY_DENIED && this.policyRefusals.get(group) !== problem.message) {
      this.policyRefusals.set(group, problem.message);
      log.warn({ reason: problem.message }, 'task definition refused by the task policy');
    }
    if (problem?.reason !== TASK_POLICY_DENIED) this.policyRefusals.delete(group);
    return this.writeStatus(resource, group, tasks, problem);
  }

  /**
   * The run's record was lost (the state directory was) but its containers are there:
   * the run is taken as launched, as the containers show it, and never launched again.
   */
  private adopt(group: string, resource: StoredResource<'Task'>, tasks: readonly ObservedTask[], log: Logger): void {
    const first = tasks[0]!;
    const run: TaskRun = {
      cluster: first.cluster,
      taskDefinition: `${first.family}:${first.revision}`,
      specHash: launchSpecHash(resource.manifest.spec),
      launchedAt: Math.min(...tasks.map((t) => t.createdAt)),
      tasks: Object.fromEntries(tasks.map((t) => [t.taskId, { createdAt: t.createdAt }])),
    };
    this.ctx.ledger.recordRun(group, run);
    log.info({ tasks: tasks.map((t) => t.taskId) }, 'adopted the tasks of a run with no record');
  }

  private async apply(input: {
    name: string;
    group: string;
    plan: TaskRunPlan;
    tasks: readonly ObservedTask[];
    runtimeOf: ReadonlyMap<string, Runtime>;
    log: Logger;
    deleted: boolean;
  }): Promise<void> {
    const { ctx } = this;
    const { group, plan, log } = input;
    const now = ctx.clock.now();
    if (plan.stop.length) {
      const reason = input.deleted ? 'Task stopped by user: its Task manifest was deleted' : 'Task stopped by user';
      for (const taskId of plan.stop) {
        ctx.ledger.requestStop(group, taskId, { stopCode: 'UserInitiated', reason, requestedAt: now });
        ctx.ledger.noteTaskTimes(group, taskId, { stoppingAt: now });
      }
      log.info({ tasks: plan.stop, reason }, 'stopping tasks');
    }
    // Deleted: the retirement controller stops and removes everything of the group.
    if (plan.stop.length || input.deleted) ctx.enqueue(retirementKey(group));
    for (const taskId of plan.lost) {
      const times = ctx.ledger.get(group).run!.tasks[taskId]!;
      ctx.ledger.recordStopped(group, {
        taskId,
        taskDefinition: ctx.ledger.get(group).run!.taskDefinition,
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        createdAt: new Date(times.createdAt).toISOString(),
        stoppedAt: new Date(now).toISOString(),
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotCreateContainerError: the controller stopped before it created the containers of this task',
        containers: [],
        failed: true,
        wasStable: false,
      });
      log.warn({ taskId }, 'a task of the run was never created');
    }
    if (input.deleted) return;
    await restartExitedContainers({ ctx, group, tasks: input.tasks, runtimeOf: input.runtimeOf, log, owner: `task ${input.name}` });
    for (const taskId of plan.resume) this.resume(input.name, group, taskId, input.tasks, input.runtimeOf, log);
  }

  /**
   * Records the run, then launches its tasks in the background; the record comes first,
   * so that a controller stopped mid-launch neither launches them again nor forgets them.
   */
  private launch(name: string, group: string, resource: StoredResource<'Task'>, target: LaunchTarget, log: Logger): ConditionInput | undefined {
    const { ctx } = this;
    const spec = resource.manifest.spec;
    const problems = overrideProblems(target.revision.spec, spec.overrides);
    if (problems.length) return { type: 'Launched', reason: 'InvalidOverrides', message: `InvalidParameterException: ${problems.join(' ')}` };
    const launchSpec: TaskDefinitionSpec = applyOverrides(target.revision.spec, spec.overrides);
    const now = ctx.clock.now();
    const taskIds = Array.from({ length: spec.count ?? 1 }, () => randomBytes(16).toString('hex'));
    ctx.ledger.recordRun(group, {
      cluster: target.cluster,
      taskDefinition: `${target.family}:${target.revision.revision}`,
      specHash: launchSpecHash(spec),
      launchedAt: now,
      tasks: Object.fromEntries(taskIds.map((id) => [id, { createdAt: now }])),
    });
    const inFlight = this.inFlight.get(group) ?? new Set<string>();
    this.inFlight.set(group, inFlight);
    log.info({ tasks: taskIds, taskDefinition: `${target.family}:${target.revision.revision}` }, 'running tasks');
    for (const taskId of taskIds) {
      inFlight.add(taskId);
      const launch = launchTask({
        ...launchRequestFor(ctx, target, { group, taskId, logger: log, shuttingDown: () => this.launches.shuttingDown }),
        spec: launchSpec,
        onPull: ({ startedAt, stoppedAt }) =>
          ctx.ledger.noteTaskTimes(group, taskId, stoppedAt === undefined ? { pullStartedAt: startedAt } : { pullStartedAt: startedAt, pullStoppedAt: stoppedAt }),
      })
        .then((outcome) => {
          if (outcome === 'failed') ctx.enqueue(retirementKey(group));
        })
        .finally(() => {
          inFlight.delete(taskId);
          ctx.enqueue(key('Task', name));
        });
      this.launches.track(launch);
    }
    return undefined;
  }

  /** Starts, in the background, a task a previous controller created but did not finish starting. */
  private resume(name: string, group: string, taskId: string, tasks: readonly ObservedTask[], runtimeOf: ReadonlyMap<string, Runtime>, log: Logger): void {
    const { ctx } = this;
    const containers = tasks.find((t) => t.taskId === taskId)?.containers ?? [];
    const runtime = containers.map((c) => runtimeOf.get(c.id)).find((r) => r !== undefined);
    if (!runtime) return;
    const inFlight = this.inFlight.get(group) ?? new Set<string>();
    this.inFlight.set(group, inFlight);
    inFlight.add(taskId);
    const resumed = resumeTaskStart({ ctx, group, taskId, runtime, containers, log, shuttingDown: () => this.launches.shuttingDown }).finally(() => {
      inFlight.delete(taskId);
      ctx.enqueue(key('Task', name));
    });
    this.launches.track(resumed);
  }

  private async writeStatus(resource: StoredResource<'Task'>, group: string, tasks: readonly ObservedTask[], problem: ConditionInput | undefined): Promise<ReconcileResult> {
    const { ctx } = this;
    const now = ctx.clock.now();
    const ledger = ctx.ledger.get(group);
    const spec = resource.manifest.spec;
    const desiredStatus = spec.desiredStatus ?? 'RUNNING';
    const run = ledger.run;
    const described = run
      ? describeRun({
          run,
          tasks,
          stopped: ledger.stopped,
          inFlight: this.inFlight.get(group) ?? new Set(),
          stopRequested: new Set(Object.keys(ledger.stopRequests)),
          desiredStatus,
          now,
          retentionMs: ctx.options.taskRetentionMs,
        })
      : undefined;
    const conditionInputs: ConditionInput[] = [validCondition(resource.errors, 'the last valid spec stays in force'), launchedCondition(run, problem, desiredStatus)];
    if (run) {
      conditionInputs.push(
        run.specHash === launchSpecHash(spec)
          ? { type: 'SpecApplied', status: 'True', reason: 'SpecUnchanged', message: 'The tasks run the spec as it is.' }
          : { type: 'SpecApplied', status: 'False', reason: 'SpecChanged', message: `The spec changed after the tasks were launched and the change is not applied: ${SPEC_CHANGED_MESSAGE}.` },
      );
    }
    const conditions: Condition[] = buildConditions(conditionInputs, ledger.conditions, now);
    ctx.ledger.setConditions(group, conditions);
    const status: TaskStatus = described
      ? { ...described.status, ...(spec.startedBy ? { startedBy: spec.startedBy } : {}), conditions }
      : { lastStatus: 'PROVISIONING', desiredStatus, count: 0, tasks: [], conditions };
    await writeStatus(ctx.status, { file: resource.file, kind: 'Task', name: resource.name }, status);
    return described?.nextExpiryMs !== undefined ? { requeueAfterMs: described.nextExpiryMs } : {};
  }
}

function launchedCondition(run: TaskRun | undefined, problem: ConditionInput | undefined, desiredStatus: 'RUNNING' | 'STOPPED'): ConditionInput {
  if (run) return { type: 'Launched', status: 'True', reason: 'Launched', message: `Launched ${Object.keys(run.tasks).length} task(s) of ${run.taskDefinition}.` };
  if (problem) return { ...problem, status: 'False' };
  if (desiredStatus === 'STOPPED') return { type: 'Launched', status: 'False', reason: 'DesiredStatusStopped', message: 'desiredStatus is STOPPED: nothing is launched.' };
  return { type: 'Launched', status: 'False', reason: 'Launching', message: 'The tasks are being launched.' };
}
