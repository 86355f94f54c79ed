/**
 * An HTTP listener, as an ALB's: keeps client connections alive, adds X-Forwarded-For,
 * -Proto and -Port, and answers 503 when no target is healthy and 502 when a target fails
 * mid-request, with ELB's bodies. A request is tried on another target only when the
 * connection to the first could not be opened: nothing of it was sent, so it cannot have
 * run twice.
 */
import http from 'node:http';
/** Headers that belong to one connection, not to the request (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'upgrade']);
/** The body ELB's own error responses carry. */
export function elbErrorBody(code, text) {
    return `<html>\r\n<head><title>${code} ${text}</title></head>\r\n<body>\r\n<center><h1>${code} ${text}</h1></center>\r\n</body>\r\n</html>\r\n`;
}
export class HttpListener {
    address;
    router;
    logger;
    server;
    agent = new http.Agent({ keepAlive: true });
    constructor(address, router, logger) {
        this.address = address;
        this.router = router;
        this.logger = logger;
        this.server = http.createServer({ keepAlive: true }, (request, response) => this.forward(request, response, new Set()));
    }
    /** Binds the port; rejects (EADDRINUSE...) when it cannot. */
    listen() {
        return new Promise((resolve, reject) => {
            this.server.once('error', reject);
            this.server.listen(this.address.port, this.address.host, () => {
                this.server.off('error', reject);
                resolve();
            });
        });
    }
    /** The port bound (the one asked for, or the one the system chose for port 0). */
    boundPort() {
        return this.server.address().port;
    }
    /** Stops accepting; requests in flight have graceMs to finish. */
    async close(graceMs) {
        const closed = new Promise((resolve) => this.server.close(() => resolve()));
        this.server.closeIdleConnections();
        const force = setTimeout(() => this.server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(force);
        this.agent.destroy();
    }
    forward(request, response, tried) {
        const lease = this.router.pick(tried);
        if (!lease) {
            // Nothing tried: no healthy target. Tried and none could be reached: a bad gateway.
            if (tried.size === 0)
                this.answerError(response, 503, 'Service Temporarily Unavailable');
            else
                this.answerError(response, 502, 'Bad Gateway');
            request.resume();
            return;
        }
        const upstream = http.request({
            host: lease.address,
            port: lease.port,
            method: request.method,
            path: request.url,
            headers: this.forwardedHeaders(request),
            agent: this.agent,
        });
        let connected = false;
        const onConnected = () => {
            connected = true;
            // Only now is the body read: before, a retry could not have resent it.
            request.pipe(upstream);
        };
        upstream.on('socket', (socket) => (socket.connecting ? socket.once('connect', onConnected) : onConnected()));
        upstream.on('response', (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
            answer.pipe(response);
            answer.on('end', () => lease.release());
            answer.on('error', () => response.destroy());
        });
        upstream.on('error', (error) => this.upstreamFailed(error, { request, response, lease, tried, connected }));
        response.on('close', () => {
            lease.release();
            if (!response.writableFinished)
                upstream.destroy();
        });
    }
    upstreamFailed(error, attempt) {
        const { request, response, lease, tried, connected } = attempt;
        lease.release();
        if (response.headersSent) {
            response.destroy();
            return;
        }
        if (!connected && !request.destroyed) {
            this.logger.debug({ target: `${lease.address}:${lease.port}`, err: error.message }, 'target unreachable; trying another');
            tried.add(lease.id);
            this.forward(request, response, tried);
            return;
        }
        this.logger.info({ target: `${lease.address}:${lease.port}`, err: error.message }, 'target failed during a request');
        this.answerError(response, 502, 'Bad Gateway');
    }
    forwardedHeaders(request) {
        const headers = withoutHopByHop(request.headers);
        const client = request.socket.remoteAddress ?? '';
        const before = request.headers['x-forwarded-for'];
        headers['x-forwarded-for'] = before ? `${String(before)}, ${client}` : client;
        headers['x-forwarded-proto'] = 'http';
        headers['x-forwarded-port'] = String(this.address.port);
        return headers;
    }
    answerError(response, code, text) {
        if (response.headersSent || response.destroyed)
            return;
        const body = elbErrorBody(code, text);
        response.writeHead(code, text, { server: 'awselb/2.0', 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
        response.end(body);
    }
}
function withoutHopByHop(headers) {
    const connectionTokens = String(headers.connection ?? '')
        .split(',')
        .map((t) => t.trim().toLowerCase());
    return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !connectionTokens.includes(name)));
}
//# sourceMappingURL=httpListener.js.map