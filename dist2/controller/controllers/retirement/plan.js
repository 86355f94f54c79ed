/**
 * Which tasks to stop and which stopped tasks to clean up. A stopped task's
 * containers are kept for inspection: the newest `keepStoppedContainers` of them,
 * for at most `retentionMs`; everything goes when the owner is gone. Pure.
 */
export function planRetirement(input) {
    const plan = { stop: [], remove: [] };
    const live = (t) => [...t.containers, ...(t.pause ? [t.pause] : [])].some((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting');
    for (const task of input.tasks) {
        if ((input.stopRequested.has(task.taskId) || input.ownerGone || task.lastStatus === 'STOPPING') && live(task))
            plan.stop.push(task.taskId);
    }
    const stopped = input.tasks
        .filter((t) => !live(t) && (t.lastStatus === 'STOPPED' || input.stopRequested.has(t.taskId) || input.ownerGone))
        .sort((a, b) => (b.stoppedAt ?? b.createdAt) - (a.stoppedAt ?? a.createdAt));
    let nextExpiry = Infinity;
    stopped.forEach((task, index) => {
        const expiresAt = (task.stoppedAt ?? input.now) + input.retentionMs;
        const neverStarted = task.lastStatus !== 'STOPPED';
        if (input.ownerGone || neverStarted || index >= input.keepStoppedContainers || expiresAt <= input.now)
            plan.remove.push(task.taskId);
        else
            nextExpiry = Math.min(nextExpiry, expiresAt);
    });
    if (Number.isFinite(nextExpiry))
        plan.requeueAfterMs = nextExpiry - input.now;
    return plan;
}
//# sourceMappingURL=plan.js.map