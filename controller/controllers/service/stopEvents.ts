import type { StoppedTask } from '../../state/ledger.js';

/**
 * The service events for tasks found stopped, in ECS's words: one per task that failed,
 * and one for all the tasks their engine stopped by going away (the same reason for all
 * of one outage; not failures). Told by whichever reconcile records the stops first, the
 * service's or the retirement's, so the events do not depend on which one saw them.
 */
export function stoppedTaskEvents(service: string, stopped: readonly StoppedTask[]): string[] {
  const events = stopped
    .filter((task) => task.failed)
    .map((task) => {
      const exit = task.containers.find((c) => c.exitCode !== undefined);
      return `(service ${service}) task ${task.taskId} stopped: ${task.stoppedReason}${exit ? ` (container ${exit.name} exit code ${exit.exitCode})` : ''}.`;
    });
  const byEngine = stopped.filter((task) => task.byEngine);
  if (byEngine.length > 0) {
    const ids = byEngine.map((task) => `(task ${task.taskId})`).join(' ');
    events.push(`(service ${service}) ${byEngine.length} tasks were stopped by their engine: ${ids}. ${byEngine[0]!.stoppedReason}.`);
  }
  return events;
}
