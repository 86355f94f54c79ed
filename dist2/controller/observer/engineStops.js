/**
 * For newlyStoppedTasks: the outage of the engine a task ran on that stopped it, if
 * one did. `runtimeOf` maps container ids to the engine they were listed on.
 */
export function engineOutageLookup(ctx, runtimeOf) {
    return (task) => {
        if (task.startedAt === undefined || task.stoppedAt === undefined)
            return undefined;
        const container = task.containers[0] ?? task.pause;
        const runtime = container && runtimeOf.get(container.id);
        return runtime && ctx.engines.outageOf(runtime, { startedAt: task.startedAt, stoppedAt: task.stoppedAt });
    };
}
//# sourceMappingURL=engineStops.js.map