import { errorMessage } from '../errors.js';
import { LABEL } from '../runtime/labels.js';
import { observeTasks } from './observe.js';
/**
 * A group's tasks on every engine. An engine that does not answer is skipped, unless it
 * is the one the owner places on: then acting on half a picture could duplicate tasks,
 * so the reconcile fails and backs off.
 */
export async function observeGroup(ctx, group, ownEngine) {
    const runtimeOf = new Map();
    const lists = await Promise.all(ctx.engines.all().map(async ({ address, runtime }) => {
        try {
            const containers = await runtime.list({ [LABEL.group]: group });
            for (const c of containers)
                runtimeOf.set(c.id, runtime);
            return containers;
        }
        catch (error) {
            if (runtime === ownEngine)
                throw error;
            ctx.logger.debug({ engine: address, err: errorMessage(error) }, 'engine unreachable; its tasks are not counted');
            return [];
        }
    }));
    return { tasks: observeTasks(lists.flat(), new Set(Object.keys(ctx.ledger.get(group).stopRequests))), runtimeOf };
}
/**
 * A group's containers on every engine that answers, each with the address of its engine;
 * an engine that does not answer is left for a later pass.
 */
export async function locateGroup(engines, group) {
    const lists = await Promise.all(engines.all().map(async ({ address, runtime }) => (await runtime.list({ [LABEL.group]: group }).catch(() => [])).map((container) => ({ container, engine: address, runtime }))));
    return lists.flat();
}
//# sourceMappingURL=observeGroup.js.map