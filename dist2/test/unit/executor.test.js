/**
 * The executor applies the actions plans return, in order, on the in-memory runtime: the
 * one writer of engines and of the ledger. What it has under way the plans read back.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EnginePool, LOCAL_PROVIDER } from '../../controller/engines.js';
import { Executor } from '../../controller/executor/executor.js';
import { silentLogger } from '../../controller/log.js';
import { DEFAULT_CONTROLLER_OPTIONS } from '../../controller/manager/wiring.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { SecretsProvider } from '../../controller/secrets/index.js';
import { Ledger } from '../../controller/state/ledger.js';
import { StatusRecorder } from './statusRecorder.js';
import { taskContainer } from './taskContainer.js';
const T0 = Date.parse('2026-01-01T00:00:00Z');
const GROUP = 'service:web';
const OWNER = { kind: 'Service', name: 'web', group: GROUP };
function fixedClock(start) {
    return { now: () => start, setTimeout: () => undefined, clearTimeout: () => undefined };
}
function world() {
    const clock = fixedClock(T0);
    const runtime = new MemoryRuntime({ engine: 'memory', clock });
    const engines = new EnginePool({ factory: () => runtime, logger: silentLogger });
    engines.ensure(LOCAL_PROVIDER, undefined);
    const engine = engines.all()[0].address;
    const ledger = new Ledger(undefined);
    const enqueued = [];
    const enqueue = (key) => void enqueued.push(key);
    const status = new StatusRecorder();
    const launchContext = { ledger, clock, options: DEFAULT_CONTROLLER_OPTIONS, secrets: new SecretsProvider(), enqueue, store: { get: () => undefined, dir: '/nonexistent' }, engines };
    const executor = new Executor({ engines, ledger, store: { mayDefine: () => true }, enqueue, now: () => clock.now(), launchContext, status });
    const apply = (...actions) => executor.apply(actions, silentLogger);
    return { runtime, engine, ledger, enqueued, status, executor, apply };
}
const messages = (ledger) => ledger.get(GROUP).events.map((e) => e.message);
describe('Executor.apply', () => {
    test('a stop that two passes both saw is recorded and told once', async () => {
        const { ledger, apply } = world();
        const crashed = {
            taskId: 'c'.repeat(32),
            taskDefinition: 'web:1',
            lastStatus: 'STOPPED',
            desiredStatus: 'STOPPED',
            createdAt: new Date(T0).toISOString(),
            stoppedAt: new Date(T0).toISOString(),
            stopCode: 'EssentialContainerExited',
            stoppedReason: 'Essential container in task exited',
            containers: [],
            failed: true,
            wasStable: false,
        };
        await apply({ type: 'recordStopped', group: GROUP, stopped: [crashed] });
        await apply({ type: 'recordStopped', group: GROUP, stopped: [crashed] });
        assert.deepEqual(messages(ledger), [`(service web) task ${'c'.repeat(32)} stopped: Essential container in task exited.`]);
        assert.equal(ledger.get(GROUP).stopped.length, 1);
    });
    test('a placement failure is remembered and told once while its cause is the same', async () => {
        const { ledger, executor, apply } = world();
        const failure = (detail, message = 'unable to place a task') => ({ type: 'placementFailed', group: GROUP, failure: { message, detail, retryAt: T0 + 5000 } });
        await apply(failure('80/tcp'), failure('80/tcp (held by other)'));
        assert.deepEqual(messages(ledger), ['unable to place a task']);
        assert.equal(executor.placementFailure(GROUP)?.detail, '80/tcp (held by other)');
        await apply(failure('81/tcp', 'unable to place a task elsewhere'));
        assert.deepEqual(messages(ledger), ['unable to place a task elsewhere', 'unable to place a task']);
        await apply({ type: 'forgetPlacementFailure', group: GROUP });
        assert.equal(executor.placementFailure(GROUP), undefined);
    });
    test('a restart in place starts the container, then tells it; a start that fails tells nothing', async () => {
        const { runtime, engine, ledger, apply } = world();
        const id = await runtime.create(taskContainer('r'.repeat(32), 'app'));
        await runtime.start(id);
        runtime.exit(id, 3);
        const [container] = await runtime.list({ [LABEL.taskId]: 'r'.repeat(32) });
        await apply({ type: 'restartContainer', group: GROUP, engine, taskId: 'r'.repeat(32), container: container, event: 'restarted app' });
        assert.equal((await runtime.inspect(id))?.state, 'running');
        assert.deepEqual(messages(ledger), ['restarted app']);
        await runtime.remove(id);
        await apply({ type: 'restartContainer', group: GROUP, engine, taskId: 'r'.repeat(32), container: container, event: 'restarted app again' });
        assert.deepEqual(messages(ledger), ['restarted app']);
    });
    test("the status goes last, with the service's events as the actions before it left the ledger", async () => {
        const { status, apply } = world();
        const planned = { status: 'ACTIVE', desiredCount: 0, runningCount: 0, pendingCount: 0, tasks: [], stoppedTasks: [], events: [], conditions: [] };
        await apply({ type: 'addEvent', group: GROUP, message: 'first', at: T0 }, { type: 'addEvent', group: GROUP, message: 'second', at: T0 }, { type: 'writeStatus', write: { file: '/m/service.yaml', kind: 'Service', name: 'web', status: planned }, history: { group: GROUP, events: 1, stoppedTasks: 5 } });
        const written = status.last.get('Service/web');
        assert.deepEqual(written.events.map((e) => e.message), ['second']);
    });
    test('launches carry the task ids the plan chose; each is under way until it ends, then its owner is queued', async () => {
        const { runtime, enqueued, executor, apply } = world();
        const spec = { family: 'web', networkMode: 'host', containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', memory: 64 }] };
        const target = { cluster: 'shop', provider: LOCAL_PROVIDER, runtime, revision: { revision: 1, specHash: 'h', registeredAt: new Date(T0).toISOString(), spec }, family: 'web', imagePullPolicy: 'if-not-present' };
        const taskIds = ['l'.repeat(32), 'm'.repeat(32)];
        await apply({ type: 'launchTasks', owner: OWNER, taskIds, target, spec, at: T0, announceWhenPlaced: false });
        assert.deepEqual([...executor.launching(GROUP).keys()], taskIds);
        assert.equal(executor.launchesInFlight(), 2);
        await executor.drainLaunches();
        assert.equal(executor.launching(GROUP).size, 0);
        assert.deepEqual(enqueued, ['Service/web', 'Service/web']);
        const launched = (await runtime.list({ [LABEL.group]: GROUP })).map((c) => `${c.labels[LABEL.taskId]} ${c.state}`).sort();
        assert.deepEqual(launched, taskIds.map((id) => `${id} running`));
    });
});
//# sourceMappingURL=executor.test.js.map