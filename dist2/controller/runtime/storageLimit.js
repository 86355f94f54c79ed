import { EngineError } from './runtime.js';
/** Drivers that take a size whatever file system they sit on. */
const SIZING_DRIVERS = new Set(['btrfs', 'zfs', 'devicemapper', 'windowsfilter']);
/** Drivers that take a size only on xfs mounted with project quotas (pquota). */
const XFS_QUOTA_DRIVERS = new Set(['overlay2', 'overlay', 'vfs']);
/**
 * What `docker info` tells of an engine's storage: overlay2 on extfs cannot limit a
 * container's size, btrfs can. overlay2 on xfs can only when the file system is mounted
 * with pquota, which `docker info` does not say: it is taken as able, and the engine's
 * first refusal teaches otherwise (learnWritableLayerRefusal). An engine that names no
 * driver is tried too.
 */
export function writableLayerLimitOf(info) {
    const driver = info.storageDriver;
    if (driver === undefined || SIZING_DRIVERS.has(driver))
        return { limits: true };
    if (XFS_QUOTA_DRIVERS.has(driver) && info.backingFilesystem === 'xfs')
        return { limits: true };
    const on = info.backingFilesystem ? ` on ${info.backingFilesystem}` : '';
    return { limits: false, reason: `its storage driver ${driver}${on} cannot limit a container's size` };
}
/** The engine's refusal of a size limit: "--storage-opt is supported only for overlay over xfs with 'pquota' mount option". */
export function isWritableLayerRefusal(error) {
    return error instanceof EngineError && /storage-opt|storage opt/i.test(error.engineMessage);
}
/**
 * What each engine was found to be, once: its storage driver does not change while it
 * answers at the same address. A failed ping is not kept, so the next launch asks again.
 */
const known = new WeakMap();
/** Whether containers on this engine can be given a writable layer size; asks the engine once. */
export async function writableLayerLimit(runtime) {
    const cached = known.get(runtime);
    if (cached)
        return cached;
    let info;
    try {
        info = await runtime.ping();
    }
    catch {
        // The create that follows fails its own way, or teaches by its refusal.
        return { limits: true };
    }
    const verdict = writableLayerLimitOf(info);
    known.set(runtime, verdict);
    return verdict;
}
/** Remembers that the engine refused a size limit, so no later task of any service asks it again. */
export function learnWritableLayerRefusal(runtime, refusal) {
    const verdict = { limits: false, reason: `it refused a size limit: ${refusal.engineMessage}` };
    known.set(runtime, verdict);
    return verdict;
}
//# sourceMappingURL=storageLimit.js.map