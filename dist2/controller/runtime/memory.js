import { createHash } from 'node:crypto';
import { Observable, Subject } from 'rxjs';
import { declaredHostPorts, LABEL } from './labels.js';
import { logTimeFromMs, sinceParameter } from './logLines.js';
import { EngineError, } from './runtime.js';
function hasHealthCheck(spec) {
    return spec.healthCheck !== undefined && spec.healthCheck.test[0] !== 'NONE';
}
/** Docker's default dynamic range on Linux (net.ipv4.ip_local_port_range). */
const DYNAMIC_PORTS = { first: 32768, last: 60999 };
const BUILTIN_NETWORKS = ['bridge', 'host', 'none'];
const DEFAULT_IMAGES = ['berth/busybox:1', 'berth/httpd:1', 'berth/pause:1'];
/** Exit code of a process ended by SIGKILL, as Docker reports it. */
const EXIT_SIGKILL = 137;
/** Exit code of a process that honoured SIGTERM. */
const EXIT_SIGTERM = 143;
/** Docker's exit code for a container whose start failed. */
const EXIT_START_FAILED = 128;
let instanceCount = 0;
/**
 * An engine in memory, for controller tests and for simulating thousands of engines.
 * It mimics Docker where berth can tell the difference: error texts and status codes,
 * dynamic host ports, port conflicts at start, event order (create, start, kill, die,
 * stop, destroy), IPv4 and IPv6 port bindings, unmanaged containers hidden.
 *
 * Containers do not run anything: tests end them with `exit`, `kill` or `oomKill`.
 * A `stop` ends the process at once, with 143 (it honoured SIGTERM) or, when the
 * timeout is 0, 137.
 */
export class MemoryRuntime {
    engine;
    /** State-changing calls in order, sample-controller style. Tests may clear it. */
    commands = [];
    clock;
    latencyMs;
    recordCommands;
    cpus;
    memoryBytes;
    storage;
    idPrefix;
    containers = new Map();
    idsByName = new Map();
    /** "tcp/8080" → id of the container holding it. */
    hostPorts = new Map();
    images;
    pullable;
    /** Registries that ask for a login (host → Authorization headers they were sent). */
    privateRegistries = new Map();
    networks = new Map(BUILTIN_NETWORKS.map((name) => [name, { labels: {}, ...(name === 'bridge' ? { subnetPrefix: '172.17' } : {}), nextHost: 2 }]));
    /** Docker gives user networks 172.18.0.0/16, 172.19.0.0/16, ... in creation order. */
    nextSubnet = 18;
    volumes = new Map();
    eventStream = new Subject();
    nextContainer = 0;
    nextDynamicPort = DYNAMIC_PORTS.first;
    pendingCreateFailure;
    down = false;
    downSince;
    closed = false;
    constructor(options = {}) {
        instanceCount += 1;
        this.engine = options.engine ?? `memory-${instanceCount}`;
        this.idPrefix = instanceCount.toString(16).padStart(8, '0');
        this.clock = options.clock ?? { now: () => Date.now() };
        this.latencyMs = options.latencyMs ?? 0;
        this.recordCommands = options.recordCommands ?? true;
        this.cpus = options.cpus ?? 2;
        this.memoryBytes = options.memoryBytes ?? 4 * 1024 ** 3;
        this.images = new Set([...(options.images ?? DEFAULT_IMAGES)].map(normalizeImageRef));
        this.pullable = new Set([...(options.pullableImages ?? [])].map(normalizeImageRef));
        this.storage = options.storage ?? { driver: 'overlay2', backingFilesystem: 'extfs' };
    }
    /**
     * Makes `host` (such as "127.0.0.1:5000") a registry that asks for a login and holds no
     * images; returns the Authorization headers pulls send it, as a real registry would see them.
     */
    privateRegistry(host) {
        const seen = [];
        this.privateRegistries.set(host, seen);
        return seen;
    }
    // ---- Runtime ---------------------------------------------------------------------------
    async ping() {
        await this.answer('ping');
        const { driver, backingFilesystem } = this.storage;
        return { engine: this.engine, version: 'memory', cpus: this.cpus, memoryBytes: this.memoryBytes, storageDriver: driver, ...(backingFilesystem ? { backingFilesystem } : {}) };
    }
    /** Docker's refusal of a writable layer size this engine's storage cannot enforce; undefined when it can. */
    writableLayerRefusal() {
        const { driver, backingFilesystem, projectQuota } = this.storage;
        if (['btrfs', 'zfs', 'devicemapper', 'windowsfilter'].includes(driver))
            return undefined;
        if (driver === 'overlay2')
            return backingFilesystem === 'xfs' && projectQuota ? undefined : "--storage-opt is supported only for overlay over xfs with 'pquota' mount option";
        return `--storage-opt is not supported for ${driver}`;
    }
    async list(labels = {}) {
        await this.answer('list containers');
        const wanted = Object.entries(labels);
        const found = [];
        for (const container of this.containers.values()) {
            if (!container.managed)
                continue;
            if (wanted.every(([key, value]) => container.spec.labels[key] === value))
                found.push(this.observe(container));
        }
        return found;
    }
    async listSummaries(labels = {}) {
        return (await this.list(labels)).map(({ id, labels: containerLabels, state, health }) => ({ id, labels: containerLabels, state, ...(health ? { health } : {}) }));
    }
    async inspect(id) {
        await this.answer(`inspect container ${shortId(id)}`);
        const container = this.find(id);
        return container?.managed ? this.observe(container) : undefined;
    }
    async create(spec) {
        if (spec.labels[LABEL.managed] !== 'true') {
            throw new Error(`refusing to create container "${spec.name}" on engine ${this.engine}: its labels lack ${LABEL.managed}=true, ` +
                'so berth could never find or clean it up again');
        }
        const operation = `create container "${spec.name}"`;
        await this.answer(operation);
        this.record('create', spec.name);
        if (this.pendingCreateFailure !== undefined) {
            const engineMessage = this.pendingCreateFailure;
            this.pendingCreateFailure = undefined;
            throw this.fail(operation, 500, engineMessage);
        }
        const refusal = spec.writableLayerBytes === undefined ? undefined : this.writableLayerRefusal();
        if (refusal !== undefined)
            throw this.fail(operation, 500, refusal);
        const container = this.createContainer(spec, { managed: true, operation });
        this.emit(container, 'create');
        return container.id;
    }
    async start(id) {
        const operation = `start container ${shortId(id)}`;
        await this.answer(operation);
        const container = this.find(id);
        this.record('start', container?.spec.name ?? id);
        if (!container)
            throw this.fail(operation, 404, `No such container: ${id}`);
        if (container.state === 'running')
            return; // Docker: 304 Not Modified
        this.startContainer(container, operation);
    }
    async stop(id, options) {
        await this.answer(`stop container ${shortId(id)}`);
        const container = this.find(id);
        this.record('stop', container?.spec.name ?? id);
        if (!container || container.state !== 'running')
            return;
        const graceful = options.timeoutSeconds > 0;
        this.emit(container, 'kill');
        this.endProcess(container, graceful ? EXIT_SIGTERM : EXIT_SIGKILL);
        this.emit(container, 'stop');
    }
    async remove(id) {
        await this.answer(`remove container ${shortId(id)}`);
        const container = this.find(id);
        this.record('remove', container?.spec.name ?? id);
        if (!container)
            return;
        if (container.state === 'running') {
            // Forced removal kills first, as Docker does.
            this.emit(container, 'kill');
            this.endProcess(container, EXIT_SIGKILL);
        }
        this.releasePorts(container);
        this.containers.delete(container.id);
        this.idsByName.delete(container.spec.name);
        this.emit(container, 'destroy');
    }
    async hasImage(ref) {
        await this.answer(`inspect image "${ref}"`);
        return this.images.has(normalizeImageRef(ref));
    }
    async pull(ref, auth) {
        const operation = `pull image "${ref}"`;
        await this.answer(operation);
        this.record('pull', ref);
        const normalized = normalizeImageRef(ref);
        const registry = this.privateRegistries.get(ref.slice(0, ref.indexOf('/')));
        if (registry) {
            // Docker's texts for a registry that asks for Basic auth and holds no such image.
            if (!auth)
                throw this.fail(operation, 500, `Head "http://${ref.slice(0, ref.indexOf('/'))}/v2/.../manifests/...": no basic auth credentials`);
            registry.push(`Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`);
            throw this.fail(operation, 500, 'manifest unknown');
        }
        if (!this.pullable.has(normalized)) {
            const repository = normalized.slice(0, normalized.lastIndexOf(':'));
            throw this.fail(operation, 404, `pull access denied for ${repository}, repository does not exist or may require 'docker login': ` +
                'denied: requested access to the resource is denied');
        }
        this.images.add(normalized);
    }
    async ensureNetwork(name, labels) {
        await this.answer(`ensure network "${name}"`);
        if (this.networks.has(name))
            return;
        this.record('ensureNetwork', name);
        this.networks.set(name, { labels: { ...labels }, subnetPrefix: `172.${this.nextSubnet++}`, nextHost: 2 });
    }
    async ensureVolume(name, options) {
        await this.answer(`create volume "${name}"`);
        if (this.volumes.has(name))
            return;
        this.record('ensureVolume', name);
        this.volumes.set(name, { name, driver: options.driver ?? 'local', labels: { ...options.labels } });
    }
    async hasVolume(name) {
        await this.answer(`inspect volume "${name}"`);
        return this.volumes.has(name);
    }
    /** The directory exists from now on; the path is where a local volume would keep it. */
    async prepareVolumeDirectory(volume, request) {
        await this.answer(`prepare directory "${request.path}" in volume "${volume}"`);
        if (!this.volumes.has(volume))
            throw new Error(`volume "${volume}" does not exist`);
        this.record('prepareVolumeDirectory', `${volume}${request.path}`);
        return `/var/lib/docker/volumes/${volume}/_data${request.path}`;
    }
    async removeVolume(name) {
        const operation = `remove volume "${name}"`;
        await this.answer(operation);
        if (!this.volumes.has(name))
            return;
        const users = [...this.containers.values()].filter((c) => c.spec.mounts?.some((m) => m.type === 'volume' && m.source === name));
        if (users.length > 0)
            throw this.fail(operation, 409, `remove ${name}: volume is in use - [${users.map((c) => c.id).join(', ')}]`);
        this.record('removeVolume', name);
        this.volumes.delete(name);
    }
    async listVolumes(labels = {}) {
        await this.answer('list volumes');
        const wanted = Object.entries({ ...labels, [LABEL.managed]: 'true' });
        return [...this.volumes.values()]
            .filter((volume) => wanted.every(([key, value]) => volume.labels[key] === value))
            .map((volume) => ({ ...volume, labels: { ...volume.labels } }));
    }
    events() {
        return new Observable((subscriber) => {
            if (this.closed) {
                subscriber.complete();
                return undefined;
            }
            // Like a fresh connection to Docker: relist now. While the engine is down the
            // resync comes when it is back (see setDown).
            if (!this.down)
                subscriber.next({ type: 'resync' });
            return this.eventStream.subscribe(subscriber);
        });
    }
    logs(id, options) {
        return new Observable((subscriber) => {
            const operation = `read logs of container ${shortId(id)}`;
            if (this.down) {
                subscriber.error(new EngineError({ engine: this.engine, operation, engineMessage: `connect ECONNREFUSED: engine ${this.engine} is unreachable`, unreachable: true }));
                return undefined;
            }
            const container = this.find(id);
            if (!container) {
                subscriber.error(this.fail(operation, 404, `No such container: ${id}`));
                return undefined;
            }
            if (container.spec.logDriver?.type === 'none') {
                subscriber.error(this.fail(operation, 501, 'configured logging driver does not support reading'));
                return undefined;
            }
            // The engine's `since` is inclusive; times compare as strings (nine fractional digits).
            const since = options.since === undefined ? '' : sinceTime(options.since);
            for (const line of container.output)
                if (line.time >= since)
                    subscriber.next(line);
            if (!options.follow || container.state !== 'running') {
                subscriber.complete();
                return undefined;
            }
            return container.liveOutput.subscribe(subscriber);
        });
    }
    async networkGateway(name) {
        await this.answer(`inspect network "${name}"`);
        // Docker 20.10's default bridge lists its subnet but no gateway in its IPAM config.
        if (name === 'bridge')
            return undefined;
        const prefix = this.networks.get(name)?.subnetPrefix;
        return prefix === undefined ? undefined : `${prefix}.0.1`;
    }
    async describe(id) {
        await this.answer(`inspect container ${shortId(id)}`);
        const container = this.find(id);
        if (!container?.managed)
            return undefined;
        const { spec } = container;
        const subnet = this.networks.get(spec.network)?.subnetPrefix;
        const network = { name: spec.network };
        if (container.ipv4Address && subnet !== undefined) {
            Object.assign(network, { ipv4Address: container.ipv4Address, ipv4PrefixLength: 16, gateway: `${subnet}.0.1` });
        }
        return {
            ...this.observe(container),
            imageId: imageId(spec.image),
            networkMode: spec.network,
            // Docker lists no network for a container in another one's namespace.
            networks: spec.network.startsWith('container:') ? [] : [network],
            cpuShares: spec.cpuShares ?? 0,
            memoryBytes: spec.memoryBytes ?? 0,
            logDriver: 'json-file',
            logOptions: {},
        };
    }
    async hostPortsInUse() {
        await this.answer('list containers');
        const inUse = [];
        for (const container of this.containers.values()) {
            if (container.state !== 'running')
                continue;
            for (const port of container.boundPorts)
                inUse.push({ hostPort: port.hostPort, protocol: port.protocol, holder: container.spec.name });
            if (container.managed)
                inUse.push(...declaredHostPorts(container.spec.labels[LABEL.hostPorts], container.spec.name));
        }
        return inUse;
    }
    /** Docker's stats shape with nothing consumed: containers here run no process. */
    async stats(id) {
        await this.answer(`stats of container ${shortId(id)}`);
        const container = this.find(id);
        if (!container?.managed)
            return undefined;
        const cpu = { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, system_cpu_usage: 0, online_cpus: this.cpus, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } };
        const running = container.state === 'running';
        return {
            read: running ? new Date(this.clock.now()).toISOString() : '0001-01-01T00:00:00Z',
            preread: '0001-01-01T00:00:00Z',
            name: `/${container.spec.name}`,
            id: container.id,
            pids_stats: running ? { current: 1 } : {},
            blkio_stats: { io_service_bytes_recursive: null },
            num_procs: 0,
            cpu_stats: cpu,
            precpu_stats: cpu,
            memory_stats: running ? { usage: 0, limit: container.spec.memoryBytes ?? this.memoryBytes, stats: {} } : {},
        };
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        this.eventStream.complete();
        for (const container of this.containers.values())
            container.liveOutput.complete();
    }
    // ---- test hooks ------------------------------------------------------------------------
    /** The container's process ends by itself with `exitCode`. */
    exit(id, exitCode) {
        const container = this.runningContainer(id, 'exit');
        this.endProcess(container, exitCode);
    }
    /** Like `docker kill`: SIGKILL, exit 137. */
    kill(id) {
        const container = this.runningContainer(id, 'kill');
        this.emit(container, 'kill');
        this.endProcess(container, EXIT_SIGKILL);
    }
    /** The kernel's OOM killer ends the process: OOMKilled, exit 137. */
    oomKill(id) {
        const container = this.runningContainer(id, 'oomKill');
        container.oomKilled = true;
        this.emit(container, 'oom');
        this.endProcess(container, EXIT_SIGKILL);
    }
    /** The container's health check reaches a verdict, as Docker's health_status event reports. */
    setHealth(id, health) {
        const container = this.runningContainer(id, 'setHealth');
        if (!hasHealthCheck(container.spec))
            throw new Error(`memory runtime: setHealth: container ${container.spec.name} has no health check`);
        container.health = health;
        this.emit(container, `health_status: ${health}`);
    }
    /**
     * The container's process writes `line` to stdout or stderr, stamped with the clock's
     * time. With the `none` log driver it is written nowhere, as on Docker.
     */
    writeLog(id, stream, line) {
        const container = this.runningContainer(id, 'writeLog');
        if (container.spec.logDriver?.type === 'none')
            return;
        const written = { stream, time: logTimeFromMs(this.clock.now()), line };
        container.output.push(written);
        container.liveOutput.next(written);
    }
    /** The next `create` fails with this engine message (a 500, as from Docker). */
    failNextCreate(engineMessage) {
        this.pendingCreateFailure = engineMessage;
    }
    /**
     * Makes the engine unreachable (every call rejects, no events) or reachable again.
     * Containers keep their state meanwhile, as on a partitioned host. Coming back emits
     * a resync, as a reconnecting Docker events stream does: what happened meanwhile is
     * found by relisting.
     */
    setDown(down) {
        const wentAway = !this.down && down;
        const cameBack = this.down && !down;
        this.down = down;
        if (this.closed)
            return;
        // As the Docker runtime reports it: the outage, then its end and a relist.
        if (wentAway) {
            this.downSince = this.clock.now();
            this.eventStream.next({ type: 'unreachable', since: this.downSince, reason: `engine ${this.engine} is unreachable` });
        }
        if (cameBack) {
            this.eventStream.next({ type: 'reachable', since: this.downSince ?? this.clock.now(), at: this.clock.now() });
            this.eventStream.next({ type: 'resync' });
        }
    }
    /**
     * An engine restart without live-restore: every running container is stopped while the
     * engine is away (SIGTERM, exit 143), and the engine answers again afterwards.
     */
    restartEngine() {
        this.setDown(true);
        for (const container of this.containers.values())
            if (container.state === 'running')
                this.endProcess(container, EXIT_SIGTERM);
        this.setDown(false);
    }
    /**
     * Creates and starts a container someone else owns (no berth labels needed). It holds
     * its ports like any container, and stays invisible to list, inspect and events.
     */
    runForeignContainer(spec) {
        const full = {
            ...spec,
            labels: spec.labels ?? {},
            env: spec.env ?? {},
            ports: spec.ports ?? [],
            network: spec.network ?? 'bridge',
        };
        const operation = `create container "${full.name}"`;
        const container = this.createContainer(full, { managed: full.labels[LABEL.managed] === 'true', operation });
        this.startContainer(container, `start container ${shortId(container.id)}`);
        return container.id;
    }
    /** The spec as the engine holds it, by id or name, managed or not: for tests of the mapping. */
    specOf(idOrName) {
        const container = this.find(idOrName);
        return container ? structuredClone(container.spec) : undefined;
    }
    /** Returns the command log and clears it. */
    takeCommands() {
        return this.commands.splice(0, this.commands.length);
    }
    /** Labels a network was created with; undefined when it does not exist. */
    networkLabels(name) {
        return this.networks.get(name)?.labels;
    }
    // ---- internals -------------------------------------------------------------------------
    createContainer(spec, options) {
        const { operation } = options;
        if (!this.images.has(normalizeImageRef(spec.image)))
            throw this.fail(operation, 404, `No such image: ${spec.image}`);
        const holder = this.idsByName.get(spec.name);
        if (holder !== undefined) {
            throw this.fail(operation, 409, `Conflict. The container name "/${spec.name}" is already in use by container "${holder}". ` +
                'You have to remove (or rename) that container to be able to reuse that name.');
        }
        for (const source of spec.volumesFrom ?? []) {
            // Docker 20.10 answers 400, not 404: the request names a container that is not there.
            if (!this.find(source.container))
                throw this.fail(operation, 400, `No such container: ${source.container}`);
        }
        // As Docker does, a named volume a mount refers to is created (local, unlabelled) if absent.
        for (const mount of spec.mounts ?? []) {
            if (mount.type === 'volume' && !this.volumes.has(mount.source))
                this.volumes.set(mount.source, { name: mount.source, driver: 'local', labels: {} });
        }
        this.nextContainer += 1;
        const id = this.idPrefix + this.nextContainer.toString(16).padStart(56, '0');
        const container = {
            id,
            spec: structuredClone(spec),
            managed: options.managed,
            state: 'created',
            createdAt: this.clock.now(),
            oomKilled: false,
            boundPorts: [],
            output: [],
            liveOutput: new Subject(),
        };
        this.containers.set(id, container);
        this.idsByName.set(spec.name, id);
        return container;
    }
    /**
     * Resolves the namespaces a container joins, as Docker does at start: a network, or
     * another container's network ("container:<name>"), PID or IPC namespace, which must
     * be running (and, for IPC, shareable).
     */
    checkNamespaces(container, operation) {
        const { network, settings } = container.spec;
        const joined = (mode) => (mode?.startsWith('container:') ? mode.slice('container:'.length) : undefined);
        const networkOwner = joined(network);
        if (networkOwner === undefined && !this.networks.has(network))
            throw this.failStart(container, operation, 404, `network ${network} not found`);
        const checks = [
            [networkOwner, 'cannot join network of a non running container'],
            [joined(settings?.pidMode), 'cannot join PID of a non running container'],
            [joined(settings?.ipcMode), 'cannot join IPC of a non running container'],
        ];
        for (const [owner, message] of checks) {
            if (owner === undefined)
                continue;
            const target = this.find(owner);
            if (!target)
                throw this.failStart(container, operation, 404, `No such container: ${owner}`);
            if (target.state !== 'running')
                throw this.failStart(container, operation, 409, `${message}: ${target.id}`);
        }
        const ipcOwner = joined(settings?.ipcMode);
        if (ipcOwner !== undefined && this.find(ipcOwner)?.spec.settings?.ipcMode !== 'shareable') {
            throw this.failStart(container, operation, 500, `can't join IPC of container ${this.find(ipcOwner).id}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)`);
        }
    }
    /** Resolves the namespaces and binds host ports the way Docker does at start: all or nothing. */
    startContainer(container, operation) {
        this.checkNamespaces(container, operation);
        const bound = [];
        for (const port of container.spec.ports) {
            const hostPort = port.hostPort > 0 ? port.hostPort : this.allocateDynamicPort(port.protocol);
            const key = `${port.protocol}/${hostPort}`;
            if (hostPort === undefined || this.hostPorts.has(key)) {
                for (const taken of bound)
                    this.hostPorts.delete(`${taken.protocol}/${taken.hostPort}`);
                const message = hostPort === undefined
                    ? `driver failed programming external connectivity on endpoint ${container.spec.name}: no free host port in the dynamic range`
                    : `driver failed programming external connectivity on endpoint ${container.spec.name}: ` +
                        `Bind for 0.0.0.0:${hostPort} failed: port is already allocated`;
                throw this.failStart(container, operation, 500, message);
            }
            this.hostPorts.set(key, container.id);
            bound.push({ containerPort: port.containerPort, hostPort, protocol: port.protocol });
        }
        container.boundPorts = bound;
        container.ipv4Address = this.allocateAddress(container.spec.network);
        container.state = 'running';
        container.startedAt = this.clock.now();
        container.exitCode = undefined;
        container.error = undefined;
        container.oomKilled = false;
        // Docker runs the health check from the start; it reports "starting" until the first verdict.
        container.health = hasHealthCheck(container.spec) ? 'starting' : undefined;
        this.emit(container, 'start');
    }
    /** The next address of a network with a subnet; host, none and shared namespaces get none. */
    allocateAddress(name) {
        const network = this.networks.get(name);
        if (network?.subnetPrefix === undefined)
            return undefined;
        const host = network.nextHost++;
        return `${network.subnetPrefix}.${Math.floor(host / 256)}.${host % 256}`;
    }
    /** Next free port after the last one handed out, wrapping around, as Docker's allocator does. */
    allocateDynamicPort(protocol) {
        const size = DYNAMIC_PORTS.last - DYNAMIC_PORTS.first + 1;
        for (let tried = 0; tried < size; tried += 1) {
            const candidate = this.nextDynamicPort;
            this.nextDynamicPort = candidate === DYNAMIC_PORTS.last ? DYNAMIC_PORTS.first : candidate + 1;
            if (!this.hostPorts.has(`${protocol}/${candidate}`))
                return candidate;
        }
        return undefined;
    }
    /** A start that failed leaves the state as it was, with Docker's 128 and the reason. */
    failStart(container, operation, statusCode, message) {
        container.error = message;
        container.exitCode = EXIT_START_FAILED;
        return this.fail(operation, statusCode, message);
    }
    endProcess(container, exitCode) {
        container.state = 'exited';
        container.ipv4Address = undefined;
        container.exitCode = exitCode;
        container.finishedAt = this.clock.now();
        this.releasePorts(container);
        // Followers are done once the process is: a restart has followers of its own.
        container.liveOutput.complete();
        container.liveOutput = new Subject();
        this.emit(container, 'die', exitCode);
    }
    releasePorts(container) {
        for (const port of container.boundPorts)
            this.hostPorts.delete(`${port.protocol}/${port.hostPort}`);
        container.boundPorts = [];
    }
    observe(container) {
        const observed = {
            id: container.id,
            name: container.spec.name,
            image: container.spec.image,
            labels: { ...container.spec.labels },
            state: container.state,
            createdAt: new Date(container.createdAt).toISOString(),
            // Docker 20.10 reports each binding twice: IPv4 and IPv6 listeners.
            ports: container.boundPorts.flatMap((port) => [
                { ...port, hostIp: '0.0.0.0' },
                { ...port, hostIp: '::' },
            ]),
            addresses: container.ipv4Address === undefined ? {} : { [container.spec.network]: container.ipv4Address },
        };
        if (container.startedAt !== undefined)
            observed.startedAt = new Date(container.startedAt).toISOString();
        if (container.finishedAt !== undefined)
            observed.finishedAt = new Date(container.finishedAt).toISOString();
        if (container.exitCode !== undefined)
            observed.exitCode = container.exitCode;
        if (container.oomKilled)
            observed.oomKilled = true;
        if (container.error !== undefined)
            observed.error = container.error;
        if (container.health !== undefined)
            observed.health = container.health;
        return observed;
    }
    emit(container, action, exitCode) {
        // Docker's events are filtered on berth.managed=true, and a down engine tells nobody.
        if (!container.managed || this.down || this.closed)
            return;
        const event = { type: 'container', action, id: container.id, labels: { ...container.spec.labels } };
        if (exitCode !== undefined)
            event.exitCode = exitCode;
        this.eventStream.next(event);
    }
    find(idOrName) {
        const byId = this.containers.get(idOrName);
        if (byId)
            return byId;
        const named = this.idsByName.get(idOrName);
        if (named !== undefined)
            return this.containers.get(named);
        // Docker accepts any unique id prefix; tests and logs use 12 characters.
        if (idOrName.length >= 12 && /^[0-9a-f]+$/.test(idOrName)) {
            for (const [id, container] of this.containers)
                if (id.startsWith(idOrName))
                    return container;
        }
        return undefined;
    }
    runningContainer(id, hook) {
        const container = this.find(id);
        if (!container || container.state !== 'running') {
            throw new Error(`MemoryRuntime.${hook}(${shortId(id)}): no running container with that id on ${this.engine}`);
        }
        return container;
    }
    /** Every call goes through here: latency for benchmarks, and an unreachable engine rejects. */
    async answer(operation) {
        if (this.latencyMs > 0)
            await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
        if (this.down)
            throw new EngineError({ engine: this.engine, operation, engineMessage: `connect ECONNREFUSED: engine ${this.engine} is unreachable`, unreachable: true });
    }
    record(op, target) {
        if (this.recordCommands)
            this.commands.push({ op, target });
    }
    fail(operation, statusCode, engineMessage) {
        return new EngineError({ engine: this.engine, operation, statusCode, engineMessage });
    }
}
/** A stable stand-in for the image's content digest. */
function imageId(ref) {
    return `sha256:${createHash('sha256').update(normalizeImageRef(ref)).digest('hex')}`;
}
/** "busybox" and "busybox:latest" are one image, as for Docker. */
function normalizeImageRef(ref) {
    if (ref.includes('@'))
        return ref;
    const lastSegment = ref.slice(ref.lastIndexOf('/') + 1);
    return lastSegment.includes(':') ? ref : `${ref}:latest`;
}
/** `since` in unix seconds as a log time, to compare with the lines' times. */
function sinceTime(since) {
    const [seconds = '0', nanos = '0'] = sinceParameter(since).split('.');
    return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${nanos}Z`;
}
function shortId(id) {
    return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}
//# sourceMappingURL=memory.js.map