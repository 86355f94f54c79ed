/**
 * The load balancer berth runs itself, on the real engine: a Service of berth/httpd:1
 * behind a LoadBalancer's listener on 127.0.0.1. Requests reach every task in turn, a
 * killed task stops receiving traffic, target health and ECS's events show in the status
 * files, and a wrong health check path or a wrong container port is reported in ELB's and
 * ECS's words.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { fetchWithin } from '../fetchWithin.js';
import { clusterManifest, docker, readStatus, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
async function freePort() {
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    return port;
}
/** Each task serves its own container hostname at /id, so an answer says which task gave it. */
const TASK_DEFINITION = `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web-td
spec:
  containerDefinitions:
    - name: httpd
      image: berth/httpd:1
      command: ["sh", "-c", "hostname > /www/id; httpd -f -p 8080 -h /www & pid=$!; trap 'kill $pid; exit 0' TERM; wait $pid"]
      memory: 64
      stopTimeout: 2
      portMappings:
        - containerPort: 8080
`;
const SERVICE = (cluster) => `apiVersion: berth/v1
kind: Service
metadata:
  name: web
spec:
  cluster: ${cluster}
  taskDefinition: web-td
  desiredCount: 3
  loadBalancers:
    - {containerName: httpd, containerPort: 8080, targetGroup: web}
    - {containerName: httpd, containerPort: 8080, targetGroup: wrong-path}
`;
/** A second service that names a port its task definition lacks (desiredCount 0: nothing to launch). */
const BAD_SERVICE = (cluster) => `apiVersion: berth/v1
kind: Service
metadata:
  name: bad
spec:
  cluster: ${cluster}
  taskDefinition: web-td
  desiredCount: 0
  loadBalancers:
    - containerName: httpd
      containerPort: 9090
      targetGroup: web
`;
const TARGET_GROUPS = `apiVersion: berth/v1
kind: TargetGroup
metadata:
  name: web
spec:
  protocol: HTTP
  healthCheck: {path: /id, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2}
  deregistrationDelaySeconds: 5
---
apiVersion: berth/v1
kind: TargetGroup
metadata:
  name: wrong-path
spec:
  healthCheck: {path: /no-such-page, intervalSeconds: 5, timeoutSeconds: 2}
`;
const LOAD_BALANCER = (webPort, wrongPort) => `apiVersion: berth/v1
kind: LoadBalancer
metadata:
  name: front
spec:
  listeners:
    - port: ${webPort}
      protocol: HTTP
      defaultActions: [{type: forward, targetGroups: [{targetGroup: web}]}]
    - port: ${wrongPort}
      protocol: HTTP
      defaultActions: [{type: forward, targetGroups: [{targetGroup: wrong-path}]}]
`;
/** A second LoadBalancer whose listener port something else on the host holds. */
const TAKEN_LOAD_BALANCER = (port) => `apiVersion: berth/v1
kind: LoadBalancer
metadata:
  name: taken
spec:
  listeners:
    - protocol: HTTP
      port: ${port}
      defaultActions: [{type: forward, targetGroups: [{targetGroup: web}]}]
`;
describe('load balancer on the real engine', async () => {
    const { cluster, dir, path, start } = testCluster('lb');
    const [webPort, wrongPort] = [await freePort(), await freePort()];
    const holder = net.createServer();
    await new Promise((resolve) => holder.listen(0, '127.0.0.1', resolve));
    after(() => new Promise((resolve) => holder.close(resolve)));
    const takenPort = holder.address().port;
    writeManifests(dir, {
        'cluster.yaml': clusterManifest(cluster),
        'taskdef.yaml': TASK_DEFINITION,
        'service.yaml': SERVICE(cluster),
        'service-bad.yaml': BAD_SERVICE(cluster),
        'targetgroups.yaml': TARGET_GROUPS,
        'loadbalancer.yaml': LOAD_BALANCER(webPort, wrongPort),
        'taken.yaml': TAKEN_LOAD_BALANCER(takenPort),
    });
    const controller = start();
    const groupStatus = (name) => readStatus(path('targetgroups.yaml'), 'TargetGroup', name);
    const healthyTargets = (name) => (groupStatus(name)?.targets ?? []).filter((t) => t.state === 'healthy');
    const events = () => serviceStatus(path('service.yaml'), 'web')?.events ?? [];
    /** The task that answered: its container's hostname. */
    const ask = async () => {
        const response = await fetchWithin(`http://127.0.0.1:${webPort}/id`, 5000);
        return { status: response.status, body: (await response.text()).trim() };
    };
    test('the RUNNING tasks become healthy targets; requests through the listener reach each of them in turn', async () => {
        await waitFor('3 healthy targets in the web target group', () => healthyTargets('web').length === 3, { controller, timeoutMs: 90_000 });
        const answers = [];
        for (let i = 0; i < 9; i++) {
            const { status, body } = await ask();
            assert.equal(status, 200);
            answers.push(body);
        }
        const perTask = new Map();
        for (const answer of answers)
            perTask.set(answer, (perTask.get(answer) ?? 0) + 1);
        assert.deepEqual([...perTask.values()], [3, 3, 3], `round robin over 3 tasks: ${answers.join(' ')}`);
        // The targets are the service's tasks, at their host ports.
        const tasks = serviceStatus(path('service.yaml'), 'web').tasks;
        for (const target of healthyTargets('web')) {
            const task = tasks.find((t) => t.taskId === target.id);
            assert.ok(task, `target ${target.id} is a task of the service`);
            assert.equal(target.port, task.networkBindings?.find((b) => b.containerPort === 8080)?.hostPort);
            assert.equal(target.address, '127.0.0.1');
        }
        const status = groupStatus('web');
        // The taken listener never bound, so only front forwards to the group.
        assert.deepEqual(status.loadBalancers, ['front']);
        assert.deepEqual(status.services, ['bad', 'web']);
        const registered = await waitFor('registration events for 3 targets', () => {
            const counts = events().map((e) => /^\(service web\) registered (\d+) targets in \(target-group web\)$/.exec(e.message)?.[1]);
            const total = counts.reduce((sum, n) => sum + Number(n ?? 0), 0);
            return total === 3 ? total : undefined;
        }, { controller });
        assert.equal(registered, 3);
    });
    test('a wrong health check path: the targets are unhealthy with ELB reason, the service tells it, the listener answers 503', async () => {
        const unhealthy = await waitFor('unhealthy targets in wrong-path', () => {
            const targets = groupStatus('wrong-path')?.targets ?? [];
            return targets.length === 3 && targets.every((t) => t.state === 'unhealthy') ? targets : undefined;
        }, { controller, timeoutMs: 60_000 });
        for (const target of unhealthy) {
            assert.equal(target.reason, 'Target.ResponseCodeMismatch');
            assert.equal(target.description, 'Health checks failed with these codes: [404]');
        }
        const first = unhealthy[0];
        await waitFor('the unhealthy event', () => events().some((e) => e.message === `(service web) (task ${first.id}) (port ${first.port}) is unhealthy in target-group wrong-path due to (reason Health checks failed with these codes: [404])`), { controller });
        const response = await fetchWithin(`http://127.0.0.1:${wrongPort}/`, 5000);
        assert.equal(response.status, 503);
        assert.match(await response.text(), /<h1>503 Service Temporarily Unavailable<\/h1>/);
    });
    test('a loadBalancers entry naming a port the task definition lacks is reported with its file, line and field', async () => {
        const condition = await waitFor('ServicesResolved False', () => groupStatus('web')?.conditions.find((c) => c.type === 'ServicesResolved' && c.status === 'False'), { controller });
        assert.equal(condition.message, 'service-bad.yaml:11:22: Service/bad: spec.loadBalancers[0].containerPort: The container httpd did not have a container port 9090 defined (its tcp container ports: 8080).');
        const badEvents = serviceStatus(path('service-bad.yaml'), 'bad')?.events ?? [];
        assert.ok(badEvents.some((e) => e.message.startsWith('(service bad) cannot register its tasks in (target-group web): service-bad.yaml:11:22:')), JSON.stringify(badEvents));
    });
    test('a listener port in use is reported with file, line and field; the other load balancer serves on', async () => {
        const status = await waitFor('the taken listener reported', () => {
            const s = readStatus(path('taken.yaml'), 'LoadBalancer', 'taken');
            return s?.conditions.find((c) => c.type === 'Listening' && c.status === 'False') ? s : undefined;
        }, { controller });
        assert.deepEqual(status.listeners.map((l) => l.state), ['failed']);
        assert.equal(status.conditions.find((c) => c.type === 'Listening').message, `taken.yaml:8:13: LoadBalancer/taken: spec.listeners[0].port: port ${takenPort} on 127.0.0.1 is already in use; the listener is tried again every 10 s`);
        assert.equal((await ask()).status, 200);
        const front = readStatus(path('loadbalancer.yaml'), 'LoadBalancer', 'front');
        assert.equal(front.conditions.find((c) => c.type === 'Listening')?.status, 'True');
    });
    test('a killed task is deregistered and stops receiving traffic', async () => {
        const victim = healthyTargets('web')[0];
        const [container] = await docker.listContainers({ filters: { label: [`berth.task-id=${victim.id}`] } });
        assert.ok(container, 'the victim task has a container');
        const hostname = container.Id.slice(0, 12);
        await docker.getContainer(container.Id).kill();
        // Proof the load balancer saw it: the deregistration event, then the target gone from status.
        await waitFor('the deregistration event', () => events().some((e) => e.message === '(service web) deregistered 1 targets in (target-group web)'), { controller });
        await waitFor('the victim gone from the targets', () => !(groupStatus('web')?.targets ?? []).some((t) => t.id === victim.id), { controller });
        const answers = [];
        for (let i = 0; i < 12; i++) {
            const { status, body } = await ask();
            assert.equal(status, 200, `request ${i}`);
            answers.push(body);
        }
        assert.ok(!answers.includes(hostname), `the killed task ${hostname} answered: ${answers.join(' ')}`);
        // The service replaces the task, and the replacement is registered and healthy.
        await waitFor('3 healthy targets again', () => healthyTargets('web').length === 3 && !healthyTargets('web').some((t) => t.id === victim.id), { controller, timeoutMs: 90_000 });
    });
});
//# sourceMappingURL=loadbalancer.test.js.map