import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { BERTH, docker, editFile, groupContainers, httpGet, readStatus, running, serviceStatus, testCluster, waitFor, webManifests, writeManifests, } from './harness.js';
import { statusProblems } from '../manifestStatus.js';
describe('service lifecycle on the real engine', () => {
    const { cluster, dir, path, start } = testCluster('life');
    const serviceFile = path('service.yaml');
    writeManifests(dir, webManifests({ cluster, desiredCount: 3 }));
    const controller = start();
    test('desiredCount 3: three tasks run, status written back, ports answer', async () => {
        const status = await waitFor('3 running tasks in status', () => {
            const s = serviceStatus(serviceFile, 'web');
            return s?.runningCount === 3 && s.pendingCount === 0 ? s : undefined;
        }, { controller });
        assert.equal((await running(cluster, 'service:web')).length, 3);
        assert.equal(status.desiredCount, 3);
        assert.equal(status.taskDefinition, 'web-td:1');
        assert.equal(status.tasks.length, 3);
        for (const task of status.tasks) {
            assert.equal(task.lastStatus, 'RUNNING');
            assert.equal(task.networkBindings?.length, 1, 'one binding per published port');
            const binding = task.networkBindings?.find((b) => b.containerPort === 8080);
            assert.ok(binding && binding.hostPort > 0, 'dynamic host port reported');
            assert.equal(await httpGet(binding.hostPort), 200);
        }
        assert.ok(status.events.some((e) => e.message === '(service web) has reached a steady state.'));
        assert.ok(status.conditions.some((c) => c.type === 'Steady' && c.status === 'True'));
        assert.deepEqual(statusProblems('Service', status), [], 'the status holds to manifests/Service.schema.json');
        // Everything outside status is byte-for-byte what was written, comments included.
        const text = readFileSync(serviceFile, 'utf8');
        assert.ok(text.startsWith(webManifests({ cluster, desiredCount: 3 })['service.yaml']), 'spec and comments intact');
    });
    test('berth get services shows the same picture', () => {
        const table = execFileSync(process.execPath, [BERTH, 'get', 'services', '-m', dir], { encoding: 'utf8' });
        const [header, row] = table.trim().split('\n');
        assert.match(header, /NAME\s+CLUSTER\s+TASK DEFINITION\s+DESIRED\s+RUNNING\s+PENDING/);
        assert.match(row, new RegExp(`^web\\s+${cluster}\\s+web-td:1\\s+3\\s+3\\s+0\\s+SteadyState`));
        const json = JSON.parse(execFileSync(process.execPath, [BERTH, 'get', 'service', 'web', '-m', dir, '-o', 'json'], { encoding: 'utf8' }));
        assert.equal(json.status.runningCount, 3);
        const yaml = parse(execFileSync(process.execPath, [BERTH, 'get', 'services', '-m', dir, '-o', 'yaml'], { encoding: 'utf8' }));
        assert.deepEqual(yaml.map((s) => [s.metadata.name, s.status.runningCount]), [['web', 3]]);
        const tasks = execFileSync(process.execPath, [BERTH, 'get', 'tasks', '-m', dir], { encoding: 'utf8' }).trim().split('\n');
        assert.equal(tasks.length, 4, 'a header and 3 tasks');
        assert.match(tasks[1], /^[0-9a-f]{32}\s+web\s+web-td:1\s+RUNNING\s+\d+->8080$/);
    });
    test('editing desiredCount to 5 scales out', async () => {
        editFile(serviceFile, (t) => t.replace('desiredCount: 3 #', 'desiredCount: 5 #'));
        await waitFor('5 running', async () => (await running(cluster, 'service:web')).length === 5, { controller });
        await waitFor('status shows 5', () => serviceStatus(serviceFile, 'web')?.runningCount === 5, { controller });
    });
    test('the cluster reports its counts', async () => {
        const status = await waitFor('cluster counts', () => {
            const s = readStatus(join(dir, 'cluster.yaml'), 'Cluster', cluster);
            return s?.runningTasksCount === 5 ? s : undefined;
        }, { controller });
        assert.equal(status.status, 'ACTIVE');
        assert.equal(status.activeServicesCount, 1);
        assert.equal(status.registeredContainerInstancesCount, 1);
        assert.deepEqual(statusProblems('Cluster', status), [], 'the status holds to manifests/Cluster.schema.json');
    });
    test('a task definition edit registers revision 2 and the service rolls onto it', async () => {
        editFile(join(dir, 'taskdef.yaml'), (t) => t.replace('      memory: 64\n', '      memory: 64\n      environment:\n        - name: VERSION\n          value: "2"\n'));
        const td = await waitFor('revision 2', () => {
            const s = readStatus(join(dir, 'taskdef.yaml'), 'TaskDefinition', 'web-td');
            return s?.revision === 2 ? s : undefined;
        }, { controller });
        assert.deepEqual(td.revisions.map((r) => r.revision), [2, 1]);
        assert.deepEqual(statusProblems('TaskDefinition', td), [], 'the status holds to manifests/TaskDefinition.schema.json');
        await waitFor('5 tasks of web-td:2 and no other', async () => {
            const live = await running(cluster, 'service:web');
            return live.length === 5 && live.every((c) => c.labels['berth.revision'] === '2');
        }, { controller, timeoutMs: 90_000 });
        const env = (await docker.getContainer((await running(cluster, 'service:web'))[0].id).inspect()).Config.Env;
        assert.ok(env.includes('VERSION=2'));
        await waitFor('status on web-td:2', () => {
            const s = serviceStatus(serviceFile, 'web');
            return s?.taskDefinition === 'web-td:2' && s.runningCount === 5 && s.tasks.every((t) => t.taskDefinition === 'web-td:2');
        }, { controller });
    });
    test('editing desiredCount to 1 scales in, newest first, and removes what it stopped', async () => {
        const before = (await running(cluster, 'service:web')).sort((a, b) => a.created - b.created || a.name.localeCompare(b.name));
        editFile(serviceFile, (t) => t.replace('desiredCount: 5 #', 'desiredCount: 1 #'));
        await waitFor('1 running', async () => (await running(cluster, 'service:web')).length === 1, { controller });
        const survivor = (await running(cluster, 'service:web'))[0];
        const oldestSecond = before[0].created;
        assert.equal(survivor.created, oldestSecond, 'the oldest task survives a scale-in');
        await waitFor('status shows 1', () => serviceStatus(serviceFile, 'web')?.runningCount === 1, { controller });
        const scaledIn = serviceStatus(serviceFile, 'web');
        const stopped = scaledIn.stoppedTasks ?? [];
        assert.ok(stopped.some((t) => t.stopCode === 'ServiceSchedulerInitiated'), 'scale-in recorded as ECS does');
        assert.deepEqual(statusProblems('Service', scaledIn), [], 'the status with stopped tasks holds to manifests/Service.schema.json');
    });
    test('docker kill of a task container gets it replaced', async () => {
        const [victim] = await running(cluster, 'service:web');
        await docker.getContainer(victim.id).kill();
        const replacement = await waitFor('a new running task', async () => {
            const now = await running(cluster, 'service:web');
            return now.length === 1 && now[0].id !== victim.id ? now[0] : undefined;
        }, { controller });
        assert.notEqual(replacement.taskId, victim.taskId);
        const status = await waitFor('status records the stop', () => {
            const s = serviceStatus(serviceFile, 'web');
            const record = s?.stoppedTasks?.find((t) => t.taskId === victim.taskId);
            return record && s?.runningCount === 1 ? record : undefined;
        }, { controller });
        assert.equal(status.stopCode, 'EssentialContainerExited');
        assert.equal(status.stoppedReason, 'Essential container in task exited');
        assert.equal(status.containers[0]?.exitCode, 137);
    });
    test('a task container removed behind berth\'s back is replaced', async () => {
        const [victim] = await running(cluster, 'service:web');
        await docker.getContainer(victim.id).remove({ force: true });
        await waitFor('a new running task', async () => {
            const now = await running(cluster, 'service:web');
            return now.length === 1 && now[0].taskId !== victim.taskId;
        }, { controller });
    });
    test('deleting the Service file drains and removes its containers', async () => {
        unlinkSync(serviceFile);
        await waitFor('no containers left', async () => (await groupContainers(cluster, 'service:web')).length === 0, { controller });
    });
});
//# sourceMappingURL=service.test.js.map