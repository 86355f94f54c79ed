import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { editFile, logLines, removeDir, running, scratchDir, testCluster, uniqueName, waitFor, webManifests, writeManifests } from './harness.js';
/**
 * What lands in the manifests directory besides manifests: FIFOs, a socket, symbolic links
 * out of it and files built to exhaust the validator. None of it may hold the controller up.
 * Everything is created while the controller runs: its watcher then sees each entry, as it
 * would a `git pull` or a person's mistake.
 */
describe('files that are not manifests do not hold the controller up', () => {
    const { cluster, dir, path, start } = testCluster('ffil');
    const outside = scratchDir();
    const leak = uniqueName('leak');
    const sockets = [];
    after(async () => {
        for (const server of sockets)
            await new Promise((resolve) => server.close(resolve));
        removeDir(outside);
    });
    const web = webManifests({ cluster, desiredCount: 1 });
    writeManifests(dir, web);
    // A config-map style directory: the files live in a dot directory reached through ..data.
    mkdirSync(path('..v1'));
    writeFileSync(path('..v1/inner.yaml'), webManifests({ cluster, service: 'inner', desiredCount: 1 })['service.yaml'].replace('inner-td', 'web-td'));
    symlinkSync('..v1', path('..data'));
    const controller = start(['--resync-interval', '1s']);
    const store = () => logLines(controller).filter((line) => line.component === 'store');
    const reportsOf = (file) => store().filter((line) => line.file === file && line.level === 40);
    const resyncs = () => store().filter((line) => line.msg === 'manifests re-read').length;
    /** Waits until the controller has re-read the whole directory `count` more times. */
    const moreResyncs = async (count) => {
        const target = resyncs() + count;
        await waitFor(`${count} more resyncs`, () => resyncs() >= target, { controller });
    };
    const scale = async (desired) => {
        editFile(path('service.yaml'), (text) => text.replace(/desiredCount: \d+ #/, `desiredCount: ${desired} #`));
        await waitFor(`web at ${desired}`, async () => (await running(cluster, 'service:web')).length === desired, { controller, timeoutMs: 90_000 });
    };
    test('four FIFOs and a socket named *.yaml: a scale edit still applies; each is reported once with its path', async () => {
        await waitFor('web running', async () => (await running(cluster, 'service:web')).length === 1, { controller });
        const fifos = ['fifo-a.yaml', 'fifo-b.yaml', 'fifo-c.yaml', 'fifo-d.yaml'];
        for (const fifo of fifos)
            execFileSync('mkfifo', [path(fifo)]);
        const socket = createServer();
        sockets.push(socket);
        await new Promise((resolve) => socket.listen(path('socket.yaml'), resolve));
        // The watcher sees them first (a full re-read lists them too); then a user scales web.
        await moreResyncs(1);
        await scale(3);
        for (const fifo of fifos) {
            const [report] = await waitFor(`${fifo} reported`, () => (reportsOf(fifo).length > 0 ? reportsOf(fifo) : undefined), { controller });
            assert.equal(report.msg, `${fifo}: not a regular file (a FIFO); not read`);
        }
        await waitFor('socket reported', () => reportsOf('socket.yaml').length > 0, { controller });
        assert.match(String(reportsOf('socket.yaml')[0].msg), /^socket\.yaml: not a regular file \(a socket\); not read$/);
        await moreResyncs(2);
        for (const file of [...fifos, 'socket.yaml'])
            assert.equal(reportsOf(file).length, 1, `${file} reported once, not at every resync`);
    });
    test('a symlink out of the directory is not read (its service never starts); one inside it is followed', async () => {
        writeFileSync(join(outside, 'leak.yaml'), webManifests({ cluster, service: leak, desiredCount: 1 })['service.yaml'].replace(`${leak}-td`, 'web-td'));
        symlinkSync(join(outside, 'leak.yaml'), path('leak.yaml'));
        symlinkSync('/etc/shadow', path('shadow.yaml'));
        symlinkSync('..data/inner.yaml', path('inner.yaml'));
        await waitFor('inner running through the link inside the directory', async () => (await running(cluster, 'service:inner')).length === 1, { controller, timeoutMs: 90_000 });
        await waitFor('both links out reported', () => reportsOf('leak.yaml').length > 0 && reportsOf('shadow.yaml').length > 0, { controller });
        assert.equal(reportsOf('leak.yaml')[0].msg, `leak.yaml: resolves to ${join(outside, 'leak.yaml')}, outside the manifests directory; not read (--follow-external-symlinks allows it)`);
        assert.match(String(reportsOf('shadow.yaml')[0].msg), /^shadow\.yaml: resolves to \/etc\/shadow, outside the manifests directory; not read/);
        // Proof that the controller has looked again since: a scale edit applied and two full re-reads.
        await scale(2);
        await moreResyncs(2);
        assert.deepEqual(await running(cluster, `service:${leak}`), [], 'the service behind the link out never starts');
        assert.ok(!controller.output().includes(`Service/${leak}`), 'the controller never read the linked file');
        assert.ok(!/root:[^\n]*:\d+:/.test(controller.output()), 'nothing of /etc/shadow is in the log');
        assert.equal(reportsOf('leak.yaml').length, 1, 'reported once');
    });
    test('validation bombs left in the directory: another service scales; their errors are capped and not logged again', async () => {
        const taskDefinition = (name, extra) => `apiVersion: berth/v1\nkind: TaskDefinition\nmetadata:\n  name: ${name}\nspec:\n  containerDefinitions:\n    - name: app\n      image: berth/busybox:1\n      memory: 64\n${extra}`;
        const bombs = {
            'bomb-errors.yaml': taskDefinition('bomb-errors', `      command: [${new Array(500_000).fill('1').join(',')}]\n`),
            'bomb-keys.yaml': taskDefinition('bomb-keys', `${Array.from({ length: 9500 }, (_, i) => `      memory${i}: 1`).join('\n')}\n`),
            'bomb-documents.yaml': '--- x\n'.repeat(174_000),
        };
        writeManifests(dir, bombs);
        const errorsOf = (file) => store().filter((line) => line.file === file && line.level === 50);
        await waitFor('every bomb reported', () => Object.keys(bombs).every((file) => errorsOf(file).length > 0), { controller });
        await scale(4);
        await moreResyncs(2);
        assert.equal(errorsOf('bomb-errors.yaml').length, 1, 'the node limit: one error');
        assert.equal(errorsOf('bomb-documents.yaml').length, 1, 'the document limit: one error');
        assert.equal(errorsOf('bomb-keys.yaml').length, 51, '50 errors and "and 9450 more"');
        assert.match(String(errorsOf('bomb-keys.yaml').at(-1).msg), /and 9450 more errors in this document$/);
    });
});
//# sourceMappingURL=faults-files.test.js.map