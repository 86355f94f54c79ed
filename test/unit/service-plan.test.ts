import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { TaskState } from '../../controller/kinds/index.js';
import type { StoppedTask } from '../../controller/controllers/ledger.js';
import { crashLoop, DEFAULT_SERVICE_PLAN_OPTIONS, planService, type PlannedTask } from '../../controller/controllers/service/plan.js';
import { launchDelay, maximumTasks, minimumHealthyTasks } from '../../controller/controllers/service/rollout.js';

const options = DEFAULT_SERVICE_PLAN_OPTIONS;

function task(id: string, overrides: Partial<PlannedTask> = {}): PlannedTask {
  return { taskId: id, revision: 1, lastStatus: 'RUNNING', createdAt: 1000, inFlight: false, stopRequested: false, ...overrides };
}

function failure(id: string, stoppedAt: number, overrides: Partial<StoppedTask> = {}): StoppedTask {
  return {
    taskId: id,
    taskDefinition: 'web:1',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    createdAt: new Date(stoppedAt - 500).toISOString(),
    stoppedAt: new Date(stoppedAt).toISOString(),
    containers: [],
    failed: true,
    wasStable: false,
    ...overrides,
  };
}

describe('rollout arithmetic', () => {
  test('maximumTasks rounds down', () => {
    for (const [desired, percent, expected] of [[10, 200, 20], [3, 150, 4], [1, 200, 2], [0, 200, 0], [5, 100, 5]] as const) {
      assert.equal(maximumTasks(desired, percent), expected, `${desired} at ${percent}%`);
    }
  });
  test('minimumHealthyTasks rounds up', () => {
    for (const [desired, percent, expected] of [[10, 100, 10], [3, 50, 2], [0, 100, 0], [7, 0, 0], [1, 50, 1]] as const) {
      assert.equal(minimumHealthyTasks(desired, percent), expected, `${desired} at ${percent}%`);
    }
  });
  test('launchDelay: first failure replaced at once, then doubling to the cap', () => {
    for (const [failures, expected] of [[0, 0], [1, 0], [2, 1000], [3, 2000], [4, 4000], [10, 256_000], [11, 300_000], [40, 300_000]] as const) {
      assert.equal(launchDelay(failures, 1000, 300_000), expected, `${failures} failures`);
    }
  });
});

describe('planService', () => {
  const rows: Array<{ name: string; desired: number; tasks: PlannedTask[]; launch: number; stop: string[]; start?: string[] }> = [
    { name: 'scale from zero', desired: 3, tasks: [], launch: 3, stop: [] },
    { name: 'steady', desired: 2, tasks: [task('a'), task('b')], launch: 0, stop: [] },
    { name: 'in-flight launches count', desired: 2, tasks: [task('a'), task('b', { lastStatus: 'PROVISIONING', inFlight: true })], launch: 0, stop: [] },
    { name: 'replace a stopped task', desired: 2, tasks: [task('a'), task('b', { lastStatus: 'STOPPED' })], launch: 1, stop: [] },
    {
      name: 'scale in: pending before running, newest first',
      desired: 1,
      tasks: [task('old', { createdAt: 1 }), task('new', { createdAt: 3 }), task('pending', { lastStatus: 'PENDING', createdAt: 2 })],
      launch: 0,
      stop: ['pending', 'new'],
    },
    { name: 'scale in: a task failing its health checks stops before a healthy one', desired: 1, tasks: [task('a'), task('b', { healthy: false })], launch: 0, stop: ['b'] },
    { name: 'scale to zero', desired: 0, tasks: [task('a'), task('b')], launch: 0, stop: ['a', 'b'] },
    { name: 'stop-requested tasks do not count', desired: 2, tasks: [task('a'), task('b', { stopRequested: true })], launch: 1, stop: [] },
    { name: 'adopted pending task is started, not relaunched', desired: 1, tasks: [task('a', { lastStatus: 'PENDING' })], launch: 0, stop: [], start: ['a'] },
    {
      name: 'half-created task from a crash is replaced',
      desired: 1,
      tasks: [task('a', { lastStatus: 'PROVISIONING' })],
      launch: 1,
      stop: ['a'],
    },
    {
      name: 'moved to another cluster or provider: new tasks first, as for a new revision',
      desired: 1,
      tasks: [task('old', { placedElsewhere: true })],
      launch: 1,
      stop: [],
    },
    {
      name: 'moved, and the new task runs: the old one stops',
      desired: 1,
      tasks: [task('old', { placedElsewhere: true }), task('new', { createdAt: 2000 })],
      launch: 0,
      stop: ['old'],
    },
    {
      name: 'new revision: surge up to 200% while old keep serving',
      desired: 2,
      tasks: [task('o1', { revision: 1 }), task('o2', { revision: 1 })],
      launch: 2,
      stop: [],
    },
    {
      name: 'new revision running: old ones stop',
      desired: 2,
      tasks: [task('o1', { revision: 1 }), task('o2', { revision: 1 }), task('n1', { revision: 2 }), task('n2', { revision: 2 })],
      launch: 0,
      stop: ['o1', 'o2'],
    },
    {
      name: 'new revision running but not healthy yet: the old ones keep serving',
      desired: 2,
      tasks: [task('o1', { revision: 1 }), task('o2', { revision: 1 }), task('n1', { revision: 2, healthy: false }), task('n2', { revision: 2, healthy: false })],
      launch: 0,
      stop: [],
    },
    {
      name: 'new revision: one new task healthy, one old one stops',
      desired: 2,
      tasks: [task('o1', { revision: 1 }), task('o2', { revision: 1, createdAt: 1001 }), task('n1', { revision: 2 }), task('n2', { revision: 2, healthy: false })],
      launch: 0,
      stop: ['o2'],
    },
    {
      name: 'new revision: an old task failing its health checks is replaced without waiting',
      desired: 2,
      tasks: [task('o1', { revision: 1 }), task('o2', { revision: 1, healthy: false }), task('n1', { revision: 2, healthy: false }), task('n2', { revision: 2, healthy: false })],
      launch: 0,
      stop: ['o2'],
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      const revision = row.name.includes('revision') ? 2 : 1;
      const plan = planService({ desired: { desiredCount: row.desired, revision }, tasks: row.tasks, stopped: [], now: 10_000, options });
      assert.equal(plan.launch, row.launch, 'launch');
      assert.deepEqual(plan.stop.map((s) => s.taskId).sort(), [...row.stop].sort(), 'stop');
      assert.deepEqual(plan.start, row.start ?? [], 'start');
    });
  }

  test('a new deployment of the same revision (forceNewDeployment) replaces tasks by deployment, not revision', () => {
    const old = [task('o1', { deploymentId: 'ecs-svc/1' }), task('o2', { deploymentId: 'ecs-svc/1' })];
    const surge = planService({ desired: { desiredCount: 2, revision: 1, deploymentId: 'ecs-svc/2' }, tasks: old, stopped: [], now: 0, options });
    assert.equal(surge.launch, 2);
    const both = [...old, task('n1', { deploymentId: 'ecs-svc/2', createdAt: 2000 }), task('n2', { deploymentId: 'ecs-svc/2', createdAt: 2000 })];
    const replaced = planService({ desired: { desiredCount: 2, revision: 1, deploymentId: 'ecs-svc/2' }, tasks: both, stopped: [], now: 0, options });
    assert.deepEqual(
      replaced.stop.map((s) => [s.taskId, s.reason]),
      [
        ['o1', 'Task replaced by a new deployment'],
        ['o2', 'Task replaced by a new deployment'],
      ],
    );
  });

  test('a held rollout (failed, no rollback) launches nothing and replaces nothing', () => {
    const tasks = [task('o1', { revision: 1 }), task('o2', { revision: 1 })];
    const held = planService({ desired: { desiredCount: 2, revision: 2 }, launchesHeld: true, tasks, stopped: [], now: 0, options: { ...options, minimumHealthyPercent: 50 } });
    assert.deepEqual({ launch: held.launch, stop: held.stop }, { launch: 0, stop: [] });
  });

  test('deleted service stops every live task', () => {
    const plan = planService({ tasks: [task('a'), task('b', { lastStatus: 'PENDING' }), task('c', { lastStatus: 'STOPPED' })], stopped: [], now: 0, options });
    assert.deepEqual(plan.stop.map((s) => s.taskId).sort(), ['a', 'b']);
    assert.equal(plan.launch, 0);
  });

  test('crash loop: launches wait out the backoff and say so', () => {
    const stopped = [failure('c', 9_000), failure('b', 8_000), failure('a', 7_000)];
    assert.deepEqual(crashLoop(stopped), { consecutiveFailures: 3, lastFailureAt: 9_000 });
    const held = planService({ desired: { desiredCount: 1, revision: 1 }, tasks: [], stopped, now: 9_500, options });
    assert.equal(held.launch, 0);
    assert.deepEqual(held.throttle, { consecutiveFailures: 3, waitMs: 1_500 });
    assert.equal(held.requeueAfterMs, 1_500);
    const released = planService({ desired: { desiredCount: 1, revision: 1 }, tasks: [], stopped, now: 11_000, options });
    assert.equal(released.launch, 1);
  });

  test('a task that ran stably resets the crash-loop count', () => {
    const stopped = [failure('c', 9_000), failure('b', 8_000, { wasStable: true }), failure('a', 7_000)];
    assert.equal(crashLoop(stopped).consecutiveFailures, 1);
    assert.equal(crashLoop([failure('x', 1, { failed: false }), failure('y', 0)]).consecutiveFailures, 0);
  });
});

const states: TaskState[] = ['PROVISIONING', 'PENDING', 'RUNNING', 'STOPPING', 'STOPPED'];
const arbitraryTask = fc.record({
  taskId: fc.uuid(),
  revision: fc.integer({ min: 1, max: 3 }),
  lastStatus: fc.constantFrom(...states),
  createdAt: fc.integer({ min: 0, max: 1000 }),
  inFlight: fc.boolean(),
  stopRequested: fc.boolean(),
  healthy: fc.boolean(),
});

describe('planService properties', () => {
  const arbitraryOptions = fc.record({
    maximumPercent: fc.integer({ min: 100, max: 200 }),
    minimumHealthyPercent: fc.integer({ min: 0, max: 100 }),
    throttleBaseMs: fc.constant(1000),
    throttleMaxMs: fc.constant(300_000),
  });
  const arbitraryTasks = (maxLength: number) => fc.uniqueArray(arbitraryTask, { selector: (t) => t.taskId, maxLength });
  const isLive = (t: PlannedTask) => !t.stopRequested && ['PROVISIONING', 'PENDING', 'RUNNING'].includes(t.lastStatus);

  test('never stops healthy tasks below minimumHealthyPercent of desired (ECS: rounded up)', () => {
    fc.assert(
      fc.property(arbitraryTasks(30), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 3 }), arbitraryOptions, (tasks, desiredCount, revision, planOptions) => {
        const plan = planService({ desired: { desiredCount, revision }, tasks, stopped: [], now: 0, options: planOptions });
        const stopping = new Set(plan.stop.map((s) => s.taskId));
        // Healthy: RUNNING and passing health checks; a task still starting or failing them does not count.
        const runningBefore = tasks.filter((t) => isLive(t) && t.lastStatus === 'RUNNING' && t.healthy);
        const runningAfter = runningBefore.filter((t) => !stopping.has(t.taskId)).length;
        // Spelled out rather than taken from rollout.ts, so that wrong rounding there fails here too.
        const floor = Math.ceil((desiredCount * planOptions.minimumHealthyPercent) / 100);
        // A service already below the floor may not be pushed further down; one above it stops no lower than the floor.
        assert.ok(
          runningAfter >= Math.min(runningBefore.length, floor),
          `${runningBefore.length} healthy, ${plan.stop.length} stops leave ${runningAfter}, minimum healthy is ${floor} (${desiredCount} at ${planOptions.minimumHealthyPercent}%)`,
        );
        for (const s of plan.stop) assert.ok(tasks.some((t) => t.taskId === s.taskId && isLive(t)), 'stops only live tasks');
      }),
      { numRuns: 1000 },
    );
  });

  test('never plans more live tasks than maximumPercent allows, nor launches beyond need', () => {
    fc.assert(
      fc.property(arbitraryTasks(30), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 3 }), arbitraryOptions, (tasks, desiredCount, revision, planOptions) => {
        const plan = planService({ desired: { desiredCount, revision }, tasks, stopped: [], now: 0, options: planOptions });
        const live = tasks.filter(isLive);
        const stopping = new Set(plan.stop.map((s) => s.taskId));
        // A RUNNING task asked to stop still serves until it is gone: it counts against the ceiling.
        const remaining = live.filter((t) => !stopping.has(t.taskId) || t.lastStatus === 'RUNNING').length;
        const ceiling = Math.max(Math.floor((desiredCount * planOptions.maximumPercent) / 100), desiredCount);
        if (plan.launch > 0) assert.ok(remaining + plan.launch <= ceiling, `${remaining} alive + ${plan.launch} launches above ${ceiling}`);
        const keptCurrent = live.filter((t) => t.revision === revision && !stopping.has(t.taskId)).length;
        assert.ok(plan.launch <= Math.max(0, desiredCount - keptCurrent), `${plan.launch} launches where ${keptCurrent} of ${desiredCount} are kept`);
      }),
      { numRuns: 500 },
    );
  });

  test('a plan applied and re-planned is empty, with desiredCount tasks of the new revision running', () => {
    fc.assert(
      fc.property(arbitraryTasks(20), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 3 }), (tasks, desiredCount, revision) => {
        // Settled starting point: nothing launching, no stop pending; revisions mixed, so rollouts happen.
        let world: PlannedTask[] = tasks.map((t) => ({ ...t, inFlight: false, stopRequested: false }));
        const replan = () => planService({ desired: { desiredCount, revision }, tasks: world, stopped: [], now: 0, options });
        // Applying a plan: stops end their task, starts and launches end RUNNING. A rollout takes a surge step,
        // then a stop step; scale-in and incomplete replacements one more at most.
        for (let step = 0; step < 4; step++) {
          const plan = replan();
          const stopping = new Set(plan.stop.map((s) => s.taskId));
          const starting = new Set(plan.start);
          // Health checks pass by the next step (a task failing them is stopped elsewhere, by the supervisor).
          world = world.map((t): PlannedTask =>
            stopping.has(t.taskId) ? { ...t, lastStatus: 'STOPPED' } : starting.has(t.taskId) || t.lastStatus === 'RUNNING' ? { ...t, lastStatus: 'RUNNING', healthy: true } : t,
          );
          for (let i = 0; i < plan.launch; i++) {
            world.push({ taskId: `new-${step}-${i}`, revision, lastStatus: 'RUNNING', createdAt: 2000 + step, inFlight: false, stopRequested: false });
          }
        }
        const final = replan();
        assert.deepEqual({ launch: final.launch, start: final.start, stop: final.stop }, { launch: 0, start: [], stop: [] });
        const running = world.filter((t) => t.lastStatus === 'RUNNING');
        assert.equal(running.length, desiredCount, 'running');
        assert.ok(running.every((t) => t.revision === revision), 'every running task is of the desired revision');
      }),
      { numRuns: 500 },
    );
  });
});
