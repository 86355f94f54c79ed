import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTail, printTaskLogs } from '../../controller/cli/logs.js';
import { EnginePool } from '../../controller/engines.js';
import { silentLogger } from '../../controller/log.js';
import { systemClock } from '../../controller/clock.js';
import { LogCollector } from '../../controller/logstore/collector.js';
import { LogStore, TaskLookupError } from '../../controller/logstore/store.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { taskContainer } from './taskContainer.js';
import { eventually } from './eventually.js';
const dirs = [];
after(() => {
    for (const dir of dirs)
        rmSync(dir, { recursive: true, force: true });
});
function stateDir() {
    const dir = mkdtempSync(join(tmpdir(), 'berth-logstore-'));
    dirs.push(dir);
    return dir;
}
const TASK_A = 'aaaa0000000000000000000000000001';
const TASK_B = 'aaaa0000000000000000000000000002';
const TASK_C = 'cccc0000000000000000000000000003';
function task(taskId, containerCount = 1) {
    return { taskId, cluster: 'shop', group: 'service:web', taskDefinition: 'web:3', containerCount };
}
function line(time, text, stream = 'stdout') {
    return { stream, time: `2025-01-01T10:00:${time}000000Z`, line: text };
}
describe('LogStore', () => {
    test('lines of several containers are read back in time order, stored as JSON lines', async () => {
        const store = new LogStore({ stateDir: stateDir() });
        const app = { cluster: 'shop', taskId: TASK_A, container: 'app' };
        const side = { ...app, container: 'side' };
        store.registerContainer(task(TASK_A, 2), { name: 'app', containerId: 'c1' });
        store.registerContainer(task(TASK_A, 2), { name: 'side', containerId: 'c2' });
        await store.append(app, [line('00.100', 'app one'), line('00.300', 'app two', 'stderr')]);
        await store.append(side, [line('00.200', 'side one'), line('00.400', 'side two')]);
        const entry = store.find(TASK_A);
        assert.deepEqual(store.read(entry).map((l) => `${l.container}:${l.s}:${l.l}`), ['app:stdout:app one', 'side:stdout:side one', 'app:stderr:app two', 'side:stdout:side two']);
        assert.deepEqual(store.read(entry, { container: 'side' }).map((l) => l.l), ['side one', 'side two']);
        assert.deepEqual(store.read(entry, { since: '2025-01-01T10:00:00.300000000Z' }).map((l) => l.l), ['app two', 'side two']);
        assert.equal(readFileSync(store.logPath(app), 'utf8').split('\n')[0], '{"t":"2025-01-01T10:00:00.100000000Z","s":"stdout","l":"app one"}');
        assert.throws(() => store.read(entry, { container: 'nope' }), /has no container "nope"; its containers: app, side/);
    });
    test('appends racing each other all land, in order', async () => {
        const store = new LogStore({ stateDir: stateDir() });
        const ref = { cluster: 'shop', taskId: TASK_A, container: 'app' };
        store.registerContainer(task(TASK_A), { name: 'app', containerId: 'c1' });
        const writes = Array.from({ length: 200 }, (_, i) => store.append(ref, [{ stream: 'stdout', time: `2025-01-01T10:00:00.${String(i).padStart(9, '0')}Z`, line: `n${i}` }]));
        await Promise.all(writes);
        await store.drainAll();
        assert.deepEqual(store.read(store.find(TASK_A)).map((l) => l.l), Array.from({ length: 200 }, (_, i) => `n${i}`));
    });
    test('the size cap keeps the newest half: the older file is dropped, the total stays under the cap', async () => {
        const maxBytes = 2000;
        const store = new LogStore({ stateDir: stateDir(), maxBytes });
        const ref = { cluster: 'shop', taskId: TASK_A, container: 'app' };
        store.registerContainer(task(TASK_A), { name: 'app', containerId: 'c1' });
        for (let i = 0; i < 100; i++)
            await store.append(ref, [{ stream: 'stdout', time: `2025-01-01T10:00:00.${String(i).padStart(9, '0')}Z`, line: `line ${i}` }]);
        const path = store.logPath(ref);
        const total = statSync(path).size + statSync(`${path}.1`).size;
        assert.ok(total <= maxBytes, `${total} bytes kept`);
        const kept = store.read(store.find(TASK_A)).map((l) => Number(l.l.slice('line '.length)));
        assert.equal(kept.at(-1), 99, 'the newest line is kept');
        assert.ok(kept[0] > 0, 'the oldest lines were dropped');
        assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => kept[0] + i), 'what is kept has no gap');
    });
    test('a task is found by its id or a unique prefix; unknown and ambiguous ids say what to do', () => {
        const store = new LogStore({ stateDir: stateDir() });
        for (const id of [TASK_A, TASK_B, TASK_C])
            store.registerContainer(task(id), { name: 'app', containerId: id });
        assert.equal(store.find(TASK_A).taskId, TASK_A);
        assert.equal(store.find('cc').taskId, TASK_C);
        assert.equal(store.find('AAAA0000000000000000000000000002').taskId, TASK_B, 'case does not matter');
        assert.throws(() => store.find('aaaa'), (error) => {
            assert.ok(error instanceof TaskLookupError);
            assert.match(error.message, /prefix "aaaa" is ambiguous/);
            assert.ok(error.message.includes(TASK_A) && error.message.includes(TASK_B), error.message);
            return true;
        });
        assert.throws(() => store.find('ff'), /no logs of a task "ff".*berth get tasks/);
        assert.throws(() => store.find('web-1'), /task ids are 32 hex digits/);
    });
    test('the retention sweep removes tasks stopped before the cutoff, and only those', async () => {
        const store = new LogStore({ stateDir: stateDir() });
        for (const id of [TASK_A, TASK_B, TASK_C])
            store.registerContainer(task(id), { name: 'app', containerId: id });
        await store.markEnded({ cluster: 'shop', taskId: TASK_A, container: 'app' }, { at: '2025-01-01T00:00:00.000Z' });
        await store.markEnded({ cluster: 'shop', taskId: TASK_B, container: 'app' }, { at: '2025-01-09T00:00:00.000Z' });
        assert.deepEqual(store.sweep('2025-01-08T00:00:00.000Z'), [TASK_A]);
        assert.deepEqual(store.list().map((entry) => entry.taskId).sort(), [TASK_B, TASK_C], 'the later stopped and the running task stay');
    });
    test('a task is stopped once every one of its containers has ended', async () => {
        const store = new LogStore({ stateDir: stateDir() });
        store.registerContainer(task(TASK_A, 2), { name: 'app', containerId: 'c1' });
        store.registerContainer(task(TASK_A, 2), { name: 'side', containerId: 'c2' });
        await store.markEnded({ cluster: 'shop', taskId: TASK_A, container: 'app' }, { at: '2025-01-01T00:00:01.000Z' });
        assert.equal(store.find(TASK_A).stoppedAt, undefined);
        await store.markEnded({ cluster: 'shop', taskId: TASK_A, container: 'side' }, { at: '2025-01-01T00:00:02.000Z' });
        assert.equal(store.find(TASK_A).stoppedAt, '2025-01-01T00:00:02.000Z');
    });
    test('the cursor is the last stored time and how many lines share it', async () => {
        const store = new LogStore({ stateDir: stateDir() });
        const ref = { cluster: 'shop', taskId: TASK_A, container: 'app' };
        assert.equal(store.cursor(ref), undefined);
        await store.append(ref, [line('00.100', 'a'), line('00.200', 'b'), line('00.200', 'c')]);
        assert.deepEqual(store.cursor(ref), { time: '2025-01-01T10:00:00.200000000Z', count: 2 });
    });
});
describe('FileTail', () => {
    test('follows a file across rotations without losing or repeating a line', async () => {
        const store = new LogStore({ stateDir: stateDir(), maxBytes: 600 });
        const ref = { cluster: 'shop', taskId: TASK_A, container: 'app' };
        const tail = new FileTail(store.logPath(ref));
        const seen = [];
        for (let i = 0; i < 60; i++) {
            await store.append(ref, [{ stream: 'stdout', time: `2025-01-01T10:00:00.${String(i).padStart(9, '0')}Z`, line: `n${i}` }]);
            // Read every few lines only: a rotation may happen between two reads.
            if (i % 3 === 2)
                seen.push(...tail.read().map((l) => l.l));
        }
        seen.push(...tail.read().map((l) => l.l));
        assert.deepEqual(seen, Array.from({ length: 60 }, (_, i) => `n${i}`));
    });
});
function collectorOn(runtime, store, options = {}) {
    const engines = new EnginePool({ factory: () => runtime, logger: silentLogger });
    engines.ensure('local', undefined);
    const collector = new LogCollector({ store, engines, logger: silentLogger, retry: { initialMs: 20, maxMs: 100 }, ...options });
    return { engines, collector };
}
describe('LogCollector on the in-memory engine', () => {
    test('collects a running container, ends the task when it exits, and loses nothing across a restart', async () => {
        // A frozen clock: every line has the same time, the hardest case for resuming without duplicates.
        const runtime = new MemoryRuntime({ clock: { now: () => Date.parse('2025-01-01T10:00:00.000Z') } });
        const store = new LogStore({ stateDir: stateDir() });
        const id = await runtime.create(taskContainer(TASK_A, 'app'));
        await runtime.start(id);
        runtime.writeLog(id, 'stdout', 'before the collector');
        const first = collectorOn(runtime, store);
        await first.collector.start();
        runtime.writeLog(id, 'stderr', 'while collecting');
        await eventually('two lines stored', () => store.read(store.find(TASK_A)).length === 2);
        await first.collector.stop();
        runtime.writeLog(id, 'stdout', 'while nobody collects');
        const second = collectorOn(runtime, store);
        await second.collector.start();
        runtime.writeLog(id, 'stdout', 'after the restart');
        await eventually('four lines stored', () => store.read(store.find(TASK_A)).length >= 4);
        runtime.exit(id, 0);
        await eventually('the task is stopped', () => store.find(TASK_A).stoppedAt);
        assert.deepEqual(store.read(store.find(TASK_A)).map((l) => `${l.s}:${l.l}`), ['stdout:before the collector', 'stderr:while collecting', 'stdout:while nobody collects', 'stdout:after the restart']);
        assert.equal(second.collector.followedCount(), 0, 'nothing is followed once the container stopped');
        await second.collector.stop();
        await runtime.close();
    });
    test('a container started later is picked up from its start event; a removed one ends its task', async () => {
        const runtime = new MemoryRuntime();
        const store = new LogStore({ stateDir: stateDir() });
        const { collector } = collectorOn(runtime, store);
        await collector.start();
        const id = await runtime.create(taskContainer(TASK_B, 'app', { logDriver: { type: 'local', options: {} } }));
        await runtime.start(id);
        await eventually('followed', () => collector.followedCount() === 1);
        runtime.writeLog(id, 'stdout', 'hello');
        await eventually('stored', () => store.read(store.find(TASK_B)).length === 1);
        await runtime.remove(id);
        await eventually('the task is stopped', () => store.find(TASK_B).stoppedAt);
        await collector.stop();
        await runtime.close();
    });
    test('a container whose output cannot be read (none driver) is recorded as not collected', async () => {
        const runtime = new MemoryRuntime();
        const store = new LogStore({ stateDir: stateDir() });
        const { collector } = collectorOn(runtime, store);
        await collector.start();
        const id = await runtime.create(taskContainer(TASK_C, 'app', { logDriver: { type: 'none', options: {} } }));
        await runtime.start(id);
        await eventually('ended', () => store.find(TASK_C).containers[0]?.endedAt);
        assert.equal(store.find(TASK_C).containers[0]?.collected, false);
        await collector.stop();
        await runtime.close();
    });
    test('an engine that goes away is retried; the output written meanwhile is collected when it is back', async () => {
        const runtime = new MemoryRuntime();
        const store = new LogStore({ stateDir: stateDir() });
        const id = await runtime.create(taskContainer(TASK_A, 'app'));
        await runtime.start(id);
        const { collector } = collectorOn(runtime, store);
        await collector.start();
        await eventually('followed', () => collector.followedCount() === 1);
        runtime.setDown(true);
        runtime.exit(id, 1); // the follower's stream ends; the inspect after it fails: retried
        await new Promise((resolve) => setTimeout(resolve, 100));
        runtime.setDown(false);
        await eventually('the task is stopped after the engine came back', () => store.find(TASK_A).stoppedAt);
        await collector.stop();
        await runtime.close();
    });
    test('containers that vanished while the controller was down end their tasks; retention removes old ones', async () => {
        const runtime = new MemoryRuntime();
        const store = new LogStore({ stateDir: stateDir() });
        const id = await runtime.create(taskContainer(TASK_A, 'app'));
        await runtime.start(id);
        const first = collectorOn(runtime, store);
        await first.collector.start();
        await eventually('followed', () => first.collector.followedCount() === 1);
        await first.collector.stop();
        await runtime.remove(id);
        // A minute's retention on a clock the test moves: the task is removed by a sweep after
        // the one that stopped it, however long the machine takes between the two.
        let skew = 0;
        const clock = { now: () => Date.now() + skew, setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms), clearTimeout: (timer) => systemClock.clearTimeout(timer) };
        const second = collectorOn(runtime, store, { retentionMs: 60_000, clock });
        await second.collector.start();
        assert.ok(store.find(TASK_A).stoppedAt, 'stopped by the start-up sweep');
        skew = 61_000;
        await second.collector.sweep();
        assert.equal(existsSync(join(store.dir, 'shop', TASK_A)), false);
        await second.collector.stop();
        await runtime.close();
    });
});
describe('berth logs (printTaskLogs)', () => {
    test('prints every container prefixed, stderr apart; --container and --timestamps; -f returns once the task stopped', async () => {
        const dir = stateDir();
        const store = new LogStore({ stateDir: dir });
        store.registerContainer(task(TASK_A, 2), { name: 'app', containerId: 'c1' });
        store.registerContainer(task(TASK_A, 2), { name: 'side', containerId: 'c2' });
        await store.append({ cluster: 'shop', taskId: TASK_A, container: 'app' }, [line('00.100', 'one'), line('00.300', 'oops', 'stderr')]);
        await store.append({ cluster: 'shop', taskId: TASK_A, container: 'side' }, [line('00.200', 'two')]);
        const run = async (options = {}) => {
            let out = '';
            let err = '';
            await printTaskLogs('aaaa00000000000000000000000000', {
                manifests: '.',
                stateDir: dir,
                follow: options.follow ?? false,
                timestamps: options.timestamps ?? false,
                ...(options.container ? { container: options.container } : {}),
                out: (text) => (out += text),
                err: (text) => (err += text),
                pollMs: 10,
            });
            return { out, err };
        };
        assert.deepEqual(await run(), { out: 'app | one\nside | two\n', err: 'app | oops\n' });
        assert.deepEqual(await run({ container: 'app', timestamps: true }), {
            out: '2025-01-01T10:00:00.100000000Z one\n',
            err: '2025-01-01T10:00:00.300000000Z oops\n',
        });
        const followed = run({ follow: true, container: 'side' });
        await new Promise((resolve) => setTimeout(resolve, 50));
        await store.append({ cluster: 'shop', taskId: TASK_A, container: 'side' }, [line('00.400', 'three')]);
        await store.markEnded({ cluster: 'shop', taskId: TASK_A, container: 'app' }, { at: '2025-01-01T10:00:01.000Z' });
        await store.markEnded({ cluster: 'shop', taskId: TASK_A, container: 'side' }, { at: '2025-01-01T10:00:01.000Z' });
        assert.deepEqual(await followed, { out: 'two\nthree\n', err: '' });
    });
});
//# sourceMappingURL=logstore.test.js.map