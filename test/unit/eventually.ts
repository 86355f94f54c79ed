/** Polls `probe` (sync or async) every 10 ms until it gives a value other than undefined/false; fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => T | undefined | false | PromiseLike<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
