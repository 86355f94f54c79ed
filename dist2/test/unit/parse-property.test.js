/**
 * Properties of parseManifestText over generated input: whatever a file holds, parsing
 * returns (never throws), every error has a position inside the file, whatever it accepts
 * re-validates, and long values never leak into messages.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatManifestError, parseManifestText } from '../../controller/store/parse.js';
import { validateManifest } from '../../controller/store/validate.js';
/** Pieces of YAML, valid and broken, that together reach most of the parser's paths. */
const FRAGMENTS = [
    'apiVersion: berth/v1\n',
    'kind: Service\n',
    'kind: TaskDefinition\n',
    'kind: Cluster\n',
    'metadata:\n  name: web\n',
    'metadata: {name: web}\n',
    'spec:\n',
    '  taskDefinition: web\n',
    '  desiredCount: 2\n',
    '  containerDefinitions:\n    - name: app\n      image: busybox\n',
    '      essential: false\n',
    '      memory: 6\n      memoryReservation: 7\n',
    'spec: {}\n',
    'status: {x: 1}\n',
    '---\n',
    '...\n',
    '# comment\n',
    '%YAML 1.1\n',
    '&a ',
    '*a',
    '*b',
    '!tag ',
    '!!binary ',
    '<<: *a\n',
    '? ',
    ': ',
    '- ',
    '  ',
    '\t',
    '\n',
    '"',
    "'",
    '{',
    '}',
    '[',
    ']',
    ',',
    '|\n',
    '>-\n',
    'x',
    '0x1F',
    '.inf',
    '~',
    '\\u00e9',
    '\ufeff',
    '\r\n',
];
const yamlish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join(''));
const jsonish = fc.json({ maxDepth: 6 }).chain((json) => fc.nat({ max: json.length }).map((cut) => [json, json.slice(0, cut), json.slice(cut) + json.slice(0, cut)]));
const fileName = fc.constantFrom('m.yaml', 'm.yml', 'm.json', 'M.JSON', 'stdin');
function checkResult(text, result) {
    const lines = text.split('\n').length;
    for (const error of result.errors) {
        assert.ok(Number.isInteger(error.line) && error.line >= 1 && error.line <= lines, `line ${error.line} of ${lines}`);
        assert.ok(Number.isInteger(error.column) && error.column >= 1, `column ${error.column}`);
        assert.ok(error.message.length > 0);
        assert.equal(typeof formatManifestError(error), 'string');
    }
    for (const document of result.documents) {
        assert.equal(validateManifest(document.manifest).ok, true);
        assert.match(document.specHash, /^[0-9a-f]{16}$/);
    }
}
describe('parseManifestText never throws', () => {
    test('on arbitrary strings', () => {
        fc.assert(fc.property(fileName, fc.string({ unit: 'binary', maxLength: 400 }), (file, text) => {
            checkResult(text, parseManifestText(file, text));
        }), { numRuns: 500 });
    });
    test('on YAML-ish text', () => {
        fc.assert(fc.property(fileName, yamlish, (file, text) => {
            checkResult(text, parseManifestText(file, text));
        }), { numRuns: 1000 });
    });
    test('on JSON, cut and rotated', () => {
        fc.assert(fc.property(fileName, jsonish, (file, texts) => {
            for (const text of texts)
                checkResult(text, parseManifestText(file, text));
        }), { numRuns: 300 });
    });
});
describe('long values never reach a message', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{41,64}$/);
    const templates = [
        (s) => `apiVersion: berth/v1\nkind: ${s}\nmetadata: {name: web}\nspec: {}\n`,
        (s) => `apiVersion: ${s}\nkind: Cluster\nmetadata: {name: web}\nspec: {}\n`,
        (s) => `apiVersion: berth/v1\nkind: Service\nmetadata: {name: web}\nspec: {taskDefinition: web, desiredCount: ${s}}\n`,
        (s) => `apiVersion: berth/v1\nkind: Service\nmetadata: {name: web}\nspec: {taskDefinition: web, ${s}: 1}\n`,
        (s) => `apiVersion: berth/v1\nkind: Service\nmetadata: {name: web}\nspec:\n  taskDefinition: web\n    ${s}\n`,
        (s) => `apiVersion: berth/v1\nkind: Service\n- ${s}\n`,
        (s) => `{"apiVersion": "berth/v1", "kind": "${s}", "metadata": {"name": "web"}, "spec": {}}`,
        (s) => `{"apiVersion": "berth/v1", "${s}": 1}`,
        (s) => `{"apiVersion": "berth/v1", "kind": ${s}}`,
    ];
    test('whatever the value and wherever it is', () => {
        fc.assert(fc.property(secret, fc.nat({ max: templates.length - 1 }), fc.constantFrom('m.yaml', 'm.json'), (value, index, file) => {
            for (const error of parseManifestText(file, templates[index](value)).errors) {
                const line = formatManifestError(error);
                assert.ok(!line.includes(value.slice(0, 20)), line);
            }
        }), { numRuns: 300 });
    });
});
//# sourceMappingURL=parse-property.test.js.map