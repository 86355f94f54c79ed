import { declaredHostPorts, isPauseContainer, LABEL, namedPorts } from '../runtime/labels.js';
import { restartsInPlace } from './restarts.js';
/**
 * Groups managed containers into tasks by their task-id label. Pure. A task in
 * `stopRequested` is on its way out: its containers' restart policies no longer apply.
 */
export function observeTasks(containers, stopRequested = new Set()) {
    const byTask = new Map();
    for (const container of containers) {
        const taskId = container.labels[LABEL.taskId];
        if (!taskId)
            continue;
        const list = byTask.get(taskId) ?? [];
        list.push(container);
        byTask.set(taskId, list);
    }
    return [...byTask.entries()].map(([taskId, list]) => observeTask(taskId, list, !stopRequested.has(taskId)));
}
function observeTask(taskId, all, restartsApply) {
    const pause = all.find((c) => isPauseContainer(c.labels));
    const containers = all.filter((c) => c !== pause);
    const labels = (containers[0] ?? pause).labels;
    const expected = Number(labels[LABEL.taskContainers] ?? containers.length);
    const isEssential = (c) => c.labels[LABEL.essential] !== 'false';
    const ended = (c) => c.state === 'exited' || c.state === 'dead';
    const live = (c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
    // An essential container that exited stops its task, unless its restart policy restarts it in place.
    const restarts = (c) => restartsApply && restartsInPlace(c);
    const exited = containers.filter((c) => isEssential(c) && ended(c) && !restarts(c)).sort(byFinishedAt)[0];
    // A task has stopped once its namespaces are gone too: the pause container stops last.
    const stoppedOr = (anyLive) => (anyLive || (pause !== undefined && live(pause)) ? 'STOPPING' : 'STOPPED');
    let lastStatus;
    if (exited)
        lastStatus = stoppedOr(containers.some(live));
    else if (containers.length < expected)
        lastStatus = 'PROVISIONING';
    else if (containers.every((c) => ended(c) && !restarts(c)))
        lastStatus = stoppedOr(false);
    else if (containers.some((c) => c.state === 'created' || c.state === 'restarting'))
        lastStatus = 'PENDING';
    else if (containers.filter(isEssential).every((c) => live(c) || restarts(c)))
        lastStatus = 'RUNNING';
    else
        lastStatus = 'PENDING';
    const times = (pick) => containers.map(pick).filter((t) => Boolean(t)).map((t) => Date.parse(t));
    const created = times((c) => c.createdAt);
    const started = times((c) => c.startedAt);
    const finished = times((c) => c.finishedAt);
    const task = {
        taskId,
        group: labels[LABEL.group] ?? '',
        cluster: labels[LABEL.cluster] ?? '',
        family: labels[LABEL.family] ?? '',
        revision: Number(labels[LABEL.revision] ?? 0),
        capacityProvider: labels[LABEL.capacityProvider] ?? '',
        lastStatus,
        createdAt: created.length ? Math.min(...created) : 0,
        containers,
        networkBindings: networkBindings(containers),
        healthStatus: taskHealth(containers.filter(isEssential)),
    };
    if (pause)
        task.pause = pause;
    const address = pause?.state === 'running' ? Object.values(pause.addresses ?? {})[0] : undefined;
    if (address)
        task.address = address;
    if (started.length)
        task.startedAt = Math.min(...started);
    // Docker can date a process that exits at once as finished a millisecond before the start
    // it recorded; a task never stops before it started.
    if (lastStatus === 'STOPPED' && finished.length)
        task.stoppedAt = Math.max(...finished, task.startedAt ?? 0);
    if (exited) {
        task.exitedEssential = { name: exited.labels[LABEL.container] ?? exited.name };
        if (exited.exitCode !== undefined)
            task.exitedEssential.exitCode = exited.exitCode;
        if (exited.oomKilled)
            task.exitedEssential.oomKilled = true;
        if (exited.error)
            task.exitedEssential.error = exited.error;
    }
    return task;
}
/**
 * ECS's rule over the essential containers that have a health check: UNHEALTHY when any
 * is unhealthy, else UNKNOWN while any is still being evaluated (or none has a check),
 * else HEALTHY.
 */
export function taskHealth(essential) {
    const checked = essential.filter((c) => c.labels[LABEL.healthCheck] === 'true');
    if (checked.length === 0)
        return 'UNKNOWN';
    const health = checked.map(containerHealth);
    if (health.includes('UNHEALTHY'))
        return 'UNHEALTHY';
    if (health.includes('UNKNOWN'))
        return 'UNKNOWN';
    return 'HEALTHY';
}
/** A container's health in ECS's words; only a running container's verdict counts. */
export function containerHealth(container) {
    if (container.state !== 'running')
        return 'UNKNOWN';
    if (container.health === 'healthy')
        return 'HEALTHY';
    if (container.health === 'unhealthy')
        return 'UNHEALTHY';
    return 'UNKNOWN';
}
function byFinishedAt(a, b) {
    return (a.finishedAt ?? '').localeCompare(b.finishedAt ?? '');
}
/**
 * Host ports as ECS reports them: one binding per container port and host port. Docker
 * lists a published port once per address family (0.0.0.0 and ::); the IPv4 one is kept.
 * A running host-network container binds the ports its label declares, on every address.
 * A port mapping's Service Connect name and appProtocol come along from the port-names label.
 */
export function networkBindings(containers) {
    const bindings = new Map();
    for (const c of containers) {
        const containerName = c.labels[LABEL.container] ?? c.name;
        const hostPorts = c.state === 'running' ? declaredHostPorts(c.labels[LABEL.hostPorts], c.name).map((p) => ({ containerPort: p.hostPort, hostPort: p.hostPort, protocol: p.protocol, hostIp: '0.0.0.0' })) : [];
        for (const p of [...c.ports, ...hostPorts]) {
            if (p.hostPort <= 0)
                continue;
            const key = `${containerName}/${p.containerPort}/${p.protocol}/${p.hostPort}`;
            const bindIP = p.hostIp || '0.0.0.0';
            const existing = bindings.get(key);
            if (existing && !existing.bindIP.includes(':'))
                continue;
            const named = namedPorts(c.labels[LABEL.portNames]).find((n) => n.containerPort === p.containerPort && n.protocol === p.protocol);
            bindings.set(key, {
                containerName,
                containerPort: p.containerPort,
                hostPort: p.hostPort,
                protocol: p.protocol,
                bindIP,
                ...(named?.name !== undefined ? { name: named.name } : {}),
                ...(named?.appProtocol !== undefined ? { appProtocol: named.appProtocol } : {}),
            });
        }
    }
    return [...bindings.values()];
}
//# sourceMappingURL=observe.js.map