import { createServer } from 'node:http';
import { Subject } from 'rxjs';
import { formatAddress } from './metadata/server.js';
export class ControllerHealth {
    options;
    problems = new Map();
    changed = new Subject();
    constructor(options) {
        this.options = options;
    }
    /** Emits the new snapshot whenever a problem appears, changes or clears. */
    get changes() {
        return this.changed.asObservable();
    }
    /** Reports (or updates) a component's problem; logged once per change, not per call. */
    report(problem) {
        const previous = this.problems.get(problem.component);
        if (previous && previous.severity === problem.severity && previous.reason === problem.reason && previous.message === problem.message)
            return;
        const since = previous && previous.reason === problem.reason ? previous.since : new Date(this.options.clock.now()).toISOString();
        this.problems.set(problem.component, { ...problem, since });
        const log = problem.severity === 'holding' ? this.options.logger.error.bind(this.options.logger) : this.options.logger.warn.bind(this.options.logger);
        log({ component: problem.component, reason: problem.reason, severity: problem.severity }, problem.message);
        this.changed.next(this.snapshot());
    }
    /** The component works again. */
    clear(component) {
        const previous = this.problems.get(component);
        if (!previous)
            return;
        this.problems.delete(component);
        this.options.logger.info({ component, reason: previous.reason }, `recovered: ${previous.reason}`);
        this.changed.next(this.snapshot());
    }
    problem(component) {
        return this.problems.get(component);
    }
    snapshot() {
        const problems = [...this.problems.values()].sort((a, b) => a.component.localeCompare(b.component));
        const state = problems.some((p) => p.severity === 'holding') ? 'holding' : problems.length > 0 ? 'degraded' : 'ok';
        return { state, ready: state === 'ok', problems };
    }
    close() {
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
    options;
    server;
    listening;
    constructor(options) {
        this.options = options;
        this.server = createServer((request, response) => this.handle(request, response));
        this.server.keepAliveTimeout = 5_000;
    }
    get address() {
        return this.listening;
    }
    async start() {
        const { address, fallbackToFreePort, logger } = this.options;
        try {
            await this.listen(address);
        }
        catch (error) {
            if (error.code !== 'EADDRINUSE' || !fallbackToFreePort) {
                throw new Error(`health endpoint: cannot listen on ${formatAddress(address)}: ${error.message}`, { cause: error });
            }
            // Several controllers on one host (tests, one per manifests directory): the later ones take a free port and say which.
            await this.listen({ host: address.host, port: 0 });
        }
        logger.info({ address: formatAddress(this.listening) }, 'health endpoint listening');
    }
    async stop() {
        if (!this.listening)
            return;
        this.listening = undefined;
        const closed = new Promise((resolve) => this.server.close(() => resolve()));
        this.server.closeAllConnections();
        await closed;
    }
    listen(address) {
        return new Promise((resolve, reject) => {
            const onError = (error) => reject(error);
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
    handle(request, response) {
        const path = (request.url ?? '/').split('?')[0];
        const snapshot = this.options.health.snapshot();
        if (request.method !== 'GET' && request.method !== 'HEAD')
            return reply(response, 405, { error: 'GET only' });
        if (path === '/healthz' || path === '/livez')
            return reply(response, 200, snapshot);
        if (path === '/readyz')
            return reply(response, snapshot.ready ? 200 : 503, snapshot);
        reply(response, 404, { error: 'not found', paths: ['/healthz', '/readyz'] });
    }
}
function reply(response, code, body) {
    response.writeHead(code, { 'content-type': 'application/json' });
    response.end(`${JSON.stringify(body)}\n`);
}
//# sourceMappingURL=health.js.map