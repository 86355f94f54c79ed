import { Subject, type Observable, type Subscription } from 'rxjs';
import type { Engine } from './kinds/index.js';
import type { Logger } from './log.js';
import type { Runtime, RuntimeEvent } from './runtime/runtime.js';

/** The capacity provider every cluster can use without a manifest: the local Docker engine. */
export const LOCAL_PROVIDER = 'local';

export type RuntimeFactory = (options: { provider: string; engine: Engine | undefined; logger: Logger }) => Runtime;

export interface EngineEvent {
  /** The engine's address: one per Docker engine, however many providers name it. */
  address: string;
  event: RuntimeEvent;
}

interface EngineEntry {
  runtime: Runtime;
  subscription: Subscription;
  providers: Set<string>;
}

/**
 * The address an engine is reached at, so two providers naming the same engine
 * (the built-in `local` and a provider with socketPath /var/run/docker.sock) share
 * one runtime: its containers are listed, and acted on, once.
 */
export function engineAddress(engine: Engine | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (engine?.socketPath) return `unix://${engine.socketPath}`;
  if (engine?.host) return engine.host;
  return env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}

/**
 * One runtime per Docker engine, made when the first capacity provider names it
 * and closed when the last one stops naming it. Events of all engines come out merged.
 */
export class EnginePool {
  private readonly engines = new Map<string, EngineEntry>();
  private readonly providers = new Map<string, string>();
  private readonly eventsSubject = new Subject<EngineEvent>();
  readonly events: Observable<EngineEvent> = this.eventsSubject.asObservable();

  constructor(private readonly options: { factory: RuntimeFactory; logger: Logger }) {}

  /** The runtime of a provider, creating or switching it to match `engine`. */
  ensure(provider: string, engine: Engine | undefined): Runtime {
    const address = engineAddress(engine);
    const previous = this.providers.get(provider);
    if (previous !== undefined && previous !== address) {
      this.release(provider).catch((error: unknown) => this.options.logger.warn({ engine: previous, err: error }, 'closing the previous engine failed'));
    }
    this.providers.set(provider, address);
    let entry = this.engines.get(address);
    if (!entry) {
      const runtime = this.options.factory({ provider, engine, logger: this.options.logger });
      const subscription = runtime.events().subscribe({
        next: (event) => this.eventsSubject.next({ address, event }),
        error: (error: unknown) => this.options.logger.error({ engine: address, err: error }, 'engine event stream failed'),
      });
      entry = { runtime, subscription, providers: new Set() };
      this.engines.set(address, entry);
    }
    entry.providers.add(provider);
    return entry.runtime;
  }

  get(provider: string): Runtime | undefined {
    const address = this.providers.get(provider);
    return address === undefined ? undefined : this.engines.get(address)?.runtime;
  }

  /** Every engine once, whichever providers name it. */
  all(): Array<{ address: string; runtime: Runtime }> {
    return [...this.engines.entries()].map(([address, { runtime }]) => ({ address, runtime }));
  }

  /** The provider no longer exists; its engine closes when no other provider names it. */
  async remove(provider: string): Promise<void> {
    await this.release(provider);
  }

  private async release(provider: string): Promise<void> {
    const address = this.providers.get(provider);
    this.providers.delete(provider);
    const entry = address === undefined ? undefined : this.engines.get(address);
    if (!entry || address === undefined) return;
    entry.providers.delete(provider);
    if (entry.providers.size > 0) return;
    this.engines.delete(address);
    entry.subscription.unsubscribe();
    await entry.runtime.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.providers.keys()].map((provider) => this.release(provider)));
    this.eventsSubject.complete();
  }
}
