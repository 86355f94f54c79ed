import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL } from '../../controller/runtime/labels.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { EngineError } from '../../controller/runtime/runtime.js';
import { ObservedEngine } from '../../controller/observer/engineCache.js';
import { BUSYBOX_IMAGE, EventRecorder, runtimeContract } from '../runtime.contract.js';
/**
 * The in-memory engine, as the contract sees it: bare, or behind the observer's cache
 * (following its events, as a controller's pool does), which must answer every call alike.
 */
function memoryHarness(view) {
    const runtime = new MemoryRuntime();
    const observed = view === 'observed' ? new ObservedEngine(runtime) : undefined;
    const following = observed?.events().subscribe();
    return {
        runtime: observed ?? runtime,
        runLabels: { 'berth.test': 'memory' },
        namePrefix: 'berth-test-memory',
        makeExit: async (id, code) => runtime.exit(id, code),
        writeLog: async (id, stream, line) => runtime.writeLog(id, stream, line),
        createUnmanaged: async (spec) => runtime.runForeignContainer({ ...spec, command: [...spec.command] }),
        engineView: async (idOrName) => {
            const spec = runtime.specOf(idOrName);
            if (!spec)
                return undefined;
            const view = {
                env: spec.env,
                command: spec.command,
                entryPoint: spec.entryPoint,
                hostname: spec.hostname,
                user: spec.user,
                workingDir: spec.workingDir,
                cpuShares: spec.cpuShares,
                memoryBytes: spec.memoryBytes,
                memoryReservationBytes: spec.memoryReservationBytes,
                network: spec.network,
                aliases: spec.networkAliases ?? [],
                ...(spec.logDriver ? { logDriver: spec.logDriver } : {}),
                ...(spec.writableLayerBytes !== undefined ? { writableLayerBytes: spec.writableLayerBytes } : {}),
            };
            return view;
        },
        privateRegistry: async () => {
            const host = '127.0.0.1:5998';
            const seen = runtime.privateRegistry(host);
            return { host, authorizations: () => seen, close: async () => undefined };
        },
        cleanup: async () => {
            following?.unsubscribe();
            await (observed ?? runtime).close();
        },
    };
}
runtimeContract('MemoryRuntime', { realProcesses: false, networkDns: false }, async () => memoryHarness('bare'));
runtimeContract('ObservedEngine over MemoryRuntime', { realProcesses: false, networkDns: false }, async () => memoryHarness('observed'));
/** A clock tests move by hand. */
function manualClock(start = Date.parse('2025-01-01T00:00:00.000Z')) {
    let now = start;
    return {
        now: () => now,
        advance: (ms) => {
            now += ms;
        },
    };
}
function spec(name, overrides = {}) {
    return {
        name,
        image: BUSYBOX_IMAGE,
        env: {},
        labels: { [LABEL.managed]: 'true', [LABEL.container]: name },
        ports: [],
        network: 'bridge',
        ...overrides,
    };
}
async function run(runtime, containerSpec) {
    const id = await runtime.create(containerSpec);
    await runtime.start(id);
    return id;
}
describe('MemoryRuntime test hooks', () => {
    test('timestamps follow the injected clock', async () => {
        const clock = manualClock();
        const runtime = new MemoryRuntime({ clock });
        const id = await runtime.create(spec('clocked'));
        clock.advance(1500);
        await runtime.start(id);
        clock.advance(60_000);
        runtime.exit(id, 0);
        const observed = await runtime.inspect(id);
        assert.equal(observed?.createdAt, '2025-01-01T00:00:00.000Z');
        assert.equal(observed?.startedAt, '2025-01-01T00:00:01.500Z');
        assert.equal(observed?.finishedAt, '2025-01-01T00:01:01.500Z');
    });
    test('dynamic host ports count up from 32768 and a freed port is not handed out again at once', async () => {
        const runtime = new MemoryRuntime();
        const ports = [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }];
        const first = await run(runtime, spec('a', { ports }));
        const second = await run(runtime, spec('b', { ports }));
        assert.deepEqual((await runtime.inspect(first))?.ports, [
            { containerPort: 80, hostPort: 32768, protocol: 'tcp', hostIp: '0.0.0.0' },
            { containerPort: 80, hostPort: 32768, protocol: 'tcp', hostIp: '::' },
        ]);
        assert.equal((await runtime.inspect(second))?.ports[0]?.hostPort, 32769);
        await runtime.remove(first);
        const third = await run(runtime, spec('c', { ports }));
        assert.equal((await runtime.inspect(third))?.ports[0]?.hostPort, 32770, 'allocation moves on, like Docker');
    });
    test('a foreign container holding a fixed port blocks a managed one, and stays invisible', async () => {
        const runtime = new MemoryRuntime();
        const foreign = runtime.runForeignContainer({ name: 'someone-elses', image: BUSYBOX_IMAGE, ports: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }] });
        const id = await runtime.create(spec('web', { ports: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }] }));
        await assert.rejects(runtime.start(id), /Bind for 0\.0\.0\.0:8080 failed: port is already allocated/);
        const failed = await runtime.inspect(id);
        assert.equal(failed?.state, 'created');
        assert.equal(failed?.exitCode, 128, 'Docker reports 128 for a start that failed');
        assert.equal(await runtime.inspect(foreign), undefined);
        assert.deepEqual((await runtime.list()).map((container) => container.name), ['web']);
        // The same port number over udp is another port.
        const udp = await run(runtime, spec('dns', { ports: [{ containerPort: 53, hostPort: 8080, protocol: 'udp' }] }));
        assert.equal((await runtime.inspect(udp))?.state, 'running');
    });
    test('failNextCreate fails exactly one create with the engine message', async () => {
        const runtime = new MemoryRuntime();
        runtime.failNextCreate('devmapper: Thin Pool has 0 free data blocks');
        await assert.rejects(runtime.create(spec('first')), (error) => {
            assert.ok(error instanceof EngineError);
            assert.equal(error.statusCode, 500);
            assert.equal(error.message, `engine ${runtime.engine}: create container "first": devmapper: Thin Pool has 0 free data blocks`);
            return true;
        });
        assert.deepEqual(await runtime.list(), [], 'nothing was created');
        await runtime.create(spec('first'));
        assert.equal((await runtime.list()).length, 1);
    });
    test('kill exits 137 after a kill event; oomKill marks OOMKilled', async () => {
        const runtime = new MemoryRuntime();
        const recorder = new EventRecorder(runtime.events());
        const killed = await run(runtime, spec('killed'));
        const oom = await run(runtime, spec('oom'));
        runtime.kill(killed);
        runtime.oomKill(oom);
        assert.equal((await runtime.inspect(killed))?.exitCode, 137);
        const oomed = await runtime.inspect(oom);
        assert.equal(oomed?.exitCode, 137);
        assert.equal(oomed?.oomKilled, true);
        assert.deepEqual(recorder.containerEvents(killed).map((event) => event.action), ['create', 'start', 'kill', 'die']);
        assert.deepEqual(recorder.containerEvents(oom).map((event) => event.action), ['create', 'start', 'oom', 'die']);
        assert.throws(() => runtime.kill(killed), /no running container/);
        recorder.stop();
    });
    test('stop with timeout 0 is a SIGKILL (137), with a timeout the process honours SIGTERM (143)', async () => {
        const runtime = new MemoryRuntime();
        const graceful = await run(runtime, spec('graceful'));
        const abrupt = await run(runtime, spec('abrupt'));
        await runtime.stop(graceful, { timeoutSeconds: 30 });
        await runtime.stop(abrupt, { timeoutSeconds: 0 });
        assert.equal((await runtime.inspect(graceful))?.exitCode, 143);
        assert.equal((await runtime.inspect(abrupt))?.exitCode, 137);
    });
    test('a down engine rejects every call, tells only of the outage, and resyncs when back', async () => {
        const runtime = new MemoryRuntime({ engine: 'edge-7' });
        const id = await run(runtime, spec('survivor'));
        const recorder = new EventRecorder(runtime.events());
        runtime.setDown(true);
        const calls = [
            ['ping', runtime.ping()],
            ['list', runtime.list()],
            ['inspect', runtime.inspect(id)],
            ['create', runtime.create(spec('new'))],
            ['start', runtime.start(id)],
            ['stop', runtime.stop(id, { timeoutSeconds: 1 })],
            ['remove', runtime.remove(id)],
            ['hasImage', runtime.hasImage(BUSYBOX_IMAGE)],
            ['pull', runtime.pull(BUSYBOX_IMAGE)],
            ['ensureNetwork', runtime.ensureNetwork('n', {})],
        ];
        for (const [call, promise] of calls) {
            await assert.rejects(promise, (error) => {
                assert.ok(error instanceof EngineError, call);
                assert.equal(error.statusCode, undefined, `${call}: no answer, no status`);
                assert.match(error.message, /^engine edge-7: .*unreachable/);
                return true;
            });
        }
        // The process ends while nobody can see it: no event of it now, a resync later.
        runtime.exit(id, 1);
        assert.deepEqual(recorder.events.map((e) => e.type), ['resync', 'unreachable']);
        runtime.setDown(false);
        assert.deepEqual(recorder.events.map((e) => e.type), ['resync', 'unreachable', 'reachable', 'resync']);
        assert.equal((await runtime.inspect(id))?.state, 'exited', 'a relist finds what was missed');
        recorder.stop();
    });
    test('commands log the ordered state-changing calls by container name', async () => {
        const runtime = new MemoryRuntime({ pullableImages: ['registry.local/app:2'] });
        await runtime.ensureNetwork('shop', { [LABEL.managed]: 'true' });
        await runtime.ensureNetwork('shop', { [LABEL.managed]: 'true' });
        await runtime.pull('registry.local/app:2');
        const id = await run(runtime, spec('web-1', { image: 'registry.local/app:2', network: 'shop' }));
        await runtime.list();
        await runtime.inspect(id);
        await runtime.stop(id, { timeoutSeconds: 30 });
        await runtime.remove(id);
        await runtime.remove(id);
        assert.deepEqual(runtime.takeCommands(), [
            { op: 'ensureNetwork', target: 'shop' },
            { op: 'pull', target: 'registry.local/app:2' },
            { op: 'create', target: 'web-1' },
            { op: 'start', target: 'web-1' },
            { op: 'stop', target: 'web-1' },
            { op: 'remove', target: 'web-1' },
            { op: 'remove', target: id },
        ]);
        assert.deepEqual(runtime.commands, [], 'takeCommands clears the log');
        assert.equal(await runtime.hasImage('registry.local/app:2'), true, 'a pulled image is present');
        assert.deepEqual(runtime.networkLabels('shop'), { [LABEL.managed]: 'true' });
        const quiet = new MemoryRuntime({ recordCommands: false });
        await run(quiet, spec('x'));
        assert.deepEqual(quiet.commands, []);
    });
    test('an image without a tag means :latest', async () => {
        const runtime = new MemoryRuntime({ images: ['registry.local:5000/tools'] });
        assert.equal(await runtime.hasImage('registry.local:5000/tools:latest'), true);
        assert.equal(await runtime.hasImage('registry.local:5000/tools:2'), false);
    });
    test('latencyMs delays every call', async () => {
        const runtime = new MemoryRuntime({ latencyMs: 20 });
        const started = performance.now();
        await runtime.ping();
        await runtime.list();
        assert.ok(performance.now() - started >= 38, 'two calls, ~20 ms each');
    });
    test('ids are unique across engines and observed objects are copies', async () => {
        const a = new MemoryRuntime();
        const b = new MemoryRuntime();
        const idA = await a.create(spec('same-name'));
        const idB = await b.create(spec('same-name'));
        assert.notEqual(idA, idB);
        const observed = await a.inspect(idA);
        assert.ok(observed);
        observed.labels[LABEL.managed] = 'false';
        assert.equal((await a.inspect(idA))?.labels[LABEL.managed], 'true', 'mutating a result changes nothing inside');
    });
    test('close completes event subscribers', async () => {
        const runtime = new MemoryRuntime();
        let completed = false;
        runtime.events().subscribe({ complete: () => (completed = true) });
        await runtime.close();
        assert.ok(completed);
        let lateCompleted = false;
        runtime.events().subscribe({ complete: () => (lateCompleted = true) });
        assert.ok(lateCompleted);
    });
    test('scale: 1,000 engines × 20 containers created, started and listed, each engine holding its own', async (t) => {
        const engines = Array.from({ length: 1000 }, () => new MemoryRuntime({ recordCommands: false }));
        const started = performance.now();
        await Promise.all(engines.map(async (engine) => {
            for (let index = 0; index < 20; index += 1) {
                await run(engine, spec(`task-${index}`, { ports: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }] }));
            }
        }));
        const createdMs = performance.now() - started;
        const listStarted = performance.now();
        const listed = await Promise.all(engines.map((engine) => engine.list({ [LABEL.managed]: 'true' })));
        const listMs = performance.now() - listStarted;
        assert.equal(listed.reduce((sum, containers) => sum + containers.length, 0), 20_000);
        // Each engine lists its own 20 containers, and only those: nothing leaks between engines.
        for (const containers of listed) {
            assert.equal(containers.length, 20);
            assert.equal(new Set(containers.map((c) => c.name)).size, 20);
        }
        // Timings are reported, not asserted: a loaded machine would make them flaky.
        t.diagnostic(`20,000 create+start ${createdMs.toFixed(0)} ms, list of 1,000 engines ${listMs.toFixed(0)} ms`);
    });
});
//# sourceMappingURL=memory-runtime.test.js.map