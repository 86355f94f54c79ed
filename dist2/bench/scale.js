/**
 * Benchmark: scale a service from 0 to N replicas on the real engine and time it
 * until all N are RUNNING, against a baseline in the same process that creates and
 * starts N equivalent containers straight through dockerode, in parallel. Also
 * measures the latency from a manifest save to berth's first container create call.
 *
 *   npm run bench            (N=50; BENCH_REPLICAS=20 npm run bench for a quick run)
 *
 * The last line is the ratio berth / baseline.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { createLogger, silentLogger } from '../controller/log.js';
import { Berth } from '../controller/manager/wiring.js';
const replicas = Number(process.env.BENCH_REPLICAS ?? 50);
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
const IMAGE = 'berth/httpd:1';
/** Resolves when `count` containers with the label have emitted a start event. */
async function waitForStarts(label, count) {
    const stream = (await docker.getEvents({ filters: { type: ['container'], event: ['start'], label: [label] } }));
    let seen = 0;
    let doneAt = 0;
    let resolveDone = () => { };
    const done = new Promise((resolve) => (resolveDone = resolve));
    stream.on('data', (chunk) => {
        seen += chunk.toString().split('\n').filter((line) => line.includes('"start"')).length;
        if (seen >= count && !doneAt) {
            doneAt = performance.now();
            resolveDone();
        }
    });
    return () => {
        void done.then(() => stream.destroy());
        return doneAt;
    };
}
async function removeByLabel(label) {
    const list = await docker.listContainers({ all: true, filters: { label: [label] } });
    await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}
async function until(check, timeoutMs = 300_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline)
            throw new Error('benchmark timed out');
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}
async function baseline() {
    const run = randomBytes(3).toString('hex');
    const label = `berth.bench=${run}`;
    const network = `berth-bench-${run}`;
    await docker.createNetwork({ Name: network, Driver: 'bridge' });
    const started = performance.now();
    await Promise.all(Array.from({ length: replicas }, async (_, i) => {
        const container = await docker.createContainer({
            name: `bench-${run}-${i}`,
            Image: IMAGE,
            Labels: { 'berth.bench': run },
            ExposedPorts: { '8080/tcp': {} },
            HostConfig: { PortBindings: { '8080/tcp': [{ HostPort: '' }] }, NetworkMode: network, Memory: 64 * 1024 * 1024, CpuShares: 2 },
        });
        await container.start();
    }));
    const elapsed = performance.now() - started;
    await removeByLabel(label);
    await docker.getNetwork(network).remove().catch(() => undefined);
    return elapsed;
}
async function berthScale() {
    const cluster = `bench${randomBytes(3).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
    writeFileSync(join(dir, 'cluster.yaml'), `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${cluster}\nspec: {}\n`);
    writeFileSync(join(dir, 'taskdef.yaml'), `apiVersion: berth/v1\nkind: TaskDefinition\nmetadata:\n  name: bench\nspec:\n  containerDefinitions:\n    - name: httpd\n      image: ${IMAGE}\n      memory: 64\n      stopTimeout: 2\n      portMappings:\n        - containerPort: 8080\n`);
    const serviceFile = join(dir, 'service.yaml');
    writeFileSync(serviceFile, `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: bench\nspec:\n  cluster: ${cluster}\n  taskDefinition: bench\n  desiredCount: 0\n`);
    const logger = process.env.BENCH_LOG ? createLogger({ level: process.env.BENCH_LOG, pretty: false }) : silentLogger;
    const berth = new Berth({ manifestsDir: dir, logger });
    let firstCreate = 0;
    berth.executor.launches.onContainerCreate = () => {
        firstCreate ||= performance.now();
    };
    try {
        await berth.start();
        await berth.idle();
        const doneAt = await waitForStarts(`berth.cluster=${cluster}`, replicas);
        const saved = performance.now();
        writeFileSync(serviceFile, readFileSync(serviceFile, 'utf8').replace('desiredCount: 0', `desiredCount: ${replicas}`));
        await until(() => doneAt() > 0);
        const elapsed = doneAt() - saved;
        // All RUNNING as berth itself reports it, too.
        await until(() => /runningCount: (\d+)/.exec(readFileSync(serviceFile, 'utf8'))?.[1] === String(replicas));
        return { elapsed, saveToCreate: firstCreate - saved };
    }
    finally {
        await berth.stop();
        await removeByLabel(`berth.cluster=${cluster}`);
        await docker.getNetwork(`berth-${cluster}`).remove().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
    }
}
async function main() {
    // Warm the engine (image layers, network code paths) so neither side pays for it.
    await baseline();
    const base = await baseline();
    const scaled = await berthScale();
    const base2 = await baseline();
    const baselineMs = Math.min(base, base2);
    const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`replicas:                                  ${replicas}`);
    console.log(`baseline (dockerode, ${replicas} create+start in parallel): ${fmt(base)} and ${fmt(base2)} (best ${fmt(baselineMs)})`);
    console.log(`berth (save desiredCount=${replicas} → all RUNNING):   ${fmt(scaled.elapsed)}`);
    console.log(`manifest save → first container create call:  ${scaled.saveToCreate.toFixed(0)} ms`);
    console.log(`ratio berth/baseline: ${(scaled.elapsed / baselineMs).toFixed(3)}`);
}
await main();
//# sourceMappingURL=scale.js.map