import { Type, type Static } from '@sinclair/typebox';
import { CapacityProviderStrategyItem } from './cluster.js';
import { manifest, ResourceName } from './common.js';
import { TaskDefinitionRef } from './service.js';
import { KeyValuePair, TaskCpu, TaskMemory } from './taskDefinition.js';

/** ECS ContainerOverride: what RunTask may change in one container of the task definition. */
export const ContainerOverride = Type.Object(
  {
    /** The container definition's name. */
    name: Type.String({ minLength: 1 }),
    /** Replaces the container's command (Docker Cmd). */
    command: Type.Optional(Type.Array(Type.String())),
    /** Merged over the definition's environment by name. */
    environment: Type.Optional(Type.Array(KeyValuePair)),
    cpu: Type.Optional(Type.Integer({ minimum: 0 })),
    memory: Type.Optional(Type.Integer({ minimum: 6 })),
    memoryReservation: Type.Optional(Type.Integer({ minimum: 6 })),
  },
  { additionalProperties: false },
);
export type ContainerOverride = Static<typeof ContainerOverride>;

/** ECS TaskOverride, the parts that have a local meaning. */
export const TaskOverride = Type.Object(
  {
    containerOverrides: Type.Optional(Type.Array(ContainerOverride)),
    cpu: Type.Optional(TaskCpu),
    memory: Type.Optional(TaskMemory),
  },
  { additionalProperties: false },
);
export type TaskOverride = Static<typeof TaskOverride>;

export const TaskSpec = Type.Object(
  {
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
    tags: Type.Optional(
      Type.Array(
        Type.Object({ key: Type.String({ minLength: 1, maxLength: 128 }), value: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: false }),
        { maxItems: 50 },
      ),
    ),
    /** STOPPED stops the run's tasks that still run (ECS StopTask). @default RUNNING */
    desiredStatus: Type.Optional(Type.Union([Type.Literal('RUNNING'), Type.Literal('STOPPED')], { default: 'RUNNING' })),
  },
  { additionalProperties: false },
);
export type TaskSpec = Static<typeof TaskSpec>;

export const Task = manifest('Task', TaskSpec, 'Runs a task definition count times, once, to completion (ECS RunTask); its tasks are not replaced.');
export type Task = Static<typeof Task>;
