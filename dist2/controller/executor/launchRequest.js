import { dirname } from 'node:path';
/**
 * The parts of a launch request that come from the target and the controller context,
 * the same for a service's tasks and a standalone run's.
 */
export function launchRequestFor(ctx, target, task) {
    return {
        runtime: target.runtime,
        identity: { cluster: target.cluster, group: task.group, taskId: task.taskId, family: target.family, revision: target.revision.revision, capacityProvider: target.provider },
        ...(ctx.metadata ? { metadata: ctx.metadata } : {}),
        ledger: ctx.ledger,
        logger: task.logger,
        now: () => ctx.clock.now(),
        shuttingDown: task.shuttingDown,
        secrets: ctx.secrets,
        taskDefinitionDir: taskDefinitionDir(ctx, target.family),
        imagePullPolicy: target.imagePullPolicy,
        pauseImage: ctx.options.pauseImage,
        engineAway: () => ctx.engines.currentOutage(target.runtime) !== undefined,
        ...(target.hostPathPolicy ? { hostPathPolicy: target.hostPathPolicy } : {}),
        ...(target.volumePolicy ? { volumePolicy: target.volumePolicy } : {}),
        ...(target.efsAccessPoints ? { efsAccessPoints: target.efsAccessPoints } : {}),
        ...(ctx.options.efsHelperImage ? { efsHelperImage: ctx.options.efsHelperImage } : {}),
    };
}
/**
 * Relative environment file paths are written relative to the TaskDefinition's manifest.
 * A family whose manifest is gone (its revisions still run) falls back to the manifests directory.
 */
function taskDefinitionDir(ctx, family) {
    const file = ctx.store.get('TaskDefinition', family)?.file;
    return file ? dirname(file) : ctx.store.dir;
}
//# sourceMappingURL=launchRequest.js.map