import { clusterArn, containerArn, taskArn } from '../arn.js';
import type { TaskState } from '../kinds/index.js';
import { LABEL } from '../runtime/labels.js';
import type { ContainerDescription, HealthDetail, ContainerNetwork } from '../runtime/runtime.js';
import { observeTasks } from '../observer/observe.js';

/**
 * The ECS task metadata endpoint v4 documents, built from what the engine reports.
 * Field names and casing are ECS's (DockerId, KnownStatus, Limits.CPU, ...), so
 * software written against ECS reads them unchanged. Pure: no I/O, no clock.
 */

const MIB = 1024 * 1024;
/** One vCPU in ECS CPU units. */
const UNITS_PER_VCPU = 1024;

/** What the engine cannot say about a task: it comes from the labels' task definition and the ledger. */
export interface TaskContext {
  cluster: string;
  taskId: string;
  family: string;
  revision: number;
  /** For tasks of a service. */
  serviceName?: string;
  /** The task definition's networkMode. @default bridge */
  networkMode: string;
  /** STOPPED once berth has decided to stop the task. */
  desiredStatus: 'RUNNING' | 'STOPPED';
  /** The task definition's taskRoleArn: the only role whose credentials the task may read. */
  taskRoleArn?: string;
  /** Task-level cpu (units) and memory (MiB), when the task definition sets them. */
  limits?: { cpuUnits?: number; memoryMiB?: number };
}

export interface EcsContainerMetadata {
  DockerId: string;
  Name: string;
  DockerName: string;
  Image: string;
  ImageID: string;
  Ports?: Array<{ ContainerPort: number; Protocol: string; HostPort: number; HostIp: string }>;
  Labels: Record<string, string>;
  DesiredStatus: string;
  KnownStatus: string;
  ExitCode?: number;
  Limits: { CPU: number; Memory: number };
  CreatedAt: string;
  StartedAt?: string;
  FinishedAt?: string;
  Type: 'NORMAL';
  LogDriver: string;
  LogOptions: Record<string, string>;
  ContainerARN: string;
  Networks: EcsNetwork[];
  Health?: { status: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN'; statusSince?: string; exitCode?: number; output?: string };
}

export interface EcsNetwork {
  NetworkMode: string;
  IPv4Addresses: string[];
  AttachmentIndex?: number;
  MACAddress?: string;
  IPv4SubnetCIDRBlock?: string;
  SubnetGatewayIpv4Address?: string;
}

export interface EcsTaskMetadata {
  Cluster: string;
  ServiceName?: string;
  TaskARN: string;
  Family: string;
  Revision: string;
  DesiredStatus: string;
  KnownStatus: string;
  Limits?: { CPU?: number; Memory?: number };
  AvailabilityZone: string;
  LaunchType: 'EC2';
  Containers: EcsContainerMetadata[];
}

/** `GET ${ECS_CONTAINER_METADATA_URI_V4}`: one container. */
export function containerMetadata(container: ContainerDescription, context: TaskContext): EcsContainerMetadata {
  const name = container.labels[LABEL.container] ?? container.name;
  const metadata: EcsContainerMetadata = {
    DockerId: container.id,
    Name: name,
    DockerName: container.name,
    Image: container.image,
    ImageID: container.imageId,
    Labels: { ...container.labels },
    DesiredStatus: context.desiredStatus,
    KnownStatus: containerKnownStatus(container.state),
    Limits: { CPU: container.cpuShares, Memory: Math.round(container.memoryBytes / MIB) },
    CreatedAt: container.createdAt,
    Type: 'NORMAL',
    LogDriver: container.logDriver,
    LogOptions: { ...container.logOptions },
    ContainerARN: containerArn(context.cluster, context.taskId, name),
    Networks: ecsNetworks(container, context.networkMode),
  };
  const ports = ecsPorts(container);
  if (ports.length) metadata.Ports = ports;
  if (container.startedAt) metadata.StartedAt = container.startedAt;
  if (container.finishedAt) metadata.FinishedAt = container.finishedAt;
  if (metadata.KnownStatus === 'STOPPED' && container.exitCode !== undefined) metadata.ExitCode = container.exitCode;
  if (container.healthDetail) metadata.Health = ecsHealth(container.healthDetail);
  return metadata;
}

/** `GET ${ECS_CONTAINER_METADATA_URI_V4}/task`: the task and every container of it, oldest first. */
export function taskMetadata(containers: readonly ContainerDescription[], context: TaskContext): EcsTaskMetadata {
  const ordered = [...containers].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
  const observed = observeTasks(ordered).find((task) => task.taskId === context.taskId);
  const metadata: EcsTaskMetadata = {
    Cluster: clusterArn(context.cluster),
    TaskARN: taskArn(context.cluster, context.taskId),
    Family: context.family,
    Revision: String(context.revision),
    DesiredStatus: context.desiredStatus,
    KnownStatus: observed ? taskKnownStatus(observed.lastStatus) : 'NONE',
    AvailabilityZone: 'local',
    LaunchType: 'EC2',
    Containers: ordered.map((container) => containerMetadata(container, context)),
  };
  if (context.serviceName) metadata.ServiceName = context.serviceName;
  const limits = taskLimits(context.limits);
  if (limits) metadata.Limits = limits;
  return metadata;
}

/**
 * The ECS agent's container states: CREATED, RUNNING, STOPPED. A paused or restarting
 * container still holds its resources, so it counts as RUNNING.
 */
export function containerKnownStatus(state: ContainerDescription['state']): string {
  if (state === 'created') return 'CREATED';
  if (state === 'running' || state === 'paused' || state === 'restarting') return 'RUNNING';
  return 'STOPPED';
}

/**
 * berth's task lifecycle in the agent's words. The agent keeps a stopping task RUNNING
 * (its desired status says STOPPED) until every container has stopped; a task still
 * creating containers has its images, so PULLED; all created, none ended, CREATED.
 */
export function taskKnownStatus(state: TaskState): string {
  switch (state) {
    case 'PROVISIONING':
      return 'PULLED';
    case 'PENDING':
      return 'CREATED';
    case 'RUNNING':
    case 'STOPPING':
      return 'RUNNING';
    default:
      return 'STOPPED';
  }
}

/** Task-level limits: CPU in vCPUs (256 units → 0.25), memory in MiB; omitted when neither is set. */
function taskLimits(limits: TaskContext['limits']): EcsTaskMetadata['Limits'] | undefined {
  if (limits?.cpuUnits === undefined && limits?.memoryMiB === undefined) return undefined;
  const result: NonNullable<EcsTaskMetadata['Limits']> = {};
  if (limits.cpuUnits !== undefined) result.CPU = limits.cpuUnits / UNITS_PER_VCPU;
  if (limits.memoryMiB !== undefined) result.Memory = limits.memoryMiB;
  return result;
}

/**
 * The container's address on its task's network. In awsvpc mode ECS describes the
 * task's interface (subnet, gateway, MAC); in bridge and host mode only the mode and
 * the addresses.
 */
function ecsNetworks(container: ContainerDescription, networkMode: string): EcsNetwork[] {
  if (networkMode === 'none') return [];
  const attached = container.networks.find((n) => n.name === container.networkMode) ?? container.networks[0];
  const network: EcsNetwork = { NetworkMode: networkMode, IPv4Addresses: attached?.ipv4Address ? [attached.ipv4Address] : [] };
  if (networkMode === 'awsvpc' && attached?.ipv4Address) Object.assign(network, awsvpcDetails(attached));
  return [network];
}

function awsvpcDetails(network: ContainerNetwork): Partial<EcsNetwork> {
  const details: Partial<EcsNetwork> = { AttachmentIndex: 0 };
  if (network.macAddress) details.MACAddress = network.macAddress;
  if (network.ipv4Address && network.ipv4PrefixLength !== undefined) {
    details.IPv4SubnetCIDRBlock = `${subnetAddress(network.ipv4Address, network.ipv4PrefixLength)}/${network.ipv4PrefixLength}`;
    if (network.gateway) details.SubnetGatewayIpv4Address = `${network.gateway}/${network.ipv4PrefixLength}`;
  }
  return details;
}

/** 172.18.0.5 with prefix 16 → 172.18.0.0. */
export function subnetAddress(address: string, prefixLength: number): string {
  const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  const network = (value & mask) >>> 0;
  return [24, 16, 8, 0].map((shift) => (network >>> shift) & 255).join('.');
}

/** Published ports; Docker lists each twice (0.0.0.0 and ::), ECS once, IPv4. */
function ecsPorts(container: ContainerDescription): NonNullable<EcsContainerMetadata['Ports']> {
  const seen = new Map<string, NonNullable<EcsContainerMetadata['Ports']>[number]>();
  for (const port of container.ports) {
    const key = `${port.containerPort}/${port.protocol}/${port.hostPort}`;
    const entry = { ContainerPort: port.containerPort, Protocol: port.protocol, HostPort: port.hostPort, HostIp: port.hostIp || '0.0.0.0' };
    const existing = seen.get(key);
    if (!existing || (existing.HostIp.includes(':') && !entry.HostIp.includes(':'))) seen.set(key, entry);
  }
  return [...seen.values()];
}

/** Docker's starting is ECS's UNKNOWN: no verdict yet. */
function ecsHealth(health: HealthDetail): NonNullable<EcsContainerMetadata['Health']> {
  const status = health.status === 'healthy' ? 'HEALTHY' : health.status === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
  const result: NonNullable<EcsContainerMetadata['Health']> = { status };
  if (health.since) result.statusSince = health.since;
  if (health.exitCode !== undefined) result.exitCode = health.exitCode;
  if (health.output !== undefined) result.output = health.output;
  return result;
}
