import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../log.js';
import type { LogLine } from '../runtime/runtime.js';
import { writeAtomically } from '../state/stateStore.js';

/**
 * The local log store: what every task's containers wrote, kept by the controller under
 * its state directory so that `berth logs` works after the containers are gone and
 * without the controller running.
 *
 *   logs/<cluster>/<task id>/task.json         the task's index entry (see TaskLogEntry)
 *   logs/<cluster>/<task id>/<container>.log   JSON lines {"t": time, "s": stream, "l": line}
 *   logs/<cluster>/<task id>/<container>.log.1 the older half, once the size cap was reached
 *
 * The index is one small file per task rather than one shared file: each entry is
 * written only when its task changes, and the retention sweep removes it together with
 * the task's logs, so the two never disagree.
 */

/** One stored line, as written: short keys keep the files small. */
export interface StoredLine {
  /** The engine's time, nine fractional digits (string order is time order). */
  t: string;
  s: LogLine['stream'];
  l: string;
}

export interface ContainerLogEntry {
  name: string;
  /** The Docker container id the output came from. */
  containerId: string;
  /** awslogs: the log group and the stream ECS would write to. */
  logGroup?: string;
  logStream?: string;
  /** When its output was read to the end (the container stopped or vanished). */
  endedAt?: string;
  /** False when the engine cannot read the driver back (`none`): the store holds nothing for it. */
  collected: boolean;
}

export interface TaskLogEntry {
  taskId: string;
  cluster: string;
  /** "service:web" or "task:batch". */
  group: string;
  /** family:revision */
  taskDefinition: string;
  /** How many containers the task has. */
  containerCount: number;
  containers: ContainerLogEntry[];
  /** When the output of every container had ended: `berth logs -f` stops here, retention counts from here. */
  stoppedAt?: string;
}

/** Which container's log a line belongs to. */
export interface ContainerRef {
  cluster: string;
  taskId: string;
  container: string;
}

export interface LogStoreOptions {
  /** The controller's state directory; logs live in `<stateDir>/logs`. */
  stateDir: string;
  /** Per container, current file and rotated file together. @default 10 MiB */
  maxBytes?: number;
  logger?: Logger;
}

export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** Enough of a file's end to find its last lines (a line is rarely longer). */
const TAIL_BYTES = 64 * 1024;
const INDEX_FILE = 'task.json';
const ECS_TASK_ID = /^[0-9a-f]{32}$/;

/** A task id nobody has logs for, or a prefix shared by several. The message says what to do. */
export class TaskLookupError extends Error {
  override readonly name = 'TaskLookupError';
}

interface Writer {
  queue: StoredLine[];
  flushing: Promise<void> | undefined;
  /** Bytes in the current file; undefined until first needed. */
  size: number | undefined;
}

export class LogStore {
  readonly dir: string;
  private readonly maxBytes: number;
  private readonly logger: Logger;
  private readonly writers = new Map<string, Writer>();

  constructor(options: LogStoreOptions) {
    this.dir = join(options.stateDir, 'logs');
    this.maxBytes = Math.max(2, options.maxBytes ?? DEFAULT_LOG_MAX_BYTES);
    this.logger = options.logger ?? silentLogger;
  }

  // ---- write side (the controller) -------------------------------------------------------

  /** Records a container in its task's index entry (creating the entry); a known container is updated. */
  registerContainer(task: Omit<TaskLogEntry, 'containers' | 'stoppedAt'>, container: Omit<ContainerLogEntry, 'collected' | 'endedAt'>): void {
    const entry = this.entry(task.cluster, task.taskId) ?? { ...task, containers: [] };
    const known = entry.containers.find((c) => c.name === container.name);
    if (known && known.containerId === container.containerId && known.endedAt === undefined && entry.stoppedAt === undefined) return;
    const updated: ContainerLogEntry = { ...known, ...container, collected: true };
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
  async markEnded(ref: ContainerRef, options: { at: string; collected?: boolean }): Promise<void> {
    await this.drain(ref);
    const entry = this.entry(ref.cluster, ref.taskId);
    if (!entry) return;
    const container = entry.containers.find((c) => c.name === ref.container);
    if (!container || container.endedAt !== undefined) return;
    container.endedAt = options.at;
    if (options.collected === false) container.collected = false;
    const ended = entry.containers.filter((c) => c.endedAt !== undefined).length;
    if (ended >= entry.containerCount) entry.stoppedAt = options.at;
    this.saveEntry(entry);
  }

  /** The task will write nothing more (its containers are gone): every container counts as ended. */
  markTaskStopped(cluster: string, taskId: string, at: string): void {
    const entry = this.entry(cluster, taskId);
    if (!entry || entry.stoppedAt !== undefined) return;
    for (const container of entry.containers) container.endedAt ??= at;
    entry.stoppedAt = at;
    this.saveEntry(entry);
  }

  /**
   * Queues lines for the container's file. Writes happen one at a time per file, each
   * taking everything queued meanwhile, so a chatty container costs few writes.
   */
  append(ref: ContainerRef, lines: readonly LogLine[]): Promise<void> {
    if (lines.length === 0) return this.drain(ref);
    const writer = this.writer(ref);
    for (const { stream, time, line } of lines) writer.queue.push({ t: time, s: stream, l: line });
    writer.flushing ??= this.flushLoop(ref, writer);
    return writer.flushing;
  }

  /** Resolves when every line queued for the container is on disk. */
  async drain(ref: ContainerRef): Promise<void> {
    await this.writers.get(this.key(ref))?.flushing;
  }

  /** Resolves when every queued line of every container is on disk. */
  async drainAll(): Promise<void> {
    await Promise.all([...this.writers.values()].map((writer) => writer.flushing));
  }

  /**
   * Where collecting resumes after a restart: the time of the last stored line and how
   * many stored lines carry exactly that time (the engine's `since` is inclusive, so
   * those come again and are skipped). Undefined when nothing is stored.
   */
  cursor(ref: ContainerRef): { time: string; count: number } | undefined {
    for (const path of [this.logPath(ref), `${this.logPath(ref)}.1`]) {
      const lines = readTailLines(path);
      const last = lines.at(-1);
      if (!last) continue;
      let count = 0;
      for (let i = lines.length - 1; i >= 0 && lines[i]!.t === last.t; i--) count++;
      return { time: last.t, count };
    }
    return undefined;
  }

  /** Removes the logs of tasks stopped before `stoppedBefore` (ISO). Returns their ids. */
  sweep(stoppedBefore: string): string[] {
    const removed: string[] = [];
    for (const entry of this.list()) {
      if (entry.stoppedAt === undefined || entry.stoppedAt >= stoppedBefore) continue;
      rmSync(this.taskDir(entry.cluster, entry.taskId), { recursive: true, force: true });
      removed.push(entry.taskId);
    }
    for (const cluster of listDirs(this.dir)) {
      if (listDirs(join(this.dir, cluster)).length === 0) rmSync(join(this.dir, cluster), { recursive: true, force: true });
    }
    return removed;
  }

  // ---- read side (berth logs; the files only) ---------------------------------------------

  /** Every task with stored logs. */
  list(): TaskLogEntry[] {
    const entries: TaskLogEntry[] = [];
    for (const cluster of listDirs(this.dir)) {
      for (const taskId of listDirs(join(this.dir, cluster))) {
        const entry = this.entry(cluster, taskId);
        if (entry) entries.push(entry);
      }
    }
    return entries;
  }

  /** The task whose id is `idOrPrefix` or starts with it; a clear error when none or several match. */
  find(idOrPrefix: string): TaskLogEntry {
    const wanted = idOrPrefix.trim().toLowerCase();
    if (wanted === '') throw new TaskLookupError('a task id (or the start of one) is required');
    const entries = this.list();
    const exact = entries.filter((entry) => entry.taskId === wanted);
    const matches = exact.length > 0 ? exact : entries.filter((entry) => entry.taskId.startsWith(wanted));
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) {
      const shape = ECS_TASK_ID.test(wanted) || /^[0-9a-f]+$/.test(wanted) ? '' : ' (task ids are 32 hex digits)';
      throw new TaskLookupError(
        `no logs of a task "${idOrPrefix}"${shape} in ${this.dir}; ` +
          '`berth get tasks -m DIR` lists the ids of live tasks, and the stopped ones are in each Service\'s status.stoppedTasks',
      );
    }
    const listed = matches.map((entry) => `${entry.taskId} (${entry.group}, ${entry.taskDefinition})`).join(', ');
    throw new TaskLookupError(`task id prefix "${idOrPrefix}" is ambiguous: it matches ${listed}; give more of the id`);
  }

  /** Stored lines of a task's containers, oldest first (lines of equal time keep their container's order). */
  read(entry: TaskLogEntry, options: { container?: string; since?: string } = {}): Array<StoredLine & { container: string }> {
    const lines: Array<StoredLine & { container: string }> = [];
    for (const container of this.containersOf(entry, options.container)) {
      const ref = { cluster: entry.cluster, taskId: entry.taskId, container };
      for (const path of [`${this.logPath(ref)}.1`, this.logPath(ref)]) {
        for (const line of readLines(path)) if (options.since === undefined || line.t >= options.since) lines.push({ ...line, container });
      }
    }
    return sortByTime(lines);
  }

  /** Names of the task's containers, or the one asked for (an error naming the others when unknown). */
  containersOf(entry: TaskLogEntry, only?: string): string[] {
    const names = entry.containers.map((c) => c.name).sort();
    if (only === undefined) return names;
    if (!names.includes(only)) throw new TaskLookupError(`task ${entry.taskId} has no container "${only}"; its containers: ${names.join(', ')}`);
    return [only];
  }

  /** The file a container's current lines are in. */
  logPath(ref: ContainerRef): string {
    return join(this.taskDir(ref.cluster, ref.taskId), `${ref.container}.log`);
  }

  /** The task's index entry, read fresh from disk. */
  entry(cluster: string, taskId: string): TaskLogEntry | undefined {
    try {
      return JSON.parse(readFileSync(join(this.taskDir(cluster, taskId), INDEX_FILE), 'utf8')) as TaskLogEntry;
    } catch {
      return undefined;
    }
  }

  // ---- internals -------------------------------------------------------------------------

  private saveEntry(entry: TaskLogEntry): void {
    const dir = this.taskDir(entry.cluster, entry.taskId);
    mkdirSync(dir, { recursive: true });
    writeAtomically(join(dir, INDEX_FILE), `${JSON.stringify(entry, null, 2)}\n`);
  }

  /**
   * Writes until the queue is empty, and says so in the same synchronous step that finds
   * it empty: a line queued a moment later starts a new loop instead of waiting on this one.
   */
  private async flushLoop(ref: ContainerRef, writer: Writer): Promise<void> {
    for (;;) {
      if (writer.queue.length === 0) {
        writer.flushing = undefined;
        return;
      }
      const batch = writer.queue.splice(0, writer.queue.length);
      const text = batch.map((line) => `${JSON.stringify(line)}\n`).join('');
      try {
        await this.write(ref, writer, text);
      } catch (error) {
        // A full or read-only disk must not stop the controller; the lines are lost, and said so.
        this.logger.warn({ ...ref, lines: batch.length, err: error instanceof Error ? error.message : String(error) }, 'cannot store log lines');
      }
    }
  }

  /**
   * The size cap: once the current file would pass half of it, it becomes `.log.1`
   * (replacing the older half) and a new file starts, so a container never holds more
   * than `maxBytes` and always keeps its newest half.
   */
  private async write(ref: ContainerRef, writer: Writer, text: string): Promise<void> {
    const path = this.logPath(ref);
    if (writer.size === undefined) {
      mkdirSync(this.taskDir(ref.cluster, ref.taskId), { recursive: true });
      writer.size = existsSync(path) ? statSync(path).size : 0;
    }
    const bytes = Buffer.byteLength(text);
    if (writer.size > 0 && writer.size + bytes > this.maxBytes / 2) {
      renameSync(path, `${path}.1`);
      writer.size = 0;
    }
    await appendFile(path, text);
    writer.size += bytes;
  }

  private writer(ref: ContainerRef): Writer {
    const key = this.key(ref);
    let writer = this.writers.get(key);
    if (!writer) {
      writer = { queue: [], flushing: undefined, size: undefined };
      this.writers.set(key, writer);
    }
    return writer;
  }

  private key(ref: ContainerRef): string {
    return `${ref.cluster}/${ref.taskId}/${ref.container}`;
  }

  private taskDir(cluster: string, taskId: string): string {
    return join(this.dir, cluster, taskId);
  }
}

/** Merges lines by time; a stable sort keeps each container's own order for equal times. */
export function sortByTime<T extends { t: string }>(lines: T[]): T[] {
  return lines.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
}

/** Parses JSON lines; a torn last line (a crash mid-write) is skipped. */
export function parseStoredLines(text: string): StoredLine[] {
  const lines: StoredLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    try {
      const value = JSON.parse(raw) as Partial<StoredLine>;
      if (typeof value.t === 'string' && (value.s === 'stdout' || value.s === 'stderr') && typeof value.l === 'string') {
        lines.push({ t: value.t, s: value.s, l: value.l });
      }
    } catch {
      // skipped: see above
    }
  }
  return lines;
}

function readLines(path: string): StoredLine[] {
  try {
    return parseStoredLines(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

/** The whole lines in the last TAIL_BYTES of a file. */
function readTailLines(path: string): StoredLine[] {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return [];
  }
  try {
    const size = statSync(path).size;
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    readSync(fd, buffer, 0, buffer.length, start);
    let text = buffer.toString('utf8');
    // Starting mid-file, the first line is probably cut: drop it.
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    return parseStoredLines(text);
  } finally {
    closeSync(fd);
  }
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}
