import type { TaskDefinitionSpec } from '../../kinds/index.js';
import type { Logger } from '../../log.js';
import { LABEL } from '../../runtime/labels.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { MetadataEndpoint } from '../../metadata/server.js';
import type { Ledger, StoppedTask } from '../ledger.js';
import { clusterNetwork, taskContainerSpecs, usesClusterNetwork, type TaskIdentity } from './containerSpecs.js';

export interface LaunchRequest {
  runtime: Runtime;
  identity: TaskIdentity;
  spec: TaskDefinitionSpec;
  serviceName?: string;
  ledger: Ledger;
  logger: Logger;
  now: () => number;
  /** Gives every container its task metadata URIs; none without it. */
  metadata?: MetadataEndpoint;
  /** Called when the container create call is made: for the save-to-create latency figure. */
  onCreate?: () => void;
}

/** An ECS error class in front of the engine's message: "CannotPullContainerError: ...". */
class LaunchError extends Error {
  constructor(
    readonly stopCode: 'TaskFailedToStart',
    readonly errorClass: string,
    cause: unknown,
  ) {
    super(`${errorClass}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Tasks in bridge mode join their cluster's network, which must exist before their containers start. */
export async function ensureTaskNetwork(runtime: Runtime, cluster: string, spec: TaskDefinitionSpec): Promise<void> {
  if (!usesClusterNetwork(spec.networkMode ?? 'bridge')) return;
  await runtime.ensureNetwork(clusterNetwork(cluster), { [LABEL.managed]: 'true', [LABEL.cluster]: cluster });
}

/**
 * The metadata URIs of a task's containers. In bridge and awsvpc mode the host is
 * the cluster network's gateway, so the network must exist first.
 */
async function metadataEnvironment(request: LaunchRequest): Promise<((container: string) => Record<string, string>) | undefined> {
  const { metadata, runtime, identity, spec } = request;
  if (!metadata) return undefined;
  const networkMode = spec.networkMode ?? 'bridge';
  const gateway = metadata.needsGateway && usesClusterNetwork(networkMode) ? await runtime.networkGateway(clusterNetwork(identity.cluster)) : undefined;
  const host = metadata.hostFor(networkMode, gateway);
  if (host === undefined) return undefined;
  return (container) => metadata.environment(host, { taskId: identity.taskId, container });
}

/**
 * Launches one task: network, images, create every container, then start them in
 * definition order. A failure records the task as stopped with ECS's error class
 * and asks the retirement controller to clean up what was created.
 */
export async function launchTask(request: LaunchRequest): Promise<'started' | 'failed'> {
  const { runtime, identity, spec, ledger, logger } = request;
  const createdAt = request.now();
  try {
    await ensureTaskNetwork(runtime, identity.cluster, spec);
    const taskEnvironment = await metadataEnvironment(request);
    const specs = taskContainerSpecs(spec, identity, {
      ...(request.serviceName ? { serviceName: request.serviceName } : {}),
      ...(taskEnvironment ? { taskEnvironment } : {}),
    });
    for (const image of new Set(specs.map((s) => s.image))) {
      if (await runtime.hasImage(image)) continue;
      await runtime.pull(image).catch((error: unknown) => {
        throw new LaunchError('TaskFailedToStart', 'CannotPullContainerError', error);
      });
    }
    const ids: string[] = [];
    for (const containerSpec of specs) {
      request.onCreate?.();
      ids.push(
        await runtime.create(containerSpec).catch((error: unknown) => {
          throw new LaunchError('TaskFailedToStart', 'CannotCreateContainerError', error);
        }),
      );
    }
    for (const id of ids) {
      await runtime.start(id).catch((error: unknown) => {
        throw new LaunchError('TaskFailedToStart', 'CannotStartContainerError', error);
      });
    }
    logger.debug({ taskId: identity.taskId }, 'task started');
    return 'started';
  } catch (error) {
    const failure = error instanceof LaunchError ? error : new LaunchError('TaskFailedToStart', 'CannotCreateContainerError', error);
    if (!ledger.get(identity.group).stopRequests[identity.taskId]) logger.warn({ taskId: identity.taskId, reason: failure.message }, 'task failed to start');
    // A launch cut short because the task was asked to stop meanwhile (a scale-in) is not a failure.
    const stopRequest = ledger.get(identity.group).stopRequests[identity.taskId];
    const stopped: StoppedTask = {
      taskId: identity.taskId,
      taskDefinition: `${identity.family}:${identity.revision}`,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      createdAt: new Date(createdAt).toISOString(),
      stoppedAt: new Date(request.now()).toISOString(),
      stopCode: stopRequest?.stopCode ?? failure.stopCode,
      stoppedReason: stopRequest?.reason ?? failure.message,
      containers: spec.containerDefinitions.map((c) => ({ name: c.name, lastStatus: 'STOPPED' as const })),
      failed: !stopRequest,
      wasStable: false,
    };
    ledger.recordStopped(identity.group, stopped);
    ledger.requestStop(identity.group, identity.taskId, { stopCode: failure.stopCode, reason: failure.message, requestedAt: request.now() });
    return 'failed';
  }
}
