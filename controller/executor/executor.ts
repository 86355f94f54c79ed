import type { Action, Execution } from '../controllers/context.js';
import type { EnginePool } from '../engines.js';
import { errorMessage } from '../errors.js';
import { parseGroup, retirementKey } from '../keys.js';
import { stoppedTaskEvents } from '../controllers/service/stopEvents.js';
import type { Logger } from '../log.js';
import type { ObservedTask } from '../observer/observe.js';
import { LABEL } from '../runtime/labels.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Ledger } from '../state/ledger.js';
import type { ManifestStore } from '../store/store.js';
import { DEFAULT_STOP_TIMEOUT_SECONDS } from '../taskspec/containerSpecs.js';
import { stopWaves } from './lifecycle.js';

export interface ExecutorOptions {
  engines: Pick<EnginePool, 'all'>;
  ledger: Ledger;
  store: Pick<ManifestStore, 'mayDefine'>;
  enqueue(key: string, afterMs?: number): void;
  /** The time events are told at. */
  now(): number;
}

/**
 * Applies the actions plans return: the one writer of engines and of the ledger. What it
 * has under way (stops that wait out stopTimeout) the plans read back as `Execution`.
 */
export class Executor implements Execution {
  private readonly stopping = new Map<string, Promise<void>>();

  constructor(private readonly options: ExecutorOptions) {}

  isStopping(taskId: string): boolean {
    return this.stopping.has(taskId);
  }

  stopsInFlight(): number {
    return this.stopping.size;
  }

  /** Waits for the stops under way. */
  async drain(): Promise<void> {
    await Promise.all(this.stopping.values());
  }

  /** In order; stops run in the background, everything else is done when this resolves. */
  async apply(actions: readonly Action[], log: Logger): Promise<void> {
    const { ledger } = this.options;
    const removals: Array<Extract<Action, { type: 'removeTask' }>> = [];
    for (const action of actions) {
      if (action.type !== 'removeTask' && removals.length) await this.removeTasks(removals.splice(0), log);
      switch (action.type) {
        case 'stopTask':
          this.stopInBackground(action, log);
          break;
        case 'removeTask':
          // Removals of one pass run together.
          removals.push(action);
          break;
        case 'recordStopped': {
          for (const stopped of action.stopped) ledger.recordStopped(action.group, stopped);
          // Recorded here before the service's reconcile saw them: the service's events are told here.
          const owner = parseGroup(action.group);
          if (owner?.kind === 'service') for (const message of stoppedTaskEvents(owner.name, action.stopped)) ledger.addEvent(action.group, message, this.options.now());
          break;
        }
        case 'settleStopRequest':
          ledger.settle(action.group, action.taskId);
          break;
        case 'dropGroup':
          // The owner may have been recreated while its old tasks were stopping.
          if (!this.options.store.mayDefine(action.unlessDefined.kind, action.unlessDefined.name)) ledger.drop(action.group);
          break;
        case 'ensureNetwork':
          await this.runtimeAt(action.engine)
            ?.ensureNetwork(action.name, action.labels)
            .catch(() => undefined);
          break;
        case 'enqueue':
          this.options.enqueue(action.key);
          break;
        case 'addEvent':
          ledger.addEvent(action.group, action.message, this.options.now());
          break;
      }
    }
    if (removals.length) await this.removeTasks(removals, log);
  }

  private runtimeAt(engine: string): Runtime | undefined {
    return this.options.engines.all().find((e) => e.address === engine)?.runtime;
  }

  /**
   * Stops run in the background, each task's containers one after another: a stop waits
   * up to stopTimeout, and a worker must not sit through it while other services wait.
   */
  private stopInBackground(action: Extract<Action, { type: 'stopTask' }>, log: Logger): void {
    const { task, group } = action;
    if (this.stopping.has(task.taskId)) return;
    const runtime = this.runtimeAt(action.engine);
    const stop = (runtime ? stopTask(task, runtime) : Promise.reject(new Error(`engine ${action.engine} is gone`)))
      .catch((error: unknown) => log.warn({ taskId: task.taskId, err: errorMessage(error) }, 'stopping a task failed; will retry'))
      .finally(() => {
        this.stopping.delete(task.taskId);
        this.options.enqueue(retirementKey(group));
      });
    this.stopping.set(task.taskId, stop);
  }

  private async removeTasks(removals: ReadonlyArray<Extract<Action, { type: 'removeTask' }>>, log: Logger): Promise<void> {
    await Promise.all(
      removals.map(async ({ task, engine }) => {
        const runtime = this.runtimeAt(engine);
        if (!runtime) return;
        const containers = [...task.containers, ...(task.pause ? [task.pause] : [])];
        await Promise.all(containers.map((c) => runtime.remove(c.id)));
        await removeTaskVolumes(runtime, task.taskId, log);
      }),
    );
  }
}

/**
 * Stops a task's containers in reverse dependency order, as ECS does: a container
 * stops only after the containers that depend on it, each after its own stopTimeout
 * at most; containers with no order between them stop together. The pause container
 * stops after all of them.
 */
async function stopTask(task: ObservedTask, runtime: Runtime): Promise<void> {
  // The pause container goes last: its namespaces outlive every container that joined them.
  for (const wave of [...stopWaves(task.containers), ...(task.pause ? [[task.pause]] : [])]) {
    await Promise.all(
      wave.map((container) => {
        const timeoutSeconds = Number(container.labels[LABEL.stopTimeout] ?? DEFAULT_STOP_TIMEOUT_SECONDS);
        return runtime.stop(container.id, { timeoutSeconds });
      }),
    );
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
