import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { docker, editFile, groupContainers, logLines, running, serviceStatus, testCluster, waitFor, webManifests, writeManifests, } from './harness.js';
/**
 * What already holds under abuse and must keep holding: kill -9 of the controller,
 * again and again, in steady state and in the middle of scaling.
 */
/** Every create and destroy of the cluster's containers from now on, straight from Docker's event stream. */
async function containerLifecycle(cluster) {
    const stream = (await docker.getEvents({ filters: { type: ['container'], event: ['create', 'destroy'], label: [`berth.cluster=${cluster}`] } }));
    let creates = 0;
    let destroys = 0;
    stream.on('data', (chunk) => {
        for (const line of chunk.toString().split('\n')) {
            if (!line.trim())
                continue;
            const event = JSON.parse(line);
            if (event.Action === 'create')
                creates++;
            if (event.Action === 'destroy')
                destroys++;
        }
    });
    return { creates: () => creates, destroys: () => destroys, close: () => stream.destroy() };
}
/** A controller that has started and reconciled the service (and retired nothing) at least once. */
async function reconciledOnce(controller) {
    await waitFor('a full reconcile of the service and of its retirement', () => {
        const lines = logLines(controller);
        return lines.some((l) => l.kind === 'Service' && l.msg === 'reconciled') && lines.some((l) => l.kind === 'Retirement' && l.msg === 'reconciled');
    }, { controller });
}
describe('kill -9 of the controller, again and again', () => {
    const { cluster, dir, path, start } = testCluster('k9');
    const serviceFile = path('service.yaml');
    test('ten kills in steady state: the same containers, none created or destroyed', async () => {
        writeManifests(dir, webManifests({ cluster, desiredCount: 3 }));
        let controller = start();
        await waitFor('3 running in status', () => serviceStatus(serviceFile, 'web')?.runningCount === 3, { controller });
        const before = (await running(cluster, 'service:web')).map((c) => c.id).sort();
        const lifecycle = await containerLifecycle(cluster);
        try {
            for (let kill = 1; kill <= 10; kill++) {
                await controller.stop('SIGKILL');
                controller = start();
                await reconciledOnce(controller);
            }
            // The last controller has had a whole reconcile to do anything wrong; a stop it
            // decided on would show as a retirement that stops a task.
            assert.ok(!logLines(controller).some((l) => l.msg === 'launching tasks'), 'no launch after a restart');
            assert.deepEqual((await running(cluster, 'service:web')).map((c) => c.id).sort(), before, 'the same containers run');
            assert.equal(lifecycle.creates(), 0, 'no container created');
            assert.equal(lifecycle.destroys(), 0, 'no container destroyed');
        }
        finally {
            lifecycle.close();
            await controller.stop('SIGTERM');
        }
    });
    test('twenty kills at random moments of scaling: exactly the desired count, no duplicate task, nothing half-made left', async () => {
        let controller = start();
        let desired = 3;
        for (let kill = 1; kill <= 20; kill++) {
            desired = kill % 2 === 0 ? 2 : 5;
            editFile(serviceFile, (t) => t.replace(/desiredCount: \d+ #/, `desiredCount: ${desired} #`));
            // Anywhere from before the edit is seen to after the launches are done.
            await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 1200)));
            await controller.stop('SIGKILL');
            controller = start();
        }
        await waitFor(`exactly ${desired} running tasks, one container each, no created-but-not-started container`, async () => {
            const all = await groupContainers(cluster, 'service:web');
            const live = all.filter((c) => c.state === 'running');
            return live.length === desired && new Set(live.map((c) => c.taskId)).size === desired && !all.some((c) => c.state === 'created');
        }, { controller, timeoutMs: 120_000 });
        await waitFor('status converged', () => {
            const status = serviceStatus(serviceFile, 'web');
            return status?.runningCount === desired && status.pendingCount === 0;
        }, { controller, timeoutMs: 60_000 });
        await reconciledOnce(controller);
        assert.equal((await running(cluster, 'service:web')).length, desired, 'never more than desired after convergence');
        await controller.stop('SIGTERM');
    });
});
//# sourceMappingURL=faults-holding.test.js.map