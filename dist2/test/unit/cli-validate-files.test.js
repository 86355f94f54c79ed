import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
const BERTH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'berth.js');
const CLUSTER = 'apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: c\nspec: {}\n';
/** `berth validate` never opens a FIFO (it would block for ever) and never crashes on what a file holds. */
describe('berth validate on hostile files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-validate-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const validate = (...paths) => spawnSync(process.execPath, [BERTH, 'validate', ...paths], { encoding: 'utf8', timeout: 30_000 });
    test('a file of 174,000 documents: exit 1 with the limit named, no crash', () => {
        const file = join(dir, 'documents.yaml');
        writeFileSync(file, '--- x\n'.repeat(174_000));
        const result = validate(file);
        assert.equal(result.status, 1, result.stderr);
        assert.match(result.stderr, /documents\.yaml:1001:1: the file holds more than 1000 documents/);
        assert.doesNotMatch(result.stderr, /Maximum call stack|\n\s+at /);
        rmSync(file);
    });
    test('a FIFO named as a manifest, given as a file and inside a directory: reported, not opened', () => {
        const fifoDir = join(dir, 'with-fifo');
        execFileSync('mkdir', [fifoDir]);
        writeFileSync(join(fifoDir, 'cluster.yaml'), CLUSTER);
        const fifo = join(fifoDir, 'x.yaml');
        execFileSync('mkfifo', [fifo]);
        const single = validate(fifo);
        assert.equal(single.status, 1, single.stderr);
        assert.match(single.stderr, /x\.yaml:1:1: not a regular file \(a FIFO\); not read/);
        assert.doesNotMatch(single.stderr, /ENOTDIR/);
        const whole = validate(fifoDir);
        assert.equal(whole.status, 1, whole.stderr);
        assert.match(whole.stderr, /with-fifo\/x\.yaml:1:1: not a regular file \(a FIFO\); not read/);
    });
});
//# sourceMappingURL=cli-validate-files.test.js.map