import { filter } from 'rxjs';
import { ForwardingRuntime } from './forwarding.js';
import { LABEL } from './labels.js';
/**
 * One controller's view of an engine: containers it creates carry its owner label,
 * and it lists, inspects and hears about only those. Two controllers with different
 * manifests directories can then share an engine without ever adopting, stopping or
 * removing each other's tasks.
 */
export class OwnedRuntime extends ForwardingRuntime {
    owner;
    constructor(inner, owner) {
        super(inner);
        this.owner = owner;
    }
    list(labels = {}) {
        return this.inner.list({ ...labels, [LABEL.owner]: this.owner });
    }
    listSummaries(labels = {}) {
        return this.inner.listSummaries({ ...labels, [LABEL.owner]: this.owner });
    }
    async inspect(id) {
        const container = await this.inner.inspect(id);
        return container?.labels[LABEL.owner] === this.owner ? container : undefined;
    }
    create(spec) {
        return super.create({ ...spec, labels: { ...spec.labels, [LABEL.owner]: this.owner } });
    }
    /** Volumes it creates carry its owner label too, so it lists and cleans only its own. */
    ensureVolume(name, options) {
        return this.inner.ensureVolume(name, { ...options, labels: { ...options.labels, [LABEL.owner]: this.owner } });
    }
    listVolumes(labels = {}) {
        return this.inner.listVolumes({ ...labels, [LABEL.owner]: this.owner });
    }
    events() {
        // Resyncs and the engine's reachability concern every owner; container events only their own.
        return this.inner.events().pipe(filter((event) => event.type !== 'container' || event.labels[LABEL.owner] === this.owner));
    }
    async describe(id) {
        const container = await this.inner.describe(id);
        return container?.labels[LABEL.owner] === this.owner ? container : undefined;
    }
    async stats(id) {
        return (await this.inspect(id)) ? this.inner.stats(id) : undefined;
    }
    /** Engine-wide, whoever owns the holder: a port another controller holds is taken all the same. */
    hostPortsInUse() {
        return this.inner.hostPortsInUse();
    }
}
//# sourceMappingURL=owned.js.map