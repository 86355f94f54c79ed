import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { silentLogger } from '../../controller/log.js';
import { RemovalSettler, removalHold } from '../../controller/store/removals.js';
import { ManifestStore } from '../../controller/store/store.js';
import { ManualClock } from './manualClock.js';
const SETTLE = 5000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const waitUntil = async (what, check) => {
    for (let i = 0; i < 600 && !check(); i++)
        await sleep(10);
    assert.ok(check(), `not reached: ${what}`);
};
const service = (name) => `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  taskDefinition: web\n  desiredCount: 2\n`;
const CLUSTER = 'apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: shop\nspec: {}\n';
describe('RemovalSettler', () => {
    test('a removal comes due only once the settle period is over, and a cancelled one never does', () => {
        const clock = new ManualClock();
        let calls = 0;
        const settler = new RemovalSettler({ settleMs: SETTLE, clock, onDue: () => calls++ });
        assert.equal(settler.begin('Service/web', '/m/web.yaml'), true);
        assert.equal(settler.begin('Service/api', '/m/api.yaml'), true);
        clock.advance(1000);
        assert.equal(settler.begin('Service/web', '/m/web.yaml'), false, 'a key already waiting keeps its start');
        settler.cancel('Service/api');
        clock.advance(SETTLE - 1001);
        assert.deepEqual(settler.due(), []);
        assert.equal(calls, 0);
        clock.advance(1);
        assert.deepEqual(settler.due().map((r) => r.key), ['Service/web']);
        assert.equal(calls, 2, 'each begin arms its own wake-up');
    });
    test('restart gives every waiting removal a full settle period again', () => {
        const clock = new ManualClock();
        const settler = new RemovalSettler({ settleMs: SETTLE, clock, onDue: () => undefined });
        settler.begin('Service/web', '/m/web.yaml');
        clock.advance(SETTLE);
        assert.equal(settler.due().length, 1);
        settler.restart();
        assert.equal(settler.due().length, 0);
        clock.advance(SETTLE);
        assert.equal(settler.due().length, 1);
    });
});
describe('removalHold', () => {
    const enoent = Object.assign(new Error('no such directory'), { code: 'ENOENT' });
    const eacces = Object.assign(new Error('permission denied'), { code: 'EACCES' });
    const cases = [
        { name: 'files that define something', listing: ['/m/a.yaml'], definesAnything: true, allowEmpty: false, reason: undefined },
        { name: 'no manifest at all', listing: [], definesAnything: false, allowEmpty: false, reason: 'ManifestsDirectoryEmpty' },
        { name: 'only files that define nothing', listing: ['/m/a.yaml'], definesAnything: false, allowEmpty: false, reason: 'ManifestsDirectoryEmpty' },
        { name: 'empty, allowed', listing: [], definesAnything: false, allowEmpty: true, reason: undefined },
        { name: 'missing', listing: enoent, definesAnything: false, allowEmpty: false, reason: 'ManifestsDirectoryUnreadable' },
        { name: 'missing, allowed', listing: enoent, definesAnything: false, allowEmpty: true, reason: undefined },
        { name: 'unreadable, even when allowed', listing: eacces, definesAnything: false, allowEmpty: true, reason: 'ManifestsDirectoryUnreadable' },
    ];
    for (const c of cases) {
        test(c.name, () => {
            const hold = removalHold({ dir: '/m', listing: c.listing, definesAnything: c.definesAnything, allowEmpty: c.allowEmpty, kept: 3 });
            assert.equal(hold?.reason, c.reason);
            if (hold)
                assert.match(hold.message, /\/m .*3 resource\(s\) are kept and nothing is stopped/);
        });
    }
});
describe('ManifestStore removals', () => {
    let dir;
    let store;
    afterEach(async () => {
        await store?.close();
        store = undefined;
        rmSync(dir, { recursive: true, force: true });
    });
    const open = async (options) => {
        dir = mkdtempSync(join(tmpdir(), 'berth-removals-'));
        for (const [name, text] of Object.entries(options.files))
            writeFileSync(join(dir, name), text);
        const clock = new ManualClock();
        const reports = [];
        const health = { report: (p) => void reports.push({ reason: p.reason, severity: p.severity }), clear: () => void reports.push('clear') };
        const root = options.missingDir ? join(dir, 'not-mounted') : dir;
        store = new ManifestStore({ dir: root, logger: silentLogger, settleMs: 10, confirmRemovalMs: 20, removalSettleMs: SETTLE, clock, health, allowEmpty: options.allowEmpty ?? false });
        const changes = [];
        store.changes.subscribe((key) => changes.push(key));
        await store.start();
        changes.length = 0;
        return { store, clock, changes, reports };
    };
    const pending = (s) => s.pendingRemovals().map((r) => r.key);
    test('a file moved out and back within the settle period changes nothing', async () => {
        const { store, clock, changes } = await open({ files: { 'web.yaml': service('web'), 'cluster.yaml': CLUSTER } });
        unlinkSync(join(dir, 'web.yaml'));
        await waitUntil('the removal is seen', () => pending(store).includes('Service/web'));
        assert.ok(store.get('Service', 'web'), 'still served while it settles');
        assert.ok(store.mayDefine('Service', 'web'));
        writeFileSync(join(dir, 'web.yaml'), service('web'));
        await waitUntil('the return is seen', () => pending(store).length === 0);
        clock.advance(SETTLE * 2);
        await sleep(50);
        assert.ok(store.get('Service', 'web'));
        assert.deepEqual(changes, [], 'no key changed');
    });
    test('a file that stays missing for the settle period is removed, after a fresh read', async () => {
        const { store, clock, changes } = await open({ files: { 'web.yaml': service('web'), 'cluster.yaml': CLUSTER } });
        unlinkSync(join(dir, 'web.yaml'));
        await waitUntil('the removal is seen', () => pending(store).includes('Service/web'));
        clock.advance(SETTLE - 1);
        await sleep(50);
        assert.ok(store.get('Service', 'web'), 'not before the settle period is over');
        clock.advance(1);
        await waitUntil('removed', () => store.get('Service', 'web') === undefined);
        assert.deepEqual(changes, ['Service/web']);
        assert.equal(store.mayDefine('Service', 'web'), false);
    });
    test('a document taken out of a file that is still there settles too', async () => {
        const { store, clock } = await open({ files: { 'all.yaml': `${CLUSTER}---\n${service('web')}` } });
        writeFileSync(join(dir, 'all.yaml'), CLUSTER);
        await waitUntil('the removal is seen', () => pending(store).includes('Service/web'));
        assert.ok(store.get('Service', 'web'));
        writeFileSync(join(dir, 'all.yaml'), `${CLUSTER}---\n${service('web')}`);
        await waitUntil('the return is seen', () => pending(store).length === 0);
        writeFileSync(join(dir, 'all.yaml'), CLUSTER);
        await waitUntil('the removal is seen again', () => pending(store).includes('Service/web'));
        clock.advance(SETTLE);
        await waitUntil('removed', () => store.get('Service', 'web') === undefined);
        assert.ok(store.get('Cluster', 'shop'));
    });
    test('a file left empty (a save cut short) keeps its resources while it settles', async () => {
        const { store } = await open({ files: { 'web.yaml': service('web'), 'cluster.yaml': CLUSTER } });
        writeFileSync(join(dir, 'web.yaml'), '');
        await waitUntil('the removal is seen', () => pending(store).includes('Service/web'));
        assert.equal(store.get('Service', 'web')?.manifest.spec.desiredCount, 2);
    });
    test('a resource that moves to another file while its removal settles is taken over, not reported as a duplicate', async () => {
        const { store, changes } = await open({ files: { 'web.yaml': service('web'), 'cluster.yaml': CLUSTER } });
        unlinkSync(join(dir, 'web.yaml'));
        await waitUntil('the removal is seen', () => pending(store).includes('Service/web'));
        writeFileSync(join(dir, 'web-service.yaml'), service('web'));
        await waitUntil('taken over', () => store.get('Service', 'web')?.file === join(dir, 'web-service.yaml'));
        assert.deepEqual(pending(store), []);
        assert.deepEqual(store.errorsOf(join(dir, 'web-service.yaml')), []);
        assert.deepEqual(changes, ['Service/web'], 'the new file is announced so that status goes there');
    });
    test('an emptied directory holds every removal and says so; a file coming back ends the hold', async () => {
        const { store, clock, changes, reports } = await open({ files: { 'web.yaml': service('web'), 'api.yaml': service('api'), 'cluster.yaml': CLUSTER } });
        for (const file of ['web.yaml', 'api.yaml', 'cluster.yaml'])
            unlinkSync(join(dir, file));
        await waitUntil('the removals are seen', () => pending(store).length === 3);
        clock.advance(SETTLE);
        await waitUntil('held', () => store.holding() !== undefined);
        assert.equal(store.holding()?.reason, 'ManifestsDirectoryEmpty');
        assert.deepEqual(reports, [{ reason: 'ManifestsDirectoryEmpty', severity: 'holding' }]);
        assert.ok(store.get('Service', 'web') && store.get('Service', 'api') && store.get('Cluster', 'shop'), 'everything still served');
        assert.ok(store.mayDefine('Service', 'never-seen'), 'nothing can be proved gone while held');
        clock.advance(SETTLE * 3);
        await sleep(50);
        assert.deepEqual(changes, [], 'nothing removed however long it holds');
        writeFileSync(join(dir, 'web.yaml'), service('web'));
        await waitUntil('released', () => store.holding() === undefined);
        assert.deepEqual(reports.at(-1), 'clear');
        assert.deepEqual(pending(store).sort(), ['Cluster/shop', 'Service/api'], 'the rest still waits');
        // What did not come back goes a full settle period after the hold ended, not before.
        clock.advance(SETTLE - 1);
        await sleep(50);
        assert.ok(store.get('Service', 'api'));
        clock.advance(1);
        await waitUntil('the rest removed', () => store.get('Service', 'api') === undefined && store.get('Cluster', 'shop') === undefined);
        assert.ok(store.get('Service', 'web'));
    });
    test('with allowEmpty an emptied directory removes everything after the settle period', async () => {
        const { store, clock, reports } = await open({ files: { 'web.yaml': service('web') }, allowEmpty: true });
        unlinkSync(join(dir, 'web.yaml'));
        await waitUntil('the removal is seen', () => pending(store).includes('Service/web'));
        clock.advance(SETTLE);
        await waitUntil('removed', () => store.get('Service', 'web') === undefined);
        assert.deepEqual(reports, []);
    });
    test('a store that starts on an empty directory holds: nothing it never saw counts as gone', async () => {
        const { store, reports } = await open({ files: {} });
        assert.equal(store.holding()?.reason, 'ManifestsDirectoryEmpty');
        assert.deepEqual(reports, [{ reason: 'ManifestsDirectoryEmpty', severity: 'holding' }]);
        assert.ok(store.mayDefine('Service', 'web'), "an engine's tasks of Service/web are not orphans");
    });
    test('a store that starts on a missing directory holds, and reads it once it is there', async () => {
        const { store, clock, reports } = await open({ files: {}, missingDir: true });
        assert.equal(store.holding()?.reason, 'ManifestsDirectoryUnreadable');
        assert.match(store.holding().message, /is missing/);
        assert.ok(store.mayDefine('Service', 'web'));
        mkdirSync(join(dir, 'not-mounted'));
        writeFileSync(join(dir, 'not-mounted', 'web.yaml'), service('web'));
        clock.advance(2000); // the poll while held
        await waitUntil('read once there', () => store.get('Service', 'web') !== undefined && store.holding() === undefined);
        assert.deepEqual(reports, [{ reason: 'ManifestsDirectoryUnreadable', severity: 'holding' }, 'clear']);
        // Watched from now on: a new file is seen without waiting for a resync.
        writeFileSync(join(dir, 'not-mounted', 'api.yaml'), service('api'));
        await waitUntil('a new file seen by the watcher', () => store.get('Service', 'api') !== undefined);
    });
});
//# sourceMappingURL=store-removals.test.js.map