import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { taskContainerSpecs } from '../../controller/taskspec/containerSpecs.js';
import { Berth, defaultOwner } from '../../controller/manager/wiring.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { eventually } from './eventually.js';
import { recordingLogger } from './recordingLogger.js';
import { StatusRecorder } from './statusRecorder.js';
const TASKDEF = `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: httpd
      image: berth/httpd:1
      portMappings:
        - containerPort: 8080
`;
function service(desiredCount) {
    return `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  taskDefinition: web\n  desiredCount: ${desiredCount}\n`;
}
describe('controllers on the in-memory runtime', () => {
    let dir;
    let runtime;
    let status;
    let berth;
    let log;
    const start = async () => {
        berth = new Berth({
            manifestsDir: dir,
            logger: log.logger,
            runtimeFactory: () => runtime,
            status,
            removalSettleMs: 0,
            controllers: { stoppedContainerRetentionMs: 60_000 },
        });
        await berth.start();
        await berth.idle();
        return berth;
    };
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'berth-unit-'));
        runtime = new MemoryRuntime({ engine: 'memory' });
        status = new StatusRecorder();
        log = recordingLogger();
        writeFileSync(join(dir, 'taskdef.yaml'), TASKDEF);
    });
    afterEach(async () => {
        await berth?.stop();
        berth = undefined;
        rmSync(dir, { recursive: true, force: true });
    });
    const running = async () => (await runtime.list()).filter((c) => c.state === 'running');
    /** Proof that the controller acted on an event: the index of the first log line from `since` on that matches. */
    const logged = (what, since, matches) => eventually(what, () => {
        const index = log.lines.findIndex((line, i) => i >= since && matches(line));
        return index >= 0 ? index : undefined;
    });
    const reconciled = (kind, name) => (line) => line.msg === 'reconciled' && line.kind === kind && line.name === name;
    test('launches desiredCount tasks: network, then create and start for each', async () => {
        writeFileSync(join(dir, 'service.yaml'), service(3));
        await start();
        assert.equal((await running()).length, 3);
        const ops = runtime.takeCommands().map((c) => c.op);
        assert.equal(ops.filter((op) => op === 'create').length, 3);
        assert.equal(ops.filter((op) => op === 'start').length, 3);
        assert.equal(ops[0], 'ensureNetwork');
        const s = status.last.get('Service/web');
        assert.equal(s.runningCount, 3);
        assert.equal(s.taskDefinition, 'web:1');
        assert.equal(status.last.get('TaskDefinition/web').revision, 1);
    });
    test('a task that exits is replaced, and its stop is recorded with the exit code', async () => {
        writeFileSync(join(dir, 'service.yaml'), service(1));
        await start();
        const [first] = await running();
        runtime.exit(first.id, 2);
        await eventually('a replacement', async () => (await running()).some((c) => c.id !== first.id));
        await berth.idle();
        const now = await running();
        assert.equal(now.length, 1);
        assert.notEqual(now[0].id, first.id);
        const stopped = status.last.get('Service/web').stoppedTasks[0];
        assert.equal(stopped.stopCode, 'EssentialContainerExited');
        assert.equal(stopped.containers[0].exitCode, 2);
    });
    test('a restarted controller adopts running tasks and issues no command', async () => {
        writeFileSync(join(dir, 'service.yaml'), service(2));
        await start();
        await berth.stop();
        runtime.takeCommands();
        await start();
        assert.deepEqual(runtime.takeCommands(), []);
        assert.equal((await running()).length, 2);
    });
    test('tasks left created-but-not-started by a crash are started, not duplicated', async () => {
        writeFileSync(join(dir, 'service.yaml'), service(2));
        // What a controller killed between create and start leaves behind.
        for (const taskId of ['a'.repeat(32), 'b'.repeat(32)]) {
            const [spec] = taskContainerSpecs({ containerDefinitions: [{ name: 'httpd', image: 'berth/httpd:1', portMappings: [{ containerPort: 8080 }] }] }, { cluster: 'default', group: 'service:web', taskId, family: 'web', revision: 1, capacityProvider: 'local' }, { serviceName: 'web' });
            await runtime.create({ ...spec, labels: { ...spec.labels, 'berth.owner': defaultOwner(dir) } });
        }
        runtime.takeCommands();
        await start();
        const ops = runtime.takeCommands().map((c) => c.op);
        assert.equal(ops.filter((op) => op === 'create').length, 0, 'nothing created');
        assert.equal(ops.filter((op) => op === 'start').length, 2);
        assert.equal((await running()).length, 2);
    });
    test('scale-in: the retirement controller stops the newest tasks, the oldest survives', async () => {
        // Every container created a millisecond after the last, so that "newest" has one answer.
        let lastTick = 0;
        runtime = new MemoryRuntime({ engine: 'memory', clock: { now: () => (lastTick = Math.max(Date.now(), lastTick + 1)) } });
        writeFileSync(join(dir, 'service.yaml'), service(3));
        await start();
        const before = (await running()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        assert.equal(new Set(before.map((c) => c.createdAt)).size, 3, 'three distinct creation times');
        runtime.takeCommands();
        writeFileSync(join(dir, 'service.yaml'), service(1));
        await eventually('scale-in to one task', async () => (await running()).length === 1);
        await berth.idle();
        assert.deepEqual((await running()).map((c) => c.id), [before[0].id], 'the oldest task survives');
        const commands = runtime.takeCommands();
        assert.deepEqual(commands.filter((c) => c.op === 'stop').map((c) => c.target).sort(), [before[1].name, before[2].name].sort(), 'the two newest are stopped');
    });
    test('a typo left in the file across a restart keeps the last valid spec in force', async () => {
        writeFileSync(join(dir, 'service.yaml'), service(2));
        await start();
        const before = (await running()).map((c) => c.id).sort();
        await berth.stop();
        writeFileSync(join(dir, 'service.yaml'), service(2).replace('desiredCount: 2', 'desiredCont: 2'));
        await start();
        // Proof the service was reconciled with the typo in force: its Valid condition says so.
        const valid = await eventually('Valid=False', () => status.last.get('Service/web')?.conditions?.find((c) => c.type === 'Valid' && c.status === 'False'));
        await berth.idle();
        assert.deepEqual((await running()).map((c) => c.id).sort(), before, 'nothing stopped');
        assert.match(valid.message, /service\.yaml:7:\d+: Service\/web: .*desiredCont/);
        // The last valid spec is still served: a task that exits is replaced.
        // (This runtime was closed by the first controller, so its events are gone: the periodic resync finds the exit.)
        runtime.exit(before[0], 1);
        await berth.resync();
        await eventually('a replacement', async () => (await running()).length === 2 && !(await running()).some((c) => c.id === before[0]));
        await berth.idle();
        assert.equal((await running()).length, 2);
    });
    test('a file broken beyond parsing across a restart stops nothing', async () => {
        writeFileSync(join(dir, 'service.yaml'), service(2));
        await start();
        await berth.stop();
        writeFileSync(join(dir, 'service.yaml'), 'kind: Service\nmetadata: [\n');
        await start();
        // Proof the service was reconciled with the broken file in force: its Valid condition names the syntax error.
        await eventually('Valid=False naming the syntax error', () => status.last.get('Service/web')?.conditions?.find((c) => c.type === 'Valid' && c.status === 'False' && c.message.startsWith('service.yaml:3:1: Service: ')));
        await berth.idle();
        assert.equal((await running()).length, 2);
        assert.ok(!runtime.takeCommands().some((c) => c.op === 'stop' || c.op === 'remove'));
    });
    test('an unreachable engine of another provider does not stop this service', async () => {
        const remote = new MemoryRuntime({ engine: 'remote' });
        remote.setDown(true);
        berth = new Berth({
            manifestsDir: dir,
            logger: log.logger,
            runtimeFactory: ({ engine }) => (engine?.host ? remote : runtime),
            status,
            removalSettleMs: 0,
        });
        writeFileSync(join(dir, 'provider.yaml'), 'apiVersion: berth/v1\nkind: CapacityProvider\nmetadata:\n  name: far\nspec:\n  engines:\n    - host: tcp://127.0.0.1:1\n');
        writeFileSync(join(dir, 'service.yaml'), service(2));
        await berth.start();
        // Proof the unreachable provider was looked at, and the service reconciled after it.
        const provider = await logged('the provider reconciled', 0, reconciled('CapacityProvider', 'far'));
        await logged('the service reconciled after it', provider, reconciled('Service', 'web'));
        await berth.idle();
        assert.equal((await running()).length, 2);
        assert.equal(status.last.get('Service/web').runningCount, 2);
    });
    test('losing the state directory renumbers nothing and replaces nothing', async () => {
        writeFileSync(join(dir, 'service.yaml'), service(2));
        await start();
        // Roll onto revision 2, so that a history rebuilt from nothing would get the number wrong.
        writeFileSync(join(dir, 'taskdef.yaml'), TASKDEF.replace('image: berth/httpd:1', 'image: berth/httpd:1\n      workingDirectory: /www'));
        await eventually('the service on revision 2', () => status.last.get('Service/web')?.taskDefinition === 'web:2', 30_000);
        await berth.idle();
        assert.equal(status.last.get('Service/web').taskDefinition, 'web:2');
        await berth.stop();
        rmSync(join(dir, '.berth'), { recursive: true, force: true });
        runtime.takeCommands();
        await start();
        assert.deepEqual(runtime.takeCommands().map((c) => c.op), [], 'no create, stop or remove');
        assert.equal(status.last.get('TaskDefinition/web').revision, 2);
        assert.equal(status.last.get('Service/web').taskDefinition, 'web:2');
    });
    test('a service pinned to family:1 stays on revision 1 while the family moves on', async () => {
        writeFileSync(join(dir, 'service.yaml'), service(2).replace('taskDefinition: web', 'taskDefinition: web:1'));
        await start();
        writeFileSync(join(dir, 'taskdef.yaml'), TASKDEF.replace('image: berth/httpd:1', 'image: berth/busybox:1'));
        await eventually('revision 2 registered', () => status.last.get('TaskDefinition/web')?.revision === 2, 30_000);
        await berth.idle();
        assert.equal(status.last.get('TaskDefinition/web').revision, 2);
        assert.equal(status.last.get('Service/web').taskDefinition, 'web:1');
        assert.ok((await running()).every((c) => c.image === 'berth/httpd:1'));
    });
    test('removing the task definition manifest leaves its tasks running', async () => {
        writeFileSync(join(dir, 'service.yaml'), service(2));
        await start();
        const before = (await running()).map((c) => c.id).sort();
        const since = log.lines.length;
        rmSync(join(dir, 'taskdef.yaml'));
        // Proof the removal was processed: the family went INACTIVE, and the service was reconciled after that.
        const inactive = await logged('the family to go INACTIVE', since, (line) => line.msg === 'task definition family is INACTIVE' && line.name === 'web');
        await logged('the service reconciled after the removal', inactive, reconciled('Service', 'web'));
        await berth.idle();
        assert.deepEqual((await running()).map((c) => c.id).sort(), before);
        assert.ok(!runtime.takeCommands().some((c) => c.op === 'stop' || c.op === 'remove'), 'no stop, no remove');
        assert.equal(status.last.get('Service/web').runningCount, 2);
    });
    test('another controller\'s tasks on the same engine are never touched', async () => {
        // A task of a service of the same name, run by a controller of another directory.
        const [foreign] = taskContainerSpecs({ containerDefinitions: [{ name: 'httpd', image: 'berth/httpd:1' }] }, { cluster: 'default', group: 'service:web', taskId: 'f'.repeat(32), family: 'web', revision: 1, capacityProvider: 'local' }, { serviceName: 'web' });
        const foreignId = await runtime.create({ ...foreign, labels: { ...foreign.labels, 'berth.owner': 'dir-elsewhere' } });
        await runtime.ensureNetwork('berth-default', {});
        await runtime.start(foreignId);
        writeFileSync(join(dir, 'service.yaml'), service(1));
        await start();
        assert.equal((await runtime.inspect(foreignId))?.state, 'running', 'not adopted, not stopped');
        const ours = (await running()).filter((c) => c.id !== foreignId);
        assert.equal(ours.length, 1, 'ours launched beside theirs: theirs was not counted as ours');
        rmSync(join(dir, 'service.yaml'));
        // Proof the deletion was processed: our own task is stopped.
        await eventually('our task to stop', async () => (await runtime.inspect(ours[0].id))?.state !== 'running');
        await berth.idle();
        assert.equal((await runtime.inspect(foreignId))?.state, 'running', 'deleting our service leaves theirs alone');
        assert.ok(!runtime.takeCommands().some((c) => c.target === foreign.name && c.op !== 'create' && c.op !== 'start'), 'no command ever named theirs');
    });
    test('the service waits for its task definition, then launches', async () => {
        rmSync(join(dir, 'taskdef.yaml'));
        writeFileSync(join(dir, 'service.yaml'), service(1));
        await start();
        assert.equal((await runtime.list()).length, 0);
        const steady = status.last.get('Service/web').conditions.find((c) => c.type === 'Steady');
        assert.equal(steady.reason, 'TaskDefinitionNotFound');
        writeFileSync(join(dir, 'taskdef.yaml'), TASKDEF);
        // The watcher's event may take a while on a loaded machine: wait for the launch itself.
        await eventually('the task launched once its task definition appeared', async () => (await running()).length === 1, 30_000);
        await berth.idle();
        assert.equal((await running()).length, 1);
    });
});
//# sourceMappingURL=service-controller.test.js.map