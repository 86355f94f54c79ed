import { Type, type Static } from '@sinclair/typebox';
import { CapacityProviderStrategyItem } from './cluster.js';
import { Condition, manifest, ResourceName, ServiceEvent } from './common.js';

/** `family` (latest active revision) or `family:N`. */
export const TaskDefinitionRef = Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}(:[1-9][0-9]*)?$' });

/** ECS DeploymentCircuitBreaker. */
export const DeploymentCircuitBreaker = Type.Object(
  {
    enable: Type.Boolean({ description: 'Fail a rolling deployment whose tasks keep failing to start or to pass health checks.' }),
    rollback: Type.Boolean({ description: 'On failure, redeploy the last deployment that completed.' }),
    /** @default true */
    resetOnHealthyTask: Type.Optional(Type.Boolean({ default: true, description: 'A task that becomes healthy resets the failure count.' })),
  },
  { additionalProperties: false },
);

/** ECS DeploymentConfiguration, with ECS's names, ranges and defaults. */
export const DeploymentConfiguration = Type.Object(
  {
    /** @default 200 */
    maximumPercent: Type.Optional(Type.Integer({ minimum: 100, maximum: 2000, default: 200, description: 'Most tasks during a deployment, in percent of desiredCount, rounded down.' })),
    /** @default 100 */
    minimumHealthyPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 100, description: 'Fewest healthy tasks during a deployment, in percent of desiredCount, rounded up.' })),
    deploymentCircuitBreaker: Type.Optional(DeploymentCircuitBreaker),
    /** @default ROLLING */
    strategy: Type.Optional(Type.Union([Type.Literal('ROLLING'), Type.Literal('BLUE_GREEN'), Type.Literal('CANARY'), Type.Literal('LINEAR')], { default: 'ROLLING' })),
    /** @default 0 */
    bakeTimeInMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440, default: 0, description: 'How long a finished deployment is watched before it is COMPLETED.' })),
    canaryConfiguration: Type.Optional(
      Type.Object(
        {
          canaryPercent: Type.Number({ minimum: 0.1, maximum: 100 }),
          canaryBakeTimeInMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440, default: 10 })),
        },
        { additionalProperties: false },
      ),
    ),
    linearConfiguration: Type.Optional(
      Type.Object(
        {
          stepPercent: Type.Number({ minimum: 3, maximum: 100 }),
          stepBakeTimeInMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440, default: 6 })),
        },
        { additionalProperties: false },
      ),
    ),
    alarms: Type.Optional(
      Type.Object(
        {
          alarmNames: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 10 }),
          enable: Type.Boolean(),
          rollback: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type DeploymentConfiguration = Static<typeof DeploymentConfiguration>;

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
    deploymentConfiguration: Type.Optional(DeploymentConfiguration),
    /** @default 0 */
    healthCheckGracePeriodSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2147483647, default: 0, description: 'Seconds after a task starts during which failing health checks do not stop it.' }),
    ),
    /** Bump it (any new value) to redeploy the same revision, as UpdateService --force-new-deployment does. */
    forceNewDeployment: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Integer()])),
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
