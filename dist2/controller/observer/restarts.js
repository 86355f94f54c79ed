import { LABEL } from '../runtime/labels.js';
export function restartPolicyOf(container) {
    const raw = container.labels[LABEL.restartPolicy];
    if (!raw)
        return undefined;
    try {
        return JSON.parse(raw);
    }
    catch {
        return undefined;
    }
}
/**
 * Whether an exited container is restarted in place (ECS restartPolicy): its policy is
 * enabled, its exit code is not ignored, and it ran at least restartAttemptPeriod
 * seconds since it last started, so a container that keeps failing early is not
 * restarted over and over. Pure: the engine's start and finish times decide.
 */
export function restartsInPlace(container) {
    const policy = restartPolicyOf(container);
    if (!policy)
        return false;
    if (container.state !== 'exited' || container.exitCode === undefined || container.error)
        return false;
    if (policy.ignoredExitCodes.includes(container.exitCode))
        return false;
    if (!container.startedAt || !container.finishedAt)
        return false;
    const ranMs = Date.parse(container.finishedAt) - Date.parse(container.startedAt);
    return ranMs >= policy.restartAttemptPeriod * 1000;
}
//# sourceMappingURL=restarts.js.map