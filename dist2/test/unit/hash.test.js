import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, shortHash } from '../../controller/hash.js';
import { configHash } from '../../controller/taskspec/containerSpecs.js';
import { launchSpecHash } from '../../controller/controllers/task/plan.js';
import { specHash } from '../../controller/store/parse.js';
import { formatGroup, formatKey, groupOwnerKey, parseGroup, parseKey, retirementKey } from '../../controller/keys.js';
import { errorMessage } from '../../controller/errors.js';
// Values computed by the code before the three hashes became one. A container's config hash
// label that changes value makes an upgraded controller replace every running container; a
// Task run's spec hash that changes makes it take every running Task for edited.
const CONFIG = {
    Image: 'berth/busybox:1',
    Cmd: ['sh', '-c', 'sleep 1'],
    Env: ['A=1', 'b=2'],
    HostConfig: { Memory: 134217728, NanoCpus: 250000000, PortBindings: { '80/tcp': [{ HostPort: '8080' }] } },
    Labels: { 'berth.family': 'web', Zeta: 'z', alpha: 'a', _x: '1' },
    skipped: undefined,
};
test('the config hash of a container keeps the value it had before', () => {
    assert.equal(configHash(CONFIG), 'c9e49dacf1b36ec1');
});
test('the spec hash of a manifest keeps the value it had before', () => {
    assert.equal(specHash({ apiVersion: 'berth.dev/v1', kind: 'Service', metadata: { name: 'web' }, spec: { taskDefinition: 'web', desiredCount: 2, Zed: 1, alpha: 2 } }), '997886d9638d2464');
});
test('the launch hash of a Task run keeps its locale key order', () => {
    const spec = { cluster: 'default', taskDefinition: 'batch:1', count: 2, desiredStatus: 'RUNNING', overrides: { containerOverrides: [{ name: 'app', environment: [{ name: 'X', value: '1' }] }], Zed: 1, alpha: 2, _b: 3 } };
    assert.equal(launchSpecHash(spec), '086d19550edf781d');
});
test('key order: code units by default, localeCompare when asked', () => {
    const value = { b: 1, Zed: 2, _a: 3, a: { y: 1, x: undefined, Y: 2 } };
    assert.equal(canonicalJson(value), '{"Zed":2,"_a":3,"a":{"Y":2,"y":1},"b":1}');
    assert.equal(canonicalJson(value, { keyOrder: 'locale' }), '{"_a":3,"a":{"y":1,"Y":2},"b":1,"Zed":2}');
    assert.notEqual(shortHash(value), shortHash(value, { keyOrder: 'locale' }));
});
test('queue keys and group keys are written and read back in one place', () => {
    assert.equal(formatKey({ kind: 'Service', name: 'web' }), 'Service/web');
    assert.deepEqual(parseKey('Retirement/service:web'), { kind: 'Retirement', name: 'service:web' });
    assert.equal(parseKey('Nothing/web'), undefined);
    assert.equal(parseKey('Service'), undefined);
    assert.equal(formatGroup({ kind: 'task', name: 'batch' }), 'task:batch');
    assert.deepEqual(parseGroup('service:a:b'), { kind: 'service', name: 'a:b' });
    assert.equal(parseGroup('job:x'), undefined);
    assert.equal(groupOwnerKey('task:batch'), 'Task/batch');
    assert.equal(groupOwnerKey('service:web'), 'Service/web');
    assert.equal(groupOwnerKey(undefined), undefined);
    assert.equal(retirementKey('service:web'), 'Retirement/service:web');
});
test('errorMessage: the message of an Error, the text of anything else', () => {
    assert.equal(errorMessage(new Error('boom')), 'boom');
    assert.equal(errorMessage('plain'), 'plain');
    assert.equal(errorMessage(42), '42');
});
//# sourceMappingURL=hash.test.js.map