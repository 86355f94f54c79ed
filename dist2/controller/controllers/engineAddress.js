/** The address the executor finds an engine's runtime by. */
export function engineAddress(ctx, runtime) {
    return ctx.engines.all().find((e) => e.runtime === runtime)?.address ?? runtime.engine;
}
/** Each listed container's engine address, for the actions. */
export function engineAddresses(ctx, runtimeOf) {
    const addresses = new Map(ctx.engines.all().map(({ address, runtime }) => [runtime, address]));
    return (containerId) => {
        const runtime = runtimeOf.get(containerId);
        return runtime && addresses.get(runtime);
    };
}
//# sourceMappingURL=engineAddress.js.map