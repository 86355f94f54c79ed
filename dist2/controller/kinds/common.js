import { Type } from '@sinclair/typebox';
export const API_VERSION = 'berth/v1';
/** Names become Docker container names and label values, so they follow ECS's rule for names. */
export const ResourceName = Type.String({
    pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$',
    description: 'Up to 255 letters, numbers, hyphens and underscores; starts with a letter or number.',
});
export const Metadata = Type.Object({
    name: ResourceName,
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
}, { additionalProperties: false });
/** A union of string literals: ECS's enums, reported as "must be one of: …". */
export function oneOf(...values) {
    return Type.Union(values.map((value) => Type.Literal(value)));
}
/** A moment the controller saw, as ECS's API prints it: ISO 8601 in UTC. */
export const StatusTime = (description) => Type.String({ format: 'date-time', description });
/** A typed status condition, as in Kubernetes: a transition time changes only when `status` does. */
export const Condition = Type.Object({
    type: Type.String({ description: 'What the condition is about: Valid, Steady, Compatible, Launched, SpecApplied, EngineReachable.' }),
    status: oneOf('True', 'False', 'Unknown'),
    reason: Type.String({ description: 'One CamelCase word a program can match, e.g. SteadyState, InvalidSpec, PortInUse.' }),
    message: Type.String({ description: 'The same in plain words, naming file:line or the task where that helps.' }),
    lastTransitionTime: StatusTime('When `status` last changed; an unchanged observation keeps it.'),
}, { additionalProperties: false });
export const Conditions = () => Type.Array(Condition, { description: 'Typed conditions, one per type.' });
/** An ECS-style service event: "(service web) has reached a steady state." */
export const ServiceEvent = Type.Object({
    id: Type.String({ description: 'Unique within the service.' }),
    createdAt: StatusTime('When the event happened.'),
    message: Type.String({ description: 'What happened, in the words ECS uses for service events.' }),
}, { additionalProperties: false });
/** A task's desiredStatus as ECS reports it, with what it follows for this kind. */
export const DesiredTaskStatus = (description) => Type.Union([Type.Literal('RUNNING'), Type.Literal('STOPPED')], { description });
/** ECS's ACTIVE / INACTIVE of a resource, with what each means for this kind. */
export const ResourceStatus = (description) => Type.Union([Type.Literal('ACTIVE'), Type.Literal('INACTIVE')], { description });
/**
 * A whole manifest document of one kind. `status` is owned by the controller, so the
 * validator accepts any object there and never rejects a file because of it.
 */
export function manifest(kind, spec, description) {
    return Type.Object({
        apiVersion: Type.Literal(API_VERSION),
        kind: Type.Literal(kind),
        metadata: Metadata,
        spec,
        status: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Written by the controller.' })),
    }, { additionalProperties: false, $id: `https://berth.dev/schemas/${kind}.schema.json`, title: kind, description });
}
//# sourceMappingURL=common.js.map