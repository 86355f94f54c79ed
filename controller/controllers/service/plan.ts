import type { TaskState } from '../../kinds/index.js';
import type { StoppedTask } from '../../state/ledger.js';
import { launchDelay, maximumTasks, minimumHealthyTasks } from './rollout.js';

/** A task as the service plan sees it: observed on the engine or still being launched. */
export interface PlannedTask {
  taskId: string;
  revision: number;
  lastStatus: TaskState;
  createdAt: number;
  startedAt?: number;
  /** A launch for it is still in progress in this controller. */
  inFlight: boolean;
  /** Someone already asked it to stop. */
  stopRequested: boolean;
  /** It runs in another cluster or capacity provider than the service now names: replaced like an old revision. */
  placedElsewhere?: boolean;
  /** The deployment that started it (its label); absent on tasks from before deployments were kept. */
  deploymentId?: string;
  /**
   * RUNNING and passing its essential containers' health checks (and its load balancer's):
   * only healthy tasks count toward minimumHealthyPercent. Absent: a RUNNING task counts.
   */
  healthy?: boolean;
}

export interface ServicePlanInput {
  /**
   * Undefined when the Service manifest was deleted: every task is stopped. With a
   * deploymentId, tasks are told current by the deployment that started them (a
   * forceNewDeployment replaces tasks of the same revision); tasks without one by revision.
   */
  desired?: { desiredCount: number; revision: number; deploymentId?: string };
  /** The deployment failed and nothing rolls it back (circuit breaker): launch nothing, replace nothing. */
  launchesHeld?: boolean;
  tasks: readonly PlannedTask[];
  /** Newest first; used for the crash-loop throttle. */
  stopped: readonly StoppedTask[];
  now: number;
  options: ServicePlanOptions;
  /**
   * Until when no new task can be placed: the last one found a host port it needs taken.
   * Placement waits are not failures: they never feed the crash-loop throttle.
   */
  placementBlockedUntil?: number;
}

export interface ServicePlanOptions {
  /** @default 200 */
  maximumPercent: number;
  /** @default 100 */
  minimumHealthyPercent: number;
  /** First crash-loop delay. @default 1000 */
  throttleBaseMs: number;
  /** @default 300000 */
  throttleMaxMs: number;
}

export const DEFAULT_SERVICE_PLAN_OPTIONS: ServicePlanOptions = {
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  throttleBaseMs: 1000,
  throttleMaxMs: 300_000,
};

export interface StopAction {
  taskId: string;
  stopCode: 'ServiceSchedulerInitiated' | 'TaskFailedToStart';
  reason: string;
}

export interface ServicePlan {
  /** New tasks of the desired revision to launch. */
  launch: number;
  /** Tasks found created but not started (a restart interrupted their launch). */
  start: string[];
  stop: StopAction[];
  /** Launches held back by the crash-loop throttle, and for how long. */
  throttle?: { consecutiveFailures: number; waitMs: number };
  /** Launches held back because the last task could not be placed, and for how long. */
  placementWaitMs?: number;
  /** Poll again after this long even if no event arrives. */
  requeueAfterMs?: number;
}

const ENDED: ReadonlySet<TaskState> = new Set(['STOPPING', 'DEACTIVATING', 'DEPROVISIONING', 'STOPPED']);

/**
 * One step of the service: what to launch, start and stop now. Pure: the caller
 * observes, this decides, the executor acts; a plan applied and re-planned on the
 * resulting state is empty.
 */
export function planService(input: ServicePlanInput): ServicePlan {
  const plan: ServicePlan = { launch: 0, start: [], stop: [] };
  const active = input.tasks.filter((t) => !t.stopRequested && !ENDED.has(t.lastStatus));

  if (!input.desired) {
    plan.stop = active.map((t) => ({ taskId: t.taskId, stopCode: 'ServiceSchedulerInitiated', reason: 'Service was deleted' }));
    return plan;
  }

  const { desiredCount, revision } = input.desired;
  const { maximumPercent, minimumHealthyPercent } = input.options;

  // A task a crashed controller left half-created cannot be completed: replace it.
  const incomplete = active.filter((t) => t.lastStatus === 'PROVISIONING' && !t.inFlight);
  for (const t of incomplete) {
    plan.stop.push({ taskId: t.taskId, stopCode: 'TaskFailedToStart', reason: 'Task was left incomplete by an interrupted launch' });
  }
  const usable = active.filter((t) => !incomplete.includes(t));
  const deploymentId = input.desired.deploymentId;
  const sameDeployment = (t: PlannedTask) => (deploymentId !== undefined && t.deploymentId !== undefined ? t.deploymentId === deploymentId : t.revision === revision);
  const isCurrent = (t: PlannedTask) => sameDeployment(t) && !t.placedElsewhere;
  const current = usable.filter(isCurrent);
  const outdated = usable.filter((t) => !isCurrent(t));

  // Scale in: pending before running, newest first.
  const surplus = current.length - desiredCount;
  const stopping = new Set<string>();
  if (surplus > 0) {
    for (const t of [...current].sort(scaleInOrder).slice(0, surplus)) {
      plan.stop.push({ taskId: t.taskId, stopCode: 'ServiceSchedulerInitiated', reason: 'Scaling activity initiated by the service' });
      stopping.add(t.taskId);
    }
  }
  const keptCurrent = current.filter((t) => !stopping.has(t.taskId));

  // Replace outdated tasks without dropping below the minimum healthy count: a new task
  // that runs but has not passed its health checks yet does not count, so the old ones it
  // replaces keep serving until it does. A held rollout replaces nothing.
  const healthyCount = usable.filter((t) => isHealthy(t) && !stopping.has(t.taskId)).length;
  let stoppable = healthyCount - minimumHealthyTasks(desiredCount, minimumHealthyPercent);
  for (const t of input.launchesHeld ? [] : [...outdated].sort(scaleInOrder)) {
    const counts = isHealthy(t);
    if (counts && stoppable <= 0) continue;
    const reason = t.placedElsewhere
      ? 'Task replaced: the service moved to another cluster or capacity provider'
      : t.revision === revision
        ? 'Task replaced by a new deployment'
        : 'Task replaced by a newer task definition revision';
    plan.stop.push({ taskId: t.taskId, stopCode: 'ServiceSchedulerInitiated', reason });
    stopping.add(t.taskId);
    if (counts) stoppable--;
  }

  // Scale out, within maximumPercent of desired counting every task still alive.
  const alive = usable.filter((t) => !stopping.has(t.taskId) || t.lastStatus === 'RUNNING').length;
  const room = Math.max(maximumTasks(desiredCount, maximumPercent), desiredCount) - alive;
  const wanted = input.launchesHeld ? 0 : Math.max(0, Math.min(desiredCount - keptCurrent.length, room));

  plan.start = keptCurrent.filter((t) => t.lastStatus === 'PENDING' && !t.inFlight).map((t) => t.taskId);

  const placementWait = (input.placementBlockedUntil ?? 0) - input.now;
  if (wanted > 0 && placementWait > 0) {
    plan.placementWaitMs = placementWait;
    plan.requeueAfterMs = placementWait;
  } else if (wanted > 0) {
    const { consecutiveFailures, lastFailureAt } = crashLoop(input.stopped);
    const delay = launchDelay(consecutiveFailures, input.options.throttleBaseMs, input.options.throttleMaxMs);
    // Stop times come from the engine's clock; never wait longer than the delay itself.
    const wait = lastFailureAt === undefined ? 0 : Math.min(delay, lastFailureAt + delay - input.now);
    if (wait > 0) {
      plan.throttle = { consecutiveFailures, waitMs: wait };
      plan.requeueAfterMs = wait;
    } else {
      plan.launch = wanted;
    }
  }
  return plan;
}

/** Counts toward minimumHealthyPercent: RUNNING, and healthy unless told otherwise. */
function isHealthy(t: PlannedTask): boolean {
  return t.lastStatus === 'RUNNING' && t.healthy !== false;
}

/** Pending tasks stop first, then running ones failing their health checks, then healthy ones; among equals, the newest first. */
export function scaleInOrder(a: PlannedTask, b: PlannedTask): number {
  const rank = (t: PlannedTask) => (t.lastStatus !== 'RUNNING' ? 0 : isHealthy(t) ? 2 : 1);
  return rank(a) - rank(b) || b.createdAt - a.createdAt || a.taskId.localeCompare(b.taskId);
}

/**
 * Consecutive failures: the newest stopped tasks that failed before running stably,
 * counted until the first one that did not. A stable task resets the count. Tasks their
 * engine stopped by going away say nothing about the task: they neither count nor reset.
 * Newest first [crash, engine, engine, engine, crash, stable] → 2 failures, the last at
 * the first crash's stop.
 */
export function crashLoop(stopped: readonly StoppedTask[]): { consecutiveFailures: number; lastFailureAt?: number } {
  let consecutiveFailures = 0;
  let newestFailure: StoppedTask | undefined;
  for (const task of stopped) {
    if (task.byEngine) continue;
    if (!task.failed || task.wasStable) break;
    consecutiveFailures++;
    newestFailure ??= task;
  }
  if (consecutiveFailures === 0 || !newestFailure?.stoppedAt) return { consecutiveFailures };
  return { consecutiveFailures, lastFailureAt: Date.parse(newestFailure.stoppedAt) };
}
