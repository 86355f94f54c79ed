import { groupRetirement, EXIT_RECHECK_MS } from '../watches.js';
import { observeTasks } from '../../observer/observe.js';
import { engineOutageLookup } from '../../observer/engineStops.js';
import { newlyStoppedTasks } from '../../observer/summary.js';
import { locateGroup } from '../../observer/observeGroup.js';
import { planRetirement } from './plan.js';
import { key, parseGroup } from '../../keys.js';
/** What the retirement controller is reconciled for, besides its own manifests. */
export const RETIREMENT_WATCHES = { containers: { keys: groupRetirement, recheckAfterExitMs: EXIT_RECHECK_MS } };
/**
 * The retirement controller: carries out the stops other controllers decided
 * (SIGTERM, stopTimeout, SIGKILL; essential containers last), records how each
 * task ended, and removes stopped tasks' containers after the retention period.
 * Keys are groups: "Retirement/service:web".
 */
export class RetirementController {
    ctx;
    kind = 'Retirement';
    watches = RETIREMENT_WATCHES;
    constructor(ctx) {
        this.ctx = ctx;
    }
    /** Observes the group, then plans: the actions say what the executor does, in order. */
    async reconcile(group, log) {
        const { ctx } = this;
        const listedAt = ctx.clock.now();
        // What the engines show is as of the start of the read: a stop under way then may finish
        // while the read lasts, and its task must not look like one nobody is stopping.
        const stoppingWhenRead = new Set(Object.keys(ctx.ledger.get(group).stopRequests).filter((taskId) => ctx.execution.isStopping(taskId)));
        const located = await locateGroup(ctx.engines, group);
        return planGroupRetirement({
            group,
            located,
            ledger: ctx.ledger.get(group),
            ownerDefined: (kind, name) => ctx.store.mayDefine(kind, name),
            isStopping: (taskId) => stoppingWhenRead.has(taskId) || ctx.execution.isStopping(taskId),
            launching: new Set(ctx.execution.launching(group).keys()),
            engineOutageOf: engineOutageLookup(ctx, new Map(located.map((l) => [l.container.id, l.runtime]))),
            listedAt,
            now: ctx.clock.now(),
            options: ctx.options,
            log,
        });
    }
}
/**
 * The retirement of one group, pure: carries out the stops other controllers decided
 * (SIGTERM, stopTimeout, SIGKILL; essential containers last), records how each task
 * ended, and removes stopped tasks' containers after the retention period.
 */
export function planGroupRetirement(input) {
    const { group, ledger, log } = input;
    const parsed = parseGroup(group);
    const owner = parsed?.kind === 'task' ? 'Task' : 'Service';
    const standalone = owner === 'Task';
    const ownerGone = parsed !== undefined && !input.ownerDefined(owner, parsed.name);
    const requests = ledger.stopRequests;
    const tasks = observeTasks(input.located.map((l) => l.container), new Set(Object.keys(requests)));
    const engineOf = new Map(input.located.map((l) => [l.container.id, l.engine]));
    const engineOfTask = (task) => engineOf.get((task.containers[0] ?? task.pause).id);
    const plan = planRetirement({
        tasks,
        stopRequested: new Set(Object.keys(requests)),
        ownerGone,
        now: input.now,
        // A standalone run keeps every stopped task (at most 10) for the task retention, to be inspected.
        keepStoppedContainers: ownerGone ? 0 : standalone ? Infinity : input.options.keepStoppedContainers,
        retentionMs: standalone ? input.options.taskRetentionMs : input.options.stoppedContainerRetentionMs,
    });
    const actions = [];
    const newStops = plan.stop.filter((taskId) => !input.isStopping(taskId));
    if (newStops.length)
        log.info({ tasks: newStops }, 'stopping tasks');
    for (const taskId of newStops) {
        const task = tasks.find((t) => t.taskId === taskId);
        actions.push({ type: 'stopTask', group, engine: engineOfTask(task), task });
    }
    const recorded = newlyStoppedTasks({ ledger, tasks, now: input.now, stableAfterMs: input.options.stableAfterMs, engineOutageOf: input.engineOutageOf, launching: input.launching });
    if (recorded.length)
        actions.push({ type: 'recordStopped', group, stopped: recorded });
    if (plan.remove.length)
        log.info({ tasks: plan.remove }, 'removing stopped tasks');
    for (const taskId of plan.remove) {
        const task = tasks.find((t) => t.taskId === taskId);
        actions.push({ type: 'removeTask', group, engine: engineOfTask(task), task });
    }
    // Stop requests of tasks whose containers are all gone are settled; a request made
    // after the list may be for a task still being launched, so it waits for the next pass.
    const remaining = new Set(tasks.filter((t) => !plan.remove.includes(t.taskId)).map((t) => t.taskId));
    for (const [taskId, request] of Object.entries(requests)) {
        if (!remaining.has(taskId) && request.requestedAt <= input.listedAt)
            actions.push({ type: 'settleStopRequest', group, taskId });
    }
    if (ownerGone && remaining.size === 0)
        actions.push({ type: 'dropGroup', group, unlessDefined: { kind: owner, name: parsed.name } });
    if (plan.remove.length || recorded.length) {
        if (parsed)
            actions.push({ type: 'enqueue', key: key(owner, parsed.name) });
        const clusters = new Set(tasks.map((t) => t.cluster));
        for (const cluster of clusters)
            actions.push({ type: 'enqueue', key: key('Cluster', cluster) });
    }
    const result = { actions };
    if (plan.requeueAfterMs !== undefined)
        result.requeueAfterMs = plan.requeueAfterMs;
    return result;
}
//# sourceMappingURL=controller.js.map