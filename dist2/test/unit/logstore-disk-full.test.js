import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { EnginePool } from '../../controller/engines.js';
import { ControllerHealth } from '../../controller/health.js';
import { silentLogger } from '../../controller/log.js';
import { LogCollector } from '../../controller/logstore/collector.js';
import { LogStore } from '../../controller/logstore/store.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { writeAtomically } from '../../controller/state/stateStore.js';
import { taskContainer } from './taskContainer.js';
import { eventually } from './eventually.js';
const dirs = [];
after(() => {
    for (const dir of dirs)
        rmSync(dir, { recursive: true, force: true });
});
function stateDir() {
    const dir = mkdtempSync(join(tmpdir(), 'berth-logs-full-'));
    dirs.push(dir);
    return dir;
}
const TASK = 'dddd0000000000000000000000000001';
const clock = { now: () => Date.now(), setTimeout: () => undefined, clearTimeout: () => undefined };
/** The store's two writes on a disk that is full while `full` is true. */
function fillableDisk() {
    const disk = {
        full: false,
        failures: 0,
        files: {
            appendFile: async (path, text) => {
                if (disk.full) {
                    disk.failures++;
                    throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC' });
                }
                await appendFile(path, text, { mode: 0o600 });
            },
            writeAtomically: (path, text) => {
                if (disk.full) {
                    disk.failures++;
                    throw Object.assign(new Error(`ENOSPC: no space left on device, open '${path}'`), { code: 'ENOSPC' });
                }
                writeAtomically(path, text);
            },
        },
    };
    return disk;
}
describe('log store on a full disk', () => {
    test('writing pauses with a bounded buffer (oldest lines dropped), the controller is degraded, and it resumes by itself', async () => {
        const dir = stateDir();
        const disk = fillableDisk();
        const health = new ControllerHealth({ clock, logger: silentLogger });
        // Room for about ten lines of this size while paused.
        const store = new LogStore({ stateDir: dir, files: disk.files, health, pausedBufferBytes: 600, retry: { initialMs: 20, maxMs: 40 } });
        const ref = { cluster: 'shop', taskId: TASK, container: 'app' };
        const time = (i) => `2025-01-01T10:00:00.${String(i).padStart(9, '0')}Z`;
        disk.full = true;
        assert.doesNotThrow(() => store.registerContainer({ taskId: TASK, cluster: 'shop', group: 'service:web', taskDefinition: 'web:3', containerCount: 1 }, { name: 'app', containerId: 'c1' }));
        assert.equal(store.entry('shop', TASK)?.containers[0]?.containerId, 'c1', 'the entry waits in memory');
        assert.equal(store.paused, true);
        assert.equal(health.problem('logs')?.reason, 'DiskFull');
        assert.equal(health.snapshot().ready, false);
        for (let i = 0; i < 100; i++)
            await store.append(ref, [{ stream: 'stdout', time: time(i), line: `line ${String(i).padStart(3, '0')} ${'x'.repeat(20)}` }]);
        await store.drainAll(); // a paused store does not hold up its callers
        await eventually('a few retries', () => disk.failures >= 4);
        assert.equal(existsSync(join(store.dir, 'shop', TASK, 'task.json')), false);
        disk.full = false;
        await eventually('the problem cleared', () => health.problem('logs') === undefined);
        await store.drainAll();
        const stored = store.read(store.find(TASK)).map((line) => line.l.slice(0, 8));
        assert.ok(stored.length >= 5 && stored.length < 100, `a bounded number of lines kept: ${stored.length}`);
        assert.equal(stored.at(-1), 'line 099', 'the newest lines are the ones kept');
        assert.deepEqual(stored, [...stored].sort(), 'in order, no line twice');
        assert.equal(statSync(join(store.dir, 'shop', TASK, 'task.json')).mode & 0o777, 0o600);
        assert.equal(statSync(join(store.dir, 'shop', TASK)).mode & 0o777, 0o700);
        // Writing normally again.
        await store.append(ref, [{ stream: 'stdout', time: time(100), line: 'line 100 after' }]);
        assert.equal(store.read(store.find(TASK)).at(-1)?.l, 'line 100 after');
        assert.equal(store.paused, false);
    });
    test('a container starting while the disk is full throws nothing into the controller; its output is collected once space returns', async () => {
        const disk = fillableDisk();
        const health = new ControllerHealth({ clock, logger: silentLogger });
        const store = new LogStore({ stateDir: stateDir(), files: disk.files, health, retry: { initialMs: 20, maxMs: 40 } });
        const runtime = new MemoryRuntime();
        const engines = new EnginePool({ factory: () => runtime, logger: silentLogger });
        engines.ensure('local', undefined);
        const collector = new LogCollector({ store, engines, logger: silentLogger, retry: { initialMs: 20, maxMs: 100 } });
        await collector.start();
        disk.full = true;
        // The start event reaches the collector inside an rxjs subscriber: a throw there used to end the process.
        const id = await runtime.create(taskContainer(TASK, 'app'));
        await runtime.start(id);
        runtime.writeLog(id, 'stdout', 'written while the disk is full');
        await eventually('the container followed', () => collector.followedCount() === 1);
        await eventually('the full disk reported', () => health.problem('logs')?.reason === 'DiskFull');
        disk.full = false;
        await eventually('the output stored', () => store.read(store.find(TASK)).some((line) => line.l === 'written while the disk is full'));
        await eventually('the problem cleared', () => health.problem('logs') === undefined);
        runtime.exit(id, 0);
        await eventually('the task stopped', () => store.find(TASK).stoppedAt);
        await collector.stop();
        await runtime.close();
    });
});
//# sourceMappingURL=logstore-disk-full.test.js.map