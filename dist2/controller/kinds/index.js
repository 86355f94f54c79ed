import { CapacityProvider, CapacityProviderStatus } from './capacityProvider.js';
import { LoadBalancer, LoadBalancerStatus } from './loadBalancer.js';
import { TargetGroup, TargetGroupStatus } from './targetGroup.js';
import { Cluster, ClusterStatus } from './cluster.js';
import { Service, ServiceStatus } from './service.js';
import { Task, TaskStatus } from './task.js';
import { TaskDefinition, TaskDefinitionStatus } from './taskDefinition.js';
/** The one definition of every kind: TypeScript types, the validator and manifests/*.schema.json come from here. */
export const KIND_SCHEMAS = {
    Cluster,
    CapacityProvider,
    TaskDefinition,
    Service,
    Task,
    TargetGroup,
    LoadBalancer,
};
export const KIND_NAMES = Object.keys(KIND_SCHEMAS);
/**
 * The status each kind's controller writes. Not part of KIND_SCHEMAS: the controller owns
 * status, so a manifest is never rejected for what its status block holds; the published
 * schema shows it, as a CRD shows its status subresource.
 */
export const KIND_STATUS_SCHEMAS = {
    Cluster: ClusterStatus,
    CapacityProvider: CapacityProviderStatus,
    TaskDefinition: TaskDefinitionStatus,
    Service: ServiceStatus,
    Task: TaskStatus,
    TargetGroup: TargetGroupStatus,
    LoadBalancer: LoadBalancerStatus,
};
export function isKindName(value) {
    return typeof value === 'string' && Object.hasOwn(KIND_SCHEMAS, value);
}
export * from './common.js';
export { parseTaskCpu, parseTaskMemory } from './taskDefinition.js';
export { TASK_STATES } from './service.js';
export { targetGroupConfig, TARGET_STATES } from './targetGroup.js';
export { DEFAULT_BIND_ADDRESS } from './loadBalancer.js';
//# sourceMappingURL=index.js.map