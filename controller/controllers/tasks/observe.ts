import type { NetworkBinding, TaskState } from '../../kinds/index.js';
import { LABEL } from '../../runtime/labels.js';
import type { ObservedContainer } from '../../runtime/runtime.js';

/** A task as the engine shows it: the containers that carry its task id. */
export interface ObservedTask {
  taskId: string;
  group: string;
  cluster: string;
  family: string;
  revision: number;
  capacityProvider: string;
  lastStatus: TaskState;
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  containers: ObservedContainer[];
  /** The first essential container that exited, which is what stopped the task. */
  exitedEssential?: { name: string; exitCode?: number; oomKilled?: boolean; error?: string };
  networkBindings: NetworkBinding[];
}

/** Groups managed containers into tasks by their task-id label. Pure. */
export function observeTasks(containers: readonly ObservedContainer[]): ObservedTask[] {
  const byTask = new Map<string, ObservedContainer[]>();
  for (const container of containers) {
    const taskId = container.labels[LABEL.taskId];
    if (!taskId) continue;
    const list = byTask.get(taskId) ?? [];
    list.push(container);
    byTask.set(taskId, list);
  }
  return [...byTask.entries()].map(([taskId, list]) => observeTask(taskId, list));
}

function observeTask(taskId: string, containers: ObservedContainer[]): ObservedTask {
  const first = containers[0]!;
  const labels = first.labels;
  const expected = Number(labels[LABEL.taskContainers] ?? containers.length);
  const isEssential = (c: ObservedContainer) => c.labels[LABEL.essential] !== 'false';
  const ended = (c: ObservedContainer) => c.state === 'exited' || c.state === 'dead';
  const live = (c: ObservedContainer) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
  const exited = containers.filter((c) => isEssential(c) && ended(c)).sort(byFinishedAt)[0];

  let lastStatus: TaskState;
  if (exited) lastStatus = containers.some(live) ? 'STOPPING' : 'STOPPED';
  else if (containers.length < expected) lastStatus = 'PROVISIONING';
  else if (containers.some((c) => c.state === 'created' || c.state === 'restarting')) lastStatus = 'PENDING';
  else if (containers.filter(isEssential).every(live)) lastStatus = 'RUNNING';
  else lastStatus = 'PENDING';

  const times = (pick: (c: ObservedContainer) => string | undefined) =>
    containers.map(pick).filter((t): t is string => Boolean(t)).map((t) => Date.parse(t));
  const created = times((c) => c.createdAt);
  const started = times((c) => c.startedAt);
  const finished = times((c) => c.finishedAt);

  const task: ObservedTask = {
    taskId,
    group: labels[LABEL.group] ?? '',
    cluster: labels[LABEL.cluster] ?? '',
    family: labels[LABEL.family] ?? '',
    revision: Number(labels[LABEL.revision] ?? 0),
    capacityProvider: labels[LABEL.capacityProvider] ?? '',
    lastStatus,
    createdAt: created.length ? Math.min(...created) : 0,
    containers,
    networkBindings: networkBindings(containers),
  };
  if (started.length) task.startedAt = Math.min(...started);
  if (lastStatus === 'STOPPED' && finished.length) task.stoppedAt = Math.max(...finished);
  if (exited) {
    task.exitedEssential = { name: exited.labels[LABEL.container] ?? exited.name };
    if (exited.exitCode !== undefined) task.exitedEssential.exitCode = exited.exitCode;
    if (exited.oomKilled) task.exitedEssential.oomKilled = true;
    if (exited.error) task.exitedEssential.error = exited.error;
  }
  return task;
}

function byFinishedAt(a: ObservedContainer, b: ObservedContainer): number {
  return (a.finishedAt ?? '').localeCompare(b.finishedAt ?? '');
}

/**
 * Host ports as ECS reports them: one binding per container port and host port. Docker
 * lists a published port once per address family (0.0.0.0 and ::); the IPv4 one is kept.
 */
function networkBindings(containers: readonly ObservedContainer[]): NetworkBinding[] {
  const bindings = new Map<string, NetworkBinding>();
  for (const c of containers) {
    const containerName = c.labels[LABEL.container] ?? c.name;
    for (const p of c.ports) {
      if (p.hostPort <= 0) continue;
      const key = `${containerName}/${p.containerPort}/${p.protocol}/${p.hostPort}`;
      const bindIP = p.hostIp || '0.0.0.0';
      const existing = bindings.get(key);
      if (existing && !existing.bindIP.includes(':')) continue;
      bindings.set(key, { containerName, containerPort: p.containerPort, hostPort: p.hostPort, protocol: p.protocol, bindIP });
    }
  }
  return [...bindings.values()];
}
