import { parseTaskCpu, parseTaskMemory } from '../kinds/index.js';
import { isPauseContainer } from '../taskspec/containerSpecs.js';
import { LABEL } from '../runtime/labels.js';
import { parseGroup } from '../keys.js';
import { observedContainers } from '../observer/query.js';
/**
 * Finds a task on the controller's engines by its task-id label and adds what only
 * the controller knows: the task definition's network mode and limits (from the
 * registry) and whether the task is being stopped (from the ledger).
 */
export function engineTaskLookup(options) {
    return async (taskId) => {
        for (const { runtime } of options.engines.all()) {
            const listed = await observedContainers(runtime, { [LABEL.taskId]: taskId });
            if (listed.length === 0)
                continue;
            const described = await Promise.all(listed.map((c) => runtime.describe(c.id)));
            // The pause container is no container of the task definition: the endpoint never shows it.
            const containers = described.filter((c) => c !== undefined && !isPauseContainer(c.labels));
            if (containers.length === 0)
                continue;
            const addresses = described.flatMap((c) => (c ? c.networks.flatMap((n) => (n.ipv4Address ? [n.ipv4Address] : [])) : []));
            const found = { runtime, containers, context: taskContext(taskId, containers[0].labels, options), addresses };
            return found;
        }
        return undefined;
    };
}
function taskContext(taskId, labels, options) {
    const family = labels[LABEL.family] ?? '';
    const revision = Number(labels[LABEL.revision] ?? 0);
    const group = labels[LABEL.group] ?? '';
    const spec = options.registry.resolve(`${family}:${revision}`)?.spec;
    const context = {
        cluster: labels[LABEL.cluster] ?? '',
        taskId,
        family,
        revision,
        networkMode: spec?.networkMode ?? 'bridge',
        desiredStatus: group && options.ledger.get(group).stopRequests[taskId] ? 'STOPPED' : 'RUNNING',
    };
    if (spec?.taskRoleArn !== undefined)
        context.taskRoleArn = spec.taskRoleArn;
    const owner = parseGroup(group);
    if (owner?.kind === 'service')
        context.serviceName = owner.name;
    const cpuUnits = parseTaskCpu(spec?.cpu);
    const memoryMiB = parseTaskMemory(spec?.memory);
    if (cpuUnits !== undefined || memoryMiB !== undefined) {
        context.limits = {};
        if (cpuUnits !== undefined)
            context.limits.cpuUnits = cpuUnits;
        if (memoryMiB !== undefined)
            context.limits.memoryMiB = memoryMiB;
    }
    return context;
}
//# sourceMappingURL=taskLookup.js.map