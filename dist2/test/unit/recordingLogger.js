import { Writable } from 'node:stream';
import { createLogger } from '../../controller/log.js';
/** A debug-level logger whose JSON lines are kept, so a test can wait for proof that something was processed. */
export function recordingLogger() {
    const lines = [];
    const destination = new Writable({
        write(chunk, _encoding, done) {
            for (const line of chunk.toString().split('\n').filter(Boolean))
                lines.push(JSON.parse(line));
            done();
        },
    });
    return { logger: createLogger({ level: 'debug', destination }), lines };
}
//# sourceMappingURL=recordingLogger.js.map