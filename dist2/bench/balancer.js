/**
 * Benchmark: what the load balancer's HTTP listener costs. The same load (CONCURRENCY
 * clients, each with a kept-alive connection, one request after another, for WINDOW_MS)
 * goes straight to a target's port and then through a listener whose group holds that
 * one target. Prints requests/s of each, their ratio (goal ≥ 0.7), the p50/p99 latency
 * each way and what the listener adds, and the number of failed requests (goal 0).
 *
 * The target, the listener and the load run in three processes, so that none takes the
 * others' CPU time on its thread.
 *
 *   npm run build && node dist/bench/balancer.js
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../controller/clock.js';
import { Balancer } from '../controller/balancer/balancer.js';
import { targetGroupConfig } from '../controller/kinds/index.js';
import { silentLogger } from '../controller/log.js';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 5000);
/** A child process: `target` serves a small page; `listener <targetPort>` runs a Balancer in front of it. */
async function child(role, arg) {
    const process_ = fork(fileURLToPath(import.meta.url), [role, ...(arg ? [arg] : [])], { stdio: 'inherit' });
    const port = await new Promise((resolve, reject) => {
        process_.once('message', (message) => resolve(Number(message)));
        process_.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
    });
    return { port, process: process_ };
}
async function serveTarget() {
    const body = '<h1>berth</h1>\n';
    const server = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html', 'content-length': body.length }).end(body));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server.address().port;
}
async function serveListener(targetPort) {
    const balancer = new Balancer({ clock: systemClock, logger: silentLogger, onTargetGroupChange: () => undefined });
    const set = balancer.configureTargetGroup('bench', targetGroupConfig({ healthCheck: { healthyThresholdCount: 2 } }));
    balancer.registerTargets('bench', [{ id: 'target', address: '127.0.0.1', port: targetPort, service: 'bench' }]);
    await set.checkAll();
    await set.checkAll();
    const probe = http.createServer();
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = probe.address().port;
    await new Promise((resolve) => probe.close(resolve));
    const [state] = await balancer.applyLoadBalancer('bench', [{ port, protocol: 'HTTP', bindAddress: '127.0.0.1', forward: [{ name: 'bench', weight: 1 }] }]);
    if (state?.state !== 'active')
        throw new Error(`listener not bound: ${state?.reason}`);
    return port;
}
async function load(port) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const latencies = [];
    let failed = 0;
    const end = Date.now() + WINDOW_MS;
    const one = () => new Promise((resolve) => {
        const started = process.hrtime.bigint();
        const request = http.get({ host: '127.0.0.1', port, path: '/', agent }, (response) => {
            response.resume();
            response.on('end', () => {
                if (response.statusCode === 200)
                    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
                else
                    failed++;
                resolve();
            });
        });
        request.on('error', () => {
            failed++;
            resolve();
        });
    });
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < end)
            await one();
    }));
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    return { requestsPerSecond: latencies.length / (WINDOW_MS / 1000), p50Ms: at(0.5), p99Ms: at(0.99), failed };
}
async function main() {
    const target = await child('target');
    const listener = await child('listener', String(target.port));
    try {
        const direct = await load(target.port);
        const through = await load(listener.port);
        const ratio = through.requestsPerSecond / direct.requestsPerSecond;
        console.log(`HTTP listener, ${CONCURRENCY} kept-alive clients, ${WINDOW_MS / 1000} s each way`);
        console.log(`  straight to the target : ${direct.requestsPerSecond.toFixed(0)} req/s, p50 ${direct.p50Ms.toFixed(2)} ms, p99 ${direct.p99Ms.toFixed(2)} ms, failed ${direct.failed}`);
        console.log(`  through the listener   : ${through.requestsPerSecond.toFixed(0)} req/s, p50 ${through.p50Ms.toFixed(2)} ms, p99 ${through.p99Ms.toFixed(2)} ms, failed ${through.failed}`);
        console.log(`  ratio ${ratio.toFixed(2)} (goal ≥ 0.7), p99 added ${(through.p99Ms - direct.p99Ms).toFixed(2)} ms, failed ${through.failed} (goal 0)`);
    }
    finally {
        target.process.kill();
        listener.process.kill();
    }
}
const [role, arg] = process.argv.slice(2);
if (role === 'target')
    process.send(await serveTarget());
else if (role === 'listener')
    process.send(await serveListener(Number(arg)));
else
    await main();
//# sourceMappingURL=balancer.js.map