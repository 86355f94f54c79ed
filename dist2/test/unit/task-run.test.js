import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyOverrides, mergeEnvironment, overrideProblems } from '../../controller/taskspec/overrides.js';
import { describeRun, launchSpecHash, planTaskRun, succeeded } from '../../controller/controllers/task/plan.js';
import { runExitCode, splitCommand } from '../../controller/cli/runTask.js';
import { observeTasks } from '../../controller/observer/observe.js';
const SPEC = {
    cpu: '256',
    containerDefinitions: [
        { name: 'job', image: 'berth/busybox:1', command: ['sleep', '1'], environment: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], memory: 64 },
        { name: 'sidecar', image: 'berth/busybox:1' },
    ],
};
describe('overrides', () => {
    test('command replaces, environment merges by name, limits replace; other containers and the revision are untouched', () => {
        const before = structuredClone(SPEC);
        const spec = applyOverrides(SPEC, { cpu: '512', memory: '1GB', containerOverrides: [{ name: 'job', command: ['true'], environment: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }], memory: 128, memoryReservation: 96, cpu: 10 }] });
        assert.deepEqual(spec.containerDefinitions[0], { name: 'job', image: 'berth/busybox:1', command: ['true'], environment: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }], memory: 128, memoryReservation: 96, cpu: 10 });
        assert.deepEqual(spec.containerDefinitions[1], SPEC.containerDefinitions[1]);
        assert.equal(spec.cpu, '512');
        assert.equal(spec.memory, '1GB');
        assert.deepEqual(SPEC, before);
    });
    test('no overrides: the revision as it is', () => {
        assert.equal(applyOverrides(SPEC, undefined), SPEC);
        assert.deepEqual(mergeEnvironment([], [{ name: 'X', value: 'y' }]), [{ name: 'X', value: 'y' }]);
    });
    test('an override naming no container of the definition is a problem in ECS words', () => {
        assert.deepEqual(overrideProblems(SPEC, { containerOverrides: [{ name: 'job' }] }), []);
        assert.deepEqual(overrideProblems(SPEC, { containerOverrides: [{ name: 'jobs' }] }), ['Override for container named jobs is not a container in the TaskDefinition (containers: job, sidecar).']);
    });
});
describe('planTaskRun', () => {
    const base = { tasks: [], inFlight: new Set(), stopRequested: new Set(), recordedStopped: new Set() };
    const run = { cluster: 'default', taskDefinition: 'batch:1', specHash: 'h', launchedAt: 0, tasks: { a: { createdAt: 0 }, b: { createdAt: 0 } } };
    test('launches once: only when there is no run and it is wanted', () => {
        assert.equal(planTaskRun({ ...base, desiredStatus: 'RUNNING', ownerGone: false, run: undefined }).launch, true);
        assert.equal(planTaskRun({ ...base, desiredStatus: 'STOPPED', ownerGone: false, run: undefined }).launch, false);
        assert.equal(planTaskRun({ ...base, desiredStatus: 'RUNNING', ownerGone: false, run }).launch, false);
    });
    test('a task of the run with no container, no launch and no record is lost; a launching one is not', () => {
        const plan = planTaskRun({ ...base, desiredStatus: 'RUNNING', ownerGone: false, run, inFlight: new Set(['a']) });
        assert.deepEqual(plan.lost, ['b']);
    });
    test('desiredStatus STOPPED stops launching tasks too, each once', () => {
        const plan = planTaskRun({ ...base, desiredStatus: 'STOPPED', ownerGone: false, run, inFlight: new Set(['a', 'b']), stopRequested: new Set(['b']) });
        assert.deepEqual(plan.stop, ['a']);
    });
});
describe('launchSpecHash', () => {
    test('ignores desiredStatus and key order, sees every other edit', () => {
        const spec = { taskDefinition: 'batch', count: 2 };
        assert.equal(launchSpecHash(spec), launchSpecHash({ count: 2, taskDefinition: 'batch', desiredStatus: 'STOPPED' }));
        assert.notEqual(launchSpecHash(spec), launchSpecHash({ ...spec, count: 3 }));
    });
});
describe('describeRun', () => {
    const HOUR = 3_600_000;
    const stopped = (taskId, exitCode, stoppedAt) => ({
        taskId,
        taskDefinition: 'batch:1',
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        createdAt: new Date(0).toISOString(),
        stoppedAt: new Date(stoppedAt).toISOString(),
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'job', lastStatus: 'STOPPED', exitCode }],
        failed: true,
        wasStable: false,
    });
    const run = { cluster: 'c', taskDefinition: 'batch:1', specHash: 'h', launchedAt: 0, tasks: { a: { createdAt: 0, pullStartedAt: 1, pullStoppedAt: 2 }, b: { createdAt: 0 } } };
    const input = { run, tasks: [], inFlight: new Set(), stopRequested: new Set(), desiredStatus: 'RUNNING', retentionMs: 24 * HOUR };
    test('stopped tasks are listed until the retention ends, counted after; the next expiry is reported', () => {
        // a stopped at 1 h, b at 2 h, 24 h retention; now 25.5 h: a expired at 25 h, b expires at 26 h.
        const { status, nextExpiryMs } = describeRun({ ...input, stopped: [stopped('a', 0, HOUR), stopped('b', 3, 2 * HOUR)], now: 25.5 * HOUR });
        assert.deepEqual(status.tasks.map((t) => t.taskId), ['b']);
        assert.equal(status.succeededCount, 1);
        assert.equal(status.failedCount, 1);
        assert.equal(status.expiredCount, 1);
        assert.equal(status.lastStatus, 'STOPPED');
        assert.equal(nextExpiryMs, 0.5 * HOUR);
        assert.equal(status.tasks[0].taskArn, 'arn:berth:ecs:local:000000000000:task/c/b');
        assert.equal(status.tasks[0].executionStoppedAt, new Date(2 * HOUR).toISOString());
    });
    test('a task being launched is PROVISIONING, with the launch times the controller saw', () => {
        const { status } = describeRun({ ...input, stopped: [], inFlight: new Set(['a', 'b']), now: 10 });
        assert.equal(status.lastStatus, 'PROVISIONING');
        assert.equal(status.pendingCount, 2);
        assert.equal(status.tasks[0].pullStartedAt, new Date(1).toISOString());
    });
    test('success: the essential container exited 0', () => {
        assert.equal(succeeded(stopped('a', 0, 0)), true);
        assert.equal(succeeded(stopped('a', 1, 0)), false);
        assert.equal(succeeded({ ...stopped('a', 0, 0), stopCode: 'UserInitiated' }), false);
    });
});
test('a task never stops before it started, even when Docker dates an instant exit before the start', () => {
    const [task] = observeTasks([
        {
            id: 'c1',
            name: 'job',
            image: 'berth/busybox:1',
            labels: { 'berth.task-id': 't1', 'berth.container': 'job' },
            state: 'exited',
            createdAt: '2026-01-01T00:00:00.000Z',
            startedAt: '2026-01-01T00:00:01.346Z',
            finishedAt: '2026-01-01T00:00:01.345Z',
            exitCode: 3,
            ports: [],
        },
    ]);
    assert.equal(task.lastStatus, 'STOPPED');
    assert.equal(task.stoppedAt, Date.parse('2026-01-01T00:00:01.346Z'));
});
describe('run-task', () => {
    test('--command is split as a shell splits words, quotes and backslashes kept literal inside', () => {
        assert.deepEqual(splitCommand(`sh -c 'echo "hi"; exit 3'`), ['sh', '-c', 'echo "hi"; exit 3']);
        assert.deepEqual(splitCommand('sh -c "test \\"$MODE\\" = batch"'), ['sh', '-c', 'test "$MODE" = batch']);
        assert.deepEqual(splitCommand("a\\ b ''"), ['a b', '']);
        assert.throws(() => splitCommand("sh -c 'open"), /unterminated ' quote/);
    });
    test('--wait exits with the first failed container exit code, 1 for a task that never ran, else 0', () => {
        const task = (codes) => ({ taskId: 't', lastStatus: 'STOPPED', containers: codes.map((exitCode, i) => ({ name: `c${i}`, ...(exitCode === undefined ? {} : { exitCode }) })) });
        assert.equal(runExitCode([task([0]), task([0, 0])]), 0);
        assert.equal(runExitCode([task([0]), task([0, 7]), task([3])]), 7);
        assert.equal(runExitCode([task([])]), 1);
    });
});
//# sourceMappingURL=task-run.test.js.map