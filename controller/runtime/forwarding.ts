import type { Observable } from 'rxjs';
import type {
  ContainerDescription,
  ContainerSpec,
  ContainerSummary,
  EngineInfo,
  HostPortInUse,
  LogLine,
  LogOptions,
  ObservedContainer,
  ObservedVolume,
  RegistryLogin,
  Runtime,
  RuntimeEvent,
  VolumeDirectoryRequest,
  VolumeOptions,
} from './runtime.js';

/**
 * A runtime that hands every call to another one: the base of the views of an engine that
 * add one thing (an owner's labels, the observer's cache) and override only that.
 * `containerChanged` hears of each container change made through it, once the engine
 * answered (or refused).
 */
export class ForwardingRuntime implements Runtime {
  constructor(protected readonly inner: Runtime) {}

  get engine(): string {
    return this.inner.engine;
  }

  /** A container was created, started, stopped or removed through this runtime. */
  protected containerChanged(_id: string): void {}

  ping(): Promise<EngineInfo> {
    return this.inner.ping();
  }

  list(labels?: Readonly<Record<string, string>>): Promise<ObservedContainer[]> {
    return this.inner.list(labels);
  }

  listSummaries(labels?: Readonly<Record<string, string>>): Promise<ContainerSummary[]> {
    return this.inner.listSummaries(labels);
  }

  inspect(id: string): Promise<ObservedContainer | undefined> {
    return this.inner.inspect(id);
  }

  async create(spec: ContainerSpec): Promise<string> {
    const id = await this.inner.create(spec);
    this.containerChanged(id);
    return id;
  }

  start(id: string): Promise<void> {
    return this.changing(id, () => this.inner.start(id));
  }

  stop(id: string, options: { timeoutSeconds: number }): Promise<void> {
    return this.changing(id, () => this.inner.stop(id, options));
  }

  remove(id: string): Promise<void> {
    return this.changing(id, () => this.inner.remove(id));
  }

  hasImage(ref: string): Promise<boolean> {
    return this.inner.hasImage(ref);
  }

  pull(ref: string, auth?: RegistryLogin): Promise<void> {
    return this.inner.pull(ref, auth);
  }

  ensureNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    return this.inner.ensureNetwork(name, labels);
  }

  ensureVolume(name: string, options: VolumeOptions): Promise<void> {
    return this.inner.ensureVolume(name, options);
  }

  hasVolume(name: string): Promise<boolean> {
    return this.inner.hasVolume(name);
  }

  prepareVolumeDirectory(volume: string, request: VolumeDirectoryRequest): Promise<string> {
    return this.inner.prepareVolumeDirectory(volume, request);
  }

  removeVolume(name: string): Promise<void> {
    return this.inner.removeVolume(name);
  }

  listVolumes(labels?: Readonly<Record<string, string>>): Promise<ObservedVolume[]> {
    return this.inner.listVolumes(labels);
  }

  events(): Observable<RuntimeEvent> {
    return this.inner.events();
  }

  logs(id: string, options: LogOptions): Observable<LogLine> {
    return this.inner.logs(id, options);
  }

  networkGateway(name: string): Promise<string | undefined> {
    return this.inner.networkGateway(name);
  }

  describe(id: string): Promise<ContainerDescription | undefined> {
    return this.inner.describe(id);
  }

  stats(id: string): Promise<Record<string, unknown> | undefined> {
    return this.inner.stats(id);
  }

  hostPortsInUse(): Promise<HostPortInUse[]> {
    return this.inner.hostPortsInUse();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async changing(id: string, change: () => Promise<void>): Promise<void> {
    try {
      await change();
    } finally {
      this.containerChanged(id);
    }
  }
}
