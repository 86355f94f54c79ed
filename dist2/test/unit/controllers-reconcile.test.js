/**
 * Controllers as plans: the observed state is seeded on the in-memory runtime and in the
 * ledger, reconcile(key) runs once with a fixed clock, and the actions it returns are
 * compared in order. No manager, no file watcher, no sleep; nothing is applied. The
 * watches are checked the same way: an event in, the keys queued out.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CAPACITY_PROVIDER_WATCHES } from '../../controller/controllers/capacityprovider/controller.js';
import { CLUSTER_WATCHES } from '../../controller/controllers/cluster/controller.js';
import { RETIREMENT_WATCHES, RetirementController } from '../../controller/controllers/retirement/controller.js';
import { SERVICE_WATCHES } from '../../controller/controllers/service/controller.js';
import { TASK_WATCHES } from '../../controller/controllers/task/controller.js';
import { TASK_DEFINITION_WATCHES } from '../../controller/controllers/taskdefinition/controller.js';
import { EnginePool, LOCAL_PROVIDER } from '../../controller/engines.js';
import { silentLogger } from '../../controller/log.js';
import { DEFAULT_CONTROLLER_OPTIONS } from '../../controller/manager/wiring.js';
import { Dispatcher } from '../../controller/manager/worker.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { Ledger } from '../../controller/state/ledger.js';
import { taskContainer } from './taskContainer.js';
const T0 = Date.parse('2026-01-01T00:00:00Z');
/** A clock that stands still unless a test moves it. */
function fixedClock(start) {
    let now = start;
    return { now: () => now, setTimeout: () => undefined, clearTimeout: () => undefined, advance: (ms) => void (now += ms) };
}
async function world(options = {}) {
    const clock = fixedClock(T0);
    const runtime = new MemoryRuntime({ engine: 'memory', clock });
    const engines = new EnginePool({ factory: () => runtime, logger: silentLogger });
    engines.ensure(LOCAL_PROVIDER, undefined);
    const engine = engines.all()[0].address;
    const ledger = new Ledger(undefined);
    const defined = options.defined ?? new Set(['Service/web']);
    const retirement = new RetirementController({
        engines,
        ledger,
        clock,
        options: DEFAULT_CONTROLLER_OPTIONS,
        execution: { isStopping: (taskId) => options.stopping?.has(taskId) ?? false, launching: () => new Map() },
        store: { mayDefine: (kind, name) => defined.has(`${kind}/${name}`) },
    });
    /** A running task of service:web, created now. */
    const task = async (taskId, labels = {}) => {
        const spec = taskContainer(taskId, 'app');
        const id = await runtime.create({ ...spec, labels: { ...spec.labels, ...labels } });
        await runtime.start(id);
        return id;
    };
    return { clock, runtime, engine, ledger, retirement, task };
}
/** The actions with the observed tasks named by id, so that they compare as plain data. */
function named(result) {
    return (result.actions ?? []).map((action) => {
        if (action.type === 'stopTask' || action.type === 'removeTask')
            return { type: action.type, engine: action.engine, taskId: action.task.taskId };
        if (action.type === 'recordStopped')
            return { type: action.type, tasks: action.stopped.map((s) => `${s.taskId} ${s.stopCode}`) };
        return action;
    });
}
describe('RetirementController.reconcile returns the ordered actions of its plan', () => {
    test('a requested stop: the task is stopped, nothing else', async () => {
        const { ledger, retirement, task, engine } = await world();
        await task('a'.repeat(32));
        await task('b'.repeat(32));
        ledger.requestStop('service:web', 'b'.repeat(32), { stopCode: 'ServiceSchedulerInitiated', reason: 'scale in', requestedAt: T0 });
        const result = await retirement.reconcile('service:web', silentLogger);
        assert.deepEqual(named(result), [{ type: 'stopTask', engine, taskId: 'b'.repeat(32) }]);
        assert.equal(ledger.get('service:web').stopped.length, 0, 'the plan wrote nothing');
    });
    test('a stop already under way is not started again', async () => {
        const { ledger, retirement, task } = await world({ stopping: new Set(['b'.repeat(32)]) });
        await task('b'.repeat(32));
        ledger.requestStop('service:web', 'b'.repeat(32), { stopCode: 'ServiceSchedulerInitiated', reason: 'scale in', requestedAt: T0 });
        assert.deepEqual(named(await retirement.reconcile('service:web', silentLogger)), []);
    });
    test('a task that stopped is recorded, then the owner and its cluster are told; its containers are kept', async () => {
        const { runtime, clock, retirement, task } = await world();
        const id = await task('c'.repeat(32));
        clock.advance(60_000);
        runtime.exit(id, 0);
        const result = await retirement.reconcile('service:web', silentLogger);
        assert.deepEqual(named(result), [
            { type: 'recordStopped', tasks: [`${'c'.repeat(32)} EssentialContainerExited`] },
            { type: 'enqueue', key: 'Service/web' },
            { type: 'enqueue', key: 'Cluster/shop' },
        ]);
        // Kept for inspection until the retention ends: the controller comes back then.
        assert.equal(result.requeueAfterMs, DEFAULT_CONTROLLER_OPTIONS.stoppedContainerRetentionMs);
    });
    test('the owner gone: live tasks stop, stopped ones are removed, requests settle, the group is dropped last', async () => {
        const { runtime, ledger, retirement, task, engine } = await world({ defined: new Set() });
        await task('d'.repeat(32));
        const stopped = await task('e'.repeat(32));
        runtime.exit(stopped, 0);
        ledger.requestStop('service:web', 'f'.repeat(32), { stopCode: 'ServiceSchedulerInitiated', reason: 'gone', requestedAt: T0 });
        const result = await retirement.reconcile('service:web', silentLogger);
        assert.deepEqual(named(result), [
            { type: 'stopTask', engine, taskId: 'd'.repeat(32) },
            { type: 'recordStopped', tasks: [`${'e'.repeat(32)} EssentialContainerExited`] },
            { type: 'removeTask', engine, taskId: 'e'.repeat(32) },
            { type: 'settleStopRequest', group: 'service:web', taskId: 'f'.repeat(32) },
            { type: 'enqueue', key: 'Service/web' },
            { type: 'enqueue', key: 'Cluster/shop' },
        ]);
    });
    test('once nothing is left of a deleted owner, the group is dropped', async () => {
        const { ledger, retirement } = await world({ defined: new Set() });
        ledger.requestStop('service:web', 'g'.repeat(32), { stopCode: 'ServiceSchedulerInitiated', reason: 'gone', requestedAt: T0 });
        assert.deepEqual(named(await retirement.reconcile('service:web', silentLogger)), [
            { type: 'settleStopRequest', group: 'service:web', taskId: 'g'.repeat(32) },
            { type: 'dropGroup', group: 'service:web', unlessDefined: { kind: 'Service', name: 'web' } },
        ]);
    });
    test('a stop requested after the engines were listed waits for the next pass', async () => {
        const { ledger, retirement } = await world();
        ledger.requestStop('service:web', 'h'.repeat(32), { stopCode: 'ServiceSchedulerInitiated', reason: 'launching', requestedAt: T0 + 1 });
        assert.deepEqual(named(await retirement.reconcile('service:web', silentLogger)), []);
    });
});
describe('watches: each controller declares which events concern which of its keys', () => {
    const reconcilers = [
        { kind: 'Service', watches: SERVICE_WATCHES, reconcile: async () => ({}) },
        { kind: 'Task', watches: TASK_WATCHES, reconcile: async () => ({}) },
        { kind: 'Retirement', watches: RETIREMENT_WATCHES, reconcile: async () => ({}) },
        { kind: 'Cluster', watches: CLUSTER_WATCHES, reconcile: async () => ({}) },
        { kind: 'CapacityProvider', watches: CAPACITY_PROVIDER_WATCHES, reconcile: async () => ({}) },
        { kind: 'TaskDefinition', watches: TASK_DEFINITION_WATCHES, reconcile: async () => ({}) },
    ];
    const manifests = { Cluster: ['shop'], CapacityProvider: ['local'], TaskDefinition: ['web'], Service: ['web', 'api'], Task: ['batch'] };
    const store = {
        list: (kind) => (manifests[kind] ?? []).map((name) => ({ name })),
        get: (kind, name) => (manifests[kind]?.includes(name) ? { name } : undefined),
    };
    function dispatcher() {
        const added = [];
        const later = [];
        const queue = { add: (key) => void added.push(key), addAfter: (key, ms) => void later.push(`${key} +${ms}`), forget: () => undefined, addRateLimited: () => 0 };
        return { added, later, dispatch: new Dispatcher({ reconcilers, queue, store, logger: silentLogger, apply: async () => undefined }) };
    }
    test('a Cluster edit: the cluster, every service and every task', () => {
        const { added, dispatch } = dispatcher();
        dispatch.manifestChanged('Cluster/shop');
        assert.deepEqual(added, ['Cluster/shop', 'Service/web', 'Service/api', 'Task/batch']);
    });
    test('a TaskDefinition edit: the definition and the waiting tasks (its services are told by its own controller)', () => {
        const { added, dispatch } = dispatcher();
        dispatch.manifestChanged('TaskDefinition/web');
        assert.deepEqual(added, ['TaskDefinition/web', 'Task/batch']);
    });
    test('a Service deleted: the service and every cluster', () => {
        const { added, dispatch } = dispatcher();
        dispatch.manifestChanged('Service/gone');
        assert.deepEqual(added, ['Service/gone', 'Cluster/shop']);
    });
    test("a container's exit: its owner and its retirement now and again shortly; its cluster and provider when they have manifests", () => {
        const { added, later, dispatch } = dispatcher();
        dispatch.containerSeen({ 'berth.group': 'service:web', 'berth.cluster': 'shop', 'berth.capacity-provider': 'local' }, 'die');
        assert.deepEqual(added, ['Service/web', 'Retirement/service:web', 'Cluster/shop', 'CapacityProvider/local']);
        assert.deepEqual(later, ['Service/web +500', 'Retirement/service:web +500']);
        const other = dispatcher();
        other.dispatch.containerSeen({ 'berth.group': 'task:batch', 'berth.cluster': 'elsewhere' }, 'start');
        assert.deepEqual(other.added, ['Task/batch', 'Retirement/task:batch']);
        assert.deepEqual(other.later, []);
    });
    test('an engine back: every service, task and capacity provider', () => {
        const { added, dispatch } = dispatcher();
        dispatch.engineReturned();
        assert.deepEqual(added, ['Service/web', 'Service/api', 'Task/batch', 'CapacityProvider/local']);
    });
});
//# sourceMappingURL=controllers-reconcile.test.js.map