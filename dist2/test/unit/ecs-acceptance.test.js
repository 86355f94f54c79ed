/**
 * Task definitions as people keep them: what ECS registers, berth accepts (issue 14,
 * "Accept what ECS accepts"). Fixtures in test/fixtures/ecs-real are written from the
 * shapes the ECS console and `aws ecs describe-task-definition` print.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { importEcs } from '../../controller/cli/importEcs.js';
import { parseTaskCpu, parseTaskMemory } from '../../controller/kinds/taskDefinition.js';
import { secretReference } from '../../controller/secrets/references.js';
import { formatManifestError, parseManifestText } from '../../controller/store/parse.js';
import { decodeText, encodeText } from '../../controller/store/textDecoding.js';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'ecs-real');
const fixture = (name) => join(FIXTURES, name);
const berth = (...args) => spawnSync(process.execPath, [join(ROOT, 'bin', 'berth.js'), ...args], { encoding: 'utf8' });
function withScratch(use) {
    const dir = mkdtempSync(join(tmpdir(), 'berth-ecs-accept-'));
    try {
        return use(dir);
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
/** The fixture's task definition as a berth TaskDefinition manifest in JSON, as `import ecs -o json` writes it. */
function manifestJson(spec, name) {
    return JSON.stringify({ apiVersion: 'berth/v1', kind: 'TaskDefinition', metadata: { name }, spec }, null, 2);
}
function utf16(text, order) {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    return order === 'le' ? bytes : bytes.swap16();
}
describe('null for an optional field means absent', () => {
    test('a console export full of nulls imports with no error, the nulls left out', () => {
        const { text, errors } = importEcs(fixture('console-export-nulls.json'), 'json');
        assert.deepEqual(errors.map(formatManifestError), []);
        const spec = JSON.parse(text).spec;
        for (const field of ['ipcMode', 'pidMode', 'proxyConfiguration', 'taskRoleArn', 'runtimePlatform'])
            assert.ok(!(field in spec), field);
        const container = spec.containerDefinitions[0];
        for (const field of ['linuxParameters', 'memory', 'logConfiguration', 'healthCheck', 'dockerLabels'])
            assert.ok(!(field in container), field);
        assert.deepEqual(container.command, ['sh', '-c', 'sleep 3600'], 'values that are not null stay');
    });
    test('describe output with nulls, requiresAttributes[].targetId included, imports with no error', () => {
        const { text, errors } = importEcs(fixture('describe-output-nulls.json'), 'yaml');
        assert.deepEqual(errors.map(formatManifestError), []);
        const spec = parse(text).spec;
        assert.deepEqual(spec.requiresAttributes, [
            { name: 'com.amazonaws.ecs.capability.secrets.asm.environment-variables' },
            { name: 'ecs.capability.secrets.asm.environment-variables' },
        ]);
    });
    test('the same nulls in a manifest of the manifests directory: accepted, and the spec hashes as without them', () => {
        const spec = JSON.parse(readFileSync(fixture('console-export-nulls.json'), 'utf8'));
        const withNulls = parseManifestText('web.json', manifestJson(spec, 'console-web'));
        assert.deepEqual(withNulls.errors.map(formatManifestError), []);
        const stripped = Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== null));
        const withoutTopNulls = parseManifestText('web.json', manifestJson(stripped, 'console-web'));
        assert.equal(withNulls.documents[0].specHash, withoutTopNulls.documents[0].specHash);
    });
    test('a null in a required field is an error that names the field, its line and the word null', () => {
        const { errors } = importEcs(fixture('refused-required-null.json'), 'yaml');
        const file = fixture('refused-required-null.json');
        assert.deepEqual(errors.map(formatManifestError), [
            `${file}:6:22: TaskDefinition/broken: spec.containerDefinitions[0].image: must be string, not null`,
            `${file}:8:34: TaskDefinition/broken: spec.containerDefinitions[0].memoryReservation: The memoryReservation must not be greater than the memory value (256 > 128)`,
        ]);
    });
});
describe('task cpu and memory as ECS converts them', () => {
    const cpu = [
        ['256', 256],
        [' 1024 ', 1024],
        ['.25 vCPU', 256],
        ['0.25 vCPU', 256],
        ['.5vcpu', 512],
        ['1 vcpu', 1024],
        ['1 VCPU', 1024],
        ['2vCPU', 2048],
        [4096, 4096],
    ];
    const memory = [
        ['512', 512],
        ['.5 GB', 512],
        ['0.5GB', 512],
        ['2GB', 2048],
        ['1 gb', 1024],
        ['30 GB', 30720],
        [1024, 1024],
    ];
    for (const [written, units] of cpu) {
        test(`cpu ${JSON.stringify(written)} is ${units} units`, () => {
            assert.equal(parseTaskCpu(written), units);
            const spec = { cpu: written, containerDefinitions: [{ name: 'a', image: 'x' }] };
            assert.deepEqual(parseManifestText('t.json', manifestJson(spec, 't')).errors.map(formatManifestError), []);
        });
    }
    for (const [written, mib] of memory) {
        test(`memory ${JSON.stringify(written)} is ${mib} MiB`, () => {
            assert.equal(parseTaskMemory(written), mib);
            const spec = { memory: written, containerDefinitions: [{ name: 'a', image: 'x' }] };
            assert.deepEqual(parseManifestText('t.json', manifestJson(spec, 't')).errors.map(formatManifestError), []);
        });
    }
    for (const [field, written] of [['cpu', '1/4 vCPU'], ['cpu', '.vCPU'], ['memory', '512 MB'], ['memory', '.GB']]) {
        test(`${field} ${JSON.stringify(written)} is refused at its line`, () => {
            const spec = { [field]: written, containerDefinitions: [{ name: 'a', image: 'x' }] };
            const errors = parseManifestText('t.json', manifestJson(spec, 't')).errors.map(formatManifestError);
            assert.equal(errors.length, 1, errors.join('\n'));
            assert.match(errors[0], new RegExp(`^t\\.json:8:\\d+: TaskDefinition/t: spec\\.${field}: must be`));
        });
    }
});
describe('Secrets Manager ARNs whose secret name starts with "/"', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:/prod/app-AbCdEf';
    const rows = [
        [arn, { names: ['prod/app-AbCdEf', 'prod/app'] }],
        [`${arn}:password::`, { names: ['prod/app-AbCdEf', 'prod/app'], jsonKey: 'password' }],
        [`${arn}:apiKey:AWSCURRENT:`, { names: ['prod/app-AbCdEf', 'prod/app'], jsonKey: 'apiKey', ignoredVersion: 'version-stage AWSCURRENT' }],
        [`${arn}::AWSPREVIOUS:0a1b`, { names: ['prod/app-AbCdEf', 'prod/app'], ignoredVersion: 'version-stage AWSPREVIOUS, version-id 0a1b' }],
        ['arn:aws:secretsmanager:us-east-1:123456789012:secret:/db', { names: ['db'] }],
    ];
    for (const [valueFrom, expected] of rows) {
        test(valueFrom, () => {
            assert.deepEqual(secretReference(valueFrom), { valueFrom, ...expected });
        });
    }
    test('a reference that is still wrong is quoted whole, at its line', () => {
        const file = fixture('refused-bad-secret.json');
        const { errors } = importEcs(file, 'yaml');
        assert.deepEqual(errors.map(formatManifestError), [
            `${file}:9:50: TaskDefinition/badsecret: spec.containerDefinitions[0].secrets[0].valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret://prod//app-AbCdEf" does not name a secret: names are paths like "prod/db/password", without empty, "." or ".." parts`,
        ]);
    });
});
describe('files saved with a byte order mark, in UTF-8 or UTF-16', () => {
    const text = readFileSync(fixture('console-export-nulls.json'), 'utf8');
    const encodings = [
        ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
        ['UTF-16 LE with a BOM (a PowerShell redirect)', utf16(text, 'le')],
        ['UTF-16 BE with a BOM', utf16(text, 'be')],
    ];
    for (const [encoding, bytes] of encodings) {
        test(`${encoding}: decoded, and re-encoded byte for byte`, () => {
            const decoded = decodeText(bytes);
            assert.equal(decoded.text, text);
            assert.ok(encodeText(decoded.text, decoded).equals(bytes));
        });
        test(`${encoding}: berth import ecs and berth validate accept it`, () => withScratch((dir) => {
            const file = join(dir, 'task-definition.json');
            writeFileSync(file, bytes);
            const imported = berth('import', 'ecs', file);
            assert.equal(imported.status, 0, imported.stderr);
            assert.equal(parse(imported.stdout).metadata.name, 'console-web');
            // The same, as a manifest of the manifests directory.
            const manifest = manifestJson(JSON.parse(text), 'console-web');
            const prefix = bytes.subarray(0, bytes[0] === 0xef ? 3 : 2);
            const encoded = bytes[0] === 0xef ? Buffer.from(manifest, 'utf8') : bytes[0] === 0xff ? Buffer.from(manifest, 'utf16le') : Buffer.from(manifest, 'utf16le').swap16();
            writeFileSync(join(dir, 'web.json'), Buffer.concat([prefix, encoded]));
            rmSync(file);
            const validated = berth('validate', dir);
            assert.equal(validated.status, 0, validated.stderr);
            assert.match(validated.stdout, /^1 document\(s\) in 1 file\(s\) valid/);
        }));
    }
    test('UTF-16 without a BOM is refused without a raw NUL in the message', () => withScratch((dir) => {
        const file = join(dir, 'task-definition.json');
        writeFileSync(file, Buffer.from(text, 'utf16le'));
        for (const result of [berth('import', 'ecs', file), berth('validate', file)]) {
            assert.equal(result.status, 1);
            assert.ok(!result.stderr.includes('\0'), JSON.stringify(result.stderr));
            assert.match(result.stderr, /task-definition\.json:1:\d+: .*\\u0000/);
        }
    }));
});
describe('environment entries, names and tags as ECS takes them', () => {
    test('an entry with only a name, and names starting with "_", are accepted', () => {
        const spec = { containerDefinitions: [{ name: 'a', image: 'x', environment: [{ name: 'ONLY_NAME' }, { name: '_JAVA_OPTIONS', value: '-Xmx1g' }, { name: '_', value: '' }] }] };
        const result = parseManifestText('t.json', manifestJson(spec, 't'));
        assert.deepEqual(result.errors.map(formatManifestError), []);
    });
    test('tags next to the taskDefinition wrapper are kept as the spec\'s tags, without a warning (they are metadata in ECS too)', () => {
        const file = fixture('describe-output-nulls.json');
        const { text, warnings } = importEcs(file, 'yaml');
        const spec = parse(text).spec;
        assert.deepEqual(spec.tags, [
            { key: 'team', value: 'orders' },
            { key: 'cost-center', value: '4711' },
        ]);
        assert.equal(warnings.find((w) => w.field === 'spec.tags'), undefined, warnings.map(formatManifestError).join('\n'));
    });
    test('memoryReservation equal to memory is accepted, greater is refused', () => {
        const at = (reservation) => parseManifestText('t.json', manifestJson({ containerDefinitions: [{ name: 'a', image: 'x', memory: 512, memoryReservation: reservation }] }, 't')).errors.map((e) => e.message);
        assert.deepEqual(at(512), []);
        assert.deepEqual(at(256), []);
        assert.deepEqual(at(513), ['The memoryReservation must not be greater than the memory value (513 > 512)']);
    });
});
//# sourceMappingURL=ecs-acceptance.test.js.map