/**
 * Task output on the real engine: log drivers reach Docker as the task definition says,
 * and `berth logs` shows what every task's containers wrote — while they run, when
 * followed, after a controller restart (nothing twice, nothing missing), after the
 * containers were removed, and with no controller running.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { BERTH, clusterManifest, docker, editFile, groupContainers, testCluster, waitFor, writeManifests } from './harness.js';
const run = promisify(execFile);
/** `berth logs ARGS -m DIR`, to its end. */
async function berthLogs(dir, args) {
    try {
        const { stdout, stderr } = await run(process.execPath, [BERTH, 'logs', ...args, '-m', dir]);
        return { code: 0, stdout, stderr };
    }
    catch (error) {
        const failed = error;
        return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
}
/** The tick numbers in some output, in the order printed. */
function ticks(text) {
    return [...text.matchAll(/tick-(\d+)/g)].map((match) => Number(match[1]));
}
function assertConsecutive(numbers, what) {
    assert.ok(numbers.length > 0, `${what}: no ticks`);
    assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => numbers[0] + i), `${what}: ticks neither repeat nor skip`);
}
describe('berth logs on a running, followed, restarted and removed task', () => {
    const { cluster, dir, path, start } = testCluster('lg');
    writeManifests(dir, {
        'cluster.yaml': clusterManifest(cluster),
        'taskdef.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: chatty
spec:
  containerDefinitions:
    - name: talker
      image: berth/busybox:1
      command: ["sh", "-c", "echo hello-out; echo hello-err >&2; i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.5; done"]
      memory: 32
      stopTimeout: 2
      logConfiguration:
        logDriver: awslogs
        options: {awslogs-group: /ecs/chatty, awslogs-region: eu-west-1, awslogs-stream-prefix: lg, mode: non-blocking, max-buffer-size: 4m}
    - name: quiet
      image: berth/busybox:1
      command: ["sh", "-c", "echo quiet-line; sleep 3600"]
      memory: 32
      stopTimeout: 2
      essential: false
      logConfiguration:
        logDriver: json-file
        options: {max-size: 1m, max-file: "2"}
`,
        'service.yaml': `apiVersion: berth/v1
kind: Service
metadata:
  name: chatty
spec:
  cluster: ${cluster}
  taskDefinition: chatty
  desiredCount: 1
`,
    });
    let controller = start();
    let taskId = '';
    test('the task’s stdout and stderr are shown, each line prefixed by its container', async () => {
        const containers = await waitFor('both containers running', async () => {
            const listed = (await groupContainers(cluster, 'service:chatty')).filter((c) => c.state === 'running');
            return listed.length === 2 ? listed : undefined;
        }, { controller });
        taskId = containers[0].taskId;
        assert.match(taskId, /^[0-9a-f]{32}$/);
        const shown = await waitFor('the first lines in berth logs', async () => {
            const result = await berthLogs(dir, [taskId.slice(0, 8)]);
            return result.code === 0 && result.stdout.includes('talker | tick-2') && result.stdout.includes('quiet | quiet-line') ? result : undefined;
        }, { controller });
        assert.match(shown.stdout, /^talker \| hello-out$/m);
        assert.match(shown.stderr, /^talker \| hello-err$/m, 'stderr lines go to stderr');
        assert.ok(!shown.stdout.includes('hello-err'));
        assert.ok(shown.stdout.indexOf('hello-out') < shown.stdout.indexOf('tick-1'), 'in time order');
    });
    test('--container shows one container, --timestamps the engine’s time of each line', async () => {
        const quiet = await berthLogs(dir, [taskId, '--container', 'quiet', '--timestamps']);
        assert.equal(quiet.code, 0, quiet.stderr);
        assert.match(quiet.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z quiet-line\n$/);
        const unknown = await berthLogs(dir, [taskId, '--container', 'nope']);
        assert.equal(unknown.code, 1);
        assert.match(unknown.stderr, /has no container "nope"; its containers: quiet, talker/);
    });
    test('Docker gets the drivers the task definition names: awslogs is served by berth through the local driver', async () => {
        const containers = await groupContainers(cluster, 'service:chatty');
        const byName = new Map(containers.map((c) => [c.labels['berth.container'], c.id]));
        const talker = await docker.getContainer(byName.get('talker')).inspect();
        const quiet = await docker.getContainer(byName.get('quiet')).inspect();
        assert.equal(talker.HostConfig.LogConfig?.Type, 'local');
        assert.deepEqual(quiet.HostConfig.LogConfig, { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } });
        // The awslogs group and stream are in the store's index entry, named as ECS names them.
        const entry = JSON.parse(readFileSync(join(dir, '.berth', 'logs', cluster, taskId, 'task.json'), 'utf8'));
        const stored = entry.containers.find((c) => c.name === 'talker');
        assert.equal(stored?.logGroup, '/ecs/chatty');
        assert.equal(stored?.logStream, `lg/talker/${taskId}`);
    });
    test('a controller restart loses no line and repeats none', async () => {
        const before = ticks((await berthLogs(dir, [taskId, '-c', 'talker'])).stdout);
        assert.equal(await controller.stop(), 0);
        // The container keeps printing while no controller collects.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        controller = start();
        const last = before.at(-1);
        const after = await waitFor('ticks well past the restart', async () => {
            const shown = ticks((await berthLogs(dir, [taskId, '-c', 'talker'])).stdout);
            return shown.at(-1) >= last + 8 ? shown : undefined;
        }, { controller });
        assert.equal(after[0], 1);
        assertConsecutive(after, 'across the restart');
    });
    test('-f prints new lines as they come and exits 0 once the task has stopped', async () => {
        const follower = spawn(process.execPath, [BERTH, 'logs', taskId, '-f', '-c', 'talker', '-m', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        follower.stdout.on('data', (chunk) => (out += chunk.toString()));
        follower.stderr.on('data', (chunk) => (out += chunk.toString()));
        const exited = new Promise((resolve) => follower.once('exit', (code) => resolve(code)));
        try {
            const first = await waitFor('the follower prints', () => ticks(out).at(-1));
            await waitFor('the follower prints a line written after it started', () => (ticks(out).at(-1) >= first + 3 ? true : undefined));
            assert.equal(follower.exitCode, null, 'still following while the task runs');
            editFile(path('service.yaml'), (text) => text.replace('desiredCount: 1', 'desiredCount: 0'));
            const code = await waitFor('the follower exits', () => (follower.exitCode !== null ? follower.exitCode : undefined), { timeoutMs: 60_000, controller });
            assert.equal(code, 0, out);
            assertConsecutive(ticks(out), 'followed output');
            const stored = ticks((await berthLogs(dir, [taskId, '-c', 'talker'])).stdout);
            assert.equal(ticks(out).at(-1), stored.at(-1), 'the follower printed everything up to the end');
        }
        finally {
            follower.kill();
            await exited;
        }
    });
    test('after its containers are removed, and with no controller running, the task’s output is still shown', async () => {
        for (const container of await groupContainers(cluster, 'service:chatty'))
            await docker.getContainer(container.id).remove({ force: true });
        assert.equal(await controller.stop(), 0);
        const shown = await berthLogs(dir, [taskId]);
        assert.equal(shown.code, 0, shown.stderr);
        assert.match(shown.stdout, /^talker \| hello-out$/m);
        assert.match(shown.stdout, /^quiet \| quiet-line$/m);
        assertConsecutive(ticks(shown.stdout), 'stored output');
    });
    test('an unknown task id fails with exit 1 and says where ids come from', async () => {
        const shown = await berthLogs(dir, ['ffffffff']);
        assert.equal(shown.code, 1);
        assert.match(shown.stderr, /no logs of a task "ffffffff".*berth get tasks/);
    });
});
describe('the none log driver reaches Docker, and berth logs says the output was not collected', () => {
    const { cluster, dir, start } = testCluster('lgn');
    writeManifests(dir, {
        'cluster.yaml': clusterManifest(cluster),
        'taskdef.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: silent
spec:
  containerDefinitions:
    - name: app
      image: berth/busybox:1
      command: ["sh", "-c", "echo nobody-reads-this; sleep 3600"]
      memory: 32
      stopTimeout: 2
      logConfiguration: {logDriver: none}
`,
        'service.yaml': `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: silent\nspec:\n  cluster: ${cluster}\n  taskDefinition: silent\n  desiredCount: 1\n`,
    });
    const controller = start();
    test('HostConfig.LogConfig.Type is none; berth logs prints no line and names the reason', async () => {
        const [container] = await waitFor('running', async () => {
            const listed = (await groupContainers(cluster, 'service:silent')).filter((c) => c.state === 'running');
            return listed.length === 1 ? listed : undefined;
        }, { controller });
        const info = await docker.getContainer(container.id).inspect();
        assert.equal(info.HostConfig.LogConfig?.Type, 'none');
        const shown = await waitFor('berth logs names the driver', async () => {
            const result = await berthLogs(dir, [container.taskId]);
            return result.stderr.includes('cannot be read back') ? result : undefined;
        }, { controller });
        assert.equal(shown.code, 0);
        assert.equal(shown.stdout, '');
    });
});
//# sourceMappingURL=task-logs.test.js.map