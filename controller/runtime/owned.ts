import { filter, type Observable } from 'rxjs';
import { ForwardingRuntime } from './forwarding.js';
import { LABEL } from './labels.js';
import type { ContainerDescription, ContainerSpec, ContainerSummary, HostPortInUse, ObservedContainer, ObservedVolume, Runtime, RuntimeEvent, VolumeOptions } from './runtime.js';

/**
 * One controller's view of an engine: containers it creates carry its owner label,
 * and it lists, inspects and hears about only those. Two controllers with different
 * manifests directories can then share an engine without ever adopting, stopping or
 * removing each other's tasks.
 */
export class OwnedRuntime extends ForwardingRuntime {
  constructor(
    inner: Runtime,
    private readonly owner: string,
  ) {
    super(inner);
  }

  override list(labels: Readonly<Record<string, string>> = {}): Promise<ObservedContainer[]> {
    return this.inner.list({ ...labels, [LABEL.owner]: this.owner });
  }

  override listSummaries(labels: Readonly<Record<string, string>> = {}): Promise<ContainerSummary[]> {
    return this.inner.listSummaries({ ...labels, [LABEL.owner]: this.owner });
  }

  override async inspect(id: string): Promise<ObservedContainer | undefined> {
    const container = await this.inner.inspect(id);
    return container?.labels[LABEL.owner] === this.owner ? container : undefined;
  }

  override create(spec: ContainerSpec): Promise<string> {
    return super.create({ ...spec, labels: { ...spec.labels, [LABEL.owner]: this.owner } });
  }

  /** Volumes it creates carry its owner label too, so it lists and cleans only its own. */
  override ensureVolume(name: string, options: VolumeOptions): Promise<void> {
    return this.inner.ensureVolume(name, { ...options, labels: { ...options.labels, [LABEL.owner]: this.owner } });
  }

  override listVolumes(labels: Readonly<Record<string, string>> = {}): Promise<ObservedVolume[]> {
    return this.inner.listVolumes({ ...labels, [LABEL.owner]: this.owner });
  }

  override events(): Observable<RuntimeEvent> {
    // Resyncs and the engine's reachability concern every owner; container events only their own.
    return this.inner.events().pipe(filter((event) => event.type !== 'container' || event.labels[LABEL.owner] === this.owner));
  }

  override async describe(id: string): Promise<ContainerDescription | undefined> {
    const container = await this.inner.describe(id);
    return container?.labels[LABEL.owner] === this.owner ? container : undefined;
  }

  override async stats(id: string): Promise<Record<string, unknown> | undefined> {
    return (await this.inspect(id)) ? this.inner.stats(id) : undefined;
  }

  /** Engine-wide, whoever owns the holder: a port another controller holds is taken all the same. */
  override hostPortsInUse(): Promise<HostPortInUse[]> {
    return this.inner.hostPortsInUse();
  }
}
