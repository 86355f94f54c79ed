/**
 * The runnable part of the ECS corpus (examples/ecs/local): task definitions in the JSON
 * ECS takes or prints, imported with `berth import ecs` exactly as a user would, then
 * run on the real engine with the behaviour each one is about asserted.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { BERTH, ROOT, clusterManifest, docker, execIn, groupContainers, readStatus, removeDir, scratchDir, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
const LOCAL = join(ROOT, 'examples', 'ecs', 'local');
/** `berth import ecs FILE`: the TaskDefinition manifest, as the CLI prints it. */
function imported(file) {
    return execFileSync(process.execPath, [BERTH, 'import', 'ecs', join(LOCAL, file)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}
function service(cluster, family) {
    return `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${family}\nspec:\n  cluster: ${cluster}\n  taskDefinition: ${family}\n  desiredCount: 1\n`;
}
/** Imports `file` and runs it as a one-task service of its own cluster. */
function runAsService(setup, file, family, extraArgs = []) {
    writeManifests(setup.dir, {
        'cluster.yaml': clusterManifest(setup.cluster),
        'taskdef.yaml': imported(file),
        'service.yaml': service(setup.cluster, family),
    });
    return setup.start(extraArgs);
}
async function containerOf(cluster, family, name) {
    return waitFor(`container ${name} running`, async () => (await groupContainers(cluster, `service:${family}`)).find((c) => c.labels['berth.container'] === name && c.state === 'running')?.id);
}
describe('the runnable ECS corpus on the real engine', { concurrency: true }, () => {
    const chain = testCluster('cpchain');
    const volumes = testCluster('cpvol');
    const secrets = testCluster('cpsec');
    const awsvpc = testCluster('cpvpc');
    const batch = testCluster('cpbatch');
    test('nightly-exit-codes.json: run-task --wait ends with the essential container\'s exit code, every exit code recorded', async () => {
        writeManifests(batch.dir, { 'cluster.yaml': clusterManifest(batch.cluster), 'taskdef.yaml': imported('nightly-exit-codes.json') });
        batch.start();
        const result = spawnSync(process.execPath, [BERTH, 'run-task', '--task-definition', 'nightly', '--cluster', batch.cluster, '--name', 'tonight', '-m', batch.dir, '--wait'], {
            encoding: 'utf8',
            timeout: 120_000,
        });
        assert.equal(result.status, 3, result.stdout + result.stderr);
        const status = readStatus(batch.path('task-tonight.yaml'), 'Task', 'tonight');
        const [task] = status.tasks;
        assert.equal(task.stopCode, 'EssentialContainerExited');
        assert.deepEqual(task.containers.map((c) => [c.name, c.exitCode]), [['export', 3], ['notify', 0]]);
    });
    test('web-sidecar-awsvpc.json: the probe reaches web on localhost once web is healthy; the task has its own address', async () => {
        const controller = runAsService(awsvpc, 'web-sidecar-awsvpc.json', 'storefront');
        const task = await waitFor('a healthy task', () => serviceStatus(awsvpc.path('service.yaml'), 'storefront')?.tasks.find((t) => t.healthStatus === 'HEALTHY'), {
            controller,
            timeoutMs: 60_000,
        });
        const probe = await containerOf(awsvpc.cluster, 'storefront', 'probe');
        await waitFor('the probe got the page over 127.0.0.1', async () => (await execIn(probe, 'test -f /tmp/reached && echo yes')).trim() === 'yes' || undefined, { controller });
        const address = task.attachments?.[0]?.details.find((d) => d.name === 'privateIPv4Address')?.value;
        assert.match(address ?? '', /^\d+\.\d+\.\d+\.\d+$/, 'the task address is in status');
    });
    test('migrate-chain.describe.json: api starts after migrate succeeded and db turned healthy', async () => {
        const controller = runAsService(chain, 'migrate-chain.describe.json', 'ledger');
        const task = await waitFor('a healthy task', () => serviceStatus(chain.path('service.yaml'), 'ledger')?.tasks.find((t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'HEALTHY'), {
            controller,
            timeoutMs: 60_000,
        });
        assert.equal(task.containers.find((c) => c.name === 'migrate').exitCode, 0);
        assert.equal(task.networkBindings?.[0]?.containerPort, 8080, 'the dynamic host port is reported');
        const byName = Object.fromEntries(await Promise.all((await groupContainers(chain.cluster, 'service:ledger')).map(async (c) => [c.labels['berth.container'], (await docker.getContainer(c.id).inspect()).State])));
        assert.ok(Date.parse(byName.api.StartedAt) >= Date.parse(byName.migrate.FinishedAt));
    });
    test('shared-volume.json: containers share an empty volume, read-only mounts and volumesFrom', async () => {
        const controller = runAsService(volumes, 'shared-volume.json', 'reports');
        await waitFor('running', () => serviceStatus(volumes.path('service.yaml'), 'reports')?.runningCount === 1, { controller, timeoutMs: 90_000 });
        const reader = await containerOf(volumes.cluster, 'reports', 'reader');
        const auditor = await containerOf(volumes.cluster, 'reports', 'auditor');
        await waitFor('the reader saw the report', async () => (await execIn(reader, 'cat /tmp/seen 2>/dev/null')).trim() === 'report-42' || undefined, { controller });
        await waitFor('the auditor saw the cache', async () => (await execIn(auditor, 'cat /tmp/seen 2>/dev/null')).trim() === 'warm' || undefined, { controller });
        assert.match(await execIn(reader, 'touch /scratch/x 2>&1; echo $?'), /Read-only file system[\s\S]*1\s*$/);
    });
    test('secrets-worker.describe.json: Secrets Manager and Parameter Store references from the local provider', async () => {
        const secretsDir = scratchDir();
        after(() => removeDir(secretsDir));
        mkdirSync(join(secretsDir, 'payouts'), { recursive: true });
        writeFileSync(join(secretsDir, 'payouts', 'db'), JSON.stringify({ password: 'corpus-db-pw' }));
        writeFileSync(join(secretsDir, 'payouts', 'api-token'), 'corpus-token\n');
        writeFileSync(join(secretsDir, 'payouts', 'log-max-size'), '5m');
        const controller = runAsService(secrets, 'secrets-worker.describe.json', 'payouts', ['--secrets-dir', secretsDir]);
        await waitFor('running', () => serviceStatus(secrets.path('service.yaml'), 'payouts')?.runningCount === 1, { controller, timeoutMs: 30_000 });
        const worker = await containerOf(secrets.cluster, 'payouts', 'worker');
        assert.equal((await execIn(worker, 'echo "$DB_PASSWORD/$API_TOKEN/$QUEUE"')).trim(), 'corpus-db-pw/corpus-token/payouts');
        // logConfiguration.secretOptions are resolved too, into the log driver's options.
        const logConfig = (await docker.getContainer(worker).inspect()).HostConfig.LogConfig;
        assert.deepEqual(logConfig, { Type: 'json-file', Config: { 'max-file': '2', 'max-size': '5m' } });
    });
});
//# sourceMappingURL=corpus.test.js.map