import type { Condition, TaskDefinitionSpec } from '../../kinds/index.js';
import type { Logger } from '../../log.js';
import { groupLabel } from '../../runtime/labels.js';
import type { EngineOutage } from '../../engines.js';
import type { StoredResource } from '../../store/store.js';
import { buildConditions, validCondition, type ConditionInput } from '../conditions.js';
import type { Action, ControllerOptions, OwnerContext, LaunchUnderWay, ReconcileResult, Reconciler, TaskOwner, Watches } from '../context.js';
import { everyKey, EXIT_RECHECK_MS, groupOwner } from '../watches.js';
import { stoppedHistoryWith, type GroupLedger, type StoppedTask, type TaskRun } from '../../state/ledger.js';
import { checkEnginePlatform, resolveLaunchTarget, TASK_POLICY_DENIED, type LaunchTarget, type PlacementProblem } from '../../scheduler/launchTarget.js';
import { observeGroup } from '../../observer/observeGroup.js';
import type { ObservedTask } from '../../observer/observe.js';
import { engineOutageLookup } from '../../observer/engineStops.js';
import { newlyStoppedTasks } from '../../observer/summary.js';
import { applyOverrides, overrideProblems } from '../../taskspec/overrides.js';
import { inPlaceRestarts } from '../supervision.js';
import { engineAddresses } from '../engineAddress.js';
import { randomTaskId } from '../taskIds.js';
import { describeRun, launchSpecHash, planTaskRun, type TaskStatus } from './plan.js';
import { retirementKey } from '../../keys.js';

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
 * controller stops the tasks and removes them after the task retention. It observes,
 * then plans (planTaskPass); the executor carries the actions out.
 * Keys: "Task/<name>"; the tasks carry the group label "task:<name>".
 */
export class TaskController implements Reconciler {
  readonly kind = 'Task';
  readonly watches = TASK_WATCHES;

  constructor(
    private readonly ctx: OwnerContext,
    private readonly newTaskId: () => string = randomTaskId,
  ) {}

  async reconcile(name: string, log: Logger): Promise<ReconcileResult> {
    const { ctx } = this;
    const group = groupLabel('task', name);
    // Snapshotted before listing: a launch that ends meanwhile is still known.
    const launching = new Map(ctx.execution.launching(group));
    const resource = ctx.store.get('Task', name);
    const ledger = ctx.ledger.get(group);
    const target = resource && !ledger.run ? await checkEnginePlatform(resolveLaunchTarget(ctx, resource.manifest.spec, 'Launched'), 'Launched') : undefined;
    const { tasks, runtimeOf } = await observeGroup(ctx, group, target && !('problem' in target) ? target.runtime : undefined);
    for (const task of tasks) ctx.registry.observeRevision(task.family, task.revision);
    return planTaskPass({
      name,
      group,
      resource,
      mayDefine: ctx.store.mayDefine('Task', name),
      target,
      tasks,
      engineOf: engineAddresses(ctx, runtimeOf),
      engineOutageOf: engineOutageLookup(ctx, runtimeOf),
      launching,
      refusalTold: ctx.execution.refusalTold(group),
      ledger,
      now: ctx.clock.now(),
      options: ctx.options,
      newTaskId: this.newTaskId,
      log,
    });
  }
}

/** Everything one pass of a standalone run reads. */
export interface TaskPassInput {
  name: string;
  group: string;
  resource: StoredResource<'Task'> | undefined;
  /** A manifest of the task may be there, unreadable for now. */
  mayDefine: boolean;
  /** Where the run launches; resolved only while it has not been launched. */
  target: LaunchTarget | { problem: PlacementProblem } | undefined;
  tasks: readonly ObservedTask[];
  engineOf: (containerId: string) => string | undefined;
  engineOutageOf: (task: ObservedTask) => EngineOutage | undefined;
  launching: ReadonlyMap<string, LaunchUnderWay>;
  refusalTold: string | undefined;
  ledger: Readonly<GroupLedger>;
  now: number;
  options: ControllerOptions;
  newTaskId: () => string;
  log: Logger;
}

/**
 * One pass of a standalone run, pure: the actions in the order the executor applies
 * them, ending with the status. The ledger is read as it will be once they are applied.
 */
export function planTaskPass(input: TaskPassInput): ReconcileResult {
  return new TaskPass(input).plan();
}

/** The actions of one pass, with the run, stop requests and stopped tasks as they will leave the ledger. */
class TaskPass {
  private readonly actions: Action[] = [];
  private readonly stopRequested: Set<string>;
  private readonly launching: Map<string, LaunchUnderWay>;
  private stopped: StoppedTask[];
  private run: TaskRun | undefined;
  private readonly owner: TaskOwner;

  constructor(private readonly input: TaskPassInput) {
    this.stopRequested = new Set(Object.keys(input.ledger.stopRequests));
    this.launching = new Map(input.launching);
    this.stopped = input.ledger.stopped;
    this.run = input.ledger.run;
    this.owner = { kind: 'Task', name: input.name, group: input.group };
  }

  plan(): ReconcileResult {
    const { input } = this;
    const { resource, log } = input;
    this.recordStopped(
      newlyStoppedTasks({
        ledger: input.ledger,
        tasks: input.tasks,
        now: input.now,
        stableAfterMs: input.options.stableAfterMs,
        engineOutageOf: input.engineOutageOf,
        launching: new Set(input.launching.keys()),
      }),
    );
    if (!resource && input.mayDefine) {
      log.warn('no valid spec of this task can be read; its tasks keep running until its file is fixed or removed');
      return { actions: this.actions };
    }
    if (resource && !this.run && input.tasks.length > 0) this.adopt(resource);

    const plan = planTaskRun({
      desiredStatus: resource?.manifest.spec.desiredStatus ?? 'RUNNING',
      ownerGone: !resource,
      run: this.run,
      tasks: input.tasks,
      inFlight: new Set(input.launching.keys()),
      stopRequested: new Set(this.stopRequested),
      recordedStopped: new Set(this.stopped.map((t) => t.taskId)),
    });
    this.stop(plan.stop, !resource);
    // Deleted: the retirement controller stops and removes everything of the group.
    if (plan.stop.length || !resource) this.actions.push({ type: 'enqueue', key: retirementKey(input.group) });
    this.recordLost(plan.lost);
    if (!resource) return { actions: this.actions };
    this.actions.push(...inPlaceRestarts({ group: input.group, tasks: input.tasks, stopRequested: this.stopRequested, owner: `task ${input.name}`, engineOf: input.engineOf }));
    for (const taskId of plan.resume) this.resume(taskId);

    const target = input.target;
    const problem = plan.launch && target ? ('problem' in target ? target.problem : this.launch(resource, target)) : undefined;
    this.noteRefusal(problem);
    return this.status(resource, problem);
  }

  private recordStopped(stopped: StoppedTask[]): void {
    if (stopped.length === 0) return;
    this.actions.push({ type: 'recordStopped', group: this.input.group, stopped });
    this.stopped = stoppedHistoryWith(this.stopped, stopped);
  }

  /**
   * The run's record was lost (the state directory was) but its containers are there:
   * the run is taken as launched, as the containers show it, and never launched again.
   */
  private adopt(resource: StoredResource<'Task'>): void {
    const { tasks } = this.input;
    const first = tasks[0]!;
    this.recordRun({
      cluster: first.cluster,
      taskDefinition: `${first.family}:${first.revision}`,
      specHash: launchSpecHash(resource.manifest.spec),
      launchedAt: Math.min(...tasks.map((t) => t.createdAt)),
      tasks: Object.fromEntries(tasks.map((t) => [t.taskId, { createdAt: t.createdAt }])),
    });
    this.input.log.info({ tasks: tasks.map((t) => t.taskId) }, 'adopted the tasks of a run with no record');
  }

  private recordRun(run: TaskRun): void {
    this.actions.push({ type: 'recordRun', group: this.input.group, run });
    this.run = run;
  }

  /** ECS StopTask: each stop is asked for and dated (stoppingAt). */
  private stop(taskIds: readonly string[], deleted: boolean): void {
    if (taskIds.length === 0) return;
    const { group, now } = this.input;
    const reason = deleted ? 'Task stopped by user: its Task manifest was deleted' : 'Task stopped by user';
    for (const taskId of taskIds) {
      this.actions.push({ type: 'requestStop', group, taskId, request: { stopCode: 'UserInitiated', reason, requestedAt: now } });
      this.actions.push({ type: 'noteTaskTimes', group, taskId, times: { stoppingAt: now } });
      this.stopRequested.add(taskId);
      const times = this.run?.tasks[taskId];
      if (times) this.run = { ...this.run!, tasks: { ...this.run!.tasks, [taskId]: { ...times, stoppingAt: now } } };
    }
    this.input.log.info({ tasks: taskIds, reason }, 'stopping tasks');
  }

  /** Tasks of the run a restart cut short before they were created: recorded as failed to start. */
  private recordLost(taskIds: readonly string[]): void {
    const { now, log } = this.input;
    const run = this.run;
    if (!run) return;
    this.recordStopped(
      taskIds.map((taskId) => {
        log.warn({ taskId }, 'a task of the run was never created');
        return {
          taskId,
          taskDefinition: run.taskDefinition,
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
          createdAt: new Date(run.tasks[taskId]!.createdAt).toISOString(),
          stoppedAt: new Date(now).toISOString(),
          stopCode: 'TaskFailedToStart',
          stoppedReason: 'CannotCreateContainerError: the controller stopped before it created the containers of this task',
          containers: [],
          failed: true,
          wasStable: false,
        };
      }),
    );
  }

  /** Starts, in the background, a task a previous controller created but did not finish starting. */
  private resume(taskId: string): void {
    const { input } = this;
    const task = input.tasks.find((t) => t.taskId === taskId);
    const engine = task?.containers.map((c) => input.engineOf(c.id)).find((e) => e !== undefined);
    if (!task || engine === undefined) return;
    this.actions.push({ type: 'resumeTask', owner: this.owner, engine, taskId, revision: task.revision, at: input.now });
    this.launching.set(taskId, { revision: task.revision, createdAt: input.now });
  }

  /**
   * Records the run, then launches its tasks in the background; the record comes first,
   * so that a controller stopped mid-launch neither launches them again nor forgets them.
   */
  private launch(resource: StoredResource<'Task'>, target: LaunchTarget): ConditionInput | undefined {
    const { input } = this;
    const spec = resource.manifest.spec;
    const problems = overrideProblems(target.revision.spec, spec.overrides);
    if (problems.length) return { type: 'Launched', reason: 'InvalidOverrides', message: `InvalidParameterException: ${problems.join(' ')}` };
    const launchSpec: TaskDefinitionSpec = applyOverrides(target.revision.spec, spec.overrides);
    const { now } = input;
    const taskIds = Array.from({ length: spec.count ?? 1 }, () => input.newTaskId());
    this.recordRun({
      cluster: target.cluster,
      taskDefinition: `${target.family}:${target.revision.revision}`,
      specHash: launchSpecHash(spec),
      launchedAt: now,
      tasks: Object.fromEntries(taskIds.map((id) => [id, { createdAt: now }])),
    });
    input.log.info({ tasks: taskIds, taskDefinition: `${target.family}:${target.revision.revision}` }, 'running tasks');
    this.actions.push({ type: 'launchTasks', owner: this.owner, taskIds, target, spec: launchSpec, at: now, announceWhenPlaced: false });
    for (const taskId of taskIds) this.launching.set(taskId, { revision: target.revision.revision, createdAt: now });
    return undefined;
  }

  /**
   * Nothing is recorded as run while the task policy refuses it: the Task launches once its
   * Cluster allows it (a Cluster change requeues it). Logged once while the refusal lasts.
   */
  private noteRefusal(problem: ConditionInput | undefined): void {
    const { input } = this;
    if (problem?.reason === TASK_POLICY_DENIED && input.refusalTold !== problem.message) {
      this.actions.push({ type: 'noteRefusal', group: input.group, message: problem.message });
      input.log.warn({ reason: problem.message }, 'task definition refused by the task policy');
    }
    if (problem?.reason !== TASK_POLICY_DENIED && input.refusalTold !== undefined) this.actions.push({ type: 'noteRefusal', group: input.group, message: undefined });
  }

  /** The conditions, then the status: the run described as ECS DescribeTasks does. */
  private status(resource: StoredResource<'Task'>, problem: ConditionInput | undefined): ReconcileResult {
    const { input } = this;
    const { group, now } = input;
    const spec = resource.manifest.spec;
    const desiredStatus = spec.desiredStatus ?? 'RUNNING';
    const run = this.run;
    const described = run
      ? describeRun({
          run,
          tasks: input.tasks,
          stopped: this.stopped,
          inFlight: new Set(this.launching.keys()),
          stopRequested: this.stopRequested,
          desiredStatus,
          now,
          retentionMs: input.options.taskRetentionMs,
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
    const conditions: Condition[] = buildConditions(conditionInputs, input.ledger.conditions, now);
    const status: TaskStatus = described
      ? { ...described.status, ...(spec.startedBy ? { startedBy: spec.startedBy } : {}), conditions }
      : { lastStatus: 'PROVISIONING', desiredStatus, count: 0, tasks: [], conditions };
    this.actions.push({ type: 'setConditions', group, conditions }, { type: 'writeStatus', write: { file: resource.file, kind: 'Task', name: resource.name, status } });
    return described?.nextExpiryMs !== undefined ? { actions: this.actions, requeueAfterMs: described.nextExpiryMs } : { actions: this.actions };
  }
}

function launchedCondition(run: TaskRun | undefined, problem: ConditionInput | undefined, desiredStatus: 'RUNNING' | 'STOPPED'): ConditionInput {
  if (run) return { type: 'Launched', status: 'True', reason: 'Launched', message: `Launched ${Object.keys(run.tasks).length} task(s) of ${run.taskDefinition}.` };
  if (problem) return { ...problem, status: 'False' };
  if (desiredStatus === 'STOPPED') return { type: 'Launched', status: 'False', reason: 'DesiredStatusStopped', message: 'desiredStatus is STOPPED: nothing is launched.' };
  return { type: 'Launched', status: 'False', reason: 'Launching', message: 'The tasks are being launched.' };
}
