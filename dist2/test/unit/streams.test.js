import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { Subject } from 'rxjs';
import { createLogger } from '../../controller/log.js';
import { guardedObserver } from '../../controller/streams.js';
describe('guardedObserver', () => {
    test('a value whose handling throws is logged and the stream goes on; a stream error is logged, not thrown', async () => {
        const logged = [];
        const destination = new Writable({
            write(chunk, _encoding, done) {
                logged.push(chunk.toString());
                done();
            },
        });
        const logger = createLogger({ level: 'error', destination });
        const subject = new Subject();
        const handled = [];
        subject.subscribe(guardedObserver({
            logger,
            stream: 'numbers',
            next: (value) => {
                if (value === 2)
                    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
                handled.push(value);
            },
        }));
        subject.next(1);
        subject.next(2);
        subject.next(3);
        subject.error(new Error('engine gone'));
        // rxjs reports an unhandled subscriber error on a timer: give it that turn before concluding.
        await new Promise((resolve) => setTimeout(resolve, 20));
        assert.deepEqual(handled, [1, 3]);
        assert.equal(logged.length, 2);
        assert.match(logged[0], /ENOSPC/);
        assert.match(logged[0], /"stream":"numbers"/);
        assert.match(logged[1], /engine gone/);
    });
});
//# sourceMappingURL=streams.test.js.map