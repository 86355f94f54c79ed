import type { Logger } from '../log.js';
import { isEngineUnreachable, type ObservedContainer, type Runtime } from '../runtime/runtime.js';
import type { ControllerContext } from '../controllers/context.js';
import { ecsName, restartsInPlace, startTaskContainers } from './lifecycle.js';
import type { ObservedTask } from '../observer/observe.js';
import { errorMessage } from '../errors.js';
import { retirementKey } from '../keys.js';

/**
 * What the ECS agent does for a running task between launch and stop: restart exited
 * containers in place under their restart policy, and (for services) stop tasks whose
 * health checks fail so the scheduler replaces them.
 */
export interface SuperviseInput {
  ctx: ControllerContext;
  group: string;
  tasks: readonly ObservedTask[];
  log: Logger;
  /** "service web": how events name the owner. */
  owner: string;
}

/** Restarts, in place, every exited container whose restart policy says so. */
export async function restartExitedContainers(input: SuperviseInput & { runtimeOf: ReadonlyMap<string, Runtime> }): Promise<void> {
  const { ctx, group, log } = input;
  const requests = ctx.ledger.get(group).stopRequests;
  for (const task of input.tasks) {
    if (requests[task.taskId] || task.lastStatus === 'STOPPING' || task.lastStatus === 'STOPPED') continue;
    for (const container of task.containers.filter(restartsInPlace)) {
      const runtime = input.runtimeOf.get(container.id);
      if (!runtime) continue;
      try {
        await runtime.start(container.id);
      } catch (error) {
        log.warn({ taskId: task.taskId, container: ecsName(container), err: errorMessage(error) }, 'restarting a container failed');
        continue;
      }
      log.info({ taskId: task.taskId, container: ecsName(container), exitCode: container.exitCode }, 'restarted container in place');
      ctx.ledger.addEvent(
        group,
        `(${input.owner}) restarted container ${ecsName(container)} of (task ${task.taskId}) after it exited with code ${container.exitCode}.`,
        ctx.clock.now(),
      );
    }
  }
}

/** ECS: "for tasks that are part of a service, if the task reports as unhealthy then the task will be stopped". */
export function stopUnhealthyTasks(input: SuperviseInput): void {
  const { ctx, group, log } = input;
  const requests = ctx.ledger.get(group).stopRequests;
  const unhealthy = input.tasks.filter((t) => t.healthStatus === 'UNHEALTHY' && t.lastStatus === 'RUNNING' && !requests[t.taskId]);
  if (unhealthy.length === 0) return;
  const now = ctx.clock.now();
  for (const task of unhealthy) {
    ctx.ledger.requestStop(group, task.taskId, { stopCode: 'ServiceSchedulerInitiated', reason: 'Task failed container health checks', requestedAt: now, failed: true });
    ctx.ledger.addEvent(group, `(${input.owner}) (task ${task.taskId}) failed container health checks.`, now);
  }
  log.info({ tasks: unhealthy.map((t) => t.taskId) }, 'stopping unhealthy tasks');
  ctx.enqueue(retirementKey(group));
}

/**
 * Starts, in dependency order, the created containers of a task that a previous controller
 * did not finish starting (it may have been waiting on dependsOn). A task that cannot start
 * is stopped as a failure, for its owner to replace or report.
 */
export async function resumeTaskStart(input: {
  ctx: ControllerContext;
  group: string;
  taskId: string;
  runtime: Runtime;
  containers: readonly ObservedContainer[];
  log: Logger;
  shuttingDown: () => boolean;
}): Promise<void> {
  const { ctx, group, taskId } = input;
  try {
    await startTaskContainers({
      runtime: input.runtime,
      containers: input.containers,
      now: () => ctx.clock.now(),
      cancelled: () => Boolean(ctx.ledger.get(group).stopRequests[taskId]) || input.shuttingDown(),
    });
  } catch (error) {
    const reason = `CannotStartContainerError: ${errorMessage(error)}`;
    input.log.warn({ taskId, reason }, 'adopted task failed to start');
    // An engine that does not answer says nothing about the task: not counted as its failure.
    ctx.ledger.requestStop(group, taskId, { stopCode: 'TaskFailedToStart', reason, requestedAt: ctx.clock.now(), failed: !isEngineUnreachable(error) });
    ctx.enqueue(retirementKey(group));
  }
}
