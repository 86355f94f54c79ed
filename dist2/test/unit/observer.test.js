import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { filter, firstValueFrom } from 'rxjs';
import { ObservedEngine } from '../../controller/observer/engineCache.js';
import { ForwardingRuntime } from '../../controller/runtime/forwarding.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
/** The engine under the cache, counting the calls that read containers and able to lose events. */
class CountingEngine extends ForwardingRuntime {
    lists = 0;
    inspects = 0;
    /** Events of these containers never arrive, as when a stream drops them. */
    lost = new Set();
    listSummaries(labels) {
        this.lists++;
        return super.listSummaries(labels);
    }
    inspect(id) {
        this.inspects++;
        return super.inspect(id);
    }
    events() {
        return super.events().pipe(filter((event) => event.type !== 'container' || !this.lost.has(event.id)));
    }
}
function spec(name, overrides = {}) {
    return {
        name,
        image: 'berth/busybox:1',
        env: {},
        labels: { [LABEL.managed]: 'true', [LABEL.group]: 'service:web', [LABEL.container]: name },
        ports: [],
        network: 'bridge',
        ...overrides,
    };
}
const HEALTH_CHECK = { test: ['CMD-SHELL', 'true'], intervalSeconds: 5, timeoutSeconds: 2, retries: 3, startPeriodSeconds: 0 };
/** An observed engine that follows its events, as a controller's pool does. */
function observedEngine() {
    const memory = new MemoryRuntime();
    const engine = new CountingEngine(memory);
    const observed = new ObservedEngine(engine);
    const events = [];
    const following = observed.events().subscribe((event) => events.push(event));
    return { memory, engine, observed, events, close: () => following.unsubscribe() };
}
async function run(observed, containerSpec) {
    const id = await observed.create(containerSpec);
    await observed.start(id);
    return id;
}
/** The read a reconcile makes when the first event `match` accepts queues it. */
function readWokenBy(observed, match) {
    return firstValueFrom(observed.events().pipe(filter(match))).then(() => observed.list({ [LABEL.group]: 'service:web' }));
}
describe('observer: one cache per engine, kept by its events', () => {
    test('a read woken by an event sees that event: health from health_status, an exit from die', async () => {
        const { memory, observed, close } = observedEngine();
        try {
            const id = await run(observed, spec('app', { healthCheck: HEALTH_CHECK }));
            assert.equal((await observed.list())[0]?.health, 'starting', 'the cache holds the container, health still starting');
            const afterHealth = readWokenBy(observed, (e) => e.type === 'container' && e.action.startsWith('health_status'));
            memory.setHealth(id, 'healthy');
            assert.equal((await afterHealth)[0]?.health, 'healthy', 'the read the health_status event woke sees the new health');
            const afterDie = readWokenBy(observed, (e) => e.type === 'container' && e.action === 'die');
            memory.exit(id, 3);
            const [exited] = await afterDie;
            assert.equal(exited?.state, 'exited', 'the read the die event woke sees the exit');
            assert.equal(exited?.exitCode, 3);
        }
        finally {
            close();
        }
    });
    test('while nothing changes, reads ask the engine nothing', async () => {
        const { observed, engine, close } = observedEngine();
        try {
            await run(observed, spec('app'));
            await observed.list();
            const before = { lists: engine.lists, inspects: engine.inspects };
            for (let i = 0; i < 20; i++)
                await observed.list({ [LABEL.group]: 'service:web' });
            assert.deepEqual({ lists: engine.lists, inspects: engine.inspects }, before);
        }
        finally {
            close();
        }
    });
    test('a change made through it is seen by the next read, before its events, and only that container is inspected again', async () => {
        const { observed, engine, close } = observedEngine();
        try {
            const [a, b] = [await run(observed, spec('a')), await run(observed, spec('b'))];
            await observed.list();
            const inspects = engine.inspects;
            // Its events are late (here: never come): the change itself marks it.
            engine.lost.add(a);
            await observed.stop(a, { timeoutSeconds: 0 });
            const states = Object.fromEntries((await observed.list()).map((c) => [c.id, c.state]));
            assert.deepEqual(states, { [a]: 'exited', [b]: 'running' });
            assert.equal(engine.inspects - inspects, 1, 'only the stopped container was inspected');
        }
        finally {
            close();
        }
    });
    test('an event lost on the way is repaired by the periodic relist', async () => {
        const { memory, observed, engine, close } = observedEngine();
        try {
            const id = await run(observed, spec('app'));
            await observed.list();
            engine.lost.add(id);
            memory.kill(id);
            assert.equal((await observed.list())[0]?.state, 'running', 'without its events the cache cannot know');
            assert.equal((await observed.relist())[0]?.state, 'exited', 'the relist finds the exit');
        }
        finally {
            close();
        }
    });
    test('while the engine is away reads fail as the engine does; on its return the cache lists it again', async () => {
        const { memory, observed, events, close } = observedEngine();
        try {
            const id = await run(observed, spec('app'));
            const gone = await run(observed, spec('gone'));
            await observed.list();
            memory.setDown(true);
            await assert.rejects(observed.list(), /unreachable/);
            // Meanwhile its containers change, and nobody is told.
            memory.kill(id);
            memory.setDown(false);
            await memory.remove(gone);
            assert.ok(events.some((e) => e.type === 'resync'), 'its return was told');
            const states = Object.fromEntries((await observed.list()).map((c) => [c.labels[LABEL.container], c.state]));
            assert.deepEqual(states, { app: 'exited' }, 'the exit during the outage is found, and the container removed since is gone');
        }
        finally {
            close();
        }
    });
    test('unfollowed, every read lists and inspects afresh', async () => {
        const memory = new MemoryRuntime();
        const engine = new CountingEngine(memory);
        const observed = new ObservedEngine(engine);
        const id = await run(observed, spec('app'));
        assert.equal((await observed.list())[0]?.state, 'running');
        memory.kill(id);
        assert.equal((await observed.list())[0]?.state, 'exited');
        assert.equal(engine.lists, 2);
    });
});
//# sourceMappingURL=observer.test.js.map