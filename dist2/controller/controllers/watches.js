import { key, parseGroup, retirementKey } from '../keys.js';
import { LABEL } from '../runtime/labels.js';
/**
 * How long after a container's exit its owner looks again: the engine announces the exit
 * before every API reports the container stopped.
 */
export const EXIT_RECHECK_MS = 500;
/** Every resource of a kind in the manifests, for a change that may concern any of them. */
export function everyKey(kind) {
    return (_changed, store) => store.list(kind).map((resource) => key(kind, resource.name));
}
/** The owner of the container's task group, when it is a group of this kind ("service:web" → Service/web). */
export function groupOwner(kind) {
    return (labels) => {
        const group = parseGroup(labels[LABEL.group]);
        if (group?.kind !== kind)
            return [];
        return [key(kind === 'service' ? 'Service' : 'Task', group.name)];
    };
}
/** The retirement of the container's task group, whoever owns it. */
export function groupRetirement(labels) {
    const group = labels[LABEL.group];
    return group !== undefined && parseGroup(group) ? [retirementKey(group)] : [];
}
/** The resource a label names, when the manifests have it ("berth.cluster: prod" → Cluster/prod). */
export function labelledResource(kind, label) {
    return (labels, store) => {
        const name = labels[label];
        return name && store.get(kind, name) ? [key(kind, name)] : [];
    };
}
//# sourceMappingURL=watches.js.map