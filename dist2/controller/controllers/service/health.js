import { LABEL } from '../../runtime/labels.js';
/**
 * Whether a task counts as healthy for a rollout, as ECS counts it: RUNNING, and when
 * any of its essential containers has a health check, HEALTHY. A task without health
 * checks is healthy once it runs; one still in its start period is not yet.
 */
export function countsHealthy(task) {
    if (task.lastStatus !== 'RUNNING')
        return false;
    const checked = task.containers.some((c) => c.labels[LABEL.essential] !== 'false' && c.labels[LABEL.healthCheck] === 'true');
    return !checked || task.healthStatus === 'HEALTHY';
}
//# sourceMappingURL=health.js.map