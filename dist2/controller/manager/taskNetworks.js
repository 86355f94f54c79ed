import { clusterNetwork } from '../taskspec/containerSpecs.js';
import { engineSharesFileSystem } from '../executor/launcher.js';
import { errorMessage } from '../errors.js';
/**
 * At start-up, before any task asks: the endpoint listens again on the gateway of every
 * cluster network that running tasks were found on, so a restarted controller answers
 * the URIs it gave out. Launches add the networks made later. Only engines on this
 * machine are asked: a remote engine's gateway is no address of this host.
 */
export async function listenOnTaskNetworks(options) {
    if (!options.metadata.needsGateway)
        return;
    const clusters = [...new Set(options.clusters)];
    for (const { address, runtime } of options.engines.filter((e) => engineSharesFileSystem(e.address))) {
        for (const cluster of clusters) {
            const gateway = await runtime.networkGateway(clusterNetwork(cluster)).catch((error) => {
                options.logger.warn({ engine: address, cluster, err: errorMessage(error) }, 'cannot read a task network gateway');
                return undefined;
            });
            if (gateway !== undefined)
                await options.metadata.reachableAt(gateway);
        }
    }
}
//# sourceMappingURL=taskNetworks.js.map