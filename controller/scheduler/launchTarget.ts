import { dirname } from 'node:path';
import type { Static } from '@sinclair/typebox';
import { DEFAULT_IMAGE_PULL_POLICY, type ImagePullPolicy } from '../kinds/capacityProvider.js';
import type { EfsAccessPoint, HostPathPolicy, VolumePolicy } from '../kinds/index.js';
import type { CapacityProviderStrategyItem } from '../kinds/cluster.js';
import { LOCAL_PROVIDER } from '../engines.js';
import type { Logger } from '../log.js';
import { LABEL } from '../runtime/labels.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ConditionInput } from '../controllers/conditions.js';
import type { ControllerContext } from '../controllers/context.js';
import type { Revision } from '../controllers/taskdefinition/registry.js';
import type { LaunchRequest } from '../executor/launcher.js';
import { observeTasks, type ObservedTask } from '../observer/observe.js';
import { enginePlatform, RUNTIME_PLATFORM_MISMATCH, runtimePlatformMismatch } from '../taskspec/runtimePlatform.js';
import { describeTaskPolicyViolations, taskPolicyViolations } from '../taskspec/taskPolicy.js';
import { errorMessage } from '../errors.js';

/** The condition reason of a task definition its cluster's task policy refuses. */
export const TASK_POLICY_DENIED = 'TaskPolicyDenied';

/**
 * Where and what a service or a standalone task run launches: everything that must
 * hold before a task can start, resolved from the manifests. Each failure names
 * itself in ECS's words, for the owner's status.
 */
export interface LaunchTarget {
  cluster: string;
  provider: string;
  runtime: Runtime;
  revision: Revision;
  family: string;
  /** The cluster's: which host paths its tasks may mount. */
  hostPathPolicy?: HostPathPolicy;
  /** The cluster's: which volume drivers and local mount types its tasks may use. */
  volumePolicy?: VolumePolicy;
  imagePullPolicy: ImagePullPolicy;
  /** The cluster's EFS access points, by id. */
  efsAccessPoints?: Readonly<Record<string, EfsAccessPoint>>;
}

/** What a Service or a Task asks for; the same fields in both kinds. */
export interface LaunchAsk {
  cluster?: string | undefined;
  taskDefinition: string;
  capacityProviderStrategy?: Array<Static<typeof CapacityProviderStrategyItem>> | undefined;
}

/** Cluster, revision, capacity provider and its engine, or the first of them that is missing. */
export function resolveLaunchTarget(ctx: ControllerContext, ask: LaunchAsk, conditionType: string): LaunchTarget | { problem: ConditionInput } {
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
    const taskDefinition = `${ask.taskDefinition.split(':')[0]!}:${revision.revision}`;
    return { problem: { type: conditionType, reason: TASK_POLICY_DENIED, message: describeTaskPolicyViolations(violations, { taskDefinition, cluster }) } };
  }
  const imagePullPolicy = ctx.store.get('CapacityProvider', provider)?.manifest.spec.imagePullPolicy ?? DEFAULT_IMAGE_PULL_POLICY;
  const target: LaunchTarget = { cluster, provider, runtime, revision, family: ask.taskDefinition.split(':')[0]!, imagePullPolicy };
  const hostPathPolicy = clusterResource?.manifest.spec.hostPathPolicy;
  if (hostPathPolicy) target.hostPathPolicy = hostPathPolicy;
  const volumePolicy = clusterResource?.manifest.spec.volumePolicy;
  if (volumePolicy) target.volumePolicy = volumePolicy;
  const efsAccessPoints = clusterResource?.manifest.spec.efsAccessPoints;
  if (efsAccessPoints) target.efsAccessPoints = efsAccessPoints;
  return target;
}

/**
 * The target, or why its engine cannot run the task definition's runtimePlatform (a
 * placement requirement, as in ECS: nothing is created). The engine is asked only when the
 * definition names a runtimePlatform.
 */
export async function checkEnginePlatform(
  target: LaunchTarget | { problem: ConditionInput },
  conditionType: string,
): Promise<LaunchTarget | { problem: ConditionInput }> {
  if ('problem' in target || !target.revision.spec.runtimePlatform) return target;
  const engine = await enginePlatform(target.runtime);
  const mismatch = engine && runtimePlatformMismatch(target.revision.spec, engine);
  if (!mismatch) return target;
  return {
    problem: {
      type: conditionType,
      reason: RUNTIME_PLATFORM_MISMATCH,
      message: `Unable to place a task on capacity provider ${target.provider}: engine ${target.runtime.engine}: ${mismatch}`,
    },
  };
}

/**
 * The parts of a launch request that come from the target and the controller context,
 * the same for a service's tasks and a standalone run's.
 */
export function launchRequestFor(
  ctx: ControllerContext,
  target: LaunchTarget,
  task: { group: string; taskId: string; logger: Logger; shuttingDown: () => boolean },
): Omit<LaunchRequest, 'spec'> {
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
function taskDefinitionDir(ctx: ControllerContext, family: string): string {
  const file = ctx.store.get('TaskDefinition', family)?.file;
  return file ? dirname(file) : ctx.store.dir;
}

/**
 * A group's tasks on every engine. An engine that does not answer is skipped, unless it
 * is the one the owner places on: then acting on half a picture could duplicate tasks,
 * so the reconcile fails and backs off.
 */
export async function observeGroup(
  ctx: ControllerContext,
  group: string,
  ownEngine: Runtime | undefined,
): Promise<{ tasks: ObservedTask[]; runtimeOf: Map<string, Runtime> }> {
  const runtimeOf = new Map<string, Runtime>();
  const lists = await Promise.all(
    ctx.engines.all().map(async ({ address, runtime }) => {
      try {
        const containers = await runtime.list({ [LABEL.group]: group });
        for (const c of containers) runtimeOf.set(c.id, runtime);
        return containers;
      } catch (error) {
        if (runtime === ownEngine) throw error;
        ctx.logger.debug({ engine: address, err: errorMessage(error) }, 'engine unreachable; its tasks are not counted');
        return [];
      }
    }),
  );
  return { tasks: observeTasks(lists.flat(), new Set(Object.keys(ctx.ledger.get(group).stopRequests))), runtimeOf };
}
