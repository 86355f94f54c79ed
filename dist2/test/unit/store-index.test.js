/**
 * The store's lookups that a start-up over thousands of files asks thousands of times:
 * resources by kind and through declared indexes (services by task definition family),
 * whether a missing resource may still be defined, and the status writer's own writes
 * recognised without parsing them again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { silentLogger } from '../../controller/log.js';
import { StatusWriter } from '../../controller/status/writer.js';
import { ResourceIndex } from '../../controller/store/resourceIndex.js';
import { ManifestStore } from '../../controller/store/store.js';
const FAMILY = 'services-by-family';
const family = (service) => [service.manifest.spec.taskDefinition.split(':')[0]];
const service = (name, taskDefinition) => `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  taskDefinition: ${taskDefinition}\n  desiredCount: 0\n`;
const taskDefinition = (name) => `apiVersion: berth/v1\nkind: TaskDefinition\nmetadata:\n  name: ${name}\nspec:\n  containerDefinitions:\n    - name: app\n      image: berth/busybox:1\n      memory: 32\n`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check, what) {
    for (let i = 0; i < 500 && !check(); i++)
        await sleep(10);
    assert.ok(check(), what);
}
/** A resource as the store would hold it, for the index alone. */
function stored(kind, name, reference = name) {
    const manifest = kind === 'Service' ? { apiVersion: 'berth/v1', kind, metadata: { name }, spec: { taskDefinition: reference } } : { apiVersion: 'berth/v1', kind, metadata: { name }, spec: {} };
    return { kind, name, file: `/m/${name}.yaml`, manifest, specHash: name, line: 1, errors: [], warnings: [] };
}
describe('ResourceIndex', () => {
    test('lists by kind in the order keys were first set; replacing keeps the place, deleting drops it', () => {
        const index = new ResourceIndex();
        index.set('Service/b', stored('Service', 'b'));
        index.set('TaskDefinition/t', stored('TaskDefinition', 't'));
        index.set('Service/a', stored('Service', 'a'));
        index.set('Service/b', stored('Service', 'b', 'other'));
        assert.deepEqual(index.ofKind('Service').map((r) => r.name), ['b', 'a']);
        assert.deepEqual(index.ofKind('TaskDefinition').map((r) => r.name), ['t']);
        assert.deepEqual(index.ofKind('Cluster'), []);
        index.delete('Service/b');
        index.delete('Service/missing');
        assert.deepEqual(index.ofKind('Service').map((r) => r.name), ['a']);
        assert.deepEqual(index.keys(), ['TaskDefinition/t', 'Service/a']);
        assert.equal(index.size, 2);
    });
    test('a declared index follows every set and delete, and is filled with what was held before it', () => {
        const index = new ResourceIndex();
        index.set('Service/a', stored('Service', 'a', 'web:3'));
        index.set('TaskDefinition/web', stored('TaskDefinition', 'web'));
        index.addIndex(FAMILY, { kind: 'Service', valuesOf: family });
        index.set('Service/b', stored('Service', 'b', 'web'));
        assert.deepEqual(index.byIndex(FAMILY, 'web').map((r) => r.name), ['a', 'b']);
        // a moves to another family: found there, no longer under the old one.
        index.set('Service/a', stored('Service', 'a', 'api'));
        assert.deepEqual(index.byIndex(FAMILY, 'web').map((r) => r.name), ['b']);
        assert.deepEqual(index.byIndex(FAMILY, 'api').map((r) => r.name), ['a']);
        index.delete('Service/b');
        assert.deepEqual(index.byIndex(FAMILY, 'web'), []);
        assert.throws(() => index.byIndex('nope', 'web'), /no index named nope/);
    });
});
describe('ManifestStore lookups over files', () => {
    let dir;
    let store;
    beforeEach(async () => {
        dir = mkdtempSync(join(tmpdir(), 'berth-store-index-'));
    });
    afterEach(async () => {
        await store?.close();
        rmSync(dir, { recursive: true, force: true });
    });
    const start = async () => {
        store = new ManifestStore({ dir, logger: silentLogger, settleMs: 10, confirmRemovalMs: 20, followUpMs: 0, removalSettleMs: 0 });
        store.addIndex(FAMILY, { kind: 'Service', valuesOf: family });
        await store.start();
    };
    const services = () => store.list('Service').map((r) => r.name).sort();
    const usingWeb = () => store.byIndex(FAMILY, 'web').map((r) => `${r.name}@${r.file.slice(dir.length + 1)}`);
    test('a file defining several resources: each is listed under its kind and in the index', async () => {
        writeFileSync(join(dir, 'all.yaml'), [service('a', 'web'), service('b', 'web:2'), taskDefinition('web'), service('c', 'api')].join('---\n'));
        await start();
        assert.deepEqual(services(), ['a', 'b', 'c']);
        assert.deepEqual(store.list('TaskDefinition').map((r) => r.name), ['web']);
        assert.deepEqual(usingWeb(), ['a@all.yaml', 'b@all.yaml']);
        // One document taken out of the file: gone from the kind and from the index.
        writeFileSync(join(dir, 'all.yaml'), [service('a', 'web'), taskDefinition('web'), service('c', 'api')].join('---\n'));
        await store.resync();
        await until(() => services().length === 2, 'b removed');
        assert.deepEqual(usingWeb(), ['a@all.yaml']);
    });
    test('a renamed file keeps its resources listed once, under the new name', async () => {
        writeFileSync(join(dir, 'a.yaml'), service('a', 'web'));
        await start();
        renameSync(join(dir, 'a.yaml'), join(dir, 'renamed.yaml'));
        await store.resync();
        await until(() => usingWeb().join() === 'a@renamed.yaml', 'a served from the new file');
        assert.deepEqual(services(), ['a']);
    });
    test('a removed file takes its resources out of the kind and the index', async () => {
        writeFileSync(join(dir, 'a.yaml'), service('a', 'web'));
        writeFileSync(join(dir, 'td.yaml'), taskDefinition('web'));
        await start();
        unlinkSync(join(dir, 'a.yaml'));
        await store.resync();
        await until(() => services().length === 0, 'a removed');
        assert.deepEqual(usingWeb(), []);
        assert.deepEqual(store.list('TaskDefinition').map((r) => r.name), ['web']);
    });
    test('a duplicate is not listed twice; when the first file lets go, the second takes over in the index', async () => {
        writeFileSync(join(dir, 'a.yaml'), service('web-svc', 'web'));
        writeFileSync(join(dir, 'b.yaml'), service('web-svc', 'web:7'));
        await start();
        assert.deepEqual(usingWeb(), ['web-svc@a.yaml']);
        writeFileSync(join(dir, 'a.yaml'), service('web-svc', 'api'));
        await store.resync();
        assert.deepEqual(usingWeb(), [], 'the holder now runs api; b.yaml is still only a duplicate');
        unlinkSync(join(dir, 'a.yaml'));
        await store.resync();
        await until(() => usingWeb().join() === 'web-svc@b.yaml', 'b.yaml took over');
        assert.deepEqual(services(), ['web-svc']);
    });
    test('mayDefine: a key named by an invalid document, or any key while a file hides what it holds; neither once fixed', async () => {
        writeFileSync(join(dir, 'a.yaml'), service('a', 'web'));
        await start();
        assert.equal(store.mayDefine('Service', 'x'), false);
        writeFileSync(join(dir, 'x.yaml'), service('x', 'web').replace('desiredCount: 0', 'desiredCount: lots'));
        await store.resync();
        assert.equal(store.mayDefine('Service', 'x'), true, 'named by an invalid document');
        assert.equal(store.mayDefine('Service', 'y'), false);
        writeFileSync(join(dir, 'broken.yaml'), 'kind: [unclosed\n');
        await store.resync();
        assert.equal(store.mayDefine('Service', 'y'), true, 'a file that does not parse may define anything');
        unlinkSync(join(dir, 'broken.yaml'));
        writeFileSync(join(dir, 'x.yaml'), service('x', 'web'));
        await store.resync();
        await until(() => !store.mayDefine('Service', 'y'), 'the broken file is gone');
        assert.equal(store.mayDefine('Service', 'x'), true, 'x is defined now');
        unlinkSync(join(dir, 'x.yaml'));
        await store.resync();
        await until(() => !store.mayDefine('Service', 'x'), 'x removed, and no invalid document names it');
    });
});
describe('ManifestStore: the status writer’s own writes', () => {
    let dir;
    let store;
    let writer;
    beforeEach(async () => {
        dir = mkdtempSync(join(tmpdir(), 'berth-store-own-'));
    });
    afterEach(async () => {
        writer.close();
        await writer.flush();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
    });
    const start = async (options) => {
        // The watcher's reads are put off past the test: the resyncs below are the only reads, so each test is one order of events.
        store = new ManifestStore({ dir, logger: silentLogger, settleMs: 60_000, followUpMs: 0, removalSettleMs: 0 });
        await store.start();
        writer = new StatusWriter({ logger: silentLogger, manifestsDir: dir, coalesceMs: 1, ...(options.announce ? { announce: (write) => store.expectOwnWrite(write) } : {}) });
    };
    /** Parses, and reads recognised as the writer's. */
    const reads = () => ({ parsed: store.stats.parsed, ownWrites: store.stats.ownWrites });
    /** Reads every changed file now. */
    const readBack = async () => {
        await writer.flush();
        await store.resync();
    };
    test('a status written into a file is recognised when read back: not parsed again, the resource unchanged', async () => {
        writeFileSync(join(dir, 'web.yaml'), taskDefinition('web'));
        await start({ announce: true });
        const before = store.get('TaskDefinition', 'web');
        assert.equal(await writer.write({ file: 'web.yaml', kind: 'TaskDefinition', name: 'web' }, { revision: 1 }), 'written');
        await readBack();
        assert.deepEqual(reads(), { parsed: 1, ownWrites: 1 });
        assert.equal(store.get('TaskDefinition', 'web'), before);
        // A later edit of the spec is parsed as ever.
        writeFileSync(join(dir, 'web.yaml'), taskDefinition('web').replace('memory: 32', 'memory: 64'));
        await store.resync();
        assert.equal(store.stats.parsed, 2);
        assert.equal(store.get('TaskDefinition', 'web')?.manifest.spec.containerDefinitions[0]?.memory, 64);
    });
    test('without the announcement the same write is parsed again', async () => {
        writeFileSync(join(dir, 'web.yaml'), taskDefinition('web'));
        await start({ announce: false });
        await writer.write({ file: 'web.yaml', kind: 'TaskDefinition', name: 'web' }, { revision: 1 });
        await readBack();
        assert.deepEqual(reads(), { parsed: 2, ownWrites: 0 });
    });
    test('a status that moves the documents after it is parsed again, so their lines stay true', async () => {
        writeFileSync(join(dir, 'both.yaml'), [taskDefinition('first'), taskDefinition('second')].join('---\n'));
        await start({ announce: true });
        assert.equal(store.get('TaskDefinition', 'second')?.line, 11);
        await writer.write({ file: 'both.yaml', kind: 'TaskDefinition', name: 'first' }, { revision: 1, family: 'first' });
        await readBack();
        assert.deepEqual(reads(), { parsed: 2, ownWrites: 0 });
        assert.equal(store.get('TaskDefinition', 'second')?.line, 14);
        // The status of the last document moves nothing: recognised.
        await writer.write({ file: 'both.yaml', kind: 'TaskDefinition', name: 'second' }, { revision: 1 });
        await readBack();
        assert.deepEqual(reads(), { parsed: 2, ownWrites: 1 });
    });
    test('an edit not read yet, with a status written over it, is parsed: the announcement was of content the store never saw', async () => {
        writeFileSync(join(dir, 'web.yaml'), taskDefinition('web'));
        await start({ announce: true });
        writeFileSync(join(dir, 'web.yaml'), taskDefinition('web').replace('memory: 32', 'memory: 48'));
        await writer.write({ file: 'web.yaml', kind: 'TaskDefinition', name: 'web' }, { revision: 1 });
        await readBack();
        assert.deepEqual(reads(), { parsed: 2, ownWrites: 0 });
        assert.equal(store.get('TaskDefinition', 'web')?.manifest.spec.containerDefinitions[0]?.memory, 48);
    });
});
//# sourceMappingURL=store-index.test.js.map