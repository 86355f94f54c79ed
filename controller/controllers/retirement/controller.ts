import type { Logger } from '../../log.js';
import { LABEL } from '../../runtime/labels.js';
import type { ObservedContainer, Runtime } from '../../runtime/runtime.js';
import type { ControllerContext, ReconcileResult, Reconciler, Watches } from '../context.js';
import { groupRetirement, EXIT_RECHECK_MS } from '../watches.js';
import { DEFAULT_STOP_TIMEOUT_SECONDS } from '../../taskspec/containerSpecs.js';
import { stopWaves } from '../../executor/lifecycle.js';
import { observeTasks, type ObservedTask } from '../../observer/observe.js';
import { engineOutageLookup } from '../../observer/engineStops.js';
import { recordStoppedTasks } from '../../observer/summary.js';
import { planRetirement } from './plan.js';
import { errorMessage } from '../../errors.js';
import { key, parseGroup, retirementKey } from '../../keys.js';

/**
 * The retirement controller: carries out the stops other controllers decided
 * (SIGTERM, stopTimeout, SIGKILL; essential containers last), records how each
 * task ended, and removes stopped tasks' containers after the retention period.
 * Keys are groups: "Retirement/service:web".
 */
export class RetirementController implements Reconciler {
  readonly kind = 'Retirement';
  readonly watches: Watches = { containers: { keys: groupRetirement, recheckAfterExitMs: EXIT_RECHECK_MS } };

  private readonly stopping = new Map<string, Promise<void>>();

  constructor(private readonly ctx: ControllerContext) {}

  stopsInFlight(): number {
    return this.stopping.size;
  }

  /**
   * Stops a task's containers in reverse dependency order, as ECS does: a container
   * stops only after the containers that depend on it, each after its own stopTimeout
   * at most; containers with no order between them stop together. The pause container
   * stops after all of them.
   */
  private async stopTask(task: ObservedTask, runtimeOf: ReadonlyMap<string, Runtime>): Promise<void> {
    // The pause container goes last: its namespaces outlive every container that joined them.
    for (const wave of [...stopWaves(task.containers), ...(task.pause ? [[task.pause]] : [])]) {
      await Promise.all(
        wave.map((container) => {
          const timeoutSeconds = Number(container.labels[LABEL.stopTimeout] ?? DEFAULT_STOP_TIMEOUT_SECONDS);
          return runtimeOf.get(container.id)!.stop(container.id, { timeoutSeconds });
        }),
      );
    }
  }

  async reconcile(group: string, log: Logger): Promise<ReconcileResult> {
    const { ctx } = this;
    const parsed = parseGroup(group);
    const owner = parsed?.kind === 'task' ? 'Task' : 'Service';
    const standalone = owner === 'Task';
    const ownerGone = parsed !== undefined && !ctx.store.mayDefine(owner, parsed.name);
    const listedAt = ctx.clock.now();
    const located = await this.locate(group);
    const requests = ctx.ledger.get(group).stopRequests;
    const tasks = observeTasks(
      located.map((l) => l.container),
      new Set(Object.keys(requests)),
    );
    const runtimeOf = new Map(located.map((l) => [l.container.id, l.runtime]));

    const plan = planRetirement({
      tasks,
      stopRequested: new Set(Object.keys(requests)),
      ownerGone,
      now: ctx.clock.now(),
      // A standalone run keeps every stopped task (at most 10) for the task retention, to be inspected.
      keepStoppedContainers: ownerGone ? 0 : standalone ? Infinity : ctx.options.keepStoppedContainers,
      retentionMs: standalone ? ctx.options.taskRetentionMs : ctx.options.stoppedContainerRetentionMs,
    });

    // Stops run in the background, each task's containers one after another: a stop waits
    // up to stopTimeout, and a worker must not sit through it while other services wait.
    const newStops = plan.stop.filter((taskId) => !this.stopping.has(taskId));
    if (newStops.length) {
      log.info({ tasks: newStops }, 'stopping tasks');
      for (const taskId of newStops) {
        const stop = this.stopTask(tasks.find((t) => t.taskId === taskId)!, runtimeOf)
          .catch((error: unknown) => log.warn({ taskId, err: errorMessage(error) }, 'stopping a task failed; will retry'))
          .finally(() => {
            this.stopping.delete(taskId);
            ctx.enqueue(retirementKey(group));
          });
        this.stopping.set(taskId, stop);
      }
    }

    const recorded = recordStoppedTasks({ ledger: ctx.ledger, group, tasks, now: ctx.clock.now(), stableAfterMs: ctx.options.stableAfterMs, engineOutageOf: engineOutageLookup(ctx, runtimeOf) });

    if (plan.remove.length) {
      log.info({ tasks: plan.remove }, 'removing stopped tasks');
      await Promise.all(
        plan.remove.map(async (taskId) => {
          const task = tasks.find((t) => t.taskId === taskId);
          const containers = task ? [...task.containers, ...(task.pause ? [task.pause] : [])] : [];
          await Promise.all(containers.map((c) => runtimeOf.get(c.id)?.remove(c.id)));
          const runtime = containers.map((c) => runtimeOf.get(c.id)).find((r) => r !== undefined);
          if (runtime) await removeTaskVolumes(runtime, taskId, log);
        }),
      );
    }

    // Stop requests of tasks whose containers are all gone are settled; a request made
    // after the list may be for a task still being launched, so it waits for the next pass.
    const remaining = new Set(tasks.filter((t) => !plan.remove.includes(t.taskId)).map((t) => t.taskId));
    for (const [taskId, request] of Object.entries(requests)) {
      if (!remaining.has(taskId) && request.requestedAt <= listedAt) ctx.ledger.settle(group, taskId);
    }
    // The owner may have been recreated while its old tasks were stopping.
    if (ownerGone && remaining.size === 0 && !ctx.store.mayDefine(owner, parsed.name)) ctx.ledger.drop(group);

    if (plan.remove.length || recorded.length) {
      if (parsed) ctx.enqueue(key(owner, parsed.name));
      const clusters = new Set(tasks.map((t) => t.cluster));
      for (const cluster of clusters) ctx.enqueue(key('Cluster', cluster));
    }
    const result: ReconcileResult = {};
    if (plan.requeueAfterMs !== undefined) result.requeueAfterMs = plan.requeueAfterMs;
    return result;
  }

  private async locate(group: string): Promise<Array<{ container: ObservedContainer; runtime: Runtime }>> {
    // An engine that does not answer is left for a later pass; the others are served now.
    const lists = await Promise.all(
      this.ctx.engines.all().map(async ({ runtime }) =>
        (await runtime.list({ [LABEL.group]: group }).catch(() => [])).map((container) => ({ container, runtime })),
      ),
    );
    return lists.flat();
  }
}

/**
 * A task's task-scoped volumes go with its containers (ECS scope `task`). A failure is
 * logged and left: the volume is labelled, so a person can find it, and it holds no
 * container back.
 */
async function removeTaskVolumes(runtime: Runtime, taskId: string, log: Logger): Promise<void> {
  try {
    const volumes = await runtime.listVolumes({ [LABEL.taskId]: taskId });
    for (const volume of volumes) await runtime.removeVolume(volume.name);
    if (volumes.length) log.debug({ taskId, volumes: volumes.map((v) => v.name) }, 'removed task volumes');
  } catch (error) {
    log.warn({ taskId, err: errorMessage(error) }, 'removing task volumes failed');
  }
}
