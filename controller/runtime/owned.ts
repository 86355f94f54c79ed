import { filter, type Observable } from 'rxjs';
import { LABEL } from './labels.js';
import type { ContainerDescription, ContainerSpec, EngineInfo, HostPortInUse, LogLine, LogOptions, ObservedContainer, ObservedVolume, RegistryLogin, Runtime, RuntimeEvent, VolumeDirectoryRequest, VolumeOptions } from './runtime.js';

/**
 * One controller's view of an engine: containers it creates carry its owner label,
 * and it lists, inspects and hears about only those. Two controllers with different
 * manifests directories can then share an engine without ever adopting, stopping or
 * removing each other's tasks.
 */
export class OwnedRuntime implements Runtime {
  constructor(
    private readonly inner: Runtime,
    private readonly owner: string,
  ) {}

  get engine(): string {
    return this.inner.engine;
  }

  ping(): Promise<EngineInfo> {
    return this.inner.ping();
  }

  list(labels: Readonly<Record<string, string>> = {}): Promise<ObservedContainer[]> {
    return this.inner.list({ ...labels, [LABEL.owner]: this.owner });
  }

  async inspect(id: string): Promise<ObservedContainer | undefined> {
    const container = await this.inner.inspect(id);
    return container?.labels[LABEL.owner] === this.owner ? container : undefined;
  }

  create(spec: ContainerSpec): Promise<string> {
    return this.inner.create({ ...spec, labels: { ...spec.labels, [LABEL.owner]: this.owner } });
  }

  start(id: string): Promise<void> {
    return this.inner.start(id);
  }

  stop(id: string, options: { timeoutSeconds: number }): Promise<void> {
    return this.inner.stop(id, options);
  }

  remove(id: string): Promise<void> {
    return this.inner.remove(id);
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

  /** Volumes it creates carry its owner label too, so it lists and cleans only its own. */
  ensureVolume(name: string, options: VolumeOptions): Promise<void> {
    return this.inner.ensureVolume(name, { ...options, labels: { ...options.labels, [LABEL.owner]: this.owner } });
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

  listVolumes(labels: Readonly<Record<string, string>> = {}): Promise<ObservedVolume[]> {
    return this.inner.listVolumes({ ...labels, [LABEL.owner]: this.owner });
  }

  events(): Observable<RuntimeEvent> {
    // Resyncs and the engine's reachability concern every owner; container events only their own.
    return this.inner.events().pipe(filter((event) => event.type !== 'container' || event.labels[LABEL.owner] === this.owner));
  }

  logs(id: string, options: LogOptions): Observable<LogLine> {
    return this.inner.logs(id, options);
  }

  networkGateway(name: string): Promise<string | undefined> {
    return this.inner.networkGateway(name);
  }

  async describe(id: string): Promise<ContainerDescription | undefined> {
    const container = await this.inner.describe(id);
    return container?.labels[LABEL.owner] === this.owner ? container : undefined;
  }

  async stats(id: string): Promise<Record<string, unknown> | undefined> {
    return (await this.inspect(id)) ? this.inner.stats(id) : undefined;
  }

  /** Engine-wide, whoever owns the holder: a port another controller holds is taken all the same. */
  hostPortsInUse(): Promise<HostPortInUse[]> {
    return this.inner.hostPortsInUse();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
