import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { BERTH, clusterManifest, docker, groupContainers, readStatus, testCluster, waitFor, writeManifests } from './harness.js';
import { statusProblems } from '../manifestStatus.js';
const run = promisify(execFile);
/** A batch task definition: its command is meant to be overridden per run. */
function batchDefinition(family) {
    return `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: ${family}
spec:
  containerDefinitions:
    - name: job
      image: berth/busybox:1
      command: [sleep, '600']
      memory: 64
      stopTimeout: 2
      environment:
        - {name: MODE, value: interactive}
`;
}
/** `berth run-task ...`; resolves with its exit code and output, whatever the code. */
async function runTask(args) {
    try {
        const { stdout, stderr } = await run(process.execPath, [BERTH, 'run-task', ...args], { timeout: 180_000 });
        return { code: 0, stdout, stderr };
    }
    catch (error) {
        const failed = error;
        if (typeof failed.code !== 'number')
            throw error;
        return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
}
describe('standalone tasks (Task kind, berth run-task)', () => {
    const { cluster, dir, path, start } = testCluster('tkrun');
    writeManifests(dir, {
        'cluster.yaml': clusterManifest(cluster),
        'batch.yaml': batchDefinition('tkbatch'),
    });
    const controller = start();
    const status = (file, name) => readStatus(path(file), 'Task', name);
    test('count 2 with a command override: both tasks stop with exit code 3, EssentialContainerExited, ordered timestamps', async () => {
        writeManifests(dir, {
            'nightly.yaml': `apiVersion: berth/v1
kind: Task
metadata:
  name: nightly
spec:
  cluster: ${cluster}
  taskDefinition: tkbatch
  count: 2
  overrides:
    containerOverrides:
      - name: job
        command: [sh, -c, 'echo hi; exit 3']
`,
        });
        const done = await waitFor('both tasks STOPPED with their exit codes', () => {
            const s = status('nightly.yaml', 'nightly');
            return s?.lastStatus === 'STOPPED' && s.tasks.length === 2 && s.tasks.every((t) => t.containers[0]?.exitCode !== undefined) && s;
        }, { controller, timeoutMs: 120_000 });
        assert.equal(done.failedCount, 2);
        assert.deepEqual(statusProblems('Task', done), [], 'the status holds to manifests/Task.schema.json');
        for (const task of done.tasks) {
            assert.equal(task.containers[0].exitCode, 3);
            assert.equal(task.stopCode, 'EssentialContainerExited');
            assert.equal(task.stoppedReason, 'Essential container in task exited');
            assert.ok(task.taskArn.endsWith(`:task/${cluster}/${task.taskId}`));
            const times = [task.createdAt, task.pullStartedAt, task.pullStoppedAt, task.startedAt, task.stoppedAt].map((t) => Date.parse(t ?? ''));
            assert.ok(times.every(Number.isFinite), `every timestamp present: ${JSON.stringify(task)}`);
            for (let i = 1; i < times.length; i++)
                assert.ok(times[i - 1] <= times[i], `timestamps in order: ${JSON.stringify(task)}`);
            assert.equal(task.executionStoppedAt, task.stoppedAt);
        }
        const listed = (await run(process.execPath, [BERTH, 'get', 'tasks', '-m', dir])).stdout.split('\n').filter((line) => line.includes('task:nightly'));
        assert.equal(listed.length, 2, 'berth get tasks lists both');
        assert.match(listed[0], /^[0-9a-f]{32}\s+task:nightly\s+tkbatch:1\s+STOPPED/);
        // The containers stay for docker inspect, and none was started again.
        const containers = await groupContainers(cluster, 'task:nightly');
        assert.equal(containers.length, 2);
        for (const c of containers) {
            const info = await docker.getContainer(c.id).inspect();
            assert.equal(info.State.ExitCode, 3);
            assert.deepEqual(info.Config.Cmd, ['sh', '-c', 'echo hi; exit 3']);
        }
    });
    test('run-task --wait: the environment override reaches the container, and the exit code is the container\'s', async () => {
        const ok = await runTask(['--task-definition', 'tkbatch', '--cluster', cluster, '-m', dir, '--name', 'envcheck', '--env', 'MODE=batch', '--command', `sh -c 'test "$MODE" = batch'`, '--wait']);
        assert.equal(ok.code, 0, ok.stdout + ok.stderr);
        assert.match(ok.stdout, /Task\/envcheck written to/);
        assert.match(ok.stdout, /EssentialContainerExited: Essential container in task exited; exit codes: job=0/);
        const failing = await runTask(['--task-definition', 'tkbatch', '--cluster', cluster, '-m', dir, '--command', 'sh -c "exit 7"', '--wait']);
        assert.equal(failing.code, 7, failing.stdout + failing.stderr);
        assert.match(failing.stdout, /exit codes: job=7/);
    });
    test('run-task refuses a name a Task already has', async () => {
        const again = await runTask(['--task-definition', 'tkbatch', '--cluster', cluster, '-m', dir, '--name', 'envcheck']);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /Task "envcheck" already exists/);
    });
    test('desiredStatus STOPPED stops a long-running task as the user asked', async () => {
        writeManifests(dir, { 'long.yaml': `apiVersion: berth/v1\nkind: Task\nmetadata:\n  name: long\nspec:\n  cluster: ${cluster}\n  taskDefinition: tkbatch\n` });
        await waitFor('the long task RUNNING', () => status('long.yaml', 'long')?.lastStatus === 'RUNNING', { controller, timeoutMs: 60_000 });
        writeManifests(dir, { 'long.yaml': `apiVersion: berth/v1\nkind: Task\nmetadata:\n  name: long\nspec:\n  cluster: ${cluster}\n  taskDefinition: tkbatch\n  desiredStatus: STOPPED\n` });
        const stopped = await waitFor('the long task STOPPED', () => status('long.yaml', 'long')?.tasks.find((t) => t.lastStatus === 'STOPPED'), { controller, timeoutMs: 60_000 });
        assert.equal(stopped.stopCode, 'UserInitiated');
        assert.equal(stopped.stoppedReason, 'Task stopped by user');
        assert.ok(stopped.stoppingAt && Date.parse(stopped.stoppingAt) <= Date.parse(stopped.stoppedAt));
    });
    test('deleting the manifest of a running task stops it and removes its container', async () => {
        writeManifests(dir, { 'forever.yaml': `apiVersion: berth/v1\nkind: Task\nmetadata:\n  name: forever\nspec:\n  cluster: ${cluster}\n  taskDefinition: tkbatch\n` });
        await waitFor('the task RUNNING', () => status('forever.yaml', 'forever')?.lastStatus === 'RUNNING', { controller, timeoutMs: 60_000 });
        assert.equal((await groupContainers(cluster, 'task:forever')).filter((c) => c.state === 'running').length, 1);
        unlinkSync(path('forever.yaml'));
        await waitFor('its container gone', async () => (await groupContainers(cluster, 'task:forever')).length === 0, { controller, timeoutMs: 60_000 });
    });
});
describe('the task retention', () => {
    const { cluster, dir, path, start } = testCluster('tkret');
    writeManifests(dir, {
        'cluster.yaml': clusterManifest(cluster),
        'batch.yaml': batchDefinition('tkquick'),
    });
    const controller = start(['--task-retention', '3s']);
    const status = () => readStatus(path('quick.yaml'), 'Task', 'quick');
    test('a stopped task is listed with its container kept, then both go after the retention; the count stays', async () => {
        // Written now, not with the suite: the 3 s retention must not run out before the test looks.
        writeManifests(dir, { 'quick.yaml': `apiVersion: berth/v1
kind: Task
metadata:
  name: quick
spec:
  cluster: ${cluster}
  taskDefinition: tkquick
  overrides:
    containerOverrides: [{name: job, command: [sh, -c, 'exit 0']}]
` });
        await waitFor('the task STOPPED and listed, its container kept for inspection', async () => status()?.tasks.length === 1 && status()?.lastStatus === 'STOPPED' && (await groupContainers(cluster, 'task:quick')).length === 1, { controller, timeoutMs: 60_000 });
        await waitFor('its container removed after the retention', async () => (await groupContainers(cluster, 'task:quick')).length === 0, { controller, timeoutMs: 60_000 });
        const after = await waitFor('the task gone from the status', () => status()?.tasks.length === 0 && status(), { controller, timeoutMs: 60_000 });
        assert.equal(after.succeededCount, 1);
        assert.equal(after.expiredCount, 1);
        assert.equal(after.lastStatus, 'STOPPED');
    });
});
//# sourceMappingURL=run-task.test.js.map