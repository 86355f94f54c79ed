import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planRetirement } from '../../controller/controllers/retirement/plan.js';
const NOW = 1_000_000;
const HOUR = 3_600_000;
function container(taskId, state, name = 'app') {
    return { id: `${taskId}-${name}`, name: `${taskId}-${name}`, image: 'berth/busybox:1', labels: {}, state, createdAt: new Date(0).toISOString(), ports: [] };
}
/** A task with one container; `pause` adds the namespace-holding container in the given state. */
function task(taskId, options) {
    const observed = {
        taskId,
        group: 'service:web',
        cluster: 'default',
        family: 'web',
        revision: 1,
        capacityProvider: 'local',
        lastStatus: options.lastStatus,
        createdAt: options.createdAt ?? 0,
        containers: [container(taskId, options.state)],
        networkBindings: [],
        healthStatus: 'UNKNOWN',
    };
    if (options.stoppedAt !== undefined)
        observed.stoppedAt = options.stoppedAt;
    if (options.pause)
        observed.pause = container(taskId, options.pause, 'pause');
    return observed;
}
const running = (id) => task(id, { lastStatus: 'RUNNING', state: 'running' });
/** Stopped `ago` ms before NOW. */
const stopped = (id, ago) => task(id, { lastStatus: 'STOPPED', state: 'exited', stoppedAt: NOW - ago });
// Unless a row says otherwise: keep 2 stopped tasks, for an hour.
const rows = [
    { name: 'running tasks nobody asked to stop are left alone', tasks: [running('a'), running('b')], expected: { stop: [], remove: [] } },
    { name: 'a task asked to stop, still running, is stopped', tasks: [running('a'), running('b')], stopRequested: ['b'], expected: { stop: ['b'], remove: [] } },
    {
        name: 'a task already STOPPING with a live container is stopped (a stop interrupted by a restart)',
        tasks: [task('a', { lastStatus: 'STOPPING', state: 'running' })],
        expected: { stop: ['a'], remove: [] },
    },
    {
        name: 'a live pause container makes the task live, even with its app container exited',
        tasks: [task('a', { lastStatus: 'STOPPING', state: 'exited', pause: 'running' })],
        stopRequested: ['a'],
        expected: { stop: ['a'], remove: [] },
    },
    {
        name: 'paused and restarting containers are live too',
        tasks: [task('p', { lastStatus: 'RUNNING', state: 'paused' }), task('r', { lastStatus: 'RUNNING', state: 'restarting' })],
        stopRequested: ['p', 'r'],
        expected: { stop: ['p', 'r'], remove: [] },
    },
    {
        name: 'one stopped task within retention is kept; the plan polls again when it expires',
        tasks: [running('a'), stopped('s', 10 * 60_000)],
        expected: { stop: [], remove: [], requeueAfterMs: 50 * 60_000 },
    },
    {
        name: 'only the newest `keep` stopped tasks are kept: 4 stopped, keep 2 → the 2 oldest go',
        tasks: [stopped('s1', 4000), stopped('s2', 1000), stopped('s3', 3000), stopped('s4', 2000)],
        expected: { stop: [], remove: ['s1', 's3'], requeueAfterMs: HOUR - 2000 },
    },
    { name: 'keep 0: every stopped task goes at once', tasks: [stopped('s1', 1000), stopped('s2', 2000)], keep: 0, expected: { stop: [], remove: ['s1', 's2'] } },
    {
        name: 'a stopped task past its retention goes even when it is among the newest',
        tasks: [stopped('old', HOUR + 1), stopped('exact', HOUR), stopped('young', HOUR - 1)],
        keep: 5,
        expected: { stop: [], remove: ['exact', 'old'], requeueAfterMs: 1 },
    },
    {
        name: 'a task asked to stop that never started (created, not running) is removed at once, not kept for inspection',
        tasks: [task('half', { lastStatus: 'PROVISIONING', state: 'created', createdAt: 5 })],
        stopRequested: ['half'],
        expected: { stop: [], remove: ['half'] },
    },
    {
        name: 'a created task nobody asked to stop is neither stopped nor removed (its launch may still start it)',
        tasks: [task('pending', { lastStatus: 'PENDING', state: 'created' })],
        expected: { stop: [], remove: [] },
    },
    {
        name: 'a stopped task without a stop time expires a full retention from now',
        tasks: [task('s', { lastStatus: 'STOPPED', state: 'exited', createdAt: NOW - 10 })],
        expected: { stop: [], remove: [], requeueAfterMs: HOUR },
    },
    {
        name: 'owner gone: live tasks are stopped and every stopped task is removed, kept or not',
        tasks: [running('a'), stopped('s1', 1000), stopped('s2', 2000)],
        ownerGone: true,
        expected: { stop: ['a'], remove: ['s1', 's2'] },
    },
];
describe('planRetirement', () => {
    for (const row of rows) {
        test(row.name, () => {
            const plan = planRetirement({
                tasks: row.tasks,
                stopRequested: new Set(row.stopRequested ?? []),
                ownerGone: row.ownerGone ?? false,
                now: NOW,
                keepStoppedContainers: row.keep ?? 2,
                retentionMs: HOUR,
            });
            assert.deepEqual({ ...plan, stop: [...plan.stop].sort(), remove: [...plan.remove].sort() }, row.expected);
        });
    }
    test('a planned removal applied and re-planned: the kept ones stay, nothing else is proposed', () => {
        const input = { stopRequested: new Set(), ownerGone: false, now: NOW, keepStoppedContainers: 2, retentionMs: HOUR };
        const tasks = [stopped('s1', 4000), stopped('s2', 1000), stopped('s3', 3000), running('r')];
        const first = planRetirement({ ...input, tasks });
        const after = tasks.filter((t) => !first.remove.includes(t.taskId));
        assert.deepEqual(planRetirement({ ...input, tasks: after }), { stop: [], remove: [], requeueAfterMs: HOUR - 3000 });
    });
});
//# sourceMappingURL=retirement-plan.test.js.map