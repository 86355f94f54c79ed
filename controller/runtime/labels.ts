/**
 * Ownership lives in container labels: they are how the controller adopts after a
 * restart and how it tells its containers from anyone else's.
 */
export const LABEL = {
  managed: 'berth.managed',
  cluster: 'berth.cluster',
  /** "service:web" or "task:batch" — the group a task belongs to. */
  group: 'berth.group',
  taskId: 'berth.task-id',
  family: 'berth.family',
  revision: 'berth.revision',
  container: 'berth.container',
  configHash: 'berth.config-hash',
  /** Which engine of which capacity provider the task was placed on. */
  capacityProvider: 'berth.capacity-provider',
} as const;

export function groupLabel(kind: 'service' | 'task', name: string): string {
  return `${kind}:${name}`;
}
