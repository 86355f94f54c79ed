import type { TaskState, TaskSummary } from '../kinds/index.js';
import { LABEL } from '../runtime/labels.js';
import type { ObservedContainer } from '../runtime/runtime.js';
import type { EngineOutage } from '../engines.js';
import type { GroupLedger, StoppedTask } from '../state/ledger.js';
import { containerHealth, networkBindings, type ObservedTask } from './observe.js';

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);

function containerState(c: ObservedContainer): TaskState {
  if (c.state === 'running' || c.state === 'paused') return 'RUNNING';
  if (c.state === 'exited' || c.state === 'dead') return 'STOPPED';
  return 'PENDING';
}

/** One container of a task summary: its state, exit code, reason and health, in ECS's words. */
export function containerSummary(c: ObservedContainer): TaskSummary['containers'][number] {
  const entry: TaskSummary['containers'][number] = { name: c.labels[LABEL.container] ?? c.name, lastStatus: containerState(c) };
  if (entry.lastStatus === 'STOPPED' && c.exitCode !== undefined) entry.exitCode = c.exitCode;
  const reason = c.oomKilled ? 'OutOfMemoryError: Container killed due to memory usage' : c.error;
  if (reason) entry.reason = reason;
  if (c.labels[LABEL.healthCheck] === 'true') entry.healthStatus = containerHealth(c);
  const bindings = networkBindings([c]).map(({ containerName: _, ...binding }) => binding);
  if (bindings.length) entry.networkBindings = bindings;
  return entry;
}

/** The ECS-shaped summary of a task, as status and the CLI show it. */
export function taskSummary(task: ObservedTask, desiredStatus: 'RUNNING' | 'STOPPED'): TaskSummary {
  const summary: TaskSummary = {
    taskId: task.taskId,
    taskDefinition: `${task.family}:${task.revision}`,
    lastStatus: task.lastStatus,
    desiredStatus,
    createdAt: iso(task.createdAt) ?? new Date(0).toISOString(),
    containers: task.containers.map(containerSummary).sort((a, b) => a.name.localeCompare(b.name)),
  };
  const startedAt = iso(task.startedAt);
  if (startedAt) summary.startedAt = startedAt;
  if (task.containers.some((c) => c.labels[LABEL.healthCheck] === 'true')) summary.healthStatus = task.healthStatus;
  if (task.networkBindings.length) summary.networkBindings = task.networkBindings;
  if (task.address) {
    // ECS names the task's network interface attachment; here the pause container is the interface.
    const attachmentId = task.pause?.id.slice(0, 12) ?? task.taskId;
    summary.attachments = [
      {
        id: attachmentId,
        type: 'ElasticNetworkInterface',
        status: 'ATTACHED',
        details: [{ name: 'privateIPv4Address', value: task.address }],
      },
    ];
    for (const container of summary.containers) container.networkInterfaces = [{ attachmentId, privateIpv4Address: task.address }];
  }
  return summary;
}

/** Why a task that nobody asked to stop has stopped, in ECS's words. */
export function unexpectedStopReason(task: ObservedTask): { stopCode: string; reason: string } {
  const exited = task.exitedEssential;
  if (!exited) return { stopCode: 'TaskFailedToStart', reason: 'Task stopped' };
  if (exited.oomKilled) return { stopCode: 'EssentialContainerExited', reason: `OutOfMemoryError: Container ${exited.name} killed due to memory usage` };
  if (exited.error) return { stopCode: 'TaskFailedToStart', reason: `CannotStartContainerError: ${exited.error}` };
  return { stopCode: 'EssentialContainerExited', reason: 'Essential container in task exited' };
}

/** ECS's stop of the tasks of a host that went away ("Host EC2 (instance i-…) terminated."), for an engine. */
export function engineStopReason(outage: EngineOutage): { stopCode: string; reason: string } {
  const from = new Date(outage.from).toISOString();
  const reason =
    outage.to === undefined
      ? `Host engine (container instance ${outage.engine}) went away: its Docker engine has not answered since ${from}`
      : `Host engine (container instance ${outage.engine}) restarted: its Docker engine did not answer from ${from} to ${new Date(outage.to).toISOString()}`;
  return { stopCode: 'TerminationNotice', reason };
}

/**
 * The tasks that have finished stopping and are not yet in the group's stopped history,
 * as the history will record them. A stop nobody requested counts as a failure for the
 * crash-loop throttle, unless the task's engine stopped it by going away (`engineOutageOf`).
 * Pure: the ledger is only read.
 */
export function newlyStoppedTasks(options: {
  ledger: Pick<GroupLedger, 'stopRequests' | 'stopped'>;
  tasks: readonly ObservedTask[];
  now: number;
  stableAfterMs: number;
  /** The outage of the task's engine that stopped the task, if one did. */
  engineOutageOf: (task: ObservedTask) => EngineOutage | undefined;
  /**
   * Tasks still being launched: not over yet, even when an essential container already
   * exited, since the launcher may still be starting the others (their exit codes belong in
   * the record). The launch's end requeues the owner, which records the task then.
   */
  launching?: ReadonlySet<string>;
}): StoppedTask[] {
  const { ledger } = options;
  const recorded = new Set(ledger.stopped.map((t) => t.taskId));
  const stoppedNow: StoppedTask[] = [];
  for (const task of options.tasks) {
    if (task.lastStatus !== 'STOPPED' || recorded.has(task.taskId) || options.launching?.has(task.taskId)) continue;
    recorded.add(task.taskId);
    const request = ledger.stopRequests[task.taskId];
    const outage = request ? undefined : options.engineOutageOf(task);
    const { stopCode, reason } = request ? { stopCode: request.stopCode, reason: request.reason } : outage ? engineStopReason(outage) : unexpectedStopReason(task);
    const stoppedAt = task.stoppedAt ?? options.now;
    const stopped: StoppedTask = {
      ...taskSummary(task, 'STOPPED'),
      stoppedAt: new Date(stoppedAt).toISOString(),
      stopCode,
      stoppedReason: reason,
      failed: outage === undefined && (!request || request.failed === true),
      wasStable: task.startedAt !== undefined && stoppedAt - task.startedAt >= options.stableAfterMs,
    };
    if (outage) stopped.byEngine = true;
    stoppedNow.push(stopped);
  }
  return stoppedNow;
}
