import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../log.js';
import { WriteBackoff, type HealthReporter } from './writeBackoff.js';
import { errorMessage } from '../errors.js';

/**
 * What neither the files nor the Docker labels can hold (revision history, stopped
 * tasks, service events, crash-loop state) lives here, one JSON file per record,
 * written crash-safely (temp file, fsync, rename). Losing the directory degrades
 * gracefully: every reader has a fallback, and nothing running depends on it.
 *
 * The directory holds every spec (last-valid-specs), task output and the metadata key,
 * so it is the owner's only: 0700, its files 0600 (an older directory is tightened on start).
 *
 * A write that fails (a full disk) keeps its record in memory, is retried with backoff,
 * and reports the controller degraded (component "state") until a write goes through.
 */
export interface StateStoreOptions {
  dir: string;
  logger: Logger;
  /** Writes of one record within this window are coalesced. @default 100 */
  flushDelayMs?: number;
  /** Where a failing write is reported (and its recovery cleared). */
  health?: HealthReporter;
  /** Delays between attempts while writes fail. @default { initialMs: 1000, maxMs: 30000 } */
  retry?: { initialMs: number; maxMs: number };
  /** Writes one record's file (tests inject failures). @default writeAtomically */
  writeRecord?: (path: string, text: string) => void;
}

/** Flushes are at least this many times as far apart as the last one took… */
const FLUSH_COST_FACTOR = 20;
/** …but never further apart than this: what a crash can lose. */
const MAX_FLUSH_DELAY_MS = 2000;

/** The state directory and every directory in it. */
export const STATE_DIR_MODE = 0o700;
/** Every file in the state directory. */
export const STATE_FILE_MODE = 0o600;

export class StateStore {
  private readonly pending = new Map<string, unknown>();
  /** How long the last flush took. */
  private lastFlushMs = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly backoff: WriteBackoff;
  private readonly writeRecord: (path: string, text: string) => void;

  constructor(private readonly options: StateStoreOptions) {
    mkdirSync(options.dir, { recursive: true, mode: STATE_DIR_MODE });
    restrictToOwner(options.dir, options.logger);
    this.writeRecord = options.writeRecord ?? ((path, text) => writeAtomically(path, text));
    this.backoff = new WriteBackoff({
      component: 'state',
      what: 'state records',
      meanwhile: 'kept in memory and written when the disk has room again',
      logger: options.logger,
      ...(options.health ? { health: options.health } : {}),
      ...(options.retry ?? {}),
    });
  }

  get dir(): string {
    return this.options.dir;
  }

  /** Records waiting to be written (the disk was full, or the flush delay has not passed). */
  get pendingRecords(): string[] {
    return [...this.pending.keys()];
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
    // While writes fail, the timer is the retry's: saves in between wait for it.
    this.timer ??= setTimeout(() => this.flush(), this.flushDelay());
  }

  /**
   * A flush rewrites whole records, so while records are big and change often (every spec
   * at start-up) flushes are spaced out in proportion to what the last one cost: writing
   * state stays a small share of the time, not a cost that grows with the square of it.
   */
  private flushDelay(): number {
    const base = this.options.flushDelayMs ?? 100;
    return Math.max(base, Math.min(MAX_FLUSH_DELAY_MS, this.lastFlushMs * FLUSH_COST_FACTOR));
  }

  /** Forgets a record, on disk too. */
  remove(record: string): void {
    this.pending.delete(record);
    try {
      rmSync(this.path(record), { force: true });
    } catch (error) {
      this.options.logger.warn({ record, err: error }, 'cannot remove state record');
    }
  }

  /** Writes every pending record; what cannot be written stays pending and is retried with backoff. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const started = performance.now();
    try {
      this.flushPending();
    } finally {
      this.lastFlushMs = performance.now() - started;
    }
  }

  private flushPending(): void {
    let failure: { error: unknown; path: string } | undefined;
    for (const [record, value] of [...this.pending]) {
      const path = this.path(record);
      let text: string;
      try {
        text = JSON.stringify(value);
      } catch (error) {
        // No retry can fix a value that does not serialise.
        this.options.logger.error({ record, err: error }, 'state record cannot be serialised; dropped');
        this.pending.delete(record);
        continue;
      }
      try {
        this.writeRecord(path, text);
        // Saved again while this one was written (a health change reported from here): keep the newer.
        if (this.pending.get(record) === value) this.pending.delete(record);
      } catch (error) {
        failure ??= { error, path };
      }
    }
    if (!failure) {
      this.backoff.succeeded();
      return;
    }
    const delayMs = this.backoff.failed(failure.error, { path: failure.path });
    // Reporting the problem may itself have saved a record (the health record) and started the short timer.
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), delayMs);
    // A stopped controller does not wait for a disk to empty.
    this.timer.unref();
  }

  private path(record: string): string {
    return join(this.options.dir, `${record.replace(/[^a-zA-Z0-9_.-]/g, '_')}.json`);
  }
}

/**
 * Temp file in the same directory, fsync, rename: a reader sees the old text or the new,
 * never half. The temp file gets a random name and is created exclusively (O_EXCL), so a
 * file or link someone placed under a guessable name is never written through. Every
 * byte is written before the rename: a short write on a nearly full disk throws ENOSPC
 * rather than leave a cut file in place of a whole one.
 */
export function writeAtomically(path: string, text: string, options: { mode?: number; tempPath?: string } = {}): void {
  const mode = options.mode ?? STATE_FILE_MODE;
  const temp = options.tempPath ?? join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  let renamed = false;
  try {
    writeFully(fd, Buffer.from(text, 'utf8'));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        closeSync(fd);
      } catch {
        // closed already
      }
      try {
        unlinkSync(temp);
      } catch {
        // never created or already gone
      }
    }
  }
}

/** `writeSync` writes what fits and returns a count; this loops until all is written, or throws (ENOSPC). */
export function writeFully(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

/**
 * Tightens a state directory made by an older version (0755 directories, 0644 files):
 * every directory in it becomes 0700 and every file 0600. Failures are logged, not
 * fatal: the directory may belong to someone else, and that is theirs to fix.
 */
export function restrictToOwner(dir: string, logger: Logger): void {
  try {
    chmodSync(dir, STATE_DIR_MODE);
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      if (entry.isDirectory()) chmodSync(path, STATE_DIR_MODE);
      else if (entry.isFile()) chmodSync(path, STATE_FILE_MODE);
    }
  } catch (error) {
    logger.warn({ dir, err: errorMessage(error) }, 'cannot restrict the state directory to its owner');
  }
}
