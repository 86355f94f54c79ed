import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';

/**
 * What neither the files nor the Docker labels can hold (revision history, stopped
 * tasks, service events, crash-loop state) lives here, one JSON file per record,
 * written crash-safely (temp file, fsync, rename). Losing the directory degrades
 * gracefully: every reader has a fallback, and nothing running depends on it.
 */
export interface StateStoreOptions {
  dir: string;
  logger: Logger;
  /** Writes of one record within this window are coalesced. @default 100 */
  flushDelayMs?: number;
}

export class StateStore {
  private readonly pending = new Map<string, unknown>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: StateStoreOptions) {
    mkdirSync(options.dir, { recursive: true });
  }

  get dir(): string {
    return this.options.dir;
  }

  load<T>(record: string, fallback: T): T {
    if (this.pending.has(record)) return this.pending.get(record) as T;
    try {
      return JSON.parse(readFileSync(this.path(record), 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.options.logger.warn({ record, err: error }, 'state record unreadable; starting from empty');
      }
      return fallback;
    }
  }

  save(record: string, value: unknown): void {
    this.pending.set(record, value);
    this.timer ??= setTimeout(() => this.flush(), this.options.flushDelayMs ?? 100);
  }

  /** Forgets a record, on disk too. */
  remove(record: string): void {
    this.pending.delete(record);
    rmSync(this.path(record), { force: true });
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [record, value] of this.pending) {
      try {
        writeAtomically(this.path(record), JSON.stringify(value));
      } catch (error) {
        this.options.logger.error({ record, err: error }, 'cannot write state record');
      }
    }
    this.pending.clear();
  }

  private path(record: string): string {
    return join(this.options.dir, `${record.replace(/[^a-zA-Z0-9_.-]/g, '_')}.json`);
  }
}

/** Temp file in the same directory, fsync, rename: a reader sees the old text or the new, never half. */
export function writeAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}
