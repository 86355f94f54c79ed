/**
 * The contract every Runtime honours, run against the in-memory engine
 * (test/unit/memory-runtime.test.ts) and the real Docker engine
 * (test/docker/docker-runtime.test.ts). When the two disagree, Docker is right and
 * the memory runtime gets fixed: controller tests on a fake that drifted prove nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { LABEL } from '../controller/runtime/labels.js';
import { logTimeToUnixSeconds } from '../controller/runtime/logLines.js';
import { isWritableLayerRefusal, writableLayerLimitOf } from '../controller/runtime/storageLimit.js';
import { EngineError } from '../controller/runtime/runtime.js';
import { fetchWithin } from './fetchWithin.js';
export const BUSYBOX_IMAGE = 'berth/busybox:1';
export const HTTPD_IMAGE = 'berth/httpd:1';
export const MISSING_IMAGE = 'berth/does-not-exist:1';
/**
 * The command of every container the suite ends through `makeExit`: it waits for a
 * file holding an exit code and exits with it, so a real engine observes a process
 * that ends by itself (no signal) with exactly that code.
 */
export const EXITABLE_COMMAND = [
    'sh',
    '-c',
    'until [ -f /tmp/exit-code ]; do sleep 0.1; done; exit "$(cat /tmp/exit-code)"',
];
const WAIT_MS = 20_000;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
export function runtimeContract(name, capabilities, makeRuntime) {
    describe(`Runtime contract: ${name}`, () => {
        let harness;
        let runtime;
        let sequence = 0;
        before(async () => {
            harness = await makeRuntime();
            runtime = harness.runtime;
        });
        after(async () => {
            await harness?.cleanup();
        });
        const uniqueName = (purpose) => `${harness.namePrefix}-${purpose}-${++sequence}`;
        const managedLabels = (extra = {}) => ({ [LABEL.managed]: 'true', ...harness.runLabels, ...extra });
        const specFor = (purpose, overrides = {}) => ({
            name: uniqueName(purpose),
            image: BUSYBOX_IMAGE,
            command: [...EXITABLE_COMMAND],
            env: {},
            labels: managedLabels({ [LABEL.container]: purpose }),
            ports: [],
            network: 'bridge',
            ...overrides,
        });
        const run = async (spec) => {
            const id = await runtime.create(spec);
            await runtime.start(id);
            return id;
        };
        const waitForExit = (id) => eventually(`container ${id.slice(0, 12)} exited`, async () => {
            const observed = await runtime.inspect(id);
            return observed?.state === 'exited' ? observed : undefined;
        });
        test('ping reports the engine', async () => {
            const info = await runtime.ping();
            assert.equal(info.engine, runtime.engine);
            assert.ok(info.version.length > 0);
            assert.ok(info.cpus > 0, `cpus ${info.cpus}`);
            assert.ok(info.memoryBytes > 0, `memoryBytes ${info.memoryBytes}`);
        });
        test('create, start and inspect round-trip every observable field of the spec', async () => {
            const spec = specFor('roundtrip', {
                image: HTTPD_IMAGE,
                entryPoint: ['httpd'],
                command: ['-f', '-p', '8080', '-h', '/www'],
                env: { GREETING: 'hello', WITH_EQUALS: 'a=b', EMPTY: '' },
                labels: managedLabels({ [LABEL.container]: 'web', [LABEL.family]: 'shop', [LABEL.revision]: '7' }),
                ports: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }],
                cpuShares: 256,
                memoryBytes: 64 * 1024 * 1024,
                memoryReservationBytes: 32 * 1024 * 1024,
                hostname: 'roundtrip',
                user: 'nobody',
                workingDir: '/www',
            });
            const id = await runtime.create(spec);
            assert.match(id, /^[0-9a-f]{64}$/);
            const created = await runtime.inspect(id);
            assert.ok(created, 'a created container is inspectable');
            assert.equal(created.state, 'created');
            assert.equal(created.startedAt, undefined, 'never started: no startedAt');
            assert.equal(created.finishedAt, undefined);
            assert.equal(created.exitCode, undefined);
            assert.deepEqual(created.ports, [], 'ports are bound at start');
            await runtime.start(id);
            const running = await runtime.inspect(id);
            assert.ok(running);
            assert.equal(running.id, id);
            assert.equal(running.name, spec.name);
            assert.equal(running.image, spec.image);
            assert.equal(running.state, 'running');
            for (const [key, value] of Object.entries(spec.labels))
                assert.equal(running.labels[key], value, `label ${key}`);
            assert.ok(running.startedAt, 'startedAt is set');
            assert.ok(Date.parse(running.startedAt) >= Date.parse(running.createdAt), 'started after created');
            assert.equal(running.finishedAt, undefined);
            assert.equal(running.error, undefined);
            const bindings = running.ports.filter((port) => port.containerPort === 8080 && port.protocol === 'tcp');
            assert.ok(bindings.length > 0, `8080/tcp is bound: ${JSON.stringify(running.ports)}`);
            const hostPort = bindings[0].hostPort;
            for (const binding of bindings) {
                assert.ok(binding.hostPort > 0, 'a dynamic host port was chosen');
                assert.equal(binding.hostPort, hostPort, 'one host port per container port');
                assert.equal(typeof binding.hostIp, 'string');
            }
            const view = await harness.engineView(id);
            assert.ok(view);
            for (const [key, value] of Object.entries(spec.env))
                assert.equal(view.env[key], value, `env ${key}`);
            assert.deepEqual(view.entryPoint, spec.entryPoint);
            assert.deepEqual(view.command, spec.command);
            assert.equal(view.hostname, spec.hostname);
            assert.equal(view.user, spec.user);
            assert.equal(view.workingDir, spec.workingDir);
            assert.equal(view.cpuShares, spec.cpuShares);
            assert.equal(view.memoryBytes, spec.memoryBytes);
            assert.equal(view.memoryReservationBytes, spec.memoryReservationBytes);
            assert.equal(view.network, 'bridge');
            if (capabilities.realProcesses) {
                const body = await eventually(`http://127.0.0.1:${hostPort}/health answers`, () => httpGet(hostPort, '/health'));
                assert.equal(body, 'ok\n');
            }
            await runtime.remove(id);
        });
        if (capabilities.realProcesses)
            test('the process sees the spec: env, user, working directory, hostname', async () => {
                const id = await run(specFor('probe', {
                    command: [
                        'sh',
                        '-c',
                        '[ "$GREETING" = hello ] && [ "$(pwd)" = /tmp ] && [ "$(id -u)" = 65534 ] && [ "$(hostname)" = probe ] && exit 7; exit 1',
                    ],
                    env: { GREETING: 'hello' },
                    user: '65534',
                    workingDir: '/tmp',
                    hostname: 'probe',
                }));
                const exited = await waitForExit(id);
                assert.equal(exited.exitCode, 7, 'exit 7 means every check inside the container passed');
                await runtime.remove(id);
            });
        test('a spec without berth.managed=true is refused and nothing is created', async () => {
            const spec = specFor('unlabelled');
            const { [LABEL.managed]: _dropped, ...labels } = spec.labels;
            await assert.rejects(runtime.create({ ...spec, labels }), /berth\.managed=true/);
            await assert.rejects(runtime.create({ ...spec, labels: { ...labels, [LABEL.managed]: 'yes' } }), /berth\.managed=true/);
            assert.equal(await harness.engineView(spec.name), undefined, 'the engine holds no such container');
        });
        test('list filters by labels, includes created containers and never returns unmanaged ones', async () => {
            const running = await run(specFor('list-a', { labels: managedLabels({ [LABEL.group]: 'service:list-a' }) }));
            const created = await runtime.create(specFor('list-b', { labels: managedLabels({ [LABEL.group]: 'service:list-b' }) }));
            // Carries the run's labels, only not berth.managed: a runtime that forgot its own
            // filter would return it from list(runLabels).
            const unmanaged = await harness.createUnmanaged({
                name: uniqueName('unmanaged'),
                image: BUSYBOX_IMAGE,
                command: EXITABLE_COMMAND,
                labels: { ...harness.runLabels, [LABEL.group]: 'service:list-a' },
            });
            const ofRun = ids(await runtime.list(harness.runLabels));
            assert.ok(ofRun.has(running) && ofRun.has(created), 'both managed containers are listed');
            assert.ok(!ofRun.has(unmanaged), 'the unmanaged container is not listed');
            const summaries = await runtime.listSummaries(harness.runLabels);
            assert.deepEqual(new Set(summaries.map((s) => s.id)), ofRun, 'the summaries list the same containers, unmanaged left out');
            assert.deepEqual(summaries.filter((s) => s.id === running || s.id === created).map((s) => [s.id, s.state]).sort(), [[running, 'running'], [created, 'created']].sort(), 'each summary has its container state');
            assert.deepEqual(await runtime.listSummaries({ ...harness.runLabels, [LABEL.group]: 'service:list-b' }).then((found) => found.map((s) => s.id)), [created]);
            const groupA = await runtime.list({ ...harness.runLabels, [LABEL.group]: 'service:list-a' });
            assert.deepEqual([...ids(groupA)], [running]);
            assert.equal(groupA[0]?.state, 'running');
            const groupB = await runtime.list({ ...harness.runLabels, [LABEL.group]: 'service:list-b' });
            assert.deepEqual([...ids(groupB)], [created]);
            assert.equal(groupB[0]?.state, 'created', 'not-started containers are listed too');
            const everything = ids(await runtime.list());
            assert.ok(everything.has(running) && everything.has(created));
            assert.ok(!everything.has(unmanaged), 'list() without labels still only shows managed containers');
            assert.equal(await runtime.inspect(unmanaged), undefined, 'an unmanaged container is not inspectable');
            assert.ok(await harness.engineView(unmanaged), 'yet it exists on the engine');
            assert.deepEqual(await runtime.list({ ...harness.runLabels, [LABEL.group]: 'service:nothing' }), []);
            await runtime.remove(running);
            await runtime.remove(created);
        });
        test('a process that exits by itself reports its exit code and finishedAt', async () => {
            const id = await run(specFor('exit', { ports: [{ containerPort: 9000, hostPort: 0, protocol: 'tcp' }] }));
            const started = await runtime.inspect(id);
            assert.ok(started?.startedAt);
            await harness.makeExit(id, 3);
            const exited = await waitForExit(id);
            assert.equal(exited.exitCode, 3);
            assert.ok(exited.finishedAt, 'finishedAt is set');
            assert.ok(Date.parse(exited.finishedAt) >= Date.parse(started.startedAt), 'finished after started');
            assert.equal(exited.startedAt, started.startedAt, 'startedAt is kept');
            assert.ok(!exited.oomKilled);
            assert.equal(exited.error, undefined);
            assert.deepEqual(exited.ports, [], 'host ports are released when the process ends');
            await runtime.remove(id);
        });
        test('stop ends a running container and stopping a stopped or missing one is fine', async () => {
            const id = await run(specFor('stop'));
            await runtime.stop(id, { timeoutSeconds: 1 });
            const stopped = await runtime.inspect(id);
            assert.ok(stopped);
            assert.equal(stopped.state, 'exited');
            assert.ok([137, 143].includes(stopped.exitCode ?? -1), `exit code ${stopped.exitCode} is SIGKILL or SIGTERM`);
            assert.ok(stopped.finishedAt);
            await runtime.stop(id, { timeoutSeconds: 1 });
            assert.equal((await runtime.inspect(id))?.exitCode, stopped.exitCode, 'a second stop changes nothing');
            await runtime.remove(id);
            await runtime.stop(id, { timeoutSeconds: 1 });
        });
        test('remove is forceful and idempotent', async () => {
            const running = await run(specFor('remove-running'));
            const created = await runtime.create(specFor('remove-created'));
            await runtime.remove(running);
            await runtime.remove(created);
            assert.equal(await runtime.inspect(running), undefined);
            assert.equal(await runtime.inspect(created), undefined);
            const left = ids(await runtime.list(harness.runLabels));
            assert.ok(!left.has(running) && !left.has(created));
            await runtime.remove(running);
            await runtime.remove('0'.repeat(64));
        });
        test('a removed container frees its name', async () => {
            const spec = specFor('reuse');
            const first = await runtime.create(spec);
            await runtime.remove(first);
            const second = await runtime.create(spec);
            assert.notEqual(second, first);
            await runtime.remove(second);
        });
        test('events: resync first, then create, start, die, destroy; nothing from unmanaged containers', async () => {
            const recorder = new EventRecorder(runtime.events());
            try {
                await eventually('the first event', async () => recorder.events[0]);
                assert.deepEqual(recorder.events[0], { type: 'resync' }, 'resync comes first');
                // The unmanaged container acts first: by the time the managed one is destroyed,
                // anything the engine would have sent about it has arrived.
                const unmanaged = await harness.createUnmanaged({
                    name: uniqueName('events-unmanaged'),
                    image: BUSYBOX_IMAGE,
                    command: EXITABLE_COMMAND,
                    labels: harness.runLabels,
                });
                const spec = specFor('events');
                const id = await run(spec);
                await harness.makeExit(id, 5);
                await waitForExit(id);
                await runtime.remove(id);
                await eventually('the destroy event', async () => recorder.containerEvents(id).find((event) => event.action === 'destroy'));
                const mine = recorder.containerEvents(id);
                assert.deepEqual(mine.map((event) => event.action), ['create', 'start', 'die', 'destroy']);
                assert.equal(mine.find((event) => event.action === 'die')?.exitCode, 5);
                for (const event of mine) {
                    assert.equal(event.labels[LABEL.managed], 'true');
                    assert.equal(event.labels[LABEL.container], 'events');
                    for (const [key, value] of Object.entries(harness.runLabels))
                        assert.equal(event.labels[key], value);
                }
                assert.deepEqual(recorder.containerEvents(unmanaged), [], 'no event about an unmanaged container');
                // A second subscriber joining a live stream also gets its resync first.
                const late = new EventRecorder(runtime.events());
                try {
                    await eventually('the late subscriber’s first event', async () => late.events[0]);
                    assert.deepEqual(late.events[0], { type: 'resync' });
                }
                finally {
                    late.stop();
                }
            }
            finally {
                recorder.stop();
            }
        });
        test('stop and kill report kill, die and stop events in Docker’s order', async () => {
            const recorder = new EventRecorder(runtime.events());
            try {
                await eventually('resync', async () => recorder.events[0]);
                const id = await run(specFor('stop-events'));
                await runtime.stop(id, { timeoutSeconds: 1 });
                await eventually('the stop event', async () => recorder.containerEvents(id).find((event) => event.action === 'stop'));
                const actions = recorder.containerEvents(id).map((event) => event.action);
                // Docker sends kill twice (SIGTERM, then SIGKILL) when the process ignores SIGTERM.
                assert.deepEqual(actions.filter((action, index) => action !== 'kill' || actions[index - 1] !== 'kill'), ['create', 'start', 'kill', 'die', 'stop']);
                await runtime.remove(id);
            }
            finally {
                recorder.stop();
            }
        });
        test('logs: stdout and stderr lines in order with the engine’s time; since is inclusive; follow ends when the container stops', async () => {
            const id = await run(specFor('logs'));
            await harness.writeLog(id, 'stdout', 'out one');
            await harness.writeLog(id, 'stderr', 'err one');
            await harness.writeLog(id, 'stdout', 'out two  with spaces ');
            const all = await eventually('three lines logged', async () => {
                const lines = await readLogs(runtime.logs(id, { follow: false }));
                return lines.length === 3 ? lines : undefined;
            });
            assert.deepEqual(all.map(({ stream, line }) => [stream, line]), [
                ['stdout', 'out one'],
                ['stderr', 'err one'],
                ['stdout', 'out two  with spaces '],
            ]);
            for (const { time } of all)
                assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
            assert.ok(all[0].time <= all[1].time && all[1].time <= all[2].time, 'times do not go backwards');
            // Half-way between two lines: only the later ones.
            const between = (logTimeToUnixSeconds(all[0].time) + logTimeToUnixSeconds(all[1].time)) / 2;
            if (all[0].time < all[1].time) {
                const later = await readLogs(runtime.logs(id, { follow: false, since: between }));
                assert.deepEqual(later.map((line) => line.line), ['err one', 'out two  with spaces ']);
            }
            const followed = [];
            let completed = false;
            const subscription = runtime.logs(id, { follow: true }).subscribe({ next: (line) => followed.push(line), complete: () => (completed = true) });
            try {
                await eventually('the old lines reach the follower', async () => (followed.length === 3 ? true : undefined));
                await harness.writeLog(id, 'stderr', 'err two');
                await eventually('a new line reaches the follower', async () => (followed.length === 4 ? true : undefined));
                assert.deepEqual(followed[3] && [followed[3].stream, followed[3].line], ['stderr', 'err two']);
                assert.equal(completed, false, 'following goes on while the container runs');
                await harness.makeExit(id, 0);
                await eventually('the follower completes when the container stops', async () => (completed ? true : undefined));
            }
            finally {
                subscription.unsubscribe();
            }
            await runtime.remove(id);
            const gone = await captureRejection(readLogs(runtime.logs(id, { follow: false })));
            assert.ok(gone instanceof EngineError, String(gone));
            assert.equal(gone.statusCode, 404);
        });
        test('a log driver reaches the engine, and the none driver refuses to be read', async () => {
            const id = await run(specFor('log-driver', { logDriver: { type: 'json-file', options: { 'max-size': '1m', 'max-file': '2' } } }));
            assert.deepEqual((await harness.engineView(id))?.logDriver, { type: 'json-file', options: { 'max-size': '1m', 'max-file': '2' } });
            const silent = await run(specFor('log-none', { logDriver: { type: 'none', options: {} } }));
            assert.equal((await harness.engineView(silent))?.logDriver?.type, 'none');
            const refused = await captureRejection(readLogs(runtime.logs(silent, { follow: false })));
            assert.ok(refused instanceof EngineError, String(refused));
            assert.match(refused.engineMessage, /does not support reading/);
            await runtime.remove(id);
            await runtime.remove(silent);
        });
        test('hasImage tells present from absent images', async () => {
            assert.equal(await runtime.hasImage(BUSYBOX_IMAGE), true);
            assert.equal(await runtime.hasImage(HTTPD_IMAGE), true);
            assert.equal(await runtime.hasImage(MISSING_IMAGE), false);
        });
        test('pulling a missing image rejects with a message naming the image and the engine', async () => {
            const failure = await captureRejection(runtime.pull(MISSING_IMAGE));
            assert.ok(failure instanceof EngineError, `an EngineError: ${String(failure)}`);
            assert.ok(failure.message.includes(MISSING_IMAGE), failure.message);
            assert.ok(failure.message.includes(runtime.engine), failure.message);
            assert.ok(failure.engineMessage.length > 0);
            assert.equal(await runtime.hasImage(MISSING_IMAGE), false);
        });
        test('a pull hands its login to the registry and keeps the password out of the error', async () => {
            const registry = await harness.privateRegistry();
            try {
                const ref = `${registry.host}/contract/private:1`;
                const password = 'contract-password-Zq81';
                const failure = await captureRejection(runtime.pull(ref, { username: 'contract-user', password }));
                assert.ok(failure instanceof EngineError, String(failure));
                assert.ok(failure.message.includes(ref), failure.message);
                assert.ok(!failure.message.includes(password), failure.message);
                const expected = `Basic ${Buffer.from(`contract-user:${password}`).toString('base64')}`;
                assert.ok(registry.authorizations().includes(expected), `the registry saw: ${registry.authorizations().join(', ')}`);
                const anonymous = await captureRejection(runtime.pull(ref));
                assert.ok(anonymous instanceof EngineError);
                assert.match(anonymous.message, /no basic auth credentials/);
            }
            finally {
                await registry.close();
            }
        });
        test('creating from a missing image rejects with 404 naming the image', async () => {
            const failure = await captureRejection(runtime.create(specFor('no-image', { image: MISSING_IMAGE })));
            assert.ok(failure instanceof EngineError, String(failure));
            assert.equal(failure.statusCode, 404);
            assert.ok(failure.message.includes(MISSING_IMAGE), failure.message);
        });
        test('a writable layer size reaches an engine whose storage driver can limit it; any other refuses the create naming --storage-opt', async () => {
            const info = await runtime.ping();
            const verdict = writableLayerLimitOf(info);
            const spec = specFor('layer-size', { writableLayerBytes: 21 * 1024 ** 3 });
            const created = await runtime.create(spec).then((id) => ({ id }), (error) => ({ error }));
            if ('error' in created) {
                assert.ok(isWritableLayerRefusal(created.error), String(created.error));
                assert.equal(await harness.engineView(spec.name), undefined, 'nothing is created');
                return;
            }
            // docker info cannot tell xfs with pquota from xfs without: only a refusal teaches that, so a create can only succeed where ping allows it.
            assert.ok(verdict.limits, `created on ${info.storageDriver} on ${info.backingFilesystem}, which ping says cannot limit a size`);
            assert.equal((await harness.engineView(created.id))?.writableLayerBytes, 21 * 1024 ** 3);
            await runtime.remove(created.id);
        });
        test('a name already in use rejects with 409', async () => {
            const spec = specFor('duplicate');
            const id = await runtime.create(spec);
            const failure = await captureRejection(runtime.create(spec));
            assert.ok(failure instanceof EngineError, String(failure));
            assert.equal(failure.statusCode, 409);
            assert.match(failure.message, /already in use/);
            await runtime.remove(id);
        });
        test('engine errors name the engine and the operation', async () => {
            const missing = 'f'.repeat(64);
            const failure = await captureRejection(runtime.start(missing));
            assert.ok(failure instanceof EngineError, String(failure));
            assert.equal(failure.statusCode, 404);
            assert.equal(failure.engine, runtime.engine);
            assert.match(failure.operation, /^start container/);
            assert.ok(failure.message.startsWith(`engine ${runtime.engine}: start container`), failure.message);
            assert.match(failure.engineMessage, /no such container/i);
        });
        test('ensureNetwork is idempotent and safe when called concurrently', async () => {
            const network = uniqueName('net');
            const labels = managedLabels();
            await Promise.all([runtime.ensureNetwork(network, labels), runtime.ensureNetwork(network, labels), runtime.ensureNetwork(network, labels)]);
            await runtime.ensureNetwork(network, labels);
            await runtime.ensureNetwork('bridge', labels);
            const alias = uniqueName('alias');
            const id = await run(specFor('on-net', { network, networkAliases: [alias] }));
            const view = await harness.engineView(id);
            assert.equal(view?.network, network);
            assert.ok(view?.aliases.includes(alias), `aliases ${JSON.stringify(view?.aliases)}`);
            await runtime.remove(id);
        });
        test('a container on a missing network fails to start with 404', async () => {
            // Docker resolves the network at start, not at create.
            const network = uniqueName('missing-net');
            const id = await runtime.create(specFor('no-net', { network }));
            const failure = await captureRejection(runtime.start(id));
            assert.ok(failure instanceof EngineError, String(failure));
            assert.equal(failure.statusCode, 404);
            assert.equal(failure.engineMessage, `network ${network} not found`);
            const observed = await runtime.inspect(id);
            assert.equal(observed?.state, 'created');
            assert.equal(observed?.error, `network ${network} not found`);
            await runtime.remove(id);
        });
        if (capabilities.networkDns)
            test('a network alias resolves from another container on that network', async () => {
                const network = uniqueName('dns');
                await runtime.ensureNetwork(network, managedLabels());
                const alias = uniqueName('api');
                const server = await run(specFor('dns-server', { image: HTTPD_IMAGE, command: undefined, network, networkAliases: [alias] }));
                const client = await run(specFor('dns-client', {
                    network,
                    command: [
                        'sh',
                        '-c',
                        `for i in $(seq 1 30); do [ "$(wget -q -O - http://${alias}:8080/health)" = ok ] && exit 0; sleep 0.2; done; exit 1`,
                    ],
                }));
                const exited = await waitForExit(client);
                assert.equal(exited.exitCode, 0, `the client reached http://${alias}:8080/health`);
                await runtime.remove(client);
                await runtime.remove(server);
            });
        test('ensureVolume is idempotent; hasVolume and listVolumes see it; removeVolume is idempotent', async () => {
            const name = uniqueName('vol');
            assert.equal(await runtime.hasVolume(name), false);
            const labels = managedLabels({ [LABEL.taskId]: name });
            await Promise.all([runtime.ensureVolume(name, { labels }), runtime.ensureVolume(name, { labels })]);
            await runtime.ensureVolume(name, { labels: managedLabels({ [LABEL.taskId]: 'other' }) });
            assert.equal(await runtime.hasVolume(name), true);
            const listed = await runtime.listVolumes({ [LABEL.taskId]: name });
            assert.deepEqual(listed.map((v) => v.name), [name]);
            assert.equal(listed[0]?.driver, 'local');
            assert.equal(listed[0]?.labels[LABEL.taskId], name, 'the first creation wins: an existing volume is kept as it is');
            await runtime.removeVolume(name);
            assert.equal(await runtime.hasVolume(name), false);
            await runtime.removeVolume(name);
        });
        test('listVolumes returns only berth-managed volumes', async () => {
            const managed = uniqueName('vol-managed');
            const unmanaged = uniqueName('vol-unmanaged');
            await runtime.ensureVolume(managed, { labels: managedLabels() });
            await runtime.ensureVolume(unmanaged, { labels: { ...harness.runLabels } });
            const names = (await runtime.listVolumes(harness.runLabels)).map((v) => v.name);
            assert.ok(names.includes(managed), `listed ${names.join(', ')}`);
            assert.ok(!names.includes(unmanaged), 'an unmanaged volume is never listed');
            assert.equal(await runtime.hasVolume(unmanaged), true);
            await runtime.removeVolume(managed);
            await runtime.removeVolume(unmanaged);
        });
        test('a volume in use by a container, even a stopped one, cannot be removed (409) until the container is', async () => {
            const name = uniqueName('vol-used');
            await runtime.ensureVolume(name, { labels: managedLabels() });
            const id = await runtime.create(specFor('vol-user', { mounts: [{ type: 'volume', source: name, target: '/data', readOnly: false }] }));
            const failure = await captureRejection(runtime.removeVolume(name));
            assert.ok(failure instanceof EngineError, String(failure));
            assert.equal(failure.statusCode, 409);
            assert.match(failure.engineMessage, /volume is in use/);
            await runtime.remove(id);
            await runtime.removeVolume(name);
            assert.equal(await runtime.hasVolume(name), false);
        });
        test('volumesFrom naming a missing container fails the create with 400', async () => {
            const missing = uniqueName('no-such-source');
            const failure = await captureRejection(runtime.create(specFor('vol-from', { volumesFrom: [{ container: missing, readOnly: false }] })));
            assert.ok(failure instanceof EngineError, String(failure));
            assert.equal(failure.statusCode, 400, 'Docker answers a bad request, not a missing container');
            assert.match(failure.engineMessage, new RegExp(`No such container: ${missing}`, 'i'));
        });
        if (capabilities.realProcesses)
            test('mounts: a volume carries data between containers, readOnly refuses writes, volumesFrom shares', async () => {
                const name = uniqueName('vol-data');
                await runtime.ensureVolume(name, { labels: managedLabels() });
                const mount = (readOnly) => [{ type: 'volume', source: name, target: '/data', readOnly }];
                const writer = await run(specFor('vol-writer', { command: ['sh', '-c', 'echo shared > /data/file'], mounts: mount(false) }));
                assert.equal((await waitForExit(writer)).exitCode, 0);
                const reader = await run(specFor('vol-reader', { command: ['sh', '-c', 'test "$(cat /data/file)" = shared'], mounts: mount(true) }));
                assert.equal((await waitForExit(reader)).exitCode, 0, 'the reader sees the writer\'s file');
                const denied = await run(specFor('vol-denied', { command: ['sh', '-c', 'touch /data/other'], mounts: mount(true) }));
                assert.notEqual((await waitForExit(denied)).exitCode, 0, 'a readOnly mount refuses writes');
                const writerName = (await runtime.inspect(writer)).name;
                const borrower = await run(specFor('vol-borrower', { command: ['sh', '-c', 'test "$(cat /data/file)" = shared'], volumesFrom: [{ container: writerName, readOnly: true }] }));
                assert.equal((await waitForExit(borrower)).exitCode, 0, 'volumesFrom mounts the source container\'s volumes');
                for (const id of [borrower, denied, reader, writer])
                    await runtime.remove(id);
                await runtime.removeVolume(name);
            });
        test('a fixed host port already bound makes start fail with "port is already allocated"', async () => {
            const hostPort = await freeHostPort();
            const ports = [{ containerPort: 8080, hostPort, protocol: 'tcp' }];
            const holder = await run(specFor('port-holder', { image: HTTPD_IMAGE, command: undefined, ports }));
            const contender = await runtime.create(specFor('port-contender', { image: HTTPD_IMAGE, command: undefined, ports }));
            await assert.rejects(runtime.start(contender), (error) => {
                assert.ok(error instanceof EngineError, String(error));
                assert.match(error.message, /port is already allocated/);
                assert.ok(error.message.includes(String(hostPort)), error.message);
                return true;
            });
            const failed = await runtime.inspect(contender);
            assert.equal(failed?.state, 'created', 'the contender never ran');
            assert.match(failed?.error ?? '', /port is already allocated/);
            await runtime.remove(holder);
            await runtime.start(contender);
            const running = await runtime.inspect(contender);
            assert.equal(running?.state, 'running', 'the port is free once its holder is gone');
            assert.equal(running?.error, undefined, 'a successful start clears the error');
            assert.ok(running?.ports.every((port) => port.hostPort === hostPort));
            await runtime.remove(contender);
        });
        test('dynamic host ports differ between containers', async () => {
            const ports = [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }];
            const first = await run(specFor('dynamic-1', { ports }));
            const second = await run(specFor('dynamic-2', { ports }));
            const [a, b] = await Promise.all([runtime.inspect(first), runtime.inspect(second)]);
            const portA = a?.ports[0]?.hostPort;
            const portB = b?.ports[0]?.hostPort;
            assert.ok(portA && portB, 'both have a host port');
            assert.notEqual(portA, portB);
            await runtime.remove(first);
            await runtime.remove(second);
        });
        test('networkGateway: the IPv4 gateway of a network; none for host, none or a missing network', async () => {
            const network = uniqueName('gw');
            await runtime.ensureNetwork(network, managedLabels());
            const gateway = await runtime.networkGateway(network);
            assert.match(gateway ?? '', IPV4, `gateway ${gateway}`);
            assert.equal(await runtime.networkGateway('host'), undefined);
            assert.equal(await runtime.networkGateway('none'), undefined);
            assert.equal(await runtime.networkGateway(uniqueName('absent-net')), undefined);
        });
        test('describe: image id, network address, limits and log driver; nothing for missing or unmanaged containers', async () => {
            const network = uniqueName('describe-net');
            await runtime.ensureNetwork(network, managedLabels());
            const spec = specFor('describe', { network, cpuShares: 256, memoryBytes: 64 * 1024 * 1024 });
            const id = await run(spec);
            const described = await runtime.describe(id);
            assert.ok(described, 'a managed container is described');
            assert.equal(described.id, id);
            assert.equal(described.name, spec.name);
            assert.equal(described.state, 'running');
            assert.equal(described.labels[LABEL.container], 'describe');
            assert.match(described.imageId, /^sha256:[0-9a-f]{64}$/);
            assert.equal(described.networkMode, network);
            assert.equal(described.cpuShares, 256);
            assert.equal(described.memoryBytes, 64 * 1024 * 1024);
            assert.ok(described.logDriver.length > 0, 'the engine names its log driver');
            assert.equal(described.health, undefined, 'no health check, no health');
            const endpoint = described.networks.find((n) => n.name === network);
            assert.ok(endpoint, `attached to ${network}: ${JSON.stringify(described.networks)}`);
            assert.match(endpoint.ipv4Address ?? '', IPV4);
            assert.equal(endpoint.gateway, await runtime.networkGateway(network));
            assert.notEqual(endpoint.ipv4Address, endpoint.gateway);
            const onHost = await run(specFor('describe-host', { network: 'host' }));
            const hostView = await runtime.describe(onHost);
            assert.equal(hostView?.networkMode, 'host');
            assert.ok(hostView?.networks.every((n) => n.ipv4Address === undefined), 'no own address in host mode');
            const unmanaged = await harness.createUnmanaged({ name: uniqueName('describe-foreign'), image: BUSYBOX_IMAGE, command: EXITABLE_COMMAND, labels: harness.runLabels });
            assert.equal(await runtime.describe(unmanaged), undefined);
            await runtime.remove(id);
            await runtime.remove(onHost);
            assert.equal(await runtime.describe(id), undefined, 'a removed container is not described');
        });
        test('namespaces: containers join a running container’s network, PID and IPC namespaces; addresses per network', async () => {
            const network = uniqueName('ns-net');
            await runtime.ensureNetwork(network, managedLabels());
            const owner = specFor('ns-owner', { network, settings: { ipcMode: 'shareable' } });
            const ownerId = await runtime.create(owner);
            const joiner = await runtime.create(specFor('ns-joiner', { network: `container:${owner.name}`, settings: { pidMode: `container:${owner.name}`, ipcMode: `container:${owner.name}` } }));
            await assert.rejects(runtime.start(joiner), (error) => error instanceof EngineError, 'the owner must run first');
            await runtime.start(ownerId);
            await runtime.start(joiner);
            assert.equal((await runtime.inspect(joiner))?.state, 'running');
            const ownerView = await runtime.inspect(ownerId);
            assert.match(ownerView?.addresses?.[network] ?? '', IPV4, `owner addresses ${JSON.stringify(ownerView?.addresses)}`);
            assert.deepEqual((await runtime.inspect(joiner))?.addresses ?? {}, {}, 'a joiner has no address of its own');
            await runtime.remove(joiner);
            await runtime.remove(ownerId);
        });
        test('hostPortsInUse: published ports of running containers and the ports host-network containers declare', async () => {
            const published = specFor('ports-published', { ports: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }] });
            const publishedId = await run(published);
            const hostPort = (await runtime.inspect(publishedId)).ports[0].hostPort;
            const onHost = specFor('ports-host', { network: 'host', labels: managedLabels({ [LABEL.container]: 'ports-host', [LABEL.hostPorts]: '65431/udp' }) });
            const onHostId = await run(onHost);
            const inUse = await runtime.hostPortsInUse();
            assert.ok(inUse.some((p) => p.hostPort === hostPort && p.protocol === 'tcp' && p.holder === published.name), `published ${hostPort} in ${JSON.stringify(inUse)}`);
            assert.ok(inUse.some((p) => p.hostPort === 65431 && p.protocol === 'udp' && p.holder === onHost.name), 'declared host port');
            await runtime.stop(publishedId, { timeoutSeconds: 0 });
            assert.ok(!(await runtime.hostPortsInUse()).some((p) => p.holder === published.name), 'a stopped container holds nothing');
            await runtime.remove(publishedId);
            await runtime.remove(onHostId);
        });
        test('stats: one sample in Docker’s JSON for a managed container; nothing for missing or unmanaged ones', async () => {
            const id = await run(specFor('stats'));
            const stats = await runtime.stats(id);
            assert.ok(stats, 'a running container has stats');
            assert.equal(stats.id, id);
            assert.equal(typeof stats.read, 'string');
            for (const key of ['cpu_stats', 'precpu_stats', 'memory_stats'])
                assert.equal(typeof stats[key], 'object', key);
            const unmanaged = await harness.createUnmanaged({ name: uniqueName('stats-foreign'), image: BUSYBOX_IMAGE, command: EXITABLE_COMMAND, labels: harness.runLabels });
            assert.equal(await runtime.stats(unmanaged), undefined);
            await runtime.remove(id);
            assert.equal(await runtime.stats(id), undefined);
        });
    });
}
/** Records what an events subscription delivers, until `stop`. */
export class EventRecorder {
    events = [];
    subscription;
    constructor(source) {
        this.subscription = source.subscribe((event) => this.events.push(event));
    }
    containerEvents(id) {
        return this.events.filter((event) => event.type === 'container' && event.id === id);
    }
    get resyncCount() {
        return this.events.filter((event) => event.type === 'resync').length;
    }
    stop() {
        this.subscription.unsubscribe();
    }
}
/** Polls `probe` until it returns something other than undefined (or a probe error stops repeating). */
export async function eventually(what, probe, timeoutMs = WAIT_MS) {
    const deadline = Date.now() + timeoutMs;
    let lastError;
    for (;;) {
        try {
            const value = await probe();
            if (value !== undefined)
                return value;
        }
        catch (error) {
            lastError = error;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}
async function captureRejection(promise) {
    try {
        await promise;
    }
    catch (error) {
        return error;
    }
    assert.fail('expected a rejection');
}
function readLogs(lines) {
    return lastValueFrom(lines.pipe(toArray()));
}
function ids(containers) {
    return new Set(containers.map((container) => container.id));
}
/** A port nobody listens on right now (the OS's choice), for fixed host port tests. */
export async function freeHostPort() {
    const server = net.createServer();
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '0.0.0.0', resolve);
    });
    const address = server.address();
    await new Promise((resolve) => server.close(() => resolve()));
    assert.ok(address && typeof address === 'object');
    return address.port;
}
async function httpGet(port, path) {
    const response = await fetchWithin(`http://127.0.0.1:${port}${path}`, 2000);
    return response.ok ? await response.text() : undefined;
}
//# sourceMappingURL=runtime.contract.js.map