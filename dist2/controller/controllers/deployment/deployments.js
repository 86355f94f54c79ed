import { failureThreshold } from './circuitBreaker.js';
const LIVE_UNTIL = new Set(['STOPPED']);
const KEEP_INACTIVE = 5;
const KEEP_TASK_IDS = 200;
export function planDeployments(input) {
    const { service, now, desired, settings } = input;
    const history = structuredClone(input.history);
    const events = [];
    const deployments = history.deployments;
    if (history.specHash !== desired.specHash || deployments.length === 0) {
        history.specHash = desired.specHash;
        start(deployments, { id: input.newId(), taskDefinition: desired.taskDefinition, specHash: desired.specHash, now });
    }
    let primary = deployments[0];
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
    let requeueAfterMs;
    if (primary.rolloutState === 'IN_PROGRESS') {
        const mine = input.tasks.filter((t) => deploymentOf.get(t.taskId) === primary.id && !LIVE_UNTIL.has(t.lastStatus));
        const othersLeft = input.tasks.some((t) => deploymentOf.get(t.taskId) !== primary.id && !LIVE_UNTIL.has(t.lastStatus));
        const done = !othersLeft && mine.length === desired.desiredCount && mine.every((t) => t.healthy);
        if (!done)
            delete primary.steadySince;
        else {
            primary.steadySince ??= now;
            const bakeLeft = primary.steadySince + settings.bakeTimeMs - now;
            if (bakeLeft > 0)
                requeueAfterMs = bakeLeft;
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
        if (deployment === primary || deployment.status === 'INACTIVE')
            continue;
        const left = input.tasks.some((t) => deploymentOf.get(t.taskId) === deployment.id && !LIVE_UNTIL.has(t.lastStatus));
        if (!left) {
            deployment.status = 'INACTIVE';
            deployment.updatedAt = now;
        }
    }
    history.deployments = prune(deployments);
    const plan = { history, primary, deploymentOf, launchesHeld: primary.rolloutState === 'FAILED', events };
    if (requeueAfterMs !== undefined)
        plan.requeueAfterMs = requeueAfterMs;
    return plan;
}
/** Puts a new PRIMARY in front; the previous primary's tasks are now being replaced (ACTIVE). */
function start(deployments, d) {
    for (const old of deployments)
        if (old.status === 'PRIMARY')
            old.status = 'ACTIVE';
    const deployment = {
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
    if (d.rollbackTo)
        deployment.rollbackTo = d.rollbackTo;
    deployments.unshift(deployment);
    return deployment;
}
/**
 * Which deployment each task belongs to: the one its label names, except that a rollback
 * takes over the tasks of the deployment it returns to (they run what it deploys), and a
 * task without a label belongs to the primary when it runs the primary's revision.
 */
function assign(deployments, tasks) {
    const primary = deployments[0];
    const known = new Set(deployments.map((d) => d.id));
    const owner = new Map();
    for (const task of tasks) {
        let id = task.deploymentId && known.has(task.deploymentId) ? task.deploymentId : undefined;
        if (id !== undefined && id === primary.rollbackTo)
            id = primary.id;
        if (id === undefined && task.taskDefinition === primary.taskDefinition && !task.deploymentId)
            id = primary.id;
        owner.set(task.taskId, id ?? `unknown:${task.deploymentId ?? task.taskDefinition}`);
    }
    return owner;
}
/** The circuit breaker's count: failures of the primary's tasks, reset by a task that becomes healthy. */
function countTasks(primary, input, deploymentOf) {
    const belongs = (taskId, deploymentId) => deploymentOf.get(taskId) === primary.id || deploymentId === primary.id;
    for (const task of input.tasks) {
        if (!task.healthy || !belongs(task.taskId, task.deploymentId) || primary.seenHealthy.includes(task.taskId))
            continue;
        primary.seenHealthy = [...primary.seenHealthy, task.taskId].slice(-KEEP_TASK_IDS);
        if (input.settings.resetOnHealthyTask)
            primary.failedTasks = 0;
    }
    for (const task of [...input.failed].reverse()) {
        if (!belongs(task.taskId, task.deploymentId) || primary.countedFailed.includes(task.taskId))
            continue;
        primary.countedFailed = [...primary.countedFailed, task.taskId].slice(-KEEP_TASK_IDS);
        primary.failedTasks++;
        primary.updatedAt = input.now;
    }
}
/** PRIMARY and ACTIVE deployments, the newest COMPLETED one (what a rollback returns to), and a few more. */
function prune(deployments) {
    const lastCompleted = deployments.find((d) => d.rolloutState === 'COMPLETED');
    let inactive = 0;
    return deployments.filter((d) => d.status !== 'INACTIVE' || d === lastCompleted || inactive++ < KEEP_INACTIVE);
}
/** A new deployment id, as ECS writes them: ecs-svc/ and 19 digits. */
export function deploymentId(random = Math.random) {
    let digits = '';
    for (let i = 0; i < 19; i++)
        digits += Math.floor(random() * 10).toString();
    return `ecs-svc/${digits}`;
}
//# sourceMappingURL=deployments.js.map