/**
 * An HTTP listener, as an ALB's: keeps client connections alive, adds X-Forwarded-For,
 * -Proto and -Port, and answers 503 when no target is healthy and 502 when a target fails
 * mid-request, with ELB's bodies. A request is tried on another target only when the
 * connection to the first could not be opened: nothing of it was sent, so it cannot have
 * run twice.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../log.js';
import type { Router } from './router.js';
import type { TargetLease } from './targetSet.js';
import { bindServer, boundPortOf } from './bind.js';

/** Headers that belong to one connection, not to the request (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'upgrade']);

/** The body ELB's own error responses carry. */
export function elbErrorBody(code: number, text: string): string {
  return `<html>\r\n<head><title>${code} ${text}</title></head>\r\n<body>\r\n<center><h1>${code} ${text}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

export interface ListenerAddress {
  host: string;
  port: number;
}

export class HttpListener {
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(
    private readonly address: ListenerAddress,
    private readonly router: Router,
    private readonly logger: Logger,
  ) {
    this.server = http.createServer({ keepAlive: true }, (request, response) => this.forward(request, response, new Set()));
  }

  /** Binds the port; rejects (EADDRINUSE…) when it cannot. */
  listen(): Promise<void> {
    return bindServer(this.server, this.address);
  }

  /** The port bound (the one asked for, or the one the system chose for port 0). */
  boundPort(): number {
    return boundPortOf(this.server);
  }

  /** Stops accepting; requests in flight have graceMs to finish. */
  async close(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const force = setTimeout(() => this.server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(force);
    this.agent.destroy();
  }

  private forward(request: http.IncomingMessage, response: http.ServerResponse, tried: Set<string>): void {
    const lease = this.router.pick(tried);
    if (!lease) {
      // Nothing tried: no healthy target. Tried and none could be reached: a bad gateway.
      if (tried.size === 0) this.answerError(response, 503, 'Service Temporarily Unavailable');
      else this.answerError(response, 502, 'Bad Gateway');
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
    upstream.on('socket', (socket: Socket) => (socket.connecting ? socket.once('connect', onConnected) : onConnected()));
    upstream.on('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
      answer.pipe(response);
      answer.on('end', () => lease.release());
      answer.on('error', () => response.destroy());
    });
    upstream.on('error', (error) => this.upstreamFailed(error, { request, response, lease, tried, connected }));
    response.on('close', () => {
      lease.release();
      if (!response.writableFinished) upstream.destroy();
    });
  }

  private upstreamFailed(error: Error, attempt: { request: http.IncomingMessage; response: http.ServerResponse; lease: TargetLease; tried: Set<string>; connected: boolean }): void {
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

  private forwardedHeaders(request: http.IncomingMessage): http.OutgoingHttpHeaders {
    const headers: http.OutgoingHttpHeaders = withoutHopByHop(request.headers);
    const client = request.socket.remoteAddress ?? '';
    const before = request.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = before ? `${String(before)}, ${client}` : client;
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-port'] = String(this.address.port);
    return headers;
  }

  private answerError(response: http.ServerResponse, code: number, text: string): void {
    if (response.headersSent || response.destroyed) return;
    const body = elbErrorBody(code, text);
    response.writeHead(code, text, { server: 'awselb/2.0', 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  }
}

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const connectionTokens = String(headers.connection ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase());
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !connectionTokens.includes(name)));
}
