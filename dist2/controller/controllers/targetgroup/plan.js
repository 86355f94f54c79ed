/** Addresses Docker binds on every interface: the host reaches them at its loopback. */
const ANY_ADDRESS = new Set(['', '0.0.0.0', '::']);
const LOOPBACK = '127.0.0.1';
/**
 * Where the load balancer reaches one task's container port: a bridge task's host port
 * (bound by Docker on the host), a host-network task's own port on the host, an awsvpc
 * task's address on the cluster network. undefined while there is none (no binding yet).
 */
export function taskTarget(task, entry, networkMode) {
    switch (networkMode ?? 'bridge') {
        case 'awsvpc':
            return task.address ? { address: task.address, port: entry.containerPort } : undefined;
        case 'host':
            return { address: LOOPBACK, port: entry.containerPort };
        case 'bridge': {
            const binding = task.networkBindings.find((b) => b.containerName === entry.containerName && b.containerPort === entry.containerPort && b.protocol === 'tcp');
            if (!binding)
                return undefined;
            return { address: ANY_ADDRESS.has(binding.bindIP) ? LOOPBACK : binding.bindIP, port: binding.hostPort };
        }
        default:
            return undefined;
    }
}
/** A loadBalancers entry the task definition cannot serve, with the field to fix; ECS's words. */
export function loadBalancerProblem(entry, index, spec) {
    const at = ['spec', 'loadBalancers', index];
    const container = spec.containerDefinitions.find((c) => c.name === entry.containerName);
    if (!container) {
        const names = spec.containerDefinitions.map((c) => c.name).join(', ');
        return { path: [...at, 'containerName'], message: `The container ${entry.containerName} does not exist in the task definition (its containers: ${names}).` };
    }
    if (!(container.portMappings ?? []).some((m) => m.containerPort === entry.containerPort && (m.protocol ?? 'tcp') === 'tcp')) {
        const ports = (container.portMappings ?? []).map((m) => m.containerPort).join(', ') || 'none';
        return { path: [...at, 'containerPort'], message: `The container ${entry.containerName} did not have a container port ${entry.containerPort} defined (its tcp container ports: ${ports}).` };
    }
    if (spec.networkMode === 'none') {
        return { path: [...at], message: `Tasks with networkMode none cannot be registered in a target group.` };
    }
    return undefined;
}
/** "(service web) registered 2 targets in (target-group web)", per service, as ECS tells it. */
export function registrationEvents(targetGroup, change) {
    const events = [];
    for (const [verb, targets] of [['registered', change.registered], ['deregistered', change.deregistered]]) {
        const counts = new Map();
        for (const t of targets)
            counts.set(t.service, (counts.get(t.service) ?? 0) + 1);
        for (const [service, count] of counts)
            events.push({ service, message: `(service ${service}) ${verb} ${count} targets in (target-group ${targetGroup})` });
    }
    return events;
}
/**
 * The targets that turned unhealthy since the states last reported, each as ECS's event:
 * "(service web) (task 3f…) (port 32768) is unhealthy in target-group web due to (reason
 * Health checks failed with these codes: [500])".
 */
export function unhealthyEvents(targetGroup, before, targets) {
    return targets
        .filter((t) => t.state === 'unhealthy' && before.get(t.id) !== 'unhealthy')
        .map((t) => ({
        service: t.service,
        message: `(service ${t.service}) (task ${t.id}) (port ${t.port}) is unhealthy in target-group ${targetGroup} due to (reason ${t.description ?? t.reason ?? 'unknown'})`,
    }));
}
//# sourceMappingURL=plan.js.map