import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostPortConflicts, hostPortsTakenReason } from '../../controller/scheduler/hostPorts.js';
function spec(networkMode, portMappings) {
    return { family: 'web', networkMode, containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', portMappings }] };
}
const squatter = [
    { hostPort: 8080, protocol: 'tcp', holder: 'squatter' },
    { hostPort: 53, protocol: 'udp', holder: 'dns' },
];
test('the host-port filter: which fixed ports are taken, and by whom', () => {
    const rows = [
        ['bridge, fixed port taken', spec('bridge', [{ containerPort: 80, hostPort: 8080 }]), ['8080/tcp (held by squatter)']],
        ['bridge, dynamic port', spec('bridge', [{ containerPort: 8080 }]), []],
        ['bridge, same number other protocol', spec('bridge', [{ containerPort: 80, hostPort: 8080, protocol: 'udp' }]), []],
        ['host network: the container port is the host port', spec('host', [{ containerPort: 53, protocol: 'udp' }]), ['53/udp (held by dns)']],
        ['awsvpc holds no host port', spec('awsvpc', [{ containerPort: 8080, hostPort: 8080 }]), []],
    ];
    for (const [what, taskSpec, expected] of rows)
        assert.deepEqual(hostPortConflicts(taskSpec, squatter), expected, what);
    assert.equal(hostPortsTakenReason(['8080/tcp (held by squatter)']), 'host port 8080/tcp (held by squatter) is already in use');
});
//# sourceMappingURL=scheduler.test.js.map