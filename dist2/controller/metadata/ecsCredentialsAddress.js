import { execFile } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { ECS_CREDENTIALS_HOST } from './credentials.js';
/**
 * The port SDKs use with AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: they prepend
 * "http://169.254.170.2", no port, so it has to be 80.
 */
export const ECS_CREDENTIALS_PORT = 80;
/** What `--credentials-endpoint` accepts besides off: ECS's one address, which SDKs hard-code. */
export const DEFAULT_CREDENTIALS_ENDPOINT = ECS_CREDENTIALS_HOST;
/** Whether the host already has the address on any interface (another controller, or an earlier run, added it). */
export function hostHasAddress(address) {
    return Object.values(networkInterfaces()).some((list) => list?.some((entry) => entry.address === address));
}
/**
 * Makes 169.254.170.2 an address of this host, on `lo` as a /32, so that a socket bound
 * there receives what task containers send to it.
 *
 * Why an address on `lo` rather than the ECS agent's iptables DNAT rule: a container
 * routes 169.254.170.2 (it is on none of its links) through its default gateway, the
 * host's end of its bridge; the host sees a packet for one of its own addresses and
 * delivers it locally, whichever bridge it came in on. So one address serves the default
 * bridge, every user-defined network, awsvpc tasks (their pause container sits on the
 * cluster network) and the bridges of extra engines on this host alike, with no rule per
 * network, no `route_localnet`, and the request's source is still the task's own address,
 * which is what the server checks. A /32 on `lo` is not announced on any link (it is
 * link-local, and the host answers ARP only for addresses on the asking link).
 *
 * Idempotent: present already is success. Needs CAP_NET_ADMIN when it is absent; rejects
 * with the reason otherwise.
 */
export async function assignLoopbackAddress(address) {
    if (hostHasAddress(address))
        return;
    try {
        await new Promise((resolve, reject) => {
            execFile('ip', ['addr', 'add', `${address}/32`, 'dev', 'lo'], { timeout: 10_000 }, (error, _stdout, stderr) => {
                if (error)
                    reject(new Error(stderr.trim() || error.message));
                else
                    resolve();
            });
        });
    }
    catch (error) {
        // Another controller starting at the same moment may have added it in between.
        if (hostHasAddress(address))
            return;
        throw new Error(`cannot add ${address}/32 to lo (ip addr add): ${error.message}`, { cause: error });
    }
}
//# sourceMappingURL=ecsCredentialsAddress.js.map