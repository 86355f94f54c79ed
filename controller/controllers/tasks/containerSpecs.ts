import { createHash } from 'node:crypto';
import type { ContainerDefinition, TaskDefinitionSpec } from '../../kinds/index.js';
import { LABEL } from '../../runtime/labels.js';
import type { ContainerSettings, ContainerSpec, PortBinding } from '../../runtime/runtime.js';

const MIB = 1024 * 1024;

/** ECS's default time between SIGTERM and SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

export interface TaskIdentity {
  cluster: string;
  /** "service:web" or "task:batch". */
  group: string;
  taskId: string;
  family: string;
  revision: number;
  capacityProvider: string;
}

/** The Docker network of a cluster: tasks in bridge mode join it, so Docker's DNS resolves names. */
export function clusterNetwork(cluster: string): string {
  return `berth-${cluster}`;
}

/** bridge tasks, and for now awsvpc tasks, join their cluster's Docker network. */
export function usesClusterNetwork(networkMode: string): boolean {
  return networkMode === 'bridge' || networkMode === 'awsvpc';
}

/** ECS task ids are 32 hex digits; container names use the first 12. */
export function shortTaskId(taskId: string): string {
  return taskId.slice(0, 12);
}

export function containerName(identity: TaskIdentity, container: string): string {
  const owner = identity.group.replace(/^[a-z]+:/, '');
  return `berth-${identity.cluster}-${owner}-${shortTaskId(identity.taskId)}-${container}`;
}

/**
 * ECS cpu units become Docker CPU shares. The kernel's minimum share is 2, and the
 * ECS agent gives a container with cpu 0 (or none) those 2 shares.
 */
export function cpuShares(cpu: number | undefined): number {
  return cpu === undefined || cpu < 2 ? 2 : cpu;
}

export interface TaskContainerSpecOptions {
  serviceName?: string;
  /**
   * Per-container environment that is no part of the container's config: the task
   * metadata URIs differ for every task, so they stay out of the config hash (else no
   * two tasks of one revision would hash alike). A variable the task definition sets
   * itself wins.
   */
  taskEnvironment?: (container: string) => Readonly<Record<string, string>>;
}

/** Docker container specs for every container of a task, in definition order. */
export function taskContainerSpecs(spec: TaskDefinitionSpec, identity: TaskIdentity, options: TaskContainerSpecOptions): ContainerSpec[] {
  const networkMode = spec.networkMode ?? 'bridge';
  const network = usesClusterNetwork(networkMode) ? clusterNetwork(identity.cluster) : networkMode;
  return spec.containerDefinitions.map((definition) => {
    const config = effectiveConfig(definition, network, networkMode, options.serviceName);
    return {
      ...config,
      env: { ...options.taskEnvironment?.(definition.name), ...config.env },
      name: containerName(identity, definition.name),
      labels: {
        ...(definition.dockerLabels ?? {}),
        [LABEL.managed]: 'true',
        [LABEL.cluster]: identity.cluster,
        [LABEL.group]: identity.group,
        [LABEL.taskId]: identity.taskId,
        [LABEL.family]: identity.family,
        [LABEL.revision]: String(identity.revision),
        [LABEL.container]: definition.name,
        [LABEL.essential]: String(definition.essential ?? true),
        [LABEL.stopTimeout]: String(definition.stopTimeout ?? DEFAULT_STOP_TIMEOUT_SECONDS),
        [LABEL.taskContainers]: String(spec.containerDefinitions.length),
        [LABEL.capacityProvider]: identity.capacityProvider,
        [LABEL.configHash]: configHash(config),
      },
    };
  });
}

type EffectiveConfig = Omit<ContainerSpec, 'name' | 'labels'>;

function effectiveConfig(
  definition: ContainerDefinition,
  network: string,
  networkMode: string,
  serviceName: string | undefined,
): EffectiveConfig {
  const ports: PortBinding[] = (definition.portMappings ?? []).map((mapping) => ({
    containerPort: mapping.containerPort,
    // In host mode the container port is the host port; in bridge mode 0 asks Docker for a free one.
    hostPort: networkMode === 'host' ? mapping.containerPort : (mapping.hostPort ?? 0),
    protocol: mapping.protocol ?? 'tcp',
  }));
  const env: Record<string, string> = {};
  for (const pair of definition.environment ?? []) env[pair.name] = pair.value;
  const config: EffectiveConfig = {
    image: definition.image,
    env,
    // awsvpc tasks are reached at their own address, never through host ports.
    ports: networkMode === 'none' || networkMode === 'awsvpc' ? [] : ports,
    cpuShares: cpuShares(definition.cpu),
    network,
  };
  if (definition.command) config.command = definition.command;
  if (definition.entryPoint) config.entryPoint = definition.entryPoint;
  if (definition.memory !== undefined) config.memoryBytes = definition.memory * MIB;
  if (definition.memoryReservation !== undefined) config.memoryReservationBytes = definition.memoryReservation * MIB;
  if (definition.hostname !== undefined && networkMode !== 'host') config.hostname = definition.hostname;
  if (definition.user !== undefined) config.user = definition.user;
  if (definition.workingDirectory !== undefined) config.workingDir = definition.workingDirectory;
  if (usesClusterNetwork(networkMode) && serviceName) config.networkAliases = [serviceName];
  const settings = containerSettings(definition);
  if (Object.keys(settings).length > 0) config.settings = settings;
  return config;
}

/**
 * ECS's kernel, security and terminal fields in Docker's terms. 128 MiB of /dev/shm
 * becomes 134217728 bytes; `tmpfs: [{containerPath: /run, size: 64, mountOptions: [noexec]}]`
 * becomes `{"/run": "size=64m,noexec"}`; `maxSwap: 512` with `memory: 256` becomes a
 * MemorySwap of 768 MiB (Docker counts memory and swap together).
 */
export function containerSettings(definition: ContainerDefinition): ContainerSettings {
  const linux = definition.linuxParameters ?? {};
  const settings: ContainerSettings = {};
  if (definition.privileged) settings.privileged = true;
  if (definition.readonlyRootFilesystem) settings.readonlyRootfs = true;
  if (linux.capabilities?.add?.length) settings.capAdd = [...linux.capabilities.add];
  if (linux.capabilities?.drop?.length) settings.capDrop = [...linux.capabilities.drop];
  if (linux.initProcessEnabled) settings.init = true;
  if (linux.sharedMemorySize !== undefined) settings.shmSizeBytes = linux.sharedMemorySize * MIB;
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
  if (linux.maxSwap !== undefined && definition.memory !== undefined) settings.memorySwapBytes = (definition.memory + linux.maxSwap) * MIB;
  if (linux.swappiness !== undefined) settings.memorySwappiness = linux.swappiness;
  if (definition.ulimits?.length) settings.ulimits = definition.ulimits.map((u) => ({ name: u.name, soft: u.softLimit, hard: u.hardLimit }));
  if (definition.extraHosts?.length) settings.extraHosts = definition.extraHosts.map((h) => `${h.hostname}:${h.ipAddress}`);
  if (definition.dnsServers?.length) settings.dns = [...definition.dnsServers];
  if (definition.dnsSearchDomains?.length) settings.dnsSearch = [...definition.dnsSearchDomains];
  if (definition.systemControls?.length) settings.sysctls = Object.fromEntries(definition.systemControls.map((c) => [c.namespace, c.value]));
  if (definition.dockerSecurityOptions?.length) settings.securityOpt = [...definition.dockerSecurityOptions];
  if (definition.pseudoTerminal) settings.tty = true;
  if (definition.interactive) settings.openStdin = true;
  if (definition.disableNetworking) settings.networkDisabled = true;
  return settings;
}

/** A short, stable hash of what a container runs; key order does not matter. */
export function configHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
