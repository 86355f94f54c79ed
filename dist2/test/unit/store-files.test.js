import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ManifestStore } from '../../controller/store/store.js';
import { recordingLogger } from './recordingLogger.js';
const cluster = (name) => `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${name}\nspec: {}\n`;
describe('ManifestStore: what is read, and how often', () => {
    let dir;
    let outside;
    const stores = [];
    let log;
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'berth-store-files-'));
        outside = mkdtempSync(join(tmpdir(), 'berth-store-outside-'));
        log = recordingLogger();
    });
    afterEach(async () => {
        for (const store of stores.splice(0))
            await store.close();
        rmSync(dir, { recursive: true, force: true });
        rmSync(outside, { recursive: true, force: true });
    });
    const start = async (options = {}) => {
        const store = new ManifestStore({ dir, logger: log.logger, settleMs: 10, confirmRemovalMs: 50, followUpMs: 0, removalSettleMs: 0, ...options });
        stores.push(store);
        await store.start();
        return store;
    };
    const linesAbout = (pattern) => log.lines.filter((line) => pattern.test(line.msg));
    test('an unchanged file is not validated or logged again at a resync; an edit logs only new errors', async () => {
        const bad = (extra) => `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  taskDefinition: web\n  desiredCount: lots\n  bogus: 1\n${extra}`;
        writeFileSync(join(dir, 'web.yaml'), bad(''));
        writeFileSync(join(dir, 'cluster.yaml'), cluster('c'));
        const store = await start();
        assert.deepEqual(store.stats, { parsed: 2, unchanged: 0, ownWrites: 0 });
        const errorsLogged = () => log.lines.filter((line) => line.level === 50).length;
        assert.equal(errorsLogged(), 2, 'both errors of web.yaml logged once');
        await store.resync();
        // The resync read both files (that is the proof it ran) and parsed neither.
        assert.deepEqual(store.stats, { parsed: 2, unchanged: 2, ownWrites: 0 });
        assert.equal(errorsLogged(), 2, 'nothing logged again');
        // An edit that keeps one error and adds another logs only the new one.
        writeFileSync(join(dir, 'web.yaml'), bad('  alsoBogus: 2\n'));
        await store.resync();
        assert.equal(store.stats.parsed, 3);
        assert.equal(errorsLogged(), 3);
        assert.match(log.lines.filter((line) => line.level === 50).at(-1).msg, /alsoBogus/);
    });
    test('FIFOs named as manifests are never opened and are reported once each, with their path', async () => {
        for (const name of ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'e.yaml'])
            execFileSync('mkfifo', [join(dir, name)]);
        writeFileSync(join(dir, 'cluster.yaml'), cluster('c'));
        const store = await start();
        assert.ok(store.get('Cluster', 'c'), 'the regular file beside them is read');
        await store.resync();
        await store.resync();
        const reports = linesAbout(/not a regular file \(a FIFO\); not read/);
        assert.deepEqual(reports.map((line) => line.file).sort(), ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'e.yaml']);
        // A file read after them still reads: no I/O thread is stuck on a FIFO.
        writeFileSync(join(dir, 'later.yaml'), cluster('later'));
        await store.resync();
        assert.ok(store.get('Cluster', 'later'));
    });
    test('a symlink that leads out of the directory is not read and is reported once; one inside is followed', async () => {
        writeFileSync(join(outside, 'secret.yaml'), cluster('from-outside'));
        symlinkSync(join(outside, 'secret.yaml'), join(dir, 'external.yaml'));
        // A config-map style layout: the real files in a dot directory, reached through ..data.
        mkdirSync(join(dir, '..2024_01'));
        writeFileSync(join(dir, '..2024_01', 'inside.yaml'), cluster('inside'));
        symlinkSync('..2024_01', join(dir, '..data'));
        symlinkSync(join('..data', 'inside.yaml'), join(dir, 'inside.yaml'));
        const store = await start();
        assert.ok(store.get('Cluster', 'inside'), 'the link inside the directory is followed');
        assert.equal(store.get('Cluster', 'from-outside'), undefined, 'the link out of it is not read');
        await store.resync();
        const reports = linesAbout(/outside the manifests directory; not read/);
        assert.equal(reports.length, 1);
        assert.equal(reports[0].file, 'external.yaml');
        assert.match(reports[0].msg, new RegExp(`resolves to ${outside}/secret\\.yaml`));
        // The ..data swap of a config map: the new content is served.
        mkdirSync(join(dir, '..2024_02'));
        writeFileSync(join(dir, '..2024_02', 'inside.yaml'), cluster('inside-v2'));
        symlinkSync('..2024_02', join(dir, '..data_tmp'));
        renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
        await store.resync();
        assert.ok(store.get('Cluster', 'inside-v2'));
        // The old document's removal is confirmed by a read of its own once its (here zero) settle period is over.
        for (let tries = 0; store.get('Cluster', 'inside') && tries < 100; tries++)
            await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(store.get('Cluster', 'inside'), undefined);
    });
    test('--follow-external-symlinks reads a link that leads out', async () => {
        writeFileSync(join(outside, 'shared.yaml'), cluster('shared'));
        symlinkSync(join(outside, 'shared.yaml'), join(dir, 'shared.yaml'));
        const store = await start({ followExternalSymlinks: true });
        assert.ok(store.get('Cluster', 'shared'));
        assert.deepEqual(linesAbout(/not read/), []);
    });
});
//# sourceMappingURL=store-files.test.js.map