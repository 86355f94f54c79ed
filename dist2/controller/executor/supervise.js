import { isEngineUnreachable } from '../runtime/runtime.js';
import { startTaskContainers } from './lifecycle.js';
import { errorMessage } from '../errors.js';
import { retirementKey } from '../keys.js';
/**
 * Starts, in dependency order, the created containers of a task that a previous controller
 * did not finish starting (it may have been waiting on dependsOn). A task that cannot start
 * is stopped as a failure, for its owner to replace or report.
 */
export async function resumeTaskStart(input) {
    const { ctx, group, taskId } = input;
    try {
        await startTaskContainers({
            runtime: input.runtime,
            containers: input.containers,
            now: () => ctx.clock.now(),
            cancelled: () => Boolean(ctx.ledger.get(group).stopRequests[taskId]) || input.shuttingDown(),
        });
    }
    catch (error) {
        const reason = `CannotStartContainerError: ${errorMessage(error)}`;
        input.log.warn({ taskId, reason }, 'adopted task failed to start');
        // An engine that does not answer says nothing about the task: not counted as its failure.
        ctx.ledger.requestStop(group, taskId, { stopCode: 'TaskFailedToStart', reason, requestedAt: ctx.clock.now(), failed: !isEngineUnreachable(error) });
        ctx.enqueue(retirementKey(group));
    }
}
//# sourceMappingURL=supervise.js.map