import { parseTaskCpu, parseTaskMemory } from '../../kinds/taskDefinition.js';
import { efsRootDirectoryProblem } from '../../kinds/efs.js';
import { envFileLocation, secretReference, SecretReferenceError } from '../../secrets/references.js';
import { isRecord, quote, suggest } from './messages.js';
/** A link's container name or alias, as ECS allows them. */
const LINK_PART = /^[A-Za-z0-9_-]{1,255}$/;
/** containerDefinitions' maxItems (ECS's limit). */
const MAX_CONTAINERS = 10;
function containersOf(manifest) {
    const spec = manifest.spec;
    if (!isRecord(spec) || !Array.isArray(spec.containerDefinitions))
        return [];
    // More containers than allowed is already an error; checking across thousands of them would cost their square.
    if (spec.containerDefinitions.length > MAX_CONTAINERS)
        return [];
    return spec.containerDefinitions.map((c) => (isRecord(c) ? c : undefined));
}
function volumesOf(manifest) {
    const spec = manifest.spec;
    if (!isRecord(spec) || !Array.isArray(spec.volumes))
        return [];
    return spec.volumes.map((v) => (isRecord(v) ? v : undefined));
}
const taskDefinitionChecks = [
    // metadata.name is the family; a second, different family would make revisions ambiguous.
    (manifest) => {
        const spec = manifest.spec;
        const metadata = manifest.metadata;
        if (!isRecord(spec) || !isRecord(metadata))
            return [];
        if (typeof spec.family !== 'string' || typeof metadata.name !== 'string' || spec.family === metadata.name)
            return [];
        return [
            {
                path: ['spec', 'family'],
                at: 'value',
                message: `must equal metadata.name (${quote(metadata.name)}): a task definition's family is its metadata.name`,
            },
        ];
    },
    (manifest) => {
        const findings = [];
        const seen = new Map();
        containersOf(manifest).forEach((container, index) => {
            const name = container?.name;
            if (typeof name !== 'string')
                return;
            const first = seen.get(name);
            if (first === undefined)
                seen.set(name, index);
            else
                findings.push({
                    path: ['spec', 'containerDefinitions', index, 'name'],
                    at: 'value',
                    message: `Container names must be unique within a task definition: ${quote(name)} is also the name of containerDefinitions[${first}]`,
                });
        });
        return findings;
    },
    // essential defaults to true, so only an explicit `essential: false` on every container fails.
    (manifest) => {
        const containers = containersOf(manifest);
        if (containers.length === 0 || !containers.every((c) => c?.essential === false))
            return [];
        return [
            { path: ['spec', 'containerDefinitions'], at: 'value', message: 'Task definition must have at least one essential container' },
        ];
    },
    (manifest) => {
        const findings = [];
        containersOf(manifest).forEach((container, index) => {
            const memory = container?.memory;
            const reservation = container?.memoryReservation;
            // The API reference says "less than", but the service registers an equal reservation
            // (and real files use one); Docker too accepts a reservation equal to the limit.
            if (typeof memory !== 'number' || typeof reservation !== 'number' || reservation <= memory)
                return;
            findings.push({
                path: ['spec', 'containerDefinitions', index, 'memoryReservation'],
                at: 'value',
                message: `The memoryReservation must not be greater than the memory value (${reservation} > ${memory})`,
            });
        });
        return findings;
    },
    // In awsvpc and host mode a container's port is the host's (or the task's) port: ECS rejects any other hostPort.
    (manifest) => {
        const spec = manifest.spec;
        if (!isRecord(spec) || (spec.networkMode !== 'awsvpc' && spec.networkMode !== 'host'))
            return [];
        const mode = spec.networkMode;
        const findings = [];
        containersOf(manifest).forEach((container, index) => {
            const mappings = container?.portMappings;
            if (!Array.isArray(mappings))
                return;
            mappings.forEach((mapping, m) => {
                if (!isRecord(mapping) || mapping.hostPort === undefined || mapping.hostPort === mapping.containerPort)
                    return;
                if (typeof mapping.hostPort !== 'number' || typeof mapping.containerPort !== 'number')
                    return;
                findings.push({
                    path: ['spec', 'containerDefinitions', index, 'portMappings', m, 'hostPort'],
                    at: 'value',
                    message: `When networkMode=${mode}, the host ports and container ports in port mappings must match. (hostPort ${mapping.hostPort}, containerPort ${mapping.containerPort})`,
                });
            });
        });
        return findings;
    },
    // dependsOn names another container of the same task.
    (manifest) => sameTaskContainerReferences(manifest, { list: 'dependsOn', key: 'containerName', self: 'A container cannot depend on itself' }),
    // links ("name" or "name:alias") name another container of the task, and only bridge tasks have them (ECS).
    (manifest) => {
        const spec = manifest.spec;
        const mode = isRecord(spec) && typeof spec.networkMode === 'string' ? spec.networkMode : 'bridge';
        const containers = containersOf(manifest);
        const names = containers.map((c) => c?.name).filter((name) => typeof name === 'string');
        const findings = [];
        containers.forEach((container, index) => {
            const links = container?.links;
            if (!Array.isArray(links))
                return;
            if (mode !== 'bridge' && links.length > 0) {
                findings.push({ path: ['spec', 'containerDefinitions', index, 'links'], at: 'key', message: `Links are not supported when networkMode=${mode}` });
                return;
            }
            links.forEach((link, l) => {
                if (typeof link !== 'string')
                    return;
                const path = ['spec', 'containerDefinitions', index, 'links', l];
                const [target = '', alias, ...rest] = link.split(':');
                if (rest.length > 0 || !LINK_PART.test(target) || (alias !== undefined && !LINK_PART.test(alias))) {
                    findings.push({ path, at: 'value', message: `Link ${quote(link)} must be "name" or "name:alias"; up to 255 letters, numbers, underscores and hyphens each` });
                }
                else if (target === container?.name) {
                    findings.push({ path, at: 'value', message: `A container cannot link to itself (${quote(target)})` });
                }
                else if (!names.includes(target)) {
                    const suggestion = suggest(target, names);
                    const hint = suggestion === undefined ? '' : ` (did you mean ${quote(suggestion)}?)`;
                    findings.push({ path, at: 'value', message: `Container ${quote(target)} is not a container of this task definition${hint}; links must name one of: ${names.join(', ')}` });
                }
            });
        });
        return findings;
    },
    // Volume names are unique: mount points refer to volumes by name.
    (manifest) => {
        const findings = [];
        const seen = new Map();
        volumesOf(manifest).forEach((volume, index) => {
            const name = volume?.name;
            if (typeof name !== 'string')
                return;
            const first = seen.get(name);
            if (first === undefined)
                seen.set(name, index);
            else
                findings.push({ path: ['spec', 'volumes', index, 'name'], at: 'value', message: `Volume names must be unique within a task definition: ${quote(name)} is also the name of volumes[${first}]` });
        });
        return findings;
    },
    // An EFS rootDirectory stays inside its file system, and an access point brings its own (ECS).
    (manifest) => volumesOf(manifest).flatMap((volume, index) => {
        const efs = volume?.efsVolumeConfiguration;
        if (!isRecord(efs) || typeof efs.rootDirectory !== 'string')
            return [];
        const accessPoint = isRecord(efs.authorizationConfig) ? efs.authorizationConfig.accessPointId : undefined;
        const problem = efsRootDirectoryProblem(efs.rootDirectory, { withAccessPoint: typeof accessPoint === 'string' });
        return problem === undefined ? [] : [{ path: ['spec', 'volumes', index, 'efsVolumeConfiguration', 'rootDirectory'], at: 'value', message: problem }];
    }),
    // A mount point's sourceVolume names a volume of the task definition.
    (manifest) => {
        const names = volumesOf(manifest)
            .map((v) => v?.name)
            .filter((name) => typeof name === 'string');
        const known = new Set(names);
        const findings = [];
        containersOf(manifest).forEach((container, index) => {
            const mountPoints = container?.mountPoints;
            if (!Array.isArray(mountPoints))
                return;
            mountPoints.forEach((mountPoint, m) => {
                if (!isRecord(mountPoint) || typeof mountPoint.sourceVolume !== 'string' || known.has(mountPoint.sourceVolume))
                    return;
                const suggestion = suggest(mountPoint.sourceVolume, names);
                const hint = suggestion === undefined ? '' : ` (did you mean ${quote(suggestion)}?)`;
                const allowed = names.length ? `; sourceVolume must name one of: ${names.join(', ')}` : '; the task definition defines no volumes';
                findings.push({
                    path: ['spec', 'containerDefinitions', index, 'mountPoints', m, 'sourceVolume'],
                    at: 'value',
                    message: `Unknown volume ${quote(mountPoint.sourceVolume)}${hint}${allowed}`,
                });
            });
        });
        return findings;
    },
    // volumesFrom names another container of the same task.
    (manifest) => sameTaskContainerReferences(manifest, { list: 'volumesFrom', key: 'sourceContainer', self: 'A container cannot mount volumes from itself' }),
    // With task-level cpu and memory, the containers' own values must fit in them (ECS).
    (manifest) => {
        const spec = manifest.spec;
        if (!isRecord(spec))
            return [];
        const containers = containersOf(manifest);
        const findings = [];
        const cpu = typeof spec.cpu === 'string' || typeof spec.cpu === 'number' ? parseTaskCpu(spec.cpu) : undefined;
        const memory = typeof spec.memory === 'string' || typeof spec.memory === 'number' ? parseTaskMemory(spec.memory) : undefined;
        const sum = (field) => containers.reduce((total, c) => total + (typeof c?.[field] === 'number' ? c[field] : 0), 0);
        if (cpu !== undefined && Number.isFinite(cpu) && sum('cpu') > cpu) {
            findings.push({ path: ['spec', 'cpu'], at: 'value', message: `The containers' cpu values add up to ${sum('cpu')} units, more than the task cpu (${cpu} units)` });
        }
        if (memory !== undefined && Number.isFinite(memory)) {
            for (const c of containers.keys()) {
                const container = containers[c];
                const own = typeof container?.memory === 'number' ? container.memory : undefined;
                if (own !== undefined && own > memory) {
                    findings.push({
                        path: ['spec', 'containerDefinitions', c, 'memory'],
                        at: 'value',
                        message: `Container memory (${own} MiB) must not be greater than the task memory (${memory} MiB)`,
                    });
                }
            }
            const reserved = sum('memoryReservation');
            if (reserved > memory) {
                findings.push({ path: ['spec', 'memory'], at: 'value', message: `The containers' memoryReservation values add up to ${reserved} MiB, more than the task memory (${memory} MiB)` });
            }
        }
        return findings;
    },
    // ECS: COMPLETE and SUCCESS cannot be set on an essential container (its exit would stop
    // the task), and HEALTHY needs the dependency to have a health check.
    (manifest) => {
        const containers = containersOf(manifest);
        const findings = [];
        containers.forEach((container, index) => {
            const dependencies = container?.dependsOn;
            if (!Array.isArray(dependencies))
                return;
            dependencies.forEach((dependency, d) => {
                if (!isRecord(dependency) || typeof dependency.containerName !== 'string')
                    return;
                const target = containers.find((c) => c?.name === dependency.containerName);
                if (!target || target === container)
                    return;
                const path = ['spec', 'containerDefinitions', index, 'dependsOn', d, 'condition'];
                const condition = dependency.condition;
                if ((condition === 'COMPLETE' || condition === 'SUCCESS') && target.essential !== false) {
                    findings.push({
                        path,
                        at: 'value',
                        message: `The ${condition} condition can't be set on an essential container: ${quote(dependency.containerName)} is essential; set essential: false on it`,
                    });
                }
                if (condition === 'HEALTHY' && !isRecord(target.healthCheck)) {
                    findings.push({
                        path,
                        at: 'value',
                        message: `The HEALTHY condition needs a healthCheck on ${quote(dependency.containerName)}, which has none`,
                    });
                }
            });
        });
        return findings;
    },
    // dependsOn must not form a cycle: no start order would exist.
    (manifest) => {
        const containers = containersOf(manifest);
        const edges = new Map();
        containers.forEach((container) => {
            if (typeof container?.name !== 'string' || !Array.isArray(container.dependsOn))
                return;
            edges.set(container.name, container.dependsOn.filter(isRecord).map((d) => d.containerName).filter((n) => typeof n === 'string' && n !== container.name));
        });
        const cycle = findCycle(edges);
        if (!cycle)
            return [];
        const index = containers.findIndex((c) => c?.name === cycle[0]);
        return [
            {
                path: ['spec', 'containerDefinitions', index, 'dependsOn'],
                at: 'key',
                message: `Container dependencies form a cycle (${cycle.join(' -> ')}): no container of it could ever start`,
            },
        ];
    },
    // Every secret reference maps to a local secret name (controller/secrets/references.ts).
    (manifest) => {
        const findings = [];
        containersOf(manifest).forEach((container, index) => {
            for (const { path, reference, parse } of secretReferencesOf(container)) {
                const problem = referenceProblem(reference, parse);
                if (problem)
                    findings.push({ path: ['spec', 'containerDefinitions', index, ...path], at: 'value', message: problem });
            }
        });
        return findings;
    },
    // A variable is either plain or secret: ECS refuses a secret whose name is also in environment.
    (manifest) => {
        const findings = [];
        containersOf(manifest).forEach((container, index) => {
            const plain = new Set(namesOf(container?.environment).map(([name]) => name));
            const seen = new Set();
            for (const [name, s] of namesOf(container?.secrets)) {
                const path = ['spec', 'containerDefinitions', index, 'secrets', s, 'name'];
                if (plain.has(name)) {
                    findings.push({ path, at: 'value', message: `The secret name must be unique and not shared with any environment variables set on the container: ${quote(name)} is also in environment` });
                }
                else if (seen.has(name)) {
                    findings.push({ path, at: 'value', message: `The secret name must be unique: ${quote(name)} is set twice` });
                }
                seen.add(name);
            }
        });
        return findings;
    },
    (manifest) => fargateFindings(manifest),
];
/**
 * ECS validates a definition whose requiresCompatibilities names FARGATE against the
 * Fargate rules at registration, "Amazon ECS task definition differences for Fargate":
 * task-level cpu and memory in one of Fargate's combinations, networkMode awsvpc, and none
 * of the parameters that are "not valid in Fargate tasks" (disableNetworking,
 * dnsSearchDomains, dnsServers, dockerSecurityOptions, extraHosts, gpu, ipcMode, links,
 * placementConstraints, privileged, maxSwap, swappiness), linuxParameters limited to adding
 * SYS_PTRACE with no devices, sharedMemorySize or tmpfs, pidMode task only, no host
 * sourcePath and no dockerVolumeConfiguration. The messages are the service's where it is
 * known word for word ("Tasks using the Fargate launch type do not support ipcMode.",
 * "… pidMode 'host'. The supported value for pidMode is 'task'.", "No Fargate configuration
 * exists for given values"), in the same words elsewhere.
 * An empty list, false or null is the field's absence (console exports carry
 * `"links": []`), never a refusal.
 */
function fargateFindings(manifest) {
    const spec = manifest.spec;
    if (!isRecord(spec) || !Array.isArray(spec.requiresCompatibilities))
        return [];
    const fargateAt = spec.requiresCompatibilities.indexOf('FARGATE');
    if (fargateAt < 0)
        return [];
    // A missing field is pointed at where FARGATE is asked for: that is what requires it.
    const requiredBy = { path: ['spec', 'requiresCompatibilities', fargateAt], at: 'value' };
    const notSupported = (path, what, why = '') => ({ path, at: 'key', message: `Tasks using the Fargate launch type do not support ${what}.${why}` });
    const findings = [];
    for (const field of ['cpu', 'memory']) {
        if (spec[field] === undefined || spec[field] === null) {
            findings.push({ ...requiredBy, field: ['spec', field], message: `Fargate requires that '${field}' be defined at the task level.` });
        }
    }
    findings.push(...fargateSizeFindings(spec));
    if (spec.networkMode !== 'awsvpc') {
        const mode = typeof spec.networkMode === 'string' ? spec.networkMode : 'bridge';
        findings.push(spec.networkMode === undefined || spec.networkMode === null
            ? { ...requiredBy, field: ['spec', 'networkMode'], message: `Fargate only supports network mode 'awsvpc'. (networkMode is absent: ${mode})` }
            : { path: ['spec', 'networkMode'], at: 'value', message: `Fargate only supports network mode 'awsvpc'. (networkMode ${mode})` });
    }
    if (isPresent(spec.ipcMode))
        findings.push(notSupported(['spec', 'ipcMode'], 'ipcMode'));
    if (isPresent(spec.pidMode) && spec.pidMode !== 'task') {
        findings.push({ path: ['spec', 'pidMode'], at: 'value', message: `Tasks using the Fargate launch type do not support pidMode ${quoteSingle(spec.pidMode)}. The supported value for pidMode is 'task'.` });
    }
    if (isPresent(spec.placementConstraints))
        findings.push(notSupported(['spec', 'placementConstraints'], 'placementConstraints'));
    containersOf(manifest).forEach((container, index) => {
        if (!container)
            return;
        const at = ['spec', 'containerDefinitions', index];
        for (const field of ['privileged', 'disableNetworking', 'dnsSearchDomains', 'dnsServers', 'dockerSecurityOptions', 'extraHosts', 'links']) {
            if (isPresent(container[field]))
                findings.push(notSupported([...at, field], field));
        }
        if (Array.isArray(container.resourceRequirements)) {
            container.resourceRequirements.forEach((requirement, r) => {
                if (isRecord(requirement) && requirement.type === 'GPU')
                    findings.push(notSupported([...at, 'resourceRequirements', r], 'gpu'));
            });
        }
        const linux = container.linuxParameters;
        if (!isRecord(linux))
            return;
        for (const field of ['maxSwap', 'swappiness', 'devices', 'sharedMemorySize', 'tmpfs']) {
            if (isPresent(linux[field]))
                findings.push(notSupported([...at, 'linuxParameters', field], `linuxParameters.${field}`));
        }
        const added = isRecord(linux.capabilities) && Array.isArray(linux.capabilities.add) ? linux.capabilities.add : [];
        added.forEach((capability, c) => {
            if (capability === 'SYS_PTRACE' || capability === 'CAP_SYS_PTRACE')
                return;
            findings.push({
                path: [...at, 'linuxParameters', 'capabilities', 'add', c],
                at: 'value',
                message: `Tasks launched on Fargate only support adding the SYS_PTRACE kernel capability (not ${JSON.stringify(capability)}).`,
            });
        });
    });
    volumesOf(manifest).forEach((volume, index) => {
        const host = volume?.host;
        if (isRecord(host) && isPresent(host.sourcePath)) {
            findings.push(notSupported(['spec', 'volumes', index, 'host', 'sourcePath'], 'host.sourcePath', ' (a host volume without one is task storage, which Fargate supports)'));
        }
        if (isPresent(volume?.dockerVolumeConfiguration)) {
            findings.push(notSupported(['spec', 'volumes', index, 'dockerVolumeConfiguration'], 'dockerVolumeConfiguration', ' (Fargate tasks only support bind mount host volumes)'));
        }
    });
    return findings;
}
/**
 * Fargate's task sizes (MiB of memory by CPU units), as ECS documents them; 8192 and 16384
 * CPU need Linux platform 1.4.0, the only one berth's tasks could stand for.
 */
const FARGATE_MEMORY_BY_CPU = new Map([
    [256, [512, 1024, 2048]],
    [512, [1024, 2048, 3072, 4096]],
    [1024, [2048, 3072, 4096, 5120, 6144, 7168, 8192]],
    [2048, { from: 4096, to: 16384, step: 1024 }],
    [4096, { from: 8192, to: 30720, step: 1024 }],
    [8192, { from: 16384, to: 61440, step: 4096 }],
    [16384, { from: 32768, to: 122880, step: 8192 }],
]);
/** A cpu and memory pair Fargate has no size for; absent or unparsable values are reported elsewhere. */
function fargateSizeFindings(spec) {
    const text = (value) => (typeof value === 'string' || typeof value === 'number' ? value : undefined);
    const cpu = parseTaskCpu(text(spec.cpu));
    const memory = parseTaskMemory(text(spec.memory));
    if (cpu === undefined || memory === undefined || !Number.isFinite(cpu) || !Number.isFinite(memory))
        return [];
    const sizes = FARGATE_MEMORY_BY_CPU.get(cpu);
    if (!sizes) {
        return [{ path: ['spec', 'cpu'], at: 'value', message: `Invalid 'cpu' setting for task. (Fargate task cpu is one of ${[...FARGATE_MEMORY_BY_CPU.keys()].join(', ')} units; this is ${cpu})` }];
    }
    const fits = 'from' in sizes ? memory >= sizes.from && memory <= sizes.to && (memory - sizes.from) % sizes.step === 0 : sizes.includes(memory);
    if (fits)
        return [];
    const allowed = 'from' in sizes ? `${sizes.from} to ${sizes.to} in steps of ${sizes.step}` : `${sizes.slice(0, -1).join(', ')} or ${sizes.at(-1)}`;
    return [
        {
            path: ['spec', 'memory'],
            at: 'value',
            message: `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values. (with cpu ${cpu}, memory is ${allowed} MiB)`,
        },
    ];
}
/** Set to something: an empty list, false and null mean the field is absent. */
function isPresent(value) {
    if (value === undefined || value === null || value === false)
        return false;
    return !Array.isArray(value) || value.length > 0;
}
function quoteSingle(value) {
    return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}
/** `[name, index]` of the items of an ECS name/value list, skipping malformed items (the schema reports those). */
function namesOf(list) {
    if (!Array.isArray(list))
        return [];
    return list.flatMap((item, i) => (isRecord(item) && typeof item.name === 'string' ? [[item.name, i]] : []));
}
/** The secret references of a container, with their paths below the container and how each is read. */
function secretReferencesOf(container) {
    const found = [];
    const collect = (list, path, key, parse) => {
        if (!Array.isArray(list))
            return;
        list.forEach((item, i) => {
            if (isRecord(item) && typeof item[key] === 'string')
                found.push({ path: [...path, i, key], reference: item[key], parse });
        });
    };
    collect(container?.secrets, ['secrets'], 'valueFrom', secretReference);
    const log = container?.logConfiguration;
    if (isRecord(log))
        collect(log.secretOptions, ['logConfiguration', 'secretOptions'], 'valueFrom', secretReference);
    collect(container?.environmentFiles, ['environmentFiles'], 'value', envFileLocation);
    const credentials = container?.repositoryCredentials;
    if (isRecord(credentials) && typeof credentials.credentialsParameter === 'string') {
        found.push({ path: ['repositoryCredentials', 'credentialsParameter'], reference: credentials.credentialsParameter, parse: secretReference });
    }
    return found;
}
/**
 * Why a reference cannot be read, quoting it whole: a reference names a secret and holds
 * none, and the part that is wrong is often its end (the name after `secret:`).
 */
function referenceProblem(reference, parse) {
    try {
        parse(reference);
        return undefined;
    }
    catch (error) {
        if (error instanceof SecretReferenceError)
            return `${JSON.stringify(reference)} ${error.reason}`;
        throw error;
    }
}
const taskChecks = [
    // ECS takes one override per container; a second would leave it unclear which applies.
    (manifest) => {
        const spec = manifest.spec;
        if (!isRecord(spec) || !isRecord(spec.overrides))
            return [];
        const findings = [];
        const seen = new Set();
        for (const [name, index] of namesOf(spec.overrides.containerOverrides)) {
            if (seen.has(name)) {
                findings.push({ path: ['spec', 'overrides', 'containerOverrides', index, 'name'], at: 'value', message: `container ${quote(name)} is overridden twice: give one override per container` });
            }
            seen.add(name);
        }
        return findings;
    },
];
const targetGroupChecks = [
    // ELB refuses a timeout that is not shorter than the interval: the next check would start before this one ends.
    (manifest) => {
        const check = isRecord(manifest.spec) && isRecord(manifest.spec.healthCheck) ? manifest.spec.healthCheck : undefined;
        if (typeof check?.timeoutSeconds !== 'number')
            return [];
        const interval = typeof check.intervalSeconds === 'number' ? check.intervalSeconds : 30;
        if (check.timeoutSeconds < interval)
            return [];
        return [{ path: ['spec', 'healthCheck', 'timeoutSeconds'], at: 'value', message: `Health check timeout must be smaller than the interval (${check.timeoutSeconds} s, interval ${interval} s)` }];
    },
    // path and matcher are what an HTTP check asks for; a TCP check only opens a connection.
    (manifest) => {
        const spec = isRecord(manifest.spec) ? manifest.spec : {};
        const check = isRecord(spec.healthCheck) ? spec.healthCheck : undefined;
        const protocol = check?.protocol ?? spec.protocol ?? 'HTTP';
        if (!check || protocol !== 'TCP')
            return [];
        return ['path', 'matcher']
            .filter((field) => check[field] !== undefined)
            .map((field) => ({ path: ['spec', 'healthCheck', field], at: 'key', message: `Health check ${field} is not supported for the TCP protocol` }));
    },
];
const loadBalancerChecks = [
    // Two listeners on one address and port could not both bind.
    (manifest) => {
        const listeners = isRecord(manifest.spec) && Array.isArray(manifest.spec.listeners) ? manifest.spec.listeners : [];
        const seen = new Map();
        const findings = [];
        listeners.forEach((listener, index) => {
            if (!isRecord(listener) || typeof listener.port !== 'number')
                return;
            const address = `${typeof listener.bindAddress === 'string' ? listener.bindAddress : '127.0.0.1'}:${listener.port}`;
            const first = seen.get(address);
            if (first === undefined)
                seen.set(address, index);
            else
                findings.push({ path: ['spec', 'listeners', index, 'port'], at: 'value', message: `A listener already exists on this port: listeners[${first}] binds ${address} too` });
        });
        return findings;
    },
];
const serviceChecks = [
    // A deployment strategy's own settings, and only its own.
    (manifest) => {
        const spec = manifest.spec;
        const config = isRecord(spec) ? spec.deploymentConfiguration : undefined;
        if (!isRecord(config))
            return [];
        const strategy = typeof config.strategy === 'string' ? config.strategy : 'ROLLING';
        const findings = [];
        const path = (field) => ['spec', 'deploymentConfiguration', field];
        for (const [field, wanted] of [['canaryConfiguration', 'CANARY'], ['linearConfiguration', 'LINEAR']]) {
            if (config[field] !== undefined && strategy !== wanted)
                findings.push({ path: path(field), at: 'key', message: `applies to strategy ${wanted} only; this service's strategy is ${strategy}` });
            if (config[field] === undefined && strategy === wanted)
                findings.push({ path: path('strategy'), at: 'value', message: `strategy ${wanted} needs deploymentConfiguration.${field}` });
        }
        return findings;
    },
    // With no room above desiredCount and none below, no task could ever be replaced.
    (manifest) => {
        const spec = manifest.spec;
        const config = isRecord(spec) ? spec.deploymentConfiguration : undefined;
        if (!isRecord(config))
            return [];
        const maximum = typeof config.maximumPercent === 'number' ? config.maximumPercent : 200;
        const minimum = typeof config.minimumHealthyPercent === 'number' ? config.minimumHealthyPercent : 100;
        // A percentage out of range is the schema's error already.
        if (minimum < maximum || maximum < 100 || minimum > 100)
            return [];
        return [
            {
                path: ['spec', 'deploymentConfiguration', config.maximumPercent === undefined ? 'minimumHealthyPercent' : 'maximumPercent'],
                at: 'value',
                message: `minimumHealthyPercent (${minimum}) must be below maximumPercent (${maximum}): otherwise no task can ever be replaced`,
            },
        ];
    },
];
export const SEMANTIC_CHECKS = {
    TaskDefinition: taskDefinitionChecks,
    Task: taskChecks,
    TargetGroup: targetGroupChecks,
    LoadBalancer: loadBalancerChecks,
    Service: serviceChecks,
};
/**
 * Every `containerDefinitions[].<list>[].<key>` names another container of the task
 * definition: not the container itself, and with a "did you mean" for a near miss.
 */
function sameTaskContainerReferences(manifest, field) {
    const containers = containersOf(manifest);
    const names = containers.map((c) => c?.name).filter((name) => typeof name === 'string');
    const findings = [];
    containers.forEach((container, index) => {
        const references = container?.[field.list];
        if (!Array.isArray(references))
            return;
        references.forEach((reference, r) => {
            if (!isRecord(reference) || typeof reference[field.key] !== 'string')
                return;
            const target = reference[field.key];
            const path = ['spec', 'containerDefinitions', index, field.list, r, field.key];
            if (target === container?.name) {
                findings.push({ path, at: 'value', message: `${field.self} (${quote(target)})` });
            }
            else if (!names.includes(target)) {
                const suggestion = suggest(target, names);
                const hint = suggestion === undefined ? '' : ` (did you mean ${quote(suggestion)}?)`;
                findings.push({
                    path,
                    at: 'value',
                    message: `Container ${quote(target)} is not a container of this task definition${hint}; ${field.list} must name one of: ${names.join(', ')}`,
                });
            }
        });
    });
    return findings;
}
/** A dependency cycle as a path that returns to its start, or undefined. */
function findCycle(edges) {
    const state = new Map();
    const path = [];
    const visit = (node) => {
        if (state.get(node) === 'done')
            return undefined;
        if (state.get(node) === 'visiting')
            return [...path.slice(path.indexOf(node)), node];
        state.set(node, 'visiting');
        path.push(node);
        for (const next of edges.get(node) ?? []) {
            const found = visit(next);
            if (found)
                return found;
        }
        path.pop();
        state.set(node, 'done');
        return undefined;
    };
    for (const node of edges.keys()) {
        const found = visit(node);
        if (found)
            return found;
    }
    return undefined;
}
//# sourceMappingURL=kinds.js.map