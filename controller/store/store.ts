import { createHash } from 'node:crypto';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, relative, basename, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { Subject, type Observable } from 'rxjs';
import { systemClock, type Clock } from '../clock.js';
import type { ControllerHealth } from '../health.js';
import type { AnyManifest, KindName, ManifestOf } from '../kinds/index.js';
import type { Logger } from '../log.js';
import { readManifestFile } from './manifestRead.js';
import { formatManifestError, isManifestFile, parseManifestText, type ManifestError } from './parse.js';
import { DEFAULT_REMOVAL_SETTLE_MS, RemovalSettler, removalHold, type PendingRemoval, type RemovalHold } from './removals.js';
import { ResourceIndex, type IndexDefinition } from './resourceIndex.js';

/** How often a directory that holds removals back is read again. */
const HOLD_POLL_MS = 2000;

/** A resource as the store serves it: the last valid spec, and what is wrong with the current edit. */
export interface StoredResource<K extends KindName = KindName> {
  kind: K;
  name: string;
  /** Absolute path of the file that holds it. */
  file: string;
  /** Last valid manifest; a bad edit keeps this in force. */
  manifest: ManifestOf<K>;
  specHash: string;
  line: number;
  /** Errors of the current content (empty when it is valid). */
  errors: ManifestError[];
  /** Warnings of the last valid content: fields accepted without local effect. */
  warnings: ManifestError[];
  /** A TaskDefinition's first reference to the secrets provider (ParsedDocument.secretReference). */
  secretReference?: ManifestError;
}

export function resourceKey(kind: string, name: string): string {
  return `${kind}/${name}`;
}

/** Where the last valid spec of every resource is kept across restarts (the state directory). */
export interface SpecMemory {
  recall(key: string): StoredResource | undefined;
  keysOf(file: string): string[];
  keep(key: string, resource: StoredResource): void;
  forget(key: string): void;
}

export interface ManifestStoreOptions {
  dir: string;
  logger: Logger;
  /** Keeps last valid specs across restarts, so a file left invalid still serves its last valid spec. */
  memory?: SpecMemory;
  /** Waits this long after a file event before reading, so a save in progress is read whole. @default 25 */
  settleMs?: number;
  /** A file modified less than this long before it was read is read again this much later. @default 150 */
  followUpMs?: number;
  /** A file that turns up missing or empty is read again after this long before its resources are removed. @default 150 */
  confirmRemovalMs?: number;
  /** Read symbolic links that resolve outside `dir` (the controller runs as root). @default false */
  followExternalSymlinks?: boolean;
  /**
   * A resource missing from the directory (its file gone, or its document taken out) is
   * removed only once it has stayed missing this long, confirmed by reading the directory
   * again; one that comes back within it changes nothing. @default DEFAULT_REMOVAL_SETTLE_MS
   */
  removalSettleMs?: number;
  /** Let an emptied or missing directory remove everything; otherwise such removals are held. @default false */
  allowEmpty?: boolean;
  /** Times the removal settle period. @default systemClock */
  clock?: Clock;
  /** Where a hold on removals is reported ("store" component); without it, the log alone says so. */
  health?: Pick<ControllerHealth, 'report' | 'clear'>;
}

/** How much reading work the store has done: lets tests see that a resync ran and what it skipped. */
export interface ManifestStoreStats {
  /** Files parsed and validated. */
  parsed: number;
  /** Reads whose content was the same as at the last parse: not parsed, validated or logged again. */
  unchanged: number;
  /** Reads of content the status writer announced (see expectOwnWrite): not parsed again either. */
  ownWrites: number;
}

/** A status write announced by the writer, as the store keeps it: no text, only what recognises it. */
interface OwnWrite {
  readonly before: string;
  readonly after: string;
  /** 1-based line of the first character that differs. */
  readonly firstChangedLine: number;
}

/**
 * The desired state: every manifest under one directory, watched with chokidar
 * (the directory, not single files, so editors' atomic saves, renames and new
 * files are all seen). Emits the key of every resource whose spec, validity or
 * existence changed — never for a status-only change, so the controller's own
 * status writes do not loop back into reconciles.
 */
export class ManifestStore {
  private readonly resources = new ResourceIndex();
  /** Keys each file defined at its last read, to notice removals. */
  private readonly fileKeys = new Map<string, Set<string>>();
  private readonly fileErrors = new Map<string, ManifestError[]>();
  /** Files that also define a key another file holds: the next in line when that file lets go. */
  private readonly duplicateHolders = new Map<string, Set<string>>();
  private readonly handingOver = new Set<string>();
  /** Keys named by invalid documents, per file, and the files naming each such key (for mayDefine). */
  private readonly invalidByFile = new Map<string, Set<string>>();
  private readonly invalidFilesByKey = new Map<string, Set<string>>();
  /** Files so broken that which resources they define is unknown: they may define any (see mayDefine). */
  private readonly opaqueFiles = new Set<string>();
  /** The status writer's writes announced and not yet read back, by absolute path (see expectOwnWrite). */
  private readonly ownWrites = new Map<string, OwnWrite>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly followUps = new Set<ReturnType<typeof setTimeout>>();
  private readonly changesSubject = new Subject<string>();
  private watcher: FSWatcher | undefined;
  private readonly reads = new Map<string, Promise<void>>();
  /** Each file's identity (see unchangedSinceRead) just before its last read. */
  private readonly identities = new Map<string, string>();
  /** sha256 of each file's content at its last parse. */
  private readonly contentHashes = new Map<string, string>();
  /** The errors of each file last logged, so a file read again logs only what is new. */
  private readonly loggedErrors = new Map<string, Set<string>>();
  /** Why each path that is never read (a FIFO, a link out of the directory) was refused: reported once. */
  private readonly refusals = new Map<string, string>();
  private readonly counters: ManifestStoreStats = { parsed: 0, unchanged: 0, ownWrites: 0 };
  private readonly removals: RemovalSettler;
  /** Set while removals wait for an operator (an empty, missing or unreadable directory). */
  private hold: RemovalHold | undefined;
  private holdPoll: unknown;
  private confirming: Promise<void> = Promise.resolve();
  private closed = false;
  private listingFailed = false;

  readonly changes: Observable<string> = this.changesSubject.asObservable();

  constructor(private readonly options: ManifestStoreOptions) {
    this.removals = new RemovalSettler({
      settleMs: options.removalSettleMs ?? DEFAULT_REMOVAL_SETTLE_MS,
      clock: this.clock,
      onDue: () => void this.confirmRemovals(),
    });
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  get dir(): string {
    return this.options.dir;
  }

  get stats(): Readonly<ManifestStoreStats> {
    return { ...this.counters };
  }

  /** Reads every manifest, then watches for changes. Resolves once the first read is complete. */
  async start(): Promise<void> {
    await this.resync();
    await this.watchDirectory();
  }

  private async watchDirectory(): Promise<void> {
    this.watcher = watch(this.options.dir, {
      ignoreInitial: true,
      ignored: (path, stats) => basename(path).startsWith('.') || (stats?.isFile() === true && !isManifestFile(path)),
      atomic: true,
    });
    const onFile = (path: string) => this.schedule(path);
    this.watcher.on('add', onFile).on('change', onFile).on('unlink', onFile);
    this.watcher.on('error', (error) => this.options.logger.error({ err: error }, 'watching manifests failed'));
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  /**
   * Lists the directory's manifest files, or says why it cannot. A directory that was
   * missing or unreadable and is back (a volume mounted again) is watched anew: the
   * watcher of a directory that went away reports nothing of the new one.
   */
  private async listDirectory(): Promise<string[] | NodeJS.ErrnoException> {
    const listing = await listManifestFiles(this.options.dir).catch((error: NodeJS.ErrnoException) => error);
    const failed = listing instanceof Error;
    const wasFailed = this.listingFailed;
    this.listingFailed = failed;
    if (wasFailed && !failed && this.watcher && !this.closed) {
      this.options.logger.info({ dir: this.options.dir }, 'manifests directory readable again; watching it anew');
      await this.watcher.close();
      await this.watchDirectory();
    }
    return listing;
  }

  /** Re-reads every file: the safety net for an event the watcher missed. */
  async resync(): Promise<void> {
    const files = await this.listDirectory();
    // Reading nothing proves nothing: the files it knew are not read (each would look removed).
    if (files instanceof Error) return this.setHold(this.holdFor(files));
    const known = new Set([...this.fileKeys.keys(), ...this.fileErrors.keys()]);
    // One at a time in path order, so which of two files defining the same resource wins
    // does not depend on which read finishes first.
    const all = [...new Set([...files, ...known])].sort();
    for (const file of all) {
      if (await this.unchangedSinceRead(file)) {
        this.counters.unchanged++;
        continue;
      }
      await this.readFile(file);
    }
    this.setHold(this.holdFor(files));
    this.options.logger.debug({ files: all.length }, 'manifests re-read');
  }

  get<K extends KindName>(kind: K, name: string): StoredResource<K> | undefined {
    return this.resources.get(resourceKey(kind, name)) as StoredResource<K> | undefined;
  }

  list<K extends KindName>(kind: K): StoredResource<K>[] {
    return this.resources.ofKind(kind);
  }

  keys(): string[] {
    return this.resources.keys();
  }

  /**
   * Declares an index over one kind, as client-go's Indexers: `byIndex(name, value)` then
   * lists the resources whose `valuesOf` includes `value`, without a scan of the kind.
   */
  addIndex<K extends KindName>(name: string, definition: IndexDefinition<K>): void {
    this.resources.addIndex(name, definition);
  }

  byIndex<K extends KindName>(name: string, value: string): StoredResource<K>[] {
    return this.resources.byIndex<K>(name, value);
  }

  /**
   * The status writer is about to replace `before` with `after` in `file` (their statuses
   * differ, nothing else). When the watcher then reports that very content, it is not
   * parsed and validated again: the store already holds what it means. See ownWriteRead.
   */
  expectOwnWrite(write: { file: string; before: string; after: string }): void {
    this.ownWrites.set(resolve(write.file), { before: contentHash(write.before), after: contentHash(write.after), firstChangedLine: firstChangedLine(write.before, write.after) });
  }

  /** Errors that belong to no resource (a file that does not parse at all). */
  errorsOf(file: string): ManifestError[] {
    return this.fileErrors.get(file) ?? [];
  }

  async close(): Promise<void> {
    this.closed = true;
    this.removals.close();
    if (this.holdPoll !== undefined) this.clock.clearTimeout(this.holdPoll);
    for (const timer of [...this.pending.values(), ...this.followUps]) clearTimeout(timer);
    this.pending.clear();
    this.followUps.clear();
    await this.watcher?.close();
    await Promise.all(this.reads.values());
    this.changesSubject.complete();
  }

  /**
   * Reads a file `settleMs` after the first unread event for it. Later events in that
   * window ride along rather than push the read back, so a file saved continuously is
   * still read every `settleMs`.
   */
  private schedule(path: string): void {
    if (this.pending.has(path)) return;
    this.pending.set(
      path,
      setTimeout(() => {
        this.pending.delete(path);
        void this.readFile(path);
      }, this.options.settleMs ?? 25),
    );
  }

  /**
   * Reads of one file are serialised so that an older read never overwrites a newer one.
   * `reparse` applies the content even when it has not changed: another file let go of a
   * key this one also defines.
   */
  private readFile(file: string, options: { reparse?: boolean } = {}): Promise<void> {
    const previous = this.reads.get(file) ?? Promise.resolve();
    const next = previous.then(() => this.load(file, options)).catch((error: unknown) => {
      this.identities.delete(file); // read again at the next resync
      this.options.logger.error({ err: error, file }, 'reading manifest failed');
    });
    this.reads.set(file, next);
    void next.finally(() => {
      if (this.reads.get(file) === next) this.reads.delete(file);
    });
    return next;
  }

  /**
   * The safety net's shortcut: a file whose name and content are where they were at its
   * last read (same inode, size, mtime and ctime, of the link and of what it names) is not
   * read again. Taken before a read, so that a change during the read shows next time.
   */
  private async unchangedSinceRead(file: string): Promise<boolean> {
    const known = this.identities.get(file);
    return known !== undefined && known === (await fileIdentity(file));
  }

  private async load(file: string, options: { reparse?: boolean }): Promise<void> {
    const identity = await fileIdentity(file);
    this.identities.delete(file);
    let text = await this.readText(file);
    if (text === null) return; // refused: what it held before stays served (see readText)
    if (identity !== undefined) this.identities.set(file, identity);
    // A file that is missing or empty may be a save in progress (an in-place save truncates
    // first; some editors move the old file away before writing the new one). Removing
    // resources stops tasks, so a removal is only believed once it is still true a moment later.
    if (isEmptyManifest(text) && (this.fileKeys.get(file)?.size ?? 0) > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.options.confirmRemovalMs ?? 150));
      text = await this.readText(file);
      if (text === null) return;
    }
    if (text === undefined) return this.forgetFile(file);
    // A file left as it was costs one hash at a resync, not a parse, a validation and a log of
    // every error again: a hostile file in the directory would otherwise cost that every time.
    const hash = contentHash(text);
    if (!options.reparse && this.contentHashes.get(file) === hash) {
      this.counters.unchanged++;
      return;
    }
    if (!options.reparse && this.ownWriteRead(file, hash)) {
      this.contentHashes.set(file, hash);
      this.counters.ownWrites++;
      await this.followUpRecentWrite(file);
      return;
    }
    this.ownWrites.delete(resolve(file));
    this.contentHashes.set(file, hash);
    this.counters.parsed++;
    this.apply(file, parseManifestText(this.display(file), text));
    await this.followUpRecentWrite(file);
  }

  /**
   * Whether `hash` is the content the status writer announced for `file`, written over the
   * very content the store last parsed: then only statuses changed, which the store does
   * not serve. Only when every line the store holds for the file (documents, warnings) lies
   * before the first changed line, so that no position it reports has moved, and the file
   * has no errors (their positions and messages would be read anew).
   */
  private ownWriteRead(file: string, hash: string): boolean {
    const write = this.ownWrites.get(resolve(file));
    if (!write || write.after !== hash || write.before !== this.contentHashes.get(file)) return false;
    this.ownWrites.delete(resolve(file));
    if (this.fileErrors.has(file) || (this.invalidByFile.get(file)?.size ?? 0) > 0) return false;
    for (const key of this.fileKeys.get(file) ?? []) {
      const resource = this.resources.get(key);
      if (!resource || resource.file !== file) continue;
      const lines = [resource.line, ...resource.warnings.map((w) => w.line), ...(resource.secretReference ? [resource.secretReference.line] : [])];
      if (resource.errors.length > 0 || lines.some((line) => line >= write.firstChangedLine)) return false;
    }
    return true;
  }

  /**
   * chokidar drops a change that comes within ~50 ms of the previous one for the same
   * file (its per-file event throttle), e.g. a user's save right after a status write.
   * So a file modified moments before it was read is read once more a little later:
   * a swallowed save is still seen, and an unchanged file costs one read.
   */
  private async followUpRecentWrite(file: string): Promise<void> {
    const window = this.options.followUpMs ?? 150;
    const modified = await stat(file).then((s) => s.mtimeMs, () => 0);
    if (Date.now() - modified >= window) return;
    const timer = setTimeout(() => {
      this.followUps.delete(timer);
      this.schedule(file);
    }, window);
    this.followUps.add(timer);
  }

  private apply(file: string, parsed: ReturnType<typeof parseManifestText>): void {
    const previousKeys = this.fileKeys.get(file) ?? this.rememberedKeys(file);
    const seenKeys = new Set<string>();
    const changed = new Set<string>();
    // Errors that belong to no resource this file may define.
    const orphanErrors: ManifestError[] = [];

    for (const document of parsed.documents) {
      const key = resourceKey(document.kind, document.name);
      const existing = this.resources.get(key);
      if (existing && existing.file !== file && !this.removals.has(key)) {
        orphanErrors.push(this.duplicateError(file, document.line, key, existing));
        this.duplicateHolders.set(key, new Set([...(this.duplicateHolders.get(key) ?? []), file]));
        continue;
      }
      seenKeys.add(key);
      if (!existing || existing.specHash !== document.specHash || existing.errors.length > 0) {
        changed.add(key);
        if (!existing || existing.specHash !== document.specHash) {
          this.options.logger.info({ key, file: this.display(file) }, existing ? 'manifest changed' : 'manifest added');
        }
      }
      this.resources.set(key, {
        kind: document.kind,
        name: document.name,
        file,
        manifest: withoutStatus(document.manifest),
        specHash: document.specHash,
        line: document.line,
        errors: [],
        warnings: document.warnings,
        ...(document.secretReference ? { secretReference: document.secretReference } : {}),
      } as StoredResource);
      if (this.returned(key, file) && existing?.file !== file) changed.add(key);
    }

    // Errors that name their resource stay with it; the rest apply to what the file held before.
    const unplaced: ManifestError[] = [];
    const invalid = new Set<string>();
    const logged = this.loggedErrors.get(file) ?? new Set<string>();
    const nowLogged = new Set<string>();
    for (const error of parsed.errors) {
      const message = formatManifestError(error);
      nowLogged.add(message);
      // An error already logged for this file is not logged again at every status write or edit elsewhere in it.
      if (!logged.has(message)) this.options.logger.error({ file: this.display(file), line: error.line, column: error.column, field: error.field }, message);
      const key = error.kind && error.name ? resourceKey(error.kind, error.name) : undefined;
      if (key) invalid.add(key);
      if (key && (this.resources.get(key)?.file ?? file) === file) {
        seenKeys.add(key);
        this.attachError(key, error, changed);
      } else {
        orphanErrors.push(error);
        unplaced.push(error);
      }
    }
    this.loggedErrors.set(file, nowLogged);
    this.setInvalidKeys(file, invalid);
    this.fileErrors.set(file, orphanErrors);
    if (orphanErrors.length === 0) this.fileErrors.delete(file);

    for (const key of previousKeys) {
      if (seenKeys.has(key)) continue;
      if (unplaced.length > 0) {
        // The file is broken in a way that hides which documents it holds: keep serving them.
        seenKeys.add(key);
        for (const error of unplaced) this.attachError(key, error, changed);
        continue;
      }
      if (this.resources.get(key)?.file === file) {
        if (this.deferRemoval(key, file)) continue;
        this.resources.delete(key);
        this.options.logger.info({ key, file: this.display(file) }, 'manifest removed');
        changed.add(key);
      } else if (!this.resources.has(key)) {
        this.options.memory?.forget(key); // removed while the controller was not running
      }
    }
    this.fileKeys.set(file, seenKeys);
    this.noteOpaque(file);
    this.remember(changed);
    for (const key of changed) this.emitOrHandOver(key);
    // A file that turns up while removals are held may end the hold.
    if (this.hold && seenKeys.size > 0) void this.confirmRemovals();
  }

  private attachError(key: string, error: ManifestError, changed: Set<string>): void {
    // After a restart the last valid spec comes from the state directory.
    const remembered = this.options.memory?.recall(key);
    const resource = this.resources.get(key) ?? (remembered ? { ...remembered, errors: [] } : undefined);
    if (!resource) return; // never valid: nothing to serve, the log and `berth validate` say why
    this.resources.set(key, resource);
    if (!resource.errors.some((e) => formatManifestError(e) === formatManifestError(error))) {
      resource.errors = [...resource.errors, error];
      changed.add(key);
    }
  }

  private duplicateError(file: string, line: number, key: string, existing: StoredResource): ManifestError {
    const error: ManifestError = {
      file: this.display(file),
      line,
      column: 1,
      message: `${key} is already defined in ${this.display(existing.file)}:${existing.line}`,
    };
    this.options.logger.error({ file: error.file, line }, formatManifestError(error));
    return error;
  }

  /**
   * A key that left its file while another file also defines it (a file renamed or
   * moved: the new name is read first) is not reported removed: the other file is
   * read again and takes it over, so the resource never looks deleted.
   */
  private emitOrHandOver(key: string): void {
    const holders = this.duplicateHolders.get(key);
    if (this.resources.has(key) || !holders?.size) {
      this.changesSubject.next(key);
      return;
    }
    this.duplicateHolders.delete(key);
    const reads = [...holders].map((holder) => this.readFile(holder, { reparse: true }));
    void Promise.all(reads).then(() => {
      if (!this.resources.has(key)) this.changesSubject.next(key);
    });
    this.handingOver.add(key);
    void Promise.all(reads).finally(() => this.handingOver.delete(key));
  }

  /** Keys a file held according to the state directory (before this process read it). */
  private rememberedKeys(file: string): Set<string> {
    return new Set(this.options.memory?.keysOf(file) ?? []);
  }

  /** Saves the valid specs of changed keys (and forgets removed ones) in the state directory. */
  private remember(keys: Iterable<string>): void {
    const memory = this.options.memory;
    if (!memory) return;
    for (const key of keys) {
      const resource = this.resources.get(key);
      if (!resource) memory.forget(key);
      else if (resource.errors.length === 0) memory.keep(key, resource);
    }
  }

  /**
   * True when a resource may be defined in a file that cannot be read right now (a
   * broken file, or a document naming it that is invalid): its absence from the store
   * then proves nothing, and nothing of it may be torn down.
   */
  mayDefine(kind: KindName, name: string): boolean {
    const key = resourceKey(kind, name);
    // While removals are held, not finding a resource proves nothing: the directory is not there to say.
    if (this.hold || this.resources.has(key) || this.handingOver.has(key)) return true;
    // A broken file whose resources are known keeps serving them (see apply); only a broken
    // file nothing is known about could hold any resource.
    return this.opaqueFiles.size > 0 || this.invalidFilesByKey.has(key);
  }

  /** The keys the file's invalid documents name, in both directions. */
  private setInvalidKeys(file: string, keys: ReadonlySet<string>): void {
    for (const key of this.invalidByFile.get(file) ?? []) {
      const files = this.invalidFilesByKey.get(key);
      files?.delete(file);
      if (files?.size === 0) this.invalidFilesByKey.delete(key);
    }
    if (keys.size === 0) {
      this.invalidByFile.delete(file);
      return;
    }
    this.invalidByFile.set(file, new Set(keys));
    for (const key of keys) this.invalidFilesByKey.set(key, (this.invalidFilesByKey.get(key) ?? new Set<string>()).add(file));
  }

  /** Whether the file is broken in a way that hides which resources it defines (see mayDefine). */
  private noteOpaque(file: string): void {
    const hides = (this.fileKeys.get(file)?.size ?? 0) === 0 && (this.fileErrors.get(file) ?? []).some((e) => !e.kind || !e.name);
    if (hides) this.opaqueFiles.add(file);
    else this.opaqueFiles.delete(file);
  }

  private forgetFile(file: string): void {
    const keys = this.fileKeys.get(file) ?? new Set<string>();
    this.fileKeys.delete(file);
    this.fileErrors.delete(file);
    this.setInvalidKeys(file, new Set());
    this.noteOpaque(file);
    this.ownWrites.delete(resolve(file));
    this.contentHashes.delete(file);
    this.identities.delete(file);
    this.loggedErrors.delete(file);
    for (const key of keys) {
      if (this.resources.get(key)?.file !== file) continue;
      if (this.deferRemoval(key, file)) continue;
      this.resources.delete(key);
      this.options.logger.info({ key, file: this.display(file) }, 'manifest removed');
      this.remember([key]);
      this.emitOrHandOver(key);
    }
  }

  /**
   * The file's text; undefined when it is gone; null when it is there but must not be read
   * (not a regular file, or a link out of the directory), which is logged once per path and
   * reason. A refused file's resources are kept, as for a broken file: refusing to read is
   * no reason to stop tasks.
   */
  private async readText(file: string): Promise<string | undefined | null> {
    const read = await readManifestFile(file, { root: this.options.dir, followExternalSymlinks: this.options.followExternalSymlinks ?? false });
    if (read.outcome !== 'refused') {
      this.refusals.delete(file);
      return read.outcome === 'text' ? read.text : undefined;
    }
    if (this.refusals.get(file) !== read.reason) {
      this.refusals.set(file, read.reason);
      this.options.logger.warn({ file: this.display(file) }, `${this.display(file)}: ${read.reason}`);
    }
    return null;
  }

  /** Resources seen missing and still served while their removal settles (or is held). */
  pendingRemovals(): PendingRemoval[] {
    return this.removals.list();
  }

  /** Why removals wait for an operator now, if they do. */
  holding(): RemovalHold | undefined {
    return this.hold;
  }

  /**
   * A resource went missing: it keeps being served while its removal settles. False when
   * it is to go at once: another file defines it too (a rename hands it over right away).
   */
  private deferRemoval(key: string, file: string): boolean {
    if (this.duplicateHolders.get(key)?.size) return false;
    if (this.removals.begin(key, file)) {
      this.options.logger.info({ key, file: this.display(file), settleMs: this.options.removalSettleMs ?? DEFAULT_REMOVAL_SETTLE_MS }, 'manifest missing; removal settling');
    }
    return true;
  }

  /** A resource waiting to be removed is defined again (by its file or another): nothing is removed. */
  private returned(key: string, file: string): boolean {
    const removal = this.removals.cancel(key);
    if (!removal) return false;
    this.options.logger.info({ key, file: this.display(file), missingMs: this.clock.now() - removal.since }, 'manifest returned before its removal settled; nothing removed');
    return true;
  }

  /** Confirmations run one at a time, each after the reads it started. */
  private confirmRemovals(): Promise<void> {
    this.confirming = this.confirming
      .then(() => this.confirmDueRemovals())
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'confirming manifest removals failed'));
    return this.confirming;
  }

  /**
   * The settle period of some removals is over: read the directory again (the files they
   * were in, and any file the watcher has not reported) and remove what is still missing,
   * unless that would empty the store from a directory that is empty or unreadable.
   */
  private async confirmDueRemovals(): Promise<void> {
    if (this.closed) return;
    const listing = await this.listDirectory();
    if (!(listing instanceof Error)) {
      const unread = listing.filter((file) => !this.fileKeys.has(file) && !this.fileErrors.has(file));
      const formerFiles = this.removals.due().map((removal) => removal.file);
      for (const file of [...new Set([...formerFiles, ...unread])].sort()) await this.readFile(file);
    }
    const hold = this.holdFor(listing);
    this.setHold(hold);
    if (hold || this.closed) return;
    for (const removal of this.removals.due()) {
      this.removals.cancel(removal.key);
      if (this.resources.get(removal.key)?.file !== removal.file) continue;
      this.resources.delete(removal.key);
      this.options.logger.info({ key: removal.key, file: this.display(removal.file), missingMs: this.clock.now() - removal.since }, 'manifest removed');
      this.remember([removal.key]);
      this.emitOrHandOver(removal.key);
    }
  }

  private holdFor(listing: readonly string[] | NodeJS.ErrnoException): RemovalHold | undefined {
    const definesAnything = !(listing instanceof Error) && listing.some((file) => (this.fileKeys.get(file)?.size ?? 0) > 0 || this.fileErrors.has(file));
    return removalHold({ dir: this.options.dir, listing, definesAnything, allowEmpty: this.options.allowEmpty ?? false, kept: this.resources.size });
  }

  private setHold(hold: RemovalHold | undefined): void {
    const previous = this.hold;
    this.hold = hold;
    if (hold) {
      if (previous?.message !== hold.message) {
        if (this.options.health) this.options.health.report({ component: 'store', severity: 'holding', reason: hold.reason, message: hold.message });
        else this.options.logger.error({ reason: hold.reason }, hold.message);
      }
      this.pollWhileHeld();
      return;
    }
    if (!previous) return;
    if (this.options.health) this.options.health.clear('store');
    this.options.logger.info({ reason: previous.reason, waiting: this.removals.size }, 'manifests directory holds manifests again; removals no longer held');
    // What is still missing gets a full settle period from now: the rest of a checkout may be on its way.
    this.removals.restart();
  }

  /**
   * A directory that went away (an unmounted volume) takes the watcher's events with it,
   * so while removals are held the directory is read again now and then.
   */
  private pollWhileHeld(): void {
    if (this.holdPoll !== undefined || this.closed || !this.hold) return;
    this.holdPoll = this.clock.setTimeout(() => {
      this.holdPoll = undefined;
      if (this.closed || !this.hold) return;
      void this.resync().finally(() => this.pollWhileHeld());
    }, HOLD_POLL_MS);
  }

  /** Paths in messages are relative to the manifests directory, as a user sees them. */
  display(file: string): string {
    return relative(this.options.dir, file) || file;
  }
}


/** What a file's content is recognised by: at a resync, and in the status writer's announcements. */
function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The 1-based line of the first character where `after` differs from `before`. */
function firstChangedLine(before: string, after: string): number {
  let same = 0;
  const shorter = Math.min(before.length, after.length);
  while (same < shorter && before.charCodeAt(same) === after.charCodeAt(same)) same++;
  let line = 1;
  for (let at = before.indexOf('\n'); at !== -1 && at < same; at = before.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * The manifest as the store serves it: the status block is the controller's own output,
 * read by nobody from here, so it is not kept (and a status write changes nothing served).
 */
function withoutStatus(manifest: AnyManifest): AnyManifest {
  if (!('status' in manifest)) return manifest;
  const { status: _status, ...rest } = manifest;
  return rest as AnyManifest;
}

/** Missing, or nothing but whitespace and comments. */
function isEmptyManifest(text: string | undefined): boolean {
  return text === undefined || text.split('\n').every((line) => /^\s*(#.*)?$/.test(line));
}

async function listManifestFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    const parent = entry.parentPath;
    const path = join(parent, entry.name);
    if (relative(dir, path).split(/[\\/]/).some((part) => part.startsWith('.'))) continue;
    // Not only regular files: a FIFO, socket or link with a manifest's name is listed so that
    // reading it refuses it, and says so (see readText); directories are walked, not read.
    if (!entry.isDirectory() && isManifestFile(path)) found.push(path);
  }
  return found.sort();
}

/** What changes whenever a file, or the link that names it, does; undefined when it cannot be seen. */
async function fileIdentity(file: string): Promise<string | undefined> {
  try {
    const [link, target] = await Promise.all([lstat(file, { bigint: true }), stat(file, { bigint: true })]);
    return [link, target].map((s) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`).join('/');
  } catch {
    return undefined;
  }
}
