import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { appendFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '../log.js';
import { STATE_DIR_MODE, STATE_FILE_MODE, writeAtomically } from '../state/stateStore.js';
import { WriteBackoff } from '../state/writeBackoff.js';
const nodeFiles = {
    appendFile: (path, text) => appendFile(path, text, { mode: STATE_FILE_MODE }),
    writeAtomically: (path, text) => writeAtomically(path, text),
};
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_PAUSED_BUFFER_BYTES = 256 * 1024;
/** Enough of a file's end to find its last lines (a line is rarely longer). */
const TAIL_BYTES = 64 * 1024;
const INDEX_FILE = 'task.json';
const ECS_TASK_ID = /^[0-9a-f]{32}$/;
/** A task id nobody has logs for, or a prefix shared by several. The message says what to do. */
export class TaskLookupError extends Error {
    name = 'TaskLookupError';
}
export class LogStore {
    dir;
    maxBytes;
    logger;
    writers = new Map();
    files;
    pausedBufferBytes;
    backoff;
    /** Index entries that could not be written yet, by task directory: they are what `entry` returns meanwhile. */
    pendingEntries = new Map();
    /** Set while writing is paused: the attempt that resumes it. */
    resumeTimer;
    /** Lines dropped since writing paused (the bounded buffer was full). */
    droppedLines = 0;
    constructor(options) {
        this.dir = join(options.stateDir, 'logs');
        this.maxBytes = Math.max(2, options.maxBytes ?? DEFAULT_LOG_MAX_BYTES);
        this.logger = options.logger ?? silentLogger;
        this.files = options.files ?? nodeFiles;
        this.pausedBufferBytes = options.pausedBufferBytes ?? DEFAULT_PAUSED_BUFFER_BYTES;
        this.backoff = new WriteBackoff({
            component: 'logs',
            what: 'log lines',
            meanwhile: `buffered up to ${formatBytes(this.pausedBufferBytes)} per container (older lines are dropped) and written when the disk has room again`,
            logger: this.logger,
            ...(options.health ? { health: options.health } : {}),
            ...(options.retry ?? {}),
        });
    }
    /** Whether writing is paused because writes failed (a full disk). */
    get paused() {
        return this.resumeTimer !== undefined;
    }
    // ---- write side (the controller) -------------------------------------------------------
    /** Records a container in its task's index entry (creating the entry); a known container is updated. */
    registerContainer(task, container) {
        const entry = this.entry(task.cluster, task.taskId) ?? { ...task, containers: [] };
        const known = entry.containers.find((c) => c.name === container.name);
        if (known && known.containerId === container.containerId && known.endedAt === undefined && entry.stoppedAt === undefined)
            return;
        const updated = { ...known, ...container, collected: true };
        delete updated.endedAt;
        entry.containers = [...entry.containers.filter((c) => c.name !== container.name), updated];
        // A container started again (restarted in place) reopens its task.
        delete entry.stoppedAt;
        this.saveEntry(entry);
    }
    /**
     * The container's output has been read to its end. Once every container of the task
     * has ended, the task is stopped. Waits for the container's pending lines first, so a
     * reader that sees the task stopped has every line on disk.
     */
    async markEnded(ref, options) {
        await this.drain(ref);
        const entry = this.entry(ref.cluster, ref.taskId);
        if (!entry)
            return;
        const container = entry.containers.find((c) => c.name === ref.container);
        if (!container || container.endedAt !== undefined)
            return;
        container.endedAt = options.at;
        if (options.collected === false)
            container.collected = false;
        const ended = entry.containers.filter((c) => c.endedAt !== undefined).length;
        if (ended >= entry.containerCount)
            entry.stoppedAt = options.at;
        this.saveEntry(entry);
    }
    /** The task will write nothing more (its containers are gone): every container counts as ended. */
    markTaskStopped(cluster, taskId, at) {
        const entry = this.entry(cluster, taskId);
        if (!entry || entry.stoppedAt !== undefined)
            return;
        for (const container of entry.containers)
            container.endedAt ??= at;
        entry.stoppedAt = at;
        this.saveEntry(entry);
    }
    /**
     * Queues lines for the container's file. Writes happen one at a time per file, each
     * taking everything queued meanwhile, so a chatty container costs few writes.
     */
    append(ref, lines) {
        if (lines.length === 0)
            return this.drain(ref);
        const writer = this.writer(ref);
        for (const { stream, time, line } of lines)
            this.enqueue(writer, { t: time, s: stream, l: line });
        // Paused: the lines wait in the bounded buffer; the resume starts the writing.
        if (this.paused)
            return writer.flushing ?? Promise.resolve();
        writer.flushing ??= this.flushLoop(ref, writer);
        return writer.flushing;
    }
    /**
     * Stops the retries of a paused store (the collector stops). What is still buffered
     * is lost when the process ends, and said so. Call after `drainAll`.
     */
    stopRetrying() {
        if (this.resumeTimer !== undefined)
            clearTimeout(this.resumeTimer);
        this.resumeTimer = undefined;
        const buffered = [...this.writers.values()].reduce((sum, writer) => sum + writer.queue.length, 0);
        if (buffered > 0 || this.pendingEntries.size > 0 || this.droppedLines > 0) {
            this.logger.warn({ bufferedLines: buffered, droppedLines: this.droppedLines, tasks: this.pendingEntries.size }, 'stopped while the log store could not write: these lines and task entries are not stored');
        }
    }
    /** Resolves when every line queued for the container is on disk, or waits in the buffer of a paused store. */
    async drain(ref) {
        await this.writers.get(this.key(ref))?.flushing;
    }
    /** Resolves when every queued line of every container is on disk. */
    async drainAll() {
        await Promise.all([...this.writers.values()].map((writer) => writer.flushing));
    }
    /**
     * Where collecting resumes after a restart: the time of the last stored line and how
     * many stored lines carry exactly that time (the engine's `since` is inclusive, so
     * those come again and are skipped). Undefined when nothing is stored.
     */
    cursor(ref) {
        for (const path of [this.logPath(ref), `${this.logPath(ref)}.1`]) {
            const lines = readTailLines(path);
            const last = lines.at(-1);
            if (!last)
                continue;
            let count = 0;
            for (let i = lines.length - 1; i >= 0 && lines[i].t === last.t; i--)
                count++;
            return { time: last.t, count };
        }
        return undefined;
    }
    /** Removes the logs of tasks stopped before `stoppedBefore` (ISO). Returns their ids. */
    sweep(stoppedBefore) {
        const removed = [];
        for (const entry of this.list()) {
            if (entry.stoppedAt === undefined || entry.stoppedAt >= stoppedBefore)
                continue;
            rmSync(this.taskDir(entry.cluster, entry.taskId), { recursive: true, force: true });
            removed.push(entry.taskId);
        }
        for (const cluster of listDirs(this.dir)) {
            if (listDirs(join(this.dir, cluster)).length === 0)
                rmSync(join(this.dir, cluster), { recursive: true, force: true });
        }
        return removed;
    }
    // ---- read side (berth logs; the files only) ---------------------------------------------
    /** Every task with stored logs. */
    list() {
        const entries = [];
        for (const cluster of listDirs(this.dir)) {
            for (const taskId of listDirs(join(this.dir, cluster))) {
                const entry = this.entry(cluster, taskId);
                if (entry)
                    entries.push(entry);
            }
        }
        return entries;
    }
    /** The task whose id is `idOrPrefix` or starts with it; a clear error when none or several match. */
    find(idOrPrefix) {
        const wanted = idOrPrefix.trim().toLowerCase();
        if (wanted === '')
            throw new TaskLookupError('a task id (or the start of one) is required');
        const entries = this.list();
        const exact = entries.filter((entry) => entry.taskId === wanted);
        const matches = exact.length > 0 ? exact : entries.filter((entry) => entry.taskId.startsWith(wanted));
        if (matches.length === 1)
            return matches[0];
        if (matches.length === 0) {
            const shape = ECS_TASK_ID.test(wanted) || /^[0-9a-f]+$/.test(wanted) ? '' : ' (task ids are 32 hex digits)';
            throw new TaskLookupError(`no logs of a task "${idOrPrefix}"${shape} in ${this.dir}; ` +
                '`berth get tasks -m DIR` lists the ids of live tasks, and the stopped ones are in each Service\'s status.stoppedTasks');
        }
        const listed = matches.map((entry) => `${entry.taskId} (${entry.group}, ${entry.taskDefinition})`).join(', ');
        throw new TaskLookupError(`task id prefix "${idOrPrefix}" is ambiguous: it matches ${listed}; give more of the id`);
    }
    /** Stored lines of a task's containers, oldest first (lines of equal time keep their container's order). */
    read(entry, options = {}) {
        const lines = [];
        for (const container of this.containersOf(entry, options.container)) {
            const ref = { cluster: entry.cluster, taskId: entry.taskId, container };
            for (const path of [`${this.logPath(ref)}.1`, this.logPath(ref)]) {
                for (const line of readLines(path))
                    if (options.since === undefined || line.t >= options.since)
                        lines.push({ ...line, container });
            }
        }
        return sortByTime(lines);
    }
    /** Names of the task's containers, or the one asked for (an error naming the others when unknown). */
    containersOf(entry, only) {
        const names = entry.containers.map((c) => c.name).sort();
        if (only === undefined)
            return names;
        if (!names.includes(only))
            throw new TaskLookupError(`task ${entry.taskId} has no container "${only}"; its containers: ${names.join(', ')}`);
        return [only];
    }
    /** The file a container's current lines are in. */
    logPath(ref) {
        return join(this.taskDir(ref.cluster, ref.taskId), `${ref.container}.log`);
    }
    /** The task's index entry, read fresh from disk. */
    entry(cluster, taskId) {
        const pending = this.pendingEntries.get(this.taskDir(cluster, taskId));
        if (pending)
            return structuredClone(pending);
        try {
            return JSON.parse(readFileSync(join(this.taskDir(cluster, taskId), INDEX_FILE), 'utf8'));
        }
        catch {
            return undefined;
        }
    }
    // ---- internals -------------------------------------------------------------------------
    /** Writes a task's index entry; while the disk is full it waits in memory (never throws). */
    saveEntry(entry) {
        const dir = this.taskDir(entry.cluster, entry.taskId);
        this.pendingEntries.set(dir, entry);
        if (this.paused)
            return;
        this.writeEntry(dir, entry);
    }
    /** False when it failed (writing is paused then). */
    writeEntry(dir, entry) {
        try {
            mkdirSync(dir, { recursive: true, mode: STATE_DIR_MODE });
            this.files.writeAtomically(join(dir, INDEX_FILE), `${JSON.stringify(entry, null, 2)}\n`);
        }
        catch (error) {
            this.pause(error, join(dir, INDEX_FILE));
            return false;
        }
        if (this.pendingEntries.get(dir) === entry)
            this.pendingEntries.delete(dir);
        this.backoff.succeeded();
        return true;
    }
    /** A line into a writer's queue. */
    enqueue(writer, line) {
        writer.queue.push(line);
        writer.queuedBytes += storedSize(line);
        if (this.paused)
            this.trimToBound(writer);
    }
    /** A write failed: no more attempts until the backoff has passed (one timer for the whole store: it is one disk). */
    pause(error, path) {
        if (this.paused)
            return;
        const delayMs = this.backoff.failed(error, { path });
        this.resumeTimer = setTimeout(() => void this.resume(), delayMs);
        // A stopped controller does not wait for a disk to empty.
        this.resumeTimer.unref();
    }
    /** Tries again: the buffered lines first, then the index entries, so a task seen stopped has its lines on disk. */
    async resume() {
        this.resumeTimer = undefined;
        try {
            for (const writer of this.writers.values()) {
                if (writer.queue.length === 0)
                    continue;
                writer.flushing ??= this.flushLoop(writer.ref, writer);
            }
            await this.drainAll();
            if (this.paused)
                return;
            for (const [dir, entry] of [...this.pendingEntries])
                if (!this.writeEntry(dir, entry))
                    return;
            // Nothing was waiting: nothing is being lost either.
            this.backoff.succeeded();
            if (this.droppedLines > 0) {
                this.logger.warn({ lines: this.droppedLines }, 'container output lines were dropped while the disk was full');
                this.droppedLines = 0;
            }
        }
        catch (error) {
            this.pause(error, this.dir);
        }
    }
    /**
     * Writes until the queue is empty, and says so in the same synchronous step that finds
     * it empty: a line queued a moment later starts a new loop instead of waiting on this one.
     */
    async flushLoop(ref, writer) {
        for (;;) {
            if (writer.queue.length === 0) {
                writer.flushing = undefined;
                return;
            }
            if (this.paused) {
                // The resume starts a new loop for what is left.
                writer.flushing = undefined;
                return;
            }
            const batch = writer.queue.splice(0, writer.queue.length);
            writer.queuedBytes = 0;
            const text = batch.map((line) => `${JSON.stringify(line)}\n`).join('');
            try {
                await this.write(ref, writer, text);
                this.backoff.succeeded();
            }
            catch (error) {
                // A full or read-only disk must not stop the controller: the batch goes back in
                // front of what arrived meanwhile, writing pauses, and the bound applies.
                writer.queue = batch.concat(writer.queue);
                writer.queuedBytes += batch.reduce((sum, line) => sum + storedSize(line), 0);
                this.pause(error, this.logPath(ref));
                this.trimToBound(writer);
            }
        }
    }
    /** While paused, the oldest lines give way beyond the bound (counted, and logged on resume). */
    trimToBound(writer) {
        let drop = 0;
        while (writer.queuedBytes > this.pausedBufferBytes && drop < writer.queue.length - 1) {
            writer.queuedBytes -= storedSize(writer.queue[drop]);
            drop += 1;
        }
        if (drop === 0)
            return;
        writer.queue.splice(0, drop);
        this.droppedLines += drop;
    }
    /**
     * The size cap: once the current file would pass half of it, it becomes `.log.1`
     * (replacing the older half) and a new file starts, so a container never holds more
     * than `maxBytes` and always keeps its newest half.
     */
    async write(ref, writer, text) {
        const path = this.logPath(ref);
        if (writer.size === undefined) {
            mkdirSync(this.taskDir(ref.cluster, ref.taskId), { recursive: true, mode: STATE_DIR_MODE });
            writer.size = existsSync(path) ? statSync(path).size : 0;
        }
        const bytes = Buffer.byteLength(text);
        if (writer.size > 0 && writer.size + bytes > this.maxBytes / 2) {
            renameSync(path, `${path}.1`);
            writer.size = 0;
        }
        try {
            await this.files.appendFile(path, text);
        }
        catch (error) {
            // A full disk may have taken part of the text: cut it off, so the retry appends whole lines.
            try {
                await truncate(path, writer.size);
            }
            catch {
                writer.size = undefined; // measured again before the next write
            }
            throw error;
        }
        writer.size += bytes;
    }
    writer(ref) {
        const key = this.key(ref);
        let writer = this.writers.get(key);
        if (!writer) {
            writer = { ref, queue: [], queuedBytes: 0, flushing: undefined, size: undefined };
            this.writers.set(key, writer);
        }
        return writer;
    }
    key(ref) {
        return `${ref.cluster}/${ref.taskId}/${ref.container}`;
    }
    taskDir(cluster, taskId) {
        return join(this.dir, cluster, taskId);
    }
}
/** About the bytes a line takes in its file (counted on every line, so not by serialising it). */
function storedSize(line) {
    return line.l.length + line.t.length + 24;
}
function formatBytes(bytes) {
    return bytes % 1024 === 0 && bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
/** Merges lines by time; a stable sort keeps each container's own order for equal times. */
export function sortByTime(lines) {
    return lines.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
}
/** Parses JSON lines; a torn last line (a crash mid-write) is skipped. */
export function parseStoredLines(text) {
    const lines = [];
    for (const raw of text.split('\n')) {
        if (raw === '')
            continue;
        try {
            const value = JSON.parse(raw);
            if (typeof value.t === 'string' && (value.s === 'stdout' || value.s === 'stderr') && typeof value.l === 'string') {
                lines.push({ t: value.t, s: value.s, l: value.l });
            }
        }
        catch {
            // skipped: see above
        }
    }
    return lines;
}
function readLines(path) {
    try {
        return parseStoredLines(readFileSync(path, 'utf8'));
    }
    catch {
        return [];
    }
}
/** The whole lines in the last TAIL_BYTES of a file. */
function readTailLines(path) {
    let fd;
    try {
        fd = openSync(path, 'r');
    }
    catch {
        return [];
    }
    try {
        const size = statSync(path).size;
        const start = Math.max(0, size - TAIL_BYTES);
        const buffer = Buffer.alloc(size - start);
        readSync(fd, buffer, 0, buffer.length, start);
        let text = buffer.toString('utf8');
        // Starting mid-file, the first line is probably cut: drop it.
        if (start > 0)
            text = text.slice(text.indexOf('\n') + 1);
        return parseStoredLines(text);
    }
    finally {
        closeSync(fd);
    }
}
function listDirs(dir) {
    try {
        return readdirSync(dir, { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => entry.name);
    }
    catch {
        return [];
    }
}
//# sourceMappingURL=store.js.map