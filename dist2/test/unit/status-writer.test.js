import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, ftruncateSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../controller/log.js';
import { StatusWriteError, readStatus, replaceStatus } from '../../controller/status/document.js';
import { StatusWriter, readStatusFrom, statusFilePath } from '../../controller/status/writer.js';
const MANIFEST = [
    '# web: edited by hand and by the controller at once',
    'apiVersion: berth/v1',
    'kind: Service',
    'metadata:',
    "  name: 'web'  # quoted on purpose",
    '# what the controller saw',
    'status:',
    '  observed: 0',
    '# what I want',
    'spec:',
    '  desiredCount: 2',
    '  # edit 0',
    '  editCounter: 0',
    '  # keep this comment',
    '',
].join('\n');
const web = { kind: 'Service', name: 'web' };
let dir;
beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-status-'));
});
afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
});
function manifest(name, text) {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
}
function newWriter(options = {}) {
    return new StatusWriter({ logger: silentLogger, manifestsDir: dir, coalesceMs: options.coalesceMs ?? 10, ...options });
}
function tempFilesLeft() {
    return readdirSync(dir).filter((name) => name.endsWith('.berth-tmp'));
}
/** Sets a file's times into the past, so a rewrite would show in mtime even on coarse clocks. */
function age(file) {
    utimesSync(file, new Date(2020, 0, 1), new Date(2020, 0, 1));
}
describe('StatusWriter: into the manifest', () => {
    test('an unchanged status leaves the file alone: same bytes, mtime and inode', async () => {
        const file = manifest('web.yaml', MANIFEST);
        age(file);
        const before = statSync(file);
        const writer = newWriter();
        assert.equal(await writer.write({ file: 'web.yaml', ...web }, { observed: 0 }), 'unchanged');
        const after = statSync(file);
        assert.equal(readFileSync(file, 'utf8'), MANIFEST);
        assert.equal(after.mtimeMs, before.mtimeMs);
        assert.equal(after.ino, before.ino);
        assert.equal(writer.stats.renames, 0);
    });
    test('the same status is written again after a save that put the old one back, even with the same size and mtime', async () => {
        const file = manifest('web.yaml', MANIFEST);
        age(file);
        // The clock stands just after each modification of the file, as it does on an idle
        // machine: our write is recent when it is remembered, however long the machine takes.
        const writer = newWriter({ now: () => statSync(file).mtimeMs + 1 });
        assert.equal(await writer.write({ file, ...web }, { observed: 1 }), 'written');
        // A save in place within the same tick of the file clock: same inode, size and mtime.
        const written = statSync(file);
        writeFileSync(file, MANIFEST);
        utimesSync(file, written.atime, (Math.trunc(written.mtimeMs) + 0.5) / 1000);
        assert.equal(Math.trunc(statSync(file).mtimeMs), Math.trunc(written.mtimeMs));
        assert.equal(statSync(file).size, written.size);
        assert.equal(await writer.write({ file, ...web }, { observed: 1 }), 'written');
        assert.deepEqual(readStatus(readFileSync(file, 'utf8'), web), { observed: 1 });
    });
    test('an equal status on a file untouched since it was last seen is answered without reading it, and an edit is still seen', async () => {
        const file = manifest('web.yaml', MANIFEST);
        age(file);
        const writer = newWriter();
        assert.equal(await writer.write({ file, ...web }, { observed: 0 }), 'unchanged');
        assert.equal(await writer.write({ file, ...web }, { observed: 0 }), 'unchanged');
        // A person's edit of the status, saved in place a moment later: seen, and the status put back.
        writeFileSync(file, replaceStatus(MANIFEST, web, { observed: 7 }));
        assert.equal(await writer.write({ file, ...web }, { observed: 0 }), 'written');
        assert.deepEqual(readStatus(readFileSync(file, 'utf8'), web), { observed: 0 });
    });
    test('a changed status replaces only the status block, atomically, keeping the mode', async () => {
        const file = manifest('web.yaml', MANIFEST);
        chmodSync(file, 0o640);
        const inode = statSync(file).ino;
        const writer = newWriter();
        const status = { observed: 7, conditions: [{ type: 'Ready', status: 'True', reason: 'Steady', message: 'has reached a steady state.' }] };
        assert.equal(await writer.write({ file, ...web }, status), 'written');
        const text = readFileSync(file, 'utf8');
        assert.equal(text, replaceStatus(MANIFEST, web, status));
        assert.ok(text.startsWith(MANIFEST.slice(0, MANIFEST.indexOf('status:'))), 'everything above the status block is untouched');
        assert.ok(text.endsWith(MANIFEST.slice(MANIFEST.indexOf('# what I want'))), 'everything below it too');
        assert.notEqual(statSync(file).ino, inode, 'replaced by a rename, not rewritten in place');
        assert.equal(statSync(file).mode & 0o777, 0o640);
        assert.deepEqual(tempFilesLeft(), []);
    });
    test('two documents of one file written in the same window: one rename, both statuses', async () => {
        const text = [MANIFEST, '---', 'apiVersion: berth/v1', 'kind: Service', 'metadata:', '  name: api', 'spec: {}', ''].join('\n');
        const file = manifest('shop.yaml', text);
        let renames = 0;
        const writer = newWriter({ coalesceMs: 30, hooks: { afterRename: () => renames++ } });
        const results = await Promise.all([
            writer.write({ file, ...web }, { observed: 1 }),
            writer.write({ file, kind: 'Service', name: 'api' }, { observed: 2 }),
        ]);
        assert.deepEqual(results, ['written', 'written']);
        assert.equal(renames, 1);
        const after = readFileSync(file, 'utf8');
        assert.deepEqual(readStatus(after, web), { observed: 1 });
        assert.deepEqual(readStatus(after, { kind: 'Service', name: 'api' }), { observed: 2 });
    });
    test('one document written twice in a window: the later status wins and both callers hear the outcome', async () => {
        const file = manifest('web.yaml', MANIFEST);
        const writer = newWriter({ coalesceMs: 30 });
        const results = await Promise.all([writer.write({ file, ...web }, { observed: 1 }), writer.write({ file, ...web }, { observed: 2 })]);
        assert.deepEqual(results, ['written', 'written']);
        assert.equal(writer.stats.renames, 1);
        assert.deepEqual(readStatus(readFileSync(file, 'utf8'), web), { observed: 2 });
    });
    test('different files are written independently', async () => {
        const a = manifest('a.yaml', MANIFEST);
        const b = manifest('b.yaml', 'this: [does not parse\n');
        const writer = newWriter();
        const [first, second] = await Promise.allSettled([writer.write({ file: a, ...web }, { observed: 3 }), writer.write({ file: b, ...web }, { observed: 3 })]);
        assert.deepEqual(first, { status: 'fulfilled', value: 'written' });
        assert.equal(second?.status, 'rejected');
    });
    test("'gone' when the file or the document no longer exists, and nothing is written", async () => {
        const writer = newWriter();
        assert.equal(await writer.write({ file: 'missing.yaml', ...web }, { observed: 1 }), 'gone');
        const file = manifest('other.yaml', MANIFEST.replace("'web'", 'api'));
        age(file);
        const before = statSync(file);
        assert.equal(await writer.write({ file, ...web }, { observed: 1 }), 'gone');
        assert.equal(statSync(file).mtimeMs, before.mtimeMs);
        assert.deepEqual(readdirSync(dir), ['other.yaml']);
    });
    test('a file that does not parse is left untouched and the write rejects with StatusWriteError', async () => {
        const broken = MANIFEST.replace('desiredCount: 2', 'desiredCount: [2');
        const file = manifest('web.yaml', broken);
        const writer = newWriter();
        await assert.rejects(writer.write({ file, ...web }, { observed: 1 }), (error) => error instanceof StatusWriteError && error.reason === 'parse-error');
        assert.equal(readFileSync(file, 'utf8'), broken);
        assert.deepEqual(tempFilesLeft(), []);
    });
    test('writes through a symlink and keeps the link', async () => {
        mkdirSync(join(dir, 'real'));
        const real = join(dir, 'real', 'web.yaml');
        writeFileSync(real, MANIFEST);
        symlinkSync(real, join(dir, 'web.yaml'));
        const writer = newWriter();
        assert.equal(await writer.write({ file: 'web.yaml', ...web }, { observed: 5 }), 'written');
        assert.ok(lstatSync(join(dir, 'web.yaml')).isSymbolicLink());
        assert.deepEqual(readStatus(readFileSync(real, 'utf8'), web), { observed: 5 });
    });
    test('refuses writes after close(); flush() waits for the ones already requested', async () => {
        const file = manifest('web.yaml', MANIFEST);
        const writer = newWriter({ coalesceMs: 1000 });
        const pending = writer.write({ file, ...web }, { observed: 9 });
        await writer.flush();
        assert.equal(await pending, 'written');
        writer.close();
        await assert.rejects(writer.write({ file, ...web }, { observed: 10 }), StatusWriteError);
    });
});
describe('StatusWriter: concurrent edits, staged at the exact moments that matter', () => {
    const USER_EDIT = (text) => text.replace('desiredCount: 2', 'desiredCount: 5');
    test('an edit made after the read and before the check: the write starts over from the new content', async () => {
        const file = manifest('web.yaml', MANIFEST);
        let edited = false;
        const writer = newWriter({
            hooks: {
                beforeCheck: () => {
                    if (edited)
                        return;
                    edited = true;
                    writeFileSync(file, USER_EDIT(readFileSync(file, 'utf8')));
                },
            },
        });
        assert.equal(await writer.write({ file, ...web }, { observed: 1 }), 'written');
        assert.equal(readFileSync(file, 'utf8'), replaceStatus(USER_EDIT(MANIFEST), web, { observed: 1 }));
        assert.equal(writer.stats.conflicts, 1);
        assert.equal(writer.stats.renames, 1);
    });
    test('an in-place save that opened the file between the check and the rename is rescued from the replaced inode', async () => {
        const file = manifest('web.yaml', MANIFEST);
        let editor;
        const writer = newWriter({
            hooks: {
                beforeRename: (path) => {
                    if (editor === undefined)
                        editor = openSync(path, 'w'); // O_TRUNC on the inode about to be replaced
                },
                afterRename: () => {
                    if (editor === undefined || editor < 0)
                        return;
                    writeSync(editor, USER_EDIT(MANIFEST)); // ...and its write lands after our rename
                    closeSync(editor);
                    editor = -1;
                },
            },
        });
        assert.equal(await writer.write({ file, ...web }, { observed: 1 }), 'written');
        assert.equal(readFileSync(file, 'utf8'), replaceStatus(USER_EDIT(MANIFEST), web, { observed: 1 }));
        assert.equal(writer.stats.reapplied, 1);
        assert.equal(writer.stats.restored, 1, "the user's inode was renamed back into place");
        assert.equal(writer.stats.renames, 2);
        assert.deepEqual(tempFilesLeft(), []);
    });
    test('without a hard-linked backup (a file system without hard links) the late save is rescued by content', async () => {
        const file = manifest('web.yaml', MANIFEST);
        let editor;
        const writer = newWriter({
            hooks: {
                beforeRename: (path) => {
                    if (editor !== undefined)
                        return;
                    const ino = statSync(path).ino;
                    for (const name of tempFilesLeft())
                        if (statSync(join(dir, name)).ino === ino)
                            rmSync(join(dir, name)); // no backup
                    editor = openSync(path, 'w');
                },
                afterRename: () => {
                    if (editor === undefined || editor < 0)
                        return;
                    writeSync(editor, USER_EDIT(MANIFEST));
                    closeSync(editor);
                    editor = -1;
                },
            },
        });
        assert.equal(await writer.write({ file, ...web }, { observed: 1 }), 'written');
        assert.equal(readFileSync(file, 'utf8'), replaceStatus(USER_EDIT(MANIFEST), web, { observed: 1 }));
        assert.equal(writer.stats.reapplied, 1);
        assert.equal(writer.stats.restored, 0);
    });
    test('a save into the replaced inode that lands during the grace period is rescued too', async () => {
        const file = manifest('web.yaml', MANIFEST);
        let editor;
        const writer = newWriter({
            hooks: {
                beforeCheck: (path) => {
                    if (editor !== undefined)
                        return;
                    // An editor holding the file open without truncating it, from before our check...
                    editor = openSync(path, 'r+');
                },
                // ...which saves once our rename is done: inside the grace period whatever the load
                // (a timer of a few ms could fire after the period on a busy machine).
                afterRename: () => {
                    if (editor === undefined || editor < 0)
                        return;
                    ftruncateSync(editor, 0);
                    writeSync(editor, USER_EDIT(MANIFEST), 0);
                    closeSync(editor);
                    editor = -1;
                },
            },
        });
        assert.equal(await writer.write({ file, ...web }, { observed: 1 }), 'written');
        assert.equal(readFileSync(file, 'utf8'), replaceStatus(USER_EDIT(MANIFEST), web, { observed: 1 }));
        assert.equal(writer.stats.reapplied, 1);
    });
    test('a save based on the file before our rename, landing after it, keeps its edit and gets the status back', async () => {
        const file = manifest('web.yaml', MANIFEST);
        let saved = false;
        const writer = newWriter({
            hooks: {
                afterRename: (path) => {
                    if (saved)
                        return;
                    saved = true;
                    writeFileSync(path, USER_EDIT(MANIFEST)); // read before our write, saved in place after it
                },
            },
        });
        assert.equal(await writer.write({ file, ...web }, { observed: 1 }), 'written');
        assert.equal(readFileSync(file, 'utf8'), replaceStatus(USER_EDIT(MANIFEST), web, { observed: 1 }));
        assert.equal(writer.stats.reapplied, 1);
    });
    test('after too many conflicts in a row the write is requeued, then completes', async () => {
        const file = manifest('web.yaml', MANIFEST);
        let edits = 0;
        const writer = newWriter({
            hooks: {
                beforeCheck: () => {
                    if (edits >= 13)
                        return;
                    edits++;
                    writeFileSync(file, readFileSync(file, 'utf8').replace(/editCounter: \d+/, `editCounter: ${edits}`));
                },
            },
        });
        assert.equal(await writer.write({ file, ...web }, { observed: 1 }), 'written');
        assert.equal(writer.stats.requeued, 1);
        const text = readFileSync(file, 'utf8');
        assert.match(text, /editCounter: 13/);
        assert.deepEqual(readStatus(text, web), { observed: 1 });
    });
    test('the documented residual window: an atomic save renamed in between the check and our rename is lost', async () => {
        // This pins the one limitation described in writer.ts. If it ever starts
        // failing, the window was closed (renameat2 with RENAME_EXCHANGE): update the comment.
        const file = manifest('web.yaml', MANIFEST);
        let saved = false;
        const writer = newWriter({
            hooks: {
                beforeRename: (path) => {
                    if (saved)
                        return;
                    saved = true;
                    writeFileSync(`${path}.swap`, USER_EDIT(MANIFEST));
                    renameSync(`${path}.swap`, path);
                },
            },
        });
        assert.equal(await writer.write({ file, ...web }, { observed: 1 }), 'written');
        const text = readFileSync(file, 'utf8');
        assert.match(text, /desiredCount: 2/, 'the atomic save in the window was replaced');
        assert.equal(writer.stats.reapplied, 0);
    });
});
describe('StatusWriter: separate status directory', () => {
    test('writes <statusDir>/<Kind>/<name>.yaml and never touches the manifest', async () => {
        const file = manifest('web.yaml', MANIFEST);
        age(file);
        const before = statSync(file);
        const statusDir = join(dir, 'status');
        const writer = newWriter({ statusDir });
        assert.equal(await writer.write({ file, ...web }, { observed: 3 }), 'written');
        assert.equal(readFileSync(statusFilePath(statusDir, 'Service', 'web'), 'utf8'), ['apiVersion: berth/v1', 'kind: Service', 'metadata:', '  name: web', 'status:', '  observed: 3', ''].join('\n'));
        assert.deepEqual(readStatusFrom(statusDir, 'Service', 'web'), { observed: 3 });
        assert.equal(readFileSync(file, 'utf8'), MANIFEST);
        assert.equal(statSync(file).mtimeMs, before.mtimeMs);
        assert.deepEqual(readdirSync(join(statusDir, 'Service')), ['web.yaml']);
    });
    test('an unchanged status is not written again', async () => {
        manifest('web.yaml', MANIFEST);
        const statusDir = join(dir, 'status');
        const writer = newWriter({ statusDir });
        await writer.write({ file: 'web.yaml', ...web }, { observed: 3 });
        const path = statusFilePath(statusDir, 'Service', 'web');
        age(path);
        const before = statSync(path);
        assert.equal(await writer.write({ file: 'web.yaml', ...web }, { observed: 3 }), 'unchanged');
        assert.equal(statSync(path).mtimeMs, before.mtimeMs);
        assert.equal(statSync(path).ino, before.ino);
    });
    test("'gone' when the manifest no longer holds the document; a manifest mid-edit still gets its status", async () => {
        const statusDir = join(dir, 'status');
        const writer = newWriter({ statusDir });
        assert.equal(await writer.write({ file: 'missing.yaml', ...web }, { observed: 1 }), 'gone');
        manifest('broken.yaml', 'kind: Service\nmetadata: {name: web\n');
        assert.equal(await writer.write({ file: 'broken.yaml', ...web }, { observed: 1 }), 'written');
        assert.equal(readStatusFrom(statusDir, 'Service', 'nothing'), undefined);
    });
    test('names that are not plain file names are refused', async () => {
        const writer = newWriter({ statusDir: join(dir, 'status') });
        await assert.rejects(writer.write({ file: 'web.yaml', kind: 'Service', name: '../escape' }, {}), StatusWriteError);
        assert.throws(() => statusFilePath(dir, '..', 'web'), StatusWriteError);
    });
});
// ---------------------------------------------------------------------------
// The race: a person saving every 1-3 ms while the controller writes status every few ms.
const EDITOR = fileURLToPath(new URL('../fixtures/status-race-editor.js', import.meta.url));
/**
 * The editor makes at least 400 edits and goes on until the writer has
 * replaced the file this many times while it was being edited, so that the
 * race is really run even on a loaded machine (where the writer, whose every
 * attempt includes an fsync, wins few of the gaps between edits).
 */
const RENAMES_WANTED = 12;
const RACE_DEADLINE_MS = 45_000;
async function race(save) {
    const file = manifest('web.yaml', MANIFEST);
    const stopFile = join(dir, 'stop-editing');
    const windows = [];
    let checkStarted = 0n;
    const writer = newWriter({
        coalesceMs: 2,
        hooks: {
            beforeCheck: () => {
                checkStarted = process.hrtime.bigint();
            },
            afterRename: () => {
                windows.push([checkStarted, process.hrtime.bigint()]);
            },
        },
    });
    const options = { file, save, minEdits: 400, maxEdits: 50_000, stopFile, minDelayMs: 1, maxDelayMs: 3 };
    const child = spawn(process.execPath, [EDITOR, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk.toString()));
    let running = true;
    let editorDone = 0n;
    const exited = new Promise((done) => child.on('exit', (code) => done(code)));
    void exited.then(() => {
        running = false;
        editorDone = process.hrtime.bigint();
    });
    const pending = [];
    let lastStatus = {};
    const deadline = Date.now() + RACE_DEADLINE_MS;
    for (let n = 1; running; n++) {
        if ((windows.length >= RENAMES_WANTED || Date.now() > deadline) && !existsSync(stopFile))
            writeFileSync(stopFile, '');
        lastStatus = { observed: n, conditions: [{ type: 'Ready', status: 'True', reason: 'Steady', message: `status write ${n}` }] };
        pending.push(writer.write({ file, ...web }, lastStatus));
        await new Promise((done) => setTimeout(done, 2 + Math.random() * 3));
    }
    assert.equal(await exited, 0, 'the editor process failed');
    await writer.flush();
    const renamesDuringEdits = windows.filter(([, renamed]) => renamed < editorDone).length;
    return { report: JSON.parse(stdout), writes: pending.length, lastStatus, results: await Promise.all(pending), stats: { ...writer.stats }, windows, renamesDuringEdits, file };
}
function assertFinalFile(outcome) {
    const text = readFileSync(outcome.file, 'utf8');
    const edits = outcome.report.edits;
    assert.ok(edits >= 400);
    assert.match(text, new RegExp(`\\n  # edit ${edits}\\n  editCounter: ${edits}\\n`), "the editor's last edit is there, in the field and in its comment");
    for (const comment of ['# web: edited by hand and by the controller at once', "  name: 'web'  # quoted on purpose", '# what the controller saw', '# what I want', '  # keep this comment']) {
        assert.ok(text.includes(comment), `comment kept: ${comment}`);
    }
    assert.deepEqual(readStatus(text, web), outcome.lastStatus, 'the last status written is the one in the file');
    assert.equal(text, replaceStatus(MANIFEST.replace('# edit 0\n  editCounter: 0', `# edit ${edits}\n  editCounter: ${edits}`), web, outcome.lastStatus));
    assert.deepEqual(tempFilesLeft(), []);
}
/** A race in which the writer never got a word in would prove nothing. */
function assertContended(outcome) {
    assert.ok(outcome.renamesDuringEdits >= RENAMES_WANTED, `the writer replaced the file while it was being edited (${outcome.renamesDuringEdits} times)`);
    assert.ok(outcome.stats.conflicts > 0, 'the edits got in the way of the writer');
    const tally = outcome.results.reduce((counts, result) => ({ ...counts, [result]: (counts[result] ?? 0) + 1 }), {});
    assert.ok(outcome.results.every((result) => result === 'written' || result === 'unchanged'), `every status write ends written or unchanged: ${JSON.stringify(tally)}`);
}
function describeOutcome(save, outcome) {
    const { stats, report } = outcome;
    return (`${save} saves: ${report.edits} edits, ${report.lost} lost; ${outcome.writes} status writes requested, ` +
        `${stats.renames} renames (${outcome.renamesDuringEdits} while editing), ${stats.conflicts} compare-and-swap conflicts, ` +
        `${stats.reapplied} re-applied after a concurrent edit (${stats.restored} by putting the user's inode back), ${stats.requeued} requeued`);
}
describe('StatusWriter: races with a person editing the same file', () => {
    test('in-place saves (fs.writeFileSync) every 1-3 ms: no edit is lost', { timeout: 120_000 }, async (t) => {
        const outcome = await race('in-place');
        t.diagnostic(describeOutcome('in-place', outcome));
        assert.deepEqual(outcome.report.lostEdits, []);
        assertContended(outcome);
        assertFinalFile(outcome);
    });
    test('atomic saves (temp file + rename) every 1-3 ms: no edit is lost outside the documented window', { timeout: 120_000 }, async (t) => {
        const outcome = await race('atomic');
        t.diagnostic(describeOutcome('atomic', outcome));
        // An edit lost here is acceptable only when its rename overlapped one of our
        // check-to-rename windows: the residual window described in writer.ts (and
        // shown deterministically by "the documented residual window" test above).
        const unexplained = outcome.report.lostEdits.filter((lost) => {
            const from = BigInt(lost.savedFrom);
            const to = BigInt(lost.savedTo);
            return !outcome.windows.some(([checkStart, renameDone]) => from <= renameDone && to >= checkStart);
        });
        for (const lost of outcome.report.lostEdits)
            t.diagnostic(`edit ${lost.edit} lost in the residual window (found ${lost.found})`);
        assert.deepEqual(unexplained, []);
        assertContended(outcome);
        assertFinalFile(outcome);
    });
});
//# sourceMappingURL=status-writer.test.js.map