import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { systemClock } from '../clock.js';
import { CapacityProviderController } from '../controllers/capacityprovider/controller.js';
import { ClusterController } from '../controllers/cluster/controller.js';
import { LoadBalancerController } from '../controllers/loadbalancer/controller.js';
import { TargetGroupController } from '../controllers/targetgroup/controller.js';
import { Balancer } from '../balancer/balancer.js';
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
import { EnginePool, LOCAL_PROVIDER, engineAddress } from '../engines.js';
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
import { ManifestStore } from '../store/store.js';
import { errorMessage } from '../errors.js';
import { key } from '../keys.js';
import { assignLoopbackAddress, ECS_CREDENTIALS_PORT } from '../metadata/ecsCredentialsAddress.js';
/** A controller's default owner label: its manifests directory, so a restart adopts what it ran. */
export function defaultOwner(manifestsDir) {
    return `dir-${createHash('sha256').update(resolve(manifestsDir)).digest('hex').slice(0, 12)}`;
}
/** Last valid specs in the state directory: a file left invalid across a restart keeps serving them. */
function specMemory(state) {
    const RECORD = 'last-valid-specs';
    const specs = state.load(RECORD, {});
    // Asked once per file read: an index, not a scan of every spec (quadratic at start-up).
    const keysByFile = new Map();
    const index = (key, file, add) => {
        if (file === undefined)
            return;
        const keys = keysByFile.get(file) ?? new Set();
        if (add)
            keys.add(key);
        else
            keys.delete(key);
        if (keys.size > 0)
            keysByFile.set(file, keys);
        else
            keysByFile.delete(file);
    };
    for (const [key, resource] of Object.entries(specs))
        index(key, resource.file, true);
    return {
        recall: (key) => specs[key],
        keysOf: (file) => [...(keysByFile.get(file) ?? [])],
        keep: (key, resource) => {
            if (specs[key]?.specHash === resource.specHash && specs[key]?.file === resource.file)
                return;
            index(key, specs[key]?.file, false);
            specs[key] = { ...resource, errors: [] };
            index(key, resource.file, true);
            state.save(RECORD, specs);
        },
        forget: (key) => {
            if (!(key in specs))
                return;
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
async function removeLeftoverTempFiles(dir, logger) {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
        if (!entry.isFile() || !entry.name.startsWith('.') || !entry.name.endsWith('.berth-tmp'))
            continue;
        const path = join(entry.parentPath, entry.name);
        await rm(path, { force: true });
        logger.info({ file: path }, 'removed a temp file left by an earlier run');
    }
}
/** The controller's last health snapshot in the state directory, for `berth get`. */
export const HEALTH_RECORD = 'controller-health';
export const DEFAULT_CONTROLLER_OPTIONS = {
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
export const dockerRuntimeFactory = ({ engine, logger }) => new DockerRuntime({ engine: engineAddress(engine), ...(engine?.socketPath ? { socketPath: engine.socketPath } : {}), ...(engine?.host ? { host: engine.host } : {}), logger });
/**
 * The controller process: the store and the engines feed keys into one work queue;
 * workers hand each key to the controller of its kind.
 */
export class Berth {
    options;
    store;
    engines;
    queue;
    services;
    tasks;
    owner;
    /** The load balancer's data plane: listeners and target groups; its TargetHealth is what deployments read. */
    balancer;
    retirement;
    /** What is wrong with the controller itself (full disk, held deletions...): /readyz, the log, berth get. */
    health;
    /** The health endpoint; undefined when turned off. */
    healthServer;
    /** The task metadata endpoint; undefined when turned off. */
    metadata;
    state;
    logCollector;
    status;
    dispatcher;
    /** The one writer of engines and the ledger: it applies the actions the controllers return. */
    executor;
    ctx;
    subscriptions = [];
    workers = [];
    resyncTimer;
    clock;
    logger;
    active = 0;
    constructor(options) {
        this.options = options;
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
        if (this.metadata)
            this.ctx.metadata = this.metadata;
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
    metadataServer(options) {
        if (options.metadataAddress === false)
            return undefined;
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
    fileStatusSink(options) {
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
                writer.write(target, status).catch((error) => {
                    logger.warn({ file: target.file, kind: target.kind, name: target.name, err: errorMessage(error) }, 'status not written');
                });
            },
            flush: () => writer.flush(),
            close: () => writer.close(),
        };
    }
    /** Every managed container's output into `<stateDir>/logs`, beside the reconcilers. */
    makeLogCollector(logs) {
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
    async start() {
        // Before any launch: the port goes into every container's metadata URI.
        await this.metadata?.start();
        await this.healthServer?.start();
        // berth get shows it without asking the process; the last snapshot says what held or degraded.
        this.subscriptions.push(this.health.changes.subscribe(guardedObserver({ logger: this.logger, stream: 'health changes', next: (snapshot) => this.state.save(HEALTH_RECORD, { ...snapshot, pid: process.pid, at: new Date(this.clock.now()).toISOString() }) })));
        this.state.save(HEALTH_RECORD, { ...this.health.snapshot(), pid: process.pid, at: new Date(this.clock.now()).toISOString() });
        await removeLeftoverTempFiles(this.options.manifestsDir, this.logger);
        this.engines.ensure(LOCAL_PROVIDER, undefined);
        this.subscriptions.push(this.engines.events.subscribe(guardedObserver({ logger: this.logger, stream: 'engine events', next: (event) => this.onEngineEvent(event) })));
        this.subscriptions.push(this.store.changes.subscribe(guardedObserver({ logger: this.logger, stream: 'manifest changes', next: (key) => this.dispatcher.manifestChanged(key) })));
        await this.store.start();
        // Engines, then what runs on them, then revisions, so that services neither report a
        // missing task definition on start-up nor see their tasks under new revision numbers
        // when the state directory was lost.
        await Promise.all(this.store.list('CapacityProvider').map((r) => this.runOnce(key('CapacityProvider', r.name))));
        // One pass over the engines: revision numbers for the registry, groups for the queue
        // (workers start below, so nothing is reconciled before the revisions are registered).
        const clustersRunning = new Set();
        await this.scanEngines((labels) => {
            this.ctx.registry.observeContainer(labels, LABEL.family, LABEL.revision);
            this.enqueueForLabels(labels);
            const cluster = labels[LABEL.cluster];
            if (cluster)
                clustersRunning.add(cluster);
        });
        if (this.metadata)
            await listenOnTaskNetworks({ metadata: this.metadata, engines: this.engines.all(), clusters: clustersRunning, logger: this.logger });
        await Promise.all(this.store.list('TaskDefinition').map((r) => this.runOnce(key('TaskDefinition', r.name))));
        for (const key of this.store.keys())
            this.queue.add(key);
        const workers = this.options.workers ?? 8;
        this.workers = Array.from({ length: workers }, () => this.work());
        const interval = this.options.resyncIntervalMs ?? 30_000;
        this.resyncTimer = setInterval(() => void this.resync(), interval);
        this.resyncTimer.unref();
        // Not awaited: collecting logs must never hold up reconciling.
        this.logCollector?.start().catch((error) => this.logger.warn({ err: error }, 'log collector did not start'));
        this.logger.info({ manifests: this.options.manifestsDir, owner: this.owner, resources: this.store.keys().length, ...(this.options.secretsDir ? { secretsDir: this.options.secretsDir } : {}) }, 'controller started');
    }
    /** Stops reconciling; running tasks keep running. */
    async stop() {
        clearInterval(this.resyncTimer);
        this.queue.shutdown();
        for (const subscription of this.subscriptions)
            subscription.unsubscribe();
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
    async idle(options = {}) {
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
    async resync() {
        try {
            await this.store.resync();
            this.enqueueAll({ relist: true });
        }
        catch (error) {
            this.logger.error({ err: error }, 'resync failed');
        }
    }
    /**
     * Every container this controller owns, on every engine, as observed; `relist` lists the
     * engines afresh (the periodic repair). An engine that does not answer is skipped.
     */
    async scanEngines(visit, options = {}) {
        for (const { address, runtime } of this.engines.all()) {
            try {
                const containers = options.relist ? await relistedContainers(runtime) : await observedContainers(runtime);
                for (const container of containers)
                    visit(container.labels);
            }
            catch (error) {
                this.logger.warn({ engine: address, err: errorMessage(error) }, 'cannot list containers');
            }
        }
    }
    enqueueAll(options = {}) {
        for (const key of this.store.keys())
            this.queue.add(key);
        this.enqueueObservedGroups(options).catch((error) => this.logger.warn({ err: error }, 'cannot relist engines'));
    }
    /** Tasks on the engines whose owner may be gone (adoption, orphans after a deletion). */
    enqueueObservedGroups(options = {}) {
        return this.scanEngines((labels) => this.enqueueForLabels(labels), options);
    }
    enqueueForLabels(labels) {
        this.dispatcher.containerSeen(labels);
    }
    onEngineEvent({ address, event }) {
        // The pool logs the outage; reconciles meanwhile fail and back off on their own.
        if (event.type === 'unreachable')
            return;
        if (event.type === 'resync' || event.type === 'reachable') {
            // An engine back from an outage is reconciled at once, not at the next resync:
            // the queue's add skips any backoff the failed reconciles built up meanwhile.
            this.logger.debug({ engine: address, trigger: event.type }, 'engine (re)connected: relisting');
            this.enqueueObservedGroups().catch((error) => this.logger.warn({ err: error }, 'cannot relist engines'));
            this.dispatcher.engineReturned();
            return;
        }
        this.dispatcher.containerSeen(event.labels, event.action);
    }
    async work() {
        for (;;) {
            const queueKey = await this.queue.get();
            if (queueKey === undefined)
                return;
            this.active++;
            try {
                await this.runOnce(queueKey);
            }
            finally {
                this.active--;
                this.queue.done(queueKey);
            }
        }
    }
    runOnce(queueKey) {
        return this.dispatcher.runOnce(queueKey);
    }
}
//# sourceMappingURL=wiring.js.map