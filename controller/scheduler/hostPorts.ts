import type { TaskDefinitionSpec } from '../kinds/index.js';
import type { HostPortInUse } from '../runtime/runtime.js';
import { requiredHostPorts } from '../taskspec/containerSpecs.js';

/**
 * The host-port filter of placement: the fixed host ports of the task that a running
 * container on the engine already holds, each explained as "8080/tcp (held by web-1)";
 * empty when the task fits. Pure: what is in use is observed before.
 */
export function hostPortConflicts(spec: TaskDefinitionSpec, inUse: readonly HostPortInUse[]): string[] {
  return requiredHostPorts(spec).flatMap(({ hostPort, protocol }) => {
    const holder = inUse.find((p) => p.hostPort === hostPort && p.protocol === protocol);
    return holder ? [`${hostPort}/${protocol} (held by ${holder.holder})`] : [];
  });
}

/** ECS's words for a task that does not fit for its host ports. */
export function hostPortsTakenReason(conflicts: readonly string[]): string {
  return `host port ${conflicts.join(', ')} is already in use`;
}

/** The last task of a group that could not be placed: why, and when placing is tried again. */
export interface PlacementFailure {
  /** ECS's service event. */
  message: string;
  /** Which ports, held by whom. */
  detail: string;
  retryAt: number;
}

/**
 * A service's task does not fit on its engine for its host ports, in ECS's words; placing
 * is tried again `retryMs` later.
 */
export function hostPortPlacementFailure(input: { service: string; engine: string; detail: string; now: number; retryMs: number }): PlacementFailure {
  const message =
    `(service ${input.service}) was unable to place a task because no container instance met all of its requirements. ` +
    `The closest matching container-instance ${input.engine} is already using a port required by your task.`;
  return { message, detail: input.detail, retryAt: input.now + input.retryMs };
}
