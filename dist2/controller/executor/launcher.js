import { DEFAULT_IMAGE_PULL_POLICY } from '../kinds/capacityProvider.js';
import { LABEL } from '../runtime/labels.js';
import { isEngineUnreachable } from '../runtime/runtime.js';
import { isWritableLayerRefusal, learnWritableLayerRefusal, writableLayerLimit } from '../runtime/storageLimit.js';
import { refuseNulValues, resolveImageAuth, resolveSecretOptions, resolveTaskEnvironment, ResourceInitializationError, scrubbedValues, SecretScrubber, SecretsProvider, } from '../secrets/index.js';
import { readRoleCredentials } from '../secrets/roles.js';
import { clusterNetwork, creationOrder, DEFAULT_PAUSE_IMAGE, efsMountSource, efsNeedsDirectory, mountedVolumeNames, pauseContainerSpec, requiredHostPorts, taskContainerSpecs, taskVolumes, usesClusterNetwork, } from '../taskspec/containerSpecs.js';
import { DEFAULT_EFS_HELPER_IMAGE, efsDirectoryFor } from '../taskspec/efs.js';
import { checkHostPath } from '../taskspec/hostPaths.js';
import { startTaskContainers } from './lifecycle.js';
import { checkDockerVolume } from '../taskspec/volumePolicy.js';
import { containerSummary } from '../observer/summary.js';
import { errorMessage } from '../errors.js';
import { observeHostPorts } from '../observer/hostPorts.js';
import { hostPortConflicts as placementHostPortConflicts, hostPortsTakenReason } from '../scheduler/hostPorts.js';
/**
 * The task cannot be placed on the engine: a fixed host port it needs is taken. Not a
 * task failure (ECS starts no task at all), so it never counts toward the crash-loop throttle.
 */
export class PortInUseError extends Error {
    name = 'PortInUseError';
}
/** The engine's words for a host port someone else holds, at start. */
const PORT_TAKEN = /port is already allocated|address already in use/i;
/**
 * The fixed host ports of the task that a running container on the engine already holds,
 * as "8080/tcp (held by web-1)"; empty when the task fits.
 */
export async function hostPortConflicts(runtime, spec) {
    return placementHostPortConflicts(spec, await observeHostPorts(runtime, requiredHostPorts(spec).length > 0));
}
/**
 * Starts the created containers: in definition order when none depends on another,
 * else as their dependsOn conditions allow (see lifecycle.ts).
 */
async function startInOrder(request, ids) {
    const { runtime, spec, identity, ledger } = request;
    if (!spec.containerDefinitions.some((c) => c.dependsOn?.length)) {
        for (const id of ids)
            await runtime.start(id);
        return;
    }
    const containers = (await Promise.all(ids.map((id) => runtime.inspect(id)))).filter((c) => c !== undefined);
    await startTaskContainers({
        runtime,
        containers,
        now: request.now,
        cancelled: () => Boolean(ledger.get(identity.group).stopRequests[identity.taskId]) || request.shuttingDown?.() === true,
    });
}
/** The task's containers for its stopped record: their exit codes when the engine still has them. */
async function containersAsFound(runtime, taskId, spec) {
    const found = await runtime.list({ [LABEL.taskId]: taskId }).catch(() => []);
    return spec.containerDefinitions
        .map((definition) => {
        const container = found.find((c) => c.labels[LABEL.container] === definition.name);
        return { ...(container ? containerSummary(container) : { name: definition.name }), lastStatus: 'STOPPED' };
    })
        .sort((a, b) => a.name.localeCompare(b.name));
}
/** An ECS error class in front of the engine's message: "CannotPullContainerError: ...". */
class LaunchError extends Error {
    stopCode;
    errorClass;
    constructor(stopCode, errorClass, cause) {
        super(`${errorClass}: ${errorMessage(cause)}`, { cause });
        this.stopCode = stopCode;
        this.errorClass = errorClass;
    }
}
/**
 * Whether host paths of tasks on this engine can be checked on the controller's own
 * file system: only for an engine reached through a local unix socket (or an
 * in-process engine). A tcp engine's paths live on another machine.
 */
export function engineSharesFileSystem(engine) {
    return engine.startsWith('unix://') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(engine);
}
/**
 * Checks every host path the task mounts against the cluster's policy (a `host.sourcePath`
 * and the `device` of a local Docker volume that binds one alike), checks Docker volume
 * drivers and mount types against the volume policy, and refuses volumes berth cannot
 * provide. Resolves with the real path of each bind's host path, which is what gets
 * mounted, and the volumes with a bind's `device` replaced by its real path: a symlink
 * swapped after the check then changes nothing.
 */
function checkTaskVolumes(volumes, request) {
    const realPaths = new Map();
    const fail = (message) => new LaunchError('TaskFailedToStart', 'ResourceInitializationError', new Error(message));
    const checkedHostPath = (volume, path, field) => {
        // A host.sourcePath is a host path by its name; a Docker volume's bind says which field it is.
        const named = field === 'host.sourcePath' ? '' : `${field}: `;
        if (!engineSharesFileSystem(request.runtime.engine)) {
            throw fail(`volume "${volume}": ${named}host path "${path}" refused: host paths are checked on the controller's file system, ` +
                `so they are allowed only on engines reached through a local unix socket, not on ${request.runtime.engine}`);
        }
        const verdict = checkHostPath(path, request.hostPathPolicy, request.identity.cluster, request.hostPathFs);
        if (!verdict.allowed)
            throw fail(`volume "${volume}": ${named}${verdict.reason}`);
        return verdict.realPath;
    };
    const checked = volumes.map((volume) => {
        if (volume.type === 'unsupported')
            throw fail(`volume "${volume.name}" cannot be mounted: ${volume.reason}`);
        if (volume.type === 'bind') {
            realPaths.set(volume.sourcePath, checkedHostPath(volume.name, volume.sourcePath, 'host.sourcePath'));
            return volume;
        }
        // An EFS directory is made by berth inside the file system's own volume: no user host path.
        if (volume.type === 'efs')
            return volume;
        const verdict = checkDockerVolume(volume, request.volumePolicy, request.identity.cluster);
        if (verdict.kind === 'refused')
            throw fail(`volume "${volume.name}": ${verdict.reason}`);
        if (verdict.kind !== 'hostPath')
            return volume;
        const realPath = checkedHostPath(volume.name, verdict.device, 'dockerVolumeConfiguration.driverOpts.device (a bind)');
        return { ...volume, driverOpts: { ...volume.driverOpts, device: realPath } };
    });
    return { realPaths, volumes: checked };
}
/**
 * Creates the task's Docker volumes: task-scoped ones always, shared ones when absent
 * and autoprovisioned; a missing shared volume without autoprovision fails the launch.
 * `created` collects the task-scoped volumes made, for cleanup if the launch fails.
 */
async function provisionVolumes(runtime, volumes, created) {
    for (const volume of volumes) {
        if (volume.type === 'efs') {
            await runtime.ensureVolume(volume.dockerName, { labels: volume.labels }).catch((error) => {
                throw new LaunchError('TaskFailedToStart', 'ResourceInitializationError', new Error(`volume "${volume.name}": ${errorMessage(error)}`));
            });
            continue;
        }
        if (volume.type !== 'volume')
            continue;
        const options = { labels: volume.labels, ...(volume.driver ? { driver: volume.driver } : {}), ...(volume.driverOpts ? { driverOpts: volume.driverOpts } : {}) };
        try {
            if (volume.scope === 'shared' && !volume.autoprovision) {
                if (!(await runtime.hasVolume(volume.dockerName))) {
                    throw new Error(`shared volume "${volume.dockerName}" does not exist on engine ${runtime.engine} and autoprovision is false; create it or set autoprovision: true`);
                }
                continue;
            }
            await runtime.ensureVolume(volume.dockerName, options);
            if (volume.scope === 'task')
                created.push(volume.dockerName);
        }
        catch (error) {
            throw new LaunchError('TaskFailedToStart', 'ResourceInitializationError', new Error(`volume "${volume.name}": ${errorMessage(error)}`));
        }
    }
}
/**
 * Makes the directory each EFS volume mounts inside its file system's volume (a
 * rootDirectory, or an access point's root directory with its owner), and resolves with
 * the host path that stands in for each efsMountSource. The file system's volume exists
 * by now (provisionVolumes). Every task that names the same file system and directory on
 * an engine gets the same host path, so they share its files.
 */
async function prepareEfsDirectories(request, volumes) {
    const sources = new Map();
    const image = request.efsHelperImage ?? DEFAULT_EFS_HELPER_IMAGE;
    for (const volume of volumes) {
        if (volume.type !== 'efs' || !efsNeedsDirectory(volume))
            continue;
        try {
            const directory = efsDirectoryFor(volume, { accessPoints: request.efsAccessPoints, cluster: request.identity.cluster });
            if (!(await request.runtime.hasImage(image))) {
                await request.runtime.pull(image).catch((error) => {
                    const reason = errorMessage(error);
                    throw new Error(`image "${image}" (it makes EFS directories) is not present on engine ${request.runtime.engine} and cannot be pulled (${reason}); build it with scripts/build-images.sh, or name another with --efs-helper-image`);
                });
            }
            sources.set(efsMountSource(volume), await request.runtime.prepareVolumeDirectory(volume.dockerName, { ...directory, image }));
        }
        catch (error) {
            throw new LaunchError('TaskFailedToStart', 'ResourceInitializationError', new Error(`volume "${volume.name}": ${errorMessage(error)}`));
        }
    }
    return sources;
}
/** Mounts the checked real path of each host path instead of the path as written. */
function withRealPaths(spec, realPaths) {
    if (!spec.mounts?.some((m) => m.type === 'bind'))
        return spec;
    return { ...spec, mounts: spec.mounts.map((m) => (m.type === 'bind' ? { ...m, source: realPaths.get(m.source) ?? m.source } : m)) };
}
/** A failed launch removes the task-scoped volumes it made; one a created container holds stays for the retirement controller. */
async function removeVolumesQuietly(runtime, names, logger) {
    for (const name of names) {
        await runtime.removeVolume(name).catch((error) => logger.debug({ volume: name, err: errorMessage(error) }, 'volume left for retirement'));
    }
}
/**
 * The pause image, present or pulled. It is no image of the task definition, so a missing
 * one says what it is for and how to get it.
 */
async function ensurePauseImage(runtime, image) {
    if (await runtime.hasImage(image))
        return;
    await runtime.pull(image).catch((error) => {
        const reason = errorMessage(error);
        throw new LaunchError('TaskFailedToStart', 'CannotPullContainerError', `pause image "${image}" (it holds the task's shared network, PID and IPC namespaces) is not present on engine ${runtime.engine} and cannot be pulled (${reason}); ` +
            'build it with scripts/build-images.sh, or name another with --pause-image');
    });
}
/** Removes what a launch that could not be placed created: it leaves nothing behind. */
async function removeContainersQuietly(runtime, ids, logger) {
    for (const id of ids) {
        await runtime.remove(id).catch((error) => logger.debug({ id, err: errorMessage(error) }, 'container left for retirement'));
    }
}
/** Tasks in bridge mode join their cluster's network, which must exist before their containers start. */
export async function ensureTaskNetwork(runtime, cluster, spec) {
    if (!usesClusterNetwork(spec.networkMode ?? 'bridge'))
        return;
    await runtime.ensureNetwork(clusterNetwork(cluster), { [LABEL.managed]: 'true', [LABEL.cluster]: cluster });
}
/** Secrets, environment files and registry logins; a missing one is ECS's ResourceInitializationError. */
async function readLaunchInputs(request) {
    const provider = request.secrets ?? new SecretsProvider();
    try {
        const logSecretOptions = {};
        for (const definition of request.spec.containerDefinitions) {
            const secretOptions = definition.logConfiguration?.secretOptions;
            if (secretOptions?.length)
                logSecretOptions[definition.name] = await resolveSecretOptions(secretOptions, provider);
        }
        const environment = await resolveTaskEnvironment(request.spec, {
            provider,
            baseDir: request.taskDefinitionDir ?? process.cwd(),
            // The controller reads these files: the policy applies whatever engine the task runs on.
            checkLocalFile: (path) => checkHostPath(path, request.hostPathPolicy, request.identity.cluster, request.hostPathFs),
            logger: request.logger,
        });
        const imageAuth = await resolveImageAuth(request.spec, provider);
        const plainEnvironment = Object.fromEntries(request.spec.containerDefinitions.map((d) => [d.name, d.environment ?? []]));
        refuseNulValues({ environment, logSecretOptions, plainEnvironment });
        const registryPasswords = [...imageAuth.values()].map((auth) => auth.password);
        return { environment, scrubber: new SecretScrubber(scrubbedValues({ environment, logSecretOptions, registryPasswords })), imageAuth, logSecretOptions };
    }
    catch (error) {
        // Only this error's messages are known to name references and never values.
        if (error instanceof ResourceInitializationError)
            throw new LaunchError('TaskFailedToStart', 'ResourceInitializationError', error);
        throw error;
    }
}
/**
 * Makes the image present as the capacity provider's pull policy says: `always` pulls
 * even a present image (a moved tag is picked up), `if-not-present` pulls a missing one,
 * `never` only checks.
 */
async function ensureImage(runtime, image, policy, auth) {
    if (policy !== 'always' && (await runtime.hasImage(image)))
        return;
    if (policy === 'never') {
        throw new LaunchError('TaskFailedToStart', 'CannotPullContainerError', `image "${image}" is not present on engine ${runtime.engine} and the pull policy is never`);
    }
    await runtime.pull(image, auth).catch((error) => {
        throw new LaunchError('TaskFailedToStart', 'CannotPullContainerError', error);
    });
}
/**
 * The metadata URIs of a task's containers. In bridge and awsvpc mode the host is
 * the cluster network's gateway, so the network must exist first.
 */
async function metadataEnvironment(request) {
    const { metadata, runtime, identity, spec } = request;
    if (!metadata)
        return undefined;
    const networkMode = spec.networkMode ?? 'bridge';
    const gateway = metadata.needsGateway && usesClusterNetwork(networkMode) ? await runtime.networkGateway(clusterNetwork(identity.cluster)) : undefined;
    const host = metadata.hostFor(networkMode, gateway);
    if (host === undefined)
        return undefined;
    // The server listens only where tasks reach it: on this network's gateway from now on.
    await metadata.reachableAt(host);
    const role = spec.taskRoleArn !== undefined ? { taskRoleArn: spec.taskRoleArn } : {};
    const engineOnThisHost = engineSharesFileSystem(runtime.engine);
    return (container) => metadata.environment(host, { taskId: identity.taskId, container, networkMode, engineOnThisHost, ...role });
}
/**
 * A task whose role has no credentials mapped still starts: many real task definitions
 * name a role that a local run never uses, and refusing them all would turn those files
 * away. Nothing is made up either: the group gets one event naming the role and where
 * berth looked, and the endpoint answers the task's SDK with the same error.
 * The event is given once while it is among the group's kept events, not at every launch.
 */
async function announceUnmappedRole(request) {
    const { spec, identity, ledger } = request;
    if (spec.taskRoleArn === undefined)
        return;
    try {
        await readRoleCredentials({ secretsDir: request.secrets?.dir, roleArn: spec.taskRoleArn, now: request.now });
    }
    catch (error) {
        const owner = identity.group.replace(':', ' ');
        const message = `(${owner}) started tasks without credentials for their task role: ${errorMessage(error)}.`;
        if (!ledger.get(identity.group).events.some((event) => event.message === message))
            ledger.addEvent(identity.group, message, request.now());
        request.logger.warn({ taskId: identity.taskId, roleArn: spec.taskRoleArn }, 'task role has no credentials mapped');
    }
}
/** The container as created on an engine that cannot limit its writable layer. */
function withoutWritableLayerLimit(spec) {
    if (spec.writableLayerBytes === undefined)
        return spec;
    const { writableLayerBytes: _, ...rest } = spec;
    return rest;
}
/**
 * A task whose ephemeralStorage the engine cannot enforce still runs, on the engine's disk
 * as any container does: refusing it would turn away every Fargate task definition on the
 * most common storage driver (overlay2 on ext4). The group is told once per engine, while
 * the event is among its kept events, not at every launch.
 */
function announceUnenforcedStorage(request, reason) {
    const { spec, identity, ledger, runtime } = request;
    const size = spec.ephemeralStorage?.sizeInGiB;
    if (size === undefined)
        return;
    const owner = identity.group.replace(':', ' ');
    const message = `(${owner}) ephemeralStorage ${size} GiB is not enforced on engine ${runtime.engine}: ${reason}.`;
    if (ledger.get(identity.group).events.some((event) => event.message === message))
        return;
    ledger.addEvent(identity.group, message, request.now());
    request.logger.warn({ taskId: identity.taskId, engine: runtime.engine, sizeInGiB: size, reason }, 'ephemeralStorage not enforced');
}
/**
 * Launches one task: secrets and environment files, host path policy, network, images,
 * volumes, create every container (a volumesFrom source before its user), then start
 * them as their dependsOn allows. A failure records the task as stopped with ECS's
 * error class and asks the retirement controller to clean up what was created.
 */
export async function launchTask(request) {
    const { runtime, identity, spec, ledger, logger } = request;
    const createdAt = request.now();
    const createdVolumes = [];
    const createdIds = [];
    // Until the secrets are read there is nothing to scrub: the errors before name references only.
    let scrubber = new SecretScrubber([]);
    try {
        const conflicts = await hostPortConflicts(runtime, spec);
        if (conflicts.length)
            throw new PortInUseError(hostPortsTakenReason(conflicts));
        const inputs = await readLaunchInputs(request);
        scrubber = inputs.scrubber;
        const mounted = mountedVolumeNames(spec);
        const { realPaths, volumes } = checkTaskVolumes(taskVolumes(spec, identity).filter((v) => mounted.has(v.name)), request);
        // The metadata URI names the cluster network's gateway: the network comes first.
        await ensureTaskNetwork(runtime, identity.cluster, spec);
        const taskEnvironment = await metadataEnvironment(request);
        await announceUnmappedRole(request);
        const options = {
            ...(request.serviceName ? { serviceName: request.serviceName } : {}),
            ...(taskEnvironment ? { taskEnvironment } : {}),
            resolved: inputs.environment,
            logSecretOptions: inputs.logSecretOptions,
        };
        const byName = new Map(taskContainerSpecs(spec, identity, options).map((s) => [s.labels[LABEL.container], withRealPaths(s, realPaths)]));
        let order;
        try {
            order = creationOrder(spec);
        }
        catch (error) {
            throw new LaunchError('TaskFailedToStart', 'CannotCreateContainerError', error);
        }
        let specs = order.map((name) => byName.get(name));
        if (spec.ephemeralStorage) {
            const limit = await writableLayerLimit(runtime);
            if (!limit.limits) {
                specs = specs.map(withoutWritableLayerLimit);
                announceUnenforcedStorage(request, limit.reason);
            }
        }
        const policy = request.imagePullPolicy ?? DEFAULT_IMAGE_PULL_POLICY;
        const pullStartedAt = request.now();
        request.onPull?.({ startedAt: pullStartedAt });
        for (const image of new Set(specs.map((s) => s.image)))
            await ensureImage(runtime, image, policy, inputs.imageAuth.get(image));
        request.onPull?.({ startedAt: pullStartedAt, stoppedAt: request.now() });
        const pause = pauseContainerSpec(spec, identity, { ...(request.serviceName ? { serviceName: request.serviceName } : {}), image: request.pauseImage ?? DEFAULT_PAUSE_IMAGE });
        if (pause)
            await ensurePauseImage(runtime, pause.image);
        await provisionVolumes(runtime, volumes, createdVolumes);
        const efsSources = await prepareEfsDirectories(request, volumes);
        let writableLayerRefused = false;
        const create = async (requested) => {
            request.onCreate?.();
            const containerSpec = writableLayerRefused ? withoutWritableLayerLimit(requested) : requested;
            const id = await runtime.create(containerSpec).catch(async (error) => {
                // docker info cannot tell xfs with pquota from xfs without: the first refusal does, once per engine.
                if (containerSpec.writableLayerBytes !== undefined && isWritableLayerRefusal(error)) {
                    writableLayerRefused = true;
                    announceUnenforcedStorage(request, learnWritableLayerRefusal(runtime, error).reason);
                    return runtime.create(withoutWritableLayerLimit(containerSpec));
                }
                throw error;
            }).catch((error) => {
                throw new LaunchError('TaskFailedToStart', 'CannotCreateContainerError', error);
            });
            createdIds.push(id);
            return id;
        };
        // The pause container comes first and starts first: the others join its namespaces.
        const pauseId = pause ? await create(pause) : undefined;
        const idsByName = new Map();
        for (const containerSpec of specs)
            idsByName.set(containerSpec.labels[LABEL.container], await create(withRealPaths(containerSpec, efsSources)));
        try {
            if (pauseId)
                await runtime.start(pauseId);
            await startInOrder(request, spec.containerDefinitions.map((d) => idsByName.get(d.name)));
        }
        catch (error) {
            // A port someone outside berth's sight holds shows only now, in the engine's refusal.
            if (error instanceof Error && PORT_TAKEN.test(error.message))
                throw new PortInUseError(error.message);
            throw new LaunchError('TaskFailedToStart', 'CannotStartContainerError', error);
        }
        logger.debug({ taskId: identity.taskId }, 'task started');
        return 'started';
    }
    catch (error) {
        if (error instanceof PortInUseError) {
            await removeContainersQuietly(runtime, createdIds, logger);
            await removeVolumesQuietly(runtime, createdVolumes, logger);
            const reason = scrubber.scrub(error.message);
            logger.info({ taskId: identity.taskId, reason }, 'task could not be placed');
            request.onUnplaced?.(reason);
            return 'unplaced';
        }
        await removeVolumesQuietly(runtime, createdVolumes, logger);
        const failure = error instanceof LaunchError ? error : new LaunchError('TaskFailedToStart', 'CannotCreateContainerError', error);
        // The engine's words may repeat a secret it was given: status, events, state and log get them scrubbed.
        const reason = scrubber.scrub(failure.message);
        // Nobody at the engine's address (it restarts, its host is gone): the engine's failure, not the task's.
        const engineAway = isEngineUnreachable(failure) || request.engineAway?.() === true;
        if (!ledger.get(identity.group).stopRequests[identity.taskId])
            logger.warn({ taskId: identity.taskId, reason, ...(engineAway ? { engineUnreachable: true } : {}) }, 'task failed to start');
        // A launch cut short because the task was asked to stop meanwhile (a scale-in) is not a failure.
        const stopRequest = ledger.get(identity.group).stopRequests[identity.taskId];
        const stopped = {
            taskId: identity.taskId,
            taskDefinition: `${identity.family}:${identity.revision}`,
            lastStatus: 'STOPPED',
            desiredStatus: 'STOPPED',
            createdAt: new Date(createdAt).toISOString(),
            stoppedAt: new Date(request.now()).toISOString(),
            stopCode: stopRequest?.stopCode ?? failure.stopCode,
            stoppedReason: stopRequest?.reason ?? reason,
            // A container the engine refused to start keeps the engine's words as its reason.
            containers: (await containersAsFound(runtime, identity.taskId, spec)).map((c) => (c.reason === undefined ? c : { ...c, reason: scrubber.scrub(c.reason) })),
            failed: !stopRequest && !engineAway,
            wasStable: false,
        };
        if (engineAway && !stopRequest)
            stopped.byEngine = true;
        ledger.recordStopped(identity.group, stopped);
        ledger.requestStop(identity.group, identity.taskId, { stopCode: failure.stopCode, reason, requestedAt: request.now() });
        return 'failed';
    }
}
//# sourceMappingURL=launcher.js.map