/**
 * The Cluster's task policy on the real engine: what it denies by default is refused
 * before any container exists, with a condition and an event naming the rule and the
 * field, while the cluster's other service keeps running and scaling; once the Cluster
 * file allows it, the same definition runs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { docker, editFile, groupContainers, logLines, readStatus, running, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
function taskDefinition(name, spec) {
    return JSON.stringify({ apiVersion: 'berth/v1', kind: 'TaskDefinition', metadata: { name }, spec });
}
function service(name, cluster, taskDefinitionName, desiredCount) {
    return `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  cluster: ${cluster}\n  taskDefinition: ${taskDefinitionName}\n  desiredCount: ${desiredCount}\n`;
}
/** Every container runs as a non-root user unless a case says otherwise: the cluster requires it. */
const sleeper = (extra = {}) => ({ name: 'app', image: 'berth/busybox:1', command: ['sleep', '3600'], memory: 32, stopTimeout: 1, user: '1000', ...extra });
const cases = [
    {
        service: 'priv',
        rule: 'privileged',
        field: 'containerDefinitions[0].privileged',
        spec: { containerDefinitions: [sleeper({ privileged: true })] },
        applied: (info) => assert.equal(info.HostConfig.Privileged, true),
    },
    {
        service: 'hostnet',
        rule: 'hostNetwork',
        field: 'networkMode',
        spec: { networkMode: 'host', containerDefinitions: [sleeper()] },
        applied: (info) => assert.equal(info.HostConfig.NetworkMode, 'host'),
    },
    {
        service: 'capadd',
        rule: 'capabilities',
        field: 'containerDefinitions[0].linuxParameters.capabilities.add[1]',
        spec: { containerDefinitions: [sleeper({ linuxParameters: { capabilities: { add: ['CHOWN', 'SYS_ADMIN'] } } })] },
        applied: (info) => assert.deepEqual(info.HostConfig.CapAdd, ['CHOWN', 'SYS_ADMIN']),
    },
    {
        service: 'seccomp',
        rule: 'unconfinedSecurityOptions',
        field: 'containerDefinitions[0].dockerSecurityOptions[0]',
        spec: { containerDefinitions: [sleeper({ dockerSecurityOptions: ['seccomp=unconfined'] })] },
        applied: (info) => assert.deepEqual(info.HostConfig.SecurityOpt, ['seccomp=unconfined']),
    },
    {
        service: 'asroot',
        rule: 'nonRoot',
        field: 'containerDefinitions[0].user',
        spec: { containerDefinitions: [sleeper({ user: 'root' })] },
        applied: (info) => assert.equal(info.Config.User, 'root'),
    },
];
function clusterFile(cluster, policy) {
    return `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${cluster}\nspec:\n  taskPolicy:\n${policy}`;
}
const REQUIRE_NON_ROOT = '    requireNonRoot: true\n';
const ALLOW_ALL = '    allowPrivileged: true\n    allowHostNetwork: true\n    allowedCapabilities: [SYS_ADMIN]\n    allowUnconfinedSecurityOptions: true\n    requireNonRoot: false\n';
function condition(conditions, type) {
    return conditions?.find((c) => c.type === type);
}
describe('the task policy of a cluster', () => {
    const { cluster, dir, path, start } = testCluster('fpol');
    writeManifests(dir, {
        'cluster.yaml': clusterFile(cluster, REQUIRE_NON_ROOT),
        // The service the refusals must leave alone: awsvpc, so its pause container is exercised too.
        'steady-td.json': taskDefinition('fp-steady', { networkMode: 'awsvpc', containerDefinitions: [sleeper()] }),
        'steady.yaml': service('steady', cluster, 'fp-steady', 1),
        ...Object.fromEntries(cases.flatMap((c) => [[`${c.service}-td.json`, taskDefinition(`fp-${c.service}`, c.spec)], [`${c.service}.yaml`, service(c.service, cluster, `fp-${c.service}`, 1)]])),
        'once-td.json': taskDefinition('fp-once', { containerDefinitions: [sleeper({ privileged: true })] }),
        'once.yaml': `apiVersion: berth/v1\nkind: Task\nmetadata:\n  name: once\nspec:\n  cluster: ${cluster}\n  taskDefinition: fp-once\n`,
    });
    const controller = start();
    test('each denied field is refused with a condition and an event naming the rule and field, and no container is created', async () => {
        await waitFor('the steady service running', () => serviceStatus(path('steady.yaml'), 'steady')?.runningCount === 1, { controller, timeoutMs: 90_000 });
        for (const refused of cases) {
            const status = await waitFor(`${refused.service} refused`, () => {
                const s = serviceStatus(path(`${refused.service}.yaml`), refused.service);
                return condition(s?.conditions, 'Steady')?.reason === 'TaskPolicyDenied' ? s : undefined;
            }, { controller });
            const steady = condition(status.conditions, 'Steady');
            assert.equal(steady.status, 'False');
            assert.ok(steady.message.includes(`rule ${refused.rule}, field ${refused.field}`), steady.message);
            assert.ok(steady.message.includes(`task definition fp-${refused.service}:1 is refused by the task policy of cluster "${cluster}"`), steady.message);
            const events = status.events.filter((e) => e.message.includes(`rule ${refused.rule}, field ${refused.field}`));
            assert.equal(events.length, 1, JSON.stringify(status.events));
            assert.match(events[0].message, new RegExp(`^\\(service ${refused.service}\\) was unable to start a task: `));
            assert.deepEqual(await groupContainers(cluster, `service:${refused.service}`), [], 'no container was created');
            assert.deepEqual(status.stoppedTasks ?? [], [], 'no task was started, so none failed');
            assert.equal(status.runningCount, 0);
        }
        // The standalone task is refused the same way, before it is recorded as run.
        const task = await waitFor('the standalone task refused', () => {
            const s = readStatus(path('once.yaml'), 'Task', 'once');
            return condition(s?.conditions, 'Launched')?.reason === 'TaskPolicyDenied' ? s : undefined;
        }, { controller });
        assert.ok(condition(task.conditions, 'Launched').message.includes('rule privileged, field containerDefinitions[0].privileged'));
        assert.deepEqual(await groupContainers(cluster, 'task:once'), []);
    });
    test('the other service keeps running and scales; a Cluster edit that allows nothing new repeats no event', async () => {
        const before = (await running(cluster, 'service:steady')).map((c) => c.id);
        writeManifests(dir, { 'steady.yaml': service('steady', cluster, 'fp-steady', 2) });
        await waitFor('steady scaled to 2', () => serviceStatus(path('steady.yaml'), 'steady')?.runningCount === 2, { controller, timeoutMs: 90_000 });
        const after = (await running(cluster, 'service:steady')).map((c) => c.id);
        for (const id of before)
            assert.ok(after.includes(id), 'the running task was left alone');
        // A label on the Cluster requeues every service; the refusals stand and are not told again.
        const reconciledPriv = () => logLines(controller).filter((l) => l.msg === 'reconciled' && l.kind === 'Service' && l.name === 'priv').length;
        const reconciledBefore = reconciledPriv();
        editFile(path('cluster.yaml'), (text) => text.replace(`  name: ${cluster}\n`, `  name: ${cluster}\n  labels: {touched: "yes"}\n`));
        await waitFor('priv reconciled again', () => reconciledPriv() > reconciledBefore, { controller });
        for (const refused of cases) {
            const status = serviceStatus(path(`${refused.service}.yaml`), refused.service);
            assert.equal(status.events.filter((e) => e.message.includes('was unable to start a task')).length, 1, `${refused.service}: ${JSON.stringify(status.events)}`);
            assert.deepEqual(await groupContainers(cluster, `service:${refused.service}`), []);
        }
    });
    test('once the Cluster file allows them, the same definitions run with what they asked for', async () => {
        editFile(path('cluster.yaml'), (text) => text.replace(REQUIRE_NON_ROOT, ALLOW_ALL));
        for (const allowed of cases) {
            await waitFor(`${allowed.service} running`, () => serviceStatus(path(`${allowed.service}.yaml`), allowed.service)?.runningCount === 1, { controller, timeoutMs: 90_000 });
            const [container] = await running(cluster, `service:${allowed.service}`);
            allowed.applied(await docker.getContainer(container.id).inspect());
            assert.equal(condition(serviceStatus(path(`${allowed.service}.yaml`), allowed.service)?.conditions, 'Steady')?.reason, 'SteadyState');
        }
        await waitFor('the standalone task running', async () => (await running(cluster, 'task:once')).length === 1, { controller });
        assert.equal(serviceStatus(path('steady.yaml'), 'steady')?.runningCount, 2);
    });
});
//# sourceMappingURL=faults-policy.test.js.map