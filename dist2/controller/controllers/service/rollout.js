/**
 * Rollout arithmetic, as ECS defines it for the rolling-update deployment type.
 */
/**
 * The most tasks a service may run at once: floor(desired × maximumPercent / 100).
 * 10 desired at 200% → 20; 3 desired at 150% → 4 (4.5 rounded down); 1 desired at 200% → 2.
 */
export function maximumTasks(desiredCount, maximumPercent) {
    return Math.floor((desiredCount * maximumPercent) / 100);
}
/**
 * The fewest RUNNING tasks a service keeps while replacing or stopping tasks:
 * ceil(desired × minimumHealthyPercent / 100).
 * 10 desired at 100% → 10; 3 desired at 50% → 2 (1.5 rounded up); 0 desired → 0.
 */
export function minimumHealthyTasks(desiredCount, minimumHealthyPercent) {
    return Math.ceil((desiredCount * minimumHealthyPercent) / 100);
}
/**
 * How long the service waits before launching again after consecutive task
 * failures. The first failure is replaced at once (a task killed once is not a
 * crash loop); after that the delay doubles from `baseMs`, capped at `maxMs`.
 * With base 1 s and cap 300 s: 1 → 0, 2 → 1 s, 3 → 2 s, 4 → 4 s, 10 → 256 s, 11 → 300 s.
 */
export function launchDelay(consecutiveFailures, baseMs, maxMs) {
    if (consecutiveFailures <= 1)
        return 0;
    return Math.min(maxMs, baseMs * 2 ** Math.min(consecutiveFailures - 2, 30));
}
/** After this many consecutive failures the service says it cannot start tasks consistently, as ECS does. */
export const UNSTABLE_AFTER_FAILURES = 3;
//# sourceMappingURL=rollout.js.map