/**
 * The keys of the work queue and the task groups, in one place: how they are written and
 * how they are read back. A queue key is "Kind/name" ("Service/web"); a task group, written
 * into the berth.group label and the ledger, is "service:web" or "task:batch".
 */
const KEY_KINDS = new Set(['Cluster', 'CapacityProvider', 'TaskDefinition', 'Service', 'Task', 'TargetGroup', 'LoadBalancer', 'Retirement']);
export function formatKey(key) {
    return `${key.kind}/${key.name}`;
}
/** The queue key of one resource: key('Service', 'web') → "Service/web". */
export function key(kind, name) {
    return formatKey({ kind, name });
}
/** undefined for a text that is no key of a known kind. */
export function parseKey(text) {
    const slash = text.indexOf('/');
    if (slash <= 0)
        return undefined;
    const kind = text.slice(0, slash);
    if (!KEY_KINDS.has(kind))
        return undefined;
    return { kind: kind, name: text.slice(slash + 1) };
}
export function formatGroup(group) {
    return `${group.kind}:${group.name}`;
}
/** "service:web" → {kind: 'service', name: 'web'}; undefined for anything else. */
export function parseGroup(text) {
    if (text === undefined)
        return undefined;
    const colon = text.indexOf(':');
    const kind = text.slice(0, colon);
    if (colon <= 0 || (kind !== 'service' && kind !== 'task'))
        return undefined;
    return { kind, name: text.slice(colon + 1) };
}
/** The queue key of a group's owner: "service:web" → "Service/web", "task:batch" → "Task/batch". */
export function groupOwnerKey(group) {
    const parsed = parseGroup(group);
    if (!parsed)
        return undefined;
    return key(parsed.kind === 'service' ? 'Service' : 'Task', parsed.name);
}
/** The queue key of the retirement of a group's stopped tasks: "Retirement/service:web". */
export function retirementKey(group) {
    return key('Retirement', group);
}
//# sourceMappingURL=keys.js.map