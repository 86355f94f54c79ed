import type { TaskState } from '../../kinds/index.js';
import { failureThreshold } from './circuitBreaker.js';

/**
 * A service's deployments, as ECS keeps them: each change of what the service runs (a
 * new revision, a forceNewDeployment bump, a move to another cluster or capacity
 * provider) starts a deployment; the newest is PRIMARY, the ones whose tasks are still
 * being replaced are ACTIVE, the finished ones INACTIVE. Pure: the caller persists the
 * history this returns and tells the events.
 */

export type DeploymentStatus = 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface Deployment {
  /** ecs-svc/ and 19 digits, as ECS names them; the tasks it starts carry it (startedBy). */
  id: string;
  status: DeploymentStatus;
  /** family:N */
  taskDefinition: string;
  /** The identity of what it deploys: the service spec hash that started it. */
  specHash: string;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /** Tasks of this deployment that failed since the last one became healthy (the circuit breaker's count). */
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  /** Set on a rollback: the COMPLETED deployment it returns to, whose tasks it takes over. */
  rollbackTo?: string;
  /** When all its tasks first ran healthy with no other deployment's task left: bake time runs from here. */
  steadySince?: number;
  /** Task ids already counted as failed, and seen healthy: each counts once. */
  countedFailed: string[];
  seenHealthy: string[];
}

export interface DeploymentHistory {
  /** The spec hash that last started a deployment from the file; a rollback leaves it, so the file's failed spec is not retried until it changes. */
  specHash?: string;
  /** Newest first. */
  deployments: Deployment[];
}

/** A task of the service as the deployment plan sees it. */
export interface DeploymentTask {
  taskId: string;
  /** The deployment that started it (its label); absent on tasks started before deployments were kept. */
  deploymentId?: string;
  /** family:N */
  taskDefinition: string;
  lastStatus: TaskState;
  /** RUNNING with its essential health checks (and load balancer targets) passing. */
  healthy: boolean;
}

/** A task of the service that stopped without being asked to. */
export interface FailedTask {
  taskId: string;
  deploymentId?: string;
  taskDefinition: string;
  /** ECS's circuit breaker stages: 1 never reached RUNNING, 2 failed its health checks. */
  stage: 1 | 2;
}

export interface DeploymentSettings {
  /** ECS deploymentCircuitBreaker; undefined or enable false: failures never stop a rollout. */
  circuitBreaker?: { enable: boolean; rollback: boolean };
  /** A task that becomes healthy resets the failure count (ECS resetOnHealthyTask, default true). */
  resetOnHealthyTask: boolean;
  /** bakeTimeInMinutes, in ms: how long a finished rollout is watched before it is COMPLETED. */
  bakeTimeMs: number;
}

export interface DeploymentInput {
  service: string;
  now: number;
  desired: { taskDefinition: string; specHash: string; desiredCount: number };
  settings: DeploymentSettings;
  history: DeploymentHistory;
  tasks: readonly DeploymentTask[];
  /** Newest first. */
  failed: readonly FailedTask[];
  /** A new deployment id; injected so the plan stays pure. */
  newId(): string;
}

export interface DeploymentPlan {
  history: DeploymentHistory;
  primary: Deployment;
  /** Which deployment each task belongs to (tasks of a rolled-back-to deployment move to the rollback). */
  deploymentOf: ReadonlyMap<string, string>;
  /** The primary failed and nothing rolls it back: no new task is launched. */
  launchesHeld: boolean;
  /** New service events, oldest first. */
  events: string[];
  /** Look again then even if nothing happens (the end of a bake time). */
  requeueAfterMs?: number;
}

const LIVE_UNTIL: ReadonlySet<TaskState> = new Set(['STOPPED']);
const KEEP_INACTIVE = 5;
const KEEP_TASK_IDS = 200;

export function planDeployments(input: DeploymentInput): DeploymentPlan {
  const { service, now, desired, settings } = input;
  const history: DeploymentHistory = structuredClone(input.history);
  const events: string[] = [];
  const deployments = history.deployments;

  if (history.specHash !== desired.specHash || deployments.length === 0) {
    history.specHash = desired.specHash;
    start(deployments, { id: input.newId(), taskDefinition: desired.taskDefinition, specHash: desired.specHash, now });
  }
  let primary = deployments[0]!;
  let deploymentOf = assign(deployments, input.tasks);

  if (primary.rolloutState === 'IN_PROGRESS') {
    countTasks(primary, input, deploymentOf);
    const threshold = failureThreshold(desired.desiredCount);
    if (settings.circuitBreaker?.enable && primary.failedTasks >= threshold) {
      const stage = input.failed.find((t) => deploymentOf.get(t.taskId) === primary.id || t.deploymentId === primary.id)?.stage ?? 1;
      const cause = stage === 1 ? 'tasks failed to start' : 'tasks failed health checks';
      primary.rolloutState = 'FAILED';
      primary.rolloutStateReason = `ECS deployment circuit breaker: ${stage === 1 ? 'task failed to start' : 'task failed health checks'}.`;
      primary.updatedAt = now;
      events.push(`(service ${service}) (deployment ${primary.id}) deployment failed: ${cause}.`);
      const target = settings.circuitBreaker.rollback ? deployments.find((d) => d !== primary && d.rolloutState === 'COMPLETED') : undefined;
      if (target) {
        const rollback = start(deployments, { id: input.newId(), taskDefinition: target.taskDefinition, specHash: target.specHash, now, rollbackTo: target.id });
        rollback.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`;
        events.push(`(service ${service}) (deployment ${rollback.id}) rolling back to deployment ${target.id}.`);
        primary = rollback;
        deploymentOf = assign(deployments, input.tasks);
      }
    }
  }

  let requeueAfterMs: number | undefined;
  if (primary.rolloutState === 'IN_PROGRESS') {
    const mine = input.tasks.filter((t) => deploymentOf.get(t.taskId) === primary.id && !LIVE_UNTIL.has(t.lastStatus));
    const othersLeft = input.tasks.some((t) => deploymentOf.get(t.taskId) !== primary.id && !LIVE_UNTIL.has(t.lastStatus));
    const done = !othersLeft && mine.length === desired.desiredCount && mine.every((t) => t.healthy);
    if (!done) delete primary.steadySince;
    else {
      primary.steadySince ??= now;
      const bakeLeft = primary.steadySince + settings.bakeTimeMs - now;
      if (bakeLeft > 0) requeueAfterMs = bakeLeft;
      else {
        primary.rolloutState = 'COMPLETED';
        primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
        primary.updatedAt = now;
        events.push(`(service ${service}) (deployment ${primary.id}) deployment completed.`);
      }
    }
  }

  // A deployment whose tasks are all gone is over.
  for (const deployment of deployments) {
    if (deployment === primary || deployment.status === 'INACTIVE') continue;
    const left = input.tasks.some((t) => deploymentOf.get(t.taskId) === deployment.id && !LIVE_UNTIL.has(t.lastStatus));
    if (!left) {
      deployment.status = 'INACTIVE';
      deployment.updatedAt = now;
    }
  }
  history.deployments = prune(deployments);
  const plan: DeploymentPlan = { history, primary, deploymentOf, launchesHeld: primary.rolloutState === 'FAILED', events };
  if (requeueAfterMs !== undefined) plan.requeueAfterMs = requeueAfterMs;
  return plan;
}

/** Puts a new PRIMARY in front; the previous primary's tasks are now being replaced (ACTIVE). */
function start(
  deployments: Deployment[],
  d: { id: string; taskDefinition: string; specHash: string; now: number; rollbackTo?: string },
): Deployment {
  for (const old of deployments) if (old.status === 'PRIMARY') old.status = 'ACTIVE';
  const deployment: Deployment = {
    id: d.id,
    status: 'PRIMARY',
    taskDefinition: d.taskDefinition,
    specHash: d.specHash,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${d.id} in progress.`,
    failedTasks: 0,
    createdAt: d.now,
    updatedAt: d.now,
    countedFailed: [],
    seenHealthy: [],
  };
  if (d.rollbackTo) deployment.rollbackTo = d.rollbackTo;
  deployments.unshift(deployment);
  return deployment;
}

/**
 * Which deployment each task belongs to: the one its label names, except that a rollback
 * takes over the tasks of the deployment it returns to (they run what it deploys), and a
 * task without a label belongs to the primary when it runs the primary's revision.
 */
function assign(deployments: readonly Deployment[], tasks: readonly DeploymentTask[]): Map<string, string> {
  const primary = deployments[0]!;
  const known = new Set(deployments.map((d) => d.id));
  const owner = new Map<string, string>();
  for (const task of tasks) {
    let id = task.deploymentId && known.has(task.deploymentId) ? task.deploymentId : undefined;
    if (id !== undefined && id === primary.rollbackTo) id = primary.id;
    if (id === undefined && task.taskDefinition === primary.taskDefinition && !task.deploymentId) id = primary.id;
    owner.set(task.taskId, id ?? `unknown:${task.deploymentId ?? task.taskDefinition}`);
  }
  return owner;
}

/** The circuit breaker's count: failures of the primary's tasks, reset by a task that becomes healthy. */
function countTasks(primary: Deployment, input: DeploymentInput, deploymentOf: ReadonlyMap<string, string>): void {
  const belongs = (taskId: string, deploymentId: string | undefined) => deploymentOf.get(taskId) === primary.id || deploymentId === primary.id;
  for (const task of input.tasks) {
    if (!task.healthy || !belongs(task.taskId, task.deploymentId) || primary.seenHealthy.includes(task.taskId)) continue;
    primary.seenHealthy = [...primary.seenHealthy, task.taskId].slice(-KEEP_TASK_IDS);
    if (input.settings.resetOnHealthyTask) primary.failedTasks = 0;
  }
  for (const task of [...input.failed].reverse()) {
    if (!belongs(task.taskId, task.deploymentId) || primary.countedFailed.includes(task.taskId)) continue;
    primary.countedFailed = [...primary.countedFailed, task.taskId].slice(-KEEP_TASK_IDS);
    primary.failedTasks++;
    primary.updatedAt = input.now;
  }
}

/** PRIMARY and ACTIVE deployments, the newest COMPLETED one (what a rollback returns to), and a few more. */
function prune(deployments: Deployment[]): Deployment[] {
  const lastCompleted = deployments.find((d) => d.rolloutState === 'COMPLETED');
  let inactive = 0;
  return deployments.filter((d) => d.status !== 'INACTIVE' || d === lastCompleted || inactive++ < KEEP_INACTIVE);
}

/** A new deployment id, as ECS writes them: ecs-svc/ and 19 digits. */
export function deploymentId(random: () => number = Math.random): string {
  let digits = '';
  for (let i = 0; i < 19; i++) digits += Math.floor(random() * 10).toString();
  return `ecs-svc/${digits}`;
}
