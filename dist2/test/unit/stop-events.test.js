import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stoppedTaskEvents } from '../../controller/controllers/service/stopEvents.js';
import { observeTasks } from '../../controller/observer/observe.js';
import { newlyStoppedTasks } from '../../controller/observer/summary.js';
import { LABEL } from '../../controller/runtime/labels.js';
function stopped(reason, containers) {
    return {
        taskId: 't1',
        taskDefinition: 'web:2',
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        createdAt: '2026-01-01T00:00:00.000Z',
        stoppedReason: reason,
        containers,
        failed: true,
        wasStable: false,
    };
}
test('a task stopped by health checks names its unhealthy container, not an init container that exited 0', () => {
    const task = stopped('Task failed container health checks', [
        { name: 'config-init', lastStatus: 'STOPPED', exitCode: 0 },
        { name: 'web', lastStatus: 'STOPPED', exitCode: 143, healthStatus: 'UNHEALTHY' },
    ]);
    assert.deepEqual(stoppedTaskEvents('api', [task]), ['(service api) task t1 stopped: Task failed container health checks (container web is unhealthy).']);
});
test('an essential exit names the container that exited with an error', () => {
    const task = stopped('Essential container in task exited', [
        { name: 'config-init', lastStatus: 'STOPPED', exitCode: 0 },
        { name: 'web', lastStatus: 'STOPPED', exitCode: 3 },
    ]);
    assert.deepEqual(stoppedTaskEvents('api', [task]), ['(service api) task t1 stopped: Essential container in task exited (container web exit code 3).']);
});
test('a task whose only exit is 0 names that container; one with no exit names none', () => {
    assert.deepEqual(stoppedTaskEvents('api', [stopped('Essential container in task exited', [{ name: 'job', lastStatus: 'STOPPED', exitCode: 0 }])]), [
        '(service api) task t1 stopped: Essential container in task exited (container job exit code 0).',
    ]);
    assert.deepEqual(stoppedTaskEvents('api', [stopped('Task stopped', [{ name: 'job', lastStatus: 'PENDING' }])]), ['(service api) task t1 stopped: Task stopped.']);
});
test('a task still being launched is not recorded as stopped, though its essential container already exited', () => {
    const labels = (container, essential) => ({
        [LABEL.managed]: 'true',
        [LABEL.taskId]: 't1',
        [LABEL.group]: 'service:api',
        [LABEL.family]: 'web',
        [LABEL.revision]: '2',
        [LABEL.container]: container,
        [LABEL.essential]: String(essential),
        [LABEL.taskContainers]: '2',
    });
    const containers = [
        { id: 'a', name: 'main', image: 'i', labels: labels('main', true), state: 'exited', exitCode: 3, createdAt: '2026-01-01T00:00:00.000Z', startedAt: '2026-01-01T00:00:01.000Z', finishedAt: '2026-01-01T00:00:02.000Z', ports: [] },
        // Not started yet: the launcher starts it next.
        { id: 'b', name: 'notify', image: 'i', labels: labels('notify', false), state: 'created', createdAt: '2026-01-01T00:00:00.000Z', ports: [] },
    ];
    const tasks = observeTasks(containers);
    assert.equal(tasks[0].lastStatus, 'STOPPED');
    const record = (launching) => newlyStoppedTasks({ ledger: { stopRequests: {}, stopped: [] }, tasks, now: Date.parse('2026-01-01T00:00:03Z'), stableAfterMs: 10_000, engineOutageOf: () => undefined, launching });
    assert.deepEqual(record(new Set(['t1'])), []);
    assert.deepEqual(record(new Set()).map((t) => t.taskId), ['t1']);
});
//# sourceMappingURL=stop-events.test.js.map