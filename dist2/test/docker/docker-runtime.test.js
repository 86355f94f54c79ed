/**
 * DockerRuntime on the real engine. Everything created here carries
 * berth.test=<run id> and a name starting with berth-test-<run id>, and is removed in
 * `after` hooks, failures included. No image is ever pulled from a registry.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import Docker from 'dockerode';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { ObservedEngine } from '../../controller/observer/engineCache.js';
import { OwnedRuntime } from '../../controller/runtime/owned.js';
import { DockerRuntime, JsonLinesDecoder } from '../../controller/runtime/docker/client.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { EngineError } from '../../controller/runtime/runtime.js';
import { BUSYBOX_IMAGE, EXITABLE_COMMAND, EventRecorder, eventually, runtimeContract, } from '../runtime.contract.js';
import { basicAuthRegistry } from './harness.js';
const SOCKET = '/var/run/docker.sock';
const runId = randomBytes(4).toString('hex');
const runLabels = { 'berth.test': runId };
const namePrefix = `berth-test-${runId}`;
/** The plain API, behind the runtime's back: unmanaged containers, raw inspect, cleanup. */
const docker = new Docker({ socketPath: SOCKET });
runtimeContract('DockerRuntime', { realProcesses: true, networkDns: true }, async () => {
    const runtime = new DockerRuntime({ socketPath: SOCKET });
    return {
        runtime,
        runLabels,
        namePrefix,
        makeExit: async (id, code) => {
            // Written atomically: the container's loop must never read a half-written file.
            await execToEnd(id, ['sh', '-c', `echo ${code} > /tmp/exit-code.tmp && mv /tmp/exit-code.tmp /tmp/exit-code`]);
        },
        writeLog: async (id, stream, line) => {
            // Written through PID 1's own descriptors, so the line is the container's output, not the exec's.
            await execToEnd(id, ['sh', '-c', `printf '%s\\n' "$1" > /proc/1/fd/${stream === 'stdout' ? 1 : 2}`, 'sh', line]);
        },
        createUnmanaged: async (spec) => {
            const container = await docker.createContainer({ name: spec.name, Image: spec.image, Cmd: [...spec.command], Labels: { ...spec.labels } });
            await container.start();
            return container.id;
        },
        engineView: (idOrName) => rawEngineView(idOrName),
        privateRegistry: () => basicAuthRegistry(),
        cleanup: async () => {
            await runtime.close();
            await removeEverythingOfThisRun();
        },
    };
});
describe('JsonLinesDecoder', () => {
    test('reassembles lines cut anywhere, even inside a multi-byte character', () => {
        const decoder = new JsonLinesDecoder();
        const text = '{"Action":"start","name":"café"}\n{"Action":"die"}\n';
        const bytes = Buffer.from(text, 'utf8');
        const cut = bytes.indexOf(Buffer.from('é', 'utf8')) + 1; // between the two bytes of é
        assert.deepEqual(decoder.push(bytes.subarray(0, 5)), []);
        assert.deepEqual(decoder.push(bytes.subarray(5, cut)), []);
        assert.deepEqual(decoder.push(bytes.subarray(cut, cut + 20)), [{ Action: 'start', name: 'café' }]);
        assert.deepEqual(decoder.push(bytes.subarray(cut + 20)), [{ Action: 'die' }]);
    });
    test('skips and reports malformed lines', () => {
        const malformed = [];
        const decoder = new JsonLinesDecoder({ onMalformed: (line) => malformed.push(line) });
        assert.deepEqual(decoder.push('{"a":1}\r\nnot json\n\n{"b":2}\n'), [{ a: 1 }, { b: 2 }]);
        assert.deepEqual(malformed, ['not json']);
    });
});
describe('DockerRuntime engine address', () => {
    test('socketPath, host and DOCKER_HOST name the engine; the default is the local socket', async () => {
        const saved = process.env.DOCKER_HOST;
        try {
            delete process.env.DOCKER_HOST;
            assert.equal(new DockerRuntime().engine, 'unix:///var/run/docker.sock');
            assert.equal(new DockerRuntime({ socketPath: '/run/other.sock' }).engine, 'unix:///run/other.sock');
            assert.equal(new DockerRuntime({ host: 'tcp://10.1.2.3:2375' }).engine, 'tcp://10.1.2.3:2375');
            assert.equal(new DockerRuntime({ host: 'unix:///run/docker-2.sock' }).engine, 'unix:///run/docker-2.sock');
            assert.equal(new DockerRuntime({ host: 'tcp://edge-1', engine: 'edge-1' }).engine, 'edge-1');
            process.env.DOCKER_HOST = 'tcp://127.0.0.1:2399';
            assert.equal(new DockerRuntime().engine, 'tcp://127.0.0.1:2399');
            assert.equal(new DockerRuntime({ socketPath: SOCKET }).engine, `unix://${SOCKET}`, 'an explicit socket wins over DOCKER_HOST');
            assert.throws(() => new DockerRuntime({ host: 'ssh://user@edge-1' }), /only unix:\/\/ and plain tcp:\/\//);
        }
        finally {
            if (saved === undefined)
                delete process.env.DOCKER_HOST;
            else
                process.env.DOCKER_HOST = saved;
        }
    });
    test('an engine that does not answer fails with the engine, the operation and the socket error', async () => {
        const runtime = new DockerRuntime({ socketPath: `/tmp/${namePrefix}-nobody-listens.sock` });
        await assert.rejects(runtime.ping(), (error) => {
            assert.ok(error instanceof EngineError);
            assert.equal(error.statusCode, undefined);
            assert.match(error.message, new RegExp(`^engine unix:///tmp/${namePrefix}-nobody-listens\\.sock: ping: connect ENOENT`));
            return true;
        });
        await runtime.close();
    });
});
describe('DockerRuntime on the real engine', () => {
    const runtime = new DockerRuntime({ socketPath: SOCKET });
    after(async () => {
        await runtime.close();
        await removeEverythingOfThisRun();
    });
    test('list of 50 containers takes well under a second', async (t) => {
        const count = 50;
        const specs = Array.from({ length: count }, (_, index) => managedSpec(`bulk-${index}`, { ports: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }], labels: { 'berth.bench': 'list' } }));
        const [first, ...rest] = specs;
        const createStarted = performance.now();
        const firstId = await runtime.create(first);
        const createMs = performance.now() - createStarted;
        await runtime.start(firstId);
        const createStartMs = performance.now() - createStarted;
        const bulkStarted = performance.now();
        await forEachLimited(rest, 5, async (spec) => {
            await runtime.start(await runtime.create(spec));
        });
        const bulkMs = performance.now() - bulkStarted;
        const timings = [];
        let listed = 0;
        for (let round = 0; round < 5; round += 1) {
            const started = performance.now();
            listed = (await runtime.list({ ...runLabels, 'berth.bench': 'list' })).length;
            timings.push(performance.now() - started);
        }
        timings.sort((a, b) => a - b);
        const medianMs = timings[2];
        t.diagnostic(`create ${createMs.toFixed(0)} ms, create+start ${createStartMs.toFixed(0)} ms for one container; ` +
            `${count - 1} more create+start (5 at a time) ${bulkMs.toFixed(0)} ms; ` +
            `list of ${count} running: median ${medianMs.toFixed(0)} ms (min ${timings[0].toFixed(0)}, max ${timings[4].toFixed(0)})`);
        assert.equal(listed, count);
        // The bound is the requirement (well under a second); ~100 ms idle, ~450 ms with a
        // benchmark running on the same 2-core engine.
        assert.ok(medianMs < 1000, `list of ${count} took ${medianMs.toFixed(0)} ms`);
        const all = await runtime.list({ ...runLabels, 'berth.bench': 'list' });
        assert.ok(all.every((container) => container.state === 'running' && container.ports.some((port) => port.hostPort > 0)));
        await forEachLimited(all, 10, (container) => runtime.remove(container.id));
    });
    test('ensureNetwork from two runtimes at once leaves exactly one network', async () => {
        const name = `${namePrefix}-race-net`;
        const other = new DockerRuntime({ socketPath: SOCKET });
        try {
            const labels = { [LABEL.managed]: 'true', ...runLabels };
            await Promise.all([runtime.ensureNetwork(name, labels), other.ensureNetwork(name, labels)]);
            const networks = await docker.listNetworks({ filters: { name: [name] } });
            assert.equal(networks.filter((network) => network.Name === name).length, 1);
            assert.equal(networks[0]?.Labels?.['berth.test'], runId, 'created with the given labels');
        }
        finally {
            await other.close();
        }
    });
    test('a network removed behind the runtime’s back is recreated on the next ensureNetwork', async () => {
        const name = `${namePrefix}-vanishing-net`;
        const labels = { [LABEL.managed]: 'true', ...runLabels };
        await runtime.ensureNetwork(name, labels);
        await docker.getNetwork(name).remove();
        const id = await runtime.create(managedSpec('orphan', { network: name }));
        await assert.rejects(runtime.start(id), /network .* not found/);
        await runtime.ensureNetwork(name, labels);
        await runtime.start(id);
        assert.equal((await runtime.inspect(id))?.state, 'running');
        await runtime.remove(id);
    });
    test('logs of a terminal container (not multiplexed) come as stdout lines without carriage returns', async () => {
        const id = await runtime.create(managedSpec('tty-logs', { command: ['sh', '-c', 'echo first; echo second >&2; sleep 30'], settings: { tty: true } }));
        await runtime.start(id);
        const lines = await eventually('two lines', async () => {
            const read = await lastValueFrom(runtime.logs(id, { follow: false }).pipe(toArray()));
            return read.length === 2 ? read : undefined;
        });
        assert.deepEqual(lines.map(({ stream, line }) => [stream, line]), [
            ['stdout', 'first'],
            ['stdout', 'second'],
        ]);
        await runtime.remove(id);
    });
    test('close completes event subscribers and later subscriptions', async () => {
        const closing = new DockerRuntime({ socketPath: SOCKET });
        let completed = false;
        const recorder = new EventRecorder(closing.events());
        closing.events().subscribe({ complete: () => (completed = true) });
        await eventually('resync', async () => recorder.events[0]);
        await closing.close();
        assert.ok(completed);
        let lateCompleted = false;
        closing.events().subscribe({ complete: () => (lateCompleted = true) });
        assert.ok(lateCompleted);
        recorder.stop();
    });
});
describe('DockerRuntime events stream reconnects', () => {
    const direct = new DockerRuntime({ socketPath: SOCKET });
    let proxy;
    let proxied;
    before(async () => {
        proxy = await EngineProxy.start(SOCKET);
        proxied = new DockerRuntime({ host: `tcp://127.0.0.1:${proxy.port}`, eventsBackoff: { initialMs: 50, maxMs: 400 } });
    });
    after(async () => {
        await proxied?.close();
        await direct.close();
        await proxy?.stop();
        await removeEverythingOfThisRun();
    });
    test('after the connection is cut it backs off, reconnects, resyncs and delivers later events', async () => {
        const recorder = new EventRecorder(proxied.events());
        try {
            await eventually('the first resync', async () => (recorder.resyncCount === 1 ? true : undefined));
            // The engine becomes unreachable: live connections cut, new ones dropped.
            proxy.refuseConnections = true;
            proxy.cutAll();
            const missed = await direct.create(managedSpec('missed'));
            await eventually('four refused reconnects', async () => (proxy.refusedAt.length >= 4 ? true : undefined), 5000);
            assert.equal(recorder.resyncCount, 1, 'no resync while the engine is unreachable');
            assert.deepEqual(recorder.containerEvents(missed), [], 'the stream was down when it was created');
            const gaps = proxy.refusedAt.slice(1).map((at, index) => at - proxy.refusedAt[index]);
            assert.ok(gaps.at(-1) > gaps[0] * 1.5, `backoff grows: gaps ${gaps.map((gap) => gap.toFixed(0)).join(', ')} ms`);
            assert.ok(gaps.every((gap) => gap < 400 + 300), `backoff is capped at 400 ms: ${gaps.map((gap) => gap.toFixed(0)).join(', ')}`);
            proxy.refuseConnections = false;
            await eventually('the resync after reconnecting', async () => (recorder.resyncCount === 2 ? true : undefined), 5000);
            // What the consumer does on resync: relist, and find what it missed.
            assert.ok((await proxied.list(runLabels)).some((container) => container.id === missed));
            const later = await proxied.create(managedSpec('later'));
            await proxied.start(later);
            await eventually('the start event of a container created after the reconnect', async () => recorder.containerEvents(later).find((event) => event.action === 'start'));
            await proxied.remove(later);
            await direct.remove(missed);
        }
        finally {
            recorder.stop();
        }
    });
});
describe('ObservedEngine on the real engine', () => {
    const owner = `observer-${runId}`;
    const observed = new ObservedEngine(new OwnedRuntime(new DockerRuntime({ socketPath: SOCKET }), owner));
    const following = observed.events().subscribe();
    after(async () => {
        following.unsubscribe();
        await observed.close();
        await removeEverythingOfThisRun();
    });
    /** The read a reconcile makes when the first event `match` accepts queues it. */
    const readWokenBy = (id, match) => firstValueFrom(observed.events().pipe(filter((event) => event.type === 'container' && event.id === id && match(event.action)))).then(async () => (await observed.list(runLabels)).find((container) => container.id === id));
    test('a read woken by an event sees that event: health from health_status, an exit from die', async () => {
        const healthCheck = { test: ['CMD-SHELL', 'test -f /tmp/healthy'], intervalSeconds: 1, timeoutSeconds: 1, retries: 1, startPeriodSeconds: 0 };
        const id = await observed.create(managedSpec('observed', { healthCheck }));
        await observed.start(id);
        const before = (await observed.list(runLabels)).find((container) => container.id === id);
        assert.equal(before?.health, 'starting', 'cached while its health is still starting');
        const afterHealth = readWokenBy(id, (action) => action.startsWith('health_status'));
        await execToEnd(id, ['touch', '/tmp/healthy']);
        assert.equal((await afterHealth)?.health, 'healthy', 'the read the health_status event woke sees the new health');
        const afterDie = readWokenBy(id, (action) => action === 'die');
        await execToEnd(id, ['sh', '-c', 'echo 3 > /tmp/exit-code.tmp && mv /tmp/exit-code.tmp /tmp/exit-code']);
        const exited = await afterDie;
        assert.equal(exited?.state, 'exited', 'the read the die event woke sees the exit');
        assert.equal(exited?.exitCode, 3);
        await observed.remove(id);
        assert.equal((await observed.list(runLabels)).find((container) => container.id === id), undefined, 'a removed container leaves the cache');
    });
});
function managedSpec(purpose, overrides = {}) {
    const { labels, ...rest } = overrides;
    return {
        name: `${namePrefix}-${purpose}-${randomBytes(3).toString('hex')}`,
        image: BUSYBOX_IMAGE,
        command: [...EXITABLE_COMMAND],
        env: {},
        labels: { [LABEL.managed]: 'true', ...runLabels, [LABEL.container]: purpose, ...labels },
        ports: [],
        network: 'bridge',
        ...rest,
    };
}
/** Runs a command in the container and waits until it has finished. */
async function execToEnd(id, command) {
    const exec = await docker.getContainer(id).exec({ Cmd: command });
    const response = await exec.start({ Detach: true });
    // Read to the end: an unread response holds its socket, and the test process with it.
    await new Promise((resolve, reject) => {
        response.on('end', resolve);
        response.on('close', resolve);
        response.on('error', reject);
        response.resume();
    });
    // Detached: the response ends when the exec started; wait until it has also finished.
    for (;;) {
        const state = await exec.inspect();
        if (!state.Running)
            return;
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}
async function rawEngineView(idOrName) {
    let info;
    try {
        info = await docker.getContainer(idOrName).inspect();
    }
    catch (error) {
        if (error.statusCode === 404)
            return undefined;
        throw error;
    }
    const env = {};
    for (const pair of info.Config.Env ?? []) {
        const equals = pair.indexOf('=');
        env[pair.slice(0, equals)] = pair.slice(equals + 1);
    }
    const entrypoint = info.Config.Entrypoint;
    const network = info.HostConfig.NetworkMode ?? '';
    const endpoint = info.NetworkSettings.Networks[network];
    return {
        env,
        command: info.Config.Cmd ?? undefined,
        entryPoint: typeof entrypoint === 'string' ? [entrypoint] : (entrypoint ?? undefined),
        hostname: info.Config.Hostname,
        user: info.Config.User,
        workingDir: info.Config.WorkingDir,
        cpuShares: info.HostConfig.CpuShares,
        memoryBytes: info.HostConfig.Memory,
        memoryReservationBytes: info.HostConfig.MemoryReservation,
        network,
        aliases: Array.isArray(endpoint?.Aliases) ? endpoint.Aliases.filter((alias) => typeof alias === 'string') : [],
        ...(info.HostConfig.StorageOpt?.size ? { writableLayerBytes: Number(info.HostConfig.StorageOpt.size) } : {}),
        ...(info.HostConfig.LogConfig ? { logDriver: { type: info.HostConfig.LogConfig.Type, options: { ...info.HostConfig.LogConfig.Config } } } : {}),
    };
}
/** Removes every container and network labelled with this run, whatever state it is in. */
async function removeEverythingOfThisRun() {
    const filters = { label: [`berth.test=${runId}`] };
    const containers = await docker.listContainers({ all: true, filters });
    await Promise.all(containers.map((container) => docker
        .getContainer(container.Id)
        .remove({ force: true, v: true })
        .catch((error) => {
        if (error.statusCode !== 404 && error.statusCode !== 409)
            throw error;
    })));
    const { Volumes: volumes } = await docker.listVolumes({ filters });
    await Promise.all((volumes ?? []).map((volume) => docker
        .getVolume(volume.Name)
        .remove()
        .catch((error) => {
        if (error.statusCode !== 404)
            throw error;
    })));
    const networks = await docker.listNetworks({ filters });
    await Promise.all(networks.map((network) => docker
        .getNetwork(network.Id)
        .remove()
        .catch((error) => {
        if (error.statusCode !== 404)
            throw error;
    })));
}
async function forEachLimited(items, limit, work) {
    let next = 0;
    await Promise.all(Array.from({ length: limit }, async () => {
        while (next < items.length)
            await work(items[next++]);
    }));
}
/**
 * A TCP front for the engine's unix socket that can cut its connections and refuse
 * new ones, to play an engine that goes away and comes back.
 */
class EngineProxy {
    server;
    port;
    refuseConnections = false;
    /** When each refused events-stream connection arrived (performance.now()). */
    refusedAt = [];
    sockets = new Set();
    constructor(server, port, socketPath) {
        this.server = server;
        this.port = port;
        server.on('connection', (client) => this.accept(client, socketPath));
    }
    static async start(socketPath) {
        const server = net.createServer();
        await new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', resolve);
        });
        const address = server.address();
        assert.ok(address && typeof address === 'object');
        return new EngineProxy(server, address.port, socketPath);
    }
    cutAll() {
        for (const socket of this.sockets)
            socket.destroy();
        this.sockets.clear();
    }
    async stop() {
        this.cutAll();
        await new Promise((resolve) => this.server.close(() => resolve()));
    }
    accept(client, socketPath) {
        if (this.refuseConnections) {
            // Only the events stream's reconnects count: the runtime also probes the engine with
            // /_ping over new connections while it is away, on a clock of its own.
            const at = performance.now();
            client.on('error', () => undefined);
            client.once('data', (chunk) => {
                if (/^GET \S*\/events/.test(chunk.toString('latin1')))
                    this.refusedAt.push(at);
                client.destroy();
            });
            setTimeout(() => client.destroy(), 1000).unref();
            return;
        }
        const upstream = net.connect(socketPath);
        for (const socket of [client, upstream]) {
            this.sockets.add(socket);
            socket.on('error', () => undefined);
            socket.on('close', () => {
                this.sockets.delete(socket);
                client.destroy();
                upstream.destroy();
            });
        }
        client.pipe(upstream).pipe(client);
    }
}
//# sourceMappingURL=docker-runtime.test.js.map