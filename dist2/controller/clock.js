export const systemClock = {
    now: () => Date.now(),
    setTimeout: (callback, ms) => {
        const handle = setTimeout(callback, ms);
        handle.unref?.();
        return handle;
    },
    clearTimeout: (handle) => clearTimeout(handle),
};
export function isoTime(ms) {
    return new Date(ms).toISOString();
}
//# sourceMappingURL=clock.js.map