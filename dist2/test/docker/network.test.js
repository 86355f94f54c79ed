import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { clusterManifest, docker, groupContainers, httpGet, running, serviceStatus, testCluster, uniqueName, waitFor, writeManifests, } from './harness.js';
const run = promisify(execFile);
/** Runs a shell command in a container; resolves with its output. */
async function sh(container, command) {
    const { stdout } = await run('docker', ['exec', container, 'sh', '-c', command], { timeout: 15_000 });
    return stdout;
}
/** One HTTP request with busybox nc (busybox wget crashes in these images). */
function ncGet(host, port) {
    return `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${host} ${port}`;
}
/** A port nothing listens on right now. */
async function freePort() {
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, '0.0.0.0', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(() => resolve()));
    return port;
}
function taskDefinition(name, spec) {
    return JSON.stringify({ apiVersion: 'berth/v1', kind: 'TaskDefinition', metadata: { name }, spec });
}
function service(name, cluster, taskDefinitionName, desiredCount) {
    return `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  cluster: ${cluster}\n  taskDefinition: ${taskDefinitionName}\n  desiredCount: ${desiredCount}\n`;
}
const sleeper = (name, seconds = 3600) => ({ name, image: 'berth/busybox:1', command: ['sleep', String(seconds)], memory: 32, stopTimeout: 2 });
/** Docker name of the container `name` of each running task of a group, by task id. */
async function byTask(cluster, group, name) {
    const containers = await running(cluster, group);
    return new Map(containers.filter((c) => c.labels['berth.container'] === name).map((c) => [c.taskId, c.name]));
}
describe('network modes on the real engine', () => {
    const { cluster, dir, path, start } = testCluster('nw');
    // The host network mode test needs the cluster's task policy to allow it.
    writeManifests(dir, { 'cluster.yaml': `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${cluster}\nspec:\n  taskPolicy: {allowHostNetwork: true}\n` });
    const controller = start();
    const foreign = [];
    after(async () => {
        for (const name of foreign)
            await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    });
    test('awsvpc: the containers of a task share localhost, the task has its own address, and its pause container goes with it', async () => {
        writeManifests(dir, {
            'vpc-td.json': taskDefinition('nw-vpc', {
                networkMode: 'awsvpc',
                containerDefinitions: [
                    { name: 'web', image: 'berth/httpd:1', memory: 32, stopTimeout: 2, portMappings: [{ containerPort: 8080 }] },
                    sleeper('client'),
                ],
            }),
            'vpc.yaml': service('vpc', cluster, 'nw-vpc', 1),
        });
        const status = await waitFor('the awsvpc task running with its address', () => {
            const s = serviceStatus(path('vpc.yaml'), 'vpc');
            return s?.runningCount === 1 && s.tasks[0]?.attachments?.length ? s : undefined;
        }, { controller, timeoutMs: 90_000 });
        const task = status.tasks[0];
        assert.deepEqual(task.containers.map((c) => c.name), ['client', 'web'], 'the pause container is no container of the task');
        const attachment = task.attachments[0];
        assert.equal(attachment.type, 'ElasticNetworkInterface');
        assert.equal(attachment.status, 'ATTACHED');
        const address = attachment.details.find((d) => d.name === 'privateIPv4Address')?.value;
        assert.match(address ?? '', /^\d+\.\d+\.\d+\.\d+$/);
        for (const container of task.containers)
            assert.equal(container.networkInterfaces?.[0]?.privateIpv4Address, address);
        const containers = await groupContainers(cluster, 'service:vpc');
        const pause = containers.find((c) => c.labels['berth.role'] === 'pause');
        assert.ok(pause, 'a pause container carries the task');
        assert.equal(pause.taskId, task.taskId);
        const pauseInfo = await docker.getContainer(pause.id).inspect();
        assert.equal(pauseInfo.NetworkSettings.Networks[`berth-${cluster}`]?.IPAddress, address, 'the task address is the pause container’s');
        assert.ok(pauseInfo.NetworkSettings.Networks[`berth-${cluster}`]?.Aliases?.includes('vpc'), 'the service name is an alias of the task');
        const client = containers.find((c) => c.labels['berth.container'] === 'client');
        // The engine records the namespace owner by id.
        assert.equal((await docker.getContainer(client.id).inspect()).HostConfig.NetworkMode, `container:${pause.id}`);
        assert.match(await sh(client.name, ncGet('127.0.0.1', 8080)), /<h1>berth<\/h1>/, 'client reaches web on localhost');
        // Anyone on the cluster network reaches the task at its own address.
        const probe = uniqueName('nw-probe-');
        foreign.push(probe);
        const { stdout } = await run('docker', ['run', '--rm', '--name', probe, '--network', `berth-${cluster}`, 'berth/busybox:1', 'sh', '-c', ncGet(address, 8080)], { timeout: 30_000 });
        assert.match(stdout, /<h1>berth<\/h1>/);
        // Scaled in, the task stops; its pause container stops last.
        writeManifests(dir, { 'vpc.yaml': service('vpc', cluster, 'nw-vpc', 0) });
        const stopped = await waitFor('every container of the task stopped', async () => {
            const list = await groupContainers(cluster, 'service:vpc');
            return list.length === 3 && list.every((c) => c.state === 'exited') ? list : undefined;
        }, { controller });
        const finished = await Promise.all(stopped.map(async (c) => ({ c, at: Date.parse((await docker.getContainer(c.id).inspect()).State.FinishedAt) })));
        const pauseFinished = finished.find((f) => f.c.labels['berth.role'] === 'pause').at;
        for (const f of finished)
            assert.ok(f.at <= pauseFinished, `${f.c.name} stopped before the pause container`);
        // The service deleted, everything of the task is removed, the pause container included.
        rmSync(path('vpc.yaml'));
        await waitFor('no container of the service left', async () => (await groupContainers(cluster, 'service:vpc')).length === 0, { controller });
    });
    test('bridge: each task’s app reaches its own task’s db by container name and by a link alias', async () => {
        writeManifests(dir, {
            'pair-td.json': taskDefinition('nw-pair', {
                containerDefinitions: [
                    // db serves its own hostname, the container id Docker gives it: unique to its task.
                    { name: 'db', image: 'berth/busybox:1', command: ['sh', '-c', 'mkdir -p /tmp/www && hostname > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www'], memory: 32, stopTimeout: 2 },
                    { ...sleeper('app'), links: ['db:database'] },
                ],
            }),
            'pair.yaml': service('pair', cluster, 'nw-pair', 2),
        });
        await waitFor('two tasks running', () => serviceStatus(path('pair.yaml'), 'pair')?.runningCount === 2, { controller, timeoutMs: 90_000 });
        const apps = await byTask(cluster, 'service:pair', 'app');
        const dbs = await byTask(cluster, 'service:pair', 'db');
        assert.equal(apps.size, 2);
        for (const [taskId, app] of apps) {
            const db = dbs.get(taskId);
            const dbHostname = (await docker.getContainer(db).inspect()).Config.Hostname;
            for (const name of ['db', 'database']) {
                const answer = await waitFor(`${app} reaching ${name}`, async () => {
                    const out = await sh(app, ncGet(name, 8080));
                    return out.includes('200 OK') ? out : undefined;
                });
                assert.ok(answer.includes(dbHostname), `${app} reached its own task's db as ${name}: ${answer}`);
            }
        }
        writeManifests(dir, { 'pair.yaml': service('pair', cluster, 'nw-pair', 0) });
    });
    test('host: the container listens on the host’s own port, reported as a network binding', async () => {
        const port = await freePort();
        writeManifests(dir, {
            'host-td.json': taskDefinition('nw-host', {
                networkMode: 'host',
                containerDefinitions: [
                    { name: 'web', image: 'berth/httpd:1', command: ['httpd', '-f', '-p', String(port), '-h', '/www'], memory: 32, stopTimeout: 1, portMappings: [{ containerPort: port }] },
                ],
            }),
            'host.yaml': service('hostweb', cluster, 'nw-host', 1),
        });
        const status = await waitFor('the host task running', () => {
            const s = serviceStatus(path('host.yaml'), 'hostweb');
            return s?.runningCount === 1 ? s : undefined;
        }, { controller, timeoutMs: 90_000 });
        assert.equal(await waitFor('the host port answering', () => httpGet(port).catch(() => undefined)), 200);
        assert.deepEqual(status.tasks[0].networkBindings?.map((b) => [b.containerName, b.containerPort, b.hostPort]), [['web', port, port]]);
        writeManifests(dir, { 'host.yaml': service('hostweb', cluster, 'nw-host', 0) });
    });
    test('none: the container has no network but loopback', async () => {
        writeManifests(dir, {
            'none-td.json': taskDefinition('nw-none', { networkMode: 'none', containerDefinitions: [sleeper('alone')] }),
            'none.yaml': service('alone', cluster, 'nw-none', 1),
        });
        await waitFor('the none task running', () => serviceStatus(path('none.yaml'), 'alone')?.runningCount === 1, { controller, timeoutMs: 90_000 });
        const [container] = await running(cluster, 'service:alone');
        const interfaces = (await sh(container.name, 'ls /sys/class/net')).split(/\s+/).filter(Boolean);
        assert.deepEqual(interfaces, ['lo']);
        assert.equal((await docker.getContainer(container.id).inspect()).HostConfig.NetworkMode, 'none');
        writeManifests(dir, { 'none.yaml': service('alone', cluster, 'nw-none', 0) });
    });
    test('pidMode and ipcMode task: the containers of a task see each other’s processes', async () => {
        writeManifests(dir, {
            'pid-td.json': taskDefinition('nw-pid', { pidMode: 'task', ipcMode: 'task', containerDefinitions: [sleeper('first', 3601), sleeper('second', 3602)] }),
            'pid.yaml': service('pids', cluster, 'nw-pid', 1),
        });
        await waitFor('the pidMode task running', () => serviceStatus(path('pid.yaml'), 'pids')?.runningCount === 1, { controller, timeoutMs: 90_000 });
        const second = [...(await byTask(cluster, 'service:pids', 'second')).values()][0];
        const processes = await sh(second, 'ps');
        assert.match(processes, /sleep 3601/, 'second sees first’s process');
        assert.match(processes, /sleep 3602/);
        const info = await docker.getContainer(second).inspect();
        const pause = (await groupContainers(cluster, 'service:pids')).find((c) => c.labels['berth.role'] === 'pause');
        assert.equal(info.HostConfig.PidMode, `container:${pause.id}`);
        assert.equal(info.HostConfig.IpcMode, `container:${pause.id}`);
        assert.equal((await docker.getContainer(pause.id).inspect()).HostConfig.NetworkMode, 'none', 'outside awsvpc the pause container holds no network');
        writeManifests(dir, { 'pid.yaml': service('pids', cluster, 'nw-pid', 0) });
    });
    const fixedPortTask = (name, port) => taskDefinition(name, {
        containerDefinitions: [{ name: 'web', image: 'berth/httpd:1', memory: 32, stopTimeout: 1, portMappings: [{ containerPort: 8080, hostPort: port }] }],
    });
    const PLACEMENT = /\(service (\S+)\) was unable to place a task because no container instance met all of its requirements\. The closest matching container-instance \S+ is already using a port required by your task\./;
    /** The placement event and condition, with no task started and none recorded as failed. */
    async function expectUnplaced(file, name) {
        const status = await waitFor('the placement event and condition', () => {
            const s = serviceStatus(path(file), name);
            const steady = s?.conditions.find((c) => c.type === 'Steady');
            return steady?.reason === 'PortInUse' && s.events.some((e) => PLACEMENT.test(e.message)) ? s : undefined;
        }, { controller, timeoutMs: 60_000 });
        assert.equal(status.conditions.find((c) => c.type === 'Steady').status, 'False');
        assert.equal(status.runningCount, 0);
        assert.deepEqual(status.stoppedTasks ?? [], [], 'no task failed: nothing counts toward the crash-loop throttle');
        assert.ok(!status.events.some((e) => /unable to consistently start tasks/.test(e.message)));
        assert.equal(status.events.filter((e) => PLACEMENT.test(e.message)).length, 1, 'the event is not repeated while the cause lasts');
    }
    test('a fixed hostPort held by another container: placement event and condition, then the task starts once it is freed', async () => {
        const port = await freePort();
        const holder = uniqueName('nw-holder-');
        foreign.push(holder);
        await run('docker', ['run', '-d', '--name', holder, '-p', `${port}:8080`, 'berth/httpd:1']);
        writeManifests(dir, { 'fixed-td.json': fixedPortTask('nw-fixed', port), 'fixed.yaml': service('fixed', cluster, 'nw-fixed', 1) });
        await expectUnplaced('fixed.yaml', 'fixed');
        assert.equal((await groupContainers(cluster, 'service:fixed')).length, 0, 'no container was created');
        await docker.getContainer(holder).remove({ force: true });
        await waitFor('the task running once the port is free', () => serviceStatus(path('fixed.yaml'), 'fixed')?.runningCount === 1, { controller, timeoutMs: 60_000 });
        assert.equal(await waitFor('the task answering on its port', () => httpGet(port).catch(() => undefined)), 200);
        writeManifests(dir, { 'fixed.yaml': service('fixed', cluster, 'nw-fixed', 0) });
    });
    test('a fixed hostPort held by a process outside Docker: the engine’s refusal is the same placement failure', async () => {
        const server = net.createServer((socket) => socket.end());
        await new Promise((resolve) => server.listen(0, '0.0.0.0', resolve));
        const { port } = server.address();
        try {
            writeManifests(dir, { 'held-td.json': fixedPortTask('nw-held', port), 'held.yaml': service('held', cluster, 'nw-held', 1) });
            await expectUnplaced('held.yaml', 'held');
            await waitFor('nothing of the unplaced task left', async () => (await groupContainers(cluster, 'service:held')).length === 0, { controller });
        }
        finally {
            await new Promise((resolve) => server.close(() => resolve()));
        }
        await waitFor('the task running once the port is free', () => serviceStatus(path('held.yaml'), 'held')?.runningCount === 1, { controller, timeoutMs: 60_000 });
        assert.equal(await waitFor('the task answering on its port', () => httpGet(port).catch(() => undefined)), 200);
        writeManifests(dir, { 'held.yaml': service('held', cluster, 'nw-held', 0) });
    });
});
describe('a missing pause image', () => {
    const { cluster, dir, path, start } = testCluster('nwpause');
    writeManifests(dir, {
        'cluster.yaml': clusterManifest(cluster),
        'td.json': taskDefinition('nw-nopause', { networkMode: 'awsvpc', containerDefinitions: [sleeper('app')] }),
        'service.yaml': service('nopause', cluster, 'nw-nopause', 1),
    });
    const controller = start(['--pause-image', 'berth-nw-missing/pause:1']);
    test('fails the launch with CannotPullContainerError, naming the image and how to build it', async () => {
        const stopped = await waitFor('a stopped task', () => serviceStatus(path('service.yaml'), 'nopause')?.stoppedTasks?.[0], { controller, timeoutMs: 90_000 });
        assert.match(stopped.stoppedReason ?? '', /^CannotPullContainerError: pause image "berth-nw-missing\/pause:1" .* build it with scripts\/build-images\.sh/);
        assert.equal(stopped.stopCode, 'TaskFailedToStart');
    });
});
//# sourceMappingURL=network.test.js.map