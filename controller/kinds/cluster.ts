import { Type, type Static } from '@sinclair/typebox';
import { Condition, manifest, ResourceName } from './common.js';

export const CapacityProviderStrategyItem = Type.Object(
  {
    capacityProvider: ResourceName,
    /** @default 0 */
    weight: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 0 })),
    /** @default 0 */
    base: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
  },
  { additionalProperties: false },
);

/**
 * Which host directories the cluster's tasks may bind-mount (task definition
 * `volumes[].host.sourcePath`). Absent or empty: none. A path is allowed when its real
 * path (symlinks resolved) lies within the real path of one of the roots.
 */
export const HostPathPolicy = Type.Object(
  {
    /** Absolute host directories under which tasks may mount paths, e.g. /srv/data. */
    allowedRoots: Type.Optional(Type.Array(Type.String({ pattern: '^/', minLength: 1 }), { uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type HostPathPolicy = Static<typeof HostPathPolicy>;

/**
 * What Docker volumes (task definition `dockerVolumeConfiguration`) the cluster's tasks
 * may ask for beyond a plain local volume. A `local` volume that binds a host path
 * (`o: bind`) is a host path and falls under hostPathPolicy instead.
 */
export const VolumePolicy = Type.Object(
  {
    /** Volume drivers other than `local` (plugins installed on the engines), e.g. rexray/ebs. Default: none. */
    allowedDrivers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
    /** Mount types of the `local` driver (`driverOpts.type`) that may be used, e.g. nfs, tmpfs. Default: none. */
    allowedLocalMountTypes: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type VolumePolicy = Static<typeof VolumePolicy>;

export const ClusterSpec = Type.Object(
  {
    /** Capacity providers this cluster may place tasks on. Empty: the built-in `local` provider. */
    capacityProviders: Type.Optional(Type.Array(ResourceName, { uniqueItems: true })),
    defaultCapacityProviderStrategy: Type.Optional(Type.Array(CapacityProviderStrategyItem, { maxItems: 6 })),
    /** Host paths the cluster's tasks may mount. Default: none. */
    hostPathPolicy: Type.Optional(HostPathPolicy),
    /** Volume drivers and local mount types the cluster's tasks may use. Default: plain local volumes only. */
    volumePolicy: Type.Optional(VolumePolicy),
  },
  { additionalProperties: false },
);
export type ClusterSpec = Static<typeof ClusterSpec>;

export const Cluster = manifest('Cluster', ClusterSpec, 'A logical group of services and tasks (ECS Cluster).');
export type Cluster = Static<typeof Cluster>;

export interface ClusterStatus {
  status: 'ACTIVE' | 'INACTIVE';
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
  conditions: Condition[];
}
