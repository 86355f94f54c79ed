import { Type } from '@sinclair/typebox';
import { Conditions, manifest, ResourceName, ResourceStatus } from './common.js';
import { EfsAccessPointId, EfsFileSystemId } from './taskDefinition.js';
export const CapacityProviderStrategyItem = Type.Object({
    capacityProvider: ResourceName,
    /** @default 0 */
    weight: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 0 })),
    /** @default 0 */
    base: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
}, { additionalProperties: false });
/**
 * Which host directories the cluster's tasks may bind-mount (task definition
 * `volumes[].host.sourcePath`). Absent or empty: none. A path is allowed when its real
 * path (symlinks resolved) lies within the real path of one of the roots.
 */
export const HostPathPolicy = Type.Object({
    /** Absolute host directories under which tasks may mount paths, e.g. /srv/data. */
    allowedRoots: Type.Optional(Type.Array(Type.String({ pattern: '^/', minLength: 1 }), { uniqueItems: true })),
}, { additionalProperties: false });
/**
 * What Docker volumes (task definition `dockerVolumeConfiguration`) the cluster's tasks
 * may ask for beyond a plain local volume. A `local` volume that binds a host path
 * (`o: bind`) is a host path and falls under hostPathPolicy instead.
 */
export const VolumePolicy = Type.Object({
    /** Volume drivers other than `local` (plugins installed on the engines), e.g. rexray/ebs. Default: none. */
    allowedDrivers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
    /** Mount types of the `local` driver (`driverOpts.type`) that may be used, e.g. nfs, tmpfs. Default: none. */
    allowedLocalMountTypes: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
}, { additionalProperties: false });
/**
 * What the cluster's tasks may do beyond an ordinary container. Every rule denies by
 * default: a task definition that asks for more still validates, but none of its tasks
 * is created until the Cluster allows it here.
 */
export const TaskPolicy = Type.Object({
    /** Containers may run `privileged: true`. @default false */
    allowPrivileged: Type.Optional(Type.Boolean()),
    /**
     * Capabilities `linuxParameters.capabilities.add` may add beyond Docker's defaults,
     * e.g. [NET_ADMIN]; "ALL" allows any. Docker's default set is always allowed. @default []
     */
    allowedCapabilities: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z_]+$', minLength: 1 }), { uniqueItems: true })),
    /** Containers may be given host devices (`linuxParameters.devices`). @default false */
    allowDevices: Type.Optional(Type.Boolean()),
    /** Tasks may use `networkMode: host`. @default false */
    allowHostNetwork: Type.Optional(Type.Boolean()),
    /** Tasks may use `pidMode: host`. @default false */
    allowHostPid: Type.Optional(Type.Boolean()),
    /** Tasks may use `ipcMode: host`. @default false */
    allowHostIpc: Type.Optional(Type.Boolean()),
    /** `dockerSecurityOptions` may lift confinement (seccomp=unconfined, apparmor=unconfined, label=disable, ...). @default false */
    allowUnconfinedSecurityOptions: Type.Optional(Type.Boolean()),
    /** Every container must name a non-root `user` (the image's default user is not known before it runs). @default false */
    requireNonRoot: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
/**
 * An EFS access point as EFS's CreateAccessPoint defines it. Access points live in AWS,
 * not in the task definition, so a cluster whose tasks name one (`authorizationConfig.
 * accessPointId`) defines it here. Its root directory is created on first use with
 * `creationInfo`'s owner and permissions, or owned by the POSIX user without it.
 */
export const EfsAccessPoint = Type.Object({
    fileSystemId: EfsFileSystemId,
    posixUser: Type.Optional(Type.Object({
        uid: Type.Integer({ minimum: 0, maximum: 4294967295 }),
        gid: Type.Integer({ minimum: 0, maximum: 4294967295 }),
        /** Accepted for EFS's shape; local directories have one owner group. */
        secondaryGids: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 4294967295 }), { maxItems: 16 })),
    }, { additionalProperties: false })),
    rootDirectory: Type.Optional(Type.Object({
        /** @default / */
        path: Type.Optional(Type.String({ pattern: '^/', minLength: 1, maxLength: 100 })),
        creationInfo: Type.Optional(Type.Object({
            ownerUid: Type.Integer({ minimum: 0, maximum: 4294967295 }),
            ownerGid: Type.Integer({ minimum: 0, maximum: 4294967295 }),
            /** Octal, like "755" or "0750". */
            permissions: Type.String({ pattern: '^[0-7]{3,4}$' }),
        }, { additionalProperties: false })),
    }, { additionalProperties: false })),
}, { additionalProperties: false });
export const ClusterSpec = Type.Object({
    /** Capacity providers this cluster may place tasks on. Empty: the built-in `local` provider. */
    capacityProviders: Type.Optional(Type.Array(ResourceName, { uniqueItems: true })),
    defaultCapacityProviderStrategy: Type.Optional(Type.Array(CapacityProviderStrategyItem, { maxItems: 6 })),
    /** Host paths the cluster's tasks may mount. Default: none. */
    hostPathPolicy: Type.Optional(HostPathPolicy),
    /** Volume drivers and local mount types the cluster's tasks may use. Default: plain local volumes only. */
    volumePolicy: Type.Optional(VolumePolicy),
    /** What the cluster's tasks may do: privileged, capabilities, devices, host namespaces. Default: none of it. */
    taskPolicy: Type.Optional(TaskPolicy),
    /** EFS access points the cluster's task definitions name, by id (fsap-...). Default: none. */
    efsAccessPoints: Type.Optional(Type.Record(EfsAccessPointId, EfsAccessPoint)),
}, { additionalProperties: false });
export const Cluster = manifest('Cluster', ClusterSpec, 'A logical group of services and tasks (ECS Cluster).');
/** What DescribeClusters tells of the cluster, counted over the engines its tasks run on. */
export const ClusterStatus = Type.Object({
    status: ResourceStatus('ACTIVE while the manifest is there.'),
    registeredContainerInstancesCount: Type.Integer({ minimum: 0, description: 'Docker engines (container instances) that answered the last listing.' }),
    runningTasksCount: Type.Integer({ minimum: 0, description: 'Tasks of the cluster in the RUNNING state.' }),
    pendingTasksCount: Type.Integer({ minimum: 0, description: 'Tasks of the cluster in the PROVISIONING or PENDING state.' }),
    activeServicesCount: Type.Integer({ minimum: 0, description: 'Services whose spec names this cluster.' }),
    conditions: Conditions(),
}, { additionalProperties: false });
//# sourceMappingURL=cluster.js.map