import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { silentLogger } from '../../controller/log.js';
import { Berth } from '../../controller/manager/wiring.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { eventually } from './eventually.js';
import { StatusRecorder } from './statusRecorder.js';
const TASKDEF = `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: batch
spec:
  containerDefinitions:
    - name: job
      image: berth/busybox:1
      command: [sleep, '600']
      memory: 64
      environment:
        - {name: MODE, value: interactive}
        - {name: KEEP, value: kept}
`;
function taskManifest(extra = '', name = 'nightly') {
    return `apiVersion: berth/v1\nkind: Task\nmetadata:\n  name: ${name}\nspec:\n  taskDefinition: batch\n${extra}`;
}
describe('the task controller on the in-memory runtime', () => {
    let dir;
    let runtime;
    let status;
    let berth;
    const start = async (taskRetentionMs = 60_000) => {
        berth = new Berth({ manifestsDir: dir, logger: silentLogger, runtimeFactory: () => runtime, status, metadataAddress: false, removalSettleMs: 0, controllers: { taskRetentionMs } });
        await berth.start();
        await berth.idle();
        return berth;
    };
    /** File changes arrive through the watcher: give it time, then wait for the work to end. */
    const settle = async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        await berth.idle();
    };
    const run = () => status.last.get('Task/nightly');
    const containers = async () => runtime.list({ 'berth.group': 'task:nightly' });
    const condition = (type) => run().conditions.find((c) => c.type === type);
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'berth-task-unit-'));
        runtime = new MemoryRuntime({ engine: 'memory' });
        status = new StatusRecorder();
        writeFileSync(join(dir, 'taskdef.yaml'), TASKDEF);
    });
    afterEach(async () => {
        await berth?.stop();
        berth = undefined;
        rmSync(dir, { recursive: true, force: true });
    });
    test('runs count tasks once and reports each with its ARN and launch times', async () => {
        writeFileSync(join(dir, 'task.yaml'), taskManifest('  count: 3\n'));
        await start();
        const list = await containers();
        assert.equal(list.filter((c) => c.state === 'running').length, 3);
        assert.equal(run().lastStatus, 'RUNNING');
        assert.equal(run().count, 3);
        for (const task of run().tasks) {
            assert.equal(task.taskArn, `arn:berth:ecs:local:000000000000:task/default/${task.taskId}`);
            assert.ok(task.createdAt <= task.pullStartedAt && task.pullStartedAt <= task.pullStoppedAt, JSON.stringify(task));
            assert.ok(task.startedAt);
        }
        assert.equal(condition('Launched').status, 'True');
    });
    test('a task that exits is not replaced; its exit code, stop code and counts are recorded', async () => {
        writeFileSync(join(dir, 'task.yaml'), taskManifest('  count: 2\n'));
        await start();
        const [first, second] = await containers();
        runtime.exit(first.id, 0);
        runtime.exit(second.id, 3);
        // Proof both exits were processed: the run counts them.
        await eventually('both exits counted', () => run().succeededCount === 1 && run().failedCount === 1);
        await berth.idle();
        assert.equal((await containers()).length, 2, 'nothing launched again, nothing removed yet');
        assert.equal(run().lastStatus, 'STOPPED');
        assert.equal(run().succeededCount, 1);
        assert.equal(run().failedCount, 1);
        const codes = run().tasks.map((t) => t.containers[0].exitCode).sort();
        assert.deepEqual(codes, [0, 3]);
        for (const task of run().tasks) {
            assert.equal(task.stopCode, 'EssentialContainerExited');
            assert.equal(task.stoppedReason, 'Essential container in task exited');
            assert.ok(task.stoppingAt && task.stoppedAt);
        }
    });
    test('overrides reach the container: command replaces, environment merges by name, memory replaces', async () => {
        writeFileSync(join(dir, 'task.yaml'), taskManifest(`  overrides:
    containerOverrides:
      - name: job
        command: [sh, -c, 'exit 0']
        environment: [{name: MODE, value: batch}, {name: EXTRA, value: '1'}]
        memory: 128
        cpu: 256
`));
        await start();
        const [container] = await containers();
        const spec = runtime.specOf(container.id);
        assert.deepEqual(spec.command, ['sh', '-c', 'exit 0']);
        assert.equal(spec.env.MODE, 'batch');
        assert.equal(spec.env.KEEP, 'kept');
        assert.equal(spec.env.EXTRA, '1');
        assert.equal(spec.memoryBytes, 128 * 1024 * 1024);
        assert.equal(spec.cpuShares, 256);
    });
    test('an override of a container the definition does not have launches nothing and says why', async () => {
        writeFileSync(join(dir, 'task.yaml'), taskManifest('  overrides:\n    containerOverrides:\n      - name: jobb\n        command: [sh]\n'));
        await start();
        assert.equal((await containers()).length, 0);
        assert.equal(condition('Launched').status, 'False');
        assert.equal(condition('Launched').reason, 'InvalidOverrides');
        assert.match(condition('Launched').message, /Override for container named jobb is not a container in the TaskDefinition/);
    });
    test('desiredStatus STOPPED stops the running tasks as the user asked', async () => {
        writeFileSync(join(dir, 'task.yaml'), taskManifest('  count: 2\n'));
        await start();
        writeFileSync(join(dir, 'task.yaml'), taskManifest('  count: 2\n  desiredStatus: STOPPED\n'));
        await eventually('every task STOPPED', () => run().tasks.every((t) => t.lastStatus === 'STOPPED'));
        const list = await containers();
        assert.equal(list.length, 2, 'kept for inspection');
        assert.ok(list.every((c) => c.state === 'exited'));
        for (const task of run().tasks) {
            assert.equal(task.lastStatus, 'STOPPED');
            assert.equal(task.stopCode, 'UserInitiated');
            assert.equal(task.stoppedReason, 'Task stopped by user');
        }
        assert.equal(condition('SpecApplied').status, 'True', 'desiredStatus is no spec change');
    });
    test('an edit after launch runs nothing again and is reported', async () => {
        writeFileSync(join(dir, 'task.yaml'), taskManifest('  count: 1\n'));
        await start();
        runtime.takeCommands();
        writeFileSync(join(dir, 'task.yaml'), taskManifest('  count: 4\n'));
        await eventually('SpecApplied=False', () => condition('SpecApplied').status === 'False');
        assert.equal(runtime.takeCommands().filter((c) => c.op === 'create').length, 0);
        assert.equal(condition('SpecApplied').status, 'False');
        assert.equal(condition('SpecApplied').reason, 'SpecChanged');
        assert.match(condition('SpecApplied').message, /a Task runs once: create a new Task manifest \(or rename this one\) to run again/);
    });
    test('deleting the manifest stops the tasks and removes their containers', async () => {
        writeFileSync(join(dir, 'task.yaml'), taskManifest('  count: 2\n'));
        await start();
        unlinkSync(join(dir, 'task.yaml'));
        await eventually('no container left', async () => (await containers()).length === 0);
        assert.deepEqual(await containers(), []);
    });
    test('a restarted controller neither launches again nor forgets the run', async () => {
        writeFileSync(join(dir, 'task.yaml'), taskManifest('  count: 2\n'));
        await start();
        const before = run().tasks.map((t) => t.taskId).sort();
        await berth.stop();
        runtime.takeCommands();
        status = new StatusRecorder();
        await start();
        assert.deepEqual(runtime.takeCommands().filter((c) => c.op === 'create' || c.op === 'start'), []);
        assert.deepEqual(run().tasks.map((t) => t.taskId).sort(), before);
        assert.ok(run().tasks.every((t) => t.pullStartedAt), 'launch times survive the restart');
    });
    test('a run whose record is lost is adopted from its containers, not launched again', async () => {
        writeFileSync(join(dir, 'task.yaml'), taskManifest('  count: 2\n'));
        await start();
        await berth.stop();
        rmSync(join(dir, '.berth'), { recursive: true, force: true });
        runtime.takeCommands();
        await start();
        assert.equal(runtime.takeCommands().filter((c) => c.op === 'create').length, 0);
        assert.equal(run().tasks.length, 2);
    });
    test('stopped tasks leave the status and the engine after the retention; the counts stay', async () => {
        writeFileSync(join(dir, 'task.yaml'), taskManifest('  count: 2\n'));
        await start(300);
        for (const c of await containers())
            runtime.exit(c.id, 1);
        await settle();
        assert.equal(run().tasks.length, 2);
        await new Promise((resolve) => setTimeout(resolve, 600));
        await berth.idle();
        assert.deepEqual(await containers(), []);
        assert.deepEqual(run().tasks, []);
        assert.equal(run().failedCount, 2);
        assert.equal(run().expiredCount, 2);
        assert.equal(run().lastStatus, 'STOPPED');
    });
});
//# sourceMappingURL=task-controller.test.js.map