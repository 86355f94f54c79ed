/**
 * A runtime that hands every call to another one: the base of the views of an engine that
 * add one thing (an owner's labels, the observer's cache) and override only that.
 * `containerChanged` hears of each container change made through it, once the engine
 * answered (or refused).
 */
export class ForwardingRuntime {
    inner;
    constructor(inner) {
        this.inner = inner;
    }
    get engine() {
        return this.inner.engine;
    }
    /** A container was created, started, stopped or removed through this runtime. */
    containerChanged(_id) { }
    ping() {
        return this.inner.ping();
    }
    list(labels) {
        return this.inner.list(labels);
    }
    listSummaries(labels) {
        return this.inner.listSummaries(labels);
    }
    inspect(id) {
        return this.inner.inspect(id);
    }
    async create(spec) {
        const id = await this.inner.create(spec);
        this.containerChanged(id);
        return id;
    }
    start(id) {
        return this.changing(id, () => this.inner.start(id));
    }
    stop(id, options) {
        return this.changing(id, () => this.inner.stop(id, options));
    }
    remove(id) {
        return this.changing(id, () => this.inner.remove(id));
    }
    hasImage(ref) {
        return this.inner.hasImage(ref);
    }
    pull(ref, auth) {
        return this.inner.pull(ref, auth);
    }
    ensureNetwork(name, labels) {
        return this.inner.ensureNetwork(name, labels);
    }
    ensureVolume(name, options) {
        return this.inner.ensureVolume(name, options);
    }
    hasVolume(name) {
        return this.inner.hasVolume(name);
    }
    prepareVolumeDirectory(volume, request) {
        return this.inner.prepareVolumeDirectory(volume, request);
    }
    removeVolume(name) {
        return this.inner.removeVolume(name);
    }
    listVolumes(labels) {
        return this.inner.listVolumes(labels);
    }
    events() {
        return this.inner.events();
    }
    logs(id, options) {
        return this.inner.logs(id, options);
    }
    networkGateway(name) {
        return this.inner.networkGateway(name);
    }
    describe(id) {
        return this.inner.describe(id);
    }
    stats(id) {
        return this.inner.stats(id);
    }
    hostPortsInUse() {
        return this.inner.hostPortsInUse();
    }
    close() {
        return this.inner.close();
    }
    async changing(id, change) {
        try {
            await change();
        }
        finally {
            this.containerChanged(id);
        }
    }
}
//# sourceMappingURL=forwarding.js.map