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

  /**
   * Berth-managed containers whose labels include every pair in `labels` (all managed ones
   * when empty), each inspected. Controllers never call it: they read the observer's cache
   * (observer/engineCache.ts), which lists once and then follows events.
   */
  list(labels?: Readonly<Record<string, string>>): Promise<ObservedContainer[]>;

  /**
   * Berth-managed containers as the engine's own list shows them, none inspected: one cheap
   * call. The observer compares them with what it holds and inspects only those that changed.
   */
  listSummaries(labels?: Readonly<Record<string, string>>): Promise<ContainerSummary[]>;

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

  /**
   * Pulls an image; rejects with the engine's message when it cannot. `auth` is the login
   * for the image's registry (ECS repositoryCredentials); it is handed to the engine only.
   */
  pull(ref: string, auth?: RegistryLogin): Promise<void>;

  /** Creates a user-defined bridge network if absent. Idempotent. */
  ensureNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void>;

  /**
   * Creates a named volume if absent. Idempotent: an existing volume of that name is
   * kept as it is (its driver, options and labels are not compared).
   */
  ensureVolume(name: string, options: VolumeOptions): Promise<void>;

  /** True when a volume of that name exists, berth-managed or not. */
  hasVolume(name: string): Promise<boolean>;

  /**
   * Makes a directory inside an existing `local` volume exist (created with `owner` when
   * it is new) and resolves with its path on the engine's host, for a bind mount. It runs
   * a short-lived helper container of `image` that mounts the volume; a path part that is
   * a symbolic link or no directory is refused, so the path stays inside the volume.
   */
  prepareVolumeDirectory(volume: string, request: VolumeDirectoryRequest): Promise<string>;

  /**
   * Removes a volume. Removing a missing one is not an error; one still used by a
   * container (running or not) rejects with 409, as Docker does.
   */
  removeVolume(name: string): Promise<void>;

  /** Berth-managed volumes (berth.managed=true) whose labels include every pair in `labels`. */
  listVolumes(labels?: Readonly<Record<string, string>>): Promise<ObservedVolume[]>;

  /**
   * Lifecycle events of berth-managed containers. Hot; the real engine's stream is
   * re-subscribed with capped backoff when it ends, and a `{ type: 'resync' }` is
   * emitted after every (re)connect so observers relist what they may have missed.
   * `unreachable` and `reachable` bracket a time the engine did not answer (it
   * restarted, its host went away), for every owner alike.
   */
  events(): Observable<RuntimeEvent>;

  /**
   * The container's output, a line at a time, oldest first, with the engine's own
   * timestamp of each line. Without `follow` it completes after the lines written so
   * far; with `follow` it completes when the container has stopped and everything it
   * wrote was delivered. Errors with an EngineError: 404 for a missing container, and
   * the engine's refusal for a log driver it cannot read back (`none`).
   */
  logs(id: string, options: LogOptions): Observable<LogLine>;

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

  /**
   * Host ports held by the engine's running containers, berth-managed or not: ports they
   * publish, and the ports berth's host-network containers declare in their
   * `berth.host-ports` label (Docker reports no bindings in host mode). Reading this
   * list touches no container; it is how a fixed hostPort is checked before a launch.
   */
  hostPortsInUse(): Promise<HostPortInUse[]>;

  /** Releases sockets and timers. */
  close(): Promise<void>;
}

/** A registry login for one pull. Never logged, never part of an error message. */
export interface RegistryLogin {
  username: string;
  password: string;
}

export interface LogOptions {
  /** Keep delivering new lines until the container stops. */
  follow: boolean;
  /** Only lines written at or after this time: unix seconds, fractions down to nanoseconds. */
  since?: number;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /**
   * The engine's timestamp, ISO 8601 in UTC with exactly nine fractional digits
   * ("2025-01-01T10:00:00.123456789Z"), so that times compare as strings.
   */
  time: string;
  /** The text without its line ending. */
  line: string;
}

/** A Docker log driver and its options (HostConfig.LogConfig). */
export interface LogDriverConfig {
  /** json-file, local, syslog, journald, gelf, fluentd, splunk, logentries, none */
  type: string;
  options: Readonly<Record<string, string>>;
}

export interface EngineInfo {
  engine: string;
  version: string;
  cpus: number;
  memoryBytes: number;
  /** `docker info` OSType (`linux`, `windows`); absent when the engine does not say. */
  operatingSystem?: string;
  /** `docker info` Architecture (`x86_64`, `aarch64`); absent when the engine does not say. */
  architecture?: string;
  /** `docker info` Driver, the storage driver (`overlay2`, `btrfs`, `zfs`); absent when the engine does not say. */
  storageDriver?: string;
  /** `docker info` DriverStatus "Backing Filesystem" (`extfs`, `xfs`); absent when the driver does not say. */
  backingFilesystem?: string;
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
  /** A hard CPU cap in billionths of a CPU (Docker NanoCpus): the task-level cpu. */
  nanoCpus?: number;
  /** Hard limit in bytes (ECS memory). */
  memoryBytes?: number;
  /** Soft limit in bytes (ECS memoryReservation). */
  memoryReservationBytes?: number;
  /** bridge network name, 'host', 'none', or 'container:<name>' to join another container's network namespace. */
  network: string;
  /** DNS aliases on `network` (bridge networks only). */
  networkAliases?: string[];
  /**
   * Docker links, "<docker name>:<alias>": on a user-defined network each is a DNS name
   * only this container resolves (ECS links; containers of a bridge task find each other
   * by container name this way). The linked container need not exist yet at create.
   */
  links?: string[];
  hostname?: string;
  user?: string;
  workingDir?: string;
  /** Kernel, security and terminal settings (ECS privileged, linuxParameters, ulimits, ...). */
  settings?: ContainerSettings;
  /** The engine's health check (ECS healthCheck). */
  healthCheck?: HealthCheckSpec;
  /** Host directories and named volumes mounted into the container (ECS mountPoints). */
  mounts?: Mount[];
  /** Containers whose volumes this one mounts too, by Docker name (ECS volumesFrom). */
  volumesFrom?: VolumesFrom[];
  /** The log driver; absent: the engine's default driver. */
  logDriver?: LogDriverConfig;
  /**
   * The most the container's writable layer may hold, in bytes (Docker StorageOpt size;
   * ECS ephemeralStorage). Only a storage driver that can limit it accepts it (overlay2 on
   * xfs mounted with pquota, btrfs, zfs, devicemapper); any other refuses the create, naming
   * --storage-opt. See storageLimit.ts for how berth learns which engines can.
   */
  writableLayerBytes?: number;
}

/**
 * A bind mount of a host path, or a named volume. A bind source that does not exist
 * yet is created as a directory by the engine, as `docker run -v` does.
 */
export interface Mount {
  type: 'bind' | 'volume';
  /** Host path (bind) or volume name (volume). */
  source: string;
  /** Path inside the container. */
  target: string;
  readOnly: boolean;
}

export interface VolumesFrom {
  /** Docker name of the container whose volumes are mounted. It must exist at create. */
  container: string;
  readOnly: boolean;
}

export interface VolumeDirectoryRequest {
  /** Inside the volume, in normalizeEfsDirectory's form: "/a/b". */
  path: string;
  /** Image of the helper container; it needs sh, mkdir, chown and chmod. */
  image: string;
  /** Owner and octal permissions given to the directory when it is created (not when it exists). @default root, 0755 */
  owner?: { uid: number; gid: number; permissions: string };
}

export interface VolumeOptions {
  /** @default "local" */
  driver?: string;
  driverOpts?: Readonly<Record<string, string>>;
  labels: Readonly<Record<string, string>>;
}

export interface ObservedVolume {
  name: string;
  driver: string;
  labels: Readonly<Record<string, string>>;
}

/** Docker's HEALTHCHECK, in seconds. `test` is ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]. */
export interface HealthCheckSpec {
  test: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  startPeriodSeconds: number;
}

/** The engine's view of a container's health check; absent when it has none. */
export type ContainerHealth = 'starting' | 'healthy' | 'unhealthy';

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
  /** Docker PidMode: "host", or "container:<name>" to share that container's PID namespace (ECS pidMode). */
  pidMode?: string;
  /** Docker IpcMode: "host", "none", "shareable" (others may join), or "container:<name>" (ECS ipcMode). */
  ipcMode?: string;
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
  /** Set only for a container with a health check. */
  health?: ContainerHealth;
  /** Host ports actually bound (after a dynamic host port was chosen). */
  ports: Array<{ containerPort: number; hostPort: number; protocol: 'tcp' | 'udp'; hostIp: string }>;
  /**
   * The container's IPv4 address on each network it is attached to, while it runs
   * (network name → address). Empty for host, none and shared network namespaces.
   */
  addresses?: Readonly<Record<string, string>>;
}

/** A container as the engine's list shows it: enough to tell whether it changed since it was inspected. */
export type ContainerSummary = Pick<ObservedContainer, 'id' | 'labels' | 'state' | 'health'>;

/** A host port some running container on the engine holds, berth's or anyone's. */
export interface HostPortInUse {
  hostPort: number;
  protocol: 'tcp' | 'udp';
  /** The Docker name of the container holding it. */
  holder: string;
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
  /** The latest health check's detail; only for containers with a health check. */
  healthDetail?: HealthDetail;
}

export interface ContainerNetwork {
  name: string;
  /** Absent while the container is not running. */
  ipv4Address?: string;
  ipv4PrefixLength?: number;
  gateway?: string;
  macAddress?: string;
}

export interface HealthDetail {
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
  | { type: 'resync' }
  /**
   * The engine stopped answering: a call or the events stream failed to connect. Emitted
   * once per outage, with the time of the first failure (ms since the epoch).
   */
  | { type: 'unreachable'; since: number; reason: string }
  /** The engine answers again after `unreachable`; `since` is when it stopped answering. */
  | { type: 'reachable'; since: number; at: number };

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
  /** The engine could not be reached at all (connection refused, socket gone, connection reset). */
  readonly unreachable: boolean;

  constructor(options: { engine: string; operation: string; engineMessage: string; statusCode?: number; cause?: unknown; unreachable?: boolean }) {
    super(`engine ${options.engine}: ${options.operation}: ${options.engineMessage}`, { cause: options.cause });
    this.engine = options.engine;
    this.operation = options.operation;
    this.statusCode = options.statusCode;
    this.engineMessage = options.engineMessage;
    this.unreachable = options.unreachable === true;
  }
}

/**
 * Whether `error`, or an error it was caused by, says the engine could not be reached:
 * the engine's absence, not anything the task did.
 */
export function isEngineUnreachable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    if (current instanceof EngineError && current.unreachable) return true;
  }
  return false;
}
