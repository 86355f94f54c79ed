import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LogStore, parseStoredLines, sortByTime } from '../logstore/store.js';
import { normalizeLogTime } from '../runtime/logLines.js';
/**
 * `berth logs TASK`: a task's stored output, read from the files alone, so it works
 * for stopped tasks, after their containers were removed, and without a controller.
 * With `follow` it keeps printing until the task has stopped and all of its output was
 * printed, then returns.
 */
export async function printTaskLogs(task, options) {
    const store = new LogStore({ stateDir: options.stateDir ?? join(resolve(options.manifests), '.berth') });
    const entry = store.find(task);
    // An unknown --container fails before anything is printed.
    for (const name of store.containersOf(entry, options.container)) {
        if (entry.containers.find((c) => c.name === name)?.collected === false) {
            options.err(`berth: container ${name}: its log driver cannot be read back (none), so its output was not collected\n`);
        }
    }
    const since = options.sinceMs === undefined ? undefined : normalizeLogTime(new Date((options.now ?? Date.now)() - options.sinceMs).toISOString());
    const tails = new Map();
    const print = (lines, prefixed) => {
        for (const line of lines) {
            if (since !== undefined && line.t < since)
                continue;
            const text = `${prefixed ? `${line.container} | ` : ''}${options.timestamps ? `${line.t} ` : ''}${line.l}\n`;
            if (line.s === 'stderr')
                options.err(text);
            else
                options.out(text);
        }
    };
    /** New lines of every selected container since the last call, in time order. */
    const readNew = (current) => {
        const containers = store.containersOf(current, options.container);
        const lines = [];
        for (const container of containers) {
            let tail = tails.get(container);
            if (!tail) {
                tail = new FileTail(store.logPath({ cluster: current.cluster, taskId: current.taskId, container }));
                tails.set(container, tail);
            }
            lines.push(...tail.read().map((line) => ({ ...line, container })));
        }
        print(sortByTime(lines), options.container === undefined && current.containerCount > 1);
    };
    if (!options.follow)
        return readNew(entry);
    for (;;) {
        // Stopped is read before the lines: once it is set every line is on disk, so this read is the last one needed.
        const current = store.entry(entry.cluster, entry.taskId) ?? entry;
        readNew(current);
        if (current.stoppedAt !== undefined)
            return;
        await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
    }
}
/**
 * Reads a growing JSON-lines file a whole line at a time. When the store rotates it
 * (the file becomes `<path>.1` and a new one starts), the rest of the old file is read
 * before the new one, so nothing is skipped or read twice.
 */
export class FileTail {
    path;
    offset = 0;
    inode;
    started = false;
    constructor(path) {
        this.path = path;
    }
    read() {
        const lines = [];
        if (!this.started) {
            // The first read also takes the older half, when there is one.
            this.started = true;
            lines.push(...readRange(`${this.path}.1`, 0).lines);
        }
        const stats = statOrUndefined(this.path);
        if (this.inode !== undefined && stats?.ino !== this.inode) {
            const rotated = statOrUndefined(`${this.path}.1`);
            if (rotated?.ino === this.inode)
                lines.push(...readRange(`${this.path}.1`, this.offset).lines);
            this.offset = 0;
            this.inode = undefined;
        }
        if (!stats)
            return lines;
        this.inode = stats.ino;
        const { lines: fresh, consumed } = readRange(this.path, this.offset);
        this.offset += consumed;
        lines.push(...fresh);
        return lines;
    }
}
/** Whole lines from `offset` to the last newline, and how many bytes they took. */
function readRange(path, offset) {
    let fd;
    try {
        fd = openSync(path, 'r');
    }
    catch {
        return { lines: [], consumed: 0 };
    }
    try {
        const size = statSync(path).size;
        if (size <= offset)
            return { lines: [], consumed: 0 };
        const buffer = Buffer.alloc(size - offset);
        const read = readSync(fd, buffer, 0, buffer.length, offset);
        const end = buffer.subarray(0, read).lastIndexOf(0x0a) + 1;
        return { lines: parseStoredLines(buffer.subarray(0, end).toString('utf8')), consumed: end };
    }
    finally {
        closeSync(fd);
    }
}
function statOrUndefined(path) {
    try {
        return statSync(path);
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=logs.js.map