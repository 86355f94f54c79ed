/**
 * The targetgroup controller on the in-memory runtime: a Service's RUNNING tasks become
 * the group's targets at their host ports, a task stopped by scale-in is deregistered,
 * and the service tells both in ECS's words.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { Berth } from '../../controller/manager/wiring.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { silentLogger } from '../../controller/log.js';
import { eventually } from './eventually.js';
import { StatusRecorder } from './statusRecorder.js';
const MANIFESTS = `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: httpd
      image: berth/httpd:1
      portMappings:
        - containerPort: 8080
---
apiVersion: berth/v1
kind: TargetGroup
metadata:
  name: web
spec:
  deregistrationDelaySeconds: 0
`;
const service = (desiredCount) => `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  taskDefinition: web\n  desiredCount: ${desiredCount}\n  loadBalancers:\n    - {containerName: httpd, containerPort: 8080, targetGroup: web}\n`;
describe('targetgroup controller on the in-memory runtime', () => {
    let dir;
    let berth;
    const status = new StatusRecorder();
    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'berth-unit-'));
        writeFileSync(join(dir, 'manifests.yaml'), MANIFESTS);
    });
    afterEach(async () => {
        await berth?.stop();
        rmSync(dir, { recursive: true, force: true });
    });
    const group = () => status.last.get('TargetGroup/web');
    const serviceStatus = () => status.last.get('Service/web');
    const registeredTotal = (verb) => (serviceStatus()?.events ?? []).reduce((sum, e) => sum + Number(new RegExp(`^\\(service web\\) ${verb} (\\d+) targets in \\(target-group web\\)$`).exec(e.message)?.[1] ?? 0), 0);
    test('running tasks are registered at their host ports; a task stopped by scale-in is deregistered', async () => {
        writeFileSync(join(dir, 'service.yaml'), service(2));
        const runtime = new MemoryRuntime({ engine: 'memory' });
        berth = new Berth({ manifestsDir: dir, logger: silentLogger, runtimeFactory: () => runtime, status, removalSettleMs: 0, metadataAddress: false, healthAddress: false, logs: false });
        await berth.start();
        await eventually('2 targets', () => (group()?.targets.length === 2 ? true : undefined));
        const tasks = serviceStatus().tasks;
        for (const target of group().targets) {
            const task = tasks.find((t) => t.taskId === target.id);
            assert.equal(target.port, task.networkBindings?.find((b) => b.containerPort === 8080)?.hostPort);
            assert.equal(target.service, 'web');
            // No LoadBalancer forwards to the group.
            assert.deepEqual([target.state, target.reason], ['unused', 'Target.NotInUse']);
        }
        assert.deepEqual(group().services, ['web']);
        await eventually('registered events for 2 targets', () => (registeredTotal('registered') === 2 ? true : undefined));
        writeFileSync(join(dir, 'service.yaml'), service(1));
        await eventually('1 target', () => (group()?.targets.length === 1 ? true : undefined));
        await eventually('the deregistration event', () => (registeredTotal('deregistered') === 1 ? true : undefined));
        const [left] = group().targets;
        assert.ok(serviceStatus().tasks.some((t) => t.taskId === left.id && t.lastStatus === 'RUNNING'), 'the target left is the running task');
    });
});
//# sourceMappingURL=targetgroup-controller.test.js.map