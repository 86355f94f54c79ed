import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Ledger } from '../../controller/state/ledger.js';
import { taskContainerSpecs } from '../../controller/taskspec/containerSpecs.js';
import { launchTask } from '../../controller/executor/launcher.js';
import { silentLogger } from '../../controller/log.js';
import { MetadataServer, parseListenAddress, parseRoute } from '../../controller/metadata/server.js';
import { containerMetadata, subnetAddress, taskMetadata } from '../../controller/metadata/shape.js';
import { EndpointTokens, loadOrCreateKey, METADATA_KEY_FILE } from '../../controller/metadata/tokens.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
const TASK_ID = '0123456789abcdef0123456789abcdef';
const KEY = Buffer.alloc(32, 7);
function described(overrides) {
    const { container, ...rest } = overrides;
    return {
        id: container.padEnd(64, '0'),
        name: `berth-c1-web-0123456789ab-${container}`,
        image: 'berth/httpd:1',
        labels: { [LABEL.container]: container, [LABEL.taskId]: TASK_ID, [LABEL.essential]: 'true', [LABEL.taskContainers]: '2' },
        state: 'running',
        createdAt: '2026-01-01T00:00:00.000Z',
        startedAt: '2026-01-01T00:00:01.000Z',
        ports: [],
        imageId: `sha256:${'a'.repeat(64)}`,
        networkMode: 'berth-c1',
        networks: [{ name: 'berth-c1', ipv4Address: '172.18.0.5', ipv4PrefixLength: 16, gateway: '172.18.0.1', macAddress: '02:42:ac:12:00:05' }],
        cpuShares: 128,
        memoryBytes: 64 * 1024 * 1024,
        logDriver: 'json-file',
        logOptions: { 'max-size': '10m' },
        ...rest,
    };
}
const context = {
    cluster: 'c1',
    taskId: TASK_ID,
    family: 'web',
    revision: 3,
    serviceName: 'web',
    networkMode: 'bridge',
    desiredStatus: 'RUNNING',
    limits: { cpuUnits: 512, memoryMiB: 1024 },
};
describe('task metadata: ECS JSON shape', () => {
    test('a running container in bridge mode, field for field', () => {
        const container = described({
            container: 'httpd',
            ports: [
                { containerPort: 8080, hostPort: 32768, protocol: 'tcp', hostIp: '::' },
                { containerPort: 8080, hostPort: 32768, protocol: 'tcp', hostIp: '0.0.0.0' },
            ],
        });
        assert.deepEqual(containerMetadata(container, context), {
            DockerId: container.id,
            Name: 'httpd',
            DockerName: 'berth-c1-web-0123456789ab-httpd',
            Image: 'berth/httpd:1',
            ImageID: `sha256:${'a'.repeat(64)}`,
            Ports: [{ ContainerPort: 8080, Protocol: 'tcp', HostPort: 32768, HostIp: '0.0.0.0' }],
            Labels: { ...container.labels },
            DesiredStatus: 'RUNNING',
            KnownStatus: 'RUNNING',
            Limits: { CPU: 128, Memory: 64 },
            CreatedAt: '2026-01-01T00:00:00.000Z',
            StartedAt: '2026-01-01T00:00:01.000Z',
            Type: 'NORMAL',
            LogDriver: 'json-file',
            LogOptions: { 'max-size': '10m' },
            ContainerARN: `arn:berth:ecs:local:000000000000:container/c1/${TASK_ID}/httpd`,
            Networks: [{ NetworkMode: 'bridge', IPv4Addresses: ['172.18.0.5'] }],
        });
    });
    test('an exited container has its ExitCode; health becomes ECS’s words', () => {
        const exited = containerMetadata(described({ container: 'job', state: 'exited', exitCode: 3, finishedAt: '2026-01-01T00:01:00.000Z', healthDetail: { status: 'unhealthy', since: '2026-01-01T00:00:50.000Z', exitCode: 1, output: 'down' } }), { ...context, desiredStatus: 'STOPPED' });
        assert.equal(exited.KnownStatus, 'STOPPED');
        assert.equal(exited.DesiredStatus, 'STOPPED');
        assert.equal(exited.ExitCode, 3);
        assert.equal(exited.FinishedAt, '2026-01-01T00:01:00.000Z');
        assert.deepEqual(exited.Health, { status: 'UNHEALTHY', statusSince: '2026-01-01T00:00:50.000Z', exitCode: 1, output: 'down' });
        const running = containerMetadata(described({ container: 'web', exitCode: 0, healthDetail: { status: 'starting' } }), context);
        assert.equal(running.ExitCode, undefined, 'no exit code while running');
        assert.deepEqual(running.Health, { status: 'UNKNOWN' });
        assert.equal(containerMetadata(described({ container: 'new', state: 'created' }), context).KnownStatus, 'CREATED');
    });
    test('awsvpc mode describes the interface: subnet, gateway, MAC', () => {
        const [network] = containerMetadata(described({ container: 'api' }), { ...context, networkMode: 'awsvpc' }).Networks;
        assert.deepEqual(network, {
            NetworkMode: 'awsvpc',
            IPv4Addresses: ['172.18.0.5'],
            AttachmentIndex: 0,
            MACAddress: '02:42:ac:12:00:05',
            IPv4SubnetCIDRBlock: '172.18.0.0/16',
            SubnetGatewayIpv4Address: '172.18.0.1/16',
        });
        assert.deepEqual(containerMetadata(described({ container: 'x', networkMode: 'none', networks: [] }), { ...context, networkMode: 'none' }).Networks, []);
        assert.equal(subnetAddress('10.1.2.3', 24), '10.1.2.0');
        assert.equal(subnetAddress('10.1.2.3', 0), '0.0.0.0');
    });
    test('the task: ARNs, string revision, vCPU limits, containers oldest first, status from the containers', () => {
        const sidecar = described({ container: 'sidecar', createdAt: '2026-01-01T00:00:00.500Z' });
        const web = described({ container: 'web' });
        const task = taskMetadata([sidecar, web], context);
        assert.equal(task.Cluster, 'arn:berth:ecs:local:000000000000:cluster/c1');
        assert.equal(task.TaskARN, `arn:berth:ecs:local:000000000000:task/c1/${TASK_ID}`);
        assert.equal(task.Family, 'web');
        assert.equal(task.Revision, '3');
        assert.equal(task.ServiceName, 'web');
        assert.equal(task.KnownStatus, 'RUNNING');
        assert.equal(task.LaunchType, 'EC2');
        assert.deepEqual(task.Limits, { CPU: 0.5, Memory: 1024 });
        assert.deepEqual(task.Containers.map((c) => c.Name), ['web', 'sidecar']);
        const pending = taskMetadata([web, described({ container: 'sidecar', state: 'created' })], { ...context, limits: undefined, serviceName: undefined });
        assert.equal(pending.KnownStatus, 'CREATED');
        assert.equal(pending.Limits, undefined, 'omitted when the task definition sets none');
        assert.equal(pending.ServiceName, undefined);
        const provisioning = taskMetadata([web], context);
        assert.equal(provisioning.KnownStatus, 'PULLED', 'one of two containers still to be created');
    });
});
describe('task metadata: URIs and their token', () => {
    const tokens = new EndpointTokens(KEY);
    test('an issued id is accepted and names its task and container', () => {
        const id = tokens.endpointId({ taskId: TASK_ID, container: 'web_1' });
        assert.match(id, new RegExp(`^${TASK_ID}\\.web_1\\.[0-9a-f]{32}$`));
        assert.deepEqual(tokens.verify(id), { taskId: TASK_ID, container: 'web_1' });
    });
    test('an altered mac, another container or task, another key, or junk are refused', () => {
        const id = tokens.endpointId({ taskId: TASK_ID, container: 'web' });
        const mac = id.slice(-32);
        const flipped = `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
        assert.equal(tokens.verify(flipped), undefined);
        assert.equal(tokens.verify(`${TASK_ID}.sidecar.${mac}`), undefined);
        assert.equal(tokens.verify(`${'f'.repeat(32)}.web.${mac}`), undefined);
        assert.equal(new EndpointTokens(Buffer.alloc(32, 8)).verify(id), undefined);
        for (const junk of ['', 'x', `${TASK_ID}.web`, `${TASK_ID}.web.${mac}0`, `../etc.web.${mac}`])
            assert.equal(tokens.verify(junk), undefined, junk);
    });
    test('the key is created once, owner-only, reused after a restart, and replaced when damaged', () => {
        const dir = mkdtempSync(join(tmpdir(), 'berth-md-key-'));
        try {
            const first = loadOrCreateKey(dir, silentLogger);
            assert.equal(first.length, 32);
            assert.equal(statSync(join(dir, METADATA_KEY_FILE)).mode & 0o777, 0o600);
            assert.deepEqual(loadOrCreateKey(dir, silentLogger), first);
            writeFileSync(join(dir, METADATA_KEY_FILE), 'not hex\n', { mode: 0o644 });
            const replaced = loadOrCreateKey(dir, silentLogger);
            assert.notDeepEqual(replaced, first);
            assert.equal(readFileSync(join(dir, METADATA_KEY_FILE), 'utf8').trim(), replaced.toString('hex'));
            assert.equal(statSync(join(dir, METADATA_KEY_FILE)).mode & 0o777, 0o600);
        }
        finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
    test('routes and listen addresses', () => {
        assert.deepEqual(parseRoute('/v4/abc'), { endpointId: 'abc', resource: 'container' });
        assert.deepEqual(parseRoute('/v3/abc/task'), { endpointId: 'abc', resource: 'task' });
        assert.deepEqual(parseRoute('/v4/abc/stats?x=1'), { endpointId: 'abc', resource: 'stats' });
        assert.deepEqual(parseRoute('/v4/abc/task/stats'), { endpointId: 'abc', resource: 'task/stats' });
        for (const path of ['/', '/v4/', '/v5/abc', '/v4/abc/other', '/v4/abc/task/stats/x'])
            assert.equal(parseRoute(path), undefined, path);
        assert.deepEqual(parseListenAddress('0.0.0.0:51679'), { host: '0.0.0.0', port: 51679 });
        assert.deepEqual(parseListenAddress('[::]:0'), { host: '::', port: 0 });
        for (const bad of ['51679', 'host:', ':80', 'a:b', '1.2.3.4:70000'])
            assert.throws(() => parseListenAddress(bad), /is not HOST:PORT/, bad);
    });
});
describe('task metadata: the launcher and the container specs', () => {
    const identity = { cluster: 'c1', group: 'service:web', taskId: TASK_ID, family: 'web', revision: 1, capacityProvider: 'local' };
    const spec = (networkMode) => ({
        ...(networkMode ? { networkMode } : {}),
        containerDefinitions: [{ name: 'web', image: 'berth/httpd:1', environment: [{ name: 'ECS_CONTAINER_METADATA_URI', value: 'mine' }] }],
    });
    test('the metadata environment stays out of the config hash, and a variable the task sets wins', () => {
        const [plain] = taskContainerSpecs(spec(), identity, {});
        const [withUris] = taskContainerSpecs(spec(), identity, { taskEnvironment: (c) => ({ ECS_CONTAINER_METADATA_URI_V4: `uri-of-${c}`, ECS_CONTAINER_METADATA_URI: 'v3' }) });
        assert.equal(withUris.env.ECS_CONTAINER_METADATA_URI_V4, 'uri-of-web');
        assert.equal(withUris.env.ECS_CONTAINER_METADATA_URI, 'mine');
        assert.equal(withUris.labels[LABEL.configHash], plain.labels[LABEL.configHash]);
    });
    test('a container that names its own credentials URI, in either variable, is given neither of berth’s', () => {
        const fromBerth = (c) => ({ ECS_CONTAINER_METADATA_URI_V4: `uri-of-${c}`, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/berth' });
        const own = (name) => ({ containerDefinitions: [{ name: 'web', image: 'berth/httpd:1', environment: [{ name, value: 'http://127.0.0.1:9911/creds' }] }] });
        const [withFullUri] = taskContainerSpecs(own('AWS_CONTAINER_CREDENTIALS_FULL_URI'), identity, { taskEnvironment: fromBerth });
        assert.equal(withFullUri.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, undefined, 'SDKs would read berth’s RELATIVE_URI first');
        assert.equal(withFullUri.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, 'http://127.0.0.1:9911/creds');
        assert.equal(withFullUri.env.ECS_CONTAINER_METADATA_URI_V4, 'uri-of-web');
        const [plain] = taskContainerSpecs(spec(), identity, { taskEnvironment: fromBerth });
        assert.equal(plain.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, '/v2/credentials/berth');
    });
    test('bridge tasks are told the cluster network’s gateway, host tasks the loopback, none tasks nothing', async () => {
        const runtime = new MemoryRuntime();
        const server = new MetadataServer({ address: { host: '0.0.0.0', port: 51679 }, fallbackToFreePort: false, tokens: new EndpointTokens(KEY), lookup: async () => undefined, logger: silentLogger });
        const launch = async (networkMode, taskId) => {
            const outcome = await launchTask({ runtime, identity: { ...identity, taskId }, spec: spec(networkMode), ledger: new Ledger(undefined), logger: silentLogger, now: () => 0, metadata: server });
            assert.equal(outcome, 'started');
            const [container] = await runtime.list({ [LABEL.taskId]: taskId });
            return runtime.specOf(container.id).env;
        };
        const bridge = await launch(undefined, 'a'.repeat(32));
        const gateway = await runtime.networkGateway('berth-c1');
        assert.ok(gateway);
        assert.match(bridge.ECS_CONTAINER_METADATA_URI_V4 ?? '', new RegExp(`^http://${gateway.replaceAll('.', '\\.')}:51679/v4/a{32}\\.web\\.[0-9a-f]{32}$`));
        const host = await launch('host', 'b'.repeat(32));
        assert.match(host.ECS_CONTAINER_METADATA_URI_V4 ?? '', /^http:\/\/127\.0\.0\.1:51679\/v4\//);
        const none = await launch('none', 'c'.repeat(32));
        assert.equal(none.ECS_CONTAINER_METADATA_URI_V4, undefined);
        await runtime.close();
    });
});
describe('task metadata: the server', () => {
    const runtime = new MemoryRuntime();
    const tokens = new EndpointTokens(KEY);
    let found;
    const server = new MetadataServer({ address: { host: '127.0.0.1', port: 0 }, fallbackToFreePort: false, tokens, lookup: async (taskId) => (taskId === TASK_ID ? found : undefined), logger: silentLogger });
    after(() => server.stop());
    test('serves the container, the task and stats to a valid URI, and 404 to anything else', async () => {
        await server.start();
        const id = await runtime.create({ name: 'md-unit-web', image: 'berth/httpd:1', env: {}, ports: [], network: 'bridge', labels: { [LABEL.managed]: 'true', [LABEL.container]: 'web', [LABEL.taskId]: TASK_ID, [LABEL.taskContainers]: '1' } });
        await runtime.start(id);
        found = { runtime, containers: [(await runtime.describe(id))], context, addresses: [] };
        assert.equal(server.hostFor('bridge', '172.18.0.1'), '127.0.0.1', 'bound to one address: containers are told that one');
        const uri = server.environment('127.0.0.1', { taskId: TASK_ID, container: 'web', networkMode: 'bridge', engineOnThisHost: true }).ECS_CONTAINER_METADATA_URI_V4;
        assert.equal(new URL(uri).port, String(server.address.port));
        const container = await fetch(uri);
        assert.equal(container.status, 200);
        assert.equal(container.headers.get('content-type'), 'application/json');
        assert.equal((await container.json()).Name, 'web');
        assert.equal((await (await fetch(`${uri}/task`)).json()).Family, 'web');
        assert.equal((await (await fetch(`${uri}/stats`)).json()).id, id);
        assert.deepEqual(Object.keys((await (await fetch(`${uri}/task/stats`)).json())), [id]);
        assert.equal((await fetch(uri, { method: 'POST' })).status, 405);
        const forged = `${uri.slice(0, -1)}${uri.endsWith('0') ? '1' : '0'}`;
        assert.equal((await fetch(forged)).status, 404);
        assert.equal((await fetch(`${uri}/other`)).status, 404);
        const otherContainer = server.environment('127.0.0.1', { taskId: TASK_ID, container: 'gone', networkMode: 'bridge', engineOnThisHost: true }).ECS_CONTAINER_METADATA_URI_V4;
        assert.equal((await fetch(otherContainer)).status, 404, 'a valid URI of a container that is not there');
        found = undefined;
        assert.equal((await fetch(uri)).status, 404, 'a task that is gone');
    });
    test('stop closes the port', async () => {
        const port = server.address.port;
        await server.stop();
        await assert.rejects(fetch(`http://127.0.0.1:${port}/v4/x`));
    });
    test('an address in use fails the start, unless falling back to a free port is allowed', async () => {
        const holder = net.createServer();
        await new Promise((resolve) => holder.listen(0, '127.0.0.1', resolve));
        const taken = holder.address().port;
        try {
            const options = { address: { host: '127.0.0.1', port: taken }, tokens, lookup: async () => undefined, logger: silentLogger };
            await assert.rejects(new MetadataServer({ ...options, fallbackToFreePort: false }).start(), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${taken}`));
            const fallback = new MetadataServer({ ...options, fallbackToFreePort: true });
            await fallback.start();
            assert.notEqual(fallback.address.port, taken);
            assert.ok(fallback.address.port > 0);
            await fallback.stop();
        }
        finally {
            holder.close();
        }
    });
});
describe('task metadata: where the server listens', () => {
    const options = { tokens: new EndpointTokens(KEY), lookup: async () => undefined, logger: silentLogger, fallbackToFreePort: false };
    /** Whether anything accepts a TCP connection at host:port. */
    const accepts = (host, port) => new Promise((resolve) => {
        const socket = net.connect({ host, port }, () => {
            socket.destroy();
            resolve(true);
        });
        socket.on('error', () => resolve(false));
    });
    test('an unspecified host binds the loopback, then each gateway tasks are told, on one port; no other address answers', async () => {
        const server = new MetadataServer({ ...options, address: { host: '0.0.0.0', port: 0 } });
        await server.start();
        try {
            const port = server.address.port;
            assert.deepEqual(await server.boundAddresses(), [{ host: '127.0.0.1', port }]);
            // 127.0.0.0/8 is all loopback on Linux: 127.0.0.2 stands in for a task network's gateway, 127.0.0.3 for any other address of the host.
            assert.equal(await accepts('127.0.0.2', port), false, 'not listening on every address');
            await Promise.all([server.reachableAt('127.0.0.2'), server.reachableAt('127.0.0.2')]);
            assert.deepEqual(await server.boundAddresses(), [{ host: '127.0.0.1', port }, { host: '127.0.0.2', port }], 'bound once although asked twice at once');
            assert.equal(await accepts('127.0.0.2', port), true);
            assert.equal(await accepts('127.0.0.3', port), false);
            // An address this host does not have (a remote engine's gateway) is skipped, not an error.
            await server.reachableAt('192.0.2.1');
            assert.equal((await server.boundAddresses()).length, 2);
            await server.stop();
            assert.equal(await accepts('127.0.0.2', port), false, 'stop closes the gateway listeners too');
        }
        finally {
            await server.stop();
        }
    });
    test('a given address is the only one', async () => {
        const server = new MetadataServer({ ...options, address: { host: '127.0.0.4', port: 0 } });
        await server.start();
        try {
            await server.reachableAt('127.0.0.2');
            assert.deepEqual(await server.boundAddresses(), [{ host: '127.0.0.4', port: server.address.port }]);
        }
        finally {
            await server.stop();
        }
    });
});
//# sourceMappingURL=metadata.test.js.map