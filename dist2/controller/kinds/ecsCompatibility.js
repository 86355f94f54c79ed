/**
 * Which fields of an ECS task definition berth applies, and which it accepts without effect.
 *
 * A real ECS task definition (register-task-definition input or describe-task-definition
 * output) is accepted unchanged. Every field of the TaskDefinition kind is listed exactly
 * once: in MAPPED_FIELDS when the container mapping applies it, or in IGNORED_FIELDS with the
 * reason it has no local effect yet. A document that uses an ignored field gets a warning
 * that names it, and the TaskDefinition's `Compatible` condition says so. A unit test checks
 * that the two lists together cover the kind, so a new field cannot be forgotten.
 *
 * Paths are relative to `spec`; `[]` stands for every item of a list.
 */
/**
 * Fields the container mapping (controller/taskspec/containerSpecs.ts) applies;
 * secrets, environmentFiles and repositoryCredentials are read through the local secrets
 * provider (controller/secrets) when a task launches.
 */
export const MAPPED_FIELDS = [
    'family',
    // Resource tags are metadata in ECS too (they change nothing a task does): kept in the spec, shown by berth get.
    'tags',
    'containerDefinitions',
    'cpu',
    'memory',
    'networkMode',
    'pidMode',
    'ipcMode',
    'containerDefinitions[].name',
    'containerDefinitions[].image',
    'containerDefinitions[].command',
    'containerDefinitions[].entryPoint',
    'containerDefinitions[].environment',
    'containerDefinitions[].environmentFiles',
    'containerDefinitions[].secrets',
    'containerDefinitions[].repositoryCredentials',
    'containerDefinitions[].portMappings',
    'containerDefinitions[].portMappings[].containerPort',
    'containerDefinitions[].portMappings[].hostPort',
    'containerDefinitions[].portMappings[].protocol',
    'containerDefinitions[].cpu',
    'containerDefinitions[].memory',
    'containerDefinitions[].memoryReservation',
    'containerDefinitions[].essential',
    'containerDefinitions[].stopTimeout',
    'containerDefinitions[].workingDirectory',
    'containerDefinitions[].user',
    'containerDefinitions[].hostname',
    'containerDefinitions[].dockerLabels',
    'containerDefinitions[].linuxParameters',
    'containerDefinitions[].disableNetworking',
    'containerDefinitions[].privileged',
    'containerDefinitions[].readonlyRootFilesystem',
    'containerDefinitions[].dnsServers',
    'containerDefinitions[].dependsOn',
    'containerDefinitions[].startTimeout',
    'containerDefinitions[].restartPolicy',
    'containerDefinitions[].healthCheck',
    'containerDefinitions[].dnsSearchDomains',
    'containerDefinitions[].extraHosts',
    'containerDefinitions[].dockerSecurityOptions',
    'containerDefinitions[].interactive',
    'containerDefinitions[].pseudoTerminal',
    'containerDefinitions[].ulimits',
    'containerDefinitions[].systemControls',
    'volumes',
    'containerDefinitions[].mountPoints',
    'containerDefinitions[].volumesFrom',
    'containerDefinitions[].logConfiguration',
    'containerDefinitions[].links',
    // The local secrets provider does the execution role's job: it reads secrets, environment
    // files and registry logins. Whether one is configured is a launch-time fact, not the file's.
    'executionRoleArn',
    // Task role credentials are served to the task (see the task IAM role endpoint).
    'taskRoleArn',
    // Checked at validation: FARGATE requires what ECS's Fargate rules require (validate.ts).
    'requiresCompatibilities',
    // A placement requirement: a task is launched only on an engine of that OS and architecture.
    'runtimePlatform',
    // Accepted without a warning: Fargate's storage size; containers use the engine's disk (not enforced).
    'ephemeralStorage',
    // Kept for discovery: Service Connect port names and protocols label the task's containers.
    'containerDefinitions[].portMappings[].name',
    'containerDefinitions[].portMappings[].appProtocol',
];
const describeOutput = (path) => ({
    path,
    reason: 'describe-task-definition output',
    note: 'berth registers and numbers its own revisions',
});
const C = 'containerDefinitions[].';
/** Fields accepted with a warning: present in ECS, without local effect in this release. */
export const IGNORED_FIELDS = [
    // Task level
    {
        path: 'volumes[].efsVolumeConfiguration.transitEncryption',
        reason: 'no local equivalent',
        note: 'the emulated file system is a local volume; nothing crosses the network',
        when: (value) => value === 'ENABLED',
    },
    {
        path: 'volumes[].efsVolumeConfiguration.authorizationConfig.iam',
        reason: 'no local equivalent',
        note: 'EFS IAM authorization; access points are defined in the Cluster (spec.efsAccessPoints)',
        when: (value) => value === 'ENABLED',
    },
    {
        path: 'volumes[].fsxWindowsFileServerVolumeConfiguration',
        reason: 'no local equivalent',
        note: 'FSx for Windows File Server; a task mounting such a volume fails to start',
    },
    { path: 'volumes[].configuredAtLaunch', reason: 'not applied yet', note: 'volumes are configured in the task definition only' },
    { path: 'placementConstraints', reason: 'not applied yet', note: "tasks are placed on the capacity provider's engines" },
    { path: 'proxyConfiguration', reason: 'no local equivalent', note: 'App Mesh proxy' },
    { path: 'inferenceAccelerators', reason: 'no local equivalent', note: 'Elastic Inference accelerators' },
    { path: 'enableFaultInjection', reason: 'no local equivalent', note: 'AWS Fault Injection Service' },
    describeOutput('taskDefinitionArn'),
    describeOutput('revision'),
    describeOutput('status'),
    describeOutput('requiresAttributes'),
    describeOutput('compatibilities'),
    describeOutput('registeredAt'),
    describeOutput('registeredBy'),
    describeOutput('deregisteredAt'),
    // Container level
    { path: `${C}portMappings[].containerPortRange`, reason: 'not applied yet', note: 'port ranges are not published' },
    { path: `${C}portMappings[].hostPortRange`, reason: 'describe-task-definition output', note: 'host port ranges are chosen at run time' },
    {
        path: `${C}versionConsistency`,
        reason: 'not applied yet',
        note: 'image tags are not resolved to digests',
        when: (value) => value !== 'disabled',
    },
    {
        path: `${C}logConfiguration`,
        reason: 'not applied yet',
        note: 'awsfirelens: there is no local FireLens router; the container logs to json-file and berth logs shows its output',
        when: (value) => isRecord(value) && value.logDriver === 'awsfirelens',
    },
    { path: `${C}resourceRequirements`, reason: 'not applied yet', note: 'no GPUs are reserved' },
    { path: `${C}firelensConfiguration`, reason: 'not applied yet', note: 'FireLens log routing' },
    { path: `${C}credentialSpecs`, reason: 'no local equivalent', note: 'Active Directory gMSA credential specs' },
];
/** A value that asks for nothing: absent, false, an empty list or mapping. */
function asksForNothing(value) {
    if (value === undefined || value === null || value === false)
        return true;
    if (Array.isArray(value))
        return value.length === 0;
    if (typeof value === 'object')
        return Object.keys(value).length === 0;
    return false;
}
/** `containerDefinitions[].portMappings[].name` → [['containerDefinitions', true], ['portMappings', true], ['name', false]] */
function parsePath(path) {
    return path.split('.').map((part) => (part.endsWith('[]') ? { key: part.slice(0, -2), each: true } : { key: part, each: false }));
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Every use of an ignored field in a task definition spec, in table order. */
export function ignoredFieldUses(spec) {
    const uses = [];
    for (const field of IGNORED_FIELDS) {
        const parts = parsePath(field.path);
        const visit = (node, index, at) => {
            if (!isRecord(node))
                return;
            const part = parts[index];
            if (!Object.hasOwn(node, part.key))
                return;
            const value = node[part.key];
            const here = [...at, part.key];
            if (index === parts.length - 1) {
                const applies = field.when ? field.when(value) : !asksForNothing(value);
                if (applies)
                    uses.push({ path: here, message: `${field.reason}, ignored (${field.note})` });
                return;
            }
            if (part.each) {
                if (Array.isArray(value))
                    value.forEach((item, i) => visit(item, index + 1, [...here, i]));
            }
            else {
                visit(value, index + 1, here);
            }
        };
        visit(spec, 0, []);
    }
    return uses;
}
//# sourceMappingURL=ecsCompatibility.js.map