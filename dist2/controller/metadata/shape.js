import { clusterArn, containerArn, taskArn } from '../arn.js';
import { LABEL } from '../runtime/labels.js';
import { observeTasks } from '../observer/observe.js';
/**
 * The ECS task metadata endpoint v4 documents, built from what the engine reports.
 * Field names and casing are ECS's (DockerId, KnownStatus, Limits.CPU, ...), so
 * software written against ECS reads them unchanged. Pure: no I/O, no clock.
 */
const MIB = 1024 * 1024;
/** One vCPU in ECS CPU units. */
const UNITS_PER_VCPU = 1024;
/** `GET ${ECS_CONTAINER_METADATA_URI_V4}`: one container. */
export function containerMetadata(container, context) {
    const name = container.labels[LABEL.container] ?? container.name;
    const metadata = {
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
    if (ports.length)
        metadata.Ports = ports;
    if (container.startedAt)
        metadata.StartedAt = container.startedAt;
    if (container.finishedAt)
        metadata.FinishedAt = container.finishedAt;
    if (metadata.KnownStatus === 'STOPPED' && container.exitCode !== undefined)
        metadata.ExitCode = container.exitCode;
    if (container.healthDetail)
        metadata.Health = ecsHealth(container.healthDetail);
    return metadata;
}
/** `GET ${ECS_CONTAINER_METADATA_URI_V4}/task`: the task and every container of it, oldest first. */
export function taskMetadata(containers, context) {
    const ordered = [...containers].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
    const observed = observeTasks(ordered).find((task) => task.taskId === context.taskId);
    const metadata = {
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
    if (context.serviceName)
        metadata.ServiceName = context.serviceName;
    const limits = taskLimits(context.limits);
    if (limits)
        metadata.Limits = limits;
    return metadata;
}
/**
 * The ECS agent's container states: CREATED, RUNNING, STOPPED. A paused or restarting
 * container still holds its resources, so it counts as RUNNING.
 */
export function containerKnownStatus(state) {
    if (state === 'created')
        return 'CREATED';
    if (state === 'running' || state === 'paused' || state === 'restarting')
        return 'RUNNING';
    return 'STOPPED';
}
/**
 * berth's task lifecycle in the agent's words. The agent keeps a stopping task RUNNING
 * (its desired status says STOPPED) until every container has stopped; a task still
 * creating containers has its images, so PULLED; all created, none ended, CREATED.
 */
export function taskKnownStatus(state) {
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
function taskLimits(limits) {
    if (limits?.cpuUnits === undefined && limits?.memoryMiB === undefined)
        return undefined;
    const result = {};
    if (limits.cpuUnits !== undefined)
        result.CPU = limits.cpuUnits / UNITS_PER_VCPU;
    if (limits.memoryMiB !== undefined)
        result.Memory = limits.memoryMiB;
    return result;
}
/**
 * The container's address on its task's network. In awsvpc mode ECS describes the
 * task's interface (subnet, gateway, MAC); in bridge and host mode only the mode and
 * the addresses.
 */
function ecsNetworks(container, networkMode) {
    if (networkMode === 'none')
        return [];
    const attached = container.networks.find((n) => n.name === container.networkMode) ?? container.networks[0];
    const network = { NetworkMode: networkMode, IPv4Addresses: attached?.ipv4Address ? [attached.ipv4Address] : [] };
    if (networkMode === 'awsvpc' && attached?.ipv4Address)
        Object.assign(network, awsvpcDetails(attached));
    return [network];
}
function awsvpcDetails(network) {
    const details = { AttachmentIndex: 0 };
    if (network.macAddress)
        details.MACAddress = network.macAddress;
    if (network.ipv4Address && network.ipv4PrefixLength !== undefined) {
        details.IPv4SubnetCIDRBlock = `${subnetAddress(network.ipv4Address, network.ipv4PrefixLength)}/${network.ipv4PrefixLength}`;
        if (network.gateway)
            details.SubnetGatewayIpv4Address = `${network.gateway}/${network.ipv4PrefixLength}`;
    }
    return details;
}
/** 172.18.0.5 with prefix 16 → 172.18.0.0. */
export function subnetAddress(address, prefixLength) {
    const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
    const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
    const network = (value & mask) >>> 0;
    return [24, 16, 8, 0].map((shift) => (network >>> shift) & 255).join('.');
}
/** Published ports; Docker lists each twice (0.0.0.0 and ::), ECS once, IPv4. */
function ecsPorts(container) {
    const seen = new Map();
    for (const port of container.ports) {
        const key = `${port.containerPort}/${port.protocol}/${port.hostPort}`;
        const entry = { ContainerPort: port.containerPort, Protocol: port.protocol, HostPort: port.hostPort, HostIp: port.hostIp || '0.0.0.0' };
        const existing = seen.get(key);
        if (!existing || (existing.HostIp.includes(':') && !entry.HostIp.includes(':')))
            seen.set(key, entry);
    }
    return [...seen.values()];
}
/** Docker's starting is ECS's UNKNOWN: no verdict yet. */
function ecsHealth(health) {
    const status = health.status === 'healthy' ? 'HEALTHY' : health.status === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
    const result = { status };
    if (health.since)
        result.statusSince = health.since;
    if (health.exitCode !== undefined)
        result.exitCode = health.exitCode;
    if (health.output !== undefined)
        result.output = health.output;
    return result;
}
//# sourceMappingURL=shape.js.map