import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../controller/log.js';

/** One JSON log line: pino's level and message, and the bindings of the child logger that wrote it (kind, name, file…). */
export interface LogLine {
  level: number;
  msg: string;
  file?: string;
  kind?: string;
  name?: string;
  [field: string]: unknown;
}

/** A debug-level logger whose JSON lines are kept, so a test can wait for proof that something was processed. */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}
