import { LABEL } from '../../runtime/labels.js';
import { buildConditions, validCondition } from '../conditions.js';
import { writeStatus } from '../context.js';
import { everyKey, labelledResource } from '../watches.js';
import { clusterNetwork } from '../../taskspec/containerSpecs.js';
import { observeTasks } from '../../observer/observe.js';
import { observedContainers } from '../../observer/query.js';
/** What the cluster controller is reconciled for, besides its own manifests. */
export const CLUSTER_WATCHES = {
    // A deleted service or task no longer says which cluster it was in: refresh them all (there are few).
    manifests: { Service: everyKey('Cluster'), Task: everyKey('Cluster') },
    containers: { keys: labelledResource('Cluster', LABEL.cluster) },
};
/** Reports a cluster's counts as ECS DescribeClusters does. The `default` cluster needs no manifest. */
export class ClusterController {
    ctx;
    kind = 'Cluster';
    watches = CLUSTER_WATCHES;
    conditions = new Map();
    constructor(ctx) {
        this.ctx = ctx;
    }
    async reconcile(name, _log) {
        const { ctx } = this;
        const resource = ctx.store.get('Cluster', name);
        if (!resource)
            return {};
        const engines = ctx.engines.all();
        // The cluster's network is made with the cluster, so a task launch never waits for it.
        const actions = engines.map(({ address }) => ({ type: 'ensureNetwork', engine: address, name: clusterNetwork(name), labels: { [LABEL.managed]: 'true', [LABEL.cluster]: name } }));
        let reachable = 0;
        const containers = (await Promise.all(engines.map(async ({ runtime }) => {
            try {
                const list = await observedContainers(runtime, { [LABEL.cluster]: name });
                reachable++;
                return list;
            }
            catch {
                return [];
            }
        }))).flat();
        const tasks = observeTasks(containers);
        const services = ctx.store.list('Service').filter((s) => (s.manifest.spec.cluster ?? 'default') === name);
        const conditions = buildConditions([
            validCondition(resource.errors, 'the last valid spec stays in force'),
        ], this.conditions.get(name) ?? [], ctx.clock.now());
        this.conditions.set(name, conditions);
        const status = {
            status: 'ACTIVE',
            registeredContainerInstancesCount: reachable,
            runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
            pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING').length,
            activeServicesCount: services.length,
            conditions,
        };
        await writeStatus(ctx.status, { file: resource.file, kind: 'Cluster', name }, status);
        return { actions };
    }
}
//# sourceMappingURL=controller.js.map