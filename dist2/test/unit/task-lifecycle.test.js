import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { dependencyVerdict, restartsInPlace, stopWaves } from '../../controller/executor/lifecycle.js';
import { taskHealth } from '../../controller/observer/observe.js';
import { silentLogger } from '../../controller/log.js';
import { Berth } from '../../controller/manager/wiring.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { StatusRecorder } from './statusRecorder.js';
function container(name, fields = {}) {
    const { extraLabels, ...rest } = fields;
    return {
        id: name,
        name,
        image: 'berth/busybox:1',
        labels: { [LABEL.container]: name, ...extraLabels },
        state: 'running',
        createdAt: '2026-01-01T00:00:00.000Z',
        startedAt: '2026-01-01T00:00:01.000Z',
        ports: [],
        ...rest,
    };
}
const exited = (name, exitCode, ranSeconds = 1, labels = {}) => container(name, {
    state: 'exited',
    exitCode,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + ranSeconds * 1000).toISOString(),
    extraLabels: labels,
});
describe('dependsOn conditions', () => {
    const created = container('db', { state: 'created' });
    delete created.startedAt;
    const rows = [
        ['created, START', created, 'START', 'wait'],
        ['running, START', container('db'), 'START', 'met'],
        ['running, COMPLETE', container('db'), 'COMPLETE', 'wait'],
        ['exited 3, COMPLETE', exited('db', 3), 'COMPLETE', 'met'],
        ['exited 0, SUCCESS', exited('db', 0), 'SUCCESS', 'met'],
        ['exited 3, SUCCESS', exited('db', 3), 'SUCCESS', 'failed'],
        ['starting, HEALTHY', container('db', { health: 'starting' }), 'HEALTHY', 'wait'],
        ['healthy, HEALTHY', container('db', { health: 'healthy' }), 'HEALTHY', 'met'],
        ['unhealthy, HEALTHY', container('db', { health: 'unhealthy' }), 'HEALTHY', 'failed'],
        ['exited, HEALTHY', exited('db', 0), 'HEALTHY', 'failed'],
    ];
    for (const [name, dependency, condition, expected] of rows) {
        test(name, () => {
            const verdict = dependencyVerdict(dependency, condition);
            const actual = verdict.met ? 'met' : verdict.failed ? 'failed' : 'wait';
            assert.equal(actual, expected);
        });
    }
});
describe('stop order', () => {
    test('dependents stop first; independent containers stop together', () => {
        const deps = (list) => ({ [LABEL.dependsOn]: JSON.stringify(list.map(([containerName, condition]) => ({ containerName, condition }))) });
        const waves = stopWaves([
            container('envoy'),
            container('app', { extraLabels: deps([['envoy', 'HEALTHY'], ['db', 'START']]) }),
            container('db'),
            container('logger'),
            container('worker', { extraLabels: deps([['db', 'START']]) }),
        ]);
        assert.deepEqual(waves.map((wave) => wave.map((c) => c.name).sort()), [['app', 'logger', 'worker'], ['db', 'envoy']]);
    });
});
describe('restart policy', () => {
    const policy = (ignored, period) => ({ [LABEL.restartPolicy]: JSON.stringify({ ignoredExitCodes: ignored, restartAttemptPeriod: period }) });
    test('restarts a container that ran its attempt period', () => assert.equal(restartsInPlace(exited('app', 1, 61, policy([], 60))), true));
    test('not one that exited earlier', () => assert.equal(restartsInPlace(exited('app', 1, 59, policy([], 60))), false));
    test('not on an ignored exit code', () => assert.equal(restartsInPlace(exited('app', 0, 600, policy([0], 60))), false));
    test('not without a policy', () => assert.equal(restartsInPlace(exited('app', 1, 600)), false));
});
describe('task health', () => {
    const checked = (name, health, essential = true) => container(name, { ...(health ? { health } : {}), extraLabels: { [LABEL.healthCheck]: 'true', [LABEL.essential]: String(essential) } });
    test('HEALTHY only when every essential container with a check is', () => {
        assert.equal(taskHealth([checked('a', 'healthy'), checked('b', 'healthy'), container('c')]), 'HEALTHY');
        assert.equal(taskHealth([checked('a', 'healthy'), checked('b', 'starting')]), 'UNKNOWN');
        assert.equal(taskHealth([checked('a', 'unhealthy'), checked('b', 'starting')]), 'UNHEALTHY');
        assert.equal(taskHealth([container('c')]), 'UNKNOWN');
    });
});
describe('multi-container tasks on the in-memory runtime', () => {
    let dir;
    let runtime;
    let status;
    let berth;
    let clock;
    const inspections = new Map();
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'berth-lifecycle-'));
        clock = { ms: Date.parse('2026-11-30T00:00:00Z'), now: () => clock.ms };
        runtime = new MemoryRuntime({ engine: 'memory', clock });
        inspections.clear();
        // Each inspect of a container is the start loop taking a fresh look before it decides again.
        const inspect = runtime.inspect.bind(runtime);
        runtime.inspect = (id) => {
            inspections.set(id, (inspections.get(id) ?? 0) + 1);
            return inspect(id);
        };
        status = new StatusRecorder();
    });
    afterEach(async () => {
        await berth?.stop();
        berth = undefined;
        rmSync(dir, { recursive: true, force: true });
    });
    const start = async (containers) => {
        writeFileSync(join(dir, 'td.yaml'), `apiVersion: berth/v1\nkind: TaskDefinition\nmetadata: {name: app}\nspec:\n  containerDefinitions:\n${containers}`);
        writeFileSync(join(dir, 'svc.yaml'), 'apiVersion: berth/v1\nkind: Service\nmetadata: {name: app}\nspec: {taskDefinition: app, desiredCount: 1}\n');
        berth = new Berth({ manifestsDir: dir, logger: silentLogger, runtimeFactory: () => runtime, status, controllers: { stoppedContainerRetentionMs: 600_000 } });
        await berth.start();
    };
    const byName = async (name) => (await runtime.list()).filter((c) => c.labels[LABEL.container] === name);
    const until = async (what, check) => {
        for (let i = 0; i < 200; i++) {
            const value = await check();
            if (value !== undefined)
                return value;
            await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error(`timed out waiting for ${what}`);
    };
    /**
     * Proof that the start loop decided with `dependency` as the test left it: two more fresh
     * looks at it (the loop decides after each look, and starts what is ready before the next).
     */
    const decidedAgain = async (dependency, dependent) => {
        const seen = inspections.get(dependency) ?? 0;
        // A loop that (wrongly) started the dependent has ended: no more looks will come, and the assertion after says what happened.
        const done = async () => (inspections.get(dependency) ?? 0) >= seen + 2 || (await byName(dependent))[0]?.state !== 'created';
        await until('the start loop to look again', async () => ((await done()) ? true : undefined));
    };
    const serviceStatus = () => status.last.get('Service/app');
    test('SUCCESS: the app starts only after migrate exited 0', async () => {
        await start(`    - {name: migrate, image: berth/busybox:1, essential: false}
    - name: app
      image: berth/busybox:1
      dependsOn: [{containerName: migrate, condition: SUCCESS}]
`);
        const migrate = await until('migrate running', async () => (await byName('migrate')).find((c) => c.state === 'running'));
        await decidedAgain(migrate.id, 'app');
        assert.equal((await byName('app'))[0].state, 'created', 'app waits for migrate');
        runtime.exit(migrate.id, 0);
        await until('app running', async () => (await byName('app')).find((c) => c.state === 'running'));
        await berth.idle();
        assert.equal(serviceStatus().tasks[0].containers.find((c) => c.name === 'migrate').exitCode, 0);
    });
    test('SUCCESS not met: the task fails to start, naming the dependency and its exit code', async () => {
        await start(`    - {name: migrate, image: berth/busybox:1, essential: false}
    - name: app
      image: berth/busybox:1
      dependsOn: [{containerName: migrate, condition: SUCCESS}]
`);
        const migrate = await until('migrate running', async () => (await byName('migrate')).find((c) => c.state === 'running'));
        runtime.exit(migrate.id, 3);
        const stopped = await until('a stopped task', async () => serviceStatus()?.stoppedTasks?.[0]);
        assert.equal(stopped.stopCode, 'TaskFailedToStart');
        assert.match(stopped.stoppedReason, /^CannotStartContainerError: container app depends on migrate reaching SUCCESS, but migrate exited with code 3$/);
        assert.equal(stopped.containers.find((c) => c.name === 'migrate').exitCode, 3);
    });
    test('HEALTHY: the app waits for a healthy db; task health follows the essential containers', async () => {
        await start(`    - name: db
      image: berth/busybox:1
      healthCheck: {command: [CMD-SHELL, "true"], interval: 5}
    - name: app
      image: berth/busybox:1
      dependsOn: [{containerName: db, condition: HEALTHY}]
`);
        const db = await until('db running', async () => (await byName('db')).find((c) => c.state === 'running'));
        await decidedAgain(db.id, 'app');
        assert.equal((await byName('app'))[0].state, 'created', 'app waits for a healthy db');
        runtime.setHealth(db.id, 'healthy');
        await until('app running', async () => (await byName('app')).find((c) => c.state === 'running'));
        await berth.idle();
        const task = await until('a healthy task', async () => serviceStatus()?.tasks.find((t) => t.healthStatus === 'HEALTHY'));
        assert.equal(task.containers.find((c) => c.name === 'db').healthStatus, 'HEALTHY');
        assert.equal(task.containers.find((c) => c.name === 'app').healthStatus, undefined, 'no check, no health');
        // A service replaces a task whose essential container turns unhealthy.
        runtime.setHealth(db.id, 'unhealthy');
        const stopped = await until('the unhealthy task stopped', async () => serviceStatus()?.stoppedTasks?.find((t) => t.taskId === task.taskId));
        assert.equal(stopped.stoppedReason, 'Task failed container health checks');
        assert.ok(serviceStatus().events.some((e) => e.message.includes(`(task ${task.taskId}) failed container health checks`)));
        await until('a replacement db', async () => (await byName('db')).find((c) => c.state === 'running' && c.id !== db.id));
    });
    test('startTimeout: a dependency that never becomes healthy fails the task', async () => {
        await start(`    - name: db
      image: berth/busybox:1
      startTimeout: 2
      healthCheck: {command: [CMD-SHELL, "true"]}
    - name: app
      image: berth/busybox:1
      dependsOn: [{containerName: db, condition: HEALTHY}]
`);
        const stopped = await until('a stopped task', async () => serviceStatus()?.stoppedTasks?.[0]);
        assert.match(stopped.stoppedReason, /app depends on db reaching HEALTHY, which it did not within its startTimeout of 2 s/);
    });
    test('restartPolicy: restarted in place after running its period; an ignored exit code stops the task', async () => {
        await start(`    - name: app
      image: berth/busybox:1
      restartPolicy: {enabled: true, ignoredExitCodes: [0], restartAttemptPeriod: 60}
`);
        const app = await until('app running', async () => (await byName('app')).find((c) => c.state === 'running'));
        await berth.idle();
        clock.ms += 61_000;
        runtime.exit(app.id, 1);
        await until('app restarted in place', async () => (await byName('app')).find((c) => c.id === app.id && c.state === 'running'));
        assert.ok(serviceStatus().events.some((e) => e.message.includes('restarted container app')));
        assert.equal((await runtime.list()).length, 1, 'no replacement task');
        clock.ms += 61_000;
        runtime.exit(app.id, 0);
        const stopped = await until('the task stopped', async () => serviceStatus()?.stoppedTasks?.[0]);
        assert.equal(stopped.stopCode, 'EssentialContainerExited');
        await until('a replacement', async () => (await byName('app')).find((c) => c.state === 'running' && c.id !== app.id));
    });
    test('stop: dependents first, then what they depend on', async () => {
        await start(`    - {name: envoy, image: berth/busybox:1}
    - name: app
      image: berth/busybox:1
      dependsOn: [{containerName: envoy, condition: START}]
`);
        await until('app running', async () => (await byName('app')).find((c) => c.state === 'running'));
        await berth.idle();
        runtime.takeCommands();
        writeFileSync(join(dir, 'svc.yaml'), 'apiVersion: berth/v1\nkind: Service\nmetadata: {name: app}\nspec: {taskDefinition: app, desiredCount: 0}\n');
        await until('all stopped', async () => ((await runtime.list()).every((c) => c.state === 'exited') ? true : undefined));
        const stops = runtime.takeCommands().filter((c) => c.op === 'stop').map((c) => c.target.replace(/.*-/, ''));
        assert.deepEqual(stops, ['app', 'envoy']);
    });
});
//# sourceMappingURL=task-lifecycle.test.js.map