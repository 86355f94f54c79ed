import { StringDecoder } from 'node:string_decoder';
/** Docker's stream types in the 8-byte header of a multiplexed frame. */
const STREAM_TYPES = { 1: 'stdout', 2: 'stderr' };
const FRAME_HEADER_BYTES = 8;
const NANOS_PER_SECOND = 1_000_000_000;
/**
 * Turns the bytes of `GET /containers/{id}/logs?timestamps=true` into lines.
 *
 * Without a terminal the engine multiplexes stdout and stderr into frames (one byte of
 * stream type, three zero bytes, a big-endian length, the payload); with a terminal
 * (`Tty`) it sends the raw bytes, all of it on stdout, with "\r\n" line endings. Either
 * way every line starts with its RFC 3339 timestamp and a space. Chunks may be cut
 * anywhere: inside a header, a frame, a line or a multi-byte character.
 */
export class DockerLogDecoder {
    multiplexed;
    pendingBytes = Buffer.alloc(0);
    text = new Map();
    constructor(options) {
        this.multiplexed = options.multiplexed;
    }
    push(chunk) {
        if (!this.multiplexed)
            return this.pushText('stdout', chunk);
        this.pendingBytes = this.pendingBytes.length === 0 ? chunk : Buffer.concat([this.pendingBytes, chunk]);
        const lines = [];
        while (this.pendingBytes.length >= FRAME_HEADER_BYTES) {
            const size = this.pendingBytes.readUInt32BE(4);
            if (this.pendingBytes.length < FRAME_HEADER_BYTES + size)
                break;
            // stdin (0) never carries output; an unknown type is read as stdout rather than lost.
            const stream = STREAM_TYPES[this.pendingBytes[0] ?? 1] ?? 'stdout';
            lines.push(...this.pushText(stream, this.pendingBytes.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + size)));
            this.pendingBytes = this.pendingBytes.subarray(FRAME_HEADER_BYTES + size);
        }
        return lines;
    }
    /** The last line of each stream when the output did not end with a newline. */
    end() {
        const lines = [];
        for (const [stream, buffer] of this.text) {
            const rest = buffer.pending + buffer.decoder.end();
            buffer.pending = '';
            if (rest !== '')
                lines.push(parseTimestampedLine(stream, rest));
        }
        return lines;
    }
    pushText(stream, bytes) {
        let buffer = this.text.get(stream);
        if (!buffer) {
            buffer = { decoder: new StringDecoder('utf8'), pending: '' };
            this.text.set(stream, buffer);
        }
        const parts = (buffer.pending + buffer.decoder.write(bytes)).split('\n');
        buffer.pending = parts.pop() ?? '';
        return parts.map((part) => parseTimestampedLine(stream, part));
    }
}
/** "2025-01-01T10:00:00.5Z hello\r" → { time: "2025-01-01T10:00:00.500000000Z", line: "hello" } */
export function parseTimestampedLine(stream, text) {
    const withoutCr = text.endsWith('\r') ? text.slice(0, -1) : text;
    const space = withoutCr.indexOf(' ');
    const stamp = space === -1 ? withoutCr : withoutCr.slice(0, space);
    const time = normalizeLogTime(stamp);
    if (time === undefined)
        return { stream, time: normalizeLogTime(new Date().toISOString()), line: withoutCr };
    return { stream, time, line: space === -1 ? '' : withoutCr.slice(space + 1) };
}
/**
 * Docker prints RFC 3339 with nanoseconds and trailing zeros trimmed ("...:00.1234Z"),
 * so "…:00.5Z" sorts after "…:00.49Z" as a number but not as a string. Nine digits
 * always make string order time order. Undefined for text that is not such a time.
 */
export function normalizeLogTime(stamp) {
    const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(stamp);
    if (!match)
        return undefined;
    const [, base, fraction = '', zone] = match;
    if (zone === 'Z')
        return `${base}.${fraction.padEnd(9, '0')}Z`;
    const ms = Date.parse(stamp);
    if (Number.isNaN(ms))
        return undefined;
    // Shifted to UTC through milliseconds; the digits below them are kept as they were.
    return `${new Date(ms).toISOString().slice(0, 23)}${fraction.padEnd(9, '0').slice(3)}Z`;
}
/** A normalized log time as unix seconds with the nanoseconds as a separate integer. */
export function logTimeParts(time) {
    const seconds = Math.floor(Date.parse(`${time.slice(0, 19)}Z`) / 1000);
    const nanos = Number(time.slice(20, 29).padEnd(9, '0'));
    return { seconds, nanos };
}
/** Unix seconds (a double) as "seconds.nanoseconds", the form the engine parses exactly. */
export function sinceParameter(since) {
    const seconds = Math.floor(since);
    const nanos = Math.min(NANOS_PER_SECOND - 1, Math.max(0, Math.round((since - seconds) * NANOS_PER_SECOND)));
    return `${seconds}.${String(nanos).padStart(9, '0')}`;
}
/** A log time as fractional unix seconds, for `since` (precise to a microsecond or so). */
export function logTimeToUnixSeconds(time) {
    const { seconds, nanos } = logTimeParts(time);
    return seconds + nanos / NANOS_PER_SECOND;
}
/** Milliseconds since the epoch as a log time ("…:00.123000000Z"). */
export function logTimeFromMs(ms) {
    return `${new Date(ms).toISOString().slice(0, 23)}000000Z`;
}
//# sourceMappingURL=logLines.js.map