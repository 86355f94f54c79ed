/**
 * EFS root directories and access points on the real engine: volumes of one file system
 * with different root directories see different files, tasks naming the same file system
 * and directory share it, and an access point's directory belongs to its POSIX user.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { docker, execIn, groupContainers, testCluster, waitFor, writeManifests } from './harness.js';
/** A legal EFS id of its own per run, so parallel files never share a file system volume. */
const hexId = (prefix) => `${prefix}-${randomBytes(8).toString('hex')}`;
function serviceManifest(name, cluster) {
    return `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  cluster: ${cluster}\n  taskDefinition: ${name}\n  desiredCount: 1\n`;
}
/** The running container of a service's task, by its ECS container name. */
async function runningContainer(cluster, service, container) {
    const all = await groupContainers(cluster, `service:${service}`);
    return all.find((c) => c.state === 'running' && c.labels['berth.container'] === container);
}
describe('EFS root directories on the real engine', () => {
    const { cluster, dir, start } = testCluster('efs');
    const fileSystem = hexId('fs');
    const webPoint = hexId('fsap');
    const apiPoint = hexId('fsap');
    let controller;
    before(() => {
        writeManifests(dir, {
            'cluster.yaml': `apiVersion: berth/v1
kind: Cluster
metadata:
  name: ${cluster}
spec:
  efsAccessPoints:
    ${webPoint}:
      fileSystemId: ${fileSystem}
      posixUser: {uid: 1234, gid: 2345}
      rootDirectory: {path: /apps/web, creationInfo: {ownerUid: 1234, ownerGid: 2345, permissions: "750"}}
    ${apiPoint}:
      fileSystemId: ${fileSystem}
      posixUser: {uid: 4321, gid: 5432}
      rootDirectory: {path: /apps/api}
`,
            // postgres and redis of one real task definition: one file system, a directory each.
            'stack.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: stack
spec:
  volumes:
    - name: pg
      efsVolumeConfiguration: {fileSystemId: ${fileSystem}, rootDirectory: /postgres}
    - name: redis
      efsVolumeConfiguration: {fileSystemId: ${fileSystem}, rootDirectory: /cache/redis}
    - name: whole
      efsVolumeConfiguration: {fileSystemId: ${fileSystem}}
  containerDefinitions:
    - name: pg
      image: berth/busybox:1
      stopTimeout: 1
      command: [sh, -c, "echo pg > /data/owner && exec sleep 3600"]
      mountPoints:
        - {sourceVolume: pg, containerPath: /data}
        - {sourceVolume: whole, containerPath: /whole}
    - name: redis
      image: berth/busybox:1
      stopTimeout: 1
      command: [sh, -c, "echo redis > /data/owner && exec sleep 3600"]
      mountPoints:
        - {sourceVolume: redis, containerPath: /data}
`,
            'stack-service.yaml': serviceManifest('stack', cluster),
        });
        controller = start();
    });
    after(async () => {
        await controller?.stop();
        await docker.getVolume(`berth-efs-${fileSystem}`).remove().catch(() => undefined);
    });
    test('two root directories of one file system in one task see different files, each its own directory of the file system', async () => {
        const pg = await waitFor('the pg container running', () => runningContainer(cluster, 'stack', 'pg'), { controller });
        const redis = await waitFor('the redis container running', () => runningContainer(cluster, 'stack', 'redis'), { controller });
        await waitFor('both containers wrote their file', async () => (await execIn(pg.id, 'cat /whole/postgres/owner /whole/cache/redis/owner')).trim() === 'pg\nredis', { controller });
        assert.equal((await execIn(pg.id, 'cat /data/owner')).trim(), 'pg', 'postgres keeps its own data');
        assert.equal((await execIn(redis.id, 'cat /data/owner')).trim(), 'redis', 'redis keeps its own data');
        assert.equal((await execIn(redis.id, 'ls -A /data')).trim(), 'owner', 'redis sees nothing of the rest of the file system');
        const volume = await docker.getVolume(`berth-efs-${fileSystem}`).inspect();
        assert.equal(volume.Driver, 'local', 'the file system is one local volume');
    });
    test('a second task naming the same file system and root directory shares it, and only it', async () => {
        const pg = await waitFor('the pg container running', () => runningContainer(cluster, 'stack', 'pg'), { controller });
        const redis = await waitFor('the redis container running', () => runningContainer(cluster, 'stack', 'redis'), { controller });
        writeManifests(dir, {
            // The same directory, written another way.
            'reader.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: reader
spec:
  volumes:
    - name: pgdata
      efsVolumeConfiguration: {fileSystemId: ${fileSystem}, rootDirectory: "postgres/"}
  containerDefinitions:
    - name: app
      image: berth/busybox:1
      stopTimeout: 1
      command: [sh, -c, "cp /d/owner /d/seen-by-reader && exec sleep 3600"]
      mountPoints:
        - {sourceVolume: pgdata, containerPath: /d}
`,
            'reader-service.yaml': serviceManifest('reader', cluster),
        });
        const reader = await waitFor('the reader running', () => runningContainer(cluster, 'reader', 'app'), { controller });
        await waitFor('the reader read what pg wrote', async () => (await execIn(reader.id, 'cat /d/seen-by-reader')).trim() === 'pg', { controller });
        assert.equal((await execIn(pg.id, 'cat /data/seen-by-reader')).trim(), 'pg', "the reader's file is in postgres's directory");
        assert.equal((await execIn(redis.id, 'test -e /data/seen-by-reader && echo present || echo absent')).trim(), 'absent', "redis's directory does not have it");
    });
    test("an access point's root directory is created with its owner and permissions and belongs to its POSIX user", async () => {
        writeManifests(dir, {
            'ap.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: ap
spec:
  volumes:
    - name: web
      efsVolumeConfiguration:
        fileSystemId: ${fileSystem}
        rootDirectory: /
        transitEncryption: ENABLED
        authorizationConfig: {accessPointId: ${webPoint}, iam: DISABLED}
    - name: api
      efsVolumeConfiguration:
        fileSystemId: ${fileSystem}
        authorizationConfig: {accessPointId: ${apiPoint}}
  containerDefinitions:
    - name: app
      image: berth/busybox:1
      user: "1234:2345"
      stopTimeout: 1
      command: [sh, -c, "echo written > /web/by-posix-user && exec sleep 3600"]
      mountPoints:
        - {sourceVolume: web, containerPath: /web}
        - {sourceVolume: api, containerPath: /api}
`,
            'ap-service.yaml': serviceManifest('ap', cluster),
        });
        const app = await waitFor('the access point task running', () => runningContainer(cluster, 'ap', 'app'), { controller });
        assert.equal((await execIn(app.id, "stat -c '%u:%g %a' /web /api")).trim(), '1234:2345 750\n4321:5432 755');
        await waitFor('the POSIX user wrote into its directory', async () => (await execIn(app.id, "stat -c '%u:%g' /web/by-posix-user")).trim() === '1234:2345', { controller });
        const pg = await waitFor('the pg container running', () => runningContainer(cluster, 'stack', 'pg'), { controller });
        assert.equal((await execIn(pg.id, 'cat /whole/apps/web/by-posix-user')).trim(), 'written', "the access point's directory is /apps/web of the file system");
    });
});
//# sourceMappingURL=efs.test.js.map