/**
 * Extra Docker engines for tests that need an engine to fail: a `dockerd` of the test's
 * own beside the default one (DESIGN.md, "Several engines on one machine"), which the
 * test may stop, restart or kill without disturbing the engine other test files share.
 *
 * Engine number N gets bridge br-eN (10.20N.0.1/24), address pool 10.21N.0.0/16, socket
 * /run/berth-eN.sock, data root /var/lib/berth-eN and exec root /run/berth-eN. Pick a
 * number no other test file uses, since test files run in parallel.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { after } from 'node:test';
import { ROOT } from './harness.js';

const run = promisify(execFile);

export interface ExtraEngineOptions {
  /** 1–9: picks the bridge, address pool, socket and directories. */
  readonly number: number;
  /** How long to wait for the engine to answer after a start. @default 60 s */
  readonly startTimeoutMs?: number;
  /** More dockerd arguments, such as ["--storage-driver", "btrfs"]. */
  readonly dockerdArgs?: readonly string[];
}

export interface ExtraEngine {
  readonly number: number;
  readonly socketPath: string;
  /** "unix:///run/berth-eN.sock", as a CapacityProvider's `host` or DOCKER_HOST. */
  readonly host: string;
  /** A client of this engine, with a request timeout so that a stopped engine fails fast. */
  readonly docker: Docker;
  /** Where the engine's own output goes. */
  readonly logFile: string;
  /** Starts dockerd and resolves once it answers, with that time (ms since the epoch). */
  start(): Promise<number>;
  /** Sends `signal` (SIGTERM: dockerd stops its containers and exits) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stop with SIGTERM, then start: resolves with the time the engine answered again. */
  restart(): Promise<number>;
  /** Whether the engine answers a ping now. */
  answers(): Promise<boolean>;
  /** Imports the local test images (berth/busybox:1, berth/httpd:1, berth/pause:1) into the engine. */
  importImages(): Promise<void>;
  /** Removes every container on the engine, stops it, and removes its bridge and FORWARD rule. */
  destroy(): Promise<void>;
}

/**
 * An extra engine for the suite being defined (call it where `testCluster` is called),
 * cleaned up after the suite whatever state a failing test left. It is not started yet:
 * `await engine.start()` and `await engine.importImages()` in a `before`.
 */
export function extraEngine(options: ExtraEngineOptions): ExtraEngine {
  const engine = makeExtraEngine(options);
  after(() => engine.destroy());
  return engine;
}

function makeExtraEngine(options: ExtraEngineOptions): ExtraEngine {
  const n = options.number;
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new Error(`extra engine number ${n}: use 1 to 9`);
  const bridge = `br-e${n}`;
  const pool = `10.21${n}.0.0/16`;
  const socketPath = `/run/berth-e${n}.sock`;
  const pidFile = `/run/berth-e${n}.pid`;
  const logFile = `/run/berth-e${n}.log`;
  const forwardRule = ['FORWARD', '-s', pool, '-d', pool, '-j', 'ACCEPT'];
  const docker = new Docker({ socketPath, timeout: 5000 });
  let daemon: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const answers = async () => {
    try {
      await docker.ping();
      return true;
    } catch {
      return false;
    }
  };

  const ensureNetworking = async () => {
    await run('ip', ['link', 'add', bridge, 'type', 'bridge']).catch(() => undefined); // left by an earlier run
    await run('ip', ['addr', 'add', `10.20${n}.0.1/24`, 'dev', bridge]).catch(() => undefined);
    await run('ip', ['link', 'set', bridge, 'up']);
    const present = await run('iptables', ['-C', ...forwardRule]).then(() => true, () => false);
    if (!present) await run('iptables', ['-I', ...forwardRule]);
  };

  /** A dockerd an earlier, crashed run left behind holds the socket and the data root. */
  const stopLeftoverDaemon = async () => {
    if (daemon || !existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (!pid) return;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    while (existsSync(`/proc/${pid}`)) await sleep(200);
  };

  const start = async () => {
    if (daemon) throw new Error(`extra engine ${n} is already running`);
    await stopLeftoverDaemon();
    await ensureNetworking();
    const defaultBridge = await defaultBridgeAddresses();
    const log = openSync(logFile, 'a');
    // --iptables=false: the default engine owns the host's NAT and FORWARD chains.
    // Never --bridge=none: it deletes the default engine's docker0.
    const child = spawn(
      'dockerd',
      [
        '--data-root', `/var/lib/berth-e${n}`,
        '--exec-root', `/run/berth-e${n}`,
        '-H', `unix://${socketPath}`,
        '--pidfile', pidFile,
        '-b', bridge,
        '--iptables=false',
        '--default-address-pool', `base=${pool},size=24`,
        ...(options.dockerdArgs ?? []),
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    daemon = child;
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void exited.then(() => {
      if (daemon === child) daemon = undefined;
    });
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`dockerd ${n} exited at start; see ${logFile}`);
      if (await answers()) {
        await restoreDefaultBridge(defaultBridge);
        return Date.now();
      }
      await sleep(100);
    }
    throw new Error(`dockerd ${n} did not answer within ${options.startTimeoutMs ?? 60_000} ms; see ${logFile}`);
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const child = daemon;
    if (!child) return;
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
async function defaultBridgeAddresses(): Promise<string[] | undefined> {
  try {
    const { stdout } = await run('ip', ['-j', 'addr', 'show', 'dev', 'docker0']);
    const [link] = JSON.parse(stdout) as Array<{ addr_info?: Array<{ family: string; local: string; prefixlen: number }> }>;
    return (link?.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);
  } catch {
    return undefined;
  }
}

async function restoreDefaultBridge(addresses: string[] | undefined): Promise<void> {
  if (addresses === undefined || (await defaultBridgeAddresses()) !== undefined) return;
  await run('ip', ['link', 'add', 'docker0', 'type', 'bridge']);
  for (const address of addresses) await run('ip', ['addr', 'add', address, 'dev', 'docker0']);
  await run('ip', ['link', 'set', 'docker0', 'up']);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
