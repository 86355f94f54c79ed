/**
 * The service and task controllers as plans: the observed state is seeded on the
 * in-memory runtime, in the ledger and in what the executor has under way; reconcile(key)
 * runs once with a fixed clock and fixed task ids, and the actions it returns are
 * compared in order. Nothing is applied: the ledger and the engine are checked untouched.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServiceController } from '../../controller/controllers/service/controller.js';
import { TaskController } from '../../controller/controllers/task/controller.js';
import { EnginePool, LOCAL_PROVIDER } from '../../controller/engines.js';
import { silentLogger } from '../../controller/log.js';
import { DEFAULT_CONTROLLER_OPTIONS } from '../../controller/manager/wiring.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { Ledger } from '../../controller/state/ledger.js';
import { parseManifestText } from '../../controller/store/parse.js';
import { TaskDefinitionRegistry } from '../../controller/store/registry.js';
import { taskContainer } from './taskContainer.js';
const T0 = Date.parse('2026-01-01T00:00:00Z');
const id = (letter) => letter.repeat(32);
const TASK_DEFINITION = { family: 'web', containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', memory: 64 }] };
function fixedClock(start) {
    let now = start;
    return { now: () => now, setTimeout: () => undefined, clearTimeout: () => undefined, advance: (ms) => void (now += ms) };
}
/** Manifests as the store keeps them, parsed from YAML. */
function resources(yaml) {
    const parsed = parseManifestText('/manifests/m.yaml', yaml);
    assert.deepEqual(parsed.errors, []);
    return new Map(parsed.documents.map((d) => [`${d.kind}/${d.name}`, { kind: d.kind, name: d.name, file: '/manifests/m.yaml', manifest: d.manifest, specHash: d.specHash, line: d.line, errors: [], warnings: [] }]));
}
const CLUSTER = 'apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: shop\nspec: {}\n';
const service = (desiredCount) => `${CLUSTER}---\napiVersion: berth/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  cluster: shop\n  taskDefinition: web\n  desiredCount: ${desiredCount}\n`;
const standalone = (extra = '') => `${CLUSTER}---\napiVersion: berth/v1\nkind: Task\nmetadata:\n  name: batch\nspec:\n  cluster: shop\n  taskDefinition: web\n  count: 2\n${extra}`;
/** One engine, revisions 1 to 3 of `web`, the manifests given, and task ids n1, n2... for new tasks. */
function world(yaml, under = {}) {
    const clock = fixedClock(T0);
    const runtime = new MemoryRuntime({ engine: 'memory', clock });
    const engines = new EnginePool({ factory: () => runtime, logger: silentLogger });
    engines.ensure(LOCAL_PROVIDER, undefined);
    const engine = engines.all()[0].address;
    const ledger = new Ledger(undefined);
    const registry = new TaskDefinitionRegistry(undefined);
    for (const revision of [1, 2])
        registry.register('web', { ...TASK_DEFINITION, cpu: String(revision * 256) }, `spec-${revision}`, T0);
    const published = under.hostPort === undefined ? {} : { portMappings: [{ containerPort: 80, hostPort: under.hostPort }] };
    registry.register('web', { ...TASK_DEFINITION, cpu: '768', containerDefinitions: [{ ...TASK_DEFINITION.containerDefinitions[0], ...published }] }, 'spec-3', T0);
    const manifests = resources(yaml);
    let next = 0;
    const ctx = {
        store: {
            get: (kind, name) => manifests.get(`${kind}/${name}`),
            mayDefine: (kind, name) => manifests.has(`${kind}/${name}`),
        },
        registry,
        engines,
        ledger,
        clock,
        logger: silentLogger,
        options: DEFAULT_CONTROLLER_OPTIONS,
        execution: {
            isStopping: () => false,
            launching: () => under.launching ?? new Map(),
            placementFailure: () => under.placementFailure,
            refusalTold: () => undefined,
        },
    };
    const newTaskId = () => `n${++next}`.padEnd(32, '0');
    /** A running task of `group`, created now. */
    const task = async (taskId, labels = {}) => {
        const spec = taskContainer(taskId, 'app');
        const containerId = await runtime.create({ ...spec, labels: { ...spec.labels, [LABEL.capacityProvider]: LOCAL_PROVIDER, ...labels } });
        await runtime.start(containerId);
        return containerId;
    };
    return { clock, runtime, engine, ledger, task, services: new ServiceController(ctx, newTaskId), tasks: new TaskController(ctx, newTaskId) };
}
/** The actions as plain data: tasks by id, the status by its counts and Steady condition. */
function named(result) {
    return (result.actions ?? []).map((action) => {
        switch (action.type) {
            case 'addEvent':
                return { event: action.message };
            case 'requestStop':
                return { requestStop: action.taskId, reason: action.request.reason };
            case 'launchTasks':
                return { launch: action.taskIds, spec: `${action.target.family}:${action.target.revision.revision}`, announceWhenPlaced: action.announceWhenPlaced };
            case 'recordStopped':
                return { recordStopped: action.stopped.map((s) => `${s.taskId} ${s.stopCode}`) };
            case 'recordRun':
                return { recordRun: Object.keys(action.run.tasks), taskDefinition: action.run.taskDefinition };
            case 'setConditions':
                return { conditions: action.conditions.map((c) => `${c.type}=${c.status} ${c.reason}`) };
            case 'writeStatus': {
                const status = action.write.status;
                return { writeStatus: `${action.write.kind}/${action.write.name}`, runningCount: status.runningCount, pendingCount: status.pendingCount, lastStatus: status.lastStatus };
            }
            default:
                return action;
        }
    });
}
const started = (...ids) => ({ event: `(service web) has started ${ids.length} tasks: ${ids.map((i) => `(task ${i})`).join(' ')}.` });
const N1 = 'n1'.padEnd(32, '0');
const N2 = 'n2'.padEnd(32, '0');
const N3 = 'n3'.padEnd(32, '0');
describe('ServiceController.reconcile returns the ordered actions of its plan', () => {
    test('scale out: the started event names the tasks, then they launch; the status counts them pending', async () => {
        const { services, ledger, runtime } = world(service(3));
        const result = await services.reconcile('web', silentLogger);
        assert.deepEqual(named(result), [
            started(N1, N2, N3),
            { launch: [N1, N2, N3], spec: 'web:3', announceWhenPlaced: false },
            { conditions: ['Valid=True SpecAccepted', 'Steady=False ScalingUp'] },
            { writeStatus: 'Service/web', runningCount: 0, pendingCount: 3, lastStatus: undefined },
        ]);
        assert.equal(result.requeueAfterMs, undefined);
        assert.deepEqual(ledger.get('service:web').events, [], 'the plan wrote nothing');
        assert.deepEqual(runtime.takeCommands(), [], 'nor changed the engine');
    });
    test('launches under way are counted: nothing more is launched, and they stay pending in the status', async () => {
        const launching = new Map([[id('l'), { revision: 3, createdAt: T0 }]]);
        const { services } = world(service(1), { launching });
        assert.deepEqual(named(await services.reconcile('web', silentLogger)), [
            { conditions: ['Valid=True SpecAccepted', 'Steady=False ScalingUp'] },
            { writeStatus: 'Service/web', runningCount: 0, pendingCount: 1, lastStatus: undefined },
        ]);
    });
    test('scale in: the newest tasks are asked to stop, told in one event, and the retirement is queued', async () => {
        const { services, task, clock } = world(service(1));
        await task(id('a'));
        clock.advance(1000);
        await task(id('b'));
        clock.advance(1000);
        await task(id('c'));
        assert.deepEqual(named(await services.reconcile('web', silentLogger)), [
            { requestStop: id('c'), reason: 'Scaling activity initiated by the service' },
            { requestStop: id('b'), reason: 'Scaling activity initiated by the service' },
            { event: `(service web) has stopped 2 running tasks: (task ${id('c')}) (task ${id('b')}).` },
            { type: 'enqueue', key: 'Retirement/service:web' },
            { type: 'setSteady', group: 'service:web', steady: true },
            { event: '(service web) has reached a steady state.' },
            { conditions: ['Valid=True SpecAccepted', 'Steady=True SteadyState'] },
            { writeStatus: 'Service/web', runningCount: 1, pendingCount: 0, lastStatus: undefined },
        ]);
    });
    test('a new revision, 200/100: the new tasks launch beside the old ones, which stop once the new ones run', async () => {
        const first = world(service(2));
        await first.task(id('a'), { [LABEL.revision]: '2' });
        await first.task(id('b'), { [LABEL.revision]: '2' });
        assert.deepEqual(named(await first.services.reconcile('web', silentLogger)), [
            started(N1, N2),
            { launch: [N1, N2], spec: 'web:3', announceWhenPlaced: false },
            { conditions: ['Valid=True SpecAccepted', 'Steady=False Deploying'] },
            { writeStatus: 'Service/web', runningCount: 2, pendingCount: 2, lastStatus: undefined },
        ]);
        const second = world(service(2));
        await second.task(id('a'), { [LABEL.revision]: '2' });
        second.clock.advance(500);
        await second.task(id('b'), { [LABEL.revision]: '2' });
        second.clock.advance(1000);
        await second.task(N1);
        await second.task(N2);
        const replaced = 'Task replaced by a newer task definition revision';
        assert.deepEqual(named(await second.services.reconcile('web', silentLogger)), [
            { requestStop: id('b'), reason: replaced },
            { requestStop: id('a'), reason: replaced },
            { event: `(service web) has stopped 2 running tasks: (task ${id('b')}) (task ${id('a')}).` },
            { type: 'enqueue', key: 'Retirement/service:web' },
            { type: 'setSteady', group: 'service:web', steady: true },
            { event: '(service web) has reached a steady state.' },
            { conditions: ['Valid=True SpecAccepted', 'Steady=True SteadyState'] },
            { writeStatus: 'Service/web', runningCount: 2, pendingCount: 0, lastStatus: undefined },
        ]);
    });
    test('crash loop: the stop seen in this pass counts; the launch waits, the service says it once and polls', async () => {
        const { services, ledger, runtime, task, clock } = world(service(1));
        for (const letter of ['x', 'y'])
            ledger.recordStopped('service:web', failedTask(id(letter), T0 - 500));
        const crashed = await task(id('z'));
        clock.advance(100);
        runtime.exit(crashed, 1);
        const result = await services.reconcile('web', silentLogger);
        assert.deepEqual(named(result), [
            { recordStopped: [`${id('z')} EssentialContainerExited`] },
            { event: '(service web) is unable to consistently start tasks successfully.' },
            { conditions: ['Valid=True SpecAccepted', 'Steady=False TasksFailing'] },
            { writeStatus: 'Service/web', runningCount: 0, pendingCount: 0, lastStatus: undefined },
        ]);
        // Three failures in a row: 2 s after the newest.
        assert.equal(result.requeueAfterMs, 2000);
        assert.equal(ledger.get('service:web').stopped.length, 2, 'the plan recorded nothing itself');
    });
    test('an unhealthy task is stopped and told, and its replacement launches in the same pass', async () => {
        const { services, task, runtime } = world(service(1));
        const sick = await task(id('u'));
        await runtime.stop(sick, { timeoutSeconds: 0 });
        const healthCheck = { test: ['CMD', 'true'], intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0 };
        const containerId = await runtime.create({ ...taskContainer(id('h'), 'app'), healthCheck, labels: { ...taskContainer(id('h'), 'app').labels, [LABEL.capacityProvider]: LOCAL_PROVIDER, [LABEL.healthCheck]: 'true' } });
        await runtime.start(containerId);
        runtime.setHealth(containerId, 'unhealthy');
        const actions = named(await services.reconcile('web', silentLogger));
        assert.deepEqual(actions.slice(1, 6), [
            { requestStop: id('h'), reason: 'Task failed container health checks' },
            { event: `(service web) (task ${id('h')}) failed container health checks.` },
            { type: 'enqueue', key: 'Retirement/service:web' },
            started(N1),
            { launch: [N1], spec: 'web:3', announceWhenPlaced: false },
        ]);
    });
    test('within healthCheckGracePeriodSeconds an unhealthy task is left alone, and looked at again when the grace ends', async () => {
        const { services, runtime, clock } = world(service(1).replace('desiredCount: 1', 'desiredCount: 1\n  healthCheckGracePeriodSeconds: 60'));
        const healthCheck = { test: ['CMD', 'true'], intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0 };
        const containerId = await runtime.create({ ...taskContainer(id('h'), 'app'), healthCheck, labels: { ...taskContainer(id('h'), 'app').labels, [LABEL.capacityProvider]: LOCAL_PROVIDER, [LABEL.healthCheck]: 'true' } });
        await runtime.start(containerId);
        runtime.setHealth(containerId, 'unhealthy');
        clock.advance(20_000);
        const inGrace = await services.reconcile('web', silentLogger);
        assert.ok(!named(inGrace).some((a) => typeof a === 'object' && a !== null && 'requestStop' in a), JSON.stringify(named(inGrace)));
        assert.equal(inGrace.requeueAfterMs, 40_000);
        clock.advance(40_000);
        const after = named(await services.reconcile('web', silentLogger));
        assert.deepEqual(after.slice(0, 2), [{ requestStop: id('h'), reason: 'Task failed container health checks' }, { event: `(service web) (task ${id('h')}) failed container health checks.` }]);
    });
    test('while a placement is retried, the launch is announced only once the task is placed', async () => {
        const placementFailure = { message: '(service web) was unable to place a task', detail: 'host port 80/tcp', retryAt: T0 - 1 };
        const { services } = world(service(1), { placementFailure });
        const result = await services.reconcile('web', silentLogger);
        assert.deepEqual(named(result).slice(0, 2), [{ launch: [N1], spec: 'web:3', announceWhenPlaced: true }, { conditions: ['Valid=True SpecAccepted', 'Steady=False PortInUse'] }]);
    });
    test('a fixed host port someone holds: the task is not placed, the service says why and tries again later', async () => {
        const { services, runtime } = world(service(1), { hostPort: 8080 });
        const other = taskContainer(id('o'), 'app', { name: 'other-web', ports: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }] });
        const holder = await runtime.create({ ...other, labels: { ...other.labels, [LABEL.group]: 'service:other' } });
        await runtime.start(holder);
        const result = await services.reconcile('web', silentLogger);
        const failure = (result.actions ?? []).find((a) => a.type === 'placementFailed');
        assert.equal(failure?.type === 'placementFailed' && failure.failure.detail, 'host port 8080/tcp (held by other-web) is already in use');
        assert.deepEqual(named(result).slice(1), [
            { conditions: ['Valid=True SpecAccepted', 'Steady=False PortInUse'] },
            { writeStatus: 'Service/web', runningCount: 0, pendingCount: 0, lastStatus: undefined },
        ]);
        assert.equal(result.requeueAfterMs, DEFAULT_CONTROLLER_OPTIONS.placementRetryMs);
    });
    test('a fixed host port that is free: one task is placed at a time, since its siblings need the same port', async () => {
        const { services } = world(service(2), { hostPort: 8080 });
        assert.deepEqual(named(await services.reconcile('web', silentLogger)).slice(0, 2), [started(N1), { launch: [N1], spec: 'web:3', announceWhenPlaced: false }]);
    });
    test('the Service manifest deleted: every task is asked to stop and the retirement is queued; no status', async () => {
        const { services, task } = world(CLUSTER);
        await task(id('a'));
        await task(id('b'));
        assert.deepEqual(named(await services.reconcile('web', silentLogger)), [
            { requestStop: id('a'), reason: 'Service was deleted' },
            { requestStop: id('b'), reason: 'Service was deleted' },
            { type: 'enqueue', key: 'Retirement/service:web' },
        ]);
    });
});
describe('TaskController.reconcile returns the ordered actions of its plan', () => {
    const group = { [LABEL.group]: 'task:batch' };
    test('a new run is recorded before its tasks launch', async () => {
        const { tasks, ledger } = world(standalone());
        assert.deepEqual(named(await tasks.reconcile('batch', silentLogger)), [
            { recordRun: [N1, N2], taskDefinition: 'web:3' },
            { launch: [N1, N2], spec: 'web:3', announceWhenPlaced: false },
            { conditions: ['Valid=True SpecAccepted', 'Launched=True Launched', 'SpecApplied=True SpecUnchanged'] },
            { writeStatus: 'Task/batch', runningCount: 0, pendingCount: 2, lastStatus: 'PROVISIONING' },
        ]);
        assert.equal(ledger.get('task:batch').run, undefined, 'the plan recorded nothing itself');
    });
    test('desiredStatus STOPPED: each running task is asked to stop and dated, then the retirement is queued', async () => {
        const { tasks, task, ledger } = world(standalone('  desiredStatus: STOPPED\n'));
        ledger.recordRun('task:batch', { cluster: 'shop', taskDefinition: 'web:3', specHash: 'old', launchedAt: T0, tasks: { [id('a')]: { createdAt: T0 } } });
        await task(id('a'), group);
        assert.deepEqual(named(await tasks.reconcile('batch', silentLogger)), [
            { requestStop: id('a'), reason: 'Task stopped by user' },
            { type: 'noteTaskTimes', group: 'task:batch', taskId: id('a'), times: { stoppingAt: T0 } },
            { type: 'enqueue', key: 'Retirement/task:batch' },
            { conditions: ['Valid=True SpecAccepted', 'Launched=True Launched', 'SpecApplied=False SpecChanged'] },
            { writeStatus: 'Task/batch', runningCount: 1, pendingCount: 0, lastStatus: 'RUNNING' },
        ]);
    });
    test('the Task manifest deleted: its tasks are asked to stop and the retirement is queued; no status', async () => {
        const { tasks, task, ledger } = world(CLUSTER);
        ledger.recordRun('task:batch', { cluster: 'shop', taskDefinition: 'web:3', specHash: 'old', launchedAt: T0, tasks: { [id('a')]: { createdAt: T0 } } });
        await task(id('a'), group);
        assert.deepEqual(named(await tasks.reconcile('batch', silentLogger)), [
            { requestStop: id('a'), reason: 'Task stopped by user: its Task manifest was deleted' },
            { type: 'noteTaskTimes', group: 'task:batch', taskId: id('a'), times: { stoppingAt: T0 } },
            { type: 'enqueue', key: 'Retirement/task:batch' },
        ]);
    });
});
function failedTask(taskId, stoppedAt) {
    return {
        taskId,
        taskDefinition: 'web:3',
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        createdAt: new Date(stoppedAt - 1000).toISOString(),
        stoppedAt: new Date(stoppedAt).toISOString(),
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [],
        failed: true,
        wasStable: false,
    };
}
//# sourceMappingURL=service-task-reconcile.test.js.map