import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writableLayerLimitOf } from '../../controller/runtime/storageLimit.js';
import { clusterManifest, docker, groupContainers, logLines, readStatus, running, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
/**
 * ECS fields berth maps rather than warns about, on the real engine: Service Connect port
 * names kept for discovery, the execution role as the local secrets provider, and the
 * ephemeral storage size applied or reported per engine.
 */
describe('Service Connect port names on the real engine', () => {
    const { cluster, dir, path, start } = testCluster('pnm');
    test('named ports show in the task status, and still do after a controller restart', async () => {
        writeManifests(dir, {
            'cluster.yaml': clusterManifest(cluster),
            'web.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: named-td
spec:
  containerDefinitions:
    - name: httpd
      image: berth/httpd:1
      memory: 64
      stopTimeout: 2
      portMappings:
        - containerPort: 8080
          name: web-http
          appProtocol: http
        - containerPort: 9090
---
apiVersion: berth/v1
kind: Service
metadata:
  name: named
spec:
  cluster: ${cluster}
  taskDefinition: named-td
  desiredCount: 1
`,
        });
        const serviceFile = path('web.yaml');
        const bindingsOf = () => serviceStatus(serviceFile, 'named')?.tasks[0]?.containers.find((c) => c.name === 'httpd')?.networkBindings;
        let controller = start();
        const before = await waitFor('the running task with its bindings', () => (serviceStatus(serviceFile, 'named')?.runningCount === 1 ? bindingsOf() : undefined), { controller });
        const named = before.find((b) => b.containerPort === 8080);
        assert.equal(named?.name, 'web-http');
        assert.equal(named?.appProtocol, 'http');
        const unnamed = before.find((b) => b.containerPort === 9090);
        assert.ok(unnamed && unnamed.hostPort > 0, 'the port without a name is bound too');
        assert.equal(unnamed.name, undefined);
        assert.equal(unnamed.appProtocol, undefined);
        const taskLevel = serviceStatus(serviceFile, 'named')?.tasks[0]?.networkBindings?.find((b) => b.containerPort === 8080);
        assert.equal(taskLevel?.name, 'web-http', 'the task-level bindings carry the name too');
        const containersBefore = (await groupContainers(cluster, 'service:named')).map((c) => c.id);
        assert.equal(await controller.stop('SIGTERM'), 0);
        // The new controller writes status afresh: wait for its write, not the old one.
        writeManifests(dir, { 'web.yaml': readFileSync(serviceFile, 'utf8').replace(/\nstatus:[\s\S]*?(?=\n---|$)/g, '') });
        assert.equal(bindingsOf(), undefined, 'the old status is gone');
        controller = start();
        const after = await waitFor('bindings after the restart', () => (serviceStatus(serviceFile, 'named')?.runningCount === 1 ? bindingsOf() : undefined), { controller });
        assert.equal(after.find((b) => b.containerPort === 8080)?.name, 'web-http');
        assert.equal(after.find((b) => b.containerPort === 8080)?.appProtocol, 'http');
        assert.deepEqual((await groupContainers(cluster, 'service:named')).map((c) => c.id), containersBefore, 'the running container was adopted, not replaced');
    });
});
describe('ephemeralStorage on the default engine (overlay2 on extfs)', () => {
    const { cluster, dir, path, start } = testCluster('eps');
    test('the task runs without a size, and the service gets one event naming the engine and its storage driver', async () => {
        const driver = (await docker.info());
        const backing = driver.DriverStatus?.find(([key]) => key === 'Backing Filesystem')?.[1];
        // Engines that can limit a size are storage-limit.test.ts's; this is the common one that cannot.
        assert.equal(writableLayerLimitOf({ ...(driver.Driver ? { storageDriver: driver.Driver } : {}), ...(backing ? { backingFilesystem: backing } : {}) }).limits, false, `the default engine runs ${driver.Driver} on ${backing}`);
        writeManifests(dir, {
            'cluster.yaml': clusterManifest(cluster),
            'sized.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: sized-td
spec:
  ephemeralStorage:
    sizeInGiB: 30
  containerDefinitions:
    - name: app
      image: berth/busybox:1
      command: ["sleep", "3600"]
      memory: 64
      stopTimeout: 1
---
apiVersion: berth/v1
kind: Service
metadata:
  name: sized
spec:
  cluster: ${cluster}
  taskDefinition: sized-td
  desiredCount: 2
`,
        });
        const controller = start();
        const status = await waitFor('both tasks running', () => {
            const s = serviceStatus(path('sized.yaml'), 'sized');
            return s?.runningCount === 2 ? s : undefined;
        }, { controller });
        const events = status.events.filter((e) => e.message.includes('ephemeralStorage')).map((e) => e.message);
        assert.deepEqual(events, [
            `(service sized) ephemeralStorage 30 GiB is not enforced on engine unix:///var/run/docker.sock: its storage driver ${driver.Driver} on ${backing} cannot limit a container's size.`,
        ]);
        for (const container of await running(cluster, 'service:sized')) {
            const inspected = await docker.getContainer(container.id).inspect();
            assert.equal(inspected.HostConfig.StorageOpt?.size, undefined);
        }
    });
});
describe('executionRoleArn is the local secrets provider', () => {
    const taskDefinitions = `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: plain-role
spec:
  executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
  containerDefinitions:
    - name: app
      image: berth/busybox:1
---
apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: secret-role
spec:
  executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
  containerDefinitions:
    - name: app
      image: berth/busybox:1
    - name: db
      image: berth/busybox:1
      secrets:
        - name: PASSWORD
          valueFrom: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf
`;
    const compatible = (file, name) => readStatus(file, 'TaskDefinition', name)?.conditions?.find((c) => c.type === 'Compatible');
    test('without a secrets provider, only the task definition that references secrets is warned, at its first reference, in the log and its condition', async () => {
        const { cluster, dir, path, start } = testCluster('xrn');
        writeManifests(dir, { 'cluster.yaml': clusterManifest(cluster), 'taskdefs.yaml': taskDefinitions });
        const controller = start();
        const warned = await waitFor('the warning in the condition', () => {
            const condition = compatible(path('taskdefs.yaml'), 'secret-role');
            return condition?.status === 'False' ? condition : undefined;
        }, { controller });
        assert.match(warned.message, /^containerDefinitions\[1\]\.secrets: executionRoleArn: the task reads secrets, S3 environment files or registry credentials, which berth serves from its local secrets provider/);
        assert.match(warned.message, /--secrets-dir or BERTH_SECRET_\* variables \(first referenced at taskdefs\.yaml:22\)$/);
        assert.equal(compatible(path('taskdefs.yaml'), 'plain-role')?.status, 'True', 'a role without secrets is no warning');
        const logged = logLines(controller).filter((l) => l.level === 'warn' || l.level === 40).map((l) => String(l.msg)).filter((m) => m.includes('executionRoleArn'));
        assert.equal(logged.length, 1, logged.join('\n'));
        assert.match(logged[0], /^taskdefs\.yaml:22:\d+: TaskDefinition\/secret-role: spec\.containerDefinitions\[1\]\.secrets: executionRoleArn: /);
    });
    test('with a secrets directory, the same task definitions carry no warning', async () => {
        const { cluster, dir, path, start } = testCluster('xrs');
        writeManifests(dir, { 'cluster.yaml': clusterManifest(cluster), 'taskdefs.yaml': taskDefinitions });
        const secretsDir = mkdtempSync(join(tmpdir(), 'berth-secrets-'));
        try {
            const controller = start(['--secrets-dir', secretsDir]);
            const condition = await waitFor('the condition written', () => compatible(path('taskdefs.yaml'), 'secret-role'), { controller });
            assert.equal(condition.status, 'True', condition.message);
            assert.equal(compatible(path('taskdefs.yaml'), 'plain-role')?.status, 'True');
            assert.ok(!logLines(controller).some((l) => String(l.msg).includes('executionRoleArn')));
        }
        finally {
            rmSync(secretsDir, { recursive: true, force: true });
        }
    });
});
//# sourceMappingURL=mapped-fields.test.js.map