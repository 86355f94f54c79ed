import type { ObservedTask } from '../observer/observe.js';
import { restartsInPlace } from '../observer/restarts.js';
import { LABEL } from '../runtime/labels.js';
import type { Action } from './context.js';

/**
 * What the ECS agent does for a running task between launch and stop, as actions:
 * restart exited containers in place under their restart policy, and (for services)
 * stop tasks whose health checks fail so the scheduler replaces them. Pure.
 */
export interface SupervisionInput {
  group: string;
  tasks: readonly ObservedTask[];
  /** Tasks already asked to stop, in this pass too. */
  stopRequested: ReadonlySet<string>;
  /** "service web": how events name the owner. */
  owner: string;
}

/** Every exited container whose restart policy says so, of a task nobody asked to stop, restarts in place. */
export function inPlaceRestarts(input: SupervisionInput & { engineOf: (containerId: string) => string | undefined }): Action[] {
  const actions: Action[] = [];
  for (const task of input.tasks) {
    if (input.stopRequested.has(task.taskId) || task.lastStatus === 'STOPPING' || task.lastStatus === 'STOPPED') continue;
    for (const container of task.containers.filter(restartsInPlace)) {
      const engine = input.engineOf(container.id);
      if (engine === undefined) continue;
      const name = container.labels[LABEL.container] ?? container.name;
      const event = `(${input.owner}) restarted container ${name} of (task ${task.taskId}) after it exited with code ${container.exitCode}.`;
      actions.push({ type: 'restartContainer', group: input.group, engine, taskId: task.taskId, container, event });
    }
  }
  return actions;
}

/**
 * ECS: "for tasks that are part of a service, if the task reports as unhealthy then the
 * task will be stopped". Each stop is asked for, then told. Within the service's
 * healthCheckGracePeriodSeconds of its start, an unhealthy task is left alone, and the
 * service is looked at again when the first such grace ends (`recheckAfterMs`).
 */
export function unhealthyStops(input: SupervisionInput & { now: number; graceMs?: number }): { taskIds: string[]; actions: Action[]; recheckAfterMs?: number } {
  const { group, now } = input;
  const graceLeft = (t: ObservedTask) => (input.graceMs && t.startedAt !== undefined ? t.startedAt + input.graceMs - now : 0);
  const failing = input.tasks.filter((t) => t.healthStatus === 'UNHEALTHY' && t.lastStatus === 'RUNNING' && !input.stopRequested.has(t.taskId));
  const unhealthy = failing.filter((t) => graceLeft(t) <= 0);
  const actions = unhealthy.flatMap((task): Action[] => [
    { type: 'requestStop', group, taskId: task.taskId, request: { stopCode: 'ServiceSchedulerInitiated', reason: 'Task failed container health checks', requestedAt: now, failed: true } },
    { type: 'addEvent', group, message: `(${input.owner}) (task ${task.taskId}) failed container health checks.`, at: now },
  ]);
  const inGrace = failing.map(graceLeft).filter((left) => left > 0);
  return { taskIds: unhealthy.map((t) => t.taskId), actions, ...(inGrace.length ? { recheckAfterMs: Math.min(...inGrace) } : {}) };
}
