import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TaskSummary } from '../../controller/kinds/index.js';
import { clusterManifest, editFile, running, serviceStatus, testCluster, waitFor, writeManifests, type Controller, type ServiceStatusView } from './harness.js';

/**
 * Rolling deployments on the real engine: a task of the new revision counts toward
 * minimumHealthyPercent only once its health checks pass, so a revision that never
 * becomes healthy never takes the service down.
 */

function taskDefinition(healthFile: string): string {
  return `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: web
      image: berth/busybox:1
      command: ["sh", "-c", "touch /tmp/ok; exec sleep 3600"]
      stopTimeout: 1
      healthCheck: {command: ["CMD-SHELL", "test -f ${healthFile}"], interval: 5, retries: 1}
`;
}

function service(cluster: string): string {
  return `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  cluster: ${cluster}\n  taskDefinition: web\n  desiredCount: 2\n`;
}

/** Waits for the service's two tasks of web:1 to pass their health checks; returns them. */
function twoHealthyTasksOfRevision1(status: () => ServiceStatusView | undefined, controller: Controller): Promise<TaskSummary[]> {
  return waitFor('two healthy tasks of web:1', () => {
    const tasks = status()?.tasks.filter((t) => t.taskDefinition === 'web:1' && t.healthStatus === 'HEALTHY');
    return tasks?.length === 2 && tasks;
  }, { controller, timeoutMs: 90_000 });
}

describe('rolling deployments', { concurrency: true }, () => {
  const unhealthy = testCluster('depunh');
  const healthy = testCluster('dephealthy');
  const percents = testCluster('deppercent');
  const grace = testCluster('depgrace');

  test('a new revision whose health check never passes leaves every old task running', async () => {
    const { cluster, dir, path, start } = unhealthy;
    writeManifests(dir, { 'cluster.yaml': clusterManifest(cluster), 'taskdef.yaml': taskDefinition('/tmp/ok'), 'service.yaml': service(cluster) });
    const controller = start();
    const status = () => serviceStatus(path('service.yaml'), 'web');
    const old = await twoHealthyTasksOfRevision1(status, controller);

    editFile(path('taskdef.yaml'), () => taskDefinition('/tmp/never'));
    // Proof that the new revision ran and failed: one of its tasks is stopped as unhealthy.
    const failed = await waitFor('a web:2 task stopped for failing its health checks', () =>
      status()?.stoppedTasks?.find((t) => t.taskDefinition === 'web:2' && t.stoppedReason === 'Task failed container health checks'),
    { controller, timeoutMs: 120_000 });

    const now = status()!;
    for (const task of old) {
      assert.ok(now.tasks.some((t) => t.taskId === task.taskId && t.lastStatus === 'RUNNING'), `old task ${task.taskId} still RUNNING after ${failed.taskId} failed:\n${JSON.stringify(now.tasks, null, 1)}`);
    }
    assert.ok(!now.stoppedTasks?.some((t) => old.some((o) => o.taskId === t.taskId)), 'no old task was stopped');
    const onEngine = await running(cluster, 'service:web');
    assert.equal(onEngine.filter((c) => old.some((o) => c.labels['berth.task-id'] === o.taskId)).length, 2, 'both old containers run on the engine');
    const steady = now.conditions.find((c) => c.type === 'Steady');
    assert.equal(steady?.status, 'False', JSON.stringify(steady));
    assert.equal(steady?.reason, 'Deploying');
  });

  test('a new revision that becomes healthy replaces the old tasks, each only after a new one passed its health check', async () => {
    const { cluster, dir, path, start } = healthy;
    writeManifests(dir, { 'cluster.yaml': clusterManifest(cluster), 'taskdef.yaml': taskDefinition('/tmp/ok'), 'service.yaml': service(cluster) });
    const controller = start();
    const status = () => serviceStatus(path('service.yaml'), 'web');
    const old = await twoHealthyTasksOfRevision1(status, controller);

    // Same health check, another command: a new revision that becomes healthy. From the edit
    // to the end of the rollout, every status written shows at least two healthy tasks
    // (minimumHealthyPercent 100): a task still in its health check's first interval is not one.
    editFile(path('taskdef.yaml'), (text) => text.replace('exec sleep 3600', 'exec sleep 3601'));
    const belowMinimum: string[] = [];
    await waitFor('two healthy tasks of web:2 and no web:1 task left', () => {
      const now = status();
      if (!now) return false;
      const healthyNow = now.tasks.filter((t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY');
      if (healthyNow.length < 2) belowMinimum.push(now.tasks.map((t) => `${t.taskDefinition} ${t.lastStatus} ${t.healthStatus}`).join(', '));
      return healthyNow.length === 2 && healthyNow.every((t) => t.taskDefinition === 'web:2') && now.tasks.length === 2;
    }, { controller, timeoutMs: 150_000, intervalMs: 100 });
    assert.deepEqual(belowMinimum, [], 'fewer than two healthy tasks during the rollout');
    await waitFor('both old tasks recorded as stopped', () => status()?.stoppedTasks?.filter((t) => old.some((o) => o.taskId === t.taskId)).length === 2, { controller, timeoutMs: 60_000 });
  });

  test('maximumPercent 100 and minimumHealthyPercent 50: the rollout never runs more than desiredCount tasks', async () => {
    const { cluster, dir, path, start } = percents;
    const withoutHealthCheck = taskDefinition('/tmp/ok').replace(/\n\s+healthCheck:.*\n/, '\n');
    writeManifests(dir, {
      'cluster.yaml': clusterManifest(cluster),
      'taskdef.yaml': withoutHealthCheck,
      'service.yaml': `${service(cluster)}  deploymentConfiguration:\n    maximumPercent: 100\n    minimumHealthyPercent: 50\n`,
    });
    const controller = start();
    const status = () => serviceStatus(path('service.yaml'), 'web');
    await waitFor('two tasks of web:1 running', () => status()?.tasks.filter((t) => t.taskDefinition === 'web:1' && t.lastStatus === 'RUNNING').length === 2, { controller, timeoutMs: 90_000 });

    editFile(path('taskdef.yaml'), (text) => text.replace('exec sleep 3600', 'exec sleep 3601'));
    // ECS's maximumPercent bounds the tasks RUNNING or PENDING, as status lists them; a task
    // being stopped is on its way out (its container may still run out its stopTimeout).
    let most = 0;
    let fewest = Infinity;
    await waitFor('two tasks of web:2 running and none of web:1', () => {
      const tasks = status()?.tasks;
      if (!tasks) return false;
      most = Math.max(most, tasks.length);
      fewest = Math.min(fewest, tasks.filter((t) => t.lastStatus === 'RUNNING').length);
      return tasks.length === 2 && tasks.every((t) => t.taskDefinition === 'web:2' && t.lastStatus === 'RUNNING');
    }, { controller, timeoutMs: 120_000, intervalMs: 100 });
    assert.ok(most <= 2, `at most 2 tasks RUNNING or PENDING at once (maximumPercent 100), saw ${most}`);
    assert.ok(fewest >= 1, `at least one task RUNNING throughout (minimumHealthyPercent 50), saw ${fewest}`);
  });

  test('healthCheckGracePeriodSeconds: a task failing its health checks is stopped only after the grace period', async () => {
    const { cluster, dir, path, start } = grace;
    writeManifests(dir, {
      'cluster.yaml': clusterManifest(cluster),
      'taskdef.yaml': taskDefinition('/tmp/never'),
      'service.yaml': service(cluster).replace('desiredCount: 2', 'desiredCount: 1\n  healthCheckGracePeriodSeconds: 25'),
    });
    const controller = start();
    const status = () => serviceStatus(path('service.yaml'), 'web');
    // Unhealthy after its first check (5 s), yet stopped no sooner than 25 s after it started.
    const stopped = await waitFor('the task stopped for failing its health checks', () => status()?.stoppedTasks?.find((t) => t.stoppedReason === 'Task failed container health checks'), {
      controller,
      timeoutMs: 120_000,
    });
    const ranFor = Date.parse(stopped.stoppedAt!) - Date.parse(stopped.startedAt!);
    assert.ok(ranFor >= 25_000, `stopped ${ranFor} ms after it started, within the 25 s grace period`);
  });
});
