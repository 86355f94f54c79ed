import { Type, type Static } from '@sinclair/typebox';
import { CapacityProviderStrategyItem } from './cluster.js';
import { Condition, manifest, ResourceName, ServiceEvent } from './common.js';

/** One container port of the service's tasks, registered as targets of a TargetGroup (ECS's service loadBalancers). */
export const ServiceLoadBalancer = Type.Object(
  {
    /** A container of the task definition. */
    containerName: Type.String({ minLength: 1, maxLength: 255 }),
    /** One of that container's portMappings' containerPort. */
    containerPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    /** The TargetGroup's metadata.name (ECS: targetGroupArn). */
    targetGroup: ResourceName,
  },
  { additionalProperties: false },
);
export type ServiceLoadBalancer = Static<typeof ServiceLoadBalancer>;

/** `family` (latest active revision) or `family:N`. */
export const TaskDefinitionRef = Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}(:[1-9][0-9]*)?$' });

export const ServiceSpec = Type.Object(
  {
    /** @default default */
    cluster: Type.Optional(ResourceName),
    taskDefinition: TaskDefinitionRef,
    /** @default 1 */
    desiredCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, default: 1 })),
    /** @default REPLICA */
    schedulingStrategy: Type.Optional(Type.Literal('REPLICA', { default: 'REPLICA' })),
    capacityProviderStrategy: Type.Optional(Type.Array(CapacityProviderStrategyItem, { maxItems: 6 })),
    /** Target groups the service's RUNNING tasks are registered in. */
    loadBalancers: Type.Optional(Type.Array(ServiceLoadBalancer, { maxItems: 5 })),
  },
  { additionalProperties: false },
);
export type ServiceSpec = Static<typeof ServiceSpec>;

export const Service = manifest('Service', ServiceSpec, 'Keeps desiredCount tasks of a task definition running (ECS Service).');
export type Service = Static<typeof Service>;

/** ECS task lifecycle, in order. */
export const TASK_STATES = [
  'PROVISIONING',
  'PENDING',
  'ACTIVATING',
  'RUNNING',
  'DEACTIVATING',
  'STOPPING',
  'DEPROVISIONING',
  'STOPPED',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface NetworkBinding {
  containerName: string;
  containerPort: number;
  hostPort: number;
  protocol: 'tcp' | 'udp';
  bindIP: string;
  /** The port mapping's Service Connect name, when it has one. */
  name?: string;
  /** The port mapping's appProtocol (http, http2, grpc), when it has one. */
  appProtocol?: string;
}

/** A container's own bindings, as describe-tasks lists them under each container. */
export type ContainerNetworkBinding = Omit<NetworkBinding, 'containerName'>;

export interface TaskSummary {
  taskId: string;
  taskDefinition: string;
  lastStatus: TaskState;
  desiredStatus: 'RUNNING' | 'STOPPED';
  createdAt: string;
  startedAt?: string;
  stoppedAt?: string;
  stopCode?: string;
  stoppedReason?: string;
  /** ECS's task health: HEALTHY only when every essential container with a health check is. */
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  containers: Array<{
    name: string;
    lastStatus: TaskState;
    exitCode?: number;
    reason?: string;
    healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
    /** awsvpc: the task's address, as ECS lists it for every container. */
    networkInterfaces?: Array<{ attachmentId: string; privateIpv4Address: string }>;
    /** Host ports bound for this container, with the Service Connect names of its port mappings. */
    networkBindings?: ContainerNetworkBinding[];
  }>;
  networkBindings?: NetworkBinding[];
  /** awsvpc: the task's own network interface, as describe-tasks shows it. */
  attachments?: TaskAttachment[];
}

export interface TaskAttachment {
  id: string;
  type: 'ElasticNetworkInterface';
  status: 'ATTACHED';
  details: Array<{ name: string; value: string }>;
}

export interface ServiceStatus {
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  taskDefinition?: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  tasks: TaskSummary[];
  /** The newest stopped tasks, newest first. */
  stoppedTasks?: TaskSummary[];
  events: ServiceEvent[];
  conditions: Condition[];
}
