/**
 * Volumes on the real engine: containers of a task share an empty volume, readOnly
 * mounts and volumesFrom, task-scoped volumes removed with their task, shared and EFS
 * volumes outliving it, and the cluster's host path policy.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cleanupCluster, docker, groupContainers, serviceStatus, testCluster, uniqueName, waitFor, writeManifests } from './harness.js';
/** Runs a shell command in a container; resolves with its exit code and output. */
function execIn(containerId, command) {
    const result = spawnSync('docker', ['exec', containerId, 'sh', '-c', command], { encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
async function volumeExists(name) {
    try {
        await docker.getVolume(name).inspect();
        return true;
    }
    catch {
        return false;
    }
}
async function taskVolumeNames(taskId) {
    const { Volumes } = await docker.listVolumes({ filters: { label: [`berth.task-id=${taskId}`] } });
    return (Volumes ?? []).map((v) => v.Name).sort();
}
/** The running container of a service's task, by its ECS container name. */
async function runningContainer(cluster, service, container) {
    const all = await groupContainers(cluster, `service:${service}`);
    return all.find((c) => c.state === 'running' && c.labels['berth.container'] === container);
}
function taskDefinition(name, volumes, containers) {
    return `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: ${name}
spec:
  volumes:
${volumes}
  containerDefinitions:
${containers}
`;
}
function serviceManifest(name, cluster) {
    return `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  cluster: ${cluster}\n  taskDefinition: ${name}\n  desiredCount: 1\n`;
}
describe('volumes on the real engine', () => {
    const { cluster, dir, path, start } = testCluster('vol');
    const sharedVolume = uniqueName('vol-shared-');
    const efsId = `fs-${randomBytes(8).toString('hex')}`;
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'berth-vol-hostpaths-')));
    const root = join(base, 'root');
    let controller;
    before(() => {
        mkdirSync(root);
        mkdirSync(join(base, 'outside'));
        symlinkSync(join(base, 'outside'), join(root, 'escape'));
        writeManifests(dir, {
            'cluster.yaml': `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${cluster}\nspec:\n  hostPathPolicy:\n    allowedRoots: [${root}]\n`,
        });
        controller = start();
    });
    after(async () => {
        await controller?.stop();
        await cleanupCluster(cluster);
        const { Volumes } = await docker.listVolumes({ filters: { label: [`berth.cluster=${cluster}`] } });
        const names = [...(Volumes ?? []).map((v) => v.Name), sharedVolume, `berth-efs-${efsId}`];
        for (const name of names)
            await docker.getVolume(name).remove().catch(() => undefined);
        rmSync(base, { recursive: true, force: true });
    });
    test('containers of a task share an empty volume; readOnly and volumesFrom hold; the volume goes with the task', async () => {
        writeManifests(dir, {
            'share.yaml': taskDefinition('share', `    - name: scratch
    - name: cache
      dockerVolumeConfiguration: {scope: task, driver: local, labels: {purpose: cache}}`, `    - name: writer
      image: berth/busybox:1
      stopTimeout: 1
      command: [sh, -c, "echo hello > /scratch/msg && echo kept > /cache/c && exec sleep 3600"]
      mountPoints:
        - {sourceVolume: scratch, containerPath: /scratch}
        - {sourceVolume: cache, containerPath: /cache}
    - name: reader
      image: berth/busybox:1
      stopTimeout: 1
      command: [sleep, "3600"]
      mountPoints:
        - {sourceVolume: scratch, containerPath: /in, readOnly: true}
    - name: borrower
      image: berth/busybox:1
      stopTimeout: 1
      command: [sleep, "3600"]
      volumesFrom:
        - {sourceContainer: writer, readOnly: true}`),
            'share-service.yaml': serviceManifest('share', cluster),
        });
        const reader = await waitFor('the reader running', () => runningContainer(cluster, 'share', 'reader'), { controller });
        const borrower = await waitFor('the borrower running', () => runningContainer(cluster, 'share', 'borrower'), { controller });
        await waitFor('the reader sees the writer\'s file', () => execIn(reader.id, 'cat /in/msg').output.trim() === 'hello', { controller });
        const denied = execIn(reader.id, 'touch /in/other');
        assert.notEqual(denied.status, 0, 'a readOnly mount refuses writes');
        assert.match(denied.output, /Read-only file system/);
        assert.equal(execIn(borrower.id, 'cat /scratch/msg').output.trim(), 'hello', 'volumesFrom mounts the writer\'s volumes');
        assert.equal(execIn(borrower.id, 'cat /cache/c').output.trim(), 'kept');
        assert.notEqual(execIn(borrower.id, 'touch /scratch/other').status, 0, 'volumesFrom readOnly refuses writes');
        const taskId = reader.taskId;
        const short = taskId.slice(0, 12);
        assert.deepEqual(await taskVolumeNames(taskId), [`berth-${cluster}-${short}-cache`, `berth-${cluster}-${short}-scratch`]);
        const cache = await docker.getVolume(`berth-${cluster}-${short}-cache`).inspect();
        assert.equal(cache.Labels?.purpose, 'cache', 'the task definition\'s labels are passed to Docker');
        // Deleting the service removes its tasks' containers, and with them the task-scoped volumes.
        unlinkSync(path('share-service.yaml'));
        await waitFor('the task\'s containers removed', async () => (await groupContainers(cluster, 'service:share')).length === 0, { controller });
        await waitFor('the task volumes removed', async () => (await taskVolumeNames(taskId)).length === 0, { controller });
    });
    test('a shared autoprovisioned volume and an EFS volume outlive the task; the next task sees the data', async () => {
        writeManifests(dir, {
            'keep.yaml': taskDefinition('keep', `    - name: ${sharedVolume}
      dockerVolumeConfiguration: {scope: shared, autoprovision: true}
    - name: content
      efsVolumeConfiguration: {fileSystemId: ${efsId}, rootDirectory: /}`, `    - name: app
      image: berth/busybox:1
      stopTimeout: 1
      command: [sh, -c, "echo run >> /data/runs && echo efs >> /efs/runs && exec sleep 3600"]
      mountPoints:
        - {sourceVolume: ${sharedVolume}, containerPath: /data}
        - {sourceVolume: content, containerPath: /efs}`),
            'keep-service.yaml': serviceManifest('keep', cluster),
        });
        const first = await waitFor('the first task running', () => runningContainer(cluster, 'keep', 'app'), { controller });
        await waitFor('the first run recorded', () => execIn(first.id, 'cat /data/runs').output.trim() === 'run', { controller });
        assert.ok(await volumeExists(sharedVolume), 'the shared volume carries the ECS volume name');
        assert.ok(await volumeExists(`berth-efs-${efsId}`), 'EFS is a shared local volume per file system');
        // The essential container dies; the service replaces the task, whose container finds the data.
        await docker.getContainer(first.id).kill();
        const second = await waitFor('a replacement task running', async () => {
            const found = await runningContainer(cluster, 'keep', 'app');
            return found && found.taskId !== first.taskId ? found : undefined;
        }, { controller });
        await waitFor('the second run appended to the first', () => execIn(second.id, 'cat /data/runs').output.trim() === 'run\nrun', { controller });
        assert.equal(execIn(second.id, 'cat /efs/runs').output.trim(), 'efs\nefs');
        unlinkSync(path('keep-service.yaml'));
        await waitFor('the tasks\' containers removed', async () => (await groupContainers(cluster, 'service:keep')).length === 0, { controller });
        assert.ok(await volumeExists(sharedVolume), 'a shared volume outlives its tasks');
        assert.ok(await volumeExists(`berth-efs-${efsId}`), 'the EFS volume outlives its tasks');
    });
    test('a host path under an allowed root is mounted, created when missing', async () => {
        const hostDir = join(root, 'data', 'new');
        writeManifests(dir, {
            'host.yaml': taskDefinition('host', `    - name: out
      host: {sourcePath: ${hostDir}}`, `    - name: app
      image: berth/busybox:1
      stopTimeout: 1
      command: [sh, -c, "echo from-task > /out/file && exec sleep 3600"]
      mountPoints:
        - {sourceVolume: out, containerPath: /out}`),
            'host-service.yaml': serviceManifest('host', cluster),
        });
        await waitFor('the task wrote into the host directory', () => existsSync(join(hostDir, 'file')) && readFileSync(join(hostDir, 'file'), 'utf8').trim() === 'from-task', {
            controller,
        });
        unlinkSync(path('host-service.yaml'));
    });
    const refusals = [
        {
            service: 'outside',
            what: 'outside the allowed roots',
            sourcePath: () => join(base, 'outside'),
            reason: (p) => new RegExp(`^ResourceInitializationError: volume "out": host path "${p}" is outside the allowed roots of cluster "${cluster}" \\(${root}\\); add a directory containing it to spec\\.hostPathPolicy\\.allowedRoots of the Cluster manifest "${cluster}"$`),
        },
        {
            service: 'dotdot',
            what: 'with a ".." segment',
            sourcePath: () => `${root}/../outside`,
            reason: () => /^ResourceInitializationError: volume "out": host path ".*\/root\/\.\.\/outside" contains a "\.\." segment, which is never allowed/,
        },
        {
            service: 'escape',
            what: 'through a symlink escaping the root',
            sourcePath: () => join(root, 'escape'),
            reason: (p) => new RegExp(`^ResourceInitializationError: volume "out": host path "${p}" \\(real path "${join(base, 'outside')}"\\) is outside the allowed roots`),
        },
    ];
    for (const refusal of refusals) {
        test(`a host path ${refusal.what} stops the task with the policy's reason, in status and events`, async () => {
            const { service } = refusal;
            const sourcePath = refusal.sourcePath();
            writeManifests(dir, {
                [`${service}.yaml`]: taskDefinition(service, `    - name: out
      host: {sourcePath: "${sourcePath}"}`, `    - name: app
      image: berth/busybox:1
      command: [sleep, "3600"]
      mountPoints:
        - {sourceVolume: out, containerPath: /out}`),
                [`${service}-service.yaml`]: serviceManifest(service, cluster),
            });
            const status = await waitFor('a stopped task in the service status', () => serviceStatus(path(`${service}-service.yaml`), service)?.stoppedTasks?.[0] && serviceStatus(path(`${service}-service.yaml`), service), {
                controller,
            });
            const stopped = status.stoppedTasks[0];
            assert.equal(stopped.stopCode, 'TaskFailedToStart');
            assert.match(stopped.stoppedReason ?? '', refusal.reason(sourcePath));
            assert.ok(status.events?.some((e) => e.message.includes(`task ${stopped.taskId} failed to start: ${stopped.stoppedReason}`)), `an event tells the failure: ${JSON.stringify(status.events)}`);
            assert.deepEqual(await groupContainers(cluster, `service:${service}`), [], 'nothing was created');
            assert.equal(existsSync(join(base, 'outside', 'file')), false);
            unlinkSync(path(`${service}-service.yaml`));
        });
    }
});
//# sourceMappingURL=volumes.test.js.map