import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, WorkQueue } from '../../controller/manager/queue.js';
/** A clock whose timers fire only when the test advances it. */
function manualClock() {
    let now = 0;
    let timers = [];
    let nextId = 0;
    return {
        now: () => now,
        setTimeout: (callback, ms) => {
            const id = nextId++;
            timers.push({ at: now + ms, callback, id });
            return id;
        },
        clearTimeout: (handle) => {
            timers = timers.filter((t) => t.id !== handle);
        },
        advance(ms) {
            now += ms;
            const due = timers.filter((t) => t.at <= now);
            timers = timers.filter((t) => t.at > now);
            for (const t of due)
                t.callback();
        },
    };
}
test('backoffDelay doubles from the base and stops at the cap', () => {
    assert.deepEqual([1, 2, 5, 9, 10, 50].map((n) => backoffDelay(n, 100, 30_000)), [100, 200, 1600, 25_600, 30_000, 30_000]);
});
test('a key is held once, and a key added while processing runs once more after', async () => {
    const queue = new WorkQueue({ clock: manualClock() });
    queue.add('Service/a');
    queue.add('Service/a');
    queue.add('Service/b');
    assert.equal(queue.length, 2);
    const first = await queue.get();
    assert.equal(first, 'Service/a');
    queue.add('Service/a'); // while processing: marked dirty, not handed to a second worker
    assert.equal(await queue.get(), 'Service/b');
    assert.equal(queue.length, 0);
    queue.done('Service/a');
    assert.equal(await queue.get(), 'Service/a');
});
test('failures back off per key; forget resets', () => {
    const clock = manualClock();
    const queue = new WorkQueue({ clock, baseDelayMs: 100, maxDelayMs: 1000 });
    assert.equal(queue.addRateLimited('k'), 100);
    assert.equal(queue.addRateLimited('k'), 200);
    assert.equal(queue.length, 0);
    clock.advance(100);
    assert.equal(queue.length, 1, 'earlier schedule wins');
    queue.forget('k');
    assert.equal(queue.addRateLimited('k'), 100);
    assert.equal(queue.addRateLimited('other'), 100, 'backoff is per key');
});
test('shutdown releases waiting workers', async () => {
    const queue = new WorkQueue({ clock: manualClock() });
    const waiting = queue.get();
    queue.shutdown();
    assert.equal(await waiting, undefined);
});
//# sourceMappingURL=queue.test.js.map