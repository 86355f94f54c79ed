import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { failureThreshold } from '../../controller/controllers/deployment/circuitBreaker.js';
import { deploymentId, planDeployments, } from '../../controller/controllers/deployment/deployments.js';
function ids() {
    let n = 0;
    return () => `ecs-svc/${String(++n).padStart(19, '0')}`;
}
function input(overrides = {}) {
    return {
        service: 'web',
        now: 1_000,
        desired: { taskDefinition: 'web:1', specHash: 'h1', desiredCount: 2 },
        settings: { resetOnHealthyTask: true, bakeTimeMs: 0 },
        history: { deployments: [] },
        tasks: [],
        failed: [],
        newId: ids(),
        ...overrides,
    };
}
const task = (taskId, deploymentId, taskDefinition, healthy = true, lastStatus = 'RUNNING') => ({
    taskId,
    taskDefinition,
    lastStatus,
    healthy,
    ...(deploymentId ? { deploymentId } : {}),
});
/** A service that completed web:1 with two healthy tasks. */
function completedOnRevision1() {
    const newId = ids();
    const started = planDeployments(input({ newId }));
    const first = started.primary.id;
    const tasks = [task('a', first, 'web:1'), task('b', first, 'web:1')];
    const completed = planDeployments(input({ history: started.history, tasks, newId }));
    assert.equal(completed.primary.rolloutState, 'COMPLETED');
    return { history: completed.history, first, tasks };
}
describe('circuit breaker threshold', () => {
    test('half the desired count rounded up, clamped to 3..200', () => {
        assert.deepEqual([0, 1, 6, 7, 10, 399, 400, 1000].map(failureThreshold), [3, 3, 3, 4, 5, 200, 200, 200]);
    });
});
describe('deployments', () => {
    test('the first reconcile starts a PRIMARY deployment IN_PROGRESS with an ECS id and reason', () => {
        const plan = planDeployments(input({ newId: () => deploymentId(() => 0.5) }));
        assert.match(plan.primary.id, /^ecs-svc\/5{19}$/);
        assert.equal(plan.primary.status, 'PRIMARY');
        assert.equal(plan.primary.rolloutState, 'IN_PROGRESS');
        assert.equal(plan.primary.rolloutStateReason, `ECS deployment ${plan.primary.id} in progress.`);
        assert.equal(plan.primary.taskDefinition, 'web:1');
    });
    test('completes once desiredCount tasks of the primary are healthy and no other task is left, with ECS words', () => {
        const newId = ids();
        const started = planDeployments(input({ newId }));
        const id = started.primary.id;
        const oneUnhealthy = planDeployments(input({ history: started.history, tasks: [task('a', id, 'web:1'), task('b', id, 'web:1', false)], newId }));
        assert.equal(oneUnhealthy.primary.rolloutState, 'IN_PROGRESS');
        const healthy = planDeployments(input({ history: oneUnhealthy.history, tasks: [task('a', id, 'web:1'), task('b', id, 'web:1')], newId }));
        assert.equal(healthy.primary.rolloutState, 'COMPLETED');
        assert.equal(healthy.primary.rolloutStateReason, `ECS deployment ${id} completed.`);
        assert.deepEqual(healthy.events, [`(service web) (deployment ${id}) deployment completed.`]);
    });
    test('a new revision makes a new PRIMARY; the old one stays ACTIVE while its tasks run, then INACTIVE', () => {
        const { history, first, tasks } = completedOnRevision1();
        const newId = ids();
        newId();
        const deploying = planDeployments(input({ history, tasks, desired: { taskDefinition: 'web:2', specHash: 'h2', desiredCount: 2 }, newId }));
        assert.notEqual(deploying.primary.id, first);
        assert.deepEqual(deploying.history.deployments.map((d) => [d.status, d.taskDefinition, d.rolloutState]), [
            ['PRIMARY', 'web:2', 'IN_PROGRESS'],
            ['ACTIVE', 'web:1', 'COMPLETED'],
        ]);
        const second = deploying.primary.id;
        // New tasks healthy but old ones still running: not completed.
        const both = [...tasks, task('c', second, 'web:2'), task('d', second, 'web:2')];
        const overlapping = planDeployments(input({ history: deploying.history, tasks: both, desired: { taskDefinition: 'web:2', specHash: 'h2', desiredCount: 2 }, newId }));
        assert.equal(overlapping.primary.rolloutState, 'IN_PROGRESS');
        const done = planDeployments(input({ history: overlapping.history, tasks: both.slice(2), desired: { taskDefinition: 'web:2', specHash: 'h2', desiredCount: 2 }, newId }));
        assert.equal(done.primary.rolloutState, 'COMPLETED');
        assert.equal(done.history.deployments.find((d) => d.id === first)?.status, 'INACTIVE');
    });
    test('a forceNewDeployment bump (same revision, new spec hash) is a new deployment whose tasks are told apart by label', () => {
        const { history, first, tasks } = completedOnRevision1();
        const plan = planDeployments(input({ history, tasks, desired: { taskDefinition: 'web:1', specHash: 'h1-force-2', desiredCount: 2 }, newId: () => 'ecs-svc/0000000000000000009' }));
        assert.equal(plan.primary.id, 'ecs-svc/0000000000000000009');
        assert.equal(plan.deploymentOf.get('a'), first, 'the old tasks stay with the old deployment');
        assert.equal(plan.primary.rolloutState, 'IN_PROGRESS');
    });
    test('the same spec never starts a second deployment', () => {
        const { history, tasks } = completedOnRevision1();
        const again = planDeployments(input({ history, tasks, newId: () => assert.fail('no new deployment expected') }));
        assert.equal(again.history.deployments.length, 1);
    });
    test('tasks from before deployments were kept (no label) belong to the primary when they run its revision', () => {
        const plan = planDeployments(input({ tasks: [task('a', undefined, 'web:1'), task('b', undefined, 'web:0')] }));
        assert.equal(plan.deploymentOf.get('a'), plan.primary.id);
        assert.notEqual(plan.deploymentOf.get('b'), plan.primary.id);
    });
});
describe('circuit breaker', () => {
    const breaker = (rollback) => ({ resetOnHealthyTask: true, bakeTimeMs: 0, circuitBreaker: { enable: true, rollback } });
    const failedOf = (deployment, n, stage = 1) => Array.from({ length: n }, (_, i) => ({ taskId: `f${i}`, deploymentId: deployment, taskDefinition: 'web:2', stage }));
    function deployingRevision2(rollback) {
        const { history, tasks } = completedOnRevision1();
        const newId = ids();
        newId();
        const desired = { taskDefinition: 'web:2', specHash: 'h2', desiredCount: 2 };
        const plan = planDeployments(input({ history, tasks, desired, settings: breaker(rollback), newId }));
        return { plan, tasks, desired, newId };
    }
    test('fails the rollout at the threshold (3 for 2 desired), not before, and holds launches without rollback', () => {
        const { plan, tasks, desired, newId } = deployingRevision2(false);
        const id = plan.primary.id;
        const two = planDeployments(input({ history: plan.history, tasks, desired, settings: breaker(false), failed: failedOf(id, 2), newId }));
        assert.equal(two.primary.failedTasks, 2);
        assert.equal(two.primary.rolloutState, 'IN_PROGRESS');
        assert.equal(two.launchesHeld, false);
        const three = planDeployments(input({ history: two.history, tasks, desired, settings: breaker(false), failed: failedOf(id, 3), newId }));
        assert.equal(three.primary.failedTasks, 3, 'each failed task counts once across reconciles');
        assert.equal(three.primary.rolloutState, 'FAILED');
        assert.equal(three.primary.rolloutStateReason, 'ECS deployment circuit breaker: task failed to start.');
        assert.deepEqual(three.events, [`(service web) (deployment ${id}) deployment failed: tasks failed to start.`]);
        assert.equal(three.launchesHeld, true);
    });
    test('with rollback, the last COMPLETED deployment is redeployed and takes its running tasks back', () => {
        const { plan, tasks, desired, newId } = deployingRevision2(true);
        const failedId = plan.primary.id;
        const completedId = plan.history.deployments[1].id;
        const rolled = planDeployments(input({ history: plan.history, tasks, desired, settings: breaker(true), failed: failedOf(failedId, 3, 2), newId }));
        assert.equal(rolled.primary.taskDefinition, 'web:1');
        assert.equal(rolled.primary.rollbackTo, completedId);
        assert.equal(rolled.launchesHeld, false);
        assert.equal(rolled.history.deployments.find((d) => d.id === failedId)?.rolloutState, 'FAILED');
        assert.equal(rolled.history.deployments.find((d) => d.id === failedId)?.rolloutStateReason, 'ECS deployment circuit breaker: task failed health checks.');
        assert.deepEqual(rolled.events, [
            `(service web) (deployment ${failedId}) deployment failed: tasks failed health checks.`,
            `(service web) (deployment ${rolled.primary.id}) rolling back to deployment ${completedId}.`,
            `(service web) (deployment ${rolled.primary.id}) deployment completed.`,
        ]);
        // The old revision's two healthy tasks are the rollback's: it completes without launching anything.
        assert.equal(rolled.deploymentOf.get('a'), rolled.primary.id);
        assert.equal(rolled.primary.rolloutState, 'COMPLETED');
        // While it still has tasks to start, the rollback says what it is rolling back to.
        const stillStarting = planDeployments(input({ history: plan.history, tasks: [], desired, settings: breaker(true), failed: failedOf(failedId, 3, 2), newId }));
        assert.equal(stillStarting.primary.rolloutState, 'IN_PROGRESS');
        assert.equal(stillStarting.primary.rolloutStateReason, `ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`);
        // The file still names web:2: the rollback is not undone by the next reconcile.
        const next = planDeployments(input({ history: rolled.history, tasks, desired, settings: breaker(true), newId: () => assert.fail('no new deployment expected') }));
        assert.equal(next.primary.taskDefinition, 'web:1');
    });
    test('without a COMPLETED deployment to return to, a failed rollout only stops launching', () => {
        const newId = ids();
        const first = planDeployments(input({ settings: breaker(true), newId }));
        const failed = planDeployments(input({ history: first.history, settings: breaker(true), failed: failedOf(first.primary.id, 3), newId }));
        assert.equal(failed.primary.id, first.primary.id);
        assert.equal(failed.primary.rolloutState, 'FAILED');
        assert.equal(failed.launchesHeld, true);
    });
    test('a task that becomes healthy resets the failure count (resetOnHealthyTask)', () => {
        const { plan, tasks, desired, newId } = deployingRevision2(false);
        const id = plan.primary.id;
        const two = planDeployments(input({ history: plan.history, tasks, desired, settings: breaker(false), failed: failedOf(id, 2), newId }));
        const healthy = planDeployments(input({ history: two.history, tasks: [...tasks, task('n1', id, 'web:2')], desired, settings: breaker(false), failed: failedOf(id, 2), newId }));
        assert.equal(healthy.primary.failedTasks, 0);
        const noReset = planDeployments(input({ history: two.history, tasks: [...tasks, task('n1', id, 'web:2')], desired, settings: { ...breaker(false), resetOnHealthyTask: false }, failed: failedOf(id, 2), newId }));
        assert.equal(noReset.primary.failedTasks, 2);
    });
    test('failures of the old deployment do not count against the new one; a disabled breaker never fails', () => {
        const { plan, tasks, desired, newId } = deployingRevision2(false);
        const oldId = plan.history.deployments[1].id;
        const old = planDeployments(input({ history: plan.history, tasks, desired, settings: breaker(false), failed: failedOf(oldId, 5), newId }));
        assert.equal(old.primary.failedTasks, 0);
        const off = planDeployments(input({ history: plan.history, tasks, desired, settings: { resetOnHealthyTask: true, bakeTimeMs: 0 }, failed: failedOf(plan.primary.id, 10), newId }));
        assert.equal(off.primary.rolloutState, 'IN_PROGRESS');
        assert.equal(off.primary.failedTasks, 10);
    });
});
describe('bake time', () => {
    test('a finished rollout completes only after bakeTimeInMinutes, requeued for then', () => {
        const newId = ids();
        const settings = { resetOnHealthyTask: true, bakeTimeMs: 60_000 };
        const started = planDeployments(input({ settings, newId }));
        const tasks = [task('a', started.primary.id, 'web:1'), task('b', started.primary.id, 'web:1')];
        const baking = planDeployments(input({ history: started.history, tasks, settings, now: 10_000, newId }));
        assert.equal(baking.primary.rolloutState, 'IN_PROGRESS');
        assert.equal(baking.requeueAfterMs, 60_000);
        const later = planDeployments(input({ history: baking.history, tasks, settings, now: 40_000, newId }));
        assert.equal(later.requeueAfterMs, 30_000);
        // A task going unhealthy during the bake restarts it.
        const broken = planDeployments(input({ history: later.history, tasks: [tasks[0], { ...tasks[1], healthy: false }], settings, now: 50_000, newId }));
        assert.equal(broken.primary.steadySince, undefined);
        const rebaked = planDeployments(input({ history: broken.history, tasks, settings, now: 55_000, newId }));
        assert.equal(rebaked.requeueAfterMs, 60_000);
        const done = planDeployments(input({ history: rebaked.history, tasks, settings, now: 115_000, newId }));
        assert.equal(done.primary.rolloutState, 'COMPLETED');
    });
});
//# sourceMappingURL=deployments.test.js.map