/**
 * An engine that restarts stops its tasks: that is the engine's event, not the tasks'
 * failures. Runs on an extra dockerd of its own (engine 7), which it restarts.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { extraEngine } from './engines.js';
import { logLines, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
const DESIRED = 3;
describe('an engine restart is an engine event, not task failures', () => {
    const { cluster, dir, path, start } = testCluster('engine');
    const engine = extraEngine({ number: 7 });
    const provider = `e7-${cluster}`;
    const serviceFile = path('service.yaml');
    let controller;
    before(async () => {
        await engine.start();
        await engine.importImages();
        writeManifests(dir, {
            'cluster.yaml': `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${cluster}\nspec:\n  capacityProviders: [${provider}]\n`,
            'provider.yaml': `apiVersion: berth/v1\nkind: CapacityProvider\nmetadata:\n  name: ${provider}\nspec:\n  engines:\n    - socketPath: ${engine.socketPath}\n`,
            'taskdef.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web-td
spec:
  containerDefinitions:
    - name: httpd
      image: berth/httpd:1
      memory: 64
      stopTimeout: 2
      portMappings:
        - containerPort: 8080
`,
            'service.yaml': `apiVersion: berth/v1
kind: Service
metadata:
  name: web
spec:
  cluster: ${cluster}
  taskDefinition: web-td
  desiredCount: ${DESIRED}
`,
        });
        // Recovery can only come from the engine's reconnect, never from the periodic resync.
        controller = start(['--resync-interval', '10m']);
    });
    /** Task ids of the service's running containers on engine 7, straight from that engine. */
    const runningTasks = async () => {
        const list = await engine.docker.listContainers({ filters: { label: [`berth.cluster=${cluster}`, 'berth.group=service:web'], status: ['running'] } });
        return list.map((c) => c.Labels['berth.task-id'] ?? '');
    };
    /** The service back at its desired count, on the engine and in its status, with none of `gone`. */
    const serviceBack = async (gone) => {
        const tasks = await runningTasks();
        if (tasks.length !== DESIRED || tasks.some((t) => gone.includes(t)))
            return undefined;
        const status = serviceStatus(serviceFile, 'web');
        return status?.runningCount === DESIRED && status.tasks.every((t) => !gone.includes(t.taskId)) ? status : undefined;
    };
    const throttled = () => logLines(controller).filter((l) => l.msg === 'launches throttled');
    test('a restarted engine stops its tasks as the engine, and the service comes back at once', async () => {
        await waitFor('the service running on engine 7', () => serviceBack([]), { controller });
        const before = await runningTasks();
        const answeredAt = await engine.restart();
        const status = await waitFor('the service back at its desired count after the restart', () => serviceBack(before), { controller, timeoutMs: 60_000 });
        const backAt = Date.now();
        const lines = logLines(controller);
        const answered = lines.find((l) => l.msg === 'engine answers again' && Number(l.time) >= answeredAt - 1000);
        const relaunched = lines.find((l) => l.msg === 'launching tasks' && Number(l.time) >= Number(answered?.time));
        console.log(`engine answered (test's ping) → controller noticed: ${Number(answered?.time) - answeredAt} ms; → launching: ${Number(relaunched?.time) - answeredAt} ms; ` +
            `→ service back at ${DESIRED} running tasks in its status: ${backAt - answeredAt} ms`);
        assert.ok(lines.some((l) => l.msg === 'engine unreachable'), 'the outage is logged');
        assert.ok(lines.some((l) => l.msg === 'engine answers again'), 'the return is logged');
        const stopped = await waitFor('the stopped tasks recorded', () => {
            const recorded = serviceStatus(serviceFile, 'web')?.stoppedTasks ?? [];
            return before.every((id) => recorded.some((t) => t.taskId === id)) ? recorded : undefined;
        }, { controller });
        for (const id of before) {
            const task = stopped.find((t) => t.taskId === id);
            assert.equal(task.stopCode, 'TerminationNotice', `task ${id}: ${task.stoppedReason}`);
            // Recorded while the engine shuts down ("went away") or once it is back ("restarted").
            assert.match(task.stoppedReason ?? '', /^Host engine \(container instance unix:\/\/\/run\/berth-e7\.sock\) (went away|restarted)/);
        }
        // The stops are told once they are recorded, which may come after the replacements run.
        const events = await waitFor('the engine stops told as one service event', () => {
            const messages = (serviceStatus(serviceFile, 'web')?.events ?? []).map((e) => e.message);
            return messages.some((m) => m.includes('tasks were stopped by their engine')) ? messages : undefined;
        }, { controller });
        assert.ok(!events.some((m) => before.some((id) => m.includes(`task ${id} stopped:`))), `no task failure events:\n${events.join('\n')}`);
        assert.ok(!events.some((m) => m.includes('unable to consistently start tasks')), events.join('\n'));
        assert.ok(!status.conditions.some((c) => c.reason === 'TasksFailing'));
        assert.ok(!(serviceStatus(serviceFile, 'web')?.conditions ?? []).some((c) => c.reason === 'TasksFailing'));
        assert.deepEqual(throttled(), []);
    });
    test('a task that crashes after the restart is replaced without a throttle', async () => {
        const before = await runningTasks();
        const [victim] = await engine.docker.listContainers({ filters: { label: [`berth.cluster=${cluster}`, `berth.task-id=${before[0]}`] } });
        await engine.docker.getContainer(victim.Id).kill();
        await waitFor('the crashed task replaced', () => serviceBack([before[0]]), { controller, timeoutMs: 60_000 });
        const crashed = serviceStatus(serviceFile, 'web')?.stoppedTasks?.find((t) => t.taskId === before[0]);
        assert.equal(crashed?.stopCode, 'EssentialContainerExited', 'a crash is still the task failing');
        assert.deepEqual(throttled(), [], 'one crash after the restart is the first failure in a row, replaced at once');
    });
});
//# sourceMappingURL=faults-engine.test.js.map