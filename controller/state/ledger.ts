import type { ServiceEvent, TaskSummary } from '../kinds/index.js';
import type { StateStore } from './stateStore.js';

/**
 * What the controllers remember about a group of tasks (a service or a standalone
 * task run) that the engine cannot tell them: which tasks were asked to stop and
 * why, the stopped-task history, the service events. Controllers meet here: the
 * service controller records stop requests, the retirement controller carries
 * them out. Kept in the state directory; losing it only loses history.
 */
export interface StopRequest {
  stopCode: string;
  reason: string;
  requestedAt: number;
  /** The stop was decided because the task failed (unhealthy, a dependency failed): it counts for the crash-loop throttle. */
  failed?: boolean;
}

export interface StoppedTask extends TaskSummary {
  /** True when nobody asked for the stop: the task exited or failed to start. */
  failed: boolean;
  /** True when the task had been RUNNING long enough to count as started successfully. */
  wasStable: boolean;
  /**
   * True when its engine stopped it by going away (a restart, a lost host), or a launch
   * found nobody at the engine's address: neither a failure nor a success of the task.
   */
  byEngine?: boolean;
}

/** When one task of a standalone run reached the steps the engine does not date. */
export interface RunTaskTimes {
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  /** When the stop was asked for (desiredStatus STOPPED, manifest deleted). */
  stoppingAt?: number;
}

/**
 * A standalone task run (a Task manifest), recorded before its first container is
 * created: a restarted controller then neither launches it again nor forgets a task
 * whose launch it cut short.
 */
export interface TaskRun {
  cluster: string;
  /** family:N that was launched. */
  taskDefinition: string;
  /** Hash of the spec that was launched (without desiredStatus), to tell a later edit. */
  specHash: string;
  launchedAt: number;
  tasks: Record<string, RunTaskTimes>;
}

export interface GroupLedger {
  stopRequests: Record<string, StopRequest>;
  /** Newest first. */
  stopped: StoppedTask[];
  /** Newest first, as ECS lists them. */
  events: ServiceEvent[];
  steady: boolean;
  /** Previous conditions, so a transition time only moves when a status changes. */
  conditions: Array<{ type: string; status: string; lastTransitionTime: string }>;
  /** Standalone task groups only: the run. */
  run?: TaskRun;
}

const MAX_STOPPED = 50;
const MAX_EVENTS = 50;

export class Ledger {
  private readonly groups = new Map<string, GroupLedger>();
  private eventCounter = 0;

  constructor(private readonly state: StateStore | undefined) {}

  get(group: string): GroupLedger {
    let ledger = this.groups.get(group);
    if (!ledger) {
      ledger = this.state?.load<GroupLedger>(recordName(group), emptyLedger()) ?? emptyLedger();
      this.groups.set(group, ledger);
    }
    return ledger;
  }

  requestStop(group: string, taskId: string, request: StopRequest): boolean {
    const ledger = this.get(group);
    if (ledger.stopRequests[taskId]) return false;
    ledger.stopRequests[taskId] = request;
    this.persist(group);
    return true;
  }

  recordStopped(group: string, task: StoppedTask): boolean {
    const ledger = this.get(group);
    if (ledger.stopped.some((t) => t.taskId === task.taskId)) return false;
    ledger.stopped = stoppedHistoryWith(ledger.stopped, [task]);
    this.persist(group);
    return true;
  }

  isRecordedStopped(group: string, taskId: string): boolean {
    return this.get(group).stopped.some((t) => t.taskId === taskId);
  }

  /** Forgets the stop request of a task whose containers are all gone. */
  settle(group: string, taskId: string): void {
    const ledger = this.get(group);
    if (ledger.stopRequests[taskId]) {
      delete ledger.stopRequests[taskId];
      this.persist(group);
    }
  }

  addEvent(group: string, message: string, at: number): void {
    const ledger = this.get(group);
    ledger.events.unshift({ id: `${at.toString(36)}-${(this.eventCounter++).toString(36)}`, createdAt: new Date(at).toISOString(), message });
    ledger.events.length = Math.min(ledger.events.length, MAX_EVENTS);
    this.persist(group);
  }

  setSteady(group: string, steady: boolean): boolean {
    const ledger = this.get(group);
    if (ledger.steady === steady) return false;
    ledger.steady = steady;
    this.persist(group);
    return true;
  }

  setConditions(group: string, conditions: GroupLedger['conditions']): void {
    const ledger = this.get(group);
    const next = conditions.map(({ type, status, lastTransitionTime }) => ({ type, status, lastTransitionTime }));
    if (JSON.stringify(ledger.conditions) === JSON.stringify(next)) return;
    ledger.conditions = next;
    this.persist(group);
  }

  recordRun(group: string, run: TaskRun): void {
    this.get(group).run = run;
    this.persist(group);
  }

  /** Adds to one task's times in the group's run; nothing without a run. */
  noteTaskTimes(group: string, taskId: string, times: Partial<RunTaskTimes>): void {
    const task = this.get(group).run?.tasks[taskId];
    if (!task) return;
    Object.assign(task, times);
    this.persist(group);
  }

  /** Drops everything about a group (its service was deleted and its containers are gone). */
  drop(group: string): void {
    this.groups.delete(group);
    this.state?.remove(recordName(group));
  }

  private persist(group: string): void {
    this.state?.save(recordName(group), this.get(group));
  }
}

/**
 * The stopped-task history once these tasks are recorded: newest stop first, at most 50,
 * a task already in it left as it is. Plans read it before the executor records them.
 */
export function stoppedHistoryWith(history: readonly StoppedTask[], tasks: readonly StoppedTask[]): StoppedTask[] {
  const next = [...history];
  for (const task of tasks) {
    if (next.some((t) => t.taskId === task.taskId)) continue;
    next.unshift(task);
    next.sort((a, b) => (b.stoppedAt ?? '').localeCompare(a.stoppedAt ?? ''));
  }
  return next.slice(0, MAX_STOPPED);
}

function emptyLedger(): GroupLedger {
  return { stopRequests: {}, stopped: [], events: [], steady: false, conditions: [] };
}

function recordName(group: string): string {
  return `group-${group.replace(':', '-')}`;
}
