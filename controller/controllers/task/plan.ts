import { TASK_STATES, type RunTaskDescription, type TaskRunStatus, type TaskSpec, type TaskStatus, type TaskSummary } from '../../kinds/index.js';
import { taskArn } from '../../arn.js';
import { shortHash } from '../../hash.js';
import type { StoppedTask, TaskRun } from '../../state/ledger.js';
import type { ObservedTask } from '../../observer/observe.js';
import { taskSummary } from '../../observer/summary.js';

/** How long a Task's stopped tasks stay listed, with their containers: longer than ECS's hour. */
export const DEFAULT_TASK_RETENTION_MS = 24 * 3_600_000;

/** What a run's reconcile must do now. */
export interface TaskRunPlan {
  /** Start the run: it has not been launched and is wanted. */
  launch: boolean;
  /** Tasks still running (or launching) that must stop: desiredStatus STOPPED, or the manifest is gone. */
  stop: string[];
  /** Tasks found created but not started (a restart interrupted their launch). */
  resume: string[];
  /** Tasks of the run with no container, no launch in progress and no record: a restart cut their launch short. */
  lost: string[];
}

export interface TaskRunPlanInput {
  desiredStatus: 'RUNNING' | 'STOPPED';
  ownerGone: boolean;
  run: TaskRun | undefined;
  tasks: readonly ObservedTask[];
  inFlight: ReadonlySet<string>;
  stopRequested: ReadonlySet<string>;
  recordedStopped: ReadonlySet<string>;
}

/**
 * One step of a standalone run. A run is launched once and never replaces a task;
 * stopping is the only change it takes after launch. Pure.
 */
export function planTaskRun(input: TaskRunPlanInput): TaskRunPlan {
  const plan: TaskRunPlan = { launch: false, stop: [], resume: [], lost: [] };
  const wanted = input.desiredStatus === 'RUNNING' && !input.ownerGone;
  if (!input.run) {
    plan.launch = wanted;
    // Containers of a run whose record was lost are adopted by the caller before planning.
    if (!input.ownerGone) return plan;
  }
  const live = input.tasks.filter((t) => t.lastStatus !== 'STOPPED');
  if (!wanted) {
    const ids = new Set([...live.map((t) => t.taskId), ...input.inFlight]);
    plan.stop = [...ids].filter((id) => !input.stopRequested.has(id)).sort();
    return plan;
  }
  plan.resume = live.filter((t) => t.lastStatus === 'PENDING' && !input.inFlight.has(t.taskId) && !input.stopRequested.has(t.taskId)).map((t) => t.taskId);
  const observed = new Set(input.tasks.map((t) => t.taskId));
  plan.lost = Object.keys(input.run?.tasks ?? {}).filter((id) => !observed.has(id) && !input.inFlight.has(id) && !input.recordedStopped.has(id));
  return plan;
}

/**
 * The spec as it decides what is launched: everything but desiredStatus, with keys in
 * a fixed order, so that reordering the YAML is not taken for an edit.
 */
export function launchSpecHash(spec: TaskSpec): string {
  const { desiredStatus: _desiredStatus, ...launched } = spec;
  return shortHash(launched, { keyOrder: 'locale' });
}

// The statuses are defined with the kind, where the published schema comes from.
export type { RunTaskDescription, TaskRunStatus, TaskStatus };

export interface DescribeRunInput {
  run: TaskRun;
  tasks: readonly ObservedTask[];
  stopped: readonly StoppedTask[];
  inFlight: ReadonlySet<string>;
  stopRequested: ReadonlySet<string>;
  desiredStatus: 'RUNNING' | 'STOPPED';
  now: number;
  retentionMs: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * A task succeeded when its essential container exited and no container of it reported
 * a non-zero exit code; every other end (a failed launch, a non-zero exit, a stop) is a failure.
 */
export function succeeded(task: StoppedTask): boolean {
  return task.stopCode === 'EssentialContainerExited' && task.containers.length > 0 && task.containers.every((c) => c.exitCode === undefined || c.exitCode === 0) && task.containers.some((c) => c.exitCode === 0);
}

/**
 * The run's status: each task (stopped ones until `retentionMs` after they stopped),
 * counts that outlive the retention, and the earliest state any task is still in.
 * Also when the next stopped task leaves the list, for a timed requeue. Pure.
 */
export function describeRun(input: DescribeRunInput): { status: TaskRunStatus; nextExpiryMs?: number } {
  const { run, now } = input;
  const ids = Object.keys(run.tasks).sort((a, b) => run.tasks[a]!.createdAt - run.tasks[b]!.createdAt || a.localeCompare(b));
  const described: RunTaskDescription[] = [];
  let succeededCount = 0;
  let failedCount = 0;
  let expiredCount = 0;
  let nextExpiry = Infinity;
  for (const taskId of ids) {
    const stopped = input.stopped.find((t) => t.taskId === taskId);
    let summary: TaskSummary;
    if (stopped) {
      if (succeeded(stopped)) succeededCount++;
      else failedCount++;
      const expiresAt = Date.parse(stopped.stoppedAt ?? new Date(now).toISOString()) + input.retentionMs;
      if (expiresAt <= now) {
        expiredCount++;
        continue;
      }
      nextExpiry = Math.min(nextExpiry, expiresAt);
      const { failed: _failed, wasStable: _wasStable, ...rest } = stopped;
      summary = rest;
    } else {
      const observed = input.tasks.find((t) => t.taskId === taskId);
      const desired = input.stopRequested.has(taskId) || input.desiredStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING';
      // A stop seen but not yet recorded (its launch is still ending) is told as STOPPED,
      // with its stop code, once it is: until then the task is still on its way out.
      if (observed) summary = observed.lastStatus === 'STOPPED' ? { ...taskSummary(observed, 'STOPPED'), lastStatus: 'DEPROVISIONING' } : taskSummary(observed, desired);
      else if (input.inFlight.has(taskId)) summary = { taskId, taskDefinition: run.taskDefinition, lastStatus: 'PROVISIONING', desiredStatus: desired, createdAt: '', containers: [] };
      else continue;
    }
    described.push(describeTask(run, taskId, summary));
  }
  const live = described.filter((t) => t.lastStatus !== 'STOPPED');
  const earliest = live.map((t) => TASK_STATES.indexOf(t.lastStatus)).sort((a, b) => a - b)[0];
  const status: TaskRunStatus = {
    lastStatus: earliest === undefined ? (ids.length ? 'STOPPED' : 'PROVISIONING') : TASK_STATES[earliest]!,
    desiredStatus: input.desiredStatus,
    taskDefinition: run.taskDefinition,
    count: ids.length,
    runningCount: live.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: live.filter((t) => t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING' || t.lastStatus === 'ACTIVATING').length,
    succeededCount,
    failedCount,
    expiredCount,
    tasks: described,
  };
  return Number.isFinite(nextExpiry) ? { status, nextExpiryMs: nextExpiry - now } : { status };
}

/** ECS's DescribeTasks fields: the ARN, and the times only the controller saw (creation, pulls, stop request). */
function describeTask(run: TaskRun, taskId: string, summary: TaskSummary): RunTaskDescription {
  const times = run.tasks[taskId]!;
  const { taskId: _id, ...rest } = summary;
  const task: RunTaskDescription = { taskArn: taskArn(run.cluster, taskId), taskId, ...rest, createdAt: iso(times.createdAt)! };
  const pullStartedAt = iso(times.pullStartedAt);
  const pullStoppedAt = iso(times.pullStoppedAt);
  if (pullStartedAt) task.pullStartedAt = pullStartedAt;
  if (pullStoppedAt) task.pullStoppedAt = pullStoppedAt;
  const stoppingAt = iso(times.stoppingAt) ?? summary.stoppedAt;
  if (stoppingAt && (summary.lastStatus === 'STOPPING' || summary.lastStatus === 'STOPPED')) task.stoppingAt = stoppingAt;
  if (summary.stoppedAt) task.executionStoppedAt = summary.stoppedAt;
  return task;
}
