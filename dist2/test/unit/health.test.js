import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { controllerHealthLines } from '../../controller/cli/get.js';
import { ControllerHealth, HealthServer } from '../../controller/health.js';
import { silentLogger } from '../../controller/log.js';
const clock = { now: () => Date.parse('2026-12-01T10:00:00Z'), setTimeout: () => undefined, clearTimeout: () => undefined };
describe('controller health', () => {
    test('ok until a problem; holding outranks degraded; clearing restores ok', () => {
        const health = new ControllerHealth({ clock, logger: silentLogger });
        const seen = [];
        health.changes.subscribe((s) => seen.push(s));
        assert.deepEqual(health.snapshot(), { state: 'ok', ready: true, problems: [] });
        health.report({ component: 'logs', severity: 'degraded', reason: 'DiskFull', message: 'no space left' });
        assert.equal(health.snapshot().state, 'degraded');
        assert.equal(health.snapshot().ready, false);
        health.report({ component: 'store', severity: 'holding', reason: 'ManifestsDirectoryEmpty', message: 'holding' });
        assert.equal(health.snapshot().state, 'holding');
        // The same report again is not a change: no new snapshot, no new log line.
        health.report({ component: 'store', severity: 'holding', reason: 'ManifestsDirectoryEmpty', message: 'holding' });
        assert.equal(seen.length, 2);
        health.clear('store');
        health.clear('logs');
        assert.deepEqual(health.snapshot(), { state: 'ok', ready: true, problems: [] });
        assert.equal(seen.length, 4);
    });
    test('/healthz stays 200 while /readyz says 503 with the reason', async () => {
        const health = new ControllerHealth({ clock, logger: silentLogger });
        const server = new HealthServer({ address: { host: '127.0.0.1', port: 0 }, fallbackToFreePort: false, health, logger: silentLogger });
        await server.start();
        after(() => server.stop());
        const base = `http://127.0.0.1:${server.address.port}`;
        assert.equal((await fetch(`${base}/readyz`)).status, 200);
        health.report({ component: 'state', severity: 'degraded', reason: 'DiskFull', message: 'ENOSPC writing the state directory' });
        const ready = await fetch(`${base}/readyz`);
        assert.equal(ready.status, 503);
        const body = (await ready.json());
        assert.equal(body.problems[0]?.reason, 'DiskFull');
        assert.equal((await fetch(`${base}/healthz`)).status, 200);
        assert.equal((await fetch(`${base}/nope`)).status, 404);
    });
    test('berth get prints what a running controller holds, and nothing for a dead one', () => {
        const dir = mkdtempSync(join(tmpdir(), 'berth-health-'));
        after(() => rmSync(dir, { recursive: true, force: true }));
        const record = (pid) => JSON.stringify({ state: 'holding', ready: false, pid, problems: [{ component: 'store', severity: 'holding', reason: 'ManifestsDirectoryEmpty', message: 'nothing is stopped', since: '2026-12-01T10:00:00.000Z' }] });
        writeFileSync(join(dir, 'controller-health.json'), record(process.pid));
        const lines = controllerHealthLines(dir);
        assert.equal(lines[0], 'controller: HOLDING');
        assert.match(lines[1], /ManifestsDirectoryEmpty \(store, since .*\): nothing is stopped/);
        // A pid that cannot exist: a controller that died is not holding anything.
        writeFileSync(join(dir, 'controller-health.json'), record(2 ** 22 + 1));
        assert.deepEqual(controllerHealthLines(dir), []);
    });
});
//# sourceMappingURL=health.test.js.map