import type { Static, TObject, TSchema } from '@sinclair/typebox';
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
} as const satisfies Record<string, TObject>;

export type KindName = keyof typeof KIND_SCHEMAS;
export const KIND_NAMES = Object.keys(KIND_SCHEMAS) as KindName[];

export type ManifestOf<K extends KindName> = Static<(typeof KIND_SCHEMAS)[K]>;
export type AnyManifest = { [K in KindName]: ManifestOf<K> }[KindName];

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
} as const satisfies Record<KindName, TSchema>;

export type StatusOf<K extends KindName> = Static<(typeof KIND_STATUS_SCHEMAS)[K]>;

export function isKindName(value: unknown): value is KindName {
  return typeof value === 'string' && Object.hasOwn(KIND_SCHEMAS, value);
}

export * from './common.js';
export type { Cluster, ClusterSpec, ClusterStatus, EfsAccessPoint, HostPathPolicy, TaskPolicy, VolumePolicy } from './cluster.js';
export type { CapacityProvider, CapacityProviderSpec, CapacityProviderStatus, Engine } from './capacityProvider.js';
export type { TaskDefinition, TaskDefinitionSpec, TaskDefinitionStatus, ContainerDefinition, PortMapping } from './taskDefinition.js';
export { parseTaskCpu, parseTaskMemory } from './taskDefinition.js';
export type { ServiceLoadBalancer } from './service.js';
export type { Service, ServiceSpec, DeploymentConfiguration, ServiceStatus, TaskSummary, TaskAttachment, NetworkBinding, TaskState } from './service.js';
export { TASK_STATES } from './service.js';
export type { Task, TaskSpec, TaskOverride, ContainerOverride, TaskStatus, TaskRunStatus, RunTaskDescription } from './task.js';
export type { TargetGroup, TargetGroupSpec, TargetGroupStatus, TargetGroupConfig, TargetHealthView, TargetState, TargetProtocol, LoadBalancingAlgorithm } from './targetGroup.js';
export { targetGroupConfig, TARGET_STATES } from './targetGroup.js';
export type { LoadBalancer, LoadBalancerSpec, LoadBalancerStatus, Listener, ListenerStatus, WeightedTargetGroup } from './loadBalancer.js';
export { DEFAULT_BIND_ADDRESS } from './loadBalancer.js';
