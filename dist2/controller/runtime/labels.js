import { formatGroup } from '../keys.js';
/**
 * Ownership lives in container labels: they are how the controller adopts after a
 * restart and how it tells its containers from anyone else's.
 */
export const LABEL = {
    managed: 'berth.managed',
    /** Which controller (manifests directory, or --owner) the container belongs to. */
    owner: 'berth.owner',
    cluster: 'berth.cluster',
    /** "service:web" or "task:batch" — the group a task belongs to. */
    group: 'berth.group',
    taskId: 'berth.task-id',
    family: 'berth.family',
    revision: 'berth.revision',
    container: 'berth.container',
    configHash: 'berth.config-hash',
    /** "true" or "false": whether this container stopping stops its task (ECS essential). */
    essential: 'berth.essential',
    /** Seconds between SIGTERM and SIGKILL when the task stops (ECS stopTimeout). */
    stopTimeout: 'berth.stop-timeout',
    /** How many containers the task has, so a task left half-created by a crash is recognised. */
    taskContainers: 'berth.task-containers',
    /** The container's dependsOn as JSON: [{"containerName":"db","condition":"HEALTHY"}], for ordered starts and stops. */
    dependsOn: 'berth.depends-on',
    /** Seconds the task waits for this container to meet a dependent's condition (ECS startTimeout). */
    startTimeout: 'berth.start-timeout',
    /** The container's restart policy as JSON: {"ignoredExitCodes":[0],"restartAttemptPeriod":300}; absent when disabled. */
    restartPolicy: 'berth.restart-policy',
    /** "true" when the container has a health check (ECS healthCheck). */
    healthCheck: 'berth.health-check',
    /**
     * "pause" on the container that owns a task's shared namespaces (awsvpc network, pidMode
     * or ipcMode task). It belongs to the task but is none of its containers.
     */
    role: 'berth.role',
    /** Host-network containers: the host ports they listen on, "8080/tcp,53/udp", which Docker does not report. */
    hostPorts: 'berth.host-ports',
    /** Which engine of which capacity provider the task was placed on. */
    capacityProvider: 'berth.capacity-provider',
    /** awslogs containers: the log group (awslogs-group) their output is kept under. */
    logGroup: 'berth.log-group',
    /** awslogs containers: the stream name ECS would give their output, prefix/container/task-id. */
    logStream: 'berth.log-stream',
    /**
     * Service Connect port names and app protocols of the container's port mappings, as JSON:
     * [{"containerPort":8080,"protocol":"tcp","name":"web","appProtocol":"http"}]. Kept for
     * discovery; no part of the config hash, so naming a port replaces no running container.
     */
    portNames: 'berth.port-names',
};
/** The port-names label read back; an unreadable label names no port rather than failing the observation. */
export function namedPorts(label) {
    if (!label)
        return [];
    let parsed;
    try {
        parsed = JSON.parse(label);
    }
    catch {
        return [];
    }
    if (!Array.isArray(parsed))
        return [];
    return parsed.flatMap((entry) => {
        if (typeof entry !== 'object' || entry === null)
            return [];
        const { containerPort, protocol, name, appProtocol } = entry;
        if (typeof containerPort !== 'number')
            return [];
        const port = { containerPort, protocol: protocol === 'udp' ? 'udp' : 'tcp' };
        if (typeof name === 'string')
            port.name = name;
        if (typeof appProtocol === 'string')
            port.appProtocol = appProtocol;
        return [port];
    });
}
/** Whether a container is a task's pause container rather than one of its containers. */
export function isPauseContainer(labels) {
    return labels[LABEL.role] === 'pause';
}
export function groupLabel(kind, name) {
    return formatGroup({ kind, name });
}
/** The ports a host-network container declares in its label: "8080/tcp,53/udp". */
export function declaredHostPorts(label, holder) {
    if (!label)
        return [];
    return label.split(',').flatMap((entry) => {
        const [port, protocol] = entry.split('/');
        const hostPort = Number(port);
        return Number.isInteger(hostPort) && hostPort > 0 ? [{ hostPort, protocol: protocol === 'udp' ? 'udp' : 'tcp', holder }] : [];
    });
}
//# sourceMappingURL=labels.js.map