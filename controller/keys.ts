/**
 * The keys of the work queue and the task groups, in one place: how they are written and
 * how they are read back. A queue key is "Kind/name" ("Service/web"); a task group, written
 * into the berth.group label and the ledger, is "service:web" or "task:batch".
 */

/** The kinds the work queue carries: the manifest kinds, and Retirement (one per task group). */
export type KeyKind = 'Cluster' | 'CapacityProvider' | 'TaskDefinition' | 'Service' | 'Task' | 'TargetGroup' | 'LoadBalancer' | 'Retirement';

export interface ResourceKey {
  kind: KeyKind;
  name: string;
}

const KEY_KINDS: ReadonlySet<string> = new Set<KeyKind>(['Cluster', 'CapacityProvider', 'TaskDefinition', 'Service', 'Task', 'TargetGroup', 'LoadBalancer', 'Retirement']);

export function formatKey(key: ResourceKey): string {
  return `${key.kind}/${key.name}`;
}

/** The queue key of one resource: key('Service', 'web') → "Service/web". */
export function key(kind: KeyKind, name: string): string {
  return formatKey({ kind, name });
}

/** undefined for a text that is no key of a known kind. */
export function parseKey(text: string): ResourceKey | undefined {
  const slash = text.indexOf('/');
  if (slash <= 0) return undefined;
  const kind = text.slice(0, slash);
  if (!KEY_KINDS.has(kind)) return undefined;
  return { kind: kind as KeyKind, name: text.slice(slash + 1) };
}

/** A group of tasks with one owner: a Service manifest, or a Task manifest (a standalone run). */
export type GroupKind = 'service' | 'task';

export interface GroupKey {
  kind: GroupKind;
  name: string;
}

export function formatGroup(group: GroupKey): string {
  return `${group.kind}:${group.name}`;
}

/** "service:web" → {kind: 'service', name: 'web'}; undefined for anything else. */
export function parseGroup(text: string | undefined): GroupKey | undefined {
  if (text === undefined) return undefined;
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  if (colon <= 0 || (kind !== 'service' && kind !== 'task')) return undefined;
  return { kind, name: text.slice(colon + 1) };
}

/** The queue key of a group's owner: "service:web" → "Service/web", "task:batch" → "Task/batch". */
export function groupOwnerKey(group: string | undefined): string | undefined {
  const parsed = parseGroup(group);
  if (!parsed) return undefined;
  return key(parsed.kind === 'service' ? 'Service' : 'Task', parsed.name);
}

/** The queue key of the retirement of a group's stopped tasks: "Retirement/service:web". */
export function retirementKey(group: string): string {
  return key('Retirement', group);
}
