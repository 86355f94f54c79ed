import type { Static, TObject } from '@sinclair/typebox';
import { CapacityProvider } from './capacityProvider.js';
import { Cluster } from './cluster.js';
import { Service } from './service.js';
import { Task } from './task.js';
import { TaskDefinition } from './taskDefinition.js';

/** The one definition of every kind: TypeScript types, the validator and manifests/*.schema.json come from here. */
export const KIND_SCHEMAS = {
  Cluster,
  CapacityProvider,
  TaskDefinition,
  Service,
  Task,
} as const satisfies Record<string, TObject>;

export type KindName = keyof typeof KIND_SCHEMAS;
export const KIND_NAMES = Object.keys(KIND_SCHEMAS) as KindName[];

export type ManifestOf<K extends KindName> = Static<(typeof KIND_SCHEMAS)[K]>;
export type AnyManifest = { [K in KindName]: ManifestOf<K> }[KindName];

export function isKindName(value: unknown): value is KindName {
  return typeof value === 'string' && Object.hasOwn(KIND_SCHEMAS, value);
}

export * from './common.js';
export type { Cluster, ClusterSpec, ClusterStatus, EfsAccessPoint, HostPathPolicy, TaskPolicy, VolumePolicy } from './cluster.js';
export type { CapacityProvider, CapacityProviderSpec, CapacityProviderStatus, Engine } from './capacityProvider.js';
export type { TaskDefinition, TaskDefinitionSpec, TaskDefinitionStatus, ContainerDefinition, PortMapping } from './taskDefinition.js';
export { parseTaskCpu, parseTaskMemory } from './taskDefinition.js';
export type { Service, ServiceSpec, DeploymentConfiguration, ServiceStatus, TaskSummary, TaskAttachment, NetworkBinding, TaskState } from './service.js';
export { TASK_STATES } from './service.js';
export type { Task, TaskSpec, TaskOverride, ContainerOverride } from './task.js';
