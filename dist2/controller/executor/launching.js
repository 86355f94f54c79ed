import { errorMessage } from '../errors.js';
import { key, retirementKey } from '../keys.js';
import { LABEL } from '../runtime/labels.js';
import { hostPortPlacementFailure } from '../scheduler/hostPorts.js';
import { launchTask } from './launcher.js';
import { launchRequestFor } from './launchRequest.js';
import { Launches } from './launches.js';
import { resumeTaskStart } from './supervise.js';
/**
 * The launches under way and what the plans must remember of placing them: the tasks
 * being launched or resumed per group (the engine may not show them yet), the last
 * placement that failed, the refusal last told. Owned by the executor, read by the plans.
 */
export class TaskLaunching {
    ctx;
    underWay = new Map();
    unplaced = new Map();
    refusals = new Map();
    work = new Launches();
    /** Test and benchmark hook: called when a container create call is made. */
    onContainerCreate;
    constructor(ctx) {
        this.ctx = ctx;
    }
    launching(group) {
        return this.underWay.get(group) ?? new Map();
    }
    placementFailure(group) {
        return this.unplaced.get(group);
    }
    refusalTold(group) {
        return this.refusals.get(group);
    }
    get size() {
        return this.work.size;
    }
    /** Waits for launches in progress, so a shutdown never leaves a task half-created. */
    drain() {
        return this.work.drain();
    }
    noteRefusal(group, message) {
        if (message === undefined)
            this.refusals.delete(group);
        else
            this.refusals.set(group, message);
    }
    forgetPlacementFailure(group) {
        this.unplaced.delete(group);
    }
    /** Remembered until a task is placed; the service event is told once while the cause is the same. */
    placementFailed(group, failure, log) {
        const known = this.unplaced.get(group)?.message === failure.message;
        this.unplaced.set(group, failure);
        if (!known)
            this.ctx.ledger.addEvent(group, failure.message, this.ctx.clock.now());
        log.info({ detail: failure.detail }, 'task could not be placed');
    }
    /** Each task launches in the background; each end requeues its owner. */
    launch(action, log) {
        for (const taskId of action.taskIds) {
            this.track(action.owner, taskId, { revision: action.target.revision.revision, createdAt: action.at }, () => launchTask({
                ...launchRequestFor(this.ctx, action.target, { group: action.owner.group, taskId, logger: log, shuttingDown: () => this.work.shuttingDown }),
                spec: action.spec,
                ...this.ownerHooks(action, taskId, log),
                ...(this.onContainerCreate ? { onCreate: this.onContainerCreate } : {}),
            }).then((outcome) => this.launchEnded(action, taskId, outcome)));
        }
    }
    /** A service names its containers and learns of placement; a standalone run dates its pulls. */
    ownerHooks(action, taskId, log) {
        const { ctx } = this;
        const { owner, target } = action;
        if (owner.kind === 'Task') {
            return {
                onPull: ({ startedAt, stoppedAt }) => ctx.ledger.noteTaskTimes(owner.group, taskId, stoppedAt === undefined ? { pullStartedAt: startedAt } : { pullStartedAt: startedAt, pullStoppedAt: stoppedAt }),
            };
        }
        return {
            serviceName: owner.name,
            onUnplaced: (detail) => this.placementFailed(owner.group, hostPortPlacementFailure({ service: owner.name, engine: target.runtime.engine, detail, now: ctx.clock.now(), retryMs: ctx.options.placementRetryMs }), log),
        };
    }
    launchEnded(action, taskId, outcome) {
        const { ctx } = this;
        const { owner } = action;
        if (owner.kind === 'Service' && outcome === 'started') {
            // While placement was being retried, the task is announced only now that it is placed.
            if (action.announceWhenPlaced)
                ctx.ledger.addEvent(owner.group, `(service ${owner.name}) has started 1 tasks: (task ${taskId}).`, ctx.clock.now());
            this.unplaced.delete(owner.group);
        }
        if (outcome !== 'failed')
            return;
        const stopped = ctx.ledger.get(owner.group).stopped.find((t) => t.taskId === taskId);
        // A launch failure leaves no container to observe, so its reason is told here.
        if (owner.kind === 'Service' && stopped?.failed)
            ctx.ledger.addEvent(owner.group, `(service ${owner.name}) task ${taskId} failed to start: ${stopped.stoppedReason}.`, ctx.clock.now());
        ctx.enqueue(retirementKey(owner.group));
    }
    /**
     * Starts, in the background, a task a previous controller created but did not finish
     * starting (it may have been waiting on dependsOn). A task that cannot start is replaced.
     */
    resume(action, runtime, log) {
        const { ctx } = this;
        const { owner, taskId } = action;
        this.track(owner, taskId, { revision: action.revision, createdAt: action.at }, async () => {
            try {
                const containers = await runtime.list({ [LABEL.taskId]: taskId });
                await resumeTaskStart({ ctx, group: owner.group, taskId, runtime, containers, log, shuttingDown: () => this.work.shuttingDown });
            }
            catch (error) {
                log.warn({ taskId, err: errorMessage(error) }, 'listing an adopted task failed; will retry');
            }
        });
    }
    /** Counts the task as under way in its group until `run` settles, then requeues the owner. */
    track(owner, taskId, launch, run) {
        const group = this.underWay.get(owner.group) ?? new Map();
        this.underWay.set(owner.group, group);
        group.set(taskId, launch);
        this.work.track(run().finally(() => {
            group.delete(taskId);
            if (group.size === 0 && this.underWay.get(owner.group) === group)
                this.underWay.delete(owner.group);
            this.ctx.enqueue(key(owner.kind, owner.name));
        }));
    }
}
//# sourceMappingURL=launching.js.map