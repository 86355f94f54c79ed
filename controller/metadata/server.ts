import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import { LABEL } from '../runtime/labels.js';
import type { ContainerDescription, Runtime } from '../runtime/runtime.js';
import type { RoleCredentials } from '../secrets/roles.js';
import { CREDENTIALS_PATH_PREFIX, ecsRoleCredentials, INVALID_CREDENTIALS_ID, parseCredentialsPath, type CredentialsTokens } from './credentials.js';
import { containerMetadata, taskMetadata, type TaskContext } from './shape.js';
import type { EndpointTokens } from './tokens.js';
import { errorMessage } from '../errors.js';

/** Where the ECS agent serves it; berth listens there too unless told otherwise. */
export const DEFAULT_METADATA_PORT = 51679;
export const DEFAULT_METADATA_ADDRESS = `0.0.0.0:${DEFAULT_METADATA_PORT}`;

export interface ListenAddress {
  host: string;
  port: number;
}

/** "HOST:PORT", "[v6]:PORT"; port 0 lets the system choose. */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new Error(`"${text}" is not HOST:PORT (for example 0.0.0.0:${DEFAULT_METADATA_PORT}, 172.18.0.1:8080 or [::]:${DEFAULT_METADATA_PORT})`);
  return { host: match[1] ?? match[2]!, port };
}

/** A task found on an engine, with what only the controller knows about it. */
export interface FoundTask {
  runtime: Runtime;
  /** Oldest first. */
  containers: ContainerDescription[];
  context: TaskContext;
  /**
   * The IPv4 addresses of the task's network namespaces (its pause container's included):
   * where its own requests come from, in bridge and awsvpc mode.
   */
  addresses: string[];
}

export type TaskLookup = (taskId: string) => Promise<FoundTask | undefined>;

/**
 * What the launcher needs to give a task's containers their metadata URIs. Kept
 * apart from the server so the launcher and its tests need no HTTP.
 */
export interface MetadataEndpoint {
  /** True when the address containers are told depends on their network's gateway. */
  readonly needsGateway: boolean;
  /**
   * The host containers of a task reach the server at, or undefined when they cannot:
   * no network at all, or a bridge network whose gateway is unknown.
   */
  hostFor(networkMode: string, gateway: string | undefined): string | undefined;
  /**
   * ECS_CONTAINER_METADATA_URI_V4 and ECS_CONTAINER_METADATA_URI for one container, and,
   * when the task has a role and the server serves credentials,
   * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (served at 169.254.170.2) or _FULL_URI.
   */
  environment(host: string, subject: CredentialsSubject): Record<string, string>;
  /**
   * Makes the endpoint answer at `host` (a task network's gateway) before a container is
   * told that address. Never fails a launch: an address this host does not have is logged.
   */
  reachableAt(host: string): Promise<void>;
}

/** Whose metadata and credentials URIs are being made. */
export interface CredentialsSubject {
  taskId: string;
  container: string;
  taskRoleArn?: string;
  /** The task's networkMode (bridge when absent). */
  networkMode: string;
  /** The task's engine runs on this host, so its containers' packets for 169.254.170.2 reach this host. */
  engineOnThisHost: boolean;
}

/** Serving credentials at ECS's own address; see ecsCredentialsAddress.ts for how it is reached. */
export interface EcsCredentialsEndpointOptions {
  /** 169.254.170.2:80 in use; tests may choose another address, the URIs handed out stay ECS's. */
  address: ListenAddress;
  /** Makes the host own the address; rejects with why it cannot. */
  assign: (host: string) => Promise<void>;
}

export interface MetadataServerOptions {
  address: ListenAddress;
  /** When the address is taken, listen on a free port of the same host instead of failing. */
  fallbackToFreePort: boolean;
  tokens: EndpointTokens;
  lookup: TaskLookup;
  logger: Logger;
  /** Serves task role credentials at /v2/credentials/<id> when given. */
  credentials?: {
    tokens: CredentialsTokens;
    /** The credentials mapped to a role; rejects with a message naming the role, never a value. */
    read: (roleArn: string) => Promise<RoleCredentials>;
    /**
     * Also listen at ECS's credentials address, so that bridge and awsvpc tasks are given
     * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, which every AWS SDK reads. When it cannot be set
     * up, one warning says why and those tasks get a FULL_URI on their gateway, as without it.
     */
    ecsEndpoint?: EcsCredentialsEndpointOptions;
  };
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
export class MetadataServer implements MetadataEndpoint {
  private readonly server: Server;
  private listening: ListenAddress | undefined;
  /** The gateway listeners, by address: each bound once, however many launches ask at once. */
  private readonly gatewayListeners = new Map<string, Promise<Server | undefined>>();
  /** The listener at ECS's credentials address, once set up. */
  private ecsCredentialsListener: Server | undefined;

  constructor(private readonly options: MetadataServerOptions) {
    this.server = this.newServer();
  }

  private newServer(): Server {
    const server = createServer((request, response) => void this.handle(request, response));
    // Keep-alive sockets of clients must not hold the controller's exit.
    server.keepAliveTimeout = 5_000;
    return server;
  }

  /** The address actually bound (the port may differ from the one asked for). */
  get address(): ListenAddress | undefined {
    return this.listening;
  }

  get needsGateway(): boolean {
    return UNSPECIFIED_HOSTS.has(this.options.address.host);
  }

  /** Every address the server listens on now, the loopback or configured one first. */
  async boundAddresses(): Promise<ListenAddress[]> {
    if (!this.listening) return [];
    const gateways = (await Promise.all(this.gatewayListeners.values())).filter((server): server is Server => server !== undefined);
    return [this.listening, ...gateways.map((server) => ({ host: (server.address() as AddressInfo).address, port: (server.address() as AddressInfo).port }))];
  }

  async start(): Promise<void> {
    const { fallbackToFreePort, logger } = this.options;
    const address = this.needsGateway ? { host: METADATA_LOOPBACK, port: this.options.address.port } : this.options.address;
    try {
      await this.listen(address);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !fallbackToFreePort) {
        throw new Error(`task metadata endpoint: cannot listen on ${formatAddress(address)}: ${(error as Error).message}`, { cause: error });
      }
      // Another controller on this host has the default port: tasks launched from now on
      // are told the free port; a controller restart may then land on a different one.
      await this.listen({ host: address.host, port: 0 });
      logger.warn({ wanted: formatAddress(address), listening: formatAddress(this.listening!) }, 'task metadata port in use; listening on a free port');
    }
    logger.info({ address: formatAddress(this.listening!) }, 'task metadata endpoint listening');
    await this.startEcsCredentialsEndpoint();
  }

  /** True when bridge and awsvpc tasks are given AWS_CONTAINER_CREDENTIALS_RELATIVE_URI. */
  get servesEcsCredentialsAddress(): boolean {
    return this.ecsCredentialsListener !== undefined;
  }

  /**
   * Never fails the start: without the address, tasks fall back to a FULL_URI on their
   * gateway, which plain HTTP clients read and AWS SDKs refuse; the warning says so.
   */
  private async startEcsCredentialsEndpoint(): Promise<void> {
    const endpoint = this.options.credentials?.ecsEndpoint;
    if (!endpoint) return;
    const where = formatAddress(endpoint.address);
    const server = this.newServer();
    try {
      await endpoint.assign(endpoint.address.host);
      await listenOn(server, endpoint.address);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'EADDRINUSE'
          ? `${where} is in use (another berth controller or an ECS agent on this host serves it)`
          : code === 'EACCES'
            ? `binding port ${endpoint.address.port} needs root or CAP_NET_BIND_SERVICE`
            : (error as Error).message;
      this.options.logger.warn(
        { address: where, reason },
        `task role credentials are not served at ${where}: ${reason}. Bridge and awsvpc tasks are given AWS_CONTAINER_CREDENTIALS_FULL_URI on their network gateway instead, which plain HTTP clients read but AWS SDKs refuse; run as root (or with CAP_NET_ADMIN and CAP_NET_BIND_SERVICE), or pass --credentials-endpoint off to choose this`,
      );
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

  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = undefined;
    const gateways = (await Promise.all(this.gatewayListeners.values())).filter((server): server is Server => server !== undefined);
    this.gatewayListeners.clear();
    const ecs = this.ecsCredentialsListener ? [this.ecsCredentialsListener] : [];
    this.ecsCredentialsListener = undefined;
    // The address stays on lo: another controller may have found it there and rely on it,
    // telling who does is racy, and a /32 link-local address on lo reaches nothing else.
    await Promise.all([this.server, ...gateways, ...ecs].map((server) => closeServer(server)));
  }

  async reachableAt(host: string): Promise<void> {
    // Bound to one given address, or not started (nothing to add to): nothing to do.
    if (!this.needsGateway || !this.listening || host === METADATA_LOOPBACK) return;
    let pending = this.gatewayListeners.get(host);
    if (!pending) {
      pending = this.listenOnGateway(host, this.listening.port);
      this.gatewayListeners.set(host, pending);
    }
    await pending;
  }

  private async listenOnGateway(host: string, port: number): Promise<Server | undefined> {
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
    } catch (error) {
      // A remote engine's network, or the controller in a container of its own: the
      // address is not this host's. Tasks there cannot reach the endpoint, as before.
      this.options.logger.warn(
        { address: formatAddress({ host, port }), err: (error as Error).message },
        'task metadata endpoint cannot listen on a task network gateway; tasks on that network cannot reach it (pass --metadata-address to choose an address)',
      );
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
  hostFor(networkMode: string, gateway: string | undefined): string | undefined {
    if (networkMode === 'none') return undefined;
    if (!this.needsGateway) return this.options.address.host;
    if (networkMode === 'host') return '127.0.0.1';
    return gateway;
  }

  environment(host: string, subject: CredentialsSubject): Record<string, string> {
    const port = this.listening?.port ?? this.options.address.port;
    const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const id = this.options.tokens.endpointId({ taskId: subject.taskId, container: subject.container });
    const environment: Record<string, string> = {
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
      if (relative) environment.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = path;
      else environment.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${base}${path}`;
    }
    return environment;
  }

  private async listen(address: ListenAddress): Promise<void> {
    const bound = await listenOn(this.server, address);
    this.listening = { host: address.host, port: bound.port };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const credentialsId = parseCredentialsPath(request.url ?? '/');
      if (credentialsId !== undefined && this.options.credentials) return await this.serveCredentials(credentialsId, request, response);
      const route = parseRoute(request.url ?? '/');
      const subject = route && this.options.tokens.verify(route.endpointId);
      if (!route || !subject) return send(response, 404, { error: 'not found' });
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, { error: 'only GET' });
      const found = await this.options.lookup(subject.taskId);
      const own = found?.containers.find((c) => c.labels[LABEL.container] === subject.container);
      if (!found || !own) return send(response, 404, { error: 'not found' });
      send(response, 200, await this.document(route.resource, found, own));
    } catch (error) {
      this.options.logger.warn({ url: redact(request.url), err: errorMessage(error) }, 'task metadata request failed');
      if (!response.headersSent) send(response, 500, { error: 'engine unavailable' });
    }
  }

  /**
   * A task's role credentials, read from the secrets provider at every request. An id that
   * is malformed, has a wrong mac, or names a task that is gone or has no role gets ECS's
   * 400 alike; a role without a mapping gets 500 with the reason (which names the role and
   * files, never a value), and nothing is made up.
   */
  private async serveCredentials(credentialsId: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const credentials = this.options.credentials!;
    const taskId = credentials.tokens.claimedTaskId(credentialsId);
    const found = taskId === undefined ? undefined : await this.options.lookup(taskId);
    const roleArn = found?.context.taskRoleArn;
    if (taskId === undefined || roleArn === undefined || !credentials.tokens.verify(credentialsId, { taskId, roleArn })) {
      return send(response, 400, INVALID_CREDENTIALS_ID);
    }
    const from = requesterAddress(request);
    if (!isTaskItself(found!, from)) {
      // A URI that leaked (a log, another task's environment) opens nothing anywhere else.
      this.options.logger.warn({ taskId, from }, 'task role credentials asked for from an address that is not the task\'s; refused');
      return send(response, 400, INVALID_CREDENTIALS_ID);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, { error: 'only GET' });
    try {
      send(response, 200, ecsRoleCredentials(roleArn, await credentials.read(roleArn)));
    } catch (error) {
      const message = errorMessage(error);
      this.options.logger.warn({ taskId, roleArn, err: message }, 'task role credentials unavailable');
      send(response, 500, { code: 'InternalServerError', message });
    }
  }

  private async document(resource: Resource, found: FoundTask, own: ContainerDescription): Promise<unknown> {
    switch (resource) {
      case 'container':
        return containerMetadata(own, found.context);
      case 'task':
        return taskMetadata(found.containers, found.context);
      case 'stats':
        return (await found.runtime.stats(own.id)) ?? null;
      case 'task/stats': {
        // ECS maps every container's Docker id to its stats, null for one without any.
        const entries = await Promise.all(found.containers.map(async (c) => [c.id, (await found.runtime.stats(c.id)) ?? null] as const));
        return Object.fromEntries(entries);
      }
    }
  }
}

/** The peer's address, an IPv4-mapped IPv6 address as plain IPv4. */
function requesterAddress(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

/**
 * Whether a request comes from the task whose credentials it asks for. A task on the
 * cluster network comes from its own address (no NAT between a container and its gateway).
 * A host-mode task shares the host's addresses, so it is told a loopback URI and asks from
 * there: anything else on the host could too, which is what host mode means.
 */
export function isTaskItself(found: Pick<FoundTask, 'addresses' | 'context'>, from: string): boolean {
  if (found.context.networkMode === 'host') return /^127\./.test(from) || from === '::1';
  return found.addresses.includes(from);
}

type Resource = 'container' | 'task' | 'stats' | 'task/stats';

const ROUTE = /^\/v[34]\/([^/?#]+)(\/task|\/stats|\/task\/stats)?\/?$/;

/** "/v4/<id>/task/stats" → the endpoint id and the resource; undefined for any other path. */
export function parseRoute(url: string): { endpointId: string; resource: Resource } | undefined {
  const path = url.split('?')[0]!;
  const match = ROUTE.exec(path);
  if (!match) return undefined;
  return { endpointId: match[1]!, resource: (match[2]?.slice(1) ?? 'container') as Resource };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** Logs never carry a URI's mac. */
function redact(url: string | undefined): string {
  return (url ?? '').replace(/\.[0-9a-f]{32}(?=\/|$|\?)/, '.<mac>');
}

function listenOn(server: Server, address: ListenAddress): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(address.port, address.host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

export function formatAddress(address: ListenAddress): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
