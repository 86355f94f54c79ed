import { parseTaskCpu, parseTaskMemory } from '../kinds/index.js';
import { normalizeEfsDirectory } from '../kinds/efs.js';
import { shortHash } from '../hash.js';
import { LABEL } from '../runtime/labels.js';
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
/** ECS's default time between SIGTERM and SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 30;
/**
 * How long a container's dependents wait for it when its definition sets no
 * startTimeout: the ECS agent's default container start timeout on EC2 (3 minutes).
 */
export const DEFAULT_START_TIMEOUT_SECONDS = 180;
/** ECS's health check defaults. */
export const HEALTH_CHECK_DEFAULTS = { interval: 30, timeout: 5, retries: 3, startPeriod: 0 };
/** ECS's default restartAttemptPeriod, in seconds. */
export const DEFAULT_RESTART_ATTEMPT_PERIOD_SECONDS = 300;
/** The Docker network of a cluster: tasks in bridge mode join it, so Docker's DNS resolves names. */
export function clusterNetwork(cluster) {
    return `berth-${cluster}`;
}
/** bridge tasks' containers, and awsvpc tasks' pause containers, join their cluster's Docker network. */
export function usesClusterNetwork(networkMode) {
    return networkMode === 'bridge' || networkMode === 'awsvpc';
}
/** The pause container's image, unless the controller is given another (--pause-image). */
export const DEFAULT_PAUSE_IMAGE = 'berth/pause:1';
/** How long the pause container gets to end: it holds no state, and it stops after every container of its task. */
const PAUSE_STOP_TIMEOUT_SECONDS = 2;
/**
 * Whether the task gets a pause container: a small container that owns the namespaces its
 * containers share (ECS awsvpc: one network namespace with the task's own address; pidMode
 * and ipcMode `task`: one PID or IPC namespace). It starts first and stops last, so no
 * container of the task ever outlives the namespaces it lives in.
 */
export function needsPauseContainer(spec) {
    return (spec.networkMode ?? 'bridge') === 'awsvpc' || spec.pidMode === 'task' || spec.ipcMode === 'task';
}
/** The pause container's Docker name. ECS container names have no dot, so no container of the task can take it. */
export function pauseContainerName(identity) {
    return `${containerName(identity, '').slice(0, -1)}.pause`;
}
export { isPauseContainer } from '../runtime/labels.js';
/**
 * ECS network, PID and IPC modes as Docker namespace modes: bridge joins the cluster
 * network; awsvpc joins the pause container's network namespace (localhost between the
 * task's containers, one address for the task); `task` PID and IPC modes join the pause
 * container's, `host` the host's; ipcMode `none` gives no shared memory at all.
 */
export function taskNamespaces(spec, identity) {
    const networkMode = spec.networkMode ?? 'bridge';
    const pause = `container:${pauseContainerName(identity)}`;
    const namespaces = {
        network: networkMode === 'awsvpc' ? pause : networkMode === 'bridge' ? clusterNetwork(identity.cluster) : networkMode,
    };
    if (spec.pidMode)
        namespaces.pidMode = spec.pidMode === 'task' ? pause : spec.pidMode;
    if (spec.ipcMode)
        namespaces.ipcMode = spec.ipcMode === 'task' ? pause : spec.ipcMode;
    return namespaces;
}
/**
 * Docker links of a bridge-mode container: every other container of its task under its
 * ECS name, and the ECS `links` ("name" or "name:alias"). On a user-defined network a
 * link is a DNS name only the linking container resolves, so two tasks of one service
 * each reach their own "db", where a network alias would be shared by both.
 */
export function taskLinks(spec, identity, definition) {
    const links = new Map();
    for (const other of spec.containerDefinitions) {
        if (other.name !== definition.name)
            links.set(other.name, containerName(identity, other.name));
    }
    for (const link of definition.links ?? []) {
        const [target = '', alias = target] = link.split(':');
        if (spec.containerDefinitions.some((d) => d.name === target))
            links.set(alias, containerName(identity, target));
    }
    return [...links].map(([alias, target]) => `${target}:${alias}`);
}
/** ECS task ids are 32 hex digits; container names use the first 12. */
export function shortTaskId(taskId) {
    return taskId.slice(0, 12);
}
export function containerName(identity, container) {
    const owner = identity.group.replace(/^[a-z]+:/, '');
    return `berth-${identity.cluster}-${owner}-${shortTaskId(identity.taskId)}-${container}`;
}
/**
 * ECS cpu units become Docker CPU shares. The kernel's minimum share is 2, and the
 * ECS agent gives a container with cpu 0 (or none) those 2 shares.
 */
export function cpuShares(cpu) {
    return cpu === undefined || cpu < 2 ? 2 : cpu;
}
/** A task-scoped Docker volume: unique per task, so two tasks never share one by accident. */
export function taskVolumeName(identity, volume) {
    return `berth-${identity.cluster}-${shortTaskId(identity.taskId)}-${volume}`;
}
/** EFS is emulated by one shared local volume per file system: tasks on an engine share its data. */
export function efsVolumeName(fileSystemId) {
    return `berth-efs-${fileSystemId}`;
}
/**
 * Whether an EFS volume mounts a directory of its file system rather than the whole of it:
 * a rootDirectory other than "/", or an access point (its root directory is known only at launch).
 */
export function efsNeedsDirectory(volume) {
    return volume.directory !== '/' || volume.accessPointId !== undefined;
}
/**
 * The bind source that stands for an EFS directory until the launcher has made it and
 * knows its host path (see efsDirectorySources). It names the file system and the
 * directory or access point, never an engine's path, so every task of a revision hashes
 * alike on every engine; not being absolute, Docker would refuse it if it ever got through.
 */
export function efsMountSource(volume) {
    return `efs:${volume.fileSystemId}:${volume.accessPointId ?? volume.directory}`;
}
/**
 * The task definition's volumes in Docker's terms, as ECS defines them: a host
 * sourcePath is a bind mount; dockerVolumeConfiguration a named volume, scoped to the
 * task (the default) or shared and then named as the ECS volume is; EFS a shared local
 * volume per file system, of which a rootDirectory or access point mounts a subdirectory; a volume with none of these (or an empty `host`) ECS's
 * empty volume, a task-scoped local volume. Task-scoped volumes carry the task's labels,
 * so the retirement controller finds and removes them with the task.
 */
export function taskVolumes(spec, identity) {
    const taskLabels = {
        [LABEL.managed]: 'true',
        [LABEL.cluster]: identity.cluster,
        [LABEL.group]: identity.group,
        [LABEL.taskId]: identity.taskId,
    };
    return (spec.volumes ?? []).flatMap((volume) => {
        const name = volume.name;
        if (name === undefined)
            return [];
        if (volume.fsxWindowsFileServerVolumeConfiguration) {
            return [{ name, type: 'unsupported', reason: 'fsxWindowsFileServerVolumeConfiguration has no local equivalent' }];
        }
        if (volume.host?.sourcePath !== undefined)
            return [{ name, type: 'bind', sourcePath: volume.host.sourcePath }];
        const efs = volume.efsVolumeConfiguration;
        if (efs) {
            const accessPointId = efs.authorizationConfig?.accessPointId;
            return [
                {
                    name,
                    type: 'efs',
                    dockerName: efsVolumeName(efs.fileSystemId),
                    fileSystemId: efs.fileSystemId,
                    directory: normalizeEfsDirectory(efs.rootDirectory),
                    ...(accessPointId !== undefined ? { accessPointId } : {}),
                    labels: { [LABEL.managed]: 'true' },
                },
            ];
        }
        const docker = volume.dockerVolumeConfiguration;
        const scope = docker?.scope ?? 'task';
        const provided = {
            name,
            type: 'volume',
            dockerName: scope === 'shared' ? name : taskVolumeName(identity, name),
            scope,
            autoprovision: scope === 'shared' ? (docker?.autoprovision ?? false) : true,
            labels: { ...(docker?.labels ?? {}), ...(scope === 'task' ? taskLabels : { [LABEL.managed]: 'true' }) },
        };
        if (docker?.driver !== undefined)
            provided.driver = docker.driver;
        if (docker?.driverOpts !== undefined)
            provided.driverOpts = { ...docker.driverOpts };
        return [provided];
    });
}
/** Names of the volumes some container of the task mounts. */
export function mountedVolumeNames(spec) {
    return new Set(spec.containerDefinitions.flatMap((d) => (d.mountPoints ?? []).map((m) => m.sourceVolume).filter((v) => v !== undefined)));
}
/**
 * The order containers are created in: a container whose volumesFrom names another
 * comes after it, as Docker resolves volumesFrom at create; otherwise definition order.
 * Throws on a cycle, which no order can satisfy.
 */
export function creationOrder(spec) {
    const definitions = new Map(spec.containerDefinitions.map((d) => [d.name, d]));
    const ordered = [];
    const visiting = new Set();
    const visit = (name, path) => {
        if (ordered.includes(name))
            return;
        if (visiting.has(name))
            throw new Error(`volumesFrom forms a cycle: ${[...path, name].join(' -> ')}`);
        visiting.add(name);
        for (const source of definitions.get(name)?.volumesFrom ?? []) {
            if (source.sourceContainer !== undefined && definitions.has(source.sourceContainer))
                visit(source.sourceContainer, [...path, name]);
        }
        visiting.delete(name);
        ordered.push(name);
    };
    for (const name of definitions.keys())
        visit(name, []);
    return ordered;
}
/** The labels every container of a task carries, the pause container included. */
function taskLabels(identity) {
    return {
        [LABEL.managed]: 'true',
        [LABEL.cluster]: identity.cluster,
        [LABEL.group]: identity.group,
        [LABEL.taskId]: identity.taskId,
        [LABEL.family]: identity.family,
        [LABEL.revision]: String(identity.revision),
        [LABEL.capacityProvider]: identity.capacityProvider,
    };
}
/**
 * The task's pause container, when it needs one (see needsPauseContainer). In awsvpc
 * mode it is the task on the network: it joins the cluster network with the service
 * name as alias, and carries what Docker refuses on a container that joins another's
 * network namespace (hostname, DNS servers and search domains, extra hosts). Otherwise it
 * only holds PID and IPC namespaces and has no network.
 */
export function pauseContainerSpec(spec, identity, options) {
    if (!needsPauseContainer(spec))
        return undefined;
    const awsvpc = spec.networkMode === 'awsvpc';
    const config = {
        image: options.image ?? DEFAULT_PAUSE_IMAGE,
        env: {},
        ports: [],
        cpuShares: cpuShares(undefined),
        network: awsvpc ? clusterNetwork(identity.cluster) : 'none',
    };
    const settings = {};
    if (spec.ipcMode === 'task')
        settings.ipcMode = 'shareable';
    if (awsvpc) {
        if (options.serviceName)
            config.networkAliases = [options.serviceName];
        const hostname = spec.containerDefinitions.find((d) => d.hostname !== undefined)?.hostname;
        if (hostname !== undefined)
            config.hostname = hostname;
        const union = (pick) => [...new Set(spec.containerDefinitions.flatMap((d) => pick(d) ?? []))];
        const dns = union((d) => d.dnsServers);
        const dnsSearch = union((d) => d.dnsSearchDomains);
        const extraHosts = union((d) => d.extraHosts?.map((h) => `${h.hostname}:${h.ipAddress}`));
        if (dns.length)
            settings.dns = dns;
        if (dnsSearch.length)
            settings.dnsSearch = dnsSearch;
        if (extraHosts.length)
            settings.extraHosts = extraHosts;
    }
    if (Object.keys(settings).length > 0)
        config.settings = settings;
    return {
        ...config,
        name: pauseContainerName(identity),
        labels: {
            ...taskLabels(identity),
            [LABEL.role]: 'pause',
            [LABEL.stopTimeout]: String(PAUSE_STOP_TIMEOUT_SECONDS),
            // A task whose launch got no further than its pause container is recognised as incomplete.
            [LABEL.taskContainers]: String(spec.containerDefinitions.length),
            [LABEL.configHash]: configHash(config),
        },
    };
}
/** Docker container specs for every container of a task, in definition order (the pause container is pauseContainerSpec's). */
export function taskContainerSpecs(spec, identity, options) {
    const networkMode = spec.networkMode ?? 'bridge';
    const namespaces = taskNamespaces(spec, identity);
    const volumes = new Map(taskVolumes(spec, identity).map((v) => [v.name, v]));
    const taskLimits = taskLevelLimits(spec);
    return spec.containerDefinitions.map((definition) => {
        const config = effectiveConfig(definition, namespaces, networkMode, options.serviceName);
        applyTaskLimits(config, taskLimits);
        // ECS sizes the task's shared ephemeral storage; Docker sizes each container's writable
        // layer, so every container may fill the task's whole allowance. Absent, the config
        // (and its hash) is what it was before ephemeralStorage was applied.
        if (spec.ephemeralStorage)
            config.writableLayerBytes = spec.ephemeralStorage.sizeInGiB * GIB;
        if (networkMode === 'bridge')
            config.links = taskLinks(spec, identity, definition);
        if (!config.links?.length)
            delete config.links;
        const mounts = containerMounts(definition, volumes);
        if (mounts.length)
            config.mounts = mounts;
        const volumesFrom = (definition.volumesFrom ?? []).flatMap((v) => v.sourceContainer === undefined ? [] : [{ container: containerName(identity, v.sourceContainer), readOnly: v.readOnly ?? false }]);
        if (volumesFrom.length)
            config.volumesFrom = volumesFrom;
        const logging = containerLogging(definition, identity.taskId, options.logSecretOptions?.[definition.name]);
        if (logging.driver)
            config.logDriver = logging.driver;
        return {
            ...config,
            env: withTaskEnvironment(options.taskEnvironment?.(definition.name), containerEnv(config.env, options.resolved?.[definition.name])),
            name: containerName(identity, definition.name),
            labels: {
                ...(definition.dockerLabels ?? {}),
                ...taskLabels(identity),
                [LABEL.container]: definition.name,
                [LABEL.essential]: String(definition.essential ?? true),
                [LABEL.stopTimeout]: String(definition.stopTimeout ?? DEFAULT_STOP_TIMEOUT_SECONDS),
                [LABEL.taskContainers]: String(spec.containerDefinitions.length),
                ...(networkMode === 'host' ? hostPortsLabel(definition) : {}),
                ...portNamesLabel(definition),
                ...logging.labels,
                [LABEL.configHash]: configHash(taskIndependent(hashedConfig(config, definition), identity)),
                ...lifecycleLabels(definition),
            },
        };
    });
}
/** The task-level cpu (units) and memory (MiB), when the task definition sets them. */
export function taskLevelLimits(spec) {
    const limits = {};
    const cpu = parseTaskCpu(spec.cpu);
    const memory = parseTaskMemory(spec.memory);
    if (cpu !== undefined && cpu > 0)
        limits.cpuUnits = cpu;
    if (memory !== undefined && memory > 0)
        limits.memoryMiB = memory;
    return limits;
}
/**
 * ECS limits a task as a whole (one cgroup for the task). Docker has no such group
 * through its API, so each container is capped at the task's limits: the task cpu
 * becomes a CPU quota (NanoCpus, 1024 units = 1 CPU) and the task memory the hard
 * memory limit of a container that sets none of its own. One container can then use
 * the whole task allowance, as in ECS; the sum over containers is not enforced.
 */
function applyTaskLimits(config, limits) {
    if (limits.cpuUnits !== undefined)
        config.nanoCpus = Math.round((limits.cpuUnits / 1024) * 1e9);
    if (limits.memoryMiB !== undefined && config.memoryBytes === undefined)
        config.memoryBytes = limits.memoryMiB * MIB;
}
/**
 * A container's mountPoints as Docker mounts. A mount point naming no volume of the
 * task, or an unsupported one, is left out here: validation rejects the first and the
 * launcher fails a task that mounts the second, naming it.
 */
function containerMounts(definition, volumes) {
    return (definition.mountPoints ?? []).flatMap((point) => {
        const volume = point.sourceVolume === undefined ? undefined : volumes.get(point.sourceVolume);
        if (!volume || point.containerPath === undefined || volume.type === 'unsupported')
            return [];
        const readOnly = point.readOnly ?? false;
        if (volume.type === 'bind')
            return [{ type: 'bind', source: volume.sourcePath, target: point.containerPath, readOnly }];
        // A subdirectory of the file system is bound once the launcher has made it; the whole one is its volume.
        if (volume.type === 'efs') {
            return efsNeedsDirectory(volume) ? [{ type: 'bind', source: efsMountSource(volume), target: point.containerPath, readOnly }] : [{ type: 'volume', source: volume.dockerName, target: point.containerPath, readOnly }];
        }
        return [{ type: 'volume', source: volume.dockerName, target: point.containerPath, readOnly }];
    });
}
/**
 * A container's environment: ECS's precedence: environment files give way to `environment` (the agent adds a file's
 * variable only when it is not set yet), and secrets are set last, over both. A name in
 * both `environment` and `secrets` is refused when the manifest is validated.
 */
const CREDENTIALS_VARIABLES = ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI'];
/**
 * Berth's metadata and credentials variables under the container's own: a variable the
 * task definition sets wins. The two credentials variables go together: SDKs read a
 * RELATIVE_URI before a FULL_URI, so a container that names its own credentials source
 * in either must not be given berth's other one.
 */
export function withTaskEnvironment(fromBerth, own) {
    const berth = { ...fromBerth };
    if (CREDENTIALS_VARIABLES.some((name) => name in own))
        for (const name of CREDENTIALS_VARIABLES)
            delete berth[name];
    return { ...berth, ...own };
}
export function containerEnv(environment, resolved) {
    return { ...resolved?.fromFiles, ...environment, ...resolved?.secrets };
}
/**
 * What the config hash covers: the effective config with secrets and environment files as
 * their references, never their values. A rotated secret or an edited environment file
 * then does not make running tasks look changed (ECS too reads them only at launch), and
 * the label can never encode a value. Containers without either hash as they always did.
 */
function hashedConfig(config, definition) {
    const hashed = { ...config };
    if (definition.environmentFiles?.length)
        hashed.environmentFiles = definition.environmentFiles.map((f) => f.value);
    if (definition.secrets?.length)
        hashed.secrets = definition.secrets.map((s) => [s.name, s.valueFrom]);
    return hashed;
}
/**
 * A host-network container listens on the host's ports itself: Docker publishes nothing
 * and reports no binding, so the ports it takes are declared in a label, for placement
 * checks and networkBindings.
 */
function hostPortsLabel(definition) {
    const ports = (definition.portMappings ?? []).map((m) => `${m.containerPort}/${m.protocol ?? 'tcp'}`);
    return ports.length ? { [LABEL.hostPorts]: ports.join(',') } : {};
}
/**
 * The Service Connect names and app protocols of a container's port mappings, in a label
 * that discovery and a restarted controller read back. Absent when no mapping has either.
 */
function portNamesLabel(definition) {
    const named = (definition.portMappings ?? []).filter((m) => m.name !== undefined || m.appProtocol !== undefined);
    if (named.length === 0)
        return {};
    const ports = named.map((m) => ({
        containerPort: m.containerPort,
        protocol: m.protocol ?? 'tcp',
        ...(m.name !== undefined ? { name: m.name } : {}),
        ...(m.appProtocol !== undefined ? { appProtocol: m.appProtocol } : {}),
    }));
    return { [LABEL.portNames]: JSON.stringify(ports) };
}
/**
 * The fixed host ports a task needs (bridge hostPort > 0, host mode's container ports):
 * a task can only be placed on an engine where none of them is taken.
 */
export function requiredHostPorts(spec) {
    const networkMode = spec.networkMode ?? 'bridge';
    if (networkMode !== 'bridge' && networkMode !== 'host')
        return [];
    return spec.containerDefinitions.flatMap((d) => (d.portMappings ?? []).flatMap((m) => {
        const hostPort = networkMode === 'host' ? m.containerPort : (m.hostPort ?? 0);
        return hostPort > 0 ? [{ hostPort, protocol: m.protocol ?? 'tcp' }] : [];
    }));
}
function effectiveConfig(definition, namespaces, networkMode, serviceName) {
    const ports = (definition.portMappings ?? []).map((mapping) => ({
        containerPort: mapping.containerPort,
        // 0 asks Docker for a free one.
        hostPort: mapping.hostPort ?? 0,
        protocol: mapping.protocol ?? 'tcp',
    }));
    const env = {};
    for (const pair of definition.environment ?? [])
        env[pair.name] = pair.value ?? '';
    const config = {
        image: definition.image,
        env,
        // Only bridge publishes ports: host containers listen on the host's own, awsvpc tasks
        // are reached at their own address, none has no network.
        ports: networkMode === 'bridge' ? ports : [],
        cpuShares: cpuShares(definition.cpu),
        network: namespaces.network,
    };
    if (definition.command)
        config.command = definition.command;
    if (definition.entryPoint)
        config.entryPoint = definition.entryPoint;
    if (definition.memory !== undefined)
        config.memoryBytes = definition.memory * MIB;
    if (definition.memoryReservation !== undefined)
        config.memoryReservationBytes = definition.memoryReservation * MIB;
    // awsvpc: the hostname is the pause container's, as are the service alias and DNS settings.
    if (definition.hostname !== undefined && networkMode !== 'host' && networkMode !== 'awsvpc')
        config.hostname = definition.hostname;
    if (definition.user !== undefined)
        config.user = definition.user;
    if (definition.workingDirectory !== undefined)
        config.workingDir = definition.workingDirectory;
    if (networkMode === 'bridge' && serviceName)
        config.networkAliases = [serviceName];
    const settings = containerSettings(definition);
    if (networkMode === 'awsvpc') {
        delete settings.dns;
        delete settings.dnsSearch;
        delete settings.extraHosts;
    }
    if (namespaces.pidMode)
        settings.pidMode = namespaces.pidMode;
    if (namespaces.ipcMode)
        settings.ipcMode = namespaces.ipcMode;
    if (Object.keys(settings).length > 0)
        config.settings = settings;
    if (definition.healthCheck)
        config.healthCheck = healthCheckSpec(definition.healthCheck);
    return config;
}
/** ECS's healthCheck with its defaults filled in. The command is Docker's Test as is: ["CMD-SHELL", "..."], ["CMD", ...] or ["NONE"]. */
export function healthCheckSpec(check) {
    return {
        test: [...check.command],
        intervalSeconds: check.interval ?? HEALTH_CHECK_DEFAULTS.interval,
        timeoutSeconds: check.timeout ?? HEALTH_CHECK_DEFAULTS.timeout,
        retries: check.retries ?? HEALTH_CHECK_DEFAULTS.retries,
        startPeriodSeconds: check.startPeriod ?? HEALTH_CHECK_DEFAULTS.startPeriod,
    };
}
/**
 * What the task's lifecycle needs to know about a container, carried in its labels so a
 * restarted controller orders starts and stops and restarts containers the same way.
 */
function lifecycleLabels(definition) {
    const labels = {};
    if (definition.dependsOn?.length) {
        labels[LABEL.dependsOn] = JSON.stringify(definition.dependsOn.map((d) => ({ containerName: d.containerName, condition: d.condition })));
    }
    labels[LABEL.startTimeout] = String(definition.startTimeout ?? DEFAULT_START_TIMEOUT_SECONDS);
    if (definition.restartPolicy?.enabled) {
        labels[LABEL.restartPolicy] = JSON.stringify({
            ignoredExitCodes: definition.restartPolicy.ignoredExitCodes ?? [],
            restartAttemptPeriod: definition.restartPolicy.restartAttemptPeriod ?? DEFAULT_RESTART_ATTEMPT_PERIOD_SECONDS,
        });
    }
    if (definition.healthCheck && definition.healthCheck.command[0] !== 'NONE')
        labels[LABEL.healthCheck] = 'true';
    return labels;
}
/** Log drivers Docker ships: handed to the engine as the task definition names them. */
const DOCKER_LOG_DRIVERS = new Set(['json-file', 'local', 'syslog', 'journald', 'gelf', 'fluentd', 'splunk', 'logentries', 'none']);
/**
 * Where a container's output goes. Docker's own drivers get the task definition's
 * driver and options (secret options merged over them). `awslogs` is served by berth:
 * the container writes to Docker's `local` driver and berth's log store collects it
 * under the group and the stream ECS would use, `<awslogs-stream-prefix>/<container>/<task id>`
 * (ECS names the stream after the Docker container id when there is no prefix, and so
 * does the store). `awsfirelens` has no local router: plain `json-file`.
 */
export function containerLogging(definition, taskId, secretOptions = {}) {
    const configuration = definition.logConfiguration;
    if (!configuration)
        return { labels: {} };
    const options = { ...(configuration.options ?? {}), ...secretOptions };
    if (configuration.logDriver === 'awslogs') {
        const labels = {};
        const group = options['awslogs-group'];
        const prefix = options['awslogs-stream-prefix'];
        if (group)
            labels[LABEL.logGroup] = group;
        if (prefix)
            labels[LABEL.logStream] = `${prefix}/${definition.name}/${taskId}`;
        return { driver: { type: 'local', options: {} }, labels };
    }
    if (DOCKER_LOG_DRIVERS.has(configuration.logDriver))
        return { driver: { type: configuration.logDriver, options }, labels: {} };
    return { driver: { type: 'json-file', options: {} }, labels: {} };
}
/**
 * ECS's kernel, security and terminal fields in Docker's terms. 128 MiB of /dev/shm
 * becomes 134217728 bytes; `tmpfs: [{containerPath: /run, size: 64, mountOptions: [noexec]}]`
 * becomes `{"/run": "size=64m,noexec"}`; `maxSwap: 512` with `memory: 256` becomes a
 * MemorySwap of 768 MiB (Docker counts memory and swap together).
 */
export function containerSettings(definition) {
    const linux = definition.linuxParameters ?? {};
    const settings = {};
    if (definition.privileged)
        settings.privileged = true;
    if (definition.readonlyRootFilesystem)
        settings.readonlyRootfs = true;
    if (linux.capabilities?.add?.length)
        settings.capAdd = [...linux.capabilities.add];
    if (linux.capabilities?.drop?.length)
        settings.capDrop = [...linux.capabilities.drop];
    if (linux.initProcessEnabled)
        settings.init = true;
    if (linux.sharedMemorySize !== undefined)
        settings.shmSizeBytes = linux.sharedMemorySize * MIB;
    if (linux.tmpfs?.length) {
        settings.tmpfs = Object.fromEntries(linux.tmpfs.map((t) => [t.containerPath, [`size=${t.size}m`, ...(t.mountOptions ?? [])].join(',')]));
    }
    if (linux.devices?.length) {
        settings.devices = linux.devices.map((d) => ({
            hostPath: d.hostPath,
            containerPath: d.containerPath ?? d.hostPath,
            permissions: (d.permissions ?? ['read', 'write', 'mknod']).map((p) => p[0]).join(''),
        }));
    }
    if (linux.maxSwap !== undefined && definition.memory !== undefined)
        settings.memorySwapBytes = (definition.memory + linux.maxSwap) * MIB;
    if (linux.swappiness !== undefined)
        settings.memorySwappiness = linux.swappiness;
    if (definition.ulimits?.length)
        settings.ulimits = definition.ulimits.map((u) => ({ name: u.name, soft: u.softLimit, hard: u.hardLimit }));
    if (definition.extraHosts?.length)
        settings.extraHosts = definition.extraHosts.map((h) => `${h.hostname}:${h.ipAddress}`);
    if (definition.dnsServers?.length)
        settings.dns = [...definition.dnsServers];
    if (definition.dnsSearchDomains?.length)
        settings.dnsSearch = [...definition.dnsSearchDomains];
    if (definition.systemControls?.length)
        settings.sysctls = Object.fromEntries(definition.systemControls.map((c) => [c.namespace, c.value]));
    if (definition.dockerSecurityOptions?.length)
        settings.securityOpt = [...definition.dockerSecurityOptions];
    if (definition.pseudoTerminal)
        settings.tty = true;
    if (definition.interactive)
        settings.openStdin = true;
    if (definition.disableNetworking)
        settings.networkDisabled = true;
    return settings;
}
/**
 * The config with this task's own names made generic: links, volumesFrom, task-scoped
 * volumes and the awsvpc namespace name the task's containers by task id, and every task
 * of a revision must hash alike (the hash is how a revision is recognised on the engine).
 */
function taskIndependent(config, identity) {
    const taskPart = shortTaskId(identity.taskId);
    return JSON.parse(JSON.stringify(config).split(taskPart).join('{task}'));
}
/** A short, stable hash of what a container runs; key order does not matter. */
export function configHash(value) {
    return shortHash(value);
}
//# sourceMappingURL=containerSpecs.js.map