import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  logLines,
  serviceStatus,
  testCluster,
  waitFor,
  webManifests,
  writeManifests,
} from './harness.js';

describe('a crash-looping task backs off', () => {
  const { cluster, dir, path, start } = testCluster('crash');
  const serviceFile = path('service.yaml');
  writeManifests(dir, webManifests({ cluster, desiredCount: 1, command: ['sh', '-c', 'sleep 0.2; exit 3'] }));
  const controller = start();

  test('exit codes recorded, an ECS-style event, launches spaced out exponentially', async () => {
    const started = Date.now();
    const status = await waitFor('the unstable-service event', () => {
      const s = serviceStatus(serviceFile, 'web');
      return s?.events.some((e) => e.message === '(service web) is unable to consistently start tasks successfully.') ? s : undefined;
    }, { controller });
    const stopped = status.stoppedTasks ?? [];
    assert.ok(stopped.length >= 3);
    for (const task of stopped) {
      assert.equal(task.stopCode, 'EssentialContainerExited');
      assert.equal(task.stoppedReason, 'Essential container in task exited');
      assert.equal(task.containers[0]?.exitCode, 3);
    }
    assert.ok(status.conditions.some((c) => c.type === 'Steady' && c.reason === 'TasksFailing'));
    // Let it loop for a while longer; with the throttle (0, 1, 2, 4, 8 s between launches)
    // only a handful of launches fit, where an unthrottled loop would make dozens.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 12_000 - (Date.now() - started))));
    const launches = logLines(controller).filter((l) => l.msg === 'launching tasks' && l.name === 'web').map((l) => Number(l.time));
    assert.ok(launches.length >= 4 && launches.length <= 8, `launches in 12 s: ${launches.length}`);
    const gaps = launches.slice(1).map((t, i) => t - launches[i]!);
    assert.ok(gaps.at(-1)! > gaps[0]!, `gaps grow: ${gaps.join(', ')} ms`);
  });
});
