import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { StatusWriteError, locateDocuments, normalizeStatus, readStatus, replaceStatus, spliceStatuses } from '../../controller/status/document.js';
const web = { kind: 'Service', name: 'web' };
/** Joins lines with `\n`; a case that needs CRLF or no final newline says so explicitly. */
const lines = (...parts) => parts.join('\n');
const HEAD = lines('apiVersion: berth/v1', 'kind: Service', 'metadata:', '  name: web');
const spliceCases = [
    {
        name: 'inserts a block after the last key when there is no status',
        source: lines(HEAD, 'spec:', '  desiredCount: 2', ''),
        status: { runningCount: 2 },
        expected: lines(HEAD, 'spec:', '  desiredCount: 2', 'status:', '  runningCount: 2', ''),
    },
    {
        name: 'replaces a status that is the first key',
        source: lines('status:', '  runningCount: 1', HEAD, 'spec: {}', ''),
        status: { runningCount: 3 },
        expected: lines('status:', '  runningCount: 3', HEAD, 'spec: {}', ''),
    },
    {
        name: 'replaces a status between other keys, keeping the comments around it',
        source: lines(HEAD, '# what the controller saw', 'status:', '  runningCount: 1', '  pendingCount: 1', '# what I want', 'spec:', '  desiredCount: 2 # two', ''),
        status: { runningCount: 2 },
        expected: lines(HEAD, '# what the controller saw', 'status:', '  runningCount: 2', '# what I want', 'spec:', '  desiredCount: 2 # two', ''),
    },
    {
        name: 'replaces a status that is the last key, keeping a comment below it',
        source: lines(HEAD, 'spec: {}', 'status:', '  runningCount: 1', '# end of file', ''),
        status: { runningCount: 2, tasks: [{ id: 'a' }] },
        expected: lines(HEAD, 'spec: {}', 'status:', '  runningCount: 2', '  tasks:', '    - id: a', '# end of file', ''),
    },
    {
        name: 'replaces `status: {}`',
        source: lines(HEAD, 'status: {}', 'spec: {}', ''),
        status: { ready: true },
        expected: lines(HEAD, 'status:', '  ready: true', 'spec: {}', ''),
    },
    {
        name: 'replaces `status: null`',
        source: lines(HEAD, 'status: null', 'spec: {}', ''),
        status: { ready: true },
        expected: lines(HEAD, 'status:', '  ready: true', 'spec: {}', ''),
    },
    {
        name: 'replaces an empty `status:` followed by an indented comment, keeping the comment',
        source: lines(HEAD, 'status:', '  # filled in by the controller', 'spec: {}', ''),
        status: { ready: true },
        expected: lines(HEAD, 'status:', '  ready: true', '  # filled in by the controller', 'spec: {}', ''),
    },
    {
        name: 'writes an empty status as `status: {}`',
        source: lines(HEAD, 'status:', '  ready: true', 'spec: {}', ''),
        status: {},
        expected: lines(HEAD, 'status: {}', 'spec: {}', ''),
    },
    {
        name: 'inserts after a last line that ends in a comment, with no final newline',
        source: lines(HEAD, 'spec:', '  desiredCount: 2 # keep two'),
        status: { runningCount: 2 },
        expected: lines(HEAD, 'spec:', '  desiredCount: 2 # keep two', 'status:', '  runningCount: 2'),
    },
    {
        name: 'inserts below comment lines indented under the last key (commented-out spec fields stay in spec)',
        source: lines(HEAD, 'spec:', '  desiredCount: 2', '  # cpu: 256', '# trailer', ''),
        status: { runningCount: 2 },
        expected: lines(HEAD, 'spec:', '  desiredCount: 2', '  # cpu: 256', 'status:', '  runningCount: 2', '# trailer', ''),
    },
    {
        name: 'keeps CRLF line endings, a BOM and a missing final newline',
        source: '\uFEFFkind: Service\r\nmetadata:\r\n  name: web\r\nstatus:\r\n  old: 1\r\nspec: {}',
        status: { runningCount: 2, tasks: ['a', 'b'] },
        expected: '\uFEFFkind: Service\r\nmetadata:\r\n  name: web\r\nstatus:\r\n  runningCount: 2\r\n  tasks:\r\n    - a\r\n    - b\r\nspec: {}',
    },
    {
        name: "follows the file's indentation (4 spaces, unindented sequences)",
        source: lines('kind: Service', 'metadata:', '    name: web', 'spec:', '    ports:', '    - 80', ''),
        status: { tasks: [{ id: 'a', ports: [80] }] },
        expected: lines('kind: Service', 'metadata:', '    name: web', 'spec:', '    ports:', '    - 80', 'status:', '    tasks:', '      - id: a', '        ports:', '          - 80', ''),
    },
    {
        name: 'touches only the target document of a multi-document file (separators and end markers kept)',
        source: lines('# shop', '---', 'kind: Service', 'metadata: {name: api}', 'status: {a: 1}', '...', '---', 'kind: Service', 'metadata: {name: web}', 'status: {a: 1}', '...', ''),
        status: { a: 2 },
        expected: lines('# shop', '---', 'kind: Service', 'metadata: {name: api}', 'status: {a: 1}', '...', '---', 'kind: Service', 'metadata: {name: web}', 'status:', '  a: 2', '...', ''),
    },
    {
        name: 'tells documents apart by kind as well as name',
        source: lines('kind: Cluster', 'metadata: {name: web}', '---', 'kind: Service', 'metadata: {name: web}', ''),
        status: { a: 1 },
        expected: lines('kind: Cluster', 'metadata: {name: web}', '---', 'kind: Service', 'metadata: {name: web}', 'status:', '  a: 1', ''),
    },
    {
        name: 'removes a status block and the line break in front of it',
        source: lines(HEAD, '# mine', 'status:', '  a: 1 # old', '# also mine', 'spec: {}', ''),
        status: undefined,
        expected: lines(HEAD, '# mine', '# also mine', 'spec: {}', ''),
    },
    {
        name: 'removes a status that is the first line of the file',
        source: lines('status:', '  a: 1', 'kind: Service', 'metadata: {name: web}', ''),
        status: undefined,
        expected: lines('kind: Service', 'metadata: {name: web}', ''),
    },
    {
        name: 'quotes strings that YAML 1.1 would read as something else when the file says %YAML 1.1',
        source: lines('%YAML 1.1', '---', 'kind: Service', 'metadata: {name: web}', ''),
        status: { answer: 'yes' },
        expected: lines('%YAML 1.1', '---', 'kind: Service', 'metadata: {name: web}', 'status:', '  answer: "yes"', ''),
    },
    {
        name: 'JSON: inserts an indented "status" member after the last one',
        source: lines('{', '  "kind": "Service",', '  "metadata": {"name": "web"}', '}', ''),
        status: { runningCount: 2, tasks: [] },
        expected: lines('{', '  "kind": "Service",', '  "metadata": {"name": "web"},', '  "status": {', '    "runningCount": 2,', '    "tasks": []', '  }', '}', ''),
    },
    {
        name: 'JSON: follows tab indentation and CRLF',
        source: '{\r\n\t"kind": "Service",\r\n\t"metadata": {"name": "web"}\r\n}',
        status: { a: 1 },
        expected: '{\r\n\t"kind": "Service",\r\n\t"metadata": {"name": "web"},\r\n\t"status": {\r\n\t\t"a": 1\r\n\t}\r\n}',
    },
    {
        name: 'JSON: replaces the value of a "status" member in the middle',
        source: lines('{', '    "kind": "Service",', '    "status": {"a": 1},', '    "metadata": {"name": "web"}', '}'),
        status: { a: 2 },
        expected: lines('{', '    "kind": "Service",', '    "status": {', '        "a": 2', '    },', '    "metadata": {"name": "web"}', '}'),
    },
    {
        name: 'JSON: removes a first member together with the comma after it',
        source: lines('{', '  "status": {"a": 1},', '  "kind": "Service",', '  "metadata": {"name": "web"}', '}', ''),
        status: undefined,
        expected: lines('{', '  "kind": "Service",', '  "metadata": {"name": "web"}', '}', ''),
    },
    {
        name: 'JSON: removes a last member together with the comma before it',
        source: lines('{', '  "kind": "Service",', '  "metadata": {"name": "web"},', '  "status": {"a": 1}', '}', ''),
        status: undefined,
        expected: lines('{', '  "kind": "Service",', '  "metadata": {"name": "web"}', '}', ''),
    },
    {
        name: 'a one-line flow mapping gets a one-line JSON status',
        source: '{kind: Service, metadata: {name: web}} # inline\n',
        status: { a: [1, 'x'] },
        expected: '{kind: Service, metadata: {name: web}, status: {"a":[1,"x"]}} # inline\n',
    },
];
describe('replaceStatus', () => {
    for (const c of spliceCases) {
        test(c.name, () => {
            const result = replaceStatus(c.source, c.target ?? web, c.status);
            assert.equal(result, c.expected);
            assert.deepEqual(readStatus(result, c.target ?? web), c.status);
        });
    }
    test('the same status written twice gives the same text (idempotent)', () => {
        const once = replaceStatus(lines(HEAD, 'spec: {}', ''), web, { a: { b: [1, 2] } });
        assert.equal(replaceStatus(once, web, { a: { b: [1, 2] } }), once);
    });
    test('writes JSON semantics: undefined members dropped, dates as ISO strings', () => {
        const result = replaceStatus(lines(HEAD, ''), web, { gone: undefined, at: new Date(Date.UTC(2024, 0, 2)) });
        assert.deepEqual(readStatus(result, web), { at: '2024-01-02T00:00:00.000Z' });
    });
    const failures = [
        { name: 'a missing document', source: lines('kind: Service', 'metadata: {name: api}', ''), reason: 'not-found', message: /no Service named "web"/ },
        { name: 'text that does not parse', source: lines(HEAD, 'spec: [unclosed', ''), reason: 'parse-error', message: /does not parse/ },
        { name: 'a duplicated document', source: lines(HEAD, '---', HEAD, ''), reason: 'ambiguous', message: /more than once/ },
        { name: 'a document that is not a mapping', source: lines('- kind', ''), reason: 'not-found', message: /no Service/ },
    ];
    for (const f of failures) {
        test(`throws StatusWriteError (${f.reason}) for ${f.name}`, () => {
            assert.throws(() => replaceStatus(f.source, web, { a: 1 }), (error) => error instanceof StatusWriteError && error.reason === f.reason && f.message.test(error.message));
        });
    }
});
describe('spliceStatuses', () => {
    const api = { kind: 'Service', name: 'api' };
    const API_HEAD = lines('apiVersion: berth/v1', 'kind: Service', 'metadata:', '  name: api');
    const source = lines(HEAD, 'spec: {}', 'status:', '  runningCount: 1', '---', API_HEAD, 'spec: {}', '---', '{"kind": "Cluster", "metadata": {"name": "c"}, "status": {"ok": true}}', '');
    test('several documents in one pass give the text that one replaceStatus after another gives', () => {
        const one = spliceStatuses(source, [
            { target: web, status: { runningCount: 2, tasks: [{ id: 'a' }] } },
            { target: api, status: { runningCount: 0 } },
            { target: { kind: 'Cluster', name: 'c' }, status: { ok: false } },
        ]);
        let stepwise = replaceStatus(source, web, { runningCount: 2, tasks: [{ id: 'a' }] });
        stepwise = replaceStatus(stepwise, api, { runningCount: 0 });
        stepwise = replaceStatus(stepwise, { kind: 'Cluster', name: 'c' }, { ok: false });
        assert.equal(one.text, stepwise);
        assert.deepEqual(one.outcomes, ['written', 'written', 'written']);
    });
    test('says which statuses were already there and which documents are gone, and leaves the text alone for them', () => {
        const result = spliceStatuses(source, [
            { target: web, status: { runningCount: 1 } },
            { target: { kind: 'Service', name: 'nope' }, status: { a: 1 } },
        ]);
        assert.deepEqual(result.outcomes, ['unchanged', 'gone']);
        assert.equal(result.text, source);
    });
});
describe('readStatus', () => {
    const cases = [
        { name: 'absent', source: lines(HEAD, ''), expected: undefined },
        { name: 'empty', source: lines(HEAD, 'status:', ''), expected: null },
        { name: 'null', source: lines(HEAD, 'status: null', ''), expected: null },
        { name: 'empty mapping', source: lines(HEAD, 'status: {}', ''), expected: {} },
        { name: 'block', source: lines(HEAD, 'status:', '  a: [1, {b: c}]', ''), expected: { a: [1, { b: 'c' }] } },
        { name: 'JSON', source: '{"kind": "Service", "metadata": {"name": "web"}, "status": {"a": 1}}', expected: { a: 1 } },
    ];
    for (const c of cases) {
        test(c.name, () => assert.deepEqual(readStatus(c.source, web), c.expected));
    }
});
describe('locateDocuments', () => {
    test('lists kind and name of every document, including empty and nameless ones', () => {
        const source = lines('kind: Cluster', 'metadata: {name: main}', '---', '# nothing here', '---', 'kind: Service', '...', '---', 'kind: Service', 'metadata:', '  name: web', '');
        assert.deepEqual(locateDocuments(source), [
            { kind: 'Cluster', name: 'main', index: 0 },
            { index: 1 },
            { kind: 'Service', index: 2 },
            { kind: 'Service', name: 'web', index: 3 },
        ]);
    });
    test('a JSON file is one document', () => {
        assert.deepEqual(locateDocuments('{"kind": "TaskDefinition", "metadata": {"name": "web"}}'), [{ kind: 'TaskDefinition', name: 'web', index: 0 }]);
    });
    test('throws on text that does not parse', () => {
        assert.throws(() => locateDocuments('kind: [\n'), StatusWriteError);
    });
});
const identifier = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,7}$/);
const commentText = fc.stringMatching(/^[ a-zA-Z0-9:#'"{}-]{0,20}$/);
const scalar = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.constantFrom('true', 'null', '"quoted # not a comment"', "'single'", 'plain words', '0x10', '""'));
const specValue = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar.map((s) => ({ scalar: s })), fc.array(scalar, { minLength: 1, maxLength: 3 }).map((list) => ({ list })), tie('entries').map((map) => ({ map }))),
    entries: fc.uniqueArray(fc.record({ key: identifier, value: tie('value'), commentAbove: fc.option(commentText, { nil: undefined }), trailingComment: fc.option(commentText, { nil: undefined }) }, { requiredKeys: ['key', 'value'] }), { minLength: 1, maxLength: 4, selector: (e) => e.key }),
})).value;
function renderEntries(entries, column, unit) {
    const pad = ' '.repeat(column);
    return entries.flatMap((entry) => {
        const above = entry.commentAbove === undefined ? [] : [`${pad}# ${entry.commentAbove}`];
        const trailing = entry.trailingComment === undefined ? '' : ` # ${entry.trailingComment}`;
        const v = entry.value;
        if ('scalar' in v)
            return [...above, `${pad}${entry.key}: ${v.scalar}${trailing}`];
        if ('list' in v)
            return [...above, `${pad}${entry.key}:${trailing}`, ...v.list.map((item) => `${pad}${' '.repeat(unit)}- ${item}`)];
        return [...above, `${pad}${entry.key}:${trailing}`, ...renderEntries(v.map, column + unit, unit)];
    });
}
const existingStatus = fc.constantFrom(['status:'], ['status: {}'], ['status: null'], ['status: {observed: 1, ok: true}'], ['status: # owned by the controller', '  observed: 1'], ['status:', '  observed: 1', '  conditions:', '    - type: Ready', '      status: "True"']);
const statusValue = fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
const generatedFile = fc
    .record({
    unit: fc.constantFrom(2, 4),
    spec: fc.array(fc.record({ key: identifier, value: specValue }), { minLength: 1, maxLength: 3 }).map((entries) => entries.map((e, i) => ({ ...e, key: `${e.key}${i}` }))),
    status: fc.option(existingStatus, { nil: undefined }),
    statusPosition: fc.nat(),
    commentAboveStatus: fc.boolean(),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
    lastLineComment: fc.boolean(),
    bom: fc.boolean(),
    neighbour: fc.constantFrom('none', 'before', 'after'),
    markers: fc.boolean(),
})
    .map((g) => {
    const keys = [['apiVersion: berth/v1'], ['kind: Service'], ['metadata:', `${' '.repeat(g.unit)}name: web`], ['spec:', ...renderEntries(g.spec, g.unit, g.unit)]];
    if (g.status) {
        const block = g.commentAboveStatus ? ['# status comment', ...g.status] : g.status;
        keys.splice(g.statusPosition % (keys.length + 1), 0, block);
    }
    let body = keys.flat();
    if (g.lastLineComment)
        body = [...body.slice(0, -1), `${body[body.length - 1] ?? ''} # last`];
    const neighbour = ['kind: Cluster', 'metadata:', '  name: web # same name, other kind', 'spec: {}'];
    const docs = g.neighbour === 'before' ? [...neighbour, g.markers ? '...' : '---', ...(g.markers ? ['---'] : []), ...body]
        : g.neighbour === 'after' ? [...body, g.markers ? '...' : '---', ...(g.markers ? ['---'] : []), ...neighbour]
            : body;
    const eol = g.crlf ? '\r\n' : '\n';
    const text = (g.bom ? '\uFEFF' : '') + docs.join(eol) + (g.finalNewline ? eol : '');
    return { text, target: web };
});
function withoutStatus(js) {
    const { status: _status, ...rest } = js;
    return rest;
}
describe('replaceStatus property', () => {
    test('changes only the status block, and the result reads back exactly', () => {
        fc.assert(fc.property(generatedFile, fc.option(statusValue, { nil: undefined }), (file, status) => {
            const result = replaceStatus(file.text, file.target, status);
            // Outside the status block, nothing moved.
            assert.equal(replaceStatus(result, file.target, undefined), replaceStatus(file.text, file.target, undefined));
            // The status reads back as written; everything else means what it meant before.
            assert.deepEqual(readStatus(result, file.target), status === undefined ? undefined : normalizeStatus(status));
            const before = parseAllDocuments(file.text);
            const after = parseAllDocuments(result);
            assert.equal(after.length, before.length);
            before.forEach((doc, i) => assert.deepEqual(withoutStatus(after[i]?.toJS()), withoutStatus(doc.toJS())));
            // Line endings stay the file's own.
            if (!file.text.includes('\r\n'))
                assert.ok(!result.includes('\r'));
            else
                assert.ok(!/[^\r]\n/.test(result), 'a bare \\n in a CRLF file');
        }), { numRuns: 400 });
    });
});
//# sourceMappingURL=status-document.test.js.map