import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Subscription } from 'rxjs';
import { systemClock, type Clock } from '../clock.js';
import { CapacityProviderController } from '../controllers/capacityprovider/controller.js';
import { ClusterController } from '../controllers/cluster/controller.js';
import { LoadBalancerController } from '../controllers/loadbalancer/controller.js';
import { TargetGroupController } from '../controllers/targetgroup/controller.js';
import { Balancer } from '../balancer/balancer.js';
import type { ControllerContext, ControllerOptions, StatusSink } from '../controllers/context.js';
import { Ledger } from '../state/ledger.js';
import { WorkQueue } from './queue.js';
import { Dispatcher } from './worker.js';
import { Executor } from '../executor/executor.js';
import { RetirementController } from '../controllers/retirement/controller.js';
import { ServiceController } from '../controllers/service/controller.js';
import { DEFAULT_SERVICE_PLAN_OPTIONS } from '../controllers/service/plan.js';
import { DEFAULT_PAUSE_IMAGE } from '../taskspec/containerSpecs.js';
import { TaskController } from '../controllers/task/controller.js';
import { DEFAULT_TASK_RETENTION_MS } from '../controllers/task/plan.js';
import { TaskDefinitionController } from '../controllers/taskdefinition/controller.js';
import { TaskDefinitionRegistry } from '../store/registry.js';
import { EnginePool, LOCAL_PROVIDER, engineAddress, type EngineEvent, type RuntimeFactory } from '../engines.js';
import type { Logger } from '../log.js';
import { ControllerHealth, DEFAULT_HEALTH_ADDRESS, HealthServer } from '../health.js';
import { LogCollector } from '../logstore/collector.js';
import { LogStore } from '../logstore/store.js';
import { engineTaskLookup } from './taskLookup.js';
import { DEFAULT_METADATA_ADDRESS, MetadataServer, parseListenAddress } from '../metadata/server.js';
import { listenOnTaskNetworks } from './taskNetworks.js';
import { EndpointTokens, loadOrCreateKey } from '../metadata/tokens.js';
import { CredentialsTokens } from '../metadata/credentials.js';
import { readRoleCredentials } from '../secrets/roles.js';
import { DockerRuntime } from '../runtime/docker/client.js';
import { SecretsProvider } from '../secrets/index.js';
import { LABEL } from '../runtime/labels.js';
import { OwnedRuntime } from '../runtime/owned.js';
import { ObservedEngine } from '../observer/engineCache.js';
import { observedContainers, relistedContainers } from '../observer/query.js';
import { StateStore } from '../state/stateStore.js';
import { guardedObserver } from '../streams.js';
import { StatusWriter } from '../status/writer.js';
import { ManifestStore, type SpecMemory, type StoredResource } from '../store/store.js';
import { errorMessage } from '../errors.js';
import { key } from '../keys.js';
import { assignLoopbackAddress, ECS_CREDENTIALS_PORT } from '../metadata/ecsCredentialsAddress.js';

export interface BerthOptions {
  manifestsDir: string;
  /** @default <manifestsDir>/.berth */
  stateDir?: string;
  /** Write status here instead of into the manifest files. */
  statusDir?: string;
  logger: Logger;
  clock?: Clock;
  /** How the runtime of a capacity provider is made. @default DockerRuntime */
  runtimeFactory?: RuntimeFactory;
  /** Full re-read of files and engines. @default 30000 */
  resyncIntervalMs?: number;
  /** Keys reconciled at once. @default 8 */
  workers?: number;
  controllers?: Partial<ControllerOptions>;
  /**
   * Whose containers these are: several controllers may share an engine, each seeing only
   * its own tasks. @default derived from the manifests directory's absolute path
   */
  owner?: string;
  /** One file per secret (ECS secrets, S3 environment files, registry logins); see controller/secrets. */
  secretsDir?: string;
  /** Read manifests through symbolic links that resolve outside manifestsDir. @default false */
  followExternalSymlinks?: boolean;
  /** Where BERTH_SECRET_<NAME> variables are read. @default process.env */
  secretsEnv?: Readonly<Record<string, string | undefined>>;
  /**
   * Where the task metadata endpoint listens ("HOST:PORT"), or false for none. Given
   * explicitly, an address in use fails the start.
   * @default 0.0.0.0:51679, or a free port when another controller on this host holds it
   */
  metadataAddress?: string | false;
  /**
   * Serve task role credentials at 169.254.170.2:80 too (the address is added to `lo`),
   * so that bridge and awsvpc tasks get AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, which AWS
   * SDKs read; false leaves them a FULL_URI on their gateway. The command line turns it on
   * by default; embedding code (and the in-memory tests) leaves the host's addresses alone
   * unless asked.
   * @default false
   */
  credentialsEndpoint?: string | false;
  /**
   * Where the health endpoint (/healthz, /readyz) listens ("HOST:PORT"), or false for none.
   * Given explicitly, an address in use fails the start.
   * @default 127.0.0.1:9780, or a free port when another controller on this host holds it
   */
  healthAddress?: string | false;
  /** Custom status sink (tests); default is the file status writer. */
  status?: StatusSink & { flush?(): Promise<void>; close?(): void };
  /**
   * A resource whose file (or document) goes missing is removed only after it stayed
   * missing this long; one that comes back within it changes nothing. @default 5000
   */
  removalSettleMs?: number;
  /** Let an emptied or missing manifests directory stop everything; otherwise berth holds. @default false */
  allowEmpty?: boolean;
  /** The log store (`berth logs`); false turns collecting off. @default on, with the defaults of LogsOptions */
  logs?: LogsOptions | false;
}

export interface LogsOptions {
  /** Logs of tasks stopped longer ago than this are deleted. @default 7 days */
  retentionMs?: number;
  /** Per container; the older half is dropped when it is reached. @default 10 MiB */
  maxBytes?: number;
  /** How often the retention sweep runs. @default 10 minutes */
  sweepIntervalMs?: number;
}

/** A controller's default owner label: its manifests directory, so a restart adopts what it ran. */
export function defaultOwner(manifestsDir: string): string {
  return `dir-${createHash('sha256').update(resolve(manifestsDir)).digest('hex').slice(0, 12)}`;
}

/** Last valid specs in the state directory: a file left invalid across a restart keeps serving them. */
function specMemory(state: StateStore): SpecMemory {
  const RECORD = 'last-valid-specs';
  const specs = state.load<Record<string, StoredResource>>(RECORD, {});
  // Asked once per file read: an index, not a scan of every spec (quadratic at start-up).
  const keysByFile = new Map<string, Set<string>>();
  const index = (key: string, file: string | undefined, add: boolean) => {
    if (file === undefined) return;
    const keys = keysByFile.get(file) ?? new Set<string>();
    if (add) keys.add(key);
    else keys.delete(key);
    if (keys.size > 0) keysByFile.set(file, keys);
    else keysByFile.delete(file);
  };
  for (const [key, resource] of Object.entries(specs)) index(key, resource.file, true);
  return {
    recall: (key) => specs[key],
    keysOf: (file) => [...(keysByFile.get(file) ?? [])],
    keep: (key, resource) => {
      if (specs[key]?.specHash === resource.specHash && specs[key]?.file === resource.file) return;
      index(key, specs[key]?.file, false);
      specs[key] = { ...resource, errors: [] };
      index(key, resource.file, true);
      state.save(RECORD, specs);
    },
    forget: (key) => {
      if (!(key in specs)) return;
      index(key, specs[key]?.file, false);
      delete specs[key];
      state.save(RECORD, specs);
    },
  };
}

/**
 * The status writer's temp files and backup links (".name.xxxx.berth-tmp") are
 * removed when it finishes; a crash can leave some behind. They are only ever
 * extra names, never the manifest itself, so removing them loses nothing.
 */
async function removeLeftoverTempFiles(dir: string, logger: Logger): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.startsWith('.') || !entry.name.endsWith('.berth-tmp')) continue;
    const path = join(entry.parentPath, entry.name);
    await rm(path, { force: true });
    logger.info({ file: path }, 'removed a temp file left by an earlier run');
  }
}

/** The controller's last health snapshot in the state directory, for `berth get`. */
export const HEALTH_RECORD = 'controller-health';

export const DEFAULT_CONTROLLER_OPTIONS: ControllerOptions = {
  service: DEFAULT_SERVICE_PLAN_OPTIONS,
  stableAfterMs: 30_000,
  keepStoppedContainers: 5,
  stoppedContainerRetentionMs: 3_600_000,
  taskRetentionMs: DEFAULT_TASK_RETENTION_MS,
  statusStoppedTasks: 5,
  statusEvents: 10,
  pauseImage: DEFAULT_PAUSE_IMAGE,
  placementRetryMs: 5000,
};

export const dockerRuntimeFactory: RuntimeFactory = ({ engine, logger }) =>
  new DockerRuntime({ engine: engineAddress(engine), ...(engine?.socketPath ? { socketPath: engine.socketPath } : {}), ...(engine?.host ? { host: engine.host } : {}), logger });

/**
 * The controller process: the store and the engines feed keys into one work queue;
 * workers hand each key to the controller of its kind.
 */
export class Berth {
  readonly store: ManifestStore;
  readonly engines: EnginePool;
  readonly queue: WorkQueue;
  readonly services: ServiceController;
  readonly tasks: TaskController;
  readonly owner: string;
  /** The load balancer's data plane: listeners and target groups; its TargetHealth is what deployments read. */
  readonly balancer: Balancer;
  private readonly retirement: RetirementController;
  /** What is wrong with the controller itself (full disk, held deletions...): /readyz, the log, berth get. */
  readonly health: ControllerHealth;
  /** The health endpoint; undefined when turned off. */
  readonly healthServer: HealthServer | undefined;
  /** The task metadata endpoint; undefined when turned off. */
  readonly metadata: MetadataServer | undefined;
  private readonly state: StateStore;
  private readonly logCollector: LogCollector | undefined;
  private readonly status: NonNullable<BerthOptions['status']>;
  private readonly dispatcher: Dispatcher;
  /** The one writer of engines and the ledger: it applies the actions the controllers return. */
  readonly executor: Executor;
  private readonly ctx: ControllerContext;
  private readonly subscriptions: Subscription[] = [];
  private workers: Array<Promise<void>> = [];
  private resyncTimer: ReturnType<typeof setInterval> | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private active = 0;

  constructor(private readonly options: BerthOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.health = new ControllerHealth({ clock: this.clock, logger: this.logger.child({ component: 'health' }) });
    this.state = new StateStore({ dir: options.stateDir ?? join(options.manifestsDir, '.berth'), logger: this.logger.child({ component: 'state' }), health: this.health });
    this.healthServer =
      options.healthAddress === false
        ? undefined
        : new HealthServer({
            address: parseListenAddress(options.healthAddress ?? DEFAULT_HEALTH_ADDRESS),
            fallbackToFreePort: options.healthAddress === undefined,
            health: this.health,
            logger: this.logger.child({ component: 'health' }),
          });
    this.store = new ManifestStore({
      dir: options.manifestsDir,
      logger: this.logger.child({ component: 'store' }),
      memory: specMemory(this.state),
      followExternalSymlinks: options.followExternalSymlinks ?? false,
      clock: this.clock,
      health: this.health,
      ...(options.removalSettleMs !== undefined ? { removalSettleMs: options.removalSettleMs } : {}),
      ...(options.allowEmpty !== undefined ? { allowEmpty: options.allowEmpty } : {}),
    });
    const factory = options.runtimeFactory ?? dockerRuntimeFactory;
    this.owner = options.owner ?? defaultOwner(options.manifestsDir);
    this.engines = new EnginePool({
      // Each engine is observed: controllers read its cache, which its events keep current.
      factory: (args) => new ObservedEngine(new OwnedRuntime(factory(args), this.owner)),
      logger: this.logger.child({ component: 'engine' }),
    });
    this.queue = new WorkQueue({ clock: this.clock });
    this.status = options.status ?? this.fileStatusSink(options);
    this.ctx = {
      store: this.store,
      engines: this.engines,
      registry: new TaskDefinitionRegistry(this.state),
      ledger: new Ledger(this.state),
      status: this.status,
      clock: this.clock,
      logger: this.logger,
      options: { ...DEFAULT_CONTROLLER_OPTIONS, ...options.controllers, service: { ...DEFAULT_SERVICE_PLAN_OPTIONS, ...options.controllers?.service } },
      secrets: new SecretsProvider({ ...(options.secretsDir ? { dir: options.secretsDir } : {}), ...(options.secretsEnv ? { env: options.secretsEnv } : {}) }),
      enqueue: (key, afterMs) => (afterMs ? this.queue.addAfter(key, afterMs) : this.queue.add(key)),
      // The executor is made just below: it reads this context for its launches.
      execution: {
        isStopping: (taskId) => this.executor.isStopping(taskId),
        launching: (group) => this.executor.launching(group),
        placementFailure: (group) => this.executor.placementFailure(group),
        refusalTold: (group) => this.executor.refusalTold(group),
      },
    };
    this.executor = new Executor({ engines: this.engines, ledger: this.ctx.ledger, store: this.store, enqueue: this.ctx.enqueue, now: () => this.clock.now(), launchContext: this.ctx, status: this.status });
    this.metadata = this.metadataServer(options);
    if (this.metadata) this.ctx.metadata = this.metadata;
    this.services = new ServiceController(this.ctx);
    this.tasks = new TaskController(this.ctx);
    this.retirement = new RetirementController(this.ctx);
    this.balancer = new Balancer({ clock: this.clock, logger: this.logger.child({ component: 'balancer' }), onTargetGroupChange: (group) => this.queue.add(key('TargetGroup', group)) });
    this.logCollector = options.logs === false ? undefined : this.makeLogCollector(options.logs ?? {});
    // Watches are evaluated in this order: a container's owner is queued before its cluster.
    this.dispatcher = new Dispatcher({
      reconcilers: [this.services, this.tasks, this.retirement, new ClusterController(this.ctx), new CapacityProviderController(this.ctx), new TaskDefinitionController(this.ctx),
        new TargetGroupController(this.ctx, this.balancer), new LoadBalancerController(this.ctx, this.balancer)],
      queue: this.queue,
      store: this.store,
      logger: this.logger,
      apply: (actions, log) => this.executor.apply(actions, log),
    });
  }

  private metadataServer(options: BerthOptions): MetadataServer | undefined {
    if (options.metadataAddress === false) return undefined;
    const key = loadOrCreateKey(this.state.dir, this.logger);
    return new MetadataServer({
      address: parseListenAddress(options.metadataAddress ?? DEFAULT_METADATA_ADDRESS),
      fallbackToFreePort: options.metadataAddress === undefined,
      tokens: new EndpointTokens(key),
      credentials: {
        tokens: new CredentialsTokens(key),
        read: (roleArn) => readRoleCredentials({ secretsDir: this.ctx.secrets.dir, roleArn, now: () => this.clock.now() }),
        ...(options.credentialsEndpoint ? { ecsEndpoint: { address: { host: options.credentialsEndpoint, port: ECS_CREDENTIALS_PORT }, assign: assignLoopbackAddress } } : {}),
      },
      lookup: engineTaskLookup({ engines: this.engines, registry: this.ctx.registry, ledger: this.ctx.ledger }),
      logger: this.logger.child({ component: 'metadata' }),
    });
  }

  /**
   * Status goes to the files without holding up reconciles: a write waits out a
   * person's concurrent edits, and the writer coalesces what arrives meanwhile.
   */
  private fileStatusSink(options: BerthOptions): NonNullable<BerthOptions['status']> {
    const logger = this.logger.child({ component: 'status' });
    const writer = new StatusWriter({
      logger,
      health: this.health,
      manifestsDir: options.manifestsDir,
      ...(options.statusDir ? { statusDir: options.statusDir } : {}),
      // The watcher reports every status write back; the store need not read it as news.
      announce: (write) => this.store.expectOwnWrite(write),
    });
    return {
      write: async (target, status) => {
        writer.write(target, status).catch((error: unknown) => {
          logger.warn({ file: target.file, kind: target.kind, name: target.name, err: errorMessage(error) }, 'status not written');
        });
      },
      flush: () => writer.flush(),
      close: () => writer.close(),
    };
  }

  /** Every managed container's output into `<stateDir>/logs`, beside the reconcilers. */
  private makeLogCollector(logs: LogsOptions): LogCollector {
    const logger = this.logger.child({ component: 'logs' });
    return new LogCollector({
      store: new LogStore({ stateDir: this.state.dir, logger, health: this.health, ...(logs.maxBytes !== undefined ? { maxBytes: logs.maxBytes } : {}) }),
      engines: this.engines,
      logger,
      clock: this.clock,
      ...(logs.retentionMs !== undefined ? { retentionMs: logs.retentionMs } : {}),
      ...(logs.sweepIntervalMs !== undefined ? { sweepIntervalMs: logs.sweepIntervalMs } : {}),
    });
  }

  async start(): Promise<void> {
    // Before any launch: the port goes into every container's metadata URI.
    await this.metadata?.start();
    await this.healthServer?.start();
    // berth get shows it without asking the process; the last snapshot says what held or degraded.
    this.subscriptions.push(
      this.health.changes.subscribe(
        guardedObserver({ logger: this.logger, stream: 'health changes', next: (snapshot) => this.state.save(HEALTH_RECORD, { ...snapshot, pid: process.pid, at: new Date(this.clock.now()).toISOString() }) }),
      ),
    );
    this.state.save(HEALTH_RECORD, { ...this.health.snapshot(), pid: process.pid, at: new Date(this.clock.now()).toISOString() });
    await removeLeftoverTempFiles(this.options.manifestsDir, this.logger);
    this.engines.ensure(LOCAL_PROVIDER, undefined);
    this.subscriptions.push(this.engines.events.subscribe(guardedObserver({ logger: this.logger, stream: 'engine events', next: (event: EngineEvent) => this.onEngineEvent(event) })));
    this.subscriptions.push(this.store.changes.subscribe(guardedObserver({ logger: this.logger, stream: 'manifest changes', next: (key: string) => this.dispatcher.manifestChanged(key) })));
    await this.store.start();
    // Engines, then what runs on them, then revisions, so that services neither report a
    // missing task definition on start-up nor see their tasks under new revision numbers
    // when the state directory was lost.
    await Promise.all(this.store.list('CapacityProvider').map((r) => this.runOnce(key('CapacityProvider', r.name))));
    // One pass over the engines: revision numbers for the registry, groups for the queue
    // (workers start below, so nothing is reconciled before the revisions are registered).
    const clustersRunning = new Set<string>();
    await this.scanEngines((labels) => {
      this.ctx.registry.observeContainer(labels, LABEL.family, LABEL.revision);
      this.enqueueForLabels(labels);
      const cluster = labels[LABEL.cluster];
      if (cluster) clustersRunning.add(cluster);
    });
    if (this.metadata) await listenOnTaskNetworks({ metadata: this.metadata, engines: this.engines.all(), clusters: clustersRunning, logger: this.logger });
    await Promise.all(this.store.list('TaskDefinition').map((r) => this.runOnce(key('TaskDefinition', r.name))));
    for (const key of this.store.keys()) this.queue.add(key);
    const workers = this.options.workers ?? 8;
    this.workers = Array.from({ length: workers }, () => this.work());
    const interval = this.options.resyncIntervalMs ?? 30_000;
    this.resyncTimer = setInterval(() => void this.resync(), interval);
    this.resyncTimer.unref();
    // Not awaited: collecting logs must never hold up reconciling.
    this.logCollector?.start().catch((error: unknown) => this.logger.warn({ err: error }, 'log collector did not start'));
    this.logger.info({ manifests: this.options.manifestsDir, owner: this.owner, resources: this.store.keys().length, ...(this.options.secretsDir ? { secretsDir: this.options.secretsDir } : {}) }, 'controller started');
  }

  /** Stops reconciling; running tasks keep running. */
  async stop(): Promise<void> {
    clearInterval(this.resyncTimer);
    this.queue.shutdown();
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await Promise.all(this.workers);
    await this.executor.drainLaunches();
    await this.balancer.stop();
    await this.logCollector?.stop();
    await this.metadata?.stop();
    await this.healthServer?.stop();
    this.health.close();
    await this.status.flush?.();
    this.status.close?.();
    this.state.flush();
    await this.store.close();
    await this.engines.close();
    this.logger.info('controller stopped; tasks keep running');
  }

  /** Resolves once nothing is queued, running or launching (tests and benchmarks). */
  async idle(options: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (this.queue.length === 0 && this.active === 0 && this.executor.launchesInFlight() === 0 && this.executor.stopsInFlight() === 0) {
        await this.status.flush?.();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('controller did not become idle');
  }

  async resync(): Promise<void> {
    try {
      await this.store.resync();
      this.enqueueAll({ relist: true });
    } catch (error) {
      this.logger.error({ err: error }, 'resync failed');
    }
  }

  /**
   * Every container this controller owns, on every engine, as observed; `relist` lists the
   * engines afresh (the periodic repair). An engine that does not answer is skipped.
   */
  private async scanEngines(visit: (labels: Readonly<Record<string, string>>) => void, options: { relist?: boolean } = {}): Promise<void> {
    for (const { address, runtime } of this.engines.all()) {
      try {
        const containers = options.relist ? await relistedContainers(runtime) : await observedContainers(runtime);
        for (const container of containers) visit(container.labels);
      } catch (error) {
        this.logger.warn({ engine: address, err: errorMessage(error) }, 'cannot list containers');
      }
    }
  }

  private enqueueAll(options: { relist?: boolean } = {}): void {
    for (const key of this.store.keys()) this.queue.add(key);
    this.enqueueObservedGroups(options).catch((error: unknown) => this.logger.warn({ err: error }, 'cannot relist engines'));
  }

  /** Tasks on the engines whose owner may be gone (adoption, orphans after a deletion). */
  private enqueueObservedGroups(options: { relist?: boolean } = {}): Promise<void> {
    return this.scanEngines((labels) => this.enqueueForLabels(labels), options);
  }

  private enqueueForLabels(labels: Readonly<Record<string, string>>): void {
    this.dispatcher.containerSeen(labels);
  }

  private onEngineEvent({ address, event }: EngineEvent): void {
    // The pool logs the outage; reconciles meanwhile fail and back off on their own.
    if (event.type === 'unreachable') return;
    if (event.type === 'resync' || event.type === 'reachable') {
      // An engine back from an outage is reconciled at once, not at the next resync:
      // the queue's add skips any backoff the failed reconciles built up meanwhile.
      this.logger.debug({ engine: address, trigger: event.type }, 'engine (re)connected: relisting');
      this.enqueueObservedGroups().catch((error: unknown) => this.logger.warn({ err: error }, 'cannot relist engines'));
      this.dispatcher.engineReturned();
      return;
    }
    this.dispatcher.containerSeen(event.labels, event.action);
  }

  private async work(): Promise<void> {
    for (;;) {
      const queueKey = await this.queue.get();
      if (queueKey === undefined) return;
      this.active++;
      try {
        await this.runOnce(queueKey);
      } finally {
        this.active--;
        this.queue.done(queueKey);
      }
    }
  }

  private runOnce(queueKey: string): Promise<void> {
    return this.dispatcher.runOnce(queueKey);
  }
}
