import type { Server } from 'node:net';

/** Binds a listener's server; rejects (EADDRINUSE…) when it cannot. */
export function bindServer(server: Server, address: { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The port a server bound (the one asked for, or the one the system chose for port 0). */
export function boundPortOf(server: Server): number {
  return (server.address() as { port: number }).port;
}
