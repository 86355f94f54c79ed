import type { TaskDefinitionSpec } from '../../kinds/index.js';
import type { Logger } from '../../log.js';
import { LABEL } from '../../runtime/labels.js';
import type { ObservedContainer, Runtime } from '../../runtime/runtime.js';
import type { Ledger, StoppedTask } from '../ledger.js';
import { clusterNetwork, taskContainerSpecs, usesClusterNetwork, type TaskIdentity } from './containerSpecs.js';
import { startTaskContainers } from './lifecycle.js';

export interface LaunchRequest {
  runtime: Runtime;
  identity: TaskIdentity;
  spec: TaskDefinitionSpec;
  serviceName?: string;
  ledger: Ledger;
  logger: Logger;
  now: () => number;
  /** True once the launch should stop waiting on dependencies (the controller shuts down); the next controller resumes it. */
  shuttingDown?: () => boolean;
  /** Called when the container create call is made: for the save-to-create latency figure. */
  onCreate?: () => void;
}

/**
 * Starts the created containers: in definition order when none depends on another,
 * else as their dependsOn conditions allow (see lifecycle.ts).
 */
async function startInOrder(request: LaunchRequest, ids: readonly string[]): Promise<void> {
  const { runtime, spec, identity, ledger } = request;
  if (!spec.containerDefinitions.some((c) => c.dependsOn?.length)) {
    for (const id of ids) await runtime.start(id);
    return;
  }
  const containers = (await Promise.all(ids.map((id) => runtime.inspect(id)))).filter((c): c is ObservedContainer => c !== undefined);
  await startTaskContainers({
    runtime,
    containers,
    now: request.now,
    cancelled: () => Boolean(ledger.get(identity.group).stopRequests[identity.taskId]) || request.shuttingDown?.() === true,
  });
}

/** The task's containers for its stopped record: their exit codes when the engine still has them. */
async function containersAsFound(runtime: Runtime, taskId: string, spec: TaskDefinitionSpec): Promise<StoppedTask['containers']> {
  const found = await runtime.list({ [LABEL.taskId]: taskId }).catch(() => []);
  return spec.containerDefinitions
    .map((definition) => {
      const container = found.find((c) => c.labels[LABEL.container] === definition.name);
      const entry: StoppedTask['containers'][number] = { name: definition.name, lastStatus: 'STOPPED' };
      if (container?.exitCode !== undefined && container.state !== 'created') entry.exitCode = container.exitCode;
      if (container?.error) entry.reason = container.error;
      return entry;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
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
 * Launches one task: network, images, create every container, then start them in
 * definition order. A failure records the task as stopped with ECS's error class
 * and asks the retirement controller to clean up what was created.
 */
export async function launchTask(request: LaunchRequest): Promise<'started' | 'failed'> {
  const { runtime, identity, spec, ledger, logger } = request;
  const createdAt = request.now();
  try {
    const specs = taskContainerSpecs(spec, identity, request.serviceName ? { serviceName: request.serviceName } : {});
    await ensureTaskNetwork(runtime, identity.cluster, spec);
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
    await startInOrder(request, ids).catch((error: unknown) => {
      throw new LaunchError('TaskFailedToStart', 'CannotStartContainerError', error);
    });
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
      containers: await containersAsFound(runtime, identity.taskId, spec),
      failed: !stopRequest,
      wasStable: false,
    };
    ledger.recordStopped(identity.group, stopped);
    ledger.requestStop(identity.group, identity.taskId, { stopCode: failure.stopCode, reason: failure.message, requestedAt: request.now() });
    return 'failed';
  }
}
