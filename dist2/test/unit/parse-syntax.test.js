/**
 * Reading files: YAML and JSON syntax errors and the safety limits, each reported as
 * file:line:column. Every row gives the whole file and the exact formatted errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatManifestError, parseManifestText, PARSE_LIMITS } from '../../controller/store/parse.js';
function formattedErrors(file, text) {
    return parseManifestText(file, text).errors.map(formatManifestError);
}
/** `[[[…]]]` with `depth` levels. */
const brackets = (depth) => '['.repeat(depth) + ']'.repeat(depth);
/** A block mapping `depth` levels deep, one key per line, two spaces per level. */
function blockNesting(depth) {
    return Array.from({ length: depth }, (_, level) => `${'  '.repeat(level)}k${level}:`).join('\n') + ' leaf\n';
}
/** Billion laughs in small: every level multiplies by ten. */
const ALIAS_BOMB = `apiVersion: berth/v1
kind: Service
metadata: {name: web}
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
spec: *d
`;
const rows = [
    {
        name: 'a key indented deeper than its sibling',
        file: 'web.yaml',
        text: `apiVersion: berth/v1
kind: Service
metadata:
  name: web
spec:
  taskDefinition: web
   desiredCount: 2
`,
        errors: ['web.yaml:6:19: Service/web: Nested mappings are not allowed in compact mappings'],
    },
    {
        name: 'a key indented less than its sibling',
        file: 'web.yaml',
        text: `apiVersion: berth/v1
kind: Service
metadata:
  name: web
spec:
  taskDefinition: web
 desiredCount: 2
`,
        errors: ['web.yaml:7:1: Service/web: All mapping items must start at the same column'],
    },
    {
        name: 'tab characters as indentation',
        file: 'web.yaml',
        text: `apiVersion: berth/v1
kind: Service
metadata:
\tname: web
`,
        errors: ['web.yaml:4:1: Service: tab characters are not allowed as indentation in YAML; indent with spaces'],
    },
    {
        name: 'duplicate key in YAML',
        file: 'web.yaml',
        text: `apiVersion: berth/v1
kind: Service
metadata:
  name: web
spec:
  taskDefinition: web
  desiredCount: 2
  desiredCount: 3
`,
        errors: ['web.yaml:8:3: Service/web: duplicate key "desiredCount": keys must be unique within a mapping'],
    },
    {
        name: 'duplicate key in JSON',
        file: 'web.json',
        text: '{\n  "apiVersion": "berth/v1",\n  "kind": "Service",\n  "kind": "Cluster"\n}\n',
        errors: ['web.json:4:3: duplicate key "kind": keys must be unique within an object'],
    },
    {
        name: 'unterminated quoted string in YAML',
        file: 'web.yaml',
        text: 'apiVersion: berth/v1\nkind: "Service\n',
        errors: ['web.yaml:3:1: Service: Missing closing "quote'],
    },
    {
        name: 'custom tag',
        file: 'web.yaml',
        text: 'apiVersion: berth/v1\nkind: Service\nmetadata: {name: web}\nspec: !include other.yaml\n',
        errors: ['web.yaml:4:7: Service/web: unsupported tag "!include" (custom and non-core tags are not allowed in manifests)'],
    },
    {
        name: 'YAML 1.1 tag outside the core schema',
        file: 'web.yaml',
        text: 'apiVersion: berth/v1\nkind: Service\nmetadata: {name: web}\nspec: !!binary aGVsbG8=\n',
        errors: [
            'web.yaml:4:7: Service/web: unsupported tag "tag:yaml.org,2002:binary" (custom and non-core tags are not allowed in manifests)',
        ],
    },
    {
        name: 'alias bomb (billion laughs)',
        file: 'bomb.yaml',
        text: ALIAS_BOMB,
        errors: [
            'bomb.yaml:5:8: aliases expand to too many nodes (more than 100); this limit guards against resource exhaustion',
        ],
    },
    {
        name: 'an alias inside the node it names',
        file: 'loop.yaml',
        text: 'apiVersion: berth/v1\nkind: Service\nmetadata: {name: web}\nspec: &s {again: *s}\n',
        errors: ['loop.yaml:4:18: an alias may not refer to a node that contains it'],
    },
    {
        name: 'flow nesting deeper than the limit (YAML)',
        file: 'deep.yaml',
        text: `spec: ${brackets(PARSE_LIMITS.maxDepth + 1)}\n`,
        // the 65th "[" starts after "spec: " (6 characters) and 64 others
        errors: [`deep.yaml:1:${6 + PARSE_LIMITS.maxDepth + 1}: nesting is deeper than 64 levels`],
    },
    {
        name: 'block nesting deeper than the limit (YAML)',
        file: 'deep.yaml',
        text: blockNesting(PARSE_LIMITS.maxDepth + 1),
        // the 65th mapping is the one on line 65, indented by 2 × 64 spaces
        errors: [`deep.yaml:${PARSE_LIMITS.maxDepth + 1}:${2 * PARSE_LIMITS.maxDepth + 1}: nesting is deeper than 64 levels`],
    },
    {
        name: 'nesting deeper than the limit (JSON)',
        file: 'deep.json',
        text: `{"spec": ${brackets(PARSE_LIMITS.maxDepth)}}`,
        errors: [`deep.json:1:${10 + PARSE_LIMITS.maxDepth - 1}: nesting is deeper than 64 levels`],
    },
    {
        name: 'file larger than 1 MiB',
        file: 'big.yaml',
        text: `# ${'x'.repeat(PARSE_LIMITS.maxFileBytes)}\n`,
        errors: ['big.yaml:1:1: file is too large (1048579 bytes; the limit is 1048576 bytes, 1 MiB)'],
    },
    {
        name: 'file larger than 1 MiB in UTF-8 though shorter in characters',
        file: 'big.yaml',
        text: `# ${'€'.repeat(400_000)}\n`,
        errors: ['big.yaml:1:1: file is too large (1200003 bytes; the limit is 1048576 bytes, 1 MiB)'],
    },
    {
        name: 'JSON: trailing comma',
        file: 'web.json',
        text: '{\n  "apiVersion": "berth/v1",\n}\n',
        errors: ['web.json:3:1: trailing commas are not allowed in JSON'],
    },
    {
        name: 'JSON: comment',
        file: 'web.json',
        text: '{\n  // the web service\n  "kind": "Service"\n}\n',
        errors: ['web.json:2:3: unexpected character "/", expected a double-quoted property name'],
    },
    {
        name: 'JSON: single-quoted string',
        file: 'web.json',
        text: "{\"kind\": 'Service'}",
        errors: ['web.json:1:10: unexpected character "\'", expected a value'],
    },
    {
        name: 'JSON: missing comma',
        file: 'web.json',
        text: '{\n  "apiVersion": "berth/v1"\n  "kind": "Service"\n}\n',
        errors: ['web.json:3:3: unexpected character "\\"", expected \',\' or \'}\' after a property value'],
    },
    {
        name: 'JSON: unterminated string',
        file: 'web.json',
        text: '{\n  "kind": "Service\n}\n',
        errors: ['web.json:2:11: unterminated string (a line break inside a string must be written \\n)'],
    },
    {
        name: 'JSON: two documents',
        file: 'web.json',
        text: '{"kind": "Service"}\n{"kind": "Cluster"}\n',
        errors: ['web.json:2:1: unexpected character "{" after the end of the JSON document'],
    },
    {
        name: 'JSON: truncated',
        file: 'web.json',
        text: '{"kind": "Service", "metadata": {',
        errors: ['web.json:1:34: unexpected end of file, expected a double-quoted property name'],
    },
    { name: 'empty YAML file', file: 'empty.yaml', text: '', errors: [] },
    { name: 'YAML file with only comments and separators', file: 'empty.yaml', text: '# nothing yet\n---\n# still nothing\n---\n', errors: [] },
    { name: 'empty JSON file', file: 'empty.json', text: '  \n', errors: [] },
];
describe('parseManifestText: syntax and limits', () => {
    for (const row of rows) {
        test(row.name, () => {
            const result = parseManifestText(row.file, row.text);
            assert.deepEqual(result.errors.map(formatManifestError), row.errors);
            assert.deepEqual(result.documents, []);
        });
    }
    test('nesting exactly at the limit is accepted (and then judged as a manifest)', () => {
        for (const [file, text] of [
            ['deep.yaml', blockNesting(PARSE_LIMITS.maxDepth)],
            ['deep.yaml', `spec: ${brackets(PARSE_LIMITS.maxDepth - 1)}\n`],
            ['deep.json', `{"spec": ${brackets(PARSE_LIMITS.maxDepth - 1)}}`],
        ]) {
            const errors = formattedErrors(file, text);
            assert.ok(errors.length > 0, 'not a manifest');
            assert.ok(!errors.some((e) => e.includes('nesting')), errors.join('\n'));
        }
    });
    test('brackets in strings, block scalars and sibling collections are not nesting', () => {
        const deepText = '['.repeat(PARSE_LIMITS.maxDepth + 10);
        const text = `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions:
    - name: app
      image: busybox
      command: ["${deepText}", '${deepText}']
      hostname: plain${deepText}
      entryPoint:
        - |
          ${deepText}
      dockerLabels: {${Array.from({ length: 100 }, (_, i) => `l${i}: "[x]"`).join(', ')}}
      environment: [${Array.from({ length: 100 }, (_, i) => `{name: E${i}, value: "[${i}]"}`).join(', ')}]
`;
        const result = parseManifestText('web.yaml', text);
        assert.deepEqual(result.errors.map(formatManifestError), []);
        assert.equal(result.documents.length, 1);
    });
    test('the alias limit is about expansion: a few aliases in a valid manifest are fine', () => {
        const text = `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions:
    - name: a
      image: &image berth-test/busybox
      environment: &env [{name: MODE, value: demo}]
    - name: b
      image: *image
      environment: *env
`;
        const result = parseManifestText('web.yaml', text);
        assert.deepEqual(result.errors.map(formatManifestError), []);
        assert.equal(result.documents.length, 1);
    });
    test('a JSON file in a YAML file is read as YAML (JSON is YAML)', () => {
        const text = '{"apiVersion": "berth/v1", "kind": "Cluster", "metadata": {"name": "c"}, "spec": {}}';
        assert.deepEqual(formattedErrors('cluster.yaml', text), []);
    });
    test('a JSON file indented with tabs is fine', () => {
        const text = '{\n\t"apiVersion": "berth/v1",\n\t"kind": "Cluster",\n\t"metadata": {\n\t\t"name": "c"\n\t},\n\t"spec": {}\n}\n';
        assert.deepEqual(formattedErrors('cluster.json', text), []);
    });
});
//# sourceMappingURL=parse-syntax.test.js.map