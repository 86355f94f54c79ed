import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const berth = (...args) => spawnSync(process.execPath, [join(ROOT, 'bin', 'berth.js'), ...args], { encoding: 'utf8' });
test('berth import ecs turns describe-task-definition output into a manifest that validates', () => {
    const result = berth('import', 'ecs', join(ROOT, 'test', 'fixtures', 'ecs-describe-output.json'));
    assert.equal(result.status, 0, result.stderr);
    const manifest = parse(result.stdout);
    assert.equal(manifest.kind, 'TaskDefinition');
    assert.equal(manifest.metadata.name, 'orders');
    assert.equal(manifest.spec.taskRoleArn, 'arn:aws:iam::123456789012:role/orders', 'the ECS JSON is kept as it is');
    // A describe output prints one line: its describe fields are one cause; the role fields are mapped.
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /^warning: .*spec\.taskDefinitionArn, spec\.revision, .*: describe-task-definition output, ignored/);
    const dir = mkdtempSync(join(tmpdir(), 'berth-import-'));
    try {
        writeFileSync(join(dir, 'orders.yaml'), result.stdout);
        const validate = berth('validate', dir);
        assert.equal(validate.status, 0, validate.stderr);
        // A field ECS does not have is an error, and the import fails.
        writeFileSync(join(dir, 'bad.json'), JSON.stringify({ family: 'bad', containerDefinitions: [{ name: 'a', image: 'x', memroy: 64 }] }));
        const bad = berth('import', 'ecs', join(dir, 'bad.json'));
        assert.equal(bad.status, 1);
        assert.match(bad.stderr, /memroy.*did you mean "memory"/);
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
test('every runnable ECS task definition of examples/ecs/local imports with no error, in both shapes', async () => {
    const { readdirSync } = await import('node:fs');
    const { importEcs } = await import('../../controller/cli/importEcs.js');
    const local = join(ROOT, 'examples', 'ecs', 'local');
    const files = readdirSync(local).filter((name) => name.endsWith('.json'));
    assert.ok(files.length >= 5, files.join(', '));
    assert.ok(files.some((name) => name.includes('.describe.')) && files.some((name) => !name.includes('.describe.')), 'both shapes');
    for (const file of files) {
        const { errors } = importEcs(join(local, file), 'yaml');
        assert.deepEqual(errors, [], file);
    }
});
test('berth import ecs says what the default task policy refuses and the Cluster taskPolicy that allows it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-import-'));
    try {
        const file = join(dir, 'agent.json');
        writeFileSync(file, JSON.stringify({ family: 'agent', networkMode: 'host', containerDefinitions: [{ name: 'a', image: 'x', privileged: true, memory: 64 }] }));
        const result = berth('import', 'ecs', file);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stderr, /note: denied by default: rule hostNetwork, field networkMode /);
        assert.match(result.stderr, /note: denied by default: rule privileged, field containerDefinitions\[0\]\.privileged /);
        assert.match(result.stderr, /note: to run it, the Cluster manifest of its services and tasks needs: spec\.taskPolicy: \{"allowHostNetwork":true,"allowPrivileged":true\}/);
        // The YAML carries the same notes as comments and still parses to the definition.
        assert.match(result.stdout, /^# denied by default: rule hostNetwork/);
        assert.equal(parse(result.stdout).spec.networkMode, 'host');
        const plain = join(dir, 'plain.json');
        writeFileSync(plain, JSON.stringify({ family: 'plain', containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }] }));
        assert.doesNotMatch(berth('import', 'ecs', plain).stderr, /note:/);
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
//# sourceMappingURL=cli-import.test.js.map