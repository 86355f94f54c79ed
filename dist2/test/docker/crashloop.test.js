import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logLines, serviceStatus, testCluster, waitFor, webManifests, writeManifests, } from './harness.js';
import { DEFAULT_SERVICE_PLAN_OPTIONS } from '../../controller/controllers/service/plan.js';
import { launchDelay } from '../../controller/controllers/service/rollout.js';
describe('a crash-looping task backs off', () => {
    const { cluster, dir, path, start } = testCluster('crash');
    const serviceFile = path('service.yaml');
    writeManifests(dir, webManifests({ cluster, desiredCount: 1, command: ['sh', '-c', 'sleep 0.2; exit 3'] }));
    const controller = start();
    test('exit codes recorded, an ECS-style event, launches spaced out exponentially', async () => {
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
        // The throttle spaces launches out: after the k-th failed launch in a row the next one
        // waits launchDelay(k) (0, 1, 2, 4 s) from the stop. A lower bound on each gap holds on
        // any machine (load only widens gaps), and an unthrottled loop breaks it at once. The
        // gaps themselves are not compared with each other: on a loaded engine one create+start
        // can take longer than the first waits, so "the last gap is the longest" was a race; the
        // growth itself is launchDelay's, table-tested in the unit tests.
        const launches = await waitFor('five launches', () => {
            const times = logLines(controller).filter((l) => l.msg === 'launching tasks' && l.name === 'web').map((l) => Number(l.time));
            return times.length >= 5 ? times.slice(0, 5) : undefined;
        }, { controller, timeoutMs: 90_000 });
        const gaps = launches.slice(1).map((t, i) => t - launches[i]);
        gaps.forEach((gap, i) => {
            const floor = launchDelay(i + 1, DEFAULT_SERVICE_PLAN_OPTIONS.throttleBaseMs, DEFAULT_SERVICE_PLAN_OPTIONS.throttleMaxMs);
            // 100 ms for the engine's stop time and the controller's clock to disagree.
            assert.ok(gap >= floor - 100, `gap ${i + 1} is ${gap} ms, at least ${floor} ms expected (gaps ${gaps.join(', ')} ms)`);
        });
    });
});
//# sourceMappingURL=crashloop.test.js.map