/**
 * A TCP listener, as an NLB's: each client connection is joined to one target's. A
 * connection is tried on another target only when the first could not be opened.
 */
import net from 'node:net';
import type { Logger } from '../log.js';
import type { ListenerAddress } from './httpListener.js';
import type { Router } from './router.js';
import { bindServer, boundPortOf } from './bind.js';

export class TcpListener {
  private readonly server: net.Server;
  private readonly clients = new Set<net.Socket>();

  constructor(
    private readonly address: ListenerAddress,
    private readonly router: Router,
    private readonly logger: Logger,
  ) {
    // Paused until joined to a target, so nothing the client sends is read before.
    this.server = net.createServer({ pauseOnConnect: true }, (client) => {
      this.clients.add(client);
      client.once('close', () => this.clients.delete(client));
      client.on('error', () => client.destroy());
      this.join(client, new Set());
    });
  }

  /** Binds the port; rejects (EADDRINUSE…) when it cannot. */
  listen(): Promise<void> {
    return bindServer(this.server, this.address);
  }

  /** The port bound (the one asked for, or the one the system chose for port 0). */
  boundPort(): number {
    return boundPortOf(this.server);
  }

  /** Stops accepting; open connections have graceMs to end. */
  async close(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const force = setTimeout(() => {
      for (const client of this.clients) client.destroy();
    }, graceMs);
    await closed;
    clearTimeout(force);
  }

  private join(client: net.Socket, tried: Set<string>): void {
    if (client.destroyed) return;
    const lease = this.router.pick(tried);
    if (!lease) {
      client.destroy();
      return;
    }
    const target = net.connect({ host: lease.address, port: lease.port });
    let connected = false;
    target.once('connect', () => {
      connected = true;
      client.pipe(target);
      target.pipe(client);
      client.resume();
    });
    target.on('error', (error) => {
      if (connected) {
        client.destroy();
        return;
      }
      this.logger.debug({ target: `${lease.address}:${lease.port}`, err: error.message }, 'target unreachable; trying another');
      lease.release();
      tried.add(lease.id);
      this.join(client, tried);
    });
    target.once('close', () => {
      lease.release();
      if (connected) client.end();
    });
    client.once('close', () => target.destroy());
  }
}
