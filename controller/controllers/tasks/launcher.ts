import { DEFAULT_IMAGE_PULL_POLICY, type ImagePullPolicy } from '../../kinds/capacityProvider.js';
import type { TaskDefinitionSpec } from '../../kinds/index.js';
import type { Logger } from '../../log.js';
import { LABEL } from '../../runtime/labels.js';
import type { RegistryLogin, Runtime } from '../../runtime/runtime.js';
import { resolveImageAuth, resolveTaskEnvironment, ResourceInitializationError, SecretsProvider, type ResolvedTaskEnvironment } from '../../secrets/index.js';
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
  /** Called when the container create call is made: for the save-to-create latency figure. */
  onCreate?: () => void;
  /** Where secrets, S3 environment files and registry logins are read. @default BERTH_SECRET_* variables only */
  secrets?: SecretsProvider;
  /** Relative environmentFiles paths are read from here: the TaskDefinition manifest's directory. @default the working directory */
  taskDefinitionDir?: string;
  /** The capacity provider's policy. @default if-not-present */
  imagePullPolicy?: ImagePullPolicy;
}

/** An ECS error class in front of the engine's message: "CannotPullContainerError: ...". */
class LaunchError extends Error {
  constructor(
    readonly stopCode: 'TaskFailedToStart',
    readonly errorClass: 'CannotPullContainerError' | 'CannotCreateContainerError' | 'CannotStartContainerError' | 'ResourceInitializationError',
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

/** What a task needs from outside its definition, read before anything is created on the engine. */
interface LaunchInputs {
  environment: ResolvedTaskEnvironment;
  imageAuth: Map<string, RegistryLogin>;
}

/** Secrets, environment files and registry logins; a missing one is ECS's ResourceInitializationError. */
async function readLaunchInputs(request: LaunchRequest): Promise<LaunchInputs> {
  const provider = request.secrets ?? new SecretsProvider();
  try {
    return {
      environment: await resolveTaskEnvironment(request.spec, { provider, baseDir: request.taskDefinitionDir ?? process.cwd(), logger: request.logger }),
      imageAuth: await resolveImageAuth(request.spec, provider),
    };
  } catch (error) {
    // Only this error's messages are known to name references and never values.
    if (error instanceof ResourceInitializationError) throw new LaunchError('TaskFailedToStart', 'ResourceInitializationError', error);
    throw error;
  }
}

/**
 * Makes the image present as the capacity provider's pull policy says: `always` pulls
 * even a present image (a moved tag is picked up), `if-not-present` pulls a missing one,
 * `never` only checks.
 */
async function ensureImage(runtime: Runtime, image: string, policy: ImagePullPolicy, auth: RegistryLogin | undefined): Promise<void> {
  if (policy !== 'always' && (await runtime.hasImage(image))) return;
  if (policy === 'never') {
    throw new LaunchError('TaskFailedToStart', 'CannotPullContainerError', `image "${image}" is not present on engine ${runtime.engine} and the pull policy is never`);
  }
  await runtime.pull(image, auth).catch((error: unknown) => {
    throw new LaunchError('TaskFailedToStart', 'CannotPullContainerError', error);
  });
}

/**
 * Launches one task: secrets and environment files, network, images, create every
 * container, then start them in definition order. A failure records the task as stopped
 * with ECS's error class and asks the retirement controller to clean up what was created.
 */
export async function launchTask(request: LaunchRequest): Promise<'started' | 'failed'> {
  const { runtime, identity, spec, ledger, logger } = request;
  const createdAt = request.now();
  try {
    const inputs = await readLaunchInputs(request);
    const specs = taskContainerSpecs(spec, identity, { ...(request.serviceName ? { serviceName: request.serviceName } : {}), resolved: inputs.environment });
    await ensureTaskNetwork(runtime, identity.cluster, spec);
    const policy = request.imagePullPolicy ?? DEFAULT_IMAGE_PULL_POLICY;
    for (const image of new Set(specs.map((s) => s.image))) await ensureImage(runtime, image, policy, inputs.imageAuth.get(image));
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
