import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clusterManifest, docker, editFile, groupContainers, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
/**
 * Multi-container tasks on the real engine: dependsOn, essential containers, stop
 * order and stopTimeout, health checks and the task's health, restart policies.
 */
function service(cluster, name, desiredCount = 1) {
    return `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  cluster: ${cluster}\n  taskDefinition: ${name}\n  desiredCount: ${desiredCount}\n`;
}
async function inspectByName(cluster, group, container) {
    const found = (await groupContainers(cluster, group)).find((c) => c.labels['berth.container'] === container);
    assert.ok(found, `container ${container} exists`);
    return (await docker.getContainer(found.id).inspect());
}
const ms = (iso) => Date.parse(iso);
describe('multi-container tasks', { concurrency: true }, () => {
    const mcdep = testCluster('mcdep');
    const mcfail = testCluster('mcfail');
    const mctimeout = testCluster('mctimeout');
    const mcess = testCluster('mcess');
    const mcunh = testCluster('mcunh');
    const mcrst = testCluster('mcrst');
    test('dependsOn: app starts after migrate succeeded and db is healthy; stops before db; stopTimeout then SIGKILL', async () => {
        const { cluster, dir, path, start } = mcdep;
        writeManifests(dir, {
            'cluster.yaml': clusterManifest(cluster),
            'taskdef.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: shop
spec:
  containerDefinitions:
    - name: migrate
      image: berth/busybox:1
      essential: false
      command: ["sh", "-c", "sleep 1; exit 0"]
    - name: db
      image: berth/busybox:1
      command: ["sh", "-c", "sleep 2; touch /tmp/ready; exec sleep 3600"]
      stopTimeout: 2
      healthCheck:
        command: ["CMD-SHELL", "test -f /tmp/ready"]
        interval: 5
        retries: 1
    - name: seed
      image: berth/busybox:1
      essential: false
      command: ["sh", "-c", "exit 5"]
    - name: app
      image: berth/busybox:1
      command: ["sh", "-c", "trap '' TERM; sleep 3600 & wait; sleep 3600"]
      stopTimeout: 2
      dependsOn:
        - {containerName: migrate, condition: SUCCESS}
        - {containerName: seed, condition: COMPLETE}
        - {containerName: db, condition: HEALTHY}
`,
            'service.yaml': service(cluster, 'shop'),
        });
        const controller = start();
        const status = await waitFor('a healthy running task', () => serviceStatus(path('service.yaml'), 'shop')?.tasks.find((t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY'), {
            controller,
            timeoutMs: 60_000,
        });
        assert.equal(status.containers.find((c) => c.name === 'db').healthStatus, 'HEALTHY');
        assert.equal(status.containers.find((c) => c.name === 'migrate').exitCode, 0);
        const group = 'service:shop';
        const [migrate, db, app] = await Promise.all(['migrate', 'db', 'app'].map((name) => inspectByName(cluster, group, name)));
        assert.ok(ms(app.State.StartedAt) >= ms(migrate.State.FinishedAt), 'app started after migrate finished');
        const seed = await inspectByName(cluster, group, 'seed');
        assert.equal(seed.State.ExitCode, 5, 'COMPLETE accepts any exit code');
        assert.ok(ms(app.State.StartedAt) >= ms(seed.State.FinishedAt), 'app started after seed completed');
        // ECS's health check defaults fill what the task definition leaves out: timeout 5 s, and no
        // start period (which Docker does not list when it is 0).
        const healthcheck = (await docker.getContainer(db.Id).inspect()).Config.Healthcheck;
        assert.deepEqual(healthcheck, { Test: ['CMD-SHELL', 'test -f /tmp/ready'], Interval: 5e9, Timeout: 5e9, Retries: 1 });
        const firstHealthy = db.State.Health.Log.find((entry) => entry.ExitCode === 0);
        assert.ok(ms(app.State.StartedAt) >= ms(firstHealthy.End), 'app started after db passed its health check');
        // Scale to 0: app (which ignores SIGTERM) is killed after its 2 s stopTimeout, then db stops.
        editFile(path('service.yaml'), (text) => text.replace('desiredCount: 1', 'desiredCount: 0'));
        await waitFor('all stopped', async () => (await groupContainers(cluster, group)).every((c) => c.state === 'exited') || undefined, { controller, timeoutMs: 60_000 });
        const [appAfter, dbAfter] = await Promise.all(['app', 'db'].map((name) => inspectByName(cluster, group, name)));
        assert.equal(appAfter.State.ExitCode, 137, 'SIGKILL after stopTimeout');
        assert.ok(ms(appAfter.State.FinishedAt) <= ms(dbAfter.State.FinishedAt), 'the dependent stopped first');
    });
    test('a dependency that fails its SUCCESS condition stops the task before the dependent starts', async () => {
        const { cluster, dir, path, start } = mcfail;
        writeManifests(dir, {
            'cluster.yaml': clusterManifest(cluster),
            'taskdef.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: job
spec:
  containerDefinitions:
    - {name: migrate, image: berth/busybox:1, essential: false, command: ["sh", "-c", "exit 3"]}
    - name: app
      image: berth/busybox:1
      command: ["sleep", "3600"]
      dependsOn: [{containerName: migrate, condition: SUCCESS}]
`,
            'service.yaml': service(cluster, 'job'),
        });
        const controller = start();
        const stopped = await waitFor('a stopped task', () => serviceStatus(path('service.yaml'), 'job')?.stoppedTasks?.[0], { controller, timeoutMs: 90_000 });
        assert.equal(stopped.stopCode, 'TaskFailedToStart');
        assert.equal(stopped.stoppedReason, 'CannotStartContainerError: container app depends on migrate reaching SUCCESS, but migrate exited with code 3');
        assert.equal(stopped.containers.find((c) => c.name === 'migrate').exitCode, 3);
    });
    test('startTimeout: a dependency that does not turn healthy in time stops the task, and the dependent never starts', async () => {
        const { cluster, dir, path, start } = mctimeout;
        writeManifests(dir, {
            'cluster.yaml': clusterManifest(cluster),
            'taskdef.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: slow
spec:
  containerDefinitions:
    - name: db
      image: berth/busybox:1
      command: ["sleep", "3600"]
      stopTimeout: 1
      startTimeout: 3
      healthCheck: {command: ["CMD-SHELL", "exit 1"], interval: 30, retries: 10}
    - name: app
      image: berth/busybox:1
      command: ["sleep", "3600"]
      dependsOn: [{containerName: db, condition: HEALTHY}]
`,
            'service.yaml': service(cluster, 'slow'),
        });
        const controller = start();
        const stopped = await waitFor('a stopped task', () => serviceStatus(path('service.yaml'), 'slow')?.stoppedTasks?.[0], { controller, timeoutMs: 90_000 });
        assert.equal(stopped.stoppedReason, 'CannotStartContainerError: container app depends on db reaching HEALTHY, which it did not within its startTimeout of 3 s');
    });
    test('an essential container exiting stops its task (EssentialContainerExited) and the sidecar with it', async () => {
        const { cluster, dir, path, start } = mcess;
        writeManifests(dir, {
            'cluster.yaml': clusterManifest(cluster),
            'taskdef.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: worker
spec:
  containerDefinitions:
    - {name: main, image: berth/busybox:1, command: ["sh", "-c", "sleep 2; exit 4"]}
    - {name: sidecar, image: berth/busybox:1, essential: false, stopTimeout: 1, command: ["sleep", "3600"]}
`,
            'service.yaml': service(cluster, 'worker'),
        });
        const controller = start();
        const stopped = await waitFor('a stopped task', () => serviceStatus(path('service.yaml'), 'worker')?.stoppedTasks?.[0], { controller, timeoutMs: 90_000 });
        assert.equal(stopped.stopCode, 'EssentialContainerExited');
        assert.equal(stopped.stoppedReason, 'Essential container in task exited');
        assert.equal(stopped.containers.find((c) => c.name === 'main').exitCode, 4);
        assert.notEqual(stopped.containers.find((c) => c.name === 'sidecar').exitCode, undefined, 'the sidecar was stopped');
    });
    test('a task whose essential container turns unhealthy is stopped and replaced', async () => {
        const { cluster, dir, path, start } = mcunh;
        writeManifests(dir, {
            'cluster.yaml': clusterManifest(cluster),
            'taskdef.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: flaky
spec:
  containerDefinitions:
    - name: config-init
      image: berth/busybox:1
      essential: false
      command: ["true"]
    - name: web
      image: berth/busybox:1
      command: ["sh", "-c", "touch /tmp/ok; sleep 8; rm /tmp/ok; exec sleep 3600"]
      stopTimeout: 1
      healthCheck: {command: ["CMD-SHELL", "test -f /tmp/ok"], interval: 5, retries: 1}
`,
            'service.yaml': service(cluster, 'flaky'),
        });
        const controller = start();
        const healthy = await waitFor('a healthy task', () => serviceStatus(path('service.yaml'), 'flaky')?.tasks.find((t) => t.healthStatus === 'HEALTHY'), { controller, timeoutMs: 90_000 });
        const stopped = await waitFor('the task stopped as unhealthy', () => serviceStatus(path('service.yaml'), 'flaky')?.stoppedTasks?.find((t) => t.taskId === healthy.taskId), {
            controller,
            timeoutMs: 60_000,
        });
        assert.equal(stopped.stoppedReason, 'Task failed container health checks');
        const events = serviceStatus(path('service.yaml'), 'flaky').events.map((e) => e.message);
        assert.ok(events.some((m) => m.includes(`(task ${healthy.taskId}) failed container health checks`)), events.join('\n'));
        // The event names the container that failed, not the init container that exited 0 before it.
        assert.ok(events.some((m) => m.includes(`task ${healthy.taskId} stopped: Task failed container health checks (container web `)), events.join('\n'));
        assert.ok(!events.some((m) => m.includes('(container config-init')), events.join('\n'));
        await waitFor('a replacement task', () => serviceStatus(path('service.yaml'), 'flaky')?.tasks.find((t) => t.taskId !== healthy.taskId && t.lastStatus === 'RUNNING'), {
            controller,
            timeoutMs: 90_000,
        });
    });
    test('restartPolicy: restarted in place after its attempt period; ignored exit codes and early exits are not', async () => {
        const { cluster, dir, path, start } = mcrst;
        writeManifests(dir, {
            'cluster.yaml': clusterManifest(cluster),
            'taskdef.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: resilient
spec:
  containerDefinitions:
    - name: app
      image: berth/busybox:1
      command: ["sh", "-c", "if [ -f /tmp/second ]; then exec sleep 3600; fi; touch /tmp/second; sleep 61; exit 1"]
      stopTimeout: 1
      restartPolicy: {enabled: true, restartAttemptPeriod: 60}
    - name: ignored
      image: berth/busybox:1
      essential: false
      command: ["sh", "-c", "sleep 61; exit 3"]
      restartPolicy: {enabled: true, ignoredExitCodes: [3], restartAttemptPeriod: 60}
    - name: early
      image: berth/busybox:1
      essential: false
      command: ["sh", "-c", "sleep 1; exit 1"]
      restartPolicy: {enabled: true, restartAttemptPeriod: 60}
`,
            'service.yaml': service(cluster, 'resilient'),
        });
        const controller = start();
        const group = 'service:resilient';
        const first = await waitFor('app running', async () => (await groupContainers(cluster, group)).find((c) => c.labels['berth.container'] === 'app' && c.state === 'running'), {
            controller,
            timeoutMs: 90_000,
        });
        const firstStart = (await inspectByName(cluster, group, 'app')).State.StartedAt;
        await waitFor('app restarted in place', async () => {
            const app = await inspectByName(cluster, group, 'app');
            return app.Id === first.id && app.State.Status === 'running' && app.State.StartedAt !== firstStart ? app : undefined;
        }, { controller, timeoutMs: 90_000 });
        // `ignored` started a moment after app: wait for its exit, then see that it stays exited.
        const ignored = await waitFor('ignored exited', async () => {
            const container = await inspectByName(cluster, group, 'ignored');
            return container.State.Status === 'exited' ? container : undefined;
        }, { controller, timeoutMs: 90_000 });
        assert.equal(ignored.State.ExitCode, 3);
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const [ignoredLater, early] = await Promise.all(['ignored', 'early'].map((name) => inspectByName(cluster, group, name)));
        assert.equal(ignoredLater.State.Status, 'exited', 'an ignored exit code is not restarted');
        assert.equal(ignoredLater.State.StartedAt, ignored.State.StartedAt);
        assert.equal(early.State.Status, 'exited', 'an exit before restartAttemptPeriod is not restarted');
        // The status write follows the restart: wait for it rather than read it at once.
        const status = await waitFor('the restart in the service events', () => {
            const current = serviceStatus(path('service.yaml'), 'resilient');
            return current?.events.some((e) => e.message.includes('restarted container app')) ? current : undefined;
        }, { controller });
        assert.equal(status.runningCount, 1);
        assert.deepEqual(status.stoppedTasks ?? [], [], 'the task was never replaced');
    });
});
//# sourceMappingURL=multicontainer.test.js.map