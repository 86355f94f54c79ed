import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { clusterManifest, groupContainers, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';

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
