/**
 * A full disk, for real: a 2 MiB tmpfs holds the controller's state directory (and, in
 * the second suite, the manifests themselves), and a service whose container prints
 * without pause fills it through the log store. The controller must stay up, say
 * DiskFull on /readyz, keep reconciling, never cut a manifest, and recover by itself
 * once the tmpfs is made larger. Needs root (mount).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ControllerHealth } from '../../controller/health.js';
import { silentLogger } from '../../controller/log.js';
import { writeAtomically } from '../../controller/state/stateStore.js';
import { StatusWriter } from '../../controller/status/writer.js';
import { cleanupCluster, clusterManifest, logLines, removeDir, running, scratchDir, serviceStatus, startController, uniqueName, waitFor, writeManifests, } from './harness.js';
import { fetchWithin } from '../fetchWithin.js';
/** About 200 KB/s: the 2 MiB tmpfs fills in seconds, while Docker's own copy stays capped by json-file max-size. */
const CHATTY = "line=$(printf 'x%.0s' $(seq 1 1000)); while true; do for i in 1 2 3 4 5 6 7 8 9 10; do echo \"$i $line\"; done; sleep 0.05; done";
function chattyManifests(cluster, service) {
    return {
        'cluster.yaml': clusterManifest(cluster),
        'taskdef.yaml': `# prints a lot
apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: ${service}-td
spec:
  containerDefinitions:
    - name: chatty
      image: berth/busybox:1
      command: ["sh", "-c", ${JSON.stringify(CHATTY)}]
      memory: 32
      stopTimeout: 1
      logConfiguration:
        logDriver: json-file
        options: {max-size: 1m, max-file: "1"}
`,
        'service.yaml': `# The ${service} service: edit desiredCount to scale.
apiVersion: berth/v1
kind: Service
metadata:
  name: ${service}
spec:
  cluster: ${cluster}   # its own cluster
  taskDefinition: ${service}-td
  desiredCount: 1 # replicas
`,
    };
}
function mountTmpfs(dir, size) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
}
function resizeTmpfs(dir, size) {
    execFileSync('mount', ['-o', `remount,size=${size}`, dir]);
}
function unmount(dir) {
    try {
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    }
    catch {
        // not mounted (the mount itself failed)
    }
}
/** The text of a manifest up to its status block: what the user owns, compared byte for byte. */
function specPart(text) {
    const at = text.indexOf('\nstatus:');
    return at === -1 ? text : text.slice(0, at + 1);
}
/**
 * desiredCount 1 → 2 written over the same bytes ('r+', no truncation): on a full disk an
 * in-place save that truncates first may not get its blocks back, and this test is about
 * what the controller does, not about the editor losing the race for space.
 */
function scaleToTwo(path) {
    const before = readFileSync(path, 'utf8');
    const after = before.replace('desiredCount: 1 #', 'desiredCount: 2 #');
    assert.notEqual(after, before);
    const fd = openSync(path, 'r+');
    try {
        writeSync(fd, after, 0, 'utf8');
    }
    finally {
        closeSync(fd);
    }
    return specPart(after);
}
async function readiness(port) {
    const response = await fetchWithin(`http://127.0.0.1:${port}/readyz`, 3000);
    return { code: response.status, body: await response.text() };
}
async function healthPort(controller) {
    const address = await waitFor('the health endpoint', () => logLines(controller).find((line) => line.msg === 'health endpoint listening')?.address, { controller });
    return Number(address.slice(address.lastIndexOf(':') + 1));
}
/** Less than 64 KiB left: every write of the log store fails now. */
function diskFull(dir) {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize < 64 * 1024;
}
/**
 * Takes whatever room is left, so that the disk stays full until the test makes it larger:
 * the log store alone leaves it full only most of the time (a state record replaced by a
 * smaller one, or a write that failed half-way, hands a few pages back, and a status write
 * needs only a few), which made "a write failing for space" a race.
 */
function takeTheRest(dir) {
    const fd = openSync(join(dir, 'filler'), 'a');
    try {
        for (const size of [64 * 1024, 4096, 1]) {
            const chunk = Buffer.alloc(size, 'f');
            try {
                for (;;)
                    writeSync(fd, chunk);
            }
            catch (error) {
                if (error.code !== 'ENOSPC')
                    throw error;
            }
        }
    }
    finally {
        closeSync(fd);
    }
}
function assertAlive(controller) {
    assert.equal(controller.process.exitCode, null, `the controller exited:\n${controller.output().split('\n').slice(-30).join('\n')}`);
    assert.equal(controller.process.signalCode, null);
}
function diskCase(prefix, layout) {
    const cluster = uniqueName(prefix);
    const scratch = scratchDir();
    const disk = join(scratch, 'disk');
    mkdirSync(disk);
    const manifests = layout === 'manifests' ? disk : join(scratch, 'manifests');
    if (layout === 'state-dir')
        mkdirSync(manifests);
    const setup = { cluster, service: 'chatty', manifests, disk, specs: new Map() };
    before(() => {
        mountTmpfs(disk, '2m');
        const files = chattyManifests(cluster, setup.service);
        writeManifests(manifests, files);
        for (const [name, text] of Object.entries(files))
            setup.specs.set(name, specPart(text));
    });
    after(async () => {
        try {
            await setup.controller?.stop();
            await cleanupCluster(cluster);
        }
        finally {
            unmount(disk);
            removeDir(scratch);
        }
    });
    return setup;
}
function assertManifestsIntact(setup) {
    for (const [name, spec] of setup.specs) {
        const text = readFileSync(join(setup.manifests, name), 'utf8');
        assert.equal(specPart(text), spec, `${name}: the user's part is unchanged byte for byte`);
    }
}
describe('full disk under the state directory', () => {
    const setup = diskCase('diskst', 'state-dir');
    test('the controller stays up, reports DiskFull, keeps reconciling, and recovers by itself', async () => {
        const controller = startController(setup.manifests, ['--state-dir', setup.disk, '--health-address', '127.0.0.1:0']);
        setup.controller = controller;
        const port = await healthPort(controller);
        const group = `service:${setup.service}`;
        // A ceiling, not a speed check: on a loaded engine the container prints far slower.
        await waitFor('the tmpfs full', () => diskFull(setup.disk), { controller, timeoutMs: 120_000 });
        takeTheRest(setup.disk);
        // A task started on the full disk: its log entry is the write that used to end the process.
        setup.specs.set('service.yaml', scaleToTwo(join(setup.manifests, 'service.yaml')));
        await waitFor('two running tasks', async () => (await running(setup.cluster, group)).length === 2, { controller });
        const full = await waitFor('readiness 503 naming DiskFull', async () => {
            const ready = await readiness(port);
            return ready.code === 503 && ready.body.includes('DiskFull') && ready.body;
        }, { controller });
        assert.match(full, /"component":"logs","severity":"degraded","reason":"DiskFull"/);
        assert.equal(statSync(setup.disk).mode & 0o777, 0o700, 'the state directory is the owner\'s only');
        assertAlive(controller);
        await waitFor('the status says two running', () => serviceStatus(join(setup.manifests, 'service.yaml'), setup.service)?.runningCount === 2, { controller });
        assertManifestsIntact(setup);
        assertAlive(controller);
        resizeTmpfs(setup.disk, '256m');
        await waitFor('readiness 200 again', async () => (await readiness(port)).code === 200, { controller, timeoutMs: 90_000 });
        await waitFor('the state store writes again: the health record says ok', () => {
            const record = JSON.parse(readFileSync(join(setup.disk, 'controller-health.json'), 'utf8'));
            return record.state === 'ok';
        }, { controller });
        assert.ok(logLines(controller).some((line) => line.msg === 'log lines are written again'), 'the log store resumed');
        // The entry of the task started on the full disk waited in memory; now it is on disk, with its output.
        for (const { taskId } of await running(setup.cluster, group)) {
            const taskDir = join(setup.disk, 'logs', setup.cluster, taskId);
            await waitFor(`task ${taskId}'s log entry and output on disk`, () => existsSync(join(taskDir, 'task.json')) && statSync(join(taskDir, 'chatty.log')).size > 0, { controller });
            assert.equal(statSync(join(taskDir, 'task.json')).mode & 0o777, 0o600);
            assert.equal(statSync(taskDir).mode & 0o777, 0o700);
        }
        assertManifestsIntact(setup);
        assertAlive(controller);
    });
});
describe('full disk under the manifests (status writes fail)', () => {
    const setup = diskCase('diskmf', 'manifests');
    test('the status waits for space and is written when it returns; the manifests are never cut', async () => {
        // The state directory defaults to <manifests>/.berth: the log store fills the manifests' disk.
        const controller = startController(setup.manifests, ['--health-address', '127.0.0.1:0']);
        setup.controller = controller;
        const port = await healthPort(controller);
        const group = `service:${setup.service}`;
        const service = join(setup.manifests, 'service.yaml');
        await waitFor('readiness 503 naming DiskFull', async () => {
            const ready = await readiness(port);
            return ready.code === 503 && ready.body.includes('DiskFull');
        }, { controller });
        takeTheRest(setup.disk);
        assertAlive(controller);
        setup.specs.set('service.yaml', scaleToTwo(service));
        await waitFor('two running tasks', async () => (await running(setup.cluster, group)).length === 2, { controller });
        // Proof that the status write met the full disk (rather than slipping in before it filled).
        await waitFor('a status write failing for space', () => logLines(controller).some((line) => line.msg === 'cannot write statuses; retrying' && line.reason === 'DiskFull'), { controller });
        await waitFor('readiness naming the status writer', async () => {
            const ready = await readiness(port);
            return ready.code === 503 && /"component":"status","severity":"degraded","reason":"DiskFull"/.test(ready.body);
        }, { controller });
        assertManifestsIntact(setup);
        assertAlive(controller);
        resizeTmpfs(setup.disk, '256m');
        await waitFor('the pending status written', () => serviceStatus(service, setup.service)?.runningCount === 2, { controller, timeoutMs: 90_000 });
        await waitFor('readiness 200 again', async () => (await readiness(port)).code === 200, { controller, timeoutMs: 90_000 });
        assertManifestsIntact(setup);
        assertAlive(controller);
    });
});
/**
 * Fills the tmpfs, leaving exactly one page free: a write of more than a page then
 * succeeds in part (a short write) before the next one fails with ENOSPC.
 */
function fillLeavingOnePage(dir) {
    const page = join(dir, 'one-page');
    writeFileSync(page, 'x');
    const fd = openSync(join(dir, 'filler'), 'w');
    try {
        const chunk = Buffer.alloc(64 * 1024, 'f');
        for (;;)
            writeSync(fd, chunk);
    }
    catch (error) {
        assert.equal(error.code, 'ENOSPC');
    }
    finally {
        closeSync(fd);
    }
    rmSync(page);
}
describe('writes on a nearly full disk (no engine)', () => {
    const scratch = scratchDir();
    const disk = join(scratch, 'disk');
    mkdirSync(disk);
    before(() => mountTmpfs(disk, '1m'));
    after(() => {
        unmount(disk);
        removeDir(scratch);
    });
    /** Over three pages: it cannot fit in the one page left. */
    const padding = Array.from({ length: 160 }, (_, i) => `# comment line ${i}: the user's words, kept byte for byte\n`).join('');
    test('a status write that does not fit leaves the manifest whole, waits for space, and is written when it returns', async () => {
        const manifest = join(disk, 'web.yaml');
        const original = `${padding}apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  cluster: c\n  taskDefinition: web-td\n  desiredCount: 3\n`;
        writeFileSync(manifest, original);
        fillLeavingOnePage(disk);
        const health = new ControllerHealth({ clock: { now: () => Date.now(), setTimeout: () => undefined, clearTimeout: () => undefined }, logger: silentLogger });
        const writer = new StatusWriter({ logger: silentLogger, manifestsDir: disk, health, spaceRetry: { initialMs: 20, maxMs: 50 } });
        const status = { runningCount: 3, conditions: [{ type: 'Ready', status: 'True', reason: 'Steady', message: 'all tasks run' }] };
        const written = writer.write({ file: 'web.yaml', kind: 'Service', name: 'web' }, status);
        await waitFor('the full disk reported', () => health.problem('status')?.reason === 'DiskFull', { intervalMs: 10 });
        assert.equal(readFileSync(manifest, 'utf8'), original, 'the manifest is untouched');
        // A flush (the controller stopping, or idle) does not wait for space.
        await writer.flush();
        rmSync(join(disk, 'filler'));
        assert.equal(await written, 'written');
        const text = readFileSync(manifest, 'utf8');
        assert.equal(specPart(text), original);
        assert.match(text, /runningCount: 3/);
        await waitFor('the problem cleared', () => health.problem('status') === undefined, { intervalMs: 10 });
        writer.close();
        // Its replaced inodes are closed on the thread pool: the next test counts on their space being back.
        await writer.flush();
    });
    test('a state record that does not fit leaves the previous one whole', () => {
        const record = join(disk, 'ledger.json');
        const previous = JSON.stringify({ events: ['before'] });
        writeAtomically(record, previous);
        fillLeavingOnePage(disk);
        try {
            const large = JSON.stringify({ events: Array.from({ length: 400 }, (_, i) => `event ${i} ${'e'.repeat(20)}`) });
            assert.throws(() => writeAtomically(record, large), { code: 'ENOSPC' });
            assert.equal(readFileSync(record, 'utf8'), previous);
        }
        finally {
            rmSync(join(disk, 'filler'));
        }
    });
});
//# sourceMappingURL=faults-disk.test.js.map