import type { Runtime } from '../runtime/runtime.js';
import type { EnginePool } from '../engines.js';

/** The address the executor finds an engine's runtime by. */
export function engineAddress(ctx: { engines: Pick<EnginePool, 'all'> }, runtime: Runtime): string {
  return ctx.engines.all().find((e) => e.runtime === runtime)?.address ?? runtime.engine;
}

/** Each listed container's engine address, for the actions. */
export function engineAddresses(ctx: { engines: Pick<EnginePool, 'all'> }, runtimeOf: ReadonlyMap<string, Runtime>): (containerId: string) => string | undefined {
  const addresses = new Map(ctx.engines.all().map(({ address, runtime }) => [runtime, address]));
  return (containerId) => {
    const runtime = runtimeOf.get(containerId);
    return runtime && addresses.get(runtime);
  };
}
