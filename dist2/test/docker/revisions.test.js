/**
 * Task definition revisions on the real engine: each spec change is revision N+1,
 * numbers are never reused (not across a controller restart either), services follow
 * the family or stay pinned to family:N, and removing the manifest makes the family
 * INACTIVE while its tasks keep running.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { clusterManifest, editFile, readStatus, running, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
describe('task definition revisions', () => {
    const { cluster, dir, path, start } = testCluster('rev');
    const taskdef = (greeting) => `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: httpd
      image: berth/httpd:1
      memory: 64
      stopTimeout: 1
      environment: [{name: GREETING, value: ${greeting}}]
`;
    const svc = (name, taskDefinition) => `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  cluster: ${cluster}\n  taskDefinition: "${taskDefinition}"\n  desiredCount: 1\n`;
    writeManifests(dir, {
        'cluster.yaml': clusterManifest(cluster),
        'taskdef.yaml': taskdef('hello'),
        'latest.yaml': svc('latest', 'web'),
        'pinned.yaml': svc('pinned', 'web:1'),
    });
    const tdStatus = () => readStatus(path('taskdef.yaml'), 'TaskDefinition', 'web');
    const revisionsRunning = async (service) => (await running(cluster, `service:${service}`)).map((c) => c.labels['berth.revision']);
    test('edits register revisions; services follow the family or stay pinned; numbers survive a restart', async () => {
        let controller = start();
        await waitFor('both services running', () => serviceStatus(path('latest.yaml'), 'latest')?.runningCount === 1 && serviceStatus(path('pinned.yaml'), 'pinned')?.runningCount === 1, {
            controller,
        });
        assert.equal(tdStatus().revision, 1);
        editFile(path('taskdef.yaml'), () => taskdef('bonjour'));
        await waitFor('revision 2', () => tdStatus()?.revision === 2, { controller });
        await waitFor('latest runs web:2', async () => serviceStatus(path('latest.yaml'), 'latest')?.taskDefinition === 'web:2' && (await revisionsRunning('latest')).join() === '2', {
            controller,
            timeoutMs: 30_000,
        });
        assert.deepEqual(await revisionsRunning('pinned'), ['1'], 'the pinned service stays on web:1');
        assert.equal(serviceStatus(path('pinned.yaml'), 'pinned').taskDefinition, 'web:1');
        assert.deepEqual(tdStatus().revisions.map((r) => r.revision), [2, 1], 'status shows the history, newest first');
        await controller.stop();
        controller = start();
        editFile(path('taskdef.yaml'), () => taskdef('hallo'));
        await waitFor('revision 3 after the restart', () => tdStatus()?.revision === 3, { controller });
        // The spec of revision 1 again is still a change from the latest: a new number, as ECS registers it.
        editFile(path('taskdef.yaml'), () => taskdef('hello'));
        await waitFor('revision 4', () => tdStatus()?.revision === 4, { controller });
        assert.deepEqual(tdStatus().revisions.map((r) => r.revision), [4, 3, 2, 1]);
        // Removing the manifest makes the family INACTIVE; running tasks keep running.
        rmSync(path('taskdef.yaml'));
        const state = join(dir, '.berth', 'taskdefinitions.json');
        await waitFor('the family is INACTIVE', () => existsSync(state) && JSON.parse(readFileSync(state, 'utf8')).web?.status === 'INACTIVE', {
            controller,
        });
        await new Promise((resolve) => setTimeout(resolve, 2000));
        assert.equal((await running(cluster, 'service:latest')).length, 1, 'the latest service keeps its task');
        assert.deepEqual(await revisionsRunning('pinned'), ['1'], 'the pinned service keeps its task');
    });
});
//# sourceMappingURL=revisions.test.js.map