import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, cleanupCluster, docker, running, serviceStatus, testCluster, uniqueName, waitFor, webManifests, writeManifests, } from './harness.js';
/** The controller as a long-lived container, driving the engine whose socket is mounted into it. */
describe('the controller runs as a container', () => {
    const { cluster, dir } = testCluster('ctr');
    const name = uniqueName('berth-controller-');
    writeManifests(dir, webManifests({ cluster, desiredCount: 2 }));
    before(() => {
        execFileSync('bash', [join(ROOT, 'scripts', 'build-controller-image.sh')], { stdio: 'inherit' });
    });
    after(async () => {
        await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    });
    test('reconciles a mounted manifests directory and stops cleanly, leaving tasks running', async () => {
        const container = await docker.createContainer({
            name,
            Image: 'berth/controller:local',
            HostConfig: { Binds: ['/var/run/docker.sock:/var/run/docker.sock', `${dir}:/manifests`] },
        });
        await container.start();
        const logs = async () => (await container.logs({ stdout: true, stderr: true })).toString();
        await waitFor('2 running tasks reported in the mounted file', () => serviceStatus(join(dir, 'service.yaml'), 'web')?.runningCount === 2, { timeoutMs: 60_000 });
        assert.equal((await running(cluster, 'service:web')).length, 2);
        await container.stop({ t: 10 });
        const state = (await container.inspect()).State;
        assert.equal(state.ExitCode, 0, await logs());
        assert.match(await logs(), /controller stopped; tasks keep running/);
        assert.equal((await running(cluster, 'service:web')).length, 2, 'tasks outlive the controller container');
    });
});
/** The same image as the non-root user `berth`, in the socket's group: the socket is all it needs. */
describe('the controller container runs as a non-root user', () => {
    const { cluster, dir } = testCluster('ctrnr');
    const name = uniqueName('berth-controller-nonroot-');
    writeManifests(dir, webManifests({ cluster, desiredCount: 1 }));
    // The user writes status and its state directory into the mounted directory.
    chownSync(dir, 10001, 0);
    before(() => {
        execFileSync('bash', [join(ROOT, 'scripts', 'build-controller-image.sh')], { stdio: 'inherit' });
    });
    after(async () => {
        await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
        // The suite's own clean-up ran first, while this controller could still launch.
        await cleanupCluster(cluster);
    });
    test('reconciles as uid 10001', async () => {
        const container = await docker.createContainer({
            name,
            Image: 'berth/controller:local',
            User: 'berth',
            // As the README runs it: on the host network, where tasks reach its metadata endpoint.
            HostConfig: { NetworkMode: 'host', Binds: ['/var/run/docker.sock:/var/run/docker.sock', `${dir}:/manifests`] },
        });
        await container.start();
        const logs = async () => (await container.logs({ stdout: true, stderr: true })).toString();
        await waitFor('1 running task reported in the mounted file', () => serviceStatus(join(dir, 'service.yaml'), 'web')?.runningCount === 1, { timeoutMs: 60_000 }).catch(async (error) => {
            throw new Error(`${error instanceof Error ? error.message : String(error)}\n${await logs()}`);
        });
        const top = (await container.top({ ps_args: '-o pid,uid' }));
        assert.deepEqual(top.Processes.map((p) => p[1]), ['10001'], JSON.stringify(top));
        await container.stop({ t: 10 });
        assert.equal((await container.inspect()).State.ExitCode, 0, await logs());
    });
});
//# sourceMappingURL=container.test.js.map