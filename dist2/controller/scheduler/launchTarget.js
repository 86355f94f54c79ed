import { DEFAULT_IMAGE_PULL_POLICY } from '../kinds/capacityProvider.js';
import { LOCAL_PROVIDER } from '../engines.js';
import { enginePlatform, RUNTIME_PLATFORM_MISMATCH, runtimePlatformMismatch } from '../taskspec/runtimePlatform.js';
import { describeTaskPolicyViolations, taskPolicyViolations } from '../taskspec/taskPolicy.js';
/** The condition reason of a task definition its cluster's task policy refuses. */
export const TASK_POLICY_DENIED = 'TaskPolicyDenied';
/** Cluster, revision, capacity provider and its engine, or the first of them that is missing. */
export function resolveLaunchTarget(ctx, ask, conditionType) {
    const cluster = ask.cluster ?? 'default';
    const clusterResource = ctx.store.get('Cluster', cluster);
    if (!clusterResource && cluster !== 'default') {
        return { problem: { type: conditionType, reason: 'ClusterNotFound', message: `ClusterNotFoundException: Cluster ${cluster} not found.` } };
    }
    const revision = ctx.registry.resolve(ask.taskDefinition);
    if (!revision) {
        return {
            problem: { type: conditionType, reason: 'TaskDefinitionNotFound', message: `Unable to find task definition ${ask.taskDefinition}: no TaskDefinition manifest registers it.` },
        };
    }
    const strategy = ask.capacityProviderStrategy ?? clusterResource?.manifest.spec.defaultCapacityProviderStrategy;
    const provider = strategy?.[0]?.capacityProvider ?? clusterResource?.manifest.spec.capacityProviders?.[0] ?? LOCAL_PROVIDER;
    const runtime = ctx.engines.get(provider);
    if (!runtime) {
        return { problem: { type: conditionType, reason: 'CapacityProviderNotFound', message: `The capacity provider ${provider} was not found or has no engine.` } };
    }
    // Checked before anything is created on an engine; the refusal lasts until the Cluster or the definition changes.
    const violations = taskPolicyViolations(revision.spec, clusterResource?.manifest.spec.taskPolicy);
    if (violations.length) {
        const taskDefinition = `${ask.taskDefinition.split(':')[0]}:${revision.revision}`;
        return { problem: { type: conditionType, reason: TASK_POLICY_DENIED, message: describeTaskPolicyViolations(violations, { taskDefinition, cluster }) } };
    }
    const imagePullPolicy = ctx.store.get('CapacityProvider', provider)?.manifest.spec.imagePullPolicy ?? DEFAULT_IMAGE_PULL_POLICY;
    const target = { cluster, provider, runtime, revision, family: ask.taskDefinition.split(':')[0], imagePullPolicy };
    const hostPathPolicy = clusterResource?.manifest.spec.hostPathPolicy;
    if (hostPathPolicy)
        target.hostPathPolicy = hostPathPolicy;
    const volumePolicy = clusterResource?.manifest.spec.volumePolicy;
    if (volumePolicy)
        target.volumePolicy = volumePolicy;
    const efsAccessPoints = clusterResource?.manifest.spec.efsAccessPoints;
    if (efsAccessPoints)
        target.efsAccessPoints = efsAccessPoints;
    return target;
}
/**
 * The target, or why its engine cannot run the task definition's runtimePlatform (a
 * placement requirement, as in ECS: nothing is created). The engine is asked only when the
 * definition names a runtimePlatform.
 */
export async function checkEnginePlatform(target, conditionType) {
    if ('problem' in target || !target.revision.spec.runtimePlatform)
        return target;
    const engine = await enginePlatform(target.runtime);
    const mismatch = engine && runtimePlatformMismatch(target.revision.spec, engine);
    if (!mismatch)
        return target;
    return {
        problem: {
            type: conditionType,
            reason: RUNTIME_PLATFORM_MISMATCH,
            message: `Unable to place a task on capacity provider ${target.provider}: engine ${target.runtime.engine}: ${mismatch}`,
        },
    };
}
//# sourceMappingURL=launchTarget.js.map