import { createServer } from 'node:http';
import { LABEL } from '../runtime/labels.js';
import { CREDENTIALS_PATH_PREFIX, ecsRoleCredentials, INVALID_CREDENTIALS_ID, parseCredentialsPath } from './credentials.js';
import { containerMetadata, taskMetadata } from './shape.js';
import { errorMessage } from '../errors.js';
/** Where the ECS agent serves it; berth listens there too unless told otherwise. */
export const DEFAULT_METADATA_PORT = 51679;
export const DEFAULT_METADATA_ADDRESS = `0.0.0.0:${DEFAULT_METADATA_PORT}`;
/** "HOST:PORT", "[v6]:PORT"; port 0 lets the system choose. */
export function parseListenAddress(text) {
    const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
    const port = Number(match?.[3]);
    if (!match || port > 65535)
        throw new Error(`"${text}" is not HOST:PORT (for example 0.0.0.0:${DEFAULT_METADATA_PORT}, 172.18.0.1:8080 or [::]:${DEFAULT_METADATA_PORT})`);
    return { host: match[1] ?? match[2], port };
}
const UNSPECIFIED_HOSTS = new Set(['0.0.0.0', '::']);
/** Where the endpoint always listens when given an unspecified host: host-mode tasks and the host itself reach it there. */
export const METADATA_LOOPBACK = '127.0.0.1';
/**
 * The ECS task metadata endpoint (v4, and v3 at the same paths for older clients),
 * served over plain HTTP by the controller:
 *
 *   GET /v4/<id>             the container          GET /v4/<id>/stats        its Docker stats
 *   GET /v4/<id>/task        the task               GET /v4/<id>/task/stats   stats of each container
 *
 * <id> carries an HMAC (see EndpointTokens): anything else, an altered id included,
 * gets the same 404 as a task that is gone, so the server tells nobody without a URI
 * whether a task exists. Nothing is cached: every answer is read from the engine.
 *
 * An unspecified listen host (0.0.0.0, the default, or ::) does not bind every interface:
 * the server listens on the loopback address, and on each task network's gateway as
 * tasks on that network are launched or found, all on one port. Only the host and the
 * tasks can then reach it, not the machine's other networks.
 */
export class MetadataServer {
    options;
    server;
    listening;
    /** The gateway listeners, by address: each bound once, however many launches ask at once. */
    gatewayListeners = new Map();
    /** The listener at ECS's credentials address, once set up. */
    ecsCredentialsListener;
    constructor(options) {
        this.options = options;
        this.server = this.newServer();
    }
    newServer() {
        const server = createServer((request, response) => void this.handle(request, response));
        // Keep-alive sockets of clients must not hold the controller's exit.
        server.keepAliveTimeout = 5_000;
        return server;
    }
    /** The address actually bound (the port may differ from the one asked for). */
    get address() {
        return this.listening;
    }
    get needsGateway() {
        return UNSPECIFIED_HOSTS.has(this.options.address.host);
    }
    /** Every address the server listens on now, the loopback or configured one first. */
    async boundAddresses() {
        if (!this.listening)
            return [];
        const gateways = (await Promise.all(this.gatewayListeners.values())).filter((server) => server !== undefined);
        return [this.listening, ...gateways.map((server) => ({ host: server.address().address, port: server.address().port }))];
    }
    async start() {
        const { fallbackToFreePort, logger } = this.options;
        const address = this.needsGateway ? { host: METADATA_LOOPBACK, port: this.options.address.port } : this.options.address;
        try {
            await this.listen(address);
        }
        catch (error) {
            if (error.code !== 'EADDRINUSE' || !fallbackToFreePort) {
                throw new Error(`task metadata endpoint: cannot listen on ${formatAddress(address)}: ${error.message}`, { cause: error });
            }
            // Another controller on this host has the default port: tasks launched from now on
            // are told the free port; a controller restart may then land on a different one.
            await this.listen({ host: address.host, port: 0 });
            logger.warn({ wanted: formatAddress(address), listening: formatAddress(this.listening) }, 'task metadata port in use; listening on a free port');
        }
        logger.info({ address: formatAddress(this.listening) }, 'task metadata endpoint listening');
        await this.startEcsCredentialsEndpoint();
    }
    /** True when bridge and awsvpc tasks are given AWS_CONTAINER_CREDENTIALS_RELATIVE_URI. */
    get servesEcsCredentialsAddress() {
        return this.ecsCredentialsListener !== undefined;
    }
    /**
     * Never fails the start: without the address, tasks fall back to a FULL_URI on their
     * gateway, which plain HTTP clients read and AWS SDKs refuse; the warning says so.
     */
    async startEcsCredentialsEndpoint() {
        const endpoint = this.options.credentials?.ecsEndpoint;
        if (!endpoint)
            return;
        const where = formatAddress(endpoint.address);
        const server = this.newServer();
        try {
            await endpoint.assign(endpoint.address.host);
            await listenOn(server, endpoint.address);
        }
        catch (error) {
            const code = error.code;
            const reason = code === 'EADDRINUSE'
                ? `${where} is in use (another berth controller or an ECS agent on this host serves it)`
                : code === 'EACCES'
                    ? `binding port ${endpoint.address.port} needs root or CAP_NET_BIND_SERVICE`
                    : error.message;
            this.options.logger.warn({ address: where, reason }, `task role credentials are not served at ${where}: ${reason}. Bridge and awsvpc tasks are given AWS_CONTAINER_CREDENTIALS_FULL_URI on their network gateway instead, which plain HTTP clients read but AWS SDKs refuse; run as root (or with CAP_NET_ADMIN and CAP_NET_BIND_SERVICE), or pass --credentials-endpoint off to choose this`);
            return;
        }
        if (!this.listening) {
            // Stopped meanwhile.
            await closeServer(server);
            return;
        }
        this.ecsCredentialsListener = server;
        this.options.logger.info({ address: where }, `task role credentials served at ${where}; bridge and awsvpc tasks are given AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`);
    }
    async stop() {
        if (!this.listening)
            return;
        this.listening = undefined;
        const gateways = (await Promise.all(this.gatewayListeners.values())).filter((server) => server !== undefined);
        this.gatewayListeners.clear();
        const ecs = this.ecsCredentialsListener ? [this.ecsCredentialsListener] : [];
        this.ecsCredentialsListener = undefined;
        // The address stays on lo: another controller may have found it there and rely on it,
        // telling who does is racy, and a /32 link-local address on lo reaches nothing else.
        await Promise.all([this.server, ...gateways, ...ecs].map((server) => closeServer(server)));
    }
    async reachableAt(host) {
        // Bound to one given address, or not started (nothing to add to): nothing to do.
        if (!this.needsGateway || !this.listening || host === METADATA_LOOPBACK)
            return;
        let pending = this.gatewayListeners.get(host);
        if (!pending) {
            pending = this.listenOnGateway(host, this.listening.port);
            this.gatewayListeners.set(host, pending);
        }
        await pending;
    }
    async listenOnGateway(host, port) {
        const server = this.newServer();
        try {
            await listenOn(server, { host, port });
            if (!this.listening) {
                // Stopped meanwhile: this listener must not outlive the others.
                await closeServer(server);
                return undefined;
            }
            this.options.logger.info({ address: formatAddress({ host, port }) }, 'task metadata endpoint listening on a task network');
            return server;
        }
        catch (error) {
            // A remote engine's network, or the controller in a container of its own: the
            // address is not this host's. Tasks there cannot reach the endpoint, as before.
            this.options.logger.warn({ address: formatAddress({ host, port }), err: error.message }, 'task metadata endpoint cannot listen on a task network gateway; tasks on that network cannot reach it (pass --metadata-address to choose an address)');
            // Not tried again: the warning is given once per address, not on every launch.
            return undefined;
        }
    }
    /**
     * With an unspecified host, containers are told their network's gateway (the host's
     * address on it, where the server listens too) or, in host mode, the loopback address;
     * with one given address, that address.
     * A task without a network (none) cannot reach any, so it gets no URI.
     */
    hostFor(networkMode, gateway) {
        if (networkMode === 'none')
            return undefined;
        if (!this.needsGateway)
            return this.options.address.host;
        if (networkMode === 'host')
            return '127.0.0.1';
        return gateway;
    }
    environment(host, subject) {
        const port = this.listening?.port ?? this.options.address.port;
        const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
        const id = this.options.tokens.endpointId({ taskId: subject.taskId, container: subject.container });
        const environment = {
            ECS_CONTAINER_METADATA_URI_V4: `${base}/v4/${id}`,
            ECS_CONTAINER_METADATA_URI: `${base}/v3/${id}`,
        };
        const credentials = this.options.credentials;
        if (credentials && subject.taskRoleArn !== undefined) {
            const path = `${CREDENTIALS_PATH_PREFIX}${credentials.tokens.credentialsId({ taskId: subject.taskId, roleArn: subject.taskRoleArn })}`;
            // SDKs prepend http://169.254.170.2 to a RELATIVE_URI, as ECS's agent has them do. A
            // host-mode task shares the host's addresses, so its requests there would not come
            // from an address of its own: it keeps a FULL_URI on 127.0.0.1, which SDKs accept
            // (loopback). So do tasks of a remote engine, whose 169.254.170.2 is not this host.
            const relative = this.servesEcsCredentialsAddress && subject.networkMode !== 'host' && subject.engineOnThisHost;
            if (relative)
                environment.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = path;
            else
                environment.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${base}${path}`;
        }
        return environment;
    }
    async listen(address) {
        const bound = await listenOn(this.server, address);
        this.listening = { host: address.host, port: bound.port };
    }
    async handle(request, response) {
        try {
            const credentialsId = parseCredentialsPath(request.url ?? '/');
            if (credentialsId !== undefined && this.options.credentials)
                return await this.serveCredentials(credentialsId, request, response);
            const route = parseRoute(request.url ?? '/');
            const subject = route && this.options.tokens.verify(route.endpointId);
            if (!route || !subject)
                return send(response, 404, { error: 'not found' });
            if (request.method !== 'GET' && request.method !== 'HEAD')
                return send(response, 405, { error: 'only GET' });
            const found = await this.options.lookup(subject.taskId);
            const own = found?.containers.find((c) => c.labels[LABEL.container] === subject.container);
            if (!found || !own)
                return send(response, 404, { error: 'not found' });
            send(response, 200, await this.document(route.resource, found, own));
        }
        catch (error) {
            this.options.logger.warn({ url: redact(request.url), err: errorMessage(error) }, 'task metadata request failed');
            if (!response.headersSent)
                send(response, 500, { error: 'engine unavailable' });
        }
    }
    /**
     * A task's role credentials, read from the secrets provider at every request. An id that
     * is malformed, has a wrong mac, or names a task that is gone or has no role gets ECS's
     * 400 alike; a role without a mapping gets 500 with the reason (which names the role and
     * files, never a value), and nothing is made up.
     */
    async serveCredentials(credentialsId, request, response) {
        const credentials = this.options.credentials;
        const taskId = credentials.tokens.claimedTaskId(credentialsId);
        const found = taskId === undefined ? undefined : await this.options.lookup(taskId);
        const roleArn = found?.context.taskRoleArn;
        if (taskId === undefined || roleArn === undefined || !credentials.tokens.verify(credentialsId, { taskId, roleArn })) {
            return send(response, 400, INVALID_CREDENTIALS_ID);
        }
        const from = requesterAddress(request);
        if (!isTaskItself(found, from)) {
            // A URI that leaked (a log, another task's environment) opens nothing anywhere else.
            this.options.logger.warn({ taskId, from }, 'task role credentials asked for from an address that is not the task\'s; refused');
            return send(response, 400, INVALID_CREDENTIALS_ID);
        }
        if (request.method !== 'GET' && request.method !== 'HEAD')
            return send(response, 405, { error: 'only GET' });
        try {
            send(response, 200, ecsRoleCredentials(roleArn, await credentials.read(roleArn)));
        }
        catch (error) {
            const message = errorMessage(error);
            this.options.logger.warn({ taskId, roleArn, err: message }, 'task role credentials unavailable');
            send(response, 500, { code: 'InternalServerError', message });
        }
    }
    async document(resource, found, own) {
        switch (resource) {
            case 'container':
                return containerMetadata(own, found.context);
            case 'task':
                return taskMetadata(found.containers, found.context);
            case 'stats':
                return (await found.runtime.stats(own.id)) ?? null;
            case 'task/stats': {
                // ECS maps every container's Docker id to its stats, null for one without any.
                const entries = await Promise.all(found.containers.map(async (c) => [c.id, (await found.runtime.stats(c.id)) ?? null]));
                return Object.fromEntries(entries);
            }
        }
    }
}
/** The peer's address, an IPv4-mapped IPv6 address as plain IPv4. */
function requesterAddress(request) {
    return (request.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}
/**
 * Whether a request comes from the task whose credentials it asks for. A task on the
 * cluster network comes from its own address (no NAT between a container and its gateway).
 * A host-mode task shares the host's addresses, so it is told a loopback URI and asks from
 * there: anything else on the host could too, which is what host mode means.
 */
export function isTaskItself(found, from) {
    if (found.context.networkMode === 'host')
        return /^127\./.test(from) || from === '::1';
    return found.addresses.includes(from);
}
const ROUTE = /^\/v[34]\/([^/?#]+)(\/task|\/stats|\/task\/stats)?\/?$/;
/** "/v4/<id>/task/stats" → the endpoint id and the resource; undefined for any other path. */
export function parseRoute(url) {
    const path = url.split('?')[0];
    const match = ROUTE.exec(path);
    if (!match)
        return undefined;
    return { endpointId: match[1], resource: (match[2]?.slice(1) ?? 'container') };
}
function send(response, status, body) {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    response.end(text);
}
/** Logs never carry a URI's mac. */
function redact(url) {
    return (url ?? '').replace(/\.[0-9a-f]{32}(?=\/|$|\?)/, '.<mac>');
}
function listenOn(server, address) {
    return new Promise((resolve, reject) => {
        const onError = (error) => reject(error);
        server.once('error', onError);
        server.listen(address.port, address.host, () => {
            server.off('error', onError);
            resolve(server.address());
        });
    });
}
function closeServer(server) {
    const closed = new Promise((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    return closed;
}
export function formatAddress(address) {
    return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
//# sourceMappingURL=server.js.map