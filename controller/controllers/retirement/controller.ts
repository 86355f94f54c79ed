import type { Logger } from '../../log.js';
import type { ObservedContainer } from '../../runtime/runtime.js';
import type { Action, ControllerContext, ControllerOptions, Execution, ReconcileResult, Reconciler, Watches } from '../context.js';
import { groupRetirement, EXIT_RECHECK_MS } from '../watches.js';
import { observeTasks, type ObservedTask } from '../../observer/observe.js';
import { engineOutageLookup } from '../../observer/engineStops.js';
import { newlyStoppedTasks } from '../../observer/summary.js';
import { locateGroup } from '../../observer/observeGroup.js';
import type { EngineOutage, EnginePool } from '../../engines.js';
import type { ManifestStore } from '../../store/store.js';
import type { GroupLedger } from '../../state/ledger.js';
import { planRetirement } from './plan.js';
import { key, parseGroup } from '../../keys.js';

/** What the retirement controller is reconciled for, besides its own manifests. */
export const RETIREMENT_WATCHES: Watches = { containers: { keys: groupRetirement, recheckAfterExitMs: EXIT_RECHECK_MS } };

/**
 * The retirement controller: carries out the stops other controllers decided
 * (SIGTERM, stopTimeout, SIGKILL; essential containers last), records how each
 * task ended, and removes stopped tasks' containers after the retention period.
 * Keys are groups: "Retirement/service:web".
 */
export class RetirementController implements Reconciler {
  readonly kind = 'Retirement';
  readonly watches = RETIREMENT_WATCHES;

  constructor(private readonly ctx: RetirementContext) {}

  /** Observes the group, then plans: the actions say what the executor does, in order. */
  async reconcile(group: string, log: Logger): Promise<ReconcileResult> {
    const { ctx } = this;
    const listedAt = ctx.clock.now();
    // What the engines show is as of the start of the read: a stop under way then may finish
    // while the read lasts, and its task must not look like one nobody is stopping.
    const stoppingWhenRead = new Set(Object.keys(ctx.ledger.get(group).stopRequests).filter((taskId) => ctx.execution.isStopping(taskId)));
    const located = await locateGroup(ctx.engines, group);
    return planGroupRetirement({
      group,
      located,
      ledger: ctx.ledger.get(group),
      ownerDefined: (kind, name) => ctx.store.mayDefine(kind, name),
      isStopping: (taskId) => stoppingWhenRead.has(taskId) || ctx.execution.isStopping(taskId),
      launching: new Set(ctx.execution.launching(group).keys()),
      engineOutageOf: engineOutageLookup(ctx, new Map(located.map((l) => [l.container.id, l.runtime]))),
      listedAt,
      now: ctx.clock.now(),
      options: ctx.options,
      log,
    });
  }
}

/** What the retirement controller reads: it writes nothing itself. */
export type RetirementContext = Pick<ControllerContext, 'ledger' | 'clock' | 'options'> & {
  execution: Pick<Execution, 'isStopping' | 'launching'>;
  engines: Pick<EnginePool, 'all' | 'outageOf'>;
  store: Pick<ManifestStore, 'mayDefine'>;
};

/** What a retirement plan reads: the group's containers where they were listed, the ledger, the clock. */
export interface GroupRetirementInput {
  group: string;
  located: ReadonlyArray<{ container: ObservedContainer; engine: string }>;
  ledger: Readonly<GroupLedger>;
  ownerDefined(kind: 'Service' | 'Task', name: string): boolean;
  isStopping(taskId: string): boolean;
  engineOutageOf: (task: ObservedTask) => EngineOutage | undefined;
  /** Tasks still being launched: not recorded as stopped until their launch ends. */
  launching: ReadonlySet<string>;
  /** When the engines were listed: a stop request made later may be for a task still being launched. */
  listedAt: number;
  now: number;
  options: Pick<ControllerOptions, 'keepStoppedContainers' | 'taskRetentionMs' | 'stoppedContainerRetentionMs' | 'stableAfterMs'>;
  log: Logger;
}

/**
 * The retirement of one group, pure: carries out the stops other controllers decided
 * (SIGTERM, stopTimeout, SIGKILL; essential containers last), records how each task
 * ended, and removes stopped tasks' containers after the retention period.
 */
export function planGroupRetirement(input: GroupRetirementInput): ReconcileResult {
  const { group, ledger, log } = input;
  const parsed = parseGroup(group);
  const owner = parsed?.kind === 'task' ? 'Task' : 'Service';
  const standalone = owner === 'Task';
  const ownerGone = parsed !== undefined && !input.ownerDefined(owner, parsed.name);
  const requests = ledger.stopRequests;
  const tasks = observeTasks(
    input.located.map((l) => l.container),
    new Set(Object.keys(requests)),
  );
  const engineOf = new Map(input.located.map((l) => [l.container.id, l.engine]));
  const engineOfTask = (task: ObservedTask) => engineOf.get((task.containers[0] ?? task.pause)!.id)!;

  const plan = planRetirement({
    tasks,
    stopRequested: new Set(Object.keys(requests)),
    ownerGone,
    now: input.now,
    // A standalone run keeps every stopped task (at most 10) for the task retention, to be inspected.
    keepStoppedContainers: ownerGone ? 0 : standalone ? Infinity : input.options.keepStoppedContainers,
    retentionMs: standalone ? input.options.taskRetentionMs : input.options.stoppedContainerRetentionMs,
  });

  const actions: Action[] = [];
  const newStops = plan.stop.filter((taskId) => !input.isStopping(taskId));
  if (newStops.length) log.info({ tasks: newStops }, 'stopping tasks');
  for (const taskId of newStops) {
    const task = tasks.find((t) => t.taskId === taskId)!;
    actions.push({ type: 'stopTask', group, engine: engineOfTask(task), task });
  }

  const recorded = newlyStoppedTasks({ ledger, tasks, now: input.now, stableAfterMs: input.options.stableAfterMs, engineOutageOf: input.engineOutageOf, launching: input.launching });
  if (recorded.length) actions.push({ type: 'recordStopped', group, stopped: recorded });

  if (plan.remove.length) log.info({ tasks: plan.remove }, 'removing stopped tasks');
  for (const taskId of plan.remove) {
    const task = tasks.find((t) => t.taskId === taskId)!;
    actions.push({ type: 'removeTask', group, engine: engineOfTask(task), task });
  }

  // Stop requests of tasks whose containers are all gone are settled; a request made
  // after the list may be for a task still being launched, so it waits for the next pass.
  const remaining = new Set(tasks.filter((t) => !plan.remove.includes(t.taskId)).map((t) => t.taskId));
  for (const [taskId, request] of Object.entries(requests)) {
    if (!remaining.has(taskId) && request.requestedAt <= input.listedAt) actions.push({ type: 'settleStopRequest', group, taskId });
  }
  if (ownerGone && remaining.size === 0) actions.push({ type: 'dropGroup', group, unlessDefined: { kind: owner, name: parsed.name } });

  if (plan.remove.length || recorded.length) {
    if (parsed) actions.push({ type: 'enqueue', key: key(owner, parsed.name) });
    const clusters = new Set(tasks.map((t) => t.cluster));
    for (const cluster of clusters) actions.push({ type: 'enqueue', key: key('Cluster', cluster) });
  }
  const result: ReconcileResult = { actions };
  if (plan.requeueAfterMs !== undefined) result.requeueAfterMs = plan.requeueAfterMs;
  return result;
}
