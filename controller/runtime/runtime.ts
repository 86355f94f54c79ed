import type { Observable } from 'rxjs';

/**
 * The narrow interface between berth and a container engine. Two implementations:
 * `DockerRuntime` (dockerode, one per engine) and `MemoryRuntime` (unit tests and
 * scale simulations). One contract suite (test/runtime.contract.ts) runs against both.
 *
 * Every container berth creates carries the labels in `labels.ts`; `list` and
 * `events` only ever report containers carrying `berth.managed=true`, so nothing
 * else on an engine can be touched by mistake.
 */
export interface Runtime {
  /** A stable name for the engine, used in status and logs (e.g. "local", "unix:///var/run/docker.sock"). */
  readonly engine: string;

  /** Resolves when the engine answers; rejects with a clear message otherwise. */
  ping(): Promise<EngineInfo>;

  /** Berth-managed containers whose labels include every pair in `labels` (all managed ones when empty). */
  list(labels?: Readonly<Record<string, string>>): Promise<ObservedContainer[]>;

  /** One container by id; undefined when it no longer exists or is not berth-managed. */
  inspect(id: string): Promise<ObservedContainer | undefined>;

  /** Creates (does not start) a container; resolves with its id. `spec.labels` must carry berth.managed=true. */
  create(spec: ContainerSpec): Promise<string>;

  start(id: string): Promise<void>;

  /** SIGTERM (or `signal`), then SIGKILL after `timeoutSeconds`. Stopping a stopped container is not an error. */
  stop(id: string, options: { timeoutSeconds: number }): Promise<void>;

  /** Removes a container (forcibly if running). Removing a missing container is not an error. */
  remove(id: string): Promise<void>;

  /** True when the image is present on the engine. */
  hasImage(ref: string): Promise<boolean>;

  /** Pulls an image; rejects with the engine's message when it cannot. */
  pull(ref: string): Promise<void>;

  /** Creates a user-defined bridge network if absent. Idempotent. */
  ensureNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void>;

  /**
   * Lifecycle events of berth-managed containers. Hot; the real engine's stream is
   * re-subscribed with capped backoff when it ends, and a `{ type: 'resync' }` is
   * emitted after every (re)connect so observers relist what they may have missed.
   */
  events(): Observable<RuntimeEvent>;

  /**
   * The IPv4 gateway of a network: the host's own address on it, so a server on the
   * host is reachable from the network's containers at this address. Undefined for a
   * network without one (host, none) and for a missing network.
   */
  networkGateway(name: string): Promise<string | undefined>;

  /**
   * Everything the task metadata endpoint reports of a container (inspect, plus image
   * id, networks, limits, log driver, health). Always read afresh, never cached: health
   * changes while the state does not. Undefined when gone or not berth-managed.
   */
  describe(id: string): Promise<ContainerDescription | undefined>;

  /**
   * One sample of the engine's resource statistics, in Docker's own JSON (what
   * `GET /containers/{id}/stats?stream=false` answers). Undefined when the container
   * is gone or not berth-managed.
   */
  stats(id: string): Promise<Record<string, unknown> | undefined>;

  /** Releases sockets and timers. */
  close(): Promise<void>;
}

export interface EngineInfo {
  engine: string;
  version: string;
  cpus: number;
  memoryBytes: number;
}

export interface PortBinding {
  containerPort: number;
  /** 0 asks the engine for a free host port. */
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

export interface ContainerSpec {
  /** Docker container name; unique per engine. */
  name: string;
  image: string;
  /** Docker Cmd (ECS command). */
  command?: string[];
  /** Docker Entrypoint (ECS entryPoint). */
  entryPoint?: string[];
  env: Readonly<Record<string, string>>;
  labels: Readonly<Record<string, string>>;
  ports: PortBinding[];
  /** CpuShares (ECS cpu units). */
  cpuShares?: number;
  /** Hard limit in bytes (ECS memory). */
  memoryBytes?: number;
  /** Soft limit in bytes (ECS memoryReservation). */
  memoryReservationBytes?: number;
  /** bridge network name, or 'host' / 'none'. */
  network: string;
  /** DNS aliases on `network` (bridge networks only). */
  networkAliases?: string[];
  hostname?: string;
  user?: string;
  workingDir?: string;
  /** Kernel, security and terminal settings (ECS privileged, linuxParameters, ulimits, ...). */
  settings?: ContainerSettings;
}

/** Docker HostConfig and Config settings, in Docker's units. */
export interface ContainerSettings {
  privileged?: boolean;
  readonlyRootfs?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  /** Runs an init process as PID 1 that forwards signals and reaps zombies. */
  init?: boolean;
  shmSizeBytes?: number;
  /** Mount path → tmpfs options ("size=64m,noexec"). */
  tmpfs?: Record<string, string>;
  devices?: Array<{ hostPath: string; containerPath: string; permissions: string }>;
  /** Memory plus swap, in bytes (Docker MemorySwap). */
  memorySwapBytes?: number;
  memorySwappiness?: number;
  ulimits?: Array<{ name: string; soft: number; hard: number }>;
  /** "hostname:ip" */
  extraHosts?: string[];
  dns?: string[];
  dnsSearch?: string[];
  sysctls?: Record<string, string>;
  securityOpt?: string[];
  tty?: boolean;
  openStdin?: boolean;
  networkDisabled?: boolean;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ObservedContainer {
  id: string;
  name: string;
  image: string;
  labels: Readonly<Record<string, string>>;
  state: ContainerState;
  /** ISO timestamps; absent when the engine reports none (never started / not finished). */
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  oomKilled?: boolean;
  /** The engine's error for a container that failed to start. */
  error?: string;
  /** Host ports actually bound (after a dynamic host port was chosen). */
  ports: Array<{ containerPort: number; hostPort: number; protocol: 'tcp' | 'udp'; hostIp: string }>;
}

/** A container as the task metadata endpoint shows it. */
export interface ContainerDescription extends ObservedContainer {
  /** "sha256:..." of the image the container was created from. */
  imageId: string;
  /** Docker's network mode: a network name, "host", "none" or "container:<id>". */
  networkMode: string;
  /** Networks the container is attached to, with its address once it runs. */
  networks: ContainerNetwork[];
  /** Docker CpuShares; 0 when the engine's default applies. */
  cpuShares: number;
  /** Hard memory limit in bytes; 0 when unlimited. */
  memoryBytes: number;
  logDriver: string;
  logOptions: Readonly<Record<string, string>>;
  /** Only for containers with a health check. */
  health?: ContainerHealth;
}

export interface ContainerNetwork {
  name: string;
  /** Absent while the container is not running. */
  ipv4Address?: string;
  ipv4PrefixLength?: number;
  gateway?: string;
  macAddress?: string;
}

export interface ContainerHealth {
  status: 'starting' | 'healthy' | 'unhealthy';
  /** When the latest check finished. */
  since?: string;
  /** Of the latest check. */
  exitCode?: number;
  output?: string;
}

export type RuntimeEvent =
  | {
      type: 'container';
      /** The engine's action: create, start, kill, die, oom, stop, destroy, ... */
      action: string;
      id: string;
      labels: Readonly<Record<string, string>>;
      /** On `die` only. Informational (logs, tests): truth is re-read with inspect. */
      exitCode?: number;
    }
  | { type: 'resync' };

/**
 * A call the engine refused or could not answer. The message names the engine, the
 * operation and the engine's own text; `statusCode` lets callers tell a missing
 * container (404) or a name conflict (409) from an engine that is down (undefined).
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly engine: string;
  readonly operation: string;
  /** The engine's HTTP status; undefined when it did not answer at all. */
  readonly statusCode: number | undefined;
  /** The engine's own text, without berth's prefix. */
  readonly engineMessage: string;

  constructor(options: { engine: string; operation: string; engineMessage: string; statusCode?: number; cause?: unknown }) {
    super(`engine ${options.engine}: ${options.operation}: ${options.engineMessage}`, { cause: options.cause });
    this.engine = options.engine;
    this.operation = options.operation;
    this.statusCode = options.statusCode;
    this.engineMessage = options.engineMessage;
  }
}
