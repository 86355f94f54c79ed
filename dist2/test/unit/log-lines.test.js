import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerLogDecoder, logTimeFromMs, logTimeToUnixSeconds, normalizeLogTime, sinceParameter, } from '../../controller/runtime/logLines.js';
/** One frame of Docker's multiplexed stream: type byte, three zero bytes, big-endian length, payload. */
function frame(type, text) {
    const payload = Buffer.from(text, 'utf8');
    const header = Buffer.alloc(8);
    header[0] = type;
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
}
describe('DockerLogDecoder', () => {
    test('demultiplexes frames cut anywhere, even inside a header or a multi-byte character', () => {
        const bytes = Buffer.concat([
            frame(1, '2025-01-01T10:00:00.1Z café au lait\n'),
            frame(2, '2025-01-01T10:00:00.123456789Z oops\n'),
            frame(1, '2025-01-01T10:00:01Z \n'),
        ]);
        for (const cuts of [[3], [8, 20], [bytes.indexOf(Buffer.from('é')) + 1], Array.from({ length: bytes.length }, (_, i) => i)]) {
            const decoder = new DockerLogDecoder({ multiplexed: true });
            const lines = [];
            let from = 0;
            for (const cut of [...cuts, bytes.length]) {
                lines.push(...decoder.push(bytes.subarray(from, cut)));
                from = cut;
            }
            lines.push(...decoder.end());
            assert.deepEqual(lines, [
                { stream: 'stdout', time: '2025-01-01T10:00:00.100000000Z', line: 'café au lait' },
                { stream: 'stderr', time: '2025-01-01T10:00:00.123456789Z', line: 'oops' },
                { stream: 'stdout', time: '2025-01-01T10:00:01.000000000Z', line: '' },
            ], `cut at ${cuts.length} places`);
        }
    });
    test('a line split over two frames is one line; a last line without newline comes at the end', () => {
        const decoder = new DockerLogDecoder({ multiplexed: true });
        assert.deepEqual(decoder.push(frame(1, '2025-01-01T10:00:00Z hel')), []);
        assert.deepEqual(decoder.push(frame(1, 'lo\n2025-01-01T10:00:02Z tail')), [
            { stream: 'stdout', time: '2025-01-01T10:00:00.000000000Z', line: 'hello' },
        ]);
        assert.deepEqual(decoder.end(), [{ stream: 'stdout', time: '2025-01-01T10:00:02.000000000Z', line: 'tail' }]);
    });
    test('a terminal’s raw stream is stdout, and carriage returns are dropped', () => {
        const decoder = new DockerLogDecoder({ multiplexed: false });
        assert.deepEqual(decoder.push(Buffer.from('2025-01-01T10:00:00.5Z one\r\n2025-01-01T10:00:00.6Z two\r\n')), [
            { stream: 'stdout', time: '2025-01-01T10:00:00.500000000Z', line: 'one' },
            { stream: 'stdout', time: '2025-01-01T10:00:00.600000000Z', line: 'two' },
        ]);
    });
});
describe('log times', () => {
    test('nine fractional digits make string order time order', () => {
        const a = normalizeLogTime('2025-01-01T10:00:00.49Z');
        const b = normalizeLogTime('2025-01-01T10:00:00.5Z');
        assert.ok(a < b);
        assert.equal(normalizeLogTime('2025-01-01T12:00:00.5+02:00'), '2025-01-01T10:00:00.500000000Z');
        assert.equal(normalizeLogTime('not a time'), undefined);
        assert.equal(logTimeFromMs(Date.parse('2025-01-01T10:00:00.250Z')), '2025-01-01T10:00:00.250000000Z');
    });
    test('since is sent as seconds.nanoseconds, the form the engine parses exactly', () => {
        assert.equal(sinceParameter(1735725600), '1735725600.000000000');
        assert.equal(sinceParameter(1735725600.25), '1735725600.250000000');
        const seconds = logTimeToUnixSeconds('2025-01-01T10:00:00.123456789Z');
        assert.equal(Math.floor(seconds), 1735725600);
        assert.ok(Math.abs(seconds - 1735725600.123457) < 1e-5);
    });
});
//# sourceMappingURL=log-lines.test.js.map