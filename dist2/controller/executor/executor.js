import { writePlannedStatus } from '../controllers/context.js';
import { errorMessage } from '../errors.js';
import { parseGroup, retirementKey } from '../keys.js';
import { stoppedTaskEvents } from '../controllers/service/stopEvents.js';
import { LABEL } from '../runtime/labels.js';
import { DEFAULT_STOP_TIMEOUT_SECONDS } from '../taskspec/containerSpecs.js';
import { ecsName, stopWaves } from './lifecycle.js';
import { TaskLaunching } from './launching.js';
/**
 * Applies the actions plans return: the one writer of engines and of the ledger. What it
 * has under way (stops that wait out stopTimeout, launches) the plans read back as `Execution`.
 */
export class Executor {
    options;
    stopping = new Map();
    launches;
    constructor(options) {
        this.options = options;
        this.launches = new TaskLaunching(options.launchContext);
    }
    isStopping(taskId) {
        return this.stopping.has(taskId);
    }
    launching(group) {
        return this.launches.launching(group);
    }
    placementFailure(group) {
        return this.launches.placementFailure(group);
    }
    refusalTold(group) {
        return this.launches.refusalTold(group);
    }
    stopsInFlight() {
        return this.stopping.size;
    }
    launchesInFlight() {
        return this.launches.size;
    }
    /** Waits for the stops under way. */
    async drain() {
        await Promise.all(this.stopping.values());
    }
    /** Waits for launches in progress, so a shutdown never leaves a task half-created. */
    drainLaunches() {
        return this.launches.drain();
    }
    /** In order; stops run in the background, everything else is done when this resolves. */
    async apply(actions, log) {
        const { ledger } = this.options;
        const removals = [];
        for (const action of actions) {
            if (action.type !== 'removeTask' && removals.length)
                await this.removeTasks(removals.splice(0), log);
            switch (action.type) {
                case 'stopTask':
                    this.stopInBackground(action, log);
                    break;
                case 'removeTask':
                    // Removals of one pass run together.
                    removals.push(action);
                    break;
                case 'recordStopped':
                    this.recordStopped(action);
                    break;
                case 'settleStopRequest':
                    ledger.settle(action.group, action.taskId);
                    break;
                case 'dropGroup':
                    // The owner may have been recreated while its old tasks were stopping.
                    if (!this.options.store.mayDefine(action.unlessDefined.kind, action.unlessDefined.name))
                        ledger.drop(action.group);
                    break;
                case 'ensureNetwork':
                    await this.runtimeAt(action.engine)
                        ?.ensureNetwork(action.name, action.labels)
                        .catch(() => undefined);
                    break;
                case 'enqueue':
                    this.options.enqueue(action.key);
                    break;
                case 'requestStop':
                    ledger.requestStop(action.group, action.taskId, action.request);
                    break;
                case 'addEvent':
                    ledger.addEvent(action.group, action.message, action.at);
                    break;
                case 'setSteady':
                    ledger.setSteady(action.group, action.steady);
                    break;
                case 'setConditions':
                    ledger.setConditions(action.group, action.conditions);
                    break;
                case 'recordRun':
                    ledger.recordRun(action.group, action.run);
                    break;
                case 'noteTaskTimes':
                    ledger.noteTaskTimes(action.group, action.taskId, action.times);
                    break;
                case 'restartContainer':
                    await this.restartInPlace(action, log);
                    break;
                case 'launchTasks':
                    this.launches.launch(action, log);
                    break;
                case 'resumeTask': {
                    const runtime = this.runtimeAt(action.engine);
                    if (runtime)
                        this.launches.resume(action, runtime, log);
                    break;
                }
                case 'placementFailed':
                    this.launches.placementFailed(action.group, action.failure, log);
                    break;
                case 'forgetPlacementFailure':
                    this.launches.forgetPlacementFailure(action.group);
                    break;
                case 'noteRefusal':
                    this.launches.noteRefusal(action.group, action.message);
                    break;
                case 'writeStatus':
                    await this.writeStatus(action);
                    break;
            }
        }
        if (removals.length)
            await this.removeTasks(removals, log);
    }
    /** Only the stops newly recorded are told: the service's and the retirement's reconciles may both have seen them. */
    recordStopped(action) {
        const { ledger } = this.options;
        const recorded = action.stopped.filter((stopped) => ledger.recordStopped(action.group, stopped));
        const owner = parseGroup(action.group);
        if (owner?.kind === 'service')
            for (const message of stoppedTaskEvents(owner.name, recorded))
                ledger.addEvent(action.group, message, this.options.now());
    }
    /** An exited container starts again under its restart policy; a failure is logged and tried at the next pass. */
    async restartInPlace(action, log) {
        const { container, taskId } = action;
        const runtime = this.runtimeAt(action.engine);
        if (!runtime)
            return;
        try {
            await runtime.start(container.id);
        }
        catch (error) {
            log.warn({ taskId, container: ecsName(container), err: errorMessage(error) }, 'restarting a container failed');
            return;
        }
        log.info({ taskId, container: ecsName(container), exitCode: container.exitCode }, 'restarted container in place');
        this.options.ledger.addEvent(action.group, action.event, this.options.now());
    }
    /** The plan's status, with a service's history as the ledger holds it now. */
    writeStatus({ write, history }) {
        if (!history || write.kind !== 'Service')
            return writePlannedStatus(this.options.status, write);
        const ledger = this.options.ledger.get(history.group);
        const stoppedTasks = ledger.stopped.slice(0, history.stoppedTasks).map(({ failed: _failed, wasStable: _stable, byEngine: _byEngine, ...summary }) => summary);
        return writePlannedStatus(this.options.status, { ...write, status: { ...write.status, stoppedTasks, events: ledger.events.slice(0, history.events) } });
    }
    runtimeAt(engine) {
        return this.options.engines.all().find((e) => e.address === engine)?.runtime;
    }
    /**
     * Stops run in the background, each task's containers one after another: a stop waits
     * up to stopTimeout, and a worker must not sit through it while other services wait.
     */
    stopInBackground(action, log) {
        const { task, group } = action;
        if (this.stopping.has(task.taskId))
            return;
        const runtime = this.runtimeAt(action.engine);
        const stop = (runtime ? stopTask(task, runtime) : Promise.reject(new Error(`engine ${action.engine} is gone`)))
            .catch((error) => log.warn({ taskId: task.taskId, err: errorMessage(error) }, 'stopping a task failed; will retry'))
            .finally(() => {
            this.stopping.delete(task.taskId);
            this.options.enqueue(retirementKey(group));
        });
        this.stopping.set(task.taskId, stop);
    }
    async removeTasks(removals, log) {
        await Promise.all(removals.map(async ({ task, engine }) => {
            const runtime = this.runtimeAt(engine);
            if (!runtime)
                return;
            const containers = [...task.containers, ...(task.pause ? [task.pause] : [])];
            await Promise.all(containers.map((c) => runtime.remove(c.id)));
            await removeTaskVolumes(runtime, task.taskId, log);
        }));
    }
}
/**
 * Stops a task's containers in reverse dependency order, as ECS does: a container
 * stops only after the containers that depend on it, each after its own stopTimeout
 * at most; containers with no order between them stop together. The pause container
 * stops after all of them.
 */
async function stopTask(task, runtime) {
    // The pause container goes last: its namespaces outlive every container that joined them.
    for (const wave of [...stopWaves(task.containers), ...(task.pause ? [[task.pause]] : [])]) {
        await Promise.all(wave.map((container) => {
            const timeoutSeconds = Number(container.labels[LABEL.stopTimeout] ?? DEFAULT_STOP_TIMEOUT_SECONDS);
            return runtime.stop(container.id, { timeoutSeconds });
        }));
    }
}
/**
 * A task's task-scoped volumes go with its containers (ECS scope `task`). A failure is
 * logged and left: the volume is labelled, so a person can find it, and it holds no
 * container back.
 */
async function removeTaskVolumes(runtime, taskId, log) {
    try {
        const volumes = await runtime.listVolumes({ [LABEL.taskId]: taskId });
        for (const volume of volumes)
            await runtime.removeVolume(volume.name);
        if (volumes.length)
            log.debug({ taskId, volumes: volumes.map((v) => v.name) }, 'removed task volumes');
    }
    catch (error) {
        log.warn({ taskId, err: errorMessage(error) }, 'removing task volumes failed');
    }
}
//# sourceMappingURL=executor.js.map