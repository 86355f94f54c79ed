import { Type } from '@sinclair/typebox';
import { Conditions, manifest, oneOf, ResourceName, ResourceStatus, StatusTime } from './common.js';
const StringMap = () => Type.Record(Type.String(), Type.String());
const Strings = () => Type.Array(Type.String());
/** ECS accepts timestamps as ISO text; older CLIs print seconds since the epoch. */
const Timestamp = () => Type.Union([Type.String({ minLength: 1 }), Type.Number({ minimum: 0 })]);
/**
 * ECS KeyValuePair. ECS registers an environment entry without a value, and its agent
 * sets such a variable to the empty string: berth does the same.
 */
export const KeyValuePair = Type.Object({ name: Type.String({ minLength: 1 }), value: Type.Optional(Type.String()) }, { additionalProperties: false });
/** ECS PortMapping. hostPort 0 or absent in bridge mode: Docker picks a free host port. */
export const PortMapping = Type.Object({
    containerPort: Type.Integer({ minimum: 1, maximum: 65535 }),
    hostPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    protocol: Type.Optional(Type.Union([Type.Literal('tcp'), Type.Literal('udp')], { default: 'tcp' })),
    name: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' })),
    appProtocol: Type.Optional(Type.Union([Type.Literal('http'), Type.Literal('http2'), Type.Literal('grpc')])),
    /** "8000-8010". */
    containerPortRange: Type.Optional(Type.String({ pattern: '^\\d{1,5}-\\d{1,5}$' })),
    /** Describe output: the host ports ECS chose for containerPortRange. */
    hostPortRange: Type.Optional(Type.String({ pattern: '^\\d{1,5}-\\d{1,5}$' })),
}, { additionalProperties: false });
export const RepositoryCredentials = Type.Object({ credentialsParameter: Type.String({ minLength: 1 }) }, { additionalProperties: false });
export const ContainerRestartPolicy = Type.Object({
    enabled: Type.Boolean(),
    ignoredExitCodes: Type.Optional(Type.Array(Type.Integer(), { maxItems: 50 })),
    /** Seconds a container must run before a restart is attempted. */
    restartAttemptPeriod: Type.Optional(Type.Integer({ minimum: 60, maximum: 1800 })),
}, { additionalProperties: false });
export const EnvironmentFile = Type.Object({ value: Type.String({ minLength: 1 }), type: oneOf('s3') }, { additionalProperties: false });
export const MountPoint = Type.Object({
    sourceVolume: Type.Optional(Type.String({ minLength: 1 })),
    containerPath: Type.Optional(Type.String({ minLength: 1 })),
    readOnly: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export const VolumeFrom = Type.Object({ sourceContainer: Type.Optional(Type.String({ minLength: 1 })), readOnly: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const LinuxParameters = Type.Object({
    capabilities: Type.Optional(Type.Object({ add: Type.Optional(Strings()), drop: Type.Optional(Strings()) }, { additionalProperties: false })),
    devices: Type.Optional(Type.Array(Type.Object({
        hostPath: Type.String({ minLength: 1 }),
        containerPath: Type.Optional(Type.String()),
        permissions: Type.Optional(Type.Array(oneOf('read', 'write', 'mknod'))),
    }, { additionalProperties: false }))),
    initProcessEnabled: Type.Optional(Type.Boolean()),
    /** MiB of /dev/shm. */
    sharedMemorySize: Type.Optional(Type.Integer({ minimum: 0 })),
    tmpfs: Type.Optional(Type.Array(Type.Object({ containerPath: Type.String({ minLength: 1 }), size: Type.Integer({ minimum: 1 }), mountOptions: Type.Optional(Strings()) }, { additionalProperties: false }))),
    maxSwap: Type.Optional(Type.Integer({ minimum: 0 })),
    swappiness: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
}, { additionalProperties: false });
export const Secret = Type.Object({ name: Type.String({ minLength: 1 }), valueFrom: Type.String({ minLength: 1 }) }, { additionalProperties: false });
export const ContainerDependency = Type.Object({ containerName: Type.String({ minLength: 1 }), condition: oneOf('START', 'COMPLETE', 'SUCCESS', 'HEALTHY') }, { additionalProperties: false });
export const HostEntry = Type.Object({ hostname: Type.String({ minLength: 1 }), ipAddress: Type.String({ minLength: 1 }) }, { additionalProperties: false });
export const Ulimit = Type.Object({
    name: oneOf('core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack'),
    softLimit: Type.Integer(),
    hardLimit: Type.Integer(),
}, { additionalProperties: false });
/**
 * ECS's drivers, and three more Docker drivers berth passes through as well (local,
 * logentries, none). awslogs is served by berth's own log store (`berth logs`).
 */
export const LogConfiguration = Type.Object({
    logDriver: oneOf('json-file', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'awsfirelens', 'local', 'logentries', 'none'),
    options: Type.Optional(StringMap()),
    secretOptions: Type.Optional(Type.Array(Secret)),
}, { additionalProperties: false });
/** ECS defaults: interval 30 s, timeout 5 s, 3 retries, no start period. */
export const HealthCheck = Type.Object({
    command: Type.Array(Type.String(), { minItems: 1 }),
    interval: Type.Optional(Type.Integer({ minimum: 5, maximum: 300 })),
    timeout: Type.Optional(Type.Integer({ minimum: 2, maximum: 60 })),
    retries: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    startPeriod: Type.Optional(Type.Integer({ minimum: 0, maximum: 300 })),
}, { additionalProperties: false });
export const SystemControl = Type.Object({ namespace: Type.Optional(Type.String({ minLength: 1 })), value: Type.Optional(Type.String()) }, { additionalProperties: false });
export const ResourceRequirement = Type.Object({ value: Type.String({ minLength: 1 }), type: oneOf('GPU', 'InferenceAccelerator') }, { additionalProperties: false });
export const FirelensConfiguration = Type.Object({ type: oneOf('fluentd', 'fluentbit'), options: Type.Optional(StringMap()) }, { additionalProperties: false });
/** ECS ContainerDefinition, every field. Which ones berth applies: see ecsCompatibility.ts. */
export const ContainerDefinition = Type.Object({
    name: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$' }),
    image: Type.String({ minLength: 1 }),
    repositoryCredentials: Type.Optional(RepositoryCredentials),
    /** CPU units, 1024 = one vCPU; Docker CpuShares. */
    cpu: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Hard memory limit in MiB; Docker Memory. */
    memory: Type.Optional(Type.Integer({ minimum: 6 })),
    /** Soft memory limit in MiB; Docker MemoryReservation. */
    memoryReservation: Type.Optional(Type.Integer({ minimum: 6 })),
    links: Type.Optional(Strings()),
    portMappings: Type.Optional(Type.Array(PortMapping)),
    /** @default true */
    essential: Type.Optional(Type.Boolean({ default: true })),
    restartPolicy: Type.Optional(ContainerRestartPolicy),
    entryPoint: Type.Optional(Strings()),
    command: Type.Optional(Strings()),
    environment: Type.Optional(Type.Array(KeyValuePair)),
    /** ECS reads at most 10 environment files per container. */
    environmentFiles: Type.Optional(Type.Array(EnvironmentFile, { maxItems: 10 })),
    mountPoints: Type.Optional(Type.Array(MountPoint)),
    volumesFrom: Type.Optional(Type.Array(VolumeFrom)),
    linuxParameters: Type.Optional(LinuxParameters),
    secrets: Type.Optional(Type.Array(Secret)),
    dependsOn: Type.Optional(Type.Array(ContainerDependency)),
    /** Seconds to wait for a dependency to reach its condition. */
    startTimeout: Type.Optional(Type.Integer({ minimum: 2 })),
    /** Seconds between SIGTERM and SIGKILL when the task stops. @default 30 */
    stopTimeout: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    versionConsistency: Type.Optional(oneOf('enabled', 'disabled')),
    hostname: Type.Optional(Type.String()),
    user: Type.Optional(Type.String()),
    workingDirectory: Type.Optional(Type.String()),
    disableNetworking: Type.Optional(Type.Boolean()),
    privileged: Type.Optional(Type.Boolean()),
    readonlyRootFilesystem: Type.Optional(Type.Boolean()),
    dnsServers: Type.Optional(Strings()),
    dnsSearchDomains: Type.Optional(Strings()),
    extraHosts: Type.Optional(Type.Array(HostEntry)),
    dockerSecurityOptions: Type.Optional(Strings()),
    interactive: Type.Optional(Type.Boolean()),
    pseudoTerminal: Type.Optional(Type.Boolean()),
    dockerLabels: Type.Optional(StringMap()),
    ulimits: Type.Optional(Type.Array(Ulimit)),
    logConfiguration: Type.Optional(LogConfiguration),
    healthCheck: Type.Optional(HealthCheck),
    systemControls: Type.Optional(Type.Array(SystemControl)),
    resourceRequirements: Type.Optional(Type.Array(ResourceRequirement)),
    firelensConfiguration: Type.Optional(FirelensConfiguration),
    credentialSpecs: Type.Optional(Strings()),
}, { additionalProperties: false });
/**
 * ECS accepts task cpu as units ("256") or vCPU ("0.25 vCPU", ".25 vCPU", "1vcpu"), memory as
 * MiB ("512") or GB ("0.5GB", ".5 GB", "2 gb"), and converts them to units and MiB when the
 * definition is registered: 1 vCPU = 1024 units, 1 GB = 1024 MiB.
 */
export const TaskCpu = Type.String({ pattern: '^\\s*(\\d+|(\\d+(\\.\\d+)?|\\.\\d+)\\s*[vV][cC][pP][uU])\\s*$' });
export const TaskMemory = Type.String({ pattern: '^\\s*(\\d+|(\\d+(\\.\\d+)?|\\.\\d+)\\s*[gG][bB])\\s*$' });
/** An EFS file system id as EFS names them: `fs-` and 8 to 40 hex digits. A `${EFS_ID}` left by a template is no id. */
export const EfsFileSystemId = Type.String({ pattern: '^fs-[0-9a-f]{8,40}$' });
/** An EFS access point id: `fsap-` and 8 to 40 hex digits. */
export const EfsAccessPointId = Type.String({ pattern: '^fsap-[0-9a-f]{8,40}$' });
export const Volume = Type.Object({
    name: Type.Optional(Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$' })),
    host: Type.Optional(Type.Object({ sourcePath: Type.Optional(Type.String()) }, { additionalProperties: false })),
    dockerVolumeConfiguration: Type.Optional(Type.Object({
        scope: Type.Optional(oneOf('task', 'shared')),
        autoprovision: Type.Optional(Type.Boolean()),
        driver: Type.Optional(Type.String({ minLength: 1 })),
        driverOpts: Type.Optional(StringMap()),
        labels: Type.Optional(StringMap()),
    }, { additionalProperties: false })),
    efsVolumeConfiguration: Type.Optional(Type.Object({
        fileSystemId: EfsFileSystemId,
        rootDirectory: Type.Optional(Type.String({ maxLength: 4096 })),
        transitEncryption: Type.Optional(oneOf('ENABLED', 'DISABLED')),
        transitEncryptionPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
        authorizationConfig: Type.Optional(Type.Object({ accessPointId: Type.Optional(EfsAccessPointId), iam: Type.Optional(oneOf('ENABLED', 'DISABLED')) }, { additionalProperties: false })),
    }, { additionalProperties: false })),
    fsxWindowsFileServerVolumeConfiguration: Type.Optional(Type.Object({
        fileSystemId: Type.String({ minLength: 1 }),
        rootDirectory: Type.String({ minLength: 1 }),
        authorizationConfig: Type.Object({ credentialsParameter: Type.String({ minLength: 1 }), domain: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
    }, { additionalProperties: false })),
    configuredAtLaunch: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
const Compatibility = () => oneOf('EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES');
export const TaskDefinitionSpec = Type.Object({
    /** Optional: the family is metadata.name; when given here it must match. */
    family: Type.Optional(ResourceName),
    taskRoleArn: Type.Optional(Type.String({ minLength: 1 })),
    executionRoleArn: Type.Optional(Type.String({ minLength: 1 })),
    /** @default bridge */
    networkMode: Type.Optional(Type.Union([Type.Literal('bridge'), Type.Literal('host'), Type.Literal('awsvpc'), Type.Literal('none')], { default: 'bridge' })),
    containerDefinitions: Type.Array(ContainerDefinition, { minItems: 1, maxItems: 10 }),
    volumes: Type.Optional(Type.Array(Volume)),
    placementConstraints: Type.Optional(Type.Array(Type.Object({ type: Type.Optional(oneOf('memberOf')), expression: Type.Optional(Type.String()) }, { additionalProperties: false }), { maxItems: 10 })),
    requiresCompatibilities: Type.Optional(Type.Array(Compatibility())),
    cpu: Type.Optional(Type.Union([TaskCpu, Type.Integer({ minimum: 1 })])),
    memory: Type.Optional(Type.Union([TaskMemory, Type.Integer({ minimum: 1 })])),
    tags: Type.Optional(Type.Array(Type.Object({ key: Type.String({ minLength: 1, maxLength: 128 }), value: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: false }), { maxItems: 50 })),
    pidMode: Type.Optional(oneOf('host', 'task')),
    ipcMode: Type.Optional(oneOf('host', 'task', 'none')),
    proxyConfiguration: Type.Optional(Type.Object({ type: Type.Optional(oneOf('APPMESH')), containerName: Type.String({ minLength: 1 }), properties: Type.Optional(Type.Array(KeyValuePair)) }, { additionalProperties: false })),
    inferenceAccelerators: Type.Optional(Type.Array(Type.Object({ deviceName: Type.String({ minLength: 1 }), deviceType: Type.String({ minLength: 1 }) }, { additionalProperties: false }))),
    ephemeralStorage: Type.Optional(Type.Object({ sizeInGiB: Type.Integer({ minimum: 21, maximum: 200 }) }, { additionalProperties: false })),
    runtimePlatform: Type.Optional(Type.Object({
        cpuArchitecture: Type.Optional(oneOf('X86_64', 'ARM64')),
        operatingSystemFamily: Type.Optional(oneOf('LINUX', 'WINDOWS_SERVER_2016_FULL', 'WINDOWS_SERVER_2019_FULL', 'WINDOWS_SERVER_2019_CORE', 'WINDOWS_SERVER_2022_FULL', 'WINDOWS_SERVER_2022_CORE', 'WINDOWS_SERVER_2025_FULL', 'WINDOWS_SERVER_2025_CORE', 'WINDOWS_SERVER_2004_CORE', 'WINDOWS_SERVER_20H2_CORE')),
    }, { additionalProperties: false })),
    enableFaultInjection: Type.Optional(Type.Boolean()),
    // describe-task-definition output, accepted so its JSON can be pasted unchanged.
    taskDefinitionArn: Type.Optional(Type.String({ minLength: 1 })),
    revision: Type.Optional(Type.Integer({ minimum: 1 })),
    status: Type.Optional(oneOf('ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS')),
    requiresAttributes: Type.Optional(Type.Array(Type.Object({
        name: Type.String({ minLength: 1 }),
        value: Type.Optional(Type.String()),
        targetType: Type.Optional(oneOf('container-instance')),
        targetId: Type.Optional(Type.String()),
    }, { additionalProperties: false }))),
    compatibilities: Type.Optional(Type.Array(Compatibility())),
    registeredAt: Type.Optional(Timestamp()),
    registeredBy: Type.Optional(Type.String()),
    deregisteredAt: Type.Optional(Timestamp()),
}, { additionalProperties: false });
export const TaskDefinition = manifest('TaskDefinition', TaskDefinitionSpec, 'An ECS task definition; metadata.name is the family, every spec change a new revision.');
/** What DescribeTaskDefinition tells of the family's latest revision, and the revisions before it. */
export const TaskDefinitionStatus = Type.Object({
    status: ResourceStatus('ACTIVE while the manifest is there; INACTIVE once it is removed (running tasks keep running).'),
    family: Type.String({ description: 'The family: metadata.name.' }),
    revision: Type.Integer({ minimum: 1, description: 'The revision the current spec registered as; every spec change is a new one.' }),
    taskDefinitionArn: Type.String({ description: 'arn:…:task-definition/family:revision, as ECS names it.' }),
    registeredAt: StatusTime('When this revision was registered.'),
    revisions: Type.Array(Type.Object({
        revision: Type.Integer({ minimum: 1 }),
        registeredAt: StatusTime('When the revision was registered.'),
        specHash: Type.String({ description: 'Hash of the spec the revision holds.' }),
    }, { additionalProperties: false }), { maxItems: 10, description: 'The newest revisions, newest first.' }),
    conditions: Conditions(),
}, { additionalProperties: false });
/** Parses ECS task cpu ("1024", "1 vCPU", "0.5vcpu", ".25 vCPU") into CPU units. */
export function parseTaskCpu(value) {
    if (value === undefined)
        return undefined;
    if (typeof value === 'number')
        return value;
    const vcpu = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*vcpu\s*$/i.exec(value);
    if (vcpu)
        return Math.round(Number(vcpu[1]) * 1024);
    return Number(value.trim());
}
/** Parses ECS task memory ("512", "2GB", "0.5 GB", ".5 GB") into MiB. */
export function parseTaskMemory(value) {
    if (value === undefined)
        return undefined;
    if (typeof value === 'number')
        return value;
    const gb = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*gb\s*$/i.exec(value);
    if (gb)
        return Math.round(Number(gb[1]) * 1024);
    return Number(value.trim());
}
//# sourceMappingURL=taskDefinition.js.map