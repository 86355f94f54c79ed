import type { ObservedTask } from '../../observer/observe.js';

export interface RetirementPlanInput {
  tasks: readonly ObservedTask[];
  /** Tasks someone asked to stop. */
  stopRequested: ReadonlySet<string>;
  /** The owner (service) no longer exists: nothing is kept. */
  ownerGone: boolean;
  now: number;
  keepStoppedContainers: number;
  retentionMs: number;
}

export interface RetirementPlan {
  /** Tasks whose live containers get SIGTERM, then SIGKILL after their stopTimeout. */
  stop: string[];
  /** Stopped tasks whose containers are removed. */
  remove: string[];
  /** When the next kept container expires. */
  requeueAfterMs?: number;
}

/**
 * Which tasks to stop and which stopped tasks to clean up. A stopped task's
 * containers are kept for inspection: the newest `keepStoppedContainers` of them,
 * for at most `retentionMs`; everything goes when the owner is gone. Pure.
 */
export function planRetirement(input: RetirementPlanInput): RetirementPlan {
  const plan: RetirementPlan = { stop: [], remove: [] };
  const live = (t: ObservedTask) => [...t.containers, ...(t.pause ? [t.pause] : [])].some((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting');
  for (const task of input.tasks) {
    if ((input.stopRequested.has(task.taskId) || input.ownerGone || task.lastStatus === 'STOPPING') && live(task)) plan.stop.push(task.taskId);
  }
  const stopped = input.tasks
    .filter((t) => !live(t) && (t.lastStatus === 'STOPPED' || input.stopRequested.has(t.taskId) || input.ownerGone))
    .sort((a, b) => (b.stoppedAt ?? b.createdAt) - (a.stoppedAt ?? a.createdAt));
  let nextExpiry = Infinity;
  stopped.forEach((task, index) => {
    const expiresAt = (task.stoppedAt ?? input.now) + input.retentionMs;
    const neverStarted = task.lastStatus !== 'STOPPED';
    if (input.ownerGone || neverStarted || index >= input.keepStoppedContainers || expiresAt <= input.now) plan.remove.push(task.taskId);
    else nextExpiry = Math.min(nextExpiry, expiresAt);
  });
  if (Number.isFinite(nextExpiry)) plan.requeueAfterMs = nextExpiry - input.now;
  return plan;
}
