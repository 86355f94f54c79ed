/**
 * Extra Docker engines for tests that need an engine to fail: a `dockerd` of the test's
 * own beside the default one (DESIGN.md, "Several engines on one machine"), which the
 * test may stop, restart or kill without disturbing the engine other test files share.
 *
 * Engine number N gets bridge br-eN (10.20N.0.1/24), address pool 10.21N.0.0/16, socket
 * /run/berth-eN.sock, data root /var/lib/berth-eN and exec root /run/berth-eN. Pick a
 * number no other test file uses, since test files run in parallel.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { after } from 'node:test';
import { ROOT } from './harness.js';
const run = promisify(execFile);
/**
 * An extra engine for the suite being defined (call it where `testCluster` is called),
 * cleaned up after the suite whatever state a failing test left. It is not started yet:
 * `await engine.start()` and `await engine.importImages()` in a `before`.
 */
export function extraEngine(options) {
    const engine = makeExtraEngine(options);
    after(() => engine.destroy());
    return engine;
}
function makeExtraEngine(options) {
    const n = options.number;
    if (!Number.isInteger(n) || n < 1 || n > 9)
        throw new Error(`extra engine number ${n}: use 1 to 9`);
    const bridge = `br-e${n}`;
    const pool = `10.21${n}.0.0/16`;
    const socketPath = `/run/berth-e${n}.sock`;
    const pidFile = `/run/berth-e${n}.pid`;
    const logFile = `/run/berth-e${n}.log`;
    const forwardRule = ['FORWARD', '-s', pool, '-d', pool, '-j', 'ACCEPT'];
    const docker = new Docker({ socketPath, timeout: 5000 });
    let daemon;
    let exited = Promise.resolve();
    const answers = async () => {
        try {
            await docker.ping();
            return true;
        }
        catch {
            return false;
        }
    };
    const ensureNetworking = async () => {
        await run('ip', ['link', 'add', bridge, 'type', 'bridge']).catch(() => undefined); // left by an earlier run
        await run('ip', ['addr', 'add', `10.20${n}.0.1/24`, 'dev', bridge]).catch(() => undefined);
        await run('ip', ['link', 'set', bridge, 'up']);
        const present = await run('iptables', ['-C', ...forwardRule]).then(() => true, () => false);
        if (!present)
            await run('iptables', ['-I', ...forwardRule]);
    };
    /** A dockerd an earlier, crashed run left behind holds the socket and the data root. */
    const stopLeftoverDaemon = async () => {
        if (daemon || !existsSync(pidFile))
            return;
        const pid = Number(readFileSync(pidFile, 'utf8').trim());
        if (!pid)
            return;
        try {
            process.kill(pid, 'SIGTERM');
        }
        catch {
            return;
        }
        while (existsSync(`/proc/${pid}`))
            await sleep(200);
    };
    const start = async () => {
        if (daemon)
            throw new Error(`extra engine ${n} is already running`);
        await stopLeftoverDaemon();
        await ensureNetworking();
        const defaultBridge = await defaultBridgeAddresses();
        const log = openSync(logFile, 'a');
        // --iptables=false: the default engine owns the host's NAT and FORWARD chains.
        // Never --bridge=none: it deletes the default engine's docker0.
        const child = spawn('dockerd', [
            '--data-root', `/var/lib/berth-e${n}`,
            '--exec-root', `/run/berth-e${n}`,
            '-H', `unix://${socketPath}`,
            '--pidfile', pidFile,
            '-b', bridge,
            '--iptables=false',
            '--default-address-pool', `base=${pool},size=24`,
            ...(options.dockerdArgs ?? []),
        ], { stdio: ['ignore', log, log] });
        closeSync(log);
        daemon = child;
        exited = new Promise((resolve) => child.once('exit', () => resolve()));
        void exited.then(() => {
            if (daemon === child)
                daemon = undefined;
        });
        const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
        while (Date.now() < deadline) {
            if (child.exitCode !== null || child.signalCode !== null)
                throw new Error(`dockerd ${n} exited at start; see ${logFile}`);
            if (await answers()) {
                await restoreDefaultBridge(defaultBridge);
                return Date.now();
            }
            await sleep(100);
        }
        throw new Error(`dockerd ${n} did not answer within ${options.startTimeoutMs ?? 60_000} ms; see ${logFile}`);
    };
    const stop = async (signal = 'SIGTERM') => {
        const child = daemon;
        if (!child)
            return;
        child.kill(signal);
        await exited;
        daemon = undefined;
    };
    return {
        number: n,
        socketPath,
        host: `unix://${socketPath}`,
        docker,
        logFile,
        start,
        stop,
        async restart() {
            await stop('SIGTERM');
            return start();
        },
        answers,
        async importImages() {
            await run('bash', [`${ROOT}/scripts/build-images.sh`], { env: { ...process.env, DOCKER_HOST: `unix://${socketPath}` } });
        },
        async destroy() {
            if (daemon && (await answers())) {
                const containers = await docker.listContainers({ all: true }).catch(() => []);
                await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
            }
            await stop('SIGTERM');
            await run('iptables', ['-D', ...forwardRule]).catch(() => undefined);
            await run('ip', ['link', 'delete', bridge]).catch(() => undefined);
        },
    };
}
/**
 * The default engine's bridge, docker0, and its addresses (undefined when there is none).
 * A dockerd started with --default-address-pool and without live-restore that finds a
 * "bridge" network of an earlier run in its data root removes the interface named docker0
 * while clearing it, whatever its own -b says: every restart of an extra engine deletes
 * the default engine's bridge, and containers on the default bridge then fail to start
 * ("could not find bridge docker0"). So the bridge is put back as it was.
 */
async function defaultBridgeAddresses() {
    try {
        const { stdout } = await run('ip', ['-j', 'addr', 'show', 'dev', 'docker0']);
        const [link] = JSON.parse(stdout);
        return (link?.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);
    }
    catch {
        return undefined;
    }
}
async function restoreDefaultBridge(addresses) {
    if (addresses === undefined || (await defaultBridgeAddresses()) !== undefined)
        return;
    await run('ip', ['link', 'add', 'docker0', 'type', 'bridge']);
    for (const address of addresses)
        await run('ip', ['addr', 'add', address, 'dev', 'docker0']);
    await run('ip', ['link', 'set', 'docker0', 'up']);
}
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
//# sourceMappingURL=engines.js.map