import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ControllerHealth } from '../../controller/health.js';
import { silentLogger } from '../../controller/log.js';
import { StateStore, writeAtomically } from '../../controller/state/stateStore.js';
import { eventually } from './eventually.js';
const dirs = [];
after(() => {
    for (const dir of dirs)
        rmSync(dir, { recursive: true, force: true });
});
function scratch() {
    const dir = mkdtempSync(join(tmpdir(), 'berth-state-'));
    dirs.push(dir);
    return dir;
}
function modeOf(path) {
    return statSync(path).mode & 0o777;
}
const clock = { now: () => Date.now(), setTimeout: () => undefined, clearTimeout: () => undefined };
function enospc(path) {
    return Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC' });
}
describe('state store permissions', () => {
    test('a new state directory is 0700 and its records 0600', () => {
        const dir = join(scratch(), 'state');
        const store = new StateStore({ dir, logger: silentLogger });
        store.save('last-valid-specs', { 'Service/web': { spec: { desiredCount: 2 } } });
        store.flush();
        assert.equal(modeOf(dir), 0o700);
        assert.equal(modeOf(join(dir, 'last-valid-specs.json')), 0o600);
    });
    test('an existing directory made by an older version is tightened on start, files and subdirectories included', () => {
        const dir = join(scratch(), 'state');
        mkdirSync(join(dir, 'logs', 'shop', 'task1'), { recursive: true, mode: 0o755 });
        chmodSync(dir, 0o755);
        writeFileSync(join(dir, 'last-valid-specs.json'), '{}', { mode: 0o644 });
        writeFileSync(join(dir, 'logs', 'shop', 'task1', 'app.log'), '', { mode: 0o644 });
        new StateStore({ dir, logger: silentLogger });
        assert.equal(modeOf(dir), 0o700);
        assert.equal(modeOf(join(dir, 'logs')), 0o700);
        assert.equal(modeOf(join(dir, 'logs', 'shop', 'task1')), 0o700);
        assert.equal(modeOf(join(dir, 'last-valid-specs.json')), 0o600);
        assert.equal(modeOf(join(dir, 'logs', 'shop', 'task1', 'app.log')), 0o600);
    });
});
describe('writeAtomically', () => {
    test('the temp file is created exclusively: a link planted at its name is not written through', () => {
        const dir = scratch();
        const victim = join(dir, 'victim');
        writeFileSync(victim, 'do not touch');
        const target = join(dir, 'record.json');
        const temp = join(dir, '.record.json.planted.tmp');
        symlinkSync(victim, temp);
        assert.throws(() => writeAtomically(target, '{"a":1}', { tempPath: temp }), { code: 'EEXIST' });
        assert.equal(readFileSync(victim, 'utf8'), 'do not touch');
        assert.equal(existsSync(target), false);
    });
    test('temp names are random: a link at a name guessed from the process id is left alone', () => {
        const dir = scratch();
        const victim = join(dir, 'victim');
        writeFileSync(victim, 'do not touch');
        const target = join(dir, 'record.json');
        // What an older version used: "<path>.<pid>.tmp".
        symlinkSync(victim, `${target}.${process.pid}.tmp`);
        writeAtomically(target, '{"a":1}');
        assert.equal(readFileSync(victim, 'utf8'), 'do not touch');
        assert.equal(readFileSync(target, 'utf8'), '{"a":1}');
        assert.equal(modeOf(target), 0o600);
        assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [`record.json.${process.pid}.tmp`], 'no temp file of ours is left');
    });
});
describe('state store on a full disk', () => {
    test('records stay in memory, the controller is degraded, and they are written once space returns', async () => {
        const dir = join(scratch(), 'state');
        let diskFull = true;
        const attempts = [];
        const health = new ControllerHealth({ clock, logger: silentLogger });
        const store = new StateStore({
            dir,
            logger: silentLogger,
            health,
            flushDelayMs: 5,
            retry: { initialMs: 20, maxMs: 40 },
            writeRecord: (path, text) => {
                attempts.push(path);
                if (diskFull)
                    throw enospc(path);
                writeAtomically(path, text);
            },
        });
        store.save('ledger', { events: ['one'] });
        assert.doesNotThrow(() => store.flush());
        assert.deepEqual(store.pendingRecords, ['ledger']);
        assert.deepEqual(store.load('ledger', {}), { events: ['one'] }, 'a pending record is what is read back');
        const problem = health.problem('state');
        assert.equal(problem?.reason, 'DiskFull');
        assert.equal(problem?.severity, 'degraded');
        assert.equal(health.snapshot().ready, false);
        // Retried with backoff while the disk stays full; newer saves replace what waits.
        await eventually('a few retries', () => attempts.length >= 3);
        store.save('ledger', { events: ['one', 'two'] });
        assert.ok(existsSync(join(dir, 'ledger.json')) === false);
        diskFull = false;
        await eventually('the record written', () => existsSync(join(dir, 'ledger.json')));
        assert.deepEqual(JSON.parse(readFileSync(join(dir, 'ledger.json'), 'utf8')), { events: ['one', 'two'] });
        await eventually('the problem cleared', () => health.problem('state') === undefined);
        assert.deepEqual(store.pendingRecords, []);
        assert.equal(health.snapshot().ready, true);
    });
});
//# sourceMappingURL=state-store.test.js.map