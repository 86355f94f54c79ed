import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readStatusFrom } from '../status/writer.js';
import { readManifests } from './files.js';
const KIND_ALIASES = {
    service: 'Service', services: 'Service', svc: 'Service',
    taskdefinition: 'TaskDefinition', taskdefinitions: 'TaskDefinition', td: 'TaskDefinition',
    cluster: 'Cluster', clusters: 'Cluster',
    capacityprovider: 'CapacityProvider', capacityproviders: 'CapacityProvider', cp: 'CapacityProvider',
    task: 'Task', tasks: 'Task',
    targetgroup: 'TargetGroup', targetgroups: 'TargetGroup', tg: 'TargetGroup',
    loadbalancer: 'LoadBalancer', loadbalancers: 'LoadBalancer', lb: 'LoadBalancer',
};
export function resolveKind(word) {
    const kind = KIND_ALIASES[word.toLowerCase()];
    if (!kind)
        throw new Error(`unknown kind "${word}"; one of: services, tasks, taskdefinitions, clusters, capacityproviders, targetgroups, loadbalancers`);
    return kind;
}
const str = (v) => (v === undefined || v === null ? '' : String(v));
const condition = (doc, type) => doc.status.conditions?.find((c) => c.type === type);
const COLUMNS = {
    Service: [
        ['NAME', (d) => d.name],
        ['CLUSTER', (d) => d.manifest.spec.cluster ?? 'default'],
        ['TASK DEFINITION', (d) => d.status.taskDefinition ?? d.manifest.spec.taskDefinition],
        ['DESIRED', (d) => d.status.desiredCount ?? d.manifest.spec.desiredCount ?? 1],
        ['RUNNING', (d) => d.status.runningCount ?? 0],
        ['PENDING', (d) => d.status.pendingCount ?? 0],
        ['STATE', (d) => condition(d, 'Steady')?.reason ?? 'Unknown'],
        ['VALID', (d) => condition(d, 'Valid')?.status ?? ''],
    ],
    TaskDefinition: [
        ['FAMILY', (d) => d.name],
        ['REVISION', (d) => d.status.revision],
        ['STATUS', (d) => d.status.status],
        ['CONTAINERS', (d) => (d.manifest.spec.containerDefinitions ?? []).map((c) => c.name).join(',')],
    ],
    Cluster: [
        ['NAME', (d) => d.name],
        ['STATUS', (d) => d.status.status],
        ['SERVICES', (d) => d.status.activeServicesCount],
        ['RUNNING', (d) => d.status.runningTasksCount],
        ['PENDING', (d) => d.status.pendingTasksCount],
    ],
    CapacityProvider: [
        ['NAME', (d) => d.name],
        ['ENGINE', (d) => d.status.containerInstances?.map((i) => i.engine).join(',')],
        ['INSTANCE', (d) => d.status.containerInstances?.map((i) => i.status).join(',')],
        ['RUNNING', (d) => d.status.containerInstances?.reduce((n, i) => n + i.runningTasksCount, 0)],
    ],
    TargetGroup: [
        ['NAME', (d) => d.name],
        ['PROTOCOL', (d) => d.status.protocol ?? d.manifest.spec.protocol ?? 'HTTP'],
        ['HEALTHY', (d) => d.status.targets?.filter((t) => t.state === 'healthy').length ?? 0],
        ['TARGETS', (d) => d.status.targets?.length ?? 0],
        ['SERVICES', (d) => d.status.services?.join(',')],
    ],
    LoadBalancer: [
        ['NAME', (d) => d.name],
        ['LISTENERS', (d) => d.status.listeners?.map((l) => `${l.protocol}:${l.bindAddress}:${l.port}(${l.state})`).join(',')],
        ['READY', (d) => condition(d, 'Listening')?.status ?? ''],
    ],
};
/** `berth get KIND [NAME]`: the manifests and the status the controller wrote, as a table, YAML or JSON. */
export function get(kindWord, name, options) {
    const kind = resolveKind(kindWord);
    const { documents } = readManifests([options.manifests]);
    const docs = documents
        .filter((d) => (kind === 'Task' ? d.kind === 'Service' || d.kind === 'Task' : d.kind === kind))
        .map((d) => {
        const status = options.statusDir ? readStatusFrom(options.statusDir, d.kind, d.name) : d.manifest.status;
        return { kind: d.kind, name: d.name, manifest: { ...d.manifest, status }, status: status ?? {} };
    });
    if (kind === 'Task') {
        const rows = docs.flatMap((d) => 
        // A service's tasks are named by the service, a standalone run's by its Task manifest.
        (d.status.tasks ?? []).map((t) => ({ owner: d.kind === 'Task' ? `task:${d.name}` : d.name, ...t }))).filter((t) => !name || t.taskId.startsWith(name));
        if (options.output !== 'table')
            return render(rows, options.output);
        return table(['TASK', 'OWNER', 'TASK DEFINITION', 'STATUS', 'PORTS'], rows.map((t) => [t.taskId, t.owner, t.taskDefinition, t.lastStatus, (t.networkBindings ?? []).map((b) => `${b.hostPort}->${b.containerPort}`).join(',')]));
    }
    const selected = docs.filter((d) => !name || d.name === name);
    if (name && selected.length === 0)
        throw new Error(`${kind} "${name}" not found in ${options.manifests}`);
    if (options.output !== 'table')
        return render(name ? selected[0].manifest : selected.map((d) => d.manifest), options.output);
    const columns = COLUMNS[kind];
    return table(columns.map(([header]) => header), selected.map((d) => columns.map(([, value]) => str(value(d)))));
}
function render(value, output) {
    return output === 'json' ? JSON.stringify(value, null, 2) + '\n' : stringify(value);
}
function table(headers, rows) {
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('   ').trimEnd();
    return [line(headers), ...rows.map(line)].join('\n') + '\n';
}
/**
 * What the running controller says about itself (the health record it keeps in its state
 * directory), as lines for `berth get` to print above the table: empty when it is fine
 * or when no controller of that directory is running.
 */
export function controllerHealthLines(stateDir) {
    let record;
    try {
        record = JSON.parse(readFileSync(join(stateDir, 'controller-health.json'), 'utf8'));
    }
    catch {
        return [];
    }
    if (record.state === 'ok' || !Array.isArray(record.problems) || !processAlive(record.pid))
        return [];
    return [
        `controller: ${record.state.toUpperCase()}`,
        ...record.problems.map((p) => `  ${p.reason} (${p.component}, since ${p.since}): ${p.message}`),
    ];
}
function processAlive(pid) {
    if (!pid)
        return false;
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        // EPERM: alive, owned by someone else.
        return error.code === 'EPERM';
    }
}
//# sourceMappingURL=get.js.map