import { Type } from '@sinclair/typebox';
import { CapacityProviderStrategyItem } from './cluster.js';
import { Conditions, DesiredTaskStatus, manifest, ResourceName, StatusTime } from './common.js';
import { TaskDefinitionRef, TaskState, TaskSummary } from './service.js';
import { KeyValuePair, TaskCpu, TaskMemory } from './taskDefinition.js';
/** ECS ContainerOverride: what RunTask may change in one container of the task definition. */
export const ContainerOverride = Type.Object({
    /** The container definition's name. */
    name: Type.String({ minLength: 1 }),
    /** Replaces the container's command (Docker Cmd). */
    command: Type.Optional(Type.Array(Type.String())),
    /** Merged over the definition's environment by name. */
    environment: Type.Optional(Type.Array(KeyValuePair)),
    cpu: Type.Optional(Type.Integer({ minimum: 0 })),
    memory: Type.Optional(Type.Integer({ minimum: 6 })),
    memoryReservation: Type.Optional(Type.Integer({ minimum: 6 })),
}, { additionalProperties: false });
/** ECS TaskOverride, the parts that have a local meaning. */
export const TaskOverride = Type.Object({
    containerOverrides: Type.Optional(Type.Array(ContainerOverride)),
    cpu: Type.Optional(TaskCpu),
    memory: Type.Optional(TaskMemory),
}, { additionalProperties: false });
export const TaskSpec = Type.Object({
    /** @default default */
    cluster: Type.Optional(ResourceName),
    taskDefinition: TaskDefinitionRef,
    /** How many tasks this run starts (ECS RunTask count). @default 1 */
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 1 })),
    overrides: Type.Optional(TaskOverride),
    capacityProviderStrategy: Type.Optional(Type.Array(CapacityProviderStrategyItem, { maxItems: 6 })),
    /** Free text naming who started the run (ECS startedBy); accepted and kept. */
    startedBy: Type.Optional(Type.String({ maxLength: 128 })),
    /** ECS task group; accepted and kept. */
    group: Type.Optional(Type.String({ maxLength: 255 })),
    tags: Type.Optional(Type.Array(Type.Object({ key: Type.String({ minLength: 1, maxLength: 128 }), value: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: false }), { maxItems: 50 })),
    /** STOPPED stops the run's tasks that still run (ECS StopTask). @default RUNNING */
    desiredStatus: Type.Optional(Type.Union([Type.Literal('RUNNING'), Type.Literal('STOPPED')], { default: 'RUNNING' })),
}, { additionalProperties: false });
export const Task = manifest('Task', TaskSpec, 'Runs a task definition count times, once, to completion (ECS RunTask); its tasks are not replaced.');
const RUN_DESIRED_STATUS = 'spec.desiredStatus, RUNNING when absent.';
/** One task of the run as ECS DescribeTasks shows it: the summary, its ARN and the times only the controller saw. */
export const RunTaskDescription = Type.Object({
    taskArn: Type.String({ description: 'arn:…:task/cluster/taskId, as ECS names it.' }),
    ...TaskSummary.properties,
    pullStartedAt: Type.Optional(StatusTime('When the image pull started.')),
    pullStoppedAt: Type.Optional(StatusTime('When the image pull ended.')),
    stoppingAt: Type.Optional(StatusTime('When the task was asked to stop, or found stopped.')),
    executionStoppedAt: Type.Optional(StatusTime('When the task\'s containers stopped.')),
}, { additionalProperties: false });
/** The run as describeRun makes it: its tasks, and counts that outlive the stopped-task retention. */
export const TaskRunStatus = Type.Object({
    lastStatus: { ...TaskState, description: 'The earliest state a task of the run is still in; STOPPED when all are.' },
    desiredStatus: DesiredTaskStatus(RUN_DESIRED_STATUS),
    taskDefinition: Type.String({ description: 'family:revision that was launched.' }),
    count: Type.Integer({ minimum: 0, description: 'How many tasks were launched.' }),
    runningCount: Type.Integer({ minimum: 0, description: 'Tasks in the RUNNING state.' }),
    pendingCount: Type.Integer({ minimum: 0, description: 'Tasks in the PROVISIONING, PENDING or ACTIVATING state.' }),
    succeededCount: Type.Integer({ minimum: 0, description: 'Stopped tasks whose essential container exited 0 and no container non-zero.' }),
    failedCount: Type.Integer({ minimum: 0, description: 'Stopped tasks that did not succeed: a failed launch, a non-zero exit, a stop.' }),
    expiredCount: Type.Integer({ minimum: 0, description: 'Stopped tasks past the retention: no longer listed, still counted.' }),
    tasks: Type.Array(RunTaskDescription, { description: 'The run\'s tasks, oldest first; stopped ones until the retention passes.' }),
}, { additionalProperties: false });
/** A Task manifest's status: its run described, or, before the launch is recorded, that it is provisioning. */
export const TaskStatus = Type.Union([
    Type.Object({
        ...TaskRunStatus.properties,
        startedBy: Type.Optional(Type.String({ description: 'spec.startedBy, as ECS reports it.' })),
        conditions: Conditions(),
    }, { additionalProperties: false }),
    Type.Object({
        lastStatus: Type.Literal('PROVISIONING'),
        desiredStatus: DesiredTaskStatus(RUN_DESIRED_STATUS),
        count: Type.Literal(0),
        tasks: Type.Tuple([]),
        conditions: Conditions(),
    }, { additionalProperties: false, description: 'Before the launch is recorded.' }),
]);
//# sourceMappingURL=task.js.map