import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { editFile, groupContainers, logLines, running, serviceStatus, testCluster, waitFor, webManifests, writeManifests, } from './harness.js';
describe('restart safety on the real engine', () => {
    const { cluster, dir, path, start } = testCluster('rst');
    const serviceFile = path('service.yaml');
    let controller;
    test('SIGTERM leaves tasks running; a new controller adopts them without recreating any', async () => {
        writeManifests(dir, webManifests({ cluster, desiredCount: 2 }));
        controller = start();
        await waitFor('2 running in status', () => serviceStatus(serviceFile, 'web')?.runningCount === 2, { controller });
        const before = (await running(cluster, 'service:web')).map((c) => c.id).sort();
        assert.equal(await controller.stop('SIGTERM'), 0, 'clean exit on SIGTERM');
        assert.deepEqual((await running(cluster, 'service:web')).map((c) => c.id).sort(), before, 'tasks keep running without a controller');
        controller = start();
        const restarted = controller;
        await waitFor('controller started', () => logLines(restarted).some((l) => l.msg === 'controller started'), { controller });
        // Give the new controller time to do anything it would wrongly do, then check it did nothing.
        await waitFor('a full reconcile of the service', () => logLines(restarted).some((l) => l.kind === 'Service' && l.msg === 'reconciled'), { controller });
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const afterRestart = await groupContainers(cluster, 'service:web');
        assert.deepEqual(afterRestart.map((c) => c.id).sort(), before, 'same containers, none created or removed');
        assert.ok(!logLines(restarted).some((l) => l.msg === 'launching tasks'), 'no launch after restart');
        assert.equal(serviceStatus(serviceFile, 'web')?.runningCount, 2);
        await controller.stop('SIGINT');
    });
    test('kill -9 in the middle of a scale-up converges to exactly desired, with no orphans', async () => {
        controller = start();
        const first = controller;
        await waitFor('2 running', () => serviceStatus(serviceFile, 'web')?.runningCount === 2, { controller });
        editFile(serviceFile, (t) => t.replace('desiredCount: 2 #', 'desiredCount: 9 #'));
        // Kill as soon as the scale-up is under way: some containers exist, not all.
        await waitFor('scale-up under way', async () => {
            const all = await groupContainers(cluster, 'service:web');
            return all.length > 2 && all.filter((c) => c.state === 'running').length < 9;
        }, { intervalMs: 10, controller });
        await first.stop('SIGKILL');
        const atKill = await groupContainers(cluster, 'service:web');
        assert.ok(atKill.length < 9 || atKill.some((c) => c.state !== 'running'), 'killed mid-way');
        controller = start();
        await waitFor('9 running after restart', async () => (await running(cluster, 'service:web')).length === 9, { controller, timeoutMs: 90_000 });
        await waitFor('status converged', () => {
            const s = serviceStatus(serviceFile, 'web');
            return s?.runningCount === 9 && s.pendingCount === 0;
        }, { controller, timeoutMs: 60_000 });
        // Converged means: exactly 9 live tasks, one container each, nothing half-created left behind.
        await waitFor('no leftovers', async () => {
            const all = await groupContainers(cluster, 'service:web');
            const live = all.filter((c) => c.state === 'running');
            const tasks = new Set(live.map((c) => c.taskId));
            return live.length === 9 && tasks.size === 9 && all.every((c) => c.state === 'running' || c.state === 'exited') && all.filter((c) => c.state === 'created').length === 0;
        }, { controller, timeoutMs: 30_000 });
        await new Promise((resolve) => setTimeout(resolve, 1500));
        assert.equal((await running(cluster, 'service:web')).length, 9, 'never more than desired after convergence');
    });
});
//# sourceMappingURL=restart.test.js.map