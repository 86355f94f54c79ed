import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { before, describe, test } from 'node:test';
import { docker, execIn, groupContainers, running, testCluster, waitFor, writeManifests } from './harness.js';
/**
 * The ECS task metadata endpoint, read from inside the task's own containers. The
 * test images' busybox wget cannot run (it needs glibc's NSS at run time), so the
 * containers speak HTTP/1.0 through nc; the trailing sleep keeps nc's input open until
 * the answer is in (busybox nc stops reading when its input ends).
 */
const HTTP_GET = `get() { u=\${1#http://}; hp=\${u%%/*}; p=/\${u#*/}; (printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\n\\r\\n' "$p" "$hp"; sleep "\${2:-3}") | nc -w 5 "\${hp%:*}" "\${hp##*:}"; }`;
function parseHttp(raw) {
    const split = raw.indexOf('\r\n\r\n');
    if (split < 0)
        throw new Error(`no HTTP answer: ${JSON.stringify(raw.slice(0, 200))}`);
    return { status: Number(raw.slice(0, split).split(' ')[1]), body: raw.slice(split + 4) };
}
/** GET `${variable}${suffix}` from inside the container. */
async function getFrom(id, variable, suffix = '', waitSeconds = 3) {
    return parseHttp(await execIn(id, `${HTTP_GET}; get "$${variable}${suffix}" ${waitSeconds}`));
}
async function containerEnv(id) {
    const info = await docker.getContainer(id).inspect();
    return Object.fromEntries((info.Config.Env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}
async function freePort() {
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, '0.0.0.0', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(() => resolve()));
    return port;
}
function taskDefinition(name, spec) {
    return JSON.stringify({ apiVersion: 'berth/v1', kind: 'TaskDefinition', metadata: { name }, spec }, null, 2);
}
function service(name, cluster, taskDefinitionName, desiredCount) {
    return `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  cluster: ${cluster}\n  taskDefinition: ${taskDefinitionName}\n  desiredCount: ${desiredCount}\n`;
}
const sleeper = { name: 'main', image: 'berth/busybox:1', command: ['sleep', '3600'], memory: 32, stopTimeout: 1 };
describe('task metadata endpoint v4', () => {
    const { cluster, dir, start } = testCluster('md');
    let port;
    let controller;
    const startController = () => (controller = start(['--metadata-address', `0.0.0.0:${port}`]));
    before(async () => {
        port = await freePort();
        writeManifests(dir, {
            // The host network task needs the cluster's task policy to allow it.
            'cluster.yaml': `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${cluster}\nspec:\n  taskPolicy: {allowHostNetwork: true}\n`,
            'app-td.json': taskDefinition('md-app', {
                cpu: '256',
                memory: '512',
                containerDefinitions: [
                    {
                        name: 'reader',
                        image: 'berth/busybox:1',
                        memory: 32,
                        stopTimeout: 1,
                        // Reads its own container document the moment it starts, as an application would.
                        command: ['sh', '-c', `${HTTP_GET}; get "$ECS_CONTAINER_METADATA_URI_V4" 15 > /tmp/c.http; exec sleep 3600`],
                    },
                    { name: 'sidecar', image: 'berth/httpd:1', memory: 32, stopTimeout: 1, portMappings: [{ containerPort: 8080 }] },
                ],
            }),
            'app.yaml': service('app', cluster, 'md-app', 2),
            'host-td.json': taskDefinition('md-host', { networkMode: 'host', containerDefinitions: [sleeper] }),
            'host.yaml': service('onhost', cluster, 'md-host', 1),
            'none-td.json': taskDefinition('md-none', { networkMode: 'none', containerDefinitions: [sleeper] }),
            'none.yaml': service('isolated', cluster, 'md-none', 1),
        });
        startController();
        await waitFor('4 app containers, the host and the none task running', async () => (await running(cluster, 'service:app')).length === 4 && (await running(cluster, 'service:onhost')).length === 1 && (await running(cluster, 'service:isolated')).length === 1, { controller, timeoutMs: 90_000 });
    });
    const appContainers = async (name) => (await running(cluster, 'service:app')).filter((c) => c.labels['berth.container'] === name);
    test('a two-container task reads its own container document and its task document in ECS’s shape', async () => {
        const [reader] = await appContainers('reader');
        assert.ok(reader);
        const taskId = reader.taskId;
        const sidecar = (await appContainers('sidecar')).find((c) => c.taskId === taskId);
        assert.ok(sidecar, 'the sidecar of the same task runs');
        const own = await waitFor('the container document the reader fetched at start', async () => {
            const raw = await execIn(reader.id, 'cat /tmp/c.http 2>/dev/null');
            return raw.includes('\r\n\r\n') ? parseHttp(raw) : undefined;
        });
        assert.equal(own.status, 200, own.body);
        const container = JSON.parse(own.body);
        assert.equal(container.Name, 'reader', 'the container endpoint describes the container that asks');
        assert.equal(container.DockerId, reader.id);
        assert.equal(container.DockerName, reader.name);
        assert.equal(container.Type, 'NORMAL');
        assert.match(container.ImageID, /^sha256:[0-9a-f]{64}$/);
        assert.equal(container.Labels['berth.task-id'], taskId);
        assert.deepEqual(container.Limits, { CPU: 2, Memory: 32 });
        assert.equal(container.ContainerARN, `arn:berth:ecs:local:000000000000:container/${cluster}/${taskId}/reader`);
        // Once both containers run, the task document says so.
        const task = await waitFor('the task document with the task RUNNING', async () => {
            const answer = await getFrom(reader.id, 'ECS_CONTAINER_METADATA_URI_V4', '/task');
            const parsed = answer.status === 200 ? JSON.parse(answer.body) : undefined;
            return parsed?.KnownStatus === 'RUNNING' ? parsed : undefined;
        });
        assert.equal(task.TaskARN, `arn:berth:ecs:local:000000000000:task/${cluster}/${taskId}`);
        assert.equal(task.Cluster, `arn:berth:ecs:local:000000000000:cluster/${cluster}`);
        assert.equal(task.Family, 'md-app');
        assert.equal(task.Revision, '1');
        assert.equal(task.ServiceName, 'app');
        assert.equal(task.DesiredStatus, 'RUNNING');
        assert.equal(task.LaunchType, 'EC2');
        assert.deepEqual(task.Limits, { CPU: 0.25, Memory: 512 }, 'task cpu "256" is a quarter vCPU');
        assert.deepEqual(task.Containers.map((c) => c.Name).sort(), ['reader', 'sidecar']);
        assert.deepEqual(task.Containers.map((c) => c.DockerId).sort(), [reader.id, sidecar.id].sort());
        for (const c of task.Containers)
            assert.equal(c.KnownStatus, 'RUNNING', c.Name);
        const sidecarInfo = await docker.getContainer(sidecar.id).inspect();
        const sidecarDoc = task.Containers.find((c) => c.Name === 'sidecar');
        assert.deepEqual(sidecarDoc.Networks, [{ NetworkMode: 'bridge', IPv4Addresses: [sidecarInfo.NetworkSettings.Networks[`berth-${cluster}`].IPAddress] }]);
        const fromSidecar = await getFrom(sidecar.id, 'ECS_CONTAINER_METADATA_URI_V4');
        assert.equal(JSON.parse(fromSidecar.body).Name, 'sidecar', 'each container has its own URI');
        const v3 = await getFrom(reader.id, 'ECS_CONTAINER_METADATA_URI', '/task');
        assert.equal(v3.status, 200);
        assert.equal(JSON.parse(v3.body).TaskARN, task.TaskARN, 'the v3 variable serves the same task');
    });
    test('tasks of one revision keep one config hash although each has its own URI', async () => {
        const readers = await appContainers('reader');
        assert.equal(readers.length, 2);
        const [a, b] = await Promise.all(readers.map((c) => containerEnv(c.id)));
        assert.ok(a?.ECS_CONTAINER_METADATA_URI_V4 && b?.ECS_CONTAINER_METADATA_URI_V4);
        assert.notEqual(a.ECS_CONTAINER_METADATA_URI_V4, b.ECS_CONTAINER_METADATA_URI_V4);
        assert.equal(readers[0].labels['berth.config-hash'], readers[1].labels['berth.config-hash']);
    });
    test('stats of the container and of the whole task, in Docker’s JSON', async () => {
        const [reader] = await appContainers('reader');
        assert.ok(reader);
        // Docker takes two samples a second apart for one answer.
        const own = await getFrom(reader.id, 'ECS_CONTAINER_METADATA_URI_V4', '/stats', 6);
        assert.equal(own.status, 200);
        const stats = JSON.parse(own.body);
        assert.equal(stats.id, reader.id);
        assert.ok(stats.cpu_stats.cpu_usage.total_usage > 0, 'a running process used some CPU');
        assert.ok(stats.memory_stats.usage > 0);
        const ofTask = await getFrom(reader.id, 'ECS_CONTAINER_METADATA_URI_V4', '/task/stats', 8);
        assert.equal(ofTask.status, 200);
        const byId = JSON.parse(ofTask.body);
        const taskContainers = (await groupContainers(cluster, 'service:app')).filter((c) => c.taskId === reader.taskId).map((c) => c.id);
        assert.deepEqual(Object.keys(byId).sort(), taskContainers.sort());
        for (const id of taskContainers)
            assert.equal(byId[id]?.id, id);
    });
    test('a forged or made-up URI gets 404', async () => {
        const [reader] = await appContainers('reader');
        assert.ok(reader);
        // The last hex digit of the mac, changed.
        const forged = await execIn(reader.id, `${HTTP_GET}; u=$ECS_CONTAINER_METADATA_URI_V4; last=\${u#\${u%?}}; [ "$last" = 0 ] && n=1 || n=0; get "\${u%?}$n/task"`);
        assert.equal(parseHttp(forged).status, 404);
        // Another task's id with this container's mac.
        const other = (await appContainers('reader')).find((c) => c.taskId !== reader.taskId);
        const swapped = await execIn(reader.id, `${HTTP_GET}; u=$ECS_CONTAINER_METADATA_URI_V4; get "$(echo "$u" | sed 's/${reader.taskId}/${other.taskId}/')/task"`);
        assert.equal(parseHttp(swapped).status, 404);
        const bare = await fetch(`http://127.0.0.1:${port}/v4/`);
        assert.equal(bare.status, 404);
    });
    test('host network mode reaches the endpoint at 127.0.0.1; network mode none gets no URI', async () => {
        const [onHost] = await running(cluster, 'service:onhost');
        assert.ok(onHost);
        const env = await containerEnv(onHost.id);
        assert.ok(env.ECS_CONTAINER_METADATA_URI_V4?.startsWith(`http://127.0.0.1:${port}/v4/`), env.ECS_CONTAINER_METADATA_URI_V4);
        const answer = await getFrom(onHost.id, 'ECS_CONTAINER_METADATA_URI_V4', '/task');
        assert.equal(answer.status, 200, answer.body);
        const task = JSON.parse(answer.body);
        assert.equal(task.Family, 'md-host');
        assert.deepEqual(task.Containers.map((c) => c.Name), ['main']);
        assert.equal(task.Containers[0].Networks[0].NetworkMode, 'host');
        const [isolated] = await running(cluster, 'service:isolated');
        assert.ok(isolated);
        const isolatedEnv = await containerEnv(isolated.id);
        assert.equal(isolatedEnv.ECS_CONTAINER_METADATA_URI_V4, undefined);
        assert.equal(isolatedEnv.ECS_CONTAINER_METADATA_URI, undefined);
    });
    test('the server closes with the controller, and a restarted controller honours the URIs it gave out', async () => {
        const [reader] = await appContainers('reader');
        assert.ok(reader);
        const uri = (await containerEnv(reader.id)).ECS_CONTAINER_METADATA_URI_V4;
        const fromHost = `http://127.0.0.1:${port}${new URL(uri).pathname}`;
        assert.equal((await fetch(fromHost)).status, 200);
        await controller.stop();
        // Nothing of this controller answers any more (another process may take the port: it has no key).
        const after = await fetch(fromHost).then((r) => r.status, () => 'refused');
        assert.notEqual(after, 200);
        startController();
        await waitFor('the old URI answers again', async () => (await fetch(fromHost).then((r) => r.status, () => 0)) === 200, { controller });
        // The gateway listener comes back once the engine has been scanned, a moment after the loopback one.
        const answer = await waitFor('the old URI answers inside the task', async () => {
            const got = await getFrom(reader.id, 'ECS_CONTAINER_METADATA_URI_V4', '/task').catch(() => undefined);
            return got?.status === 200 ? got : undefined;
        }, { controller });
        assert.equal(JSON.parse(answer.body).TaskARN.endsWith(reader.taskId), true);
    });
    test('listens only on the loopback and the task network’s gateway, not on every address of the host', async () => {
        const configs = (await docker.getNetwork(`berth-${cluster}`).inspect()).IPAM.Config;
        const gateway = configs.map((c) => c.Gateway).find((address) => address?.includes('.'));
        assert.ok(gateway);
        // The restarted controller listens there again before any launch.
        await waitFor('the gateway listener', () => listeningOn(port).includes(`${gateway}:${port}`), { controller });
        assert.deepEqual(listeningOn(port).sort(), [`127.0.0.1:${port}`, `${gateway}:${port}`].sort(), 'no 0.0.0.0 listener, no other address');
    });
});
/**
 * The IPv4 addresses with a socket listening on `port` in this network namespace (the
 * controller's): /proc/net/tcp holds "0100007F:1F90" for 127.0.0.1:8080, state 0A = LISTEN.
 */
function listeningOn(port) {
    return readFileSync('/proc/net/tcp', 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter((fields) => fields[3] === '0A' && Number.parseInt(fields[1].split(':')[1], 16) === port)
        .map((fields) => {
        const hex = fields[1].split(':')[0];
        const octets = [3, 2, 1, 0].map((i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16));
        return `${octets.join('.')}:${port}`;
    });
}
//# sourceMappingURL=metadata.test.js.map