import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { BERTH, groupContainers, logLines, removeDir, running, testCluster, waitFor, webManifests, writeManifests } from './harness.js';
import { fetchWithin } from '../fetchWithin.js';
/**
 * Files that vanish for a moment (editors, git checkout, rsync, symlink swaps) and a
 * directory that is emptied (a branch without the files, a volume that did not mount)
 * must not stop what runs.
 */
describe('removals on the real engine: settle period and empty-directory hold', () => {
    const { cluster, dir, path, start } = testCluster('rm');
    const settle = ['--removal-settle', '3s', '--health-address', '127.0.0.1:0'];
    /** Where files go while they are "out" of the manifests directory. */
    const aside = mkdtempSync(join(tmpdir(), 'berth-aside-'));
    after(() => removeDir(aside));
    writeManifests(dir, {
        ...webManifests({ cluster, desiredCount: 3 }),
        'gone.yaml': `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: gone\nspec:\n  cluster: ${cluster}\n  taskDefinition: web-td\n  desiredCount: 1\n`,
    });
    let controller = start(settle);
    const logged = (c, msg, match = () => true) => logLines(c).find((line) => line.msg === msg && match(line));
    const waitLogged = (c, msg, match) => waitFor(`log "${msg}"`, () => logged(c, msg, match), { controller: c, intervalMs: 20 });
    const runningIds = async (group) => (await running(cluster, group)).map((c) => c.id).sort();
    const allIds = async (group) => (await groupContainers(cluster, group)).map((c) => `${c.id}:${c.state}`).sort();
    const healthPort = async (c) => {
        const line = await waitLogged(c, 'health endpoint listening');
        return Number(String(line.address).split(':').at(-1));
    };
    const readyz = async (c) => {
        const response = await fetchWithin(`http://127.0.0.1:${await healthPort(c)}/readyz`, 3000);
        return { status: response.status, body: (await response.json()) };
    };
    const manifests = () => readdirSync(dir).filter((name) => name.endsWith('.yaml'));
    const moveAllOut = () => {
        const moved = manifests();
        for (const name of moved)
            renameSync(path(name), join(aside, name));
        return moved;
    };
    const moveBack = (names) => {
        for (const name of names)
            renameSync(join(aside, name), path(name));
    };
    test('3 + 1 tasks run', async () => {
        await waitFor('3 web tasks and 1 gone task', async () => (await running(cluster, 'service:web')).length === 3 && (await running(cluster, 'service:gone')).length === 1, { controller });
    });
    test('a file moved out and back 300 ms later stops nothing and creates nothing', async () => {
        const before = await allIds('service:web');
        assert.equal(before.length, 3);
        renameSync(path('service.yaml'), join(aside, 'service.yaml'));
        const movedOut = Date.now();
        // The scenario is a file missing for 300 ms; it goes back as soon as the controller has
        // seen it missing (about that long on an idle machine), so that what is proven is the
        // settle period, not a watcher too slow to notice.
        await waitLogged(controller, 'manifest missing; removal settling', (line) => line.key === 'Service/web');
        renameSync(join(aside, 'service.yaml'), path('service.yaml'));
        console.log(`service.yaml was missing for ${Date.now() - movedOut} ms`);
        const back = await waitLogged(controller, 'manifest returned before its removal settled; nothing removed', (line) => line.key === 'Service/web');
        assert.ok(Number(back.missingMs) >= 0);
        assert.deepEqual(await allIds('service:web'), before, 'the same containers, all still running');
        assert.equal(logged(controller, 'manifest removed', (line) => line.key === 'Service/web'), undefined);
        assert.equal(logged(controller, 'stopping tasks', (line) => line.name === 'service:web'), undefined);
    });
    test('a file missing for longer than the settle period does stop its tasks', async () => {
        renameSync(path('gone.yaml'), join(aside, 'gone.yaml'));
        await waitLogged(controller, 'manifest missing; removal settling', (line) => line.key === 'Service/gone');
        await waitLogged(controller, 'manifest removed', (line) => line.key === 'Service/gone');
        await waitFor('the gone task stopped', async () => (await running(cluster, 'service:gone')).length === 0, { controller });
        assert.equal((await runningIds('service:web')).length, 3, 'the other service is untouched');
    });
    test('an emptied directory stops nothing, and says it is holding: log, /readyz, berth get', async () => {
        const before = await runningIds('service:web');
        const ready = await readyz(controller);
        assert.equal(ready.status, 200, JSON.stringify(ready.body));
        const moved = moveAllOut();
        const hold = await waitFor('holding logged', () => logLines(controller).find((line) => line.reason === 'ManifestsDirectoryEmpty' && line.severity === 'holding'), { controller });
        assert.match(String(hold.msg), /holds no manifests; \d+ resource\(s\) are kept and nothing is stopped/);
        const held = await readyz(controller);
        assert.equal(held.status, 503);
        assert.equal(held.body.state, 'holding');
        assert.deepEqual(held.body.problems.map((p) => p.reason), ['ManifestsDirectoryEmpty']);
        const get = await waitFor('berth get prints the hold', () => {
            const result = spawnSync(process.execPath, [BERTH, 'get', 'services', '-m', dir], { encoding: 'utf8' });
            return /controller: HOLDING/.test(result.stderr) ? result : undefined;
        });
        assert.match(get.stderr, /ManifestsDirectoryEmpty \(store, since .*\): the manifests directory .* holds no manifests/);
        assert.equal(get.status, 0);
        // The service keeps being reconciled meanwhile, and still nothing is stopped.
        const passes = logLines(controller).filter((line) => line.msg === 'reconciled' && line.kind === 'Retirement' && line.name === 'service:web').length;
        await waitFor('a later retirement pass over the web tasks', () => logLines(controller).filter((line) => line.msg === 'reconciled' && line.kind === 'Retirement' && line.name === 'service:web').length > passes, {
            controller,
            timeoutMs: 90_000,
        });
        assert.deepEqual(await runningIds('service:web'), before);
        assert.equal(logged(controller, 'stopping tasks', (line) => line.name === 'service:web'), undefined);
        moveBack(moved);
        await waitLogged(controller, 'recovered: ManifestsDirectoryEmpty');
        await waitFor('/readyz 200 again', async () => ((await readyz(controller)).status === 200 ? true : undefined), { controller });
        assert.deepEqual(await runningIds('service:web'), before);
        assert.equal(logged(controller, 'manifest removed', (line) => line.key === 'Service/web'), undefined);
    });
    test('a controller that starts on an empty directory leaves the tasks it finds running', async () => {
        const before = await runningIds('service:web');
        await controller.stop();
        const moved = moveAllOut();
        controller = start(settle);
        await waitLogged(controller, 'controller started');
        await waitFor('holding logged', () => logLines(controller).find((line) => line.reason === 'ManifestsDirectoryEmpty' && line.severity === 'holding'), { controller });
        // Proof the tasks were looked at: the retirement of their group and the service were reconciled.
        await waitLogged(controller, 'reconciled', (line) => line.kind === 'Retirement' && line.name === 'service:web');
        assert.equal(logged(controller, 'stopping tasks', (line) => line.name === 'service:web'), undefined, 'no orphan stop');
        await waitLogged(controller, 'no valid spec of this service can be read; its tasks keep running until its file is fixed or removed', (line) => line.name === 'web');
        assert.deepEqual(await runningIds('service:web'), before);
        moveBack(moved);
        await waitLogged(controller, 'recovered: ManifestsDirectoryEmpty');
        await waitLogged(controller, 'reconciled', (line) => line.kind === 'Service' && line.name === 'web');
        assert.deepEqual(await runningIds('service:web'), before, 'adopted, not replaced');
    });
    test('with --allow-empty an emptied directory does stop the tasks', async () => {
        await controller.stop();
        controller = start([...settle, '--allow-empty']);
        await waitLogged(controller, 'controller started');
        assert.equal((await runningIds('service:web')).length, 3);
        moveAllOut();
        await waitLogged(controller, 'manifest removed', (line) => line.key === 'Service/web');
        await waitFor('every web task stopped', async () => (await running(cluster, 'service:web')).length === 0, { controller });
        assert.equal(logLines(controller).find((line) => line.severity === 'holding'), undefined, 'no hold');
    });
});
//# sourceMappingURL=faults-removal.test.js.map