import { ObservedEngine } from './engineCache.js';
/**
 * The only ways the stages above the observer read what runs on an engine. A pool's
 * runtime is an ObservedEngine (see manager/wiring.ts): these read its cache.
 */
/** The engine's berth containers whose labels hold every pair of `labels`, as its cache knows them. */
export function observedContainers(runtime, labels = {}) {
    return runtime.list(labels);
}
/**
 * Every berth container on the engine, listed afresh: the periodic repair of the cache, for
 * anything a missed event left behind. A runtime without a cache lists anyway.
 */
export function relistedContainers(runtime) {
    return runtime instanceof ObservedEngine ? runtime.relist() : runtime.list();
}
//# sourceMappingURL=query.js.map