import { LABEL } from '../../runtime/labels.js';
import { buildConditions } from '../conditions.js';
import { writeStatus } from '../context.js';
import { labelledResource } from '../watches.js';
import { observeTasks } from '../../observer/observe.js';
import { observedContainers } from '../../observer/query.js';
import { errorMessage } from '../../errors.js';
/** What the capacityprovider controller is reconciled for, besides its own manifests. */
export const CAPACITY_PROVIDER_WATCHES = { containers: { keys: labelledResource('CapacityProvider', LABEL.capacityProvider) }, everyKeyOnEngineReturn: true };
/** Connects a capacity provider's engine and reports it as a container instance. */
export class CapacityProviderController {
    ctx;
    kind = 'CapacityProvider';
    watches = CAPACITY_PROVIDER_WATCHES;
    conditions = new Map();
    constructor(ctx) {
        this.ctx = ctx;
    }
    async reconcile(name, log) {
        const { ctx } = this;
        const resource = ctx.store.get('CapacityProvider', name);
        if (!resource) {
            await ctx.engines.remove(name);
            return {};
        }
        const engine = resource.manifest.spec.engines?.[0];
        const runtime = ctx.engines.ensure(name, engine);
        let instance;
        let reachable = true;
        let message = '';
        try {
            const info = await runtime.ping();
            const tasks = observeTasks(await observedContainers(runtime, { [LABEL.capacityProvider]: name }));
            instance = { engine: runtime.engine, status: 'ACTIVE', version: info.version, runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length };
        }
        catch (error) {
            reachable = false;
            message = errorMessage(error);
            log.warn({ engine: runtime.engine, err: message }, 'engine unreachable');
            instance = { engine: runtime.engine, status: 'INACTIVE', runningTasksCount: 0 };
        }
        const conditions = buildConditions([
            reachable
                ? { type: 'EngineReachable', status: 'True', reason: 'Connected', message: `Docker ${instance.version} answers.` }
                : { type: 'EngineReachable', status: 'False', reason: 'Unreachable', message },
        ], this.conditions.get(name) ?? [], ctx.clock.now());
        this.conditions.set(name, conditions);
        const status = { status: 'ACTIVE', containerInstances: [instance], conditions };
        await writeStatus(ctx.status, { file: resource.file, kind: 'CapacityProvider', name }, status);
        return reachable ? {} : { requeueAfterMs: 5000 };
    }
}
//# sourceMappingURL=controller.js.map