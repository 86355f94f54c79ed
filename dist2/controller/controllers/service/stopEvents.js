/**
 * The service events for tasks found stopped, in ECS's words: one per task that failed,
 * and one for all the tasks their engine stopped by going away (the same reason for all
 * of one outage; not failures). Told by whichever reconcile records the stops first, the
 * service's or the retirement's, so the events do not depend on which one saw them.
 */
export function stoppedTaskEvents(service, stopped) {
    const events = stopped
        .filter((task) => task.failed)
        .map((task) => `(service ${service}) task ${task.taskId} stopped: ${task.stoppedReason}${culprit(task)}.`);
    const byEngine = stopped.filter((task) => task.byEngine);
    if (byEngine.length > 0) {
        const ids = byEngine.map((task) => `(task ${task.taskId})`).join(' ');
        events.push(`(service ${service}) ${byEngine.length} tasks were stopped by their engine: ${ids}. ${byEngine[0].stoppedReason}.`);
    }
    return events;
}
/**
 * " (container web …)" for the container that stopped the task: the unhealthy one when
 * health checks stopped it, else the one that exited with an error, else one that exited.
 * A sidecar that exited 0 long before (an init container) is never blamed for a stop it
 * had no part in.
 */
function culprit(task) {
    const unhealthy = task.containers.find((c) => c.healthStatus === 'UNHEALTHY');
    if (unhealthy)
        return ` (container ${unhealthy.name} is unhealthy)`;
    const exited = task.containers.filter((c) => c.exitCode !== undefined);
    const exit = exited.find((c) => c.exitCode !== 0) ?? exited[0];
    return exit ? ` (container ${exit.name} exit code ${exit.exitCode})` : '';
}
//# sourceMappingURL=stopEvents.js.map