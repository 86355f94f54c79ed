import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Subject, type Observable } from 'rxjs';
import type { Clock } from './clock.js';
import type { Logger } from './log.js';
import { formatAddress, type ListenAddress } from './metadata/server.js';

/**
 * The controller's own health, as an operator asks for it: the health endpoint
 * (`/healthz`, `/readyz`), the log and `berth get` all read it from here.
 *
 * Components (the store, the state directory, the log store, an engine...) report a
 * problem under their own name and clear it when it is gone. A problem either
 * degrades the controller (it keeps reconciling what it can; `/readyz` says 503) or
 * holds it (it deliberately stops acting on something, e.g. an emptied manifests
 * directory: nothing is stopped until an operator says so). Nothing here ends the
 * process: a problem is state, not an exception.
 */
export type ProblemSeverity = 'degraded' | 'holding';

export interface HealthProblem {
  /** Who reports it: "store", "state", "logs", "engine:unix:///run/x.sock"... */
  readonly component: string;
  readonly severity: ProblemSeverity;
  /** A typed reason, like a condition's: DiskFull, ManifestsDirectoryEmpty... */
  readonly reason: string;
  readonly message: string;
  /** When the problem was first reported (ISO 8601). */
  readonly since: string;
}

export interface HealthSnapshot {
  /** ok: nothing to report; degraded: some part cannot do its work; holding: berth refuses to act on something until told. */
  readonly state: 'ok' | 'degraded' | 'holding';
  readonly ready: boolean;
  readonly problems: readonly HealthProblem[];
}

export class ControllerHealth {
  private readonly problems = new Map<string, HealthProblem>();
  private readonly changed = new Subject<HealthSnapshot>();

  constructor(private readonly options: { clock: Clock; logger: Logger }) {}

  /** Emits the new snapshot whenever a problem appears, changes or clears. */
  get changes(): Observable<HealthSnapshot> {
    return this.changed.asObservable();
  }

  /** Reports (or updates) a component's problem; logged once per change, not per call. */
  report(problem: { component: string; severity: ProblemSeverity; reason: string; message: string }): void {
    const previous = this.problems.get(problem.component);
    if (previous && previous.severity === problem.severity && previous.reason === problem.reason && previous.message === problem.message) return;
    const since = previous && previous.reason === problem.reason ? previous.since : new Date(this.options.clock.now()).toISOString();
    this.problems.set(problem.component, { ...problem, since });
    const log = problem.severity === 'holding' ? this.options.logger.error.bind(this.options.logger) : this.options.logger.warn.bind(this.options.logger);
    log({ component: problem.component, reason: problem.reason, severity: problem.severity }, problem.message);
    this.changed.next(this.snapshot());
  }

  /** The component works again. */
  clear(component: string): void {
    const previous = this.problems.get(component);
    if (!previous) return;
    this.problems.delete(component);
    this.options.logger.info({ component, reason: previous.reason }, `recovered: ${previous.reason}`);
    this.changed.next(this.snapshot());
  }

  problem(component: string): HealthProblem | undefined {
    return this.problems.get(component);
  }

  snapshot(): HealthSnapshot {
    const problems = [...this.problems.values()].sort((a, b) => a.component.localeCompare(b.component));
    const state = problems.some((p) => p.severity === 'holding') ? 'holding' : problems.length > 0 ? 'degraded' : 'ok';
    return { state, ready: state === 'ok', problems };
  }

  close(): void {
    this.changed.complete();
  }
}

/** Where the health endpoint listens unless told otherwise; loopback only: it is for the operator and probes. */
export const DEFAULT_HEALTH_ADDRESS = '127.0.0.1:9780';

/**
 * `GET /healthz`: 200 while the process serves (liveness: a full disk is no reason to
 * restart the controller). `GET /readyz`: 200 when nothing is degraded or held, else
 * 503; both bodies are the snapshot as JSON, so a person sees why.
 */
export class HealthServer {
  private readonly server: Server;
  private listening: ListenAddress | undefined;

  constructor(private readonly options: { address: ListenAddress; fallbackToFreePort: boolean; health: ControllerHealth; logger: Logger }) {
    this.server = createServer((request, response) => this.handle(request, response));
    this.server.keepAliveTimeout = 5_000;
  }

  get address(): ListenAddress | undefined {
    return this.listening;
  }

  async start(): Promise<void> {
    const { address, fallbackToFreePort, logger } = this.options;
    try {
      await this.listen(address);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !fallbackToFreePort) {
        throw new Error(`health endpoint: cannot listen on ${formatAddress(address)}: ${(error as Error).message}`, { cause: error });
      }
      // Several controllers on one host (tests, one per manifests directory): the later ones take a free port and say which.
      await this.listen({ host: address.host, port: 0 });
    }
    logger.info({ address: formatAddress(this.listening!) }, 'health endpoint listening');
  }

  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = undefined;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private listen(address: ListenAddress): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(address.port, address.host, () => {
        this.server.off('error', onError);
        // Errors after listening (a client resetting) must not end the process.
        this.server.on('error', (error) => this.options.logger.warn({ err: error.message }, 'health endpoint error'));
        const bound = this.server.address();
        this.listening = typeof bound === 'object' && bound ? { host: address.host, port: bound.port } : address;
        resolve();
      });
    });
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    const snapshot = this.options.health.snapshot();
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(response, 405, { error: 'GET only' });
    if (path === '/healthz' || path === '/livez') return reply(response, 200, snapshot);
    if (path === '/readyz') return reply(response, snapshot.ready ? 200 : 503, snapshot);
    reply(response, 404, { error: 'not found', paths: ['/healthz', '/readyz'] });
  }
}

function reply(response: ServerResponse, code: number, body: unknown): void {
  response.writeHead(code, { 'content-type': 'application/json' });
  response.end(`${JSON.stringify(body)}\n`);
}
