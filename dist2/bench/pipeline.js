/**
 * Benchmark: what the controller costs when it runs, each figure beside a baseline
 * measured in the same run and the goal it is held to.
 *
 * - idle: 1,000 manifests (500 task definitions, 500 services at desiredCount 0),
 *   nothing changing; CPU share of one core and RSS over a steady-state window that
 *   spans two periodic resyncs. Baseline: the same process before the controller starts.
 * - startup: N task definition files, one per file; controller start until every status
 *   is written, and peak RSS, beside `berth validate` on the same directory. Run at three
 *   sizes to show the cost per file does not grow with N.
 * - replacement: a running task's container killed; the engine's `die` event to the
 *   replacement's `start` event, p50 of 10, beside one plain create+start through
 *   dockerode on the same engine, image and network (p50 of 10).
 *
 *   npm run build && node dist/bench/pipeline.js            (full sizes)
 *   BENCH_QUICK=1 node dist/bench/pipeline.js               (small sizes, short window)
 *   node dist/bench/pipeline.js idle|startup|replacement    (one part)
 *
 * Every measurement runs in a child process of its own, so its RSS and CPU time are its own.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { silentLogger } from '../controller/log.js';
import { Berth } from '../controller/manager/wiring.js';
const MIB = 1024 * 1024;
const QUICK = process.env.BENCH_QUICK === '1';
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
const IMAGE = 'berth/busybox:1';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
function taskDefinition(name) {
    return `apiVersion: berth/v1\nkind: TaskDefinition\nmetadata:\n  name: ${name}\nspec:\n  containerDefinitions:\n    - name: app\n      image: ${IMAGE}\n      memory: 32\n      command: ["sleep", "3600"]\n`;
}
function service(name, options) {
    return `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  cluster: ${options.cluster}\n  taskDefinition: ${options.taskDefinition}\n  desiredCount: ${options.desiredCount}\n`;
}
function cluster(name) {
    return `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${name}\nspec: {}\n`;
}
function berthFor(dir, extra = {}) {
    return new Berth({ manifestsDir: dir, logger: silentLogger, metadataAddress: false, healthAddress: false, logs: false, ...extra });
}
function cpuMs() {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
}
async function measureIdle(windowMs, resyncIntervalMs) {
    const dir = mkdtempSync(join(tmpdir(), 'berth-bench-idle-'));
    const name = `idle${randomBytes(3).toString('hex')}`;
    writeFileSync(join(dir, 'cluster.yaml'), cluster(name));
    for (let i = 0; i < 500; i++) {
        writeFileSync(join(dir, `td-${i}.yaml`), taskDefinition(`td-${i}`));
        writeFileSync(join(dir, `svc-${i}.yaml`), service(`svc-${i}`, { cluster: name, taskDefinition: `td-${i}`, desiredCount: 0 }));
    }
    // The same process doing nothing, over a short window: what "idle" costs without us.
    const baseStart = cpuMs();
    const baseAt = performance.now();
    await new Promise((done) => setTimeout(done, 2000));
    const baselineCpuPercent = ((cpuMs() - baseStart) / (performance.now() - baseAt)) * 100;
    const berth = berthFor(dir, { resyncIntervalMs });
    const startedAt = performance.now();
    try {
        await berth.start();
        await berth.idle({ timeoutMs: 600_000 });
        const startMs = performance.now() - startedAt;
        // Let the start's own aftermath (file events of the status writes) pass before measuring.
        await new Promise((done) => setTimeout(done, 3000));
        await berth.idle({ timeoutMs: 600_000 });
        const cpuBefore = cpuMs();
        const at = performance.now();
        let rssPeak = 0;
        const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 500);
        await new Promise((done) => setTimeout(done, windowMs));
        clearInterval(sampler);
        const cpuPercent = ((cpuMs() - cpuBefore) / (performance.now() - at)) * 100;
        return { manifests: 1001, windowMs, baselineCpuPercent, cpuPercent, rssMiB: rssPeak / MIB, startMs };
    }
    finally {
        await berth.stop();
        rmSync(dir, { recursive: true, force: true });
    }
}
function writeTaskDefinitionFiles(dir, files) {
    for (let i = 0; i < files; i++)
        writeFileSync(join(dir, `td-${i}.yaml`), taskDefinition(`td-${i}`));
}
async function measureStartup(dir) {
    const files = readdirSync(dir).filter((file) => file.endsWith('.yaml')).length;
    const berth = berthFor(dir, { stateDir: mkdtempSync(join(tmpdir(), 'berth-bench-state-')) });
    const started = performance.now();
    try {
        await berth.start();
        await berth.idle({ timeoutMs: 900_000 });
    }
    finally {
        await berth.stop();
    }
    const ms = performance.now() - started;
    let statuses = 0;
    for (const file of readdirSync(dir))
        if (file.endsWith('.yaml') && readFileSync(join(dir, file), 'utf8').includes('\nstatus:'))
            statuses++;
    return { files, ms, peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MIB, statuses };
}
/** `berth validate` on the same directory, in this process: the CLI's own code path. */
async function measureValidate(dir) {
    const { main } = await import('../controller/cli/main.js');
    const started = performance.now();
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true; // its "N documents valid" line is not ours to print
    try {
        await main(['node', 'berth', 'validate', dir]);
    }
    finally {
        process.stdout.write = write;
    }
    return { ms: performance.now() - started, peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MIB };
}
/** Waits for the first engine event that `match` accepts. */
function nextEvent(match, stream) {
    return new Promise((resolve) => {
        let buffer = '';
        const onData = (chunk) => {
            buffer += chunk.toString();
            let newline;
            while ((newline = buffer.indexOf('\n')) >= 0) {
                const line = buffer.slice(0, newline);
                buffer = buffer.slice(newline + 1);
                if (!line.trim())
                    continue;
                const event = JSON.parse(line);
                if (match(event)) {
                    stream.off('data', onData);
                    resolve(event);
                    return;
                }
            }
        };
        stream.on('data', onData);
    });
}
function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
async function measureReplacement(rounds) {
    const name = `repl${randomBytes(3).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'berth-bench-repl-'));
    writeFileSync(join(dir, 'cluster.yaml'), cluster(name));
    writeFileSync(join(dir, 'td.yaml'), taskDefinition('replace'));
    writeFileSync(join(dir, 'service.yaml'), service('replace', { cluster: name, taskDefinition: 'replace', desiredCount: 1 }));
    // A task killed after a second counts as having run stably: no crash-loop delay, which
    // is its own (deliberate) wait and not what is measured here.
    const berth = berthFor(dir, { controllers: { stableAfterMs: 1000 } });
    const label = `berth.cluster=${name}`;
    const replacementsMs = [];
    const createStartMs = [];
    const events = (await docker.getEvents({ filters: { type: ['container'], label: [label] } }));
    try {
        await berth.start();
        const running = async () => (await docker.listContainers({ filters: { label: [label, 'berth.container=app'], status: ['running'] } }))[0];
        for (let round = 0; round < rounds; round++) {
            let target = await running();
            while (!target) {
                await new Promise((done) => setTimeout(done, 50));
                target = await running();
            }
            // Running stably first, so the kill is not a crash loop.
            await new Promise((done) => setTimeout(done, 1500));
            const died = nextEvent((event) => event.Action === 'die' && event.id === target.Id, events);
            const replaced = nextEvent((event) => event.Action === 'start' && event.id !== target.Id && event.Actor.Attributes['berth.container'] === 'app', events);
            await docker.getContainer(target.Id).kill();
            const [die, start] = await Promise.all([died, replaced]);
            replacementsMs.push((start.timeNano - die.timeNano) / 1e6);
            // The same work done by hand, in between, so that both meet the same load on the
            // engine: the network berth made for the cluster, the same image.
            const started = performance.now();
            const container = await docker.createContainer({
                name: `bench-${name}-${round}`,
                Image: IMAGE,
                Cmd: ['sleep', '3600'],
                Labels: { 'berth.bench': name },
                HostConfig: { NetworkMode: `berth-${name}`, Memory: 32 * MIB },
            });
            await container.start();
            createStartMs.push(performance.now() - started);
            await container.remove({ force: true });
        }
        return { replacementsMs, createStartMs };
    }
    finally {
        events.destroy();
        await berth.stop();
        const leftovers = await docker.listContainers({ all: true, filters: { label: [label] } });
        await Promise.all(leftovers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
        await docker.getNetwork(`berth-${name}`).remove().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
    }
}
// ---------------------------------------------------------------------------
// Parent
function child(args, env = {}) {
    const output = execFileSync(process.execPath, [...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), fileURLToPath(import.meta.url), '--child', ...args], {
        encoding: 'utf8',
        maxBuffer: 16 * MIB,
        cwd: ROOT,
        env: { ...process.env, ...env },
    });
    const last = output.trim().split('\n').pop() ?? '';
    return JSON.parse(last);
}
const goal = (met) => (met ? 'goal met' : 'GOAL NOT MET');
function reportIdle() {
    const windowMs = QUICK ? 20_000 : 65_000;
    const resyncMs = QUICK ? 10_000 : 30_000;
    const r = child(['idle', String(windowMs), String(resyncMs)]);
    console.log(`idle: ${r.manifests} manifests, nothing changing, ${(r.windowMs / 1000).toFixed(0)} s window with a resync every ${resyncMs / 1000} s (started in ${(r.startMs / 1000).toFixed(1)} s)`);
    console.log(`  baseline (same process, before the controller starts): ${r.baselineCpuPercent.toFixed(2)} % of a core`);
    console.log(`  controller:                                            ${r.cpuPercent.toFixed(2)} % of a core, RSS ${r.rssMiB.toFixed(0)} MiB`);
    console.log(`  goal < 1 % of a core: ${goal(r.cpuPercent < 1)}`);
}
function reportStartup() {
    const sizes = QUICK ? [500, 1000, 2000] : [2500, 5000, 10_000];
    console.log('startup: N task definition files; controller start → every status written, beside `berth validate` on the same directory');
    console.log(`${'files'.padStart(7)}${'berth s'.padStart(10)}${'ms/file'.padStart(9)}${'peak RSS'.padStart(10)}${'validate s'.padStart(12)}${'its RSS'.padStart(9)}${'time ×'.padStart(8)}${'statuses'.padStart(10)}`);
    let largest;
    for (const files of sizes) {
        const dir = mkdtempSync(join(tmpdir(), 'berth-bench-start-'));
        try {
            mkdirSync(dir, { recursive: true });
            writeTaskDefinitionFiles(dir, files);
            const validate = child(['validate', dir]);
            const r = child(['startup', dir]);
            largest = r;
            console.log(`${String(files).padStart(7)}${(r.ms / 1000).toFixed(2).padStart(10)}${(r.ms / files).toFixed(2).padStart(9)}${`${r.peakRssMiB.toFixed(0)} MiB`.padStart(10)}` +
                `${(validate.ms / 1000).toFixed(2).padStart(12)}${`${validate.peakRssMiB.toFixed(0)} MiB`.padStart(9)}${(r.ms / validate.ms).toFixed(1).padStart(8)}${String(r.statuses).padStart(10)}`);
        }
        finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }
    if (largest) {
        const limitMs = (10_000 * largest.files) / 10_000;
        console.log(`  goal at 10,000 files ≤ 10 s and ≤ 150 MB${largest.files === 10_000 ? '' : ` (quick run: scaled to ${largest.files} files, ≤ ${(limitMs / 1000).toFixed(1)} s)`}: ${goal(largest.ms <= limitMs && largest.peakRssMiB <= 150 && largest.statuses === largest.files)}`);
    }
}
function reportReplacement() {
    const rounds = 10;
    const r = child(['replacement', String(rounds)]);
    const replacement = median(r.replacementsMs);
    const createStart = median(r.createStartMs);
    console.log(`replacement: a running task's container killed → its replacement started (engine die → start), p50 of ${rounds}`);
    console.log(`  baseline (dockerode create+start, same engine, image, network): p50 ${createStart.toFixed(0)} ms`);
    console.log(`  berth:                                                          p50 ${replacement.toFixed(0)} ms (min ${Math.min(...r.replacementsMs).toFixed(0)}, max ${Math.max(...r.replacementsMs).toFixed(0)})`);
    console.log(`  ratio ${(replacement / createStart).toFixed(2)} ×; goal ≤ 1.5 ×: ${goal(replacement / createStart <= 1.5)}`);
}
async function runChild(args) {
    const [mode, ...rest] = args;
    let result;
    if (mode === 'idle')
        result = await measureIdle(Number(rest[0]), Number(rest[1]));
    else if (mode === 'startup')
        result = await measureStartup(rest[0]);
    else if (mode === 'validate')
        result = await measureValidate(rest[0]);
    else if (mode === 'replacement')
        result = await measureReplacement(Number(rest[0]));
    else
        throw new Error(`unknown part ${mode}`);
    process.stdout.write(`\n${JSON.stringify(result)}\n`);
    // The engine client keeps sockets alive; the measurement is done.
    process.exit(0);
}
if (process.argv[2] === '--child') {
    await runChild(process.argv.slice(3));
}
else {
    const parts = process.argv.slice(2);
    const all = parts.length === 0;
    if (all || parts.includes('replacement'))
        reportReplacement();
    if (all || parts.includes('startup'))
        reportStartup();
    if (all || parts.includes('idle'))
        reportIdle();
}
//# sourceMappingURL=pipeline.js.map