import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifestText } from '../../controller/store/parse.js';
import { suggest, withSuggestionBudget } from '../../controller/store/validate.js';
const TASK_DEFINITION = `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: app
spec:
  containerDefinitions:
    - name: app
      image: berth/busybox:1
      memory: 64
`;
const messages = (text, file = 'bomb.yaml') => parseManifestText(file, text).errors.map((e) => `${e.line}: ${e.message}`);
describe('parse limits: hostile files cost bounded work and report a bounded number of errors', () => {
    test('thousands of schema errors in one document: the first 50 are reported, then "and N more"', () => {
        const result = parseManifestText('bomb.yaml', `${TASK_DEFINITION}      command: [${new Array(5000).fill('1').join(',')}]\n`);
        assert.equal(result.errors.length, 51);
        assert.ok(result.errors.slice(0, -1).every((e) => e.message === 'must be string' && e.line === 10), 'the reported errors are the real ones');
        assert.equal(result.errors.at(-1).message, 'and 4950 more errors in this document');
        assert.equal(result.errors.at(-1).kind, 'TaskDefinition');
    });
    test('errors of many documents: the file reports the first 100, then counts every error left out', () => {
        const document = (i) => `${TASK_DEFINITION.replace('name: app\n', `name: app${i}\n`)}      command: [${new Array(60).fill('1').join(',')}]\n`;
        const result = parseManifestText('bomb.yaml', [0, 1, 2].map(document).join('---\n'));
        // 3 documents × 60 errors: each document reports 50 and its own "and 10 more" (51 lines).
        // The file keeps 100 lines: all 51 of the first document and 49 errors of the second. Left
        // out: the second's 50th error and its "and 10 more", and the third's 60: 1 + 10 + 60.
        assert.equal(result.errors.length, 101);
        assert.equal(result.errors.at(-2).message, 'must be string');
        assert.equal(result.errors.at(-1).message, 'and 71 more errors in this file');
    });
    test('9,500 unknown keys: capped errors, and the ones reported still say "did you mean"', () => {
        const keys = Array.from({ length: 9500 }, (_, i) => `      memory${i}: 1`).join('\n');
        const result = parseManifestText('keys.yaml', `${TASK_DEFINITION}${keys}\n`);
        assert.equal(result.errors.length, 51);
        for (const error of result.errors.slice(0, 10))
            assert.match(error.message, /^unknown field "memory\d+" \(did you mean "memory"\?\)$/);
        assert.equal(result.errors.at(-1).message, 'and 9450 more errors in this document');
    });
    test('did-you-mean spends a bounded budget of comparisons, then suggests nothing', () => {
        const answers = withSuggestionBudget(3, () => Array.from({ length: 5 }, () => suggest('memroy', ['memory'])));
        assert.deepEqual(answers, ['memory', 'memory', 'memory', undefined, undefined]);
        // Outside a budget (and in the next one) suggestions work again.
        assert.equal(suggest('memroy', ['memory']), 'memory');
    });
    test('a duplicate key among thousands is still found, at its line', () => {
        const keys = Array.from({ length: 3000 }, (_, i) => `  k${i}: v`);
        keys.push('  k17: again');
        const result = parseManifestText('dup.yaml', `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: c\n  labels:\n${keys.join('\n')}\nspec: {}\n`);
        assert.deepEqual(result.errors.map((e) => `${e.line}: ${e.message}`), [`${5 + 3001}: duplicate key "k17": keys must be unique within a mapping`]);
    });
    test('more documents than the limit: one error naming the limit, nothing composed', () => {
        assert.deepEqual(messages('--- x\n'.repeat(174_000)), [
            '1001: the file holds more than 1000 documents; this limit guards against resource exhaustion (split it into several files)',
        ]);
    });
    test('exactly the document limit is accepted', () => {
        const documents = Array.from({ length: 1000 }, (_, i) => `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: c${i}\nspec: {}\n`);
        const result = parseManifestText('many.yaml', documents.join('---\n'));
        assert.deepEqual(result.errors, []);
        assert.equal(result.documents.length, 1000);
    });
    test('more values than the limit, in YAML and in JSON: one error naming the limit', () => {
        const count = 50_010;
        assert.deepEqual(messages(`${TASK_DEFINITION}      command: [${new Array(count).fill('1').join(',')}]\n`), [
            '10: the file holds more than 50000 keys, values and list items; this limit guards against resource exhaustion',
        ]);
        assert.deepEqual(messages(`[${new Array(count).fill('[]').join(',')}]`, 'bomb.json'), [
            '1: the file holds more than 50000 values; this limit guards against resource exhaustion',
        ]);
        // Empty list items are nodes too.
        assert.match(messages(`a:\n${'-\n'.repeat(count)}`)[0], /more than 50000 keys, values and list items/);
    });
});
//# sourceMappingURL=parse-limits.test.js.map