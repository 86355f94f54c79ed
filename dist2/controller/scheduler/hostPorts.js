import { requiredHostPorts } from '../taskspec/containerSpecs.js';
/**
 * The host-port filter of placement: the fixed host ports of the task that a running
 * container on the engine already holds, each explained as "8080/tcp (held by web-1)";
 * empty when the task fits. Pure: what is in use is observed before.
 */
export function hostPortConflicts(spec, inUse) {
    return requiredHostPorts(spec).flatMap(({ hostPort, protocol }) => {
        const holder = inUse.find((p) => p.hostPort === hostPort && p.protocol === protocol);
        return holder ? [`${hostPort}/${protocol} (held by ${holder.holder})`] : [];
    });
}
/** ECS's words for a task that does not fit for its host ports. */
export function hostPortsTakenReason(conflicts) {
    return `host port ${conflicts.join(', ')} is already in use`;
}
/**
 * A service's task does not fit on its engine for its host ports, in ECS's words; placing
 * is tried again `retryMs` later.
 */
export function hostPortPlacementFailure(input) {
    const message = `(service ${input.service}) was unable to place a task because no container instance met all of its requirements. ` +
        `The closest matching container-instance ${input.engine} is already using a port required by your task.`;
    return { message, detail: input.detail, retryAt: input.now + input.retryMs };
}
//# sourceMappingURL=hostPorts.js.map