import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { WriteBackoff } from './writeBackoff.js';
import { errorMessage } from '../errors.js';
/** Flushes are at least this many times as far apart as the last one took… */
const FLUSH_COST_FACTOR = 20;
/** …but never further apart than this: what a crash can lose. */
const MAX_FLUSH_DELAY_MS = 2000;
/** The state directory and every directory in it. */
export const STATE_DIR_MODE = 0o700;
/** Every file in the state directory. */
export const STATE_FILE_MODE = 0o600;
export class StateStore {
    options;
    pending = new Map();
    /** How long the last flush took. */
    lastFlushMs = 0;
    timer;
    backoff;
    writeRecord;
    constructor(options) {
        this.options = options;
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
    get dir() {
        return this.options.dir;
    }
    /** Records waiting to be written (the disk was full, or the flush delay has not passed). */
    get pendingRecords() {
        return [...this.pending.keys()];
    }
    load(record, fallback) {
        if (this.pending.has(record))
            return this.pending.get(record);
        try {
            return JSON.parse(readFileSync(this.path(record), 'utf8'));
        }
        catch (error) {
            if (error.code !== 'ENOENT') {
                this.options.logger.warn({ record, err: error }, 'state record unreadable; starting from empty');
            }
            return fallback;
        }
    }
    save(record, value) {
        this.pending.set(record, value);
        // While writes fail, the timer is the retry's: saves in between wait for it.
        this.timer ??= setTimeout(() => this.flush(), this.flushDelay());
    }
    /**
     * A flush rewrites whole records, so while records are big and change often (every spec
     * at start-up) flushes are spaced out in proportion to what the last one cost: writing
     * state stays a small share of the time, not a cost that grows with the square of it.
     */
    flushDelay() {
        const base = this.options.flushDelayMs ?? 100;
        return Math.max(base, Math.min(MAX_FLUSH_DELAY_MS, this.lastFlushMs * FLUSH_COST_FACTOR));
    }
    /** Forgets a record, on disk too. */
    remove(record) {
        this.pending.delete(record);
        try {
            rmSync(this.path(record), { force: true });
        }
        catch (error) {
            this.options.logger.warn({ record, err: error }, 'cannot remove state record');
        }
    }
    /** Writes every pending record; what cannot be written stays pending and is retried with backoff. */
    flush() {
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = undefined;
        const started = performance.now();
        try {
            this.flushPending();
        }
        finally {
            this.lastFlushMs = performance.now() - started;
        }
    }
    flushPending() {
        let failure;
        for (const [record, value] of [...this.pending]) {
            const path = this.path(record);
            let text;
            try {
                text = JSON.stringify(value);
            }
            catch (error) {
                // No retry can fix a value that does not serialise.
                this.options.logger.error({ record, err: error }, 'state record cannot be serialised; dropped');
                this.pending.delete(record);
                continue;
            }
            try {
                this.writeRecord(path, text);
                // Saved again while this one was written (a health change reported from here): keep the newer.
                if (this.pending.get(record) === value)
                    this.pending.delete(record);
            }
            catch (error) {
                failure ??= { error, path };
            }
        }
        if (!failure) {
            this.backoff.succeeded();
            return;
        }
        const delayMs = this.backoff.failed(failure.error, { path: failure.path });
        // Reporting the problem may itself have saved a record (the health record) and started the short timer.
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = setTimeout(() => this.flush(), delayMs);
        // A stopped controller does not wait for a disk to empty.
        this.timer.unref();
    }
    path(record) {
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
export function writeAtomically(path, text, options = {}) {
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
    }
    finally {
        if (!renamed) {
            try {
                closeSync(fd);
            }
            catch {
                // closed already
            }
            try {
                unlinkSync(temp);
            }
            catch {
                // never created or already gone
            }
        }
    }
}
/** `writeSync` writes what fits and returns a count; this loops until all is written, or throws (ENOSPC). */
export function writeFully(fd, data) {
    let offset = 0;
    while (offset < data.length)
        offset += writeSync(fd, data, offset, data.length - offset);
}
/**
 * Tightens a state directory made by an older version (0755 directories, 0644 files):
 * every directory in it becomes 0700 and every file 0600. Failures are logged, not
 * fatal: the directory may belong to someone else, and that is theirs to fix.
 */
export function restrictToOwner(dir, logger) {
    try {
        chmodSync(dir, STATE_DIR_MODE);
        for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
            const path = join(entry.parentPath, entry.name);
            if (entry.isDirectory())
                chmodSync(path, STATE_DIR_MODE);
            else if (entry.isFile())
                chmodSync(path, STATE_FILE_MODE);
        }
    }
    catch (error) {
        logger.warn({ dir, err: errorMessage(error) }, 'cannot restrict the state directory to its owner');
    }
}
//# sourceMappingURL=stateStore.js.map