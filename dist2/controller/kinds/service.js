import { Type } from '@sinclair/typebox';
import { CapacityProviderStrategyItem } from './cluster.js';
import { Conditions, DesiredTaskStatus, manifest, oneOf, ResourceName, ServiceEvent, StatusTime } from './common.js';
/** One container port of the service's tasks, registered as targets of a TargetGroup (ECS's service loadBalancers). */
export const ServiceLoadBalancer = Type.Object({
    /** A container of the task definition. */
    containerName: Type.String({ minLength: 1, maxLength: 255 }),
    /** One of that container's portMappings' containerPort. */
    containerPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    /** The TargetGroup's metadata.name (ECS: targetGroupArn). */
    targetGroup: ResourceName,
}, { additionalProperties: false });
/** `family` (latest active revision) or `family:N`. */
export const TaskDefinitionRef = Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}(:[1-9][0-9]*)?$' });
/** ECS DeploymentCircuitBreaker. */
export const DeploymentCircuitBreaker = Type.Object({
    enable: Type.Boolean({ description: 'Fail a rolling deployment whose tasks keep failing to start or to pass health checks.' }),
    rollback: Type.Boolean({ description: 'On failure, redeploy the last deployment that completed.' }),
    /** @default true */
    resetOnHealthyTask: Type.Optional(Type.Boolean({ default: true, description: 'A task that becomes healthy resets the failure count.' })),
}, { additionalProperties: false });
/** ECS DeploymentConfiguration, with ECS's names, ranges and defaults. */
export const DeploymentConfiguration = Type.Object({
    /** @default 200 */
    maximumPercent: Type.Optional(Type.Integer({ minimum: 100, maximum: 2000, default: 200, description: 'Most tasks during a deployment, in percent of desiredCount, rounded down.' })),
    /** @default 100 */
    minimumHealthyPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 100, description: 'Fewest healthy tasks during a deployment, in percent of desiredCount, rounded up.' })),
    deploymentCircuitBreaker: Type.Optional(DeploymentCircuitBreaker),
    /** @default ROLLING */
    strategy: Type.Optional(Type.Union([Type.Literal('ROLLING'), Type.Literal('BLUE_GREEN'), Type.Literal('CANARY'), Type.Literal('LINEAR')], { default: 'ROLLING' })),
    /** @default 0 */
    bakeTimeInMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440, default: 0, description: 'How long a finished deployment is watched before it is COMPLETED.' })),
    canaryConfiguration: Type.Optional(Type.Object({
        canaryPercent: Type.Number({ minimum: 0.1, maximum: 100 }),
        canaryBakeTimeInMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440, default: 10 })),
    }, { additionalProperties: false })),
    linearConfiguration: Type.Optional(Type.Object({
        stepPercent: Type.Number({ minimum: 3, maximum: 100 }),
        stepBakeTimeInMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440, default: 6 })),
    }, { additionalProperties: false })),
    alarms: Type.Optional(Type.Object({
        alarmNames: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 10 }),
        enable: Type.Boolean(),
        rollback: Type.Boolean(),
    }, { additionalProperties: false })),
}, { additionalProperties: false });
export const ServiceSpec = Type.Object({
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
    deploymentConfiguration: Type.Optional(DeploymentConfiguration),
    /** @default 0 */
    healthCheckGracePeriodSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, default: 0, description: 'Seconds after a task starts during which failing health checks do not stop it.' })),
    /** Bump it (any new value) to redeploy the same revision, as UpdateService --force-new-deployment does. */
    forceNewDeployment: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Integer()])),
}, { additionalProperties: false });
export const Service = manifest('Service', ServiceSpec, 'Keeps desiredCount tasks of a task definition running (ECS Service).');
/** ECS task lifecycle, in order. */
export const TASK_STATES = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'];
export const TaskState = oneOf(...TASK_STATES);
const HealthStatus = (description) => Type.Union([Type.Literal('HEALTHY'), Type.Literal('UNHEALTHY'), Type.Literal('UNKNOWN')], { description });
/** ECS NetworkBinding: a host port Docker bound for a container port. */
export const NetworkBinding = Type.Object({
    containerName: Type.String({ description: 'The container definition\'s name.' }),
    containerPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    hostPort: Type.Integer({ minimum: 0, maximum: 65535, description: 'The host port Docker bound: the one asked for, or a dynamic one for hostPort 0 or absent.' }),
    protocol: Type.Union([Type.Literal('tcp'), Type.Literal('udp')]),
    bindIP: Type.String({ description: 'The host address the port is bound on.' }),
    name: Type.Optional(Type.String({ description: 'The port mapping\'s Service Connect name, when it has one.' })),
    appProtocol: Type.Optional(Type.String({ description: 'The port mapping\'s appProtocol (http, http2, grpc), when it has one.' })),
}, { additionalProperties: false });
/** A container's own bindings, as describe-tasks lists them under each container. */
export const ContainerNetworkBinding = Type.Omit(NetworkBinding, ['containerName'], { additionalProperties: false });
/** awsvpc: the task's own network interface, as describe-tasks shows it. */
export const TaskAttachment = Type.Object({
    id: Type.String({ description: 'The attachment id: the start of the id of the task\'s pause container, which holds its network namespace.' }),
    type: Type.Literal('ElasticNetworkInterface'),
    status: Type.Literal('ATTACHED'),
    details: Type.Array(Type.Object({ name: Type.String(), value: Type.String() }, { additionalProperties: false }), {
        description: 'name/value pairs; privateIPv4Address is the task\'s address on the cluster network.',
    }),
}, { additionalProperties: false });
/** One container of a task, as ECS DescribeTasks lists it. */
export const ContainerSummary = Type.Object({
    name: Type.String({ description: 'The container definition\'s name.' }),
    lastStatus: TaskState,
    exitCode: Type.Optional(Type.Integer({ description: 'The exit code of a stopped container.' })),
    reason: Type.Optional(Type.String({ description: 'Why the container stopped or failed to start, e.g. "OutOfMemoryError: Container killed due to memory usage".' })),
    healthStatus: Type.Optional(HealthStatus('The result of the container\'s health check; present only when it has one.')),
    networkInterfaces: Type.Optional(Type.Array(Type.Object({ attachmentId: Type.String(), privateIpv4Address: Type.String() }, { additionalProperties: false }), {
        description: 'awsvpc: the task\'s address, as ECS lists it for every container.',
    })),
    networkBindings: Type.Optional(Type.Array(ContainerNetworkBinding, { description: 'Host ports bound for this container, with the Service Connect names of its port mappings.' })),
}, { additionalProperties: false });
/** A task as ECS DescribeTasks shows it, in the fields berth knows. */
export const TaskSummary = Type.Object({
    taskId: Type.String({ description: 'The task\'s id, the last part of its ARN.' }),
    taskDefinition: Type.String({ description: 'family:revision the task runs.' }),
    lastStatus: TaskState,
    desiredStatus: DesiredTaskStatus('What the task is meant to become: RUNNING, or STOPPED once its stop is decided.'),
    createdAt: StatusTime('When the task was created.'),
    startedAt: Type.Optional(StatusTime('When the task moved to RUNNING.')),
    stoppedAt: Type.Optional(StatusTime('When the task moved to STOPPED.')),
    stopCode: Type.Optional(Type.String({ description: 'ECS stop code: TaskFailedToStart, EssentialContainerExited, UserInitiated, ServiceSchedulerInitiated, SpotInterruption or TerminationNotice.' })),
    stoppedReason: Type.Optional(Type.String({ description: 'Why the task stopped, in ECS\'s words.' })),
    healthStatus: Type.Optional(HealthStatus('ECS\'s task health: HEALTHY only when every essential container with a health check is.')),
    containers: Type.Array(ContainerSummary),
    networkBindings: Type.Optional(Type.Array(NetworkBinding)),
    attachments: Type.Optional(Type.Array(TaskAttachment, { description: 'awsvpc: the task\'s own network interface.' })),
}, { additionalProperties: false });
/** What DescribeServices tells of the service: counts, its tasks, recent stopped tasks and events. */
export const ServiceStatus = Type.Object({
    status: Type.Union([Type.Literal('ACTIVE'), Type.Literal('DRAINING'), Type.Literal('INACTIVE')], { description: 'ACTIVE while the manifest is there.' }),
    taskDefinition: Type.Optional(Type.String({ description: 'family:revision new tasks are launched from; absent while it cannot be resolved.' })),
    desiredCount: Type.Integer({ minimum: 0, description: 'How many tasks the service keeps running.' }),
    runningCount: Type.Integer({ minimum: 0, description: 'Tasks in the RUNNING state not asked to stop.' }),
    pendingCount: Type.Integer({ minimum: 0, description: 'Tasks in the PROVISIONING, PENDING or ACTIVATING state, and launches under way.' }),
    tasks: Type.Array(TaskSummary, { description: 'The tasks not asked to stop, oldest first.' }),
    stoppedTasks: Type.Optional(Type.Array(TaskSummary, { description: 'The newest stopped tasks, newest first.' })),
    events: Type.Array(ServiceEvent, { description: 'The newest service events, newest first.' }),
    conditions: Conditions(),
}, { additionalProperties: false });
//# sourceMappingURL=service.js.map