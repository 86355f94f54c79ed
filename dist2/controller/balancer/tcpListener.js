/**
 * A TCP listener, as an NLB's: each client connection is joined to one target's. A
 * connection is tried on another target only when the first could not be opened.
 */
import net from 'node:net';
export class TcpListener {
    address;
    router;
    logger;
    server;
    clients = new Set();
    constructor(address, router, logger) {
        this.address = address;
        this.router = router;
        this.logger = logger;
        // Paused until joined to a target, so nothing the client sends is read before.
        this.server = net.createServer({ pauseOnConnect: true }, (client) => {
            this.clients.add(client);
            client.once('close', () => this.clients.delete(client));
            client.on('error', () => client.destroy());
            this.join(client, new Set());
        });
    }
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
    /** Stops accepting; open connections have graceMs to end. */
    async close(graceMs) {
        const closed = new Promise((resolve) => this.server.close(() => resolve()));
        const force = setTimeout(() => {
            for (const client of this.clients)
                client.destroy();
        }, graceMs);
        await closed;
        clearTimeout(force);
    }
    join(client, tried) {
        if (client.destroyed)
            return;
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
            if (connected)
                client.end();
        });
        client.once('close', () => target.destroy());
    }
}
//# sourceMappingURL=tcpListener.js.map