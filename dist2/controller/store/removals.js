/**
 * How long a resource must stay missing before it is removed. Editors that move the old
 * file away before writing the new one, `git checkout`, rsync and config-map symlink
 * swaps all make a file disappear for a moment; removing its service on the spot would
 * stop and replace every one of its tasks.
 */
export const DEFAULT_REMOVAL_SETTLE_MS = 5000;
/**
 * Resources seen missing and not yet removed. Each waits `settleMs`; then `onDue` is
 * called once for everything that came due together, so that the store confirms them
 * with one read of the directory. A resource that turns up again is simply cancelled.
 */
export class RemovalSettler {
    options;
    pending = new Map();
    timers = new Set();
    constructor(options) {
        this.options = options;
    }
    /** Starts the wait for a key; a key already waiting keeps its start. False when it was already waiting. */
    begin(key, file) {
        if (this.pending.has(key))
            return false;
        this.pending.set(key, { key, file, since: this.options.clock.now() });
        this.arm(this.options.settleMs);
        return true;
    }
    /** The key is defined again: it is not removed. */
    cancel(key) {
        const removal = this.pending.get(key);
        this.pending.delete(key);
        return removal;
    }
    has(key) {
        return this.pending.has(key);
    }
    get size() {
        return this.pending.size;
    }
    list() {
        return [...this.pending.values()];
    }
    /** Removals missing for the whole settle period by now. */
    due() {
        const now = this.options.clock.now();
        return this.list().filter((removal) => now - removal.since >= this.options.settleMs);
    }
    /**
     * Every waiting key starts its wait again: after a hold is released the files of a
     * checkout in progress get a full settle period to come back.
     */
    restart() {
        const now = this.options.clock.now();
        for (const removal of this.pending.values())
            this.pending.set(removal.key, { ...removal, since: now });
        if (this.pending.size > 0)
            this.arm(this.options.settleMs);
    }
    close() {
        for (const timer of this.timers)
            this.options.clock.clearTimeout(timer);
        this.timers.clear();
    }
    arm(ms) {
        const timer = this.options.clock.setTimeout(() => {
            this.timers.delete(timer);
            this.options.onDue();
        }, ms);
        this.timers.add(timer);
    }
}
/**
 * Whether removing what is missing must wait for an operator, like Argo CD's `allowEmpty`:
 * a directory that holds no manifest at all is far more often a branch without the files,
 * a volume that did not mount or an `rm` in the wrong place than a wish to stop everything.
 *
 * - the directory cannot be listed (permissions, I/O error): always held, nothing is known;
 * - it is missing, or none of its files defines anything: held unless `allowEmpty`;
 * - otherwise: not held.
 */
export function removalHold(options) {
    const { dir, listing, allowEmpty, kept } = options;
    const keeps = `${kept} resource(s) are kept and nothing is stopped`;
    if (listing instanceof Error) {
        if (listing.code === 'ENOENT' && allowEmpty)
            return undefined;
        if (listing.code === 'ENOENT') {
            return { reason: 'ManifestsDirectoryUnreadable', message: `the manifests directory ${dir} is missing; ${keeps} until it is back (start the controller with --allow-empty to let a missing directory stop everything)` };
        }
        return { reason: 'ManifestsDirectoryUnreadable', message: `cannot read the manifests directory ${dir} (${listing.code ?? listing.message}); ${keeps} until it can be read` };
    }
    if (allowEmpty || options.definesAnything)
        return undefined;
    return { reason: 'ManifestsDirectoryEmpty', message: `the manifests directory ${dir} holds no manifests; ${keeps} until one appears (start the controller with --allow-empty to let an empty directory stop everything)` };
}
//# sourceMappingURL=removals.js.map