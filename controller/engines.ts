import { Subject, type Observable, type Subscription } from 'rxjs';
import type { Engine } from './kinds/index.js';
import type { Logger } from './log.js';
import type { Runtime, RuntimeEvent } from './runtime/runtime.js';

/** The capacity provider every cluster can use without a manifest: the local Docker engine. */
export const LOCAL_PROVIDER = 'local';

export type RuntimeFactory = (options: { provider: string; engine: Engine | undefined; logger: Logger }) => Runtime;

export interface ProviderEvent {
  provider: string;
  event: RuntimeEvent;
}

/**
 * One runtime per capacity provider's engine, created when a provider appears and
 * replaced when its engine address changes. Events of all engines come out merged.
 */
export class EnginePool {
  private readonly runtimes = new Map<string, { runtime: Runtime; address: string; subscription: Subscription }>();
  private readonly eventsSubject = new Subject<ProviderEvent>();
  readonly events: Observable<ProviderEvent> = this.eventsSubject.asObservable();

  constructor(private readonly options: { factory: RuntimeFactory; logger: Logger }) {}

  /** The runtime of a provider, creating or replacing it to match `engine`. */
  ensure(provider: string, engine: Engine | undefined): Runtime {
    const address = JSON.stringify(engine ?? {});
    const existing = this.runtimes.get(provider);
    if (existing && existing.address === address) return existing.runtime;
    if (existing) void this.remove(provider);
    const runtime = this.options.factory({ provider, engine, logger: this.options.logger });
    const subscription = runtime.events().subscribe({
      next: (event) => this.eventsSubject.next({ provider, event }),
      error: (error: unknown) => this.options.logger.error({ provider, err: error }, 'engine event stream failed'),
    });
    this.runtimes.set(provider, { runtime, address, subscription });
    return runtime;
  }

  get(provider: string): Runtime | undefined {
    return this.runtimes.get(provider)?.runtime;
  }

  all(): Array<{ provider: string; runtime: Runtime }> {
    return [...this.runtimes.entries()].map(([provider, { runtime }]) => ({ provider, runtime }));
  }

  async remove(provider: string): Promise<void> {
    const entry = this.runtimes.get(provider);
    if (!entry) return;
    this.runtimes.delete(provider);
    entry.subscription.unsubscribe();
    await entry.runtime.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.runtimes.keys()].map((provider) => this.remove(provider)));
    this.eventsSubject.complete();
  }
}
