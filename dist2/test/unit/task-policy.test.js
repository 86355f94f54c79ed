import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeTaskPolicyViolations, policyAllowing, taskPolicyViolations, unconfiningSecurityOption } from '../../controller/taskspec/taskPolicy.js';
/** A two-container definition whose second container carries `container`, with task-level `task` fields. */
function definition(options) {
    return {
        ...options.task,
        containerDefinitions: [
            { name: 'plain', image: 'berth/busybox:1' },
            { name: 'asks', image: 'berth/busybox:1', ...options.container },
        ],
    };
}
const rows = [
    { rule: 'privileged', spec: definition({ container: { privileged: true } }), field: 'containerDefinitions[1].privileged', allowedBy: { allowPrivileged: true } },
    {
        rule: 'capabilities',
        spec: definition({ container: { linuxParameters: { capabilities: { add: ['CHOWN', 'SYS_ADMIN'] } } } }),
        field: 'containerDefinitions[1].linuxParameters.capabilities.add[1]',
        allowedBy: { allowedCapabilities: ['SYS_ADMIN'] },
    },
    {
        rule: 'capabilities',
        spec: definition({ container: { linuxParameters: { capabilities: { add: ['cap_net_admin'] } } } }),
        field: 'containerDefinitions[1].linuxParameters.capabilities.add[0]',
        allowedBy: { allowedCapabilities: ['ALL'] },
    },
    {
        rule: 'devices',
        spec: definition({ container: { linuxParameters: { devices: [{ hostPath: '/dev/fuse' }] } } }),
        field: 'containerDefinitions[1].linuxParameters.devices[0]',
        allowedBy: { allowDevices: true },
    },
    { rule: 'hostNetwork', spec: definition({ task: { networkMode: 'host' } }), field: 'networkMode', allowedBy: { allowHostNetwork: true } },
    { rule: 'hostPid', spec: definition({ task: { pidMode: 'host' } }), field: 'pidMode', allowedBy: { allowHostPid: true } },
    { rule: 'hostIpc', spec: definition({ task: { ipcMode: 'host' } }), field: 'ipcMode', allowedBy: { allowHostIpc: true } },
    ...['seccomp=unconfined', 'seccomp:unconfined', 'apparmor=unconfined', 'label=disable', 'label:type:spc_t', 'systempaths=unconfined', 'seccomp={"defaultAction":"SCMP_ACT_ALLOW"}'].map((option) => ({
        rule: 'unconfinedSecurityOptions',
        spec: definition({ container: { dockerSecurityOptions: ['no-new-privileges', option] } }),
        field: 'containerDefinitions[1].dockerSecurityOptions[1]',
        allowedBy: { allowUnconfinedSecurityOptions: true },
    })),
];
describe('taskPolicyViolations', () => {
    for (const row of rows) {
        test(`${row.rule} at ${row.field}: denied by default, allowed by ${JSON.stringify(row.allowedBy)}`, () => {
            const denied = taskPolicyViolations(row.spec, undefined);
            assert.deepEqual(denied.map((v) => [v.rule, v.field]), [[row.rule, row.field]]);
            assert.deepEqual(taskPolicyViolations(row.spec, {}), denied, 'an empty policy is the default');
            assert.deepEqual(taskPolicyViolations(row.spec, row.allowedBy), []);
            assert.deepEqual(taskPolicyViolations(row.spec, policyAllowing(denied)), [], 'the policy suggested to users allows it');
        });
    }
    test('a field allowed for one rule does not allow another', () => {
        const spec = definition({ task: { networkMode: 'host' }, container: { privileged: true } });
        assert.deepEqual(taskPolicyViolations(spec, { allowHostNetwork: true }).map((v) => v.field), ['containerDefinitions[1].privileged']);
    });
    test("an ordinary definition passes: bridge, awsvpc, pidMode and ipcMode task, Docker's default capabilities, hardening options", () => {
        for (const spec of [
            definition({}),
            definition({ task: { networkMode: 'awsvpc', pidMode: 'task', ipcMode: 'task' } }),
            definition({ task: { ipcMode: 'none', networkMode: 'none' } }),
            definition({ container: { linuxParameters: { capabilities: { add: ['NET_BIND_SERVICE', 'CAP_KILL'], drop: ['ALL'] } }, privileged: false } }),
            definition({ container: { dockerSecurityOptions: ['no-new-privileges', 'apparmor=docker-default', 'label=level:s0:c100,c200', 'seccomp=builtin'] } }),
        ]) {
            assert.deepEqual(taskPolicyViolations(spec, undefined), []);
        }
    });
    test('requireNonRoot: root and a missing user are refused, a named or numeric non-root user passes', () => {
        const requireNonRoot = { requireNonRoot: true };
        for (const user of ['root', '0', '0:0', 'root:staff', '00']) {
            const violations = taskPolicyViolations(definition({ container: { user } }), requireNonRoot);
            // The first container has no user either: it is refused too, for that reason.
            assert.deepEqual(violations.map((v) => [v.rule, v.field, v.detail]), [
                ['nonRoot', 'containerDefinitions[0].user', "user is not set, so the image's default user (often root) runs"],
                ['nonRoot', 'containerDefinitions[1].user', `user "${user}" is root`],
            ]);
        }
        const named = { containerDefinitions: [{ name: 'a', image: 'x', user: 'app' }, { name: 'b', image: 'x', user: '1000:0' }] };
        assert.deepEqual(taskPolicyViolations(named, requireNonRoot), []);
        assert.deepEqual(taskPolicyViolations(definition({ container: { user: 'root' } }), undefined), [], 'root is allowed unless the policy requires non-root');
    });
    test('the refusal names the task definition, the cluster, each rule and field, and the Cluster field that allows it', () => {
        const violations = taskPolicyViolations(definition({ task: { networkMode: 'host' }, container: { linuxParameters: { capabilities: { add: ['SYS_PTRACE'] } } } }), undefined);
        assert.equal(describeTaskPolicyViolations(violations, { taskDefinition: 'web:3', cluster: 'shop' }), 'task definition web:3 is refused by the task policy of cluster "shop": ' +
            'rule hostNetwork, field networkMode (networkMode host shares the host network namespace; set spec.taskPolicy.allowHostNetwork: true); ' +
            "rule capabilities, field containerDefinitions[1].linuxParameters.capabilities.add[0] (capability SYS_PTRACE is not among Docker's defaults; add SYS_PTRACE to spec.taskPolicy.allowedCapabilities)");
        assert.deepEqual(policyAllowing(violations), { allowHostNetwork: true, allowedCapabilities: ['SYS_PTRACE'] });
    });
    test('unconfiningSecurityOption tells confinement lifted from confinement kept', () => {
        assert.equal(unconfiningSecurityOption('seccomp=unconfined'), 'turns the seccomp filter off');
        assert.equal(unconfiningSecurityOption('no-new-privileges:true'), undefined);
        assert.equal(unconfiningSecurityOption('apparmor:my-profile'), undefined);
        assert.equal(unconfiningSecurityOption('label=user:system_u'), undefined);
    });
});
//# sourceMappingURL=task-policy.test.js.map