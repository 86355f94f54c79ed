/**
 * runtimePlatform is a placement requirement on the real engine: a definition asking for
 * another CPU architecture than the engine's (`docker info` Architecture) is not launched,
 * and the service and the task say so naming the field; one asking for the engine's own
 * runs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clusterManifest, docker, groupContainers, readStatus, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
function taskDefinition(name, runtimePlatform) {
    return JSON.stringify({
        apiVersion: 'berth/v1',
        kind: 'TaskDefinition',
        metadata: { name },
        spec: { runtimePlatform, containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', command: ['sleep', '3600'], memory: 32, stopTimeout: 1 }] },
    });
}
const service = (name, cluster, td) => `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  cluster: ${cluster}\n  taskDefinition: ${td}\n  desiredCount: 1\n`;
const condition = (conditions, type) => conditions?.find((c) => c.type === type);
describe('runtimePlatform on the real engine', () => {
    const { cluster, dir, path, start } = testCluster('rplat');
    test('this engine is x86_64 (the test is written for it)', async () => {
        assert.equal((await docker.info()).Architecture, 'x86_64');
    });
    writeManifests(dir, {
        'cluster.yaml': clusterManifest(cluster),
        'arm-td.json': taskDefinition('rp-arm', { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' }),
        'arm.yaml': service('arm', cluster, 'rp-arm'),
        'x86-td.json': taskDefinition('rp-x86', { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' }),
        'x86.yaml': service('x86', cluster, 'rp-x86'),
        'once.yaml': `apiVersion: berth/v1\nkind: Task\nmetadata:\n  name: once\nspec:\n  cluster: ${cluster}\n  taskDefinition: rp-arm\n`,
    });
    const controller = start();
    test('X86_64 is launched; ARM64 is not, with a condition and one event naming the field', async () => {
        await waitFor('the X86_64 service running', () => serviceStatus(path('x86.yaml'), 'x86')?.runningCount === 1, { controller, timeoutMs: 90_000 });
        const status = await waitFor('the ARM64 service refused', () => {
            const s = serviceStatus(path('arm.yaml'), 'arm');
            return condition(s?.conditions, 'Steady')?.reason === 'RuntimePlatformMismatch' ? s : undefined;
        }, { controller });
        const steady = condition(status.conditions, 'Steady');
        assert.equal(steady.status, 'False');
        assert.match(steady.message, /runtimePlatform\.cpuArchitecture ARM64 does not match the engine's architecture x86_64/);
        const events = status.events.filter((e) => e.message.includes('runtimePlatform.cpuArchitecture ARM64'));
        assert.equal(events.length, 1, JSON.stringify(status.events));
        assert.match(events[0].message, /^\(service arm\) was unable to place a task: /);
        assert.equal(status.runningCount, 0);
        assert.deepEqual(status.stoppedTasks ?? [], [], 'no task was started, so none failed');
        assert.deepEqual(await groupContainers(cluster, 'service:arm'), [], 'no container was created');
        const task = await waitFor('the standalone ARM64 task refused', () => {
            const s = readStatus(path('once.yaml'), 'Task', 'once');
            return condition(s?.conditions, 'Launched')?.reason === 'RuntimePlatformMismatch' ? s : undefined;
        }, { controller });
        assert.match(condition(task.conditions, 'Launched').message, /runtimePlatform\.cpuArchitecture ARM64/);
        assert.deepEqual(await groupContainers(cluster, 'task:once'), []);
    });
});
//# sourceMappingURL=runtime-platform.test.js.map