import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const API_VERSION = 'berth/v1';

/** Names become Docker container names and label values, so they follow ECS's rule for names. */
export const ResourceName = Type.String({
  pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$',
  description: 'Up to 255 letters, numbers, hyphens and underscores; starts with a letter or number.',
});

export const Metadata = Type.Object(
  {
    name: ResourceName,
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);
export type Metadata = Static<typeof Metadata>;

/** A typed status condition, as in Kubernetes: a transition time changes only when `status` does. */
export const Condition = Type.Object({
  type: Type.String(),
  status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
  reason: Type.String(),
  message: Type.String(),
  lastTransitionTime: Type.String(),
});
export type Condition = Static<typeof Condition>;

/** An ECS-style service event: "(service web) has reached a steady state." */
export const ServiceEvent = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  message: Type.String(),
});
export type ServiceEvent = Static<typeof ServiceEvent>;

/**
 * A whole manifest document of one kind. `status` is owned by the controller, so the
 * validator accepts any object there and never rejects a file because of it.
 */
export function manifest<K extends string, S extends TSchema>(kind: K, spec: S, description: string) {
  return Type.Object(
    {
      apiVersion: Type.Literal(API_VERSION),
      kind: Type.Literal(kind),
      metadata: Metadata,
      spec,
      status: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Written by the controller.' })),
    },
    { additionalProperties: false, $id: `https://berth.dev/schemas/${kind}.schema.json`, title: kind, description },
  );
}
