/**
 * specHash (what decides a new task definition revision, so it must ignore everything that
 * is not the desired state), plus the small helpers around parsing.
 */
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, formatManifestError, isManifestFile, parseManifestText, specHash } from '../../controller/store/parse.js';
import { editDistance, suggest } from '../../controller/store/validate.js';
function hashOf(file, text) {
    const { documents, errors } = parseManifestText(file, text);
    assert.deepEqual(errors, []);
    assert.equal(documents.length, 1);
    return documents[0].specHash;
}
const BASE = `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
  labels: {team: shop}
spec:
  cpu: "256"
  containerDefinitions:
    - name: app
      image: busybox
      portMappings: [{containerPort: 80, hostPort: 8080}]
`;
describe('specHash', () => {
    const base = hashOf('web.yaml', BASE);
    const same = [
        [
            'keys in another order, at every level',
            'web.yaml',
            `spec:
  containerDefinitions:
    - portMappings: [{hostPort: 8080, containerPort: 80}]
      image: busybox
      name: app
  cpu: "256"
metadata:
  labels: {team: shop}
  name: web
kind: TaskDefinition
apiVersion: berth/v1
`,
        ],
        ['comments added', 'web.yaml', `# the web task\n${BASE.replace('cpu: "256"', 'cpu: "256" # a quarter vCPU')}`],
        ['a status block added', 'web.yaml', `${BASE}status:\n  revision: 3\n  family: web\n`],
        ['another status', 'web.yaml', `${BASE}status:\n  revision: 4\n`],
        ['other quoting and flow style', 'web.yaml', BASE.replace('cpu: "256"', "cpu: '256'").replace('labels: {team: shop}', 'labels:\n    team: "shop"')],
        [
            'the same manifest in JSON',
            'web.json',
            JSON.stringify({
                kind: 'TaskDefinition',
                apiVersion: 'berth/v1',
                metadata: { labels: { team: 'shop' }, name: 'web' },
                spec: { cpu: '256', containerDefinitions: [{ name: 'app', image: 'busybox', portMappings: [{ containerPort: 80, hostPort: 8080 }] }] },
            }),
        ],
    ];
    for (const [name, file, text] of same) {
        test(`unchanged by ${name}`, () => assert.equal(hashOf(file, text), base));
    }
    const different = [
        ['a spec value', BASE.replace('hostPort: 8080', 'hostPort: 8081')],
        ['a string that became a number', BASE.replace('cpu: "256"', 'cpu: 256')],
        ['a field added to spec', BASE.replace('cpu: "256"', 'cpu: "256"\n  memory: "512"')],
        ['a label', BASE.replace('team: shop', 'team: search')],
        ['the order of a list', BASE.replace('    - name: app\n      image: busybox\n      portMappings: [{containerPort: 80, hostPort: 8080}]\n', '    - {name: app, image: busybox, portMappings: [{containerPort: 80, hostPort: 8080}]}\n    - {name: log, image: busybox}\n')],
    ];
    for (const [name, text] of different) {
        test(`changed by ${name}`, () => assert.notEqual(hashOf('web.yaml', text), base));
    }
    test('is the first 16 hex digits of sha256 over sorted-key JSON of apiVersion, kind, metadata and spec', () => {
        const text = 'spec: {}\nmetadata: {name: c}\nkind: Cluster\napiVersion: berth/v1\nstatus: {x: 1}\n';
        const canonical = '{"apiVersion":"berth/v1","kind":"Cluster","metadata":{"name":"c"},"spec":{}}';
        assert.equal(hashOf('c.yaml', text), createHash('sha256').update(canonical).digest('hex').slice(0, 16));
    });
    test('canonicalJson sorts keys at every depth and keeps arrays in order', () => {
        assert.equal(canonicalJson({ b: [{ z: 1, a: 2 }, 3], a: { d: null, c: 'x' } }), '{"a":{"c":"x","d":null},"b":[{"a":2,"z":1},3]}');
    });
    test('property: any reordering of keys gives the same hash', () => {
        const manifest = parseManifestText('web.yaml', BASE).documents[0].manifest;
        /** Rebuilds every object with its keys in an order drawn from `order`. */
        const reorder = (value, order) => {
            if (Array.isArray(value))
                return value.map((v) => reorder(v, order));
            if (value === null || typeof value !== 'object')
                return value;
            const entries = Object.entries(value).map(([k, v]) => [k, reorder(v, order)]);
            entries.sort(() => order() - 0.5);
            return Object.fromEntries(entries);
        };
        fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 32 }), (draws) => {
            let i = 0;
            const shuffled = reorder(manifest, () => draws[i++ % draws.length]);
            assert.equal(specHash(shuffled), specHash(manifest));
        }));
    });
});
describe('isManifestFile', () => {
    const rows = [
        ['web.yaml', true],
        ['web.yml', true],
        ['web.json', true],
        ['manifests/shop/web.yaml', true],
        ['/home/me/.config/berth/web.yaml', true], // only the file's own name counts
        ['WEB.YAML', true],
        ['.web.yaml', false], // dotfile
        ['.web.yaml.swp', false], // vim
        ['web.yaml~', false], // editor backup
        ['web.yaml.berth-tmp', false], // the status writer's temp file
        ['.web.yaml.4242.berth-tmp', false],
        ['web.txt', false],
        ['README.md', false],
        ['yaml', false],
        ['.yaml', false],
    ];
    for (const [path, expected] of rows) {
        test(`${path} → ${expected}`, () => assert.equal(isManifestFile(path), expected));
    }
});
describe('formatManifestError', () => {
    const rows = [
        [
            { file: 'examples/web.yaml', line: 12, column: 7, kind: 'Service', name: 'web', field: 'spec.desiredCount', message: 'must be integer' },
            'examples/web.yaml:12:7: Service/web: spec.desiredCount: must be integer',
        ],
        [{ file: 'a.yaml', line: 1, column: 1, message: 'nesting is deeper than 64 levels' }, 'a.yaml:1:1: nesting is deeper than 64 levels'],
        [{ file: 'a.yaml', line: 3, column: 1, kind: 'Service', message: 'x' }, 'a.yaml:3:1: Service: x'],
        [{ file: 'a.yaml', line: 3, column: 1, name: 'web', field: 'kind', message: 'x' }, 'a.yaml:3:1: web: kind: x'],
    ];
    for (const [error, expected] of rows) {
        test(expected, () => assert.equal(formatManifestError(error), expected));
    }
});
describe('did you mean', () => {
    const allowed = ['taskDefinition', 'desiredCount', 'cluster', 'schedulingStrategy', 'capacityProviderStrategy'];
    const rows = [
        ['desiredCont', 'desiredCount'], // one letter missing
        ['desiredCuont', 'desiredCount'], // two letters swapped
        ['DesiredCount', 'desiredCount'], // case
        ['taskdefinition', 'taskDefinition'],
        ['clustre', 'cluster'],
        ['task', 'taskDefinition'], // abbreviation
        ['replicas', undefined],
        ['x', undefined],
        ['cpu', undefined],
    ];
    for (const [input, expected] of rows) {
        test(`${input} → ${expected ?? 'no suggestion'}`, () => assert.equal(suggest(input, allowed), expected));
    }
    test('edit distance counts an adjacent swap as one edit', () => {
        assert.equal(editDistance('hostPort', 'hostPotr'), 1);
        assert.equal(editDistance('', 'abc'), 3);
        assert.equal(editDistance('kitten', 'sitting'), 3);
    });
});
//# sourceMappingURL=parse-hash.test.js.map