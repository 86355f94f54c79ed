import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { crashLoop } from '../../controller/controllers/service/plan.js';
import { EnginePool } from '../../controller/engines.js';
import { silentLogger } from '../../controller/log.js';
import { Berth } from '../../controller/manager/wiring.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { isEngineUnreachable } from '../../controller/runtime/runtime.js';
import { eventually } from './eventually.js';
import { StatusRecorder } from './statusRecorder.js';
function stopped(taskId, at, kind) {
    return {
        taskId,
        taskDefinition: 'web:1',
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        createdAt: at,
        stoppedAt: at,
        containers: [],
        failed: kind === 'crash',
        wasStable: kind === 'stable',
        ...(kind === 'engine' ? { byEngine: true } : {}),
    };
}
describe('crashLoop: tasks the engine stopped neither count nor reset', () => {
    const table = [
        { name: 'only engine stops', history: ['engine', 'engine', 'engine'], failures: 0 },
        { name: 'a crash after an engine restart is the first failure', history: ['crash', 'engine', 'engine', 'engine', 'stable'], failures: 1, lastFailure: 't0' },
        { name: 'crashes on both sides of a restart stay consecutive', history: ['crash', 'engine', 'crash', 'crash', 'stable'], failures: 3, lastFailure: 't0' },
        { name: 'the newest failure dates the wait, not a newer engine stop', history: ['engine', 'crash', 'crash'], failures: 2, lastFailure: 't1' },
        { name: 'a stable run still resets', history: ['crash', 'stable', 'crash', 'crash'], failures: 1, lastFailure: 't0' },
    ];
    for (const row of table) {
        test(row.name, () => {
            const history = row.history.map((kind, i) => stopped(`task-${i}`, `2026-01-01T00:00:${String(59 - i).padStart(2, '0')}.000Z`, kind));
            const result = crashLoop(history);
            assert.equal(result.consecutiveFailures, row.failures);
            const index = row.lastFailure === undefined ? undefined : Number(row.lastFailure.slice(1));
            assert.equal(result.lastFailureAt, index === undefined ? undefined : Date.parse(history[index].stoppedAt));
        });
    }
});
describe('engine outages', () => {
    test('a task stopped while its engine was away is the outage, one started after it is not', async () => {
        const runtime = new MemoryRuntime({ engine: 'memory' });
        const pool = new EnginePool({ factory: () => runtime, logger: silentLogger });
        const engine = pool.ensure('local', undefined);
        runtime.setDown(true);
        const outage = pool.currentOutage(engine);
        assert.ok(outage, 'the outage is open while the engine does not answer');
        runtime.setDown(false);
        assert.equal(pool.currentOutage(engine), undefined);
        const { from, to } = outage;
        assert.ok(to !== undefined && to >= from);
        assert.deepEqual(pool.outageOf(engine, { startedAt: from - 60_000, stoppedAt: to }), outage, 'ran before, stopped during');
        assert.equal(pool.outageOf(engine, { startedAt: from + 1, stoppedAt: to }), undefined, 'started during or after the outage');
        assert.equal(pool.outageOf(engine, { startedAt: from - 60_000, stoppedAt: from - 30_000 }), undefined, 'stopped well before');
        assert.equal(pool.outageOf(engine, { startedAt: from - 60_000, stoppedAt: to + 30_000 }), undefined, 'stopped well after');
        await pool.close();
    });
    test('an engine that does not answer fails calls as unreachable', async () => {
        const runtime = new MemoryRuntime();
        runtime.setDown(true);
        const error = await runtime.list().then(() => undefined, (e) => e);
        assert.ok(isEngineUnreachable(error));
        assert.ok(isEngineUnreachable(new Error('launch failed', { cause: error })), 'found through causes');
        assert.equal(isEngineUnreachable(new Error('no such image')), false);
    });
});
describe('a service across an engine restart (in-memory runtime)', () => {
    let dir;
    let runtime;
    let status;
    let berth;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'berth-unit-'));
        runtime = new MemoryRuntime({ engine: 'memory' });
        status = new StatusRecorder();
        writeFileSync(join(dir, 'taskdef.yaml'), 'apiVersion: berth/v1\nkind: TaskDefinition\nmetadata:\n  name: web\nspec:\n  containerDefinitions:\n    - name: httpd\n      image: berth/httpd:1\n');
        writeFileSync(join(dir, 'service.yaml'), 'apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  taskDefinition: web\n  desiredCount: 3\n');
    });
    afterEach(async () => {
        await berth?.stop();
        berth = undefined;
        rmSync(dir, { recursive: true, force: true });
    });
    const running = async () => (await runtime.list()).filter((c) => c.state === 'running');
    test('tasks a restart stopped are the engine\'s, replaced at once; a crash afterwards is the first failure', async () => {
        // A resync that never comes: only the engine's return can wake the service.
        berth = new Berth({ manifestsDir: dir, logger: silentLogger, runtimeFactory: () => runtime, status, resyncIntervalMs: 3_600_000 });
        await berth.start();
        await berth.idle();
        const before = (await running()).map((c) => c.labels['berth.task-id']);
        assert.equal(before.length, 3);
        // The outage starts after the tasks did (times are in milliseconds).
        await new Promise((resolve) => setTimeout(resolve, 5));
        runtime.restartEngine();
        // Proof the restart was processed: the three stops are recorded. Launches it decided on are then in flight, and idle() waits for them;
        // a crash-loop wait would not be (it is a requeue), so the count below would fall short.
        const stoppedIds = () => (status.last.get('Service/web')?.stoppedTasks ?? []).map((t) => t.taskId);
        await eventually('the three stops recorded', () => before.every((id) => stoppedIds().includes(id)));
        await berth.idle();
        const after = await running();
        assert.equal(after.length, 3, 'replaced at once, no crash-loop wait');
        const s = status.last.get('Service/web');
        const stoppedTasks = s.stoppedTasks;
        for (const id of before) {
            const task = stoppedTasks.find((t) => t.taskId === id);
            assert.equal(task?.stopCode, 'TerminationNotice');
            assert.match(task.stoppedReason, /^Host engine \(container instance [^)]+\) restarted: its Docker engine did not answer from /);
        }
        const events = s.events.map((e) => e.message);
        assert.ok(events.some((m) => m.startsWith('(service web) 3 tasks were stopped by their engine')), events.join('\n'));
        runtime.exit(after[0].id, 1);
        await eventually('the crash recorded', () => stoppedIds().includes(after[0].labels['berth.task-id']));
        await berth.idle();
        assert.equal((await running()).length, 3, 'the first failure in a row is replaced at once');
        const conditions = status.last.get('Service/web').conditions;
        assert.ok(!conditions.some((c) => c.reason === 'TasksFailing'));
    });
});
//# sourceMappingURL=engine-outage.test.js.map