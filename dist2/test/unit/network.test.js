/**
 * Network, PID and IPC modes: the mapping of a task definition to Docker specs (pause
 * container, links, host ports), the observation of a task with a pause container, the
 * placement wait in the service plan, link validation, and a launch on the in-memory engine.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ledger } from '../../controller/state/ledger.js';
import { DEFAULT_SERVICE_PLAN_OPTIONS, planService } from '../../controller/controllers/service/plan.js';
import { pauseContainerName, pauseContainerSpec, requiredHostPorts, taskContainerSpecs, taskLinks, } from '../../controller/taskspec/containerSpecs.js';
import { hostPortConflicts, launchTask } from '../../controller/executor/launcher.js';
import { observeTasks } from '../../controller/observer/observe.js';
import { taskSummary } from '../../controller/observer/summary.js';
import { silentLogger } from '../../controller/log.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { formatManifestError, parseManifestText } from '../../controller/store/parse.js';
const identity = {
    cluster: 'shop',
    group: 'service:web',
    taskId: '0123456789abcdef0123456789abcdef',
    family: 'web',
    revision: 2,
    capacityProvider: 'local',
};
const PAUSE = 'berth-shop-web-0123456789ab.pause';
function spec(fields) {
    return {
        containerDefinitions: [
            { name: 'app', image: 'berth/busybox:1', hostname: 'shop', dnsServers: ['10.0.0.2'], extraHosts: [{ hostname: 'db', ipAddress: '10.0.0.9' }], portMappings: [{ containerPort: 80 }] },
            { name: 'db', image: 'berth/busybox:1', portMappings: [{ containerPort: 5432, hostPort: 5432 }] },
        ],
        ...fields,
    };
}
describe('network mode mapping', () => {
    test('the pause container name cannot be taken by a container of the task', () => {
        assert.equal(pauseContainerName(identity), PAUSE);
    });
    test('awsvpc: containers join the pause container, which carries the alias, hostname and DNS settings', () => {
        const awsvpc = spec({ networkMode: 'awsvpc' });
        const [app, db] = taskContainerSpecs(awsvpc, identity, { serviceName: 'web' });
        for (const container of [app, db]) {
            assert.equal(container.network, `container:${PAUSE}`);
            assert.deepEqual(container.ports, []);
            assert.equal(container.networkAliases, undefined);
            assert.equal(container.hostname, undefined);
            assert.equal(container.links, undefined);
            assert.equal(container.settings?.dns, undefined);
            assert.equal(container.settings?.extraHosts, undefined);
        }
        const pause = pauseContainerSpec(awsvpc, identity, { serviceName: 'web' });
        assert.equal(pause.name, PAUSE);
        assert.equal(pause.image, 'berth/pause:1');
        assert.equal(pause.network, 'berth-shop');
        assert.deepEqual(pause.networkAliases, ['web']);
        assert.equal(pause.hostname, 'shop');
        assert.deepEqual(pause.settings, { dns: ['10.0.0.2'], extraHosts: ['db:10.0.0.9'] });
        assert.equal(pause.labels[LABEL.role], 'pause');
        assert.equal(pause.labels[LABEL.taskId], identity.taskId);
        assert.equal(pause.labels[LABEL.container], undefined, 'no container of the task');
        assert.equal(pauseContainerSpec(awsvpc, identity, { image: 'registry.local/pause:3' }).image, 'registry.local/pause:3');
    });
    test('bridge: every container links the others by name, plus its ECS links with aliases; no pause container', () => {
        const bridge = spec({});
        bridge.containerDefinitions[0].links = ['db:database'];
        const [app, db] = taskContainerSpecs(bridge, identity, { serviceName: 'web' });
        assert.deepEqual(app.links, ['berth-shop-web-0123456789ab-db:db', 'berth-shop-web-0123456789ab-db:database']);
        assert.deepEqual(db.links, ['berth-shop-web-0123456789ab-app:app']);
        assert.equal(app.network, 'berth-shop');
        assert.deepEqual(app.networkAliases, ['web']);
        assert.equal(pauseContainerSpec(bridge, identity, {}), undefined);
        assert.deepEqual(taskLinks({ containerDefinitions: [{ name: 'solo', image: 'x' }] }, identity, { name: 'solo', image: 'x' }), []);
    });
    test('host: no published ports, the listened ports in a label; none: no ports', () => {
        const [app, db] = taskContainerSpecs(spec({ networkMode: 'host' }), identity, {});
        assert.equal(app.network, 'host');
        assert.deepEqual(app.ports, []);
        assert.equal(app.labels[LABEL.hostPorts], '80/tcp');
        assert.equal(db.labels[LABEL.hostPorts], '5432/tcp');
        assert.equal(app.hostname, undefined);
        const [none] = taskContainerSpecs(spec({ networkMode: 'none' }), identity, {});
        assert.equal(none.network, 'none');
        assert.deepEqual(none.ports, []);
    });
    test('pidMode and ipcMode: host as is, task through the pause container (shareable IPC), none for IPC', () => {
        const shared = spec({ pidMode: 'task', ipcMode: 'task' });
        const [app] = taskContainerSpecs(shared, identity, {});
        assert.equal(app.settings?.pidMode, `container:${PAUSE}`);
        assert.equal(app.settings?.ipcMode, `container:${PAUSE}`);
        const pause = pauseContainerSpec(shared, identity, {});
        assert.equal(pause.network, 'none', 'outside awsvpc the pause container holds no network');
        assert.deepEqual(pause.settings, { ipcMode: 'shareable' });
        const [hostApp] = taskContainerSpecs(spec({ pidMode: 'host', ipcMode: 'none' }), identity, {});
        assert.equal(hostApp.settings?.pidMode, 'host');
        assert.equal(hostApp.settings?.ipcMode, 'none');
        assert.equal(pauseContainerSpec(spec({ pidMode: 'host' }), identity, {}), undefined);
    });
    test('required host ports: fixed bridge hostPorts and host mode container ports; none for awsvpc', () => {
        assert.deepEqual(requiredHostPorts(spec({})), [{ hostPort: 5432, protocol: 'tcp' }]);
        assert.deepEqual(requiredHostPorts(spec({ networkMode: 'host' })), [
            { hostPort: 80, protocol: 'tcp' },
            { hostPort: 5432, protocol: 'tcp' },
        ]);
        assert.deepEqual(requiredHostPorts(spec({ networkMode: 'awsvpc' })), []);
    });
});
describe('tasks with a pause container, on the in-memory engine', () => {
    const launch = async (runtime, definition, taskId = identity.taskId) => {
        const ledger = new Ledger(undefined);
        const outcome = await launchTask({ runtime, identity: { ...identity, taskId }, spec: definition, serviceName: 'web', ledger, logger: silentLogger, now: () => 0 });
        return { outcome, ledger };
    };
    test('the pause container starts first and is no container of the task; the task reports its address', async () => {
        const runtime = new MemoryRuntime();
        const { outcome } = await launch(runtime, spec({ networkMode: 'awsvpc' }));
        assert.equal(outcome, 'started');
        assert.deepEqual(runtime.commands.filter((c) => c.op === 'start').map((c) => c.target), [PAUSE, 'berth-shop-web-0123456789ab-app', 'berth-shop-web-0123456789ab-db']);
        const [task] = observeTasks(await runtime.list());
        assert.equal(task.lastStatus, 'RUNNING');
        assert.deepEqual(task.containers.map((c) => c.labels[LABEL.container]).sort(), ['app', 'db']);
        assert.equal(task.pause?.name, PAUSE);
        assert.match(task.address ?? '', /^172\.\d+\.0\.\d+$/);
        const summary = taskSummary(task, 'RUNNING');
        assert.deepEqual(summary.attachments?.[0]?.details, [{ name: 'privateIPv4Address', value: task.address }]);
        assert.ok(summary.containers.every((c) => c.networkInterfaces?.[0]?.privateIpv4Address === task.address));
    });
    test('a task stays STOPPING while its pause container runs, and is STOPPED once it has stopped', async () => {
        const runtime = new MemoryRuntime();
        await launch(runtime, spec({ networkMode: 'awsvpc' }));
        for (const c of await runtime.list())
            if (c.labels[LABEL.role] !== 'pause')
                await runtime.stop(c.id, { timeoutSeconds: 1 });
        assert.equal(observeTasks(await runtime.list())[0].lastStatus, 'STOPPING');
        await runtime.stop(PAUSE, { timeoutSeconds: 1 });
        assert.equal(observeTasks(await runtime.list())[0].lastStatus, 'STOPPED');
    });
    test('a task that got no further than its pause container is PROVISIONING', async () => {
        const runtime = new MemoryRuntime();
        await runtime.create(pauseContainerSpec(spec({ networkMode: 'awsvpc' }), identity, {}));
        assert.equal(observeTasks(await runtime.list())[0].lastStatus, 'PROVISIONING');
    });
    test('a fixed host port already held: the launch is unplaced and leaves nothing behind, and no failure is recorded', async () => {
        const runtime = new MemoryRuntime();
        runtime.runForeignContainer({ name: 'squatter', image: 'berth/busybox:1', ports: [{ containerPort: 1, hostPort: 5432, protocol: 'tcp' }] });
        assert.deepEqual(await hostPortConflicts(runtime, spec({})), ['5432/tcp (held by squatter)']);
        const { outcome, ledger } = await launch(runtime, spec({}));
        assert.equal(outcome, 'unplaced');
        assert.deepEqual(await runtime.list(), []);
        assert.deepEqual(ledger.get(identity.group).stopped, []);
    });
    test('a missing pause image fails the launch with CannotPullContainerError naming the image', async () => {
        const runtime = new MemoryRuntime({ images: ['berth/busybox:1'] });
        const { outcome, ledger } = await launch(runtime, spec({ networkMode: 'awsvpc' }));
        assert.equal(outcome, 'failed');
        assert.match(ledger.get(identity.group).stopped[0].stoppedReason ?? '', /^CannotPullContainerError: pause image "berth\/pause:1" .*scripts\/build-images\.sh/);
    });
});
describe('placement waits in the service plan', () => {
    test('no launch while placement is blocked, and no throttle: the wait is the requeue', () => {
        const plan = planService({ desired: { desiredCount: 1, revision: 1 }, tasks: [], stopped: [], now: 1000, options: DEFAULT_SERVICE_PLAN_OPTIONS, placementBlockedUntil: 6000 });
        assert.equal(plan.launch, 0);
        assert.equal(plan.placementWaitMs, 5000);
        assert.equal(plan.requeueAfterMs, 5000);
        assert.equal(plan.throttle, undefined);
        const later = planService({ desired: { desiredCount: 1, revision: 1 }, tasks: [], stopped: [], now: 6000, options: DEFAULT_SERVICE_PLAN_OPTIONS, placementBlockedUntil: 6000 });
        assert.equal(later.launch, 1);
    });
});
describe('links validation', () => {
    const doc = (networkMode, links) => `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  networkMode: ${networkMode}
  containerDefinitions:
    - name: app
      image: busybox
      links: ${links}
    - name: db
      image: busybox
`;
    const errors = (text) => parseManifestText('web.yaml', text).errors.map(formatManifestError);
    test('links name another container of the task, as name or name:alias', () => {
        assert.deepEqual(errors(doc('bridge', '[db, "db:database"]')), []);
        assert.deepEqual(errors(doc('bridge', '[dbb]')), [
            'web.yaml:10:15: TaskDefinition/web: spec.containerDefinitions[0].links[0]: Container "dbb" is not a container of this task definition (did you mean "db"?); links must name one of: app, db',
        ]);
        assert.deepEqual(errors(doc('bridge', '[app]')), ['web.yaml:10:15: TaskDefinition/web: spec.containerDefinitions[0].links[0]: A container cannot link to itself ("app")']);
        assert.match(errors(doc('bridge', '["db:a:b"]'))[0] ?? '', /must be "name" or "name:alias"/);
    });
    test('links only in bridge mode, with ECS’s message', () => {
        assert.deepEqual(errors(doc('awsvpc', '[db]')), ['web.yaml:10:7: TaskDefinition/web: spec.containerDefinitions[0].links: Links are not supported when networkMode=awsvpc']);
    });
});
describe('config hash', () => {
    test('tasks of one revision hash alike, though links, volumesFrom, task volumes and the awsvpc namespace name their own task', () => {
        const other = { ...identity, taskId: 'fedcba9876543210fedcba9876543210' };
        const definitions = [
            { name: 'db', image: 'berth/busybox:1', mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] },
            { name: 'app', image: 'berth/busybox:1', links: ['db'], volumesFrom: [{ sourceContainer: 'db' }] },
        ];
        for (const networkMode of ['bridge', 'awsvpc']) {
            const task = { networkMode, volumes: [{ name: 'data' }], containerDefinitions: networkMode === 'bridge' ? definitions : definitions.map(({ links: _links, ...d }) => d) };
            const hashes = (who) => taskContainerSpecs(task, who, {}).map((s) => s.labels[LABEL.configHash]);
            assert.deepEqual(hashes(identity), hashes(other), networkMode);
            const changed = { ...task, containerDefinitions: task.containerDefinitions.map((d) => ({ ...d, image: 'berth/httpd:1' })) };
            assert.notDeepEqual(taskContainerSpecs(changed, identity, {}).map((s) => s.labels[LABEL.configHash]), hashes(identity), 'a real change still shows');
        }
    });
});
//# sourceMappingURL=network.test.js.map