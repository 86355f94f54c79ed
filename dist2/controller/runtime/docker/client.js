import http from 'node:http';
import Docker from 'dockerode';
import { merge, Observable, Subject, share, takeUntil } from 'rxjs';
import { silentLogger } from '../../log.js';
import { declaredHostPorts, LABEL } from '../labels.js';
import { DockerLogDecoder, sinceParameter } from '../logLines.js';
import { EngineError, } from '../runtime.js';
import { BUILTIN_NETWORKS, toCreateOptions } from './createOptions.js';
import { FOLLOWED_ACTIONS, isRecord, JsonLinesDecoder, toRuntimeEvent } from './events.js';
import { toContainerDescription, toContainerSummary, toObservedContainer } from './observed.js';
export { JsonLinesDecoder } from './events.js';
const DEFAULT_SOCKET = '/var/run/docker.sock';
/**
 * While the engine is away its events stream is retried at least this often, and the
 * reconnect is what tells that it answers again: a restarted engine's tasks are then
 * reconciled within about a second. A refused connection costs next to nothing.
 */
const EVENTS_RECONNECT_MAX_MS = 1000;
/**
 * Container events after which the engine is asked, over a new connection, whether it
 * still answers. A stopping dockerd closes its listener at once, then stops its containers,
 * while connections already open (the events stream, keep-alive sockets) are still served
 * (measured on Docker 20.10): only a new connection tells that the engine is going away.
 */
const ENGINE_STOP_SIGNS = new Set(['kill', 'die', 'stop', 'oom']);
/** While the engine does not answer it is asked this often; its return is noticed within this. */
const PROBE_INTERVAL_MS = 500;
/** A probe's answer is reused for this long: a burst of stops costs one probe. */
const PROBE_REUSE_MS = 200;
/** A probe that gets no answer in this time counts as no answer. */
const PROBE_TIMEOUT_MS = 5000;
/** What a request fails with when nothing answers at the engine's address. */
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const RESYNC = { type: 'resync' };
/**
 * The runtime on a real Docker engine, through dockerode. One instance per engine.
 *
 * Every error from the engine is an `EngineError` naming the engine, the operation
 * and the engine's text. Nothing unlabelled is ever listed, inspected or created.
 */
export class DockerRuntime {
    engine;
    address;
    docker;
    logger;
    backoff;
    listConcurrency;
    knownNetworks = new Set(BUILTIN_NETWORKS);
    /** IPv4 gateways of networks, asked once per network rather than once per launch. */
    gateways = new Map();
    /** Images seen present, and when: a burst of launches asks the engine once. */
    presentImages = new Map();
    networkCreations = new Map();
    closing = new Subject();
    sharedEvents;
    eventsConnected = false;
    closed = false;
    /** Since when the engine has not answered (ms since the epoch); undefined while it answers. */
    unreachableSince;
    reachability = new Subject();
    probing;
    lastProbe;
    probeTimer;
    constructor(options = {}) {
        this.address = resolveEngineAddress(options);
        this.engine = options.engine ?? this.address.url;
        this.logger = (options.logger ?? silentLogger).child({ engine: this.engine });
        this.backoff = { ...(options.eventsBackoff ?? { initialMs: 250, maxMs: EVENTS_RECONNECT_MAX_MS }) };
        this.listConcurrency = Math.max(1, options.listConcurrency ?? 8);
        // Every field is given explicitly: docker-modem merges DOCKER_HOST defaults under
        // these options, and a stray env host would otherwise win over our socketPath.
        // No own http.Agent: docker-modem runs util.inspect(showHidden, depth: null) over
        // each request's options, agent included, whatever the debug setting; with an agent
        // holding 8 sockets, 50 inspects took 1.2 s instead of 40 ms. Node's global agent
        // (keep-alive, idle sockets unref'd) is left out of those options.
        this.docker = new Docker({
            socketPath: this.address.socketPath,
            host: this.address.host,
            port: this.address.port,
            protocol: 'http',
        });
        this.sharedEvents = new Observable((subscriber) => this.followEvents(subscriber)).pipe(takeUntil(this.closing), share());
    }
    async ping() {
        const info = await this.call('ping', () => this.docker.info());
        const backingFilesystem = info.DriverStatus?.find(([key]) => key === 'Backing Filesystem')?.[1];
        return {
            engine: this.engine,
            version: info.ServerVersion ?? 'unknown',
            cpus: info.NCPU ?? 0,
            memoryBytes: info.MemTotal ?? 0,
            ...(info.OSType ? { operatingSystem: info.OSType } : {}),
            ...(info.Architecture ? { architecture: info.Architecture } : {}),
            ...(info.Driver ? { storageDriver: info.Driver } : {}),
            ...(backingFilesystem ? { backingFilesystem } : {}),
        };
    }
    async list(labels = {}) {
        const summaries = await this.listSummaries(labels);
        // The summary lacks exit codes, start/finish times and OOM state: each is inspected, a
        // few at a time. Only the observer lists, and it inspects just what changed.
        const inspected = await mapWithConcurrency(summaries, this.listConcurrency, (summary) => this.inspect(summary.id));
        // A container removed between the list and its inspect is simply gone.
        return inspected.filter((container) => container !== undefined);
    }
    async listSummaries(labels = {}) {
        const filters = { label: labelFilters({ ...labels, [LABEL.managed]: 'true' }) };
        const summaries = await this.call('list containers', () => this.docker.listContainers({ all: true, filters }));
        return summaries.map(toContainerSummary);
    }
    async inspect(id) {
        const info = await this.inspectManaged(id);
        return info && toObservedContainer(info);
    }
    /** The engine's inspect of a berth-managed container; undefined when gone or not managed. */
    async inspectManaged(id) {
        let info;
        try {
            info = await this.docker.getContainer(id).inspect();
        }
        catch (error) {
            if (statusCodeOf(error) === 404)
                return undefined;
            throw this.engineError(`inspect container ${shortId(id)}`, error);
        }
        return info.Config.Labels?.[LABEL.managed] === 'true' ? info : undefined;
    }
    async create(spec) {
        assertManaged(spec, this.engine);
        const operation = `create container "${spec.name}"`;
        const container = await this.call(operation, () => this.docker.createContainer(toCreateOptions(spec)));
        this.logger.debug({ container: spec.name, id: shortId(container.id) }, 'created container');
        return container.id;
    }
    async start(id) {
        try {
            await this.docker.getContainer(id).start();
        }
        catch (error) {
            if (statusCodeOf(error) === 304)
                return; // already running
            const failure = this.engineError(`start container ${shortId(id)}`, error);
            // The engine resolves the network at start. One removed behind our back is
            // forgotten, so the next ensureNetwork recreates it.
            const missingNetwork = failure.statusCode === 404 ? /network (\S+) not found/.exec(failure.engineMessage)?.[1] : undefined;
            if (missingNetwork) {
                this.knownNetworks.delete(missingNetwork);
                this.gateways.delete(missingNetwork);
            }
            throw failure;
        }
    }
    async stop(id, options) {
        try {
            await this.docker.getContainer(id).stop({ t: Math.max(0, Math.round(options.timeoutSeconds)) });
        }
        catch (error) {
            const status = statusCodeOf(error);
            if (status === 304 || status === 404)
                return; // already stopped, or gone
            throw this.engineError(`stop container ${shortId(id)}`, error);
        }
    }
    async remove(id) {
        try {
            // v: anonymous volumes die with the container; nothing else would ever remove them.
            await this.docker.getContainer(id).remove({ force: true, v: true });
        }
        catch (error) {
            const status = statusCodeOf(error);
            if (status === 404)
                return;
            if (status === 409 && /already in progress/i.test(engineMessageOf(error)))
                return;
            throw this.engineError(`remove container ${shortId(id)}`, error);
        }
    }
    async hasImage(ref) {
        const seenAt = this.presentImages.get(ref);
        if (seenAt !== undefined && Date.now() - seenAt < IMAGE_PRESENCE_TTL_MS)
            return true;
        try {
            await this.docker.getImage(ref).inspect();
            this.presentImages.set(ref, Date.now());
            return true;
        }
        catch (error) {
            if (statusCodeOf(error) === 404)
                return false;
            throw this.engineError(`inspect image "${ref}"`, error);
        }
    }
    async pull(ref, auth) {
        const operation = `pull image "${ref}"`;
        // The login travels in the X-Registry-Auth header the engine reads; the engine finds the
        // registry from the image reference, so no server address is needed.
        const options = auth ? { authconfig: { username: auth.username, password: auth.password } } : {};
        const progress = await this.call(operation, () => this.docker.pull(ref, options));
        // The engine answers 200 and then reports failures inside the progress stream, so
        // the stream is read to its end and any `error` line fails the pull.
        await new Promise((resolve, reject) => {
            const decoder = new JsonLinesDecoder();
            let failure;
            let settled = false;
            const finish = (error) => {
                if (settled)
                    return;
                settled = true;
                if (error !== undefined)
                    reject(this.engineError(operation, error));
                else if (failure !== undefined)
                    reject(new EngineError({ engine: this.engine, operation, engineMessage: failure }));
                else
                    resolve();
            };
            progress.on('data', (chunk) => {
                for (const message of decoder.push(chunk)) {
                    if (isRecord(message) && typeof message.error === 'string')
                        failure ??= message.error;
                }
            });
            progress.on('end', () => finish());
            progress.on('close', () => finish());
            progress.on('error', (error) => finish(error));
        });
        this.logger.info({ image: ref }, 'pulled image');
    }
    async ensureNetwork(name, labels) {
        if (this.knownNetworks.has(name))
            return;
        // Concurrent callers in this process share one creation; other processes are
        // handled by the engine's duplicate check (409 below).
        let pending = this.networkCreations.get(name);
        if (!pending) {
            pending = this.createNetworkIfAbsent(name, labels).finally(() => this.networkCreations.delete(name));
            this.networkCreations.set(name, pending);
        }
        return pending;
    }
    async ensureVolume(name, options) {
        if (await this.hasVolume(name))
            return;
        const operation = `create volume "${name}"`;
        // The engine answers an existing name with that volume, so a concurrent creator is no error.
        await this.call(operation, () => this.docker.createVolume({ Name: name, Driver: options.driver ?? 'local', DriverOpts: { ...(options.driverOpts ?? {}) }, Labels: { ...options.labels } }));
        this.logger.info({ volume: name }, 'created volume');
    }
    async hasVolume(name) {
        try {
            await this.docker.getVolume(name).inspect();
            return true;
        }
        catch (error) {
            if (statusCodeOf(error) === 404)
                return false;
            throw this.engineError(`inspect volume "${name}"`, error);
        }
    }
    /**
     * Docker 20.10 (API 1.41) cannot mount a volume's subdirectory (VolumeOptions.Subpath came
     * with API 1.45), so the directory is made by a helper container that mounts the whole
     * volume, and the caller bind-mounts `<Mountpoint><path>`. The Mountpoint is the engine's
     * own host path, so this holds for any engine, local or remote, with the `local` driver.
     */
    async prepareVolumeDirectory(volume, request) {
        const operation = `prepare directory "${request.path}" in volume "${volume}"`;
        const inspected = await this.call(operation, () => this.docker.getVolume(volume).inspect());
        if (inspected.Driver !== 'local' || !inspected.Mountpoint.startsWith('/')) {
            throw new Error(`${operation}: the volume uses the "${inspected.Driver}" driver; only a local volume has a directory on the engine's host`);
        }
        const owner = request.owner;
        const created = await this.call(operation, () => this.docker.createContainer({
            Image: request.image,
            Cmd: ['sh', '-c', VOLUME_DIRECTORY_SCRIPT, 'sh', request.path, owner ? String(owner.uid) : '', owner ? String(owner.gid) : '', owner?.permissions ?? ''],
            User: '0:0',
            // A terminal gives one plain output stream: no multiplexing headers to strip.
            Tty: true,
            Labels: { [LABEL.role]: 'volume-directory' },
            HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: VOLUME_DIRECTORY_MOUNT }] },
        }));
        try {
            await this.call(operation, () => created.start());
            const ended = await this.call(operation, () => created.wait());
            if (ended.StatusCode !== 0) {
                const output = await this.call(operation, () => created.logs({ stdout: true, stderr: true, follow: false }));
                throw new Error(`${operation}: ${output.toString('utf8').trim() || `exit code ${ended.StatusCode}`}`);
            }
        }
        finally {
            await created.remove({ force: true }).catch((error) => this.logger.debug({ err: engineMessageOf(error) }, 'volume directory helper left behind'));
        }
        return request.path === '/' ? inspected.Mountpoint : `${inspected.Mountpoint}${request.path}`;
    }
    async removeVolume(name) {
        try {
            await this.docker.getVolume(name).remove();
            this.logger.info({ volume: name }, 'removed volume');
        }
        catch (error) {
            if (statusCodeOf(error) === 404)
                return;
            throw this.engineError(`remove volume "${name}"`, error);
        }
    }
    async listVolumes(labels = {}) {
        const filters = { label: labelFilters({ ...labels, [LABEL.managed]: 'true' }) };
        const found = await this.call('list volumes', () => this.docker.listVolumes({ filters }));
        return (found.Volumes ?? []).map((volume) => ({ name: volume.Name, driver: volume.Driver, labels: { ...(volume.Labels ?? {}) } }));
    }
    events() {
        return new Observable((subscriber) => {
            if (this.closed) {
                subscriber.complete();
                return undefined;
            }
            // A subscriber joining a live stream gets its own resync, so that "subscribe,
            // wait for resync, then list" holds for every subscriber, not only the first.
            if (this.eventsConnected)
                subscriber.next(RESYNC);
            return merge(this.sharedEvents, this.reachability.pipe(takeUntil(this.closing))).subscribe(subscriber);
        });
    }
    logs(id, options) {
        return new Observable((subscriber) => {
            let stream;
            let unsubscribed = false;
            const operation = `read logs of container ${shortId(id)}`;
            const follow = async () => {
                const container = this.docker.getContainer(id);
                // A terminal container's output is not multiplexed: the decoder must know which it reads.
                const info = await container.inspect();
                const decoder = new DockerLogDecoder({ multiplexed: !info.Config.Tty });
                const query = {
                    stdout: true,
                    stderr: true,
                    timestamps: true,
                    ...(options.since !== undefined ? { since: sinceParameter(options.since) } : {}),
                };
                if (!options.follow) {
                    const output = await container.logs({ ...query, follow: false });
                    const bytes = typeof output === 'string' ? Buffer.from(output, 'utf8') : output;
                    for (const line of [...decoder.push(bytes), ...decoder.end()])
                        subscriber.next(line);
                    subscriber.complete();
                    return;
                }
                const opened = await container.logs({ ...query, follow: true });
                if (unsubscribed) {
                    destroyStream(opened);
                    return;
                }
                stream = opened;
                let ended = false;
                const finish = (error) => {
                    if (ended)
                        return;
                    ended = true;
                    if (error !== undefined)
                        return subscriber.error(this.engineError(operation, error));
                    for (const line of decoder.end())
                        subscriber.next(line);
                    subscriber.complete();
                };
                opened.on('data', (chunk) => {
                    for (const line of decoder.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk))
                        subscriber.next(line);
                });
                opened.on('end', () => finish());
                opened.on('close', () => finish());
                opened.on('error', (error) => finish(error));
            };
            follow().catch((error) => subscriber.error(this.engineError(operation, error)));
            return () => {
                unsubscribed = true;
                if (stream)
                    destroyStream(stream);
            };
        });
    }
    async networkGateway(name) {
        const known = this.gateways.get(name);
        if (known !== undefined)
            return known;
        let info;
        try {
            info = (await this.docker.getNetwork(name).inspect());
        }
        catch (error) {
            if (statusCodeOf(error) === 404)
                return undefined;
            throw this.engineError(`inspect network "${name}"`, error);
        }
        // IPv4 first: a dual-stack network lists an IPv6 subnet too.
        const configs = info.IPAM?.Config ?? [];
        const gateway = configs.map((config) => config.Gateway).find((address) => Boolean(address && address.includes('.')));
        if (gateway !== undefined)
            this.gateways.set(name, gateway);
        return gateway;
    }
    async hostPortsInUse() {
        const running = await this.call('list containers', () => this.docker.listContainers({ all: false }));
        const inUse = [];
        for (const summary of running) {
            const holder = (summary.Names[0] ?? summary.Id).replace(/^\//, '');
            for (const port of summary.Ports ?? []) {
                if (port.PublicPort)
                    inUse.push({ hostPort: port.PublicPort, protocol: port.Type === 'udp' ? 'udp' : 'tcp', holder });
            }
            if (summary.Labels?.[LABEL.managed] === 'true')
                inUse.push(...declaredHostPorts(summary.Labels[LABEL.hostPorts], holder));
        }
        return inUse;
    }
    async describe(id) {
        const info = await this.inspectManaged(id);
        return info && toContainerDescription(info);
    }
    async stats(id) {
        // Only managed containers, as for inspect: the endpoint must never show anyone else's.
        if (!(await this.inspect(id)))
            return undefined;
        try {
            // stream=false waits for a second sample, so precpu_stats is filled as ECS serves it.
            const stats = await this.docker.getContainer(id).stats({ stream: false });
            return isRecord(stats) ? stats : undefined;
        }
        catch (error) {
            if (statusCodeOf(error) === 404)
                return undefined;
            throw this.engineError(`stats of container ${shortId(id)}`, error);
        }
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        // Ends the events stream and its retry timer; other requests finish on their own.
        this.closing.next();
        this.closing.complete();
        clearTimeout(this.probeTimer);
    }
    async createNetworkIfAbsent(name, labels) {
        const existing = await this.networksNamed(name);
        if (existing.length === 0) {
            // A network made anew may have another subnet, and so another gateway.
            this.gateways.delete(name);
            try {
                await this.docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { ...labels } });
                this.logger.info({ network: name }, 'created network');
            }
            catch (error) {
                // Someone else created it between our list and our create: that is the goal.
                if (statusCodeOf(error) !== 409)
                    throw this.engineError(`create network "${name}"`, error);
            }
        }
        if (existing.length !== 1)
            await this.removeDuplicateNetworks(name);
        this.knownNetworks.add(name);
    }
    /**
     * The engine's duplicate check is not atomic: two creators racing (two controllers,
     * or a controller and a person) both succeed, measured on Docker 20.10, and then
     * every use of the name fails as ambiguous. Every creator settles on the same
     * survivor, the oldest network (then the lowest id), and removes the others.
     */
    async removeDuplicateNetworks(name) {
        const named = await this.networksNamed(name);
        if (named.length < 2)
            return;
        const [survivor, ...duplicates] = [...named].sort((a, b) => Date.parse(a.Created) - Date.parse(b.Created) || a.Id.localeCompare(b.Id));
        for (const duplicate of duplicates) {
            try {
                await this.docker.getNetwork(duplicate.Id).remove();
                this.logger.info({ network: name, removed: shortId(duplicate.Id), kept: shortId(survivor?.Id ?? '') }, 'removed duplicate network');
            }
            catch (error) {
                if (statusCodeOf(error) === 404)
                    continue; // the other creator removed it first
                // In use already (403): removing it would cut containers off; leave it to a person.
                this.logger.warn({ network: name, duplicate: shortId(duplicate.Id), error: engineMessageOf(error) }, 'cannot remove duplicate network');
            }
        }
    }
    async networksNamed(name) {
        const found = await this.call(`list networks named "${name}"`, () => this.docker.listNetworks({ filters: { name: [name] } }));
        // The engine's name filter matches substrings: compare names exactly.
        return found.filter((network) => network.Name === name);
    }
    /**
     * Follows the engine's events stream for one shared subscription, reconnecting with
     * capped exponential backoff. A resync is emitted after every successful connect:
     * anything that happened while disconnected is only found by relisting.
     */
    followEvents(subscriber) {
        const { initialMs, maxMs } = this.backoff;
        const filters = { type: ['container'], label: [`${LABEL.managed}=true`], event: FOLLOWED_ACTIONS };
        let stream;
        let retryTimer;
        let failures = 0;
        let connectedAt;
        let stopped = false;
        const scheduleReconnect = (reason) => {
            this.eventsConnected = false;
            stream = undefined;
            if (stopped)
                return;
            // A stream that stayed up for a while was healthy: start the backoff afresh.
            if (connectedAt !== undefined && Date.now() - connectedAt >= maxMs)
                failures = 0;
            connectedAt = undefined;
            const delayMs = Math.min(maxMs, initialMs * 2 ** failures);
            failures += 1;
            this.logger.warn({ reason, retryInMs: delayMs }, 'docker events stream lost; reconnecting');
            retryTimer = setTimeout(() => void connect(), delayMs);
        };
        const connect = async () => {
            retryTimer = undefined;
            let opened;
            try {
                opened = await this.docker.getEvents({ filters });
            }
            catch (error) {
                scheduleReconnect(this.engineError('follow events', error).message);
                return;
            }
            if (stopped) {
                destroyStream(opened);
                return;
            }
            stream = opened;
            connectedAt = Date.now();
            this.eventsConnected = true;
            this.noteAnswered();
            this.logger.debug('following docker events');
            // The engine subscribes before it answers, so every event after this point reaches us.
            subscriber.next(RESYNC);
            const decoder = new JsonLinesDecoder({
                onMalformed: (line) => this.logger.warn({ line: line.slice(0, 200) }, 'ignoring malformed docker event'),
            });
            // Stops wait for a probe of the engine, so that observers hear of an engine going
            // away before they hear of the stops it caused; events keep their order.
            let delivery = Promise.resolve();
            let ended = false;
            const onEnd = (reason) => {
                if (ended)
                    return;
                ended = true;
                destroyStream(opened);
                scheduleReconnect(reason);
            };
            opened.on('data', (chunk) => {
                for (const message of decoder.push(chunk)) {
                    const event = toRuntimeEvent(message);
                    if (!event)
                        continue;
                    delivery = delivery.then(async () => {
                        if (event.type === 'container' && ENGINE_STOP_SIGNS.has(event.action))
                            await this.probe();
                        subscriber.next(event);
                    });
                }
            });
            opened.on('end', () => onEnd('stream ended'));
            opened.on('close', () => onEnd('stream closed'));
            opened.on('error', (error) => onEnd(engineMessageOf(error)));
        };
        void connect();
        return () => {
            stopped = true;
            this.eventsConnected = false;
            if (retryTimer)
                clearTimeout(retryTimer);
            if (stream)
                destroyStream(stream);
        };
    }
    async call(operation, request) {
        try {
            return await request();
        }
        catch (error) {
            throw this.engineError(operation, error);
        }
    }
    /**
     * Whether the engine answers a new connection now (see ENGINE_STOP_SIGNS); notes the
     * outage or its end. Never rejects.
     */
    probe() {
        if (this.lastProbe && Date.now() - this.lastProbe.at < PROBE_REUSE_MS)
            return Promise.resolve(this.lastProbe.answered);
        const startedAt = Date.now();
        this.probing ??= pingOverNewConnection(this.address).then((answered) => {
            this.probing = undefined;
            this.logger.debug({ answered, ms: Date.now() - startedAt }, 'probed engine over a new connection');
            this.lastProbe = { at: Date.now(), answered };
            if (answered)
                this.noteAnswered();
            else
                this.noteUnreachable(`engine ${this.engine}: does not accept new connections`);
            return answered;
        });
        return this.probing;
    }
    /**
     * A request found nobody at the engine's address. While an engine shuts down its events
     * stream still delivers the stops of its containers, but new connections are refused
     * (measured on Docker 20.10): the first refused request dates the outage.
     */
    noteUnreachable(reason) {
        if (this.unreachableSince !== undefined || this.closed)
            return;
        const since = Date.now();
        this.unreachableSince = since;
        this.reachability.next({ type: 'unreachable', since, reason });
        // Its return is told by the events stream reconnecting or by these probes, never by
        // a request on a connection opened before: a stopping engine still answers those.
        const probeAgain = () => {
            this.probeTimer = setTimeout(() => {
                if (this.closed || this.unreachableSince === undefined)
                    return;
                void this.probe().then((answered) => {
                    if (!answered)
                        probeAgain();
                });
            }, PROBE_INTERVAL_MS);
            this.probeTimer.unref();
        };
        probeAgain();
    }
    noteAnswered() {
        const since = this.unreachableSince;
        if (since === undefined || this.closed)
            return;
        this.unreachableSince = undefined;
        this.reachability.next({ type: 'reachable', since, at: Date.now() });
    }
    engineError(operation, error) {
        if (error instanceof EngineError)
            return error;
        const statusCode = statusCodeOf(error);
        const unreachable = statusCode === undefined && isRecord(error) && typeof error.code === 'string' && CONNECTION_FAILURES.has(error.code);
        const failure = new EngineError({ engine: this.engine, operation, engineMessage: engineMessageOf(error), statusCode, cause: error, unreachable });
        // A keep-alive socket the engine closed fails the same way: only a probe tells.
        if (unreachable)
            void this.probe();
        return failure;
    }
}
/** GET /_ping over a connection of its own (no keep-alive socket): true when the engine answers 200. */
function pingOverNewConnection(address) {
    return new Promise((resolve) => {
        const target = address.socketPath ? { socketPath: address.socketPath } : { host: address.host, port: address.port };
        // One deadline for connecting and answering alike: a probe must never hold events back for long.
        const deadline = setTimeout(() => {
            request.destroy();
            resolve(false);
        }, PROBE_TIMEOUT_MS);
        const request = http.request({ ...target, path: '/_ping', method: 'GET', agent: false }, (response) => {
            clearTimeout(deadline);
            response.resume();
            resolve(response.statusCode === 200);
        });
        request.on('error', () => {
            clearTimeout(deadline);
            resolve(false);
        });
        request.end();
    });
}
/** Where to reach the engine: explicit socket, then `host`, then DOCKER_HOST, then the default socket. */
function resolveEngineAddress(options) {
    if (options.socketPath)
        return { url: `unix://${options.socketPath}`, socketPath: options.socketPath };
    const configured = options.host ?? process.env.DOCKER_HOST;
    if (!configured)
        return { url: `unix://${DEFAULT_SOCKET}`, socketPath: DEFAULT_SOCKET };
    if (configured.startsWith('unix://')) {
        const socketPath = configured.slice('unix://'.length) || DEFAULT_SOCKET;
        return { url: `unix://${socketPath}`, socketPath };
    }
    let parsed;
    try {
        parsed = new URL(configured.includes('://') ? configured : `tcp://${configured}`);
    }
    catch {
        throw new Error(`engine address "${configured}" is not a URL: use unix:///path/to/docker.sock or tcp://host:port`);
    }
    if (parsed.protocol !== 'tcp:' && parsed.protocol !== 'http:') {
        throw new Error(`engine address "${configured}": only unix:// and plain tcp:// engines are supported`);
    }
    const port = Number(parsed.port || 2375);
    return { url: `tcp://${parsed.hostname}:${port}`, host: parsed.hostname, port };
}
function assertManaged(spec, engine) {
    if (spec.labels[LABEL.managed] !== 'true') {
        throw new Error(`refusing to create container "${spec.name}" on engine ${engine}: its labels lack ${LABEL.managed}=true, ` +
            'so berth could never find or clean it up again');
    }
}
/** Where the volume directory helper sees the volume. */
const VOLUME_DIRECTORY_MOUNT = '/volume';
/**
 * Creates $1 ("/a/b") under the volume one part at a time: a part that is a symbolic link
 * is refused (it could point out of the volume, and the bind mount is resolved on the
 * host), as is one that is no directory. Only a leaf it creates itself gets the owner
 * ($2:$3) and permissions ($4); an existing one is left as it is. Parallel launches may
 * race on mkdir: losing is fine when the directory is there.
 */
const VOLUME_DIRECTORY_SCRIPT = `set -eu
cd ${VOLUME_DIRECTORY_MOUNT}
set -f
IFS=/
created=no
for part in $1; do
  [ -n "$part" ] || continue
  if [ -L "$part" ]; then echo "$part is a symbolic link; refused" >&2; exit 3; fi
  if mkdir -m 0755 "$part" 2>/dev/null; then created=yes; else created=no; fi
  if [ -L "$part" ] || [ ! -d "$part" ]; then echo "$part is not a directory" >&2; exit 3; fi
  cd "$part"
done
if [ "$created" = yes ] && [ -n "$2" ]; then chown "$2:$3" . && chmod "$4" .; fi`;
/** How long an image seen present is taken to be there without asking again. */
const IMAGE_PRESENCE_TTL_MS = 10_000;
function labelFilters(labels) {
    return Object.entries(labels).map(([key, value]) => `${key}=${value}`);
}
async function mapWithConcurrency(items, limit, work) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await work(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
function destroyStream(stream) {
    const destroyable = stream;
    destroyable.destroy?.();
}
function statusCodeOf(error) {
    return isRecord(error) && typeof error.statusCode === 'number' ? error.statusCode : undefined;
}
/** The engine's own words: its JSON `message` when it answered, the socket error otherwise. */
function engineMessageOf(error) {
    if (!isRecord(error))
        return String(error);
    const { json, message, code } = error;
    if (isRecord(json) && typeof json.message === 'string')
        return json.message.trim();
    if (typeof json === 'string' && json.trim())
        return json.trim();
    if (Buffer.isBuffer(json) && json.length > 0)
        return json.toString('utf8').trim();
    if (typeof message === 'string' && message)
        return message.trim();
    return code ?? 'unknown error';
}
function shortId(id) {
    return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}
//# sourceMappingURL=client.js.map