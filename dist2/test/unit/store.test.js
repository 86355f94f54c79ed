import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { silentLogger } from '../../controller/log.js';
import { ManifestStore } from '../../controller/store/store.js';
const SERVICE = (desired, extra = '') => `# my service
apiVersion: berth/v1
kind: Service
metadata:
  name: web
spec:
  taskDefinition: web
  desiredCount: ${desired}
${extra}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
describe('ManifestStore', () => {
    let dir;
    let store;
    let changes;
    beforeEach(async () => {
        dir = mkdtempSync(join(tmpdir(), 'berth-store-'));
        writeFileSync(join(dir, 'web.yaml'), SERVICE(2));
        // Removals settle in their own tests below; these see them at once.
        store = new ManifestStore({ dir, logger: silentLogger, settleMs: 10, confirmRemovalMs: 100, removalSettleMs: 0 });
        changes = [];
        store.changes.subscribe((key) => changes.push(key));
        await store.start();
    });
    afterEach(async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
    });
    const waitUntil = async (check) => {
        for (let i = 0; i < 200 && !check(); i++)
            await sleep(10);
        assert.ok(check(), 'condition not reached');
    };
    test('initial read serves the manifest', () => {
        assert.equal(store.get('Service', 'web')?.manifest.spec.desiredCount, 2);
        assert.deepEqual(changes, ['Service/web']);
    });
    test('a spec change emits the key; a status-only change does not', async () => {
        changes.length = 0;
        // A Cluster added in the same write proves the file was read with the new status in it.
        writeFileSync(join(dir, 'web.yaml'), `${SERVICE(2, 'status:\n  runningCount: 2\n')}---\napiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: shop\nspec: {}\n`);
        await waitUntil(() => changes.length > 0);
        assert.deepEqual(changes, ['Cluster/shop'], 'status-only change is not a change');
        writeFileSync(join(dir, 'web.yaml'), SERVICE(3));
        await waitUntil(() => changes.includes('Service/web'));
        assert.equal(store.get('Service', 'web')?.manifest.spec.desiredCount, 3);
    });
    test('an invalid edit keeps the last valid spec and carries the error with its line', async () => {
        writeFileSync(join(dir, 'web.yaml'), SERVICE(2).replace('desiredCount: 2', 'desiredCount: lots'));
        await waitUntil(() => (store.get('Service', 'web')?.errors.length ?? 0) > 0);
        const resource = store.get('Service', 'web');
        assert.equal(resource.manifest.spec.desiredCount, 2);
        assert.equal(resource.errors[0].line, 8);
        assert.equal(resource.errors[0].field, 'spec.desiredCount');
    });
    test('broken YAML keeps serving what the file held', async () => {
        writeFileSync(join(dir, 'web.yaml'), 'kind: Service\nmetadata: [\n');
        await waitUntil(() => (store.get('Service', 'web')?.errors.length ?? 0) > 0);
        assert.equal(store.get('Service', 'web')?.manifest.spec.desiredCount, 2);
    });
    test('a file truncated for a moment (an in-place save) does not remove its resources', async () => {
        changes.length = 0;
        writeFileSync(join(dir, 'web.yaml'), '');
        await sleep(40);
        writeFileSync(join(dir, 'web.yaml'), SERVICE(4));
        await waitUntil(() => store.get('Service', 'web')?.manifest.spec.desiredCount === 4);
        await sleep(150);
        assert.ok(store.get('Service', 'web'), 'never removed');
    });
    test('an editor-style atomic save (write temp, rename over) is a change, not a removal', async () => {
        writeFileSync(join(dir, '.web.yaml.swp'), SERVICE(5));
        renameSync(join(dir, '.web.yaml.swp'), join(dir, 'web.yaml'));
        await waitUntil(() => store.get('Service', 'web')?.manifest.spec.desiredCount === 5);
    });
    test('a save right after another process replaced the file is still seen', async () => {
        // The status writer replaces the file by rename; chokidar throttles a change that follows closely.
        for (let desired = 6; desired <= 9; desired++) {
            writeFileSync(join(dir, '.web.yaml.berth-tmp'), SERVICE(desired - 1, 'status:\n  observed: true\n'));
            renameSync(join(dir, '.web.yaml.berth-tmp'), join(dir, 'web.yaml'));
            writeFileSync(join(dir, 'web.yaml'), SERVICE(desired));
            await waitUntil(() => store.get('Service', 'web')?.manifest.spec.desiredCount === desired);
        }
    });
    test('renaming a file hands its resources over without ever dropping them', async () => {
        let dropped = 0;
        const watcher = setInterval(() => {
            if (!store.mayDefine('Service', 'web'))
                dropped++;
        }, 1);
        store.changes.subscribe((key) => {
            if (key === 'Service/web' && !store.get('Service', 'web'))
                dropped++;
        });
        renameSync(join(dir, 'web.yaml'), join(dir, 'web-service.yaml'));
        await waitUntil(() => store.get('Service', 'web')?.file === join(dir, 'web-service.yaml'));
        await sleep(200);
        clearInterval(watcher);
        assert.equal(dropped, 0, 'never looked deleted');
        assert.equal(store.get('Service', 'web')?.file, join(dir, 'web-service.yaml'));
    });
    test('a new file adds its resources; deleting a file removes them', async () => {
        writeFileSync(join(dir, 'other.yml'), SERVICE(1).replace('name: web', 'name: api'));
        await waitUntil(() => store.get('Service', 'api') !== undefined);
        unlinkSync(join(dir, 'web.yaml'));
        await waitUntil(() => store.get('Service', 'web') === undefined);
    });
    test('the same resource in two files: the first keeps it, the second is an error', async () => {
        writeFileSync(join(dir, 'zz-copy.yaml'), SERVICE(9));
        // The error on the copy proves it was read.
        await waitUntil(() => store.errorsOf(join(dir, 'zz-copy.yaml')).length > 0);
        assert.equal(store.get('Service', 'web')?.manifest.spec.desiredCount, 2);
        const errors = store.errorsOf(join(dir, 'zz-copy.yaml'));
        assert.match(errors[0].message, /Service\/web is already defined in web\.yaml:2/);
    });
});
//# sourceMappingURL=store.test.js.map