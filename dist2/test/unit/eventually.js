/** Polls `probe` (sync or async) every 10 ms until it gives a value other than undefined/false; fails after `timeoutMs`. */
export async function eventually(what, probe, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value !== undefined && value !== false)
            return value;
        if (Date.now() > deadline)
            throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}
//# sourceMappingURL=eventually.js.map