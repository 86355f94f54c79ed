/**
 * fetch with a deadline whose timer keeps the process alive. AbortSignal.timeout's timer
 * is unref'd: a request whose connection the engine's port proxy accepted and then left
 * idle holds no other handle, so the test process could run out of work with the request
 * still pending and every remaining test cancelled ("Promise resolution is still pending
 * but the event loop has already resolved").
 */
export async function fetchWithin(url, ms, init = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer from ${url} within ${ms} ms`)), ms);
    try {
        const response = await fetch(url, { ...init, signal: controller.signal });
        // The body is read under the same deadline: keep the timer until it is consumed.
        const body = await response.arrayBuffer();
        return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    finally {
        clearTimeout(timer);
    }
}
//# sourceMappingURL=fetchWithin.js.map