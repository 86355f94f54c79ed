/**
 * The statuses the controllers write hold to the published schema (manifests/<Kind>.schema.json,
 * properties.status): each kind runs on the in-memory runtime with the real status writer,
 * and what lands in the files is read back and checked with ajv.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../controller/log.js';
import { Berth } from '../../controller/manager/wiring.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { readStatus, statusProblems } from '../manifestStatus.js';
import { eventually } from './eventually.js';
const MANIFESTS = {
    'platform.yaml': `apiVersion: berth/v1
kind: CapacityProvider
metadata:
  name: edge
spec: {}
---
apiVersion: berth/v1
kind: Cluster
metadata:
  name: default
spec:
  capacityProviders: [edge]
`,
    'web.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: httpd
      image: berth/httpd:1
      portMappings:
        - {containerPort: 8080, name: http, appProtocol: http}
      healthCheck:
        command: [CMD-SHELL, 'true']
    - name: sidecar
      image: berth/busybox:1
      command: [sleep, '600']
      essential: false
---
apiVersion: berth/v1
kind: Service
metadata:
  name: web
spec:
  taskDefinition: web
  desiredCount: 2
`,
    'batch.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: batch
spec:
  networkMode: awsvpc
  containerDefinitions:
    - name: job
      image: berth/busybox:1
      command: [sleep, '600']
---
apiVersion: berth/v1
kind: Task
metadata:
  name: nightly
spec:
  taskDefinition: batch
  count: 2
  startedBy: cron
`,
};
/** Where each kind's status is written. */
const WRITTEN = [
    { kind: 'CapacityProvider', name: 'edge', file: 'platform.yaml' },
    { kind: 'Cluster', name: 'default', file: 'platform.yaml' },
    { kind: 'TaskDefinition', name: 'web', file: 'web.yaml' },
    { kind: 'Service', name: 'web', file: 'web.yaml' },
    { kind: 'Task', name: 'nightly', file: 'batch.yaml' },
];
describe('written statuses hold to the published status schemas', () => {
    let dir;
    let runtime;
    let berth;
    const status = (kind, name, file) => readStatus(join(dir, file), kind, name);
    const group = async (label) => (await runtime.list({ 'berth.group': label })).filter((c) => c.state === 'running');
    /** Every optional part of a status shows up: health, exit codes, stop codes, stopped tasks, events (awsvpc's attachments come with the run). */
    const showEveryPart = async () => {
        for (const c of await group('service:web'))
            if (c.labels['berth.container'] === 'httpd')
                runtime.setHealth(c.id, 'healthy');
        const [failing] = await group('service:web');
        runtime.exit(failing.id, 3);
        // The job, not the pause container that holds the awsvpc task's network namespace.
        const finished = (await group('task:nightly')).find((c) => c.labels['berth.container'] === 'job');
        runtime.exit(finished.id, 0);
        await eventually('a stopped task in the service status and in the run status', () => {
            const service = status('Service', 'web', 'web.yaml');
            const run = status('Task', 'nightly', 'batch.yaml');
            return Array.isArray(service?.stoppedTasks) && service.stoppedTasks.length > 0 && Array.isArray(run?.tasks) && run.tasks.some((t) => t.lastStatus === 'STOPPED');
        }, 60_000);
    };
    before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'berth-status-schemas-'));
        for (const [file, text] of Object.entries(MANIFESTS))
            writeFileSync(join(dir, file), text);
        runtime = new MemoryRuntime({ engine: 'memory' });
        berth = new Berth({ manifestsDir: dir, logger: silentLogger, runtimeFactory: () => runtime, metadataAddress: false, removalSettleMs: 0 });
        await berth.start();
        try {
            await berth.idle();
            await showEveryPart();
            await berth.idle();
        }
        finally {
            // Flushes the status writer: what the tests read is all there is.
            await berth.stop();
        }
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    for (const { kind, name, file } of WRITTEN) {
        test(`${kind}/${name}`, () => {
            const written = status(kind, name, file);
            assert.ok(written, `no status written for ${kind}/${name}`);
            assert.deepEqual(statusProblems(kind, written), [], JSON.stringify(written, null, 2));
        });
    }
    /** Parts a status may leave out, each of which the schemas above have checked here. */
    const PARTS = [
        { kind: 'Service', name: 'web', file: 'web.yaml', parts: ['"stoppedTasks"', '"exitCode":3', '"stopCode"', '"healthStatus":"HEALTHY"', '"networkBindings"', '"name":"http"', '"events"'] },
        { kind: 'Task', name: 'nightly', file: 'batch.yaml', parts: ['"startedBy":"cron"', '"exitCode":0', '"pullStartedAt"', '"stoppingAt"', '"executionStoppedAt"', '"attachments"', '"networkInterfaces"'] },
    ];
    for (const { kind, name, file, parts } of PARTS) {
        test(`the ${kind} status shows its optional parts, so the schema checked them`, () => {
            const text = JSON.stringify(status(kind, name, file));
            for (const part of parts)
                assert.ok(text.includes(part), `${part} missing from ${text}`);
        });
    }
    test('a status off the schema is found: a wrong type, a missing field, an unknown field, a bad time', () => {
        const written = status('Service', 'web', 'web.yaml');
        assert.notDeepEqual(statusProblems('Service', { ...written, runningCount: 'two' }), []);
        const { desiredCount: _missing, ...withoutDesired } = written;
        assert.notDeepEqual(statusProblems('Service', withoutDesired), []);
        assert.notDeepEqual(statusProblems('Service', { ...written, runnningCount: 2 }), []);
        assert.notDeepEqual(statusProblems('Cluster', { ...status('Cluster', 'default', 'platform.yaml'), conditions: [{ type: 'Valid', status: 'True', reason: 'SpecAccepted', message: '', lastTransitionTime: 'yesterday' }] }), []);
    });
});
//# sourceMappingURL=status-schemas.test.js.map