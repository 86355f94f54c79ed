import { Type, type Static } from '@sinclair/typebox';
import { Condition, manifest } from './common.js';

export const Engine = Type.Object(
  {
    /** Unix socket of the Docker engine, e.g. /var/run/docker.sock. */
    socketPath: Type.Optional(Type.String({ minLength: 1 })),
    /** A DOCKER_HOST-style address: unix:///path or tcp://host:port. */
    host: Type.Optional(Type.String({ pattern: '^(unix|tcp)://.+' })),
  },
  { additionalProperties: false },
);
export type Engine = Static<typeof Engine>;

export const CapacityProviderSpec = Type.Object(
  {
    /**
     * The Docker engines (container instances) of this provider. Absent: the local engine,
     * from DOCKER_HOST or /var/run/docker.sock. This release drives one engine per provider.
     */
    engines: Type.Optional(Type.Array(Engine, { minItems: 1, maxItems: 1 })),
  },
  { additionalProperties: false },
);
export type CapacityProviderSpec = Static<typeof CapacityProviderSpec>;

export const CapacityProvider = manifest(
  'CapacityProvider',
  CapacityProviderSpec,
  'A pool of container instances: Docker engines (ECS CapacityProvider).',
);
export type CapacityProvider = Static<typeof CapacityProvider>;

export interface CapacityProviderStatus {
  status: 'ACTIVE' | 'INACTIVE';
  containerInstances: Array<{ engine: string; status: 'ACTIVE' | 'DRAINING' | 'INACTIVE'; version?: string; runningTasksCount: number }>;
  conditions: Condition[];
}
