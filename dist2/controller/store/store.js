import { createHash } from 'node:crypto';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, relative, basename, resolve } from 'node:path';
import { watch } from 'chokidar';
import { Subject } from 'rxjs';
import { systemClock } from '../clock.js';
import { readManifestFile } from './manifestRead.js';
import { formatManifestError, isManifestFile, parseManifestText } from './parse.js';
import { DEFAULT_REMOVAL_SETTLE_MS, RemovalSettler, removalHold } from './removals.js';
import { ResourceIndex } from './resourceIndex.js';
/** How often a directory that holds removals back is read again. */
const HOLD_POLL_MS = 2000;
export function resourceKey(kind, name) {
    return `${kind}/${name}`;
}
/**
 * The desired state: every manifest under one directory, watched with chokidar
 * (the directory, not single files, so editors' atomic saves, renames and new
 * files are all seen). Emits the key of every resource whose spec, validity or
 * existence changed — never for a status-only change, so the controller's own
 * status writes do not loop back into reconciles.
 */
export class ManifestStore {
    options;
    resources = new ResourceIndex();
    /** Keys each file defined at its last read, to notice removals. */
    fileKeys = new Map();
    fileErrors = new Map();
    /** Files that also define a key another file holds: the next in line when that file lets go. */
    duplicateHolders = new Map();
    handingOver = new Set();
    /** Keys named by invalid documents, per file, and the files naming each such key (for mayDefine). */
    invalidByFile = new Map();
    invalidFilesByKey = new Map();
    /** Files so broken that which resources they define is unknown: they may define any (see mayDefine). */
    opaqueFiles = new Set();
    /** The status writer's writes announced and not yet read back, by absolute path (see expectOwnWrite). */
    ownWrites = new Map();
    pending = new Map();
    followUps = new Set();
    changesSubject = new Subject();
    watcher;
    reads = new Map();
    /** Each file's identity (see unchangedSinceRead) just before its last read. */
    identities = new Map();
    /** sha256 of each file's content at its last parse. */
    contentHashes = new Map();
    /** The errors of each file last logged, so a file read again logs only what is new. */
    loggedErrors = new Map();
    /** Why each path that is never read (a FIFO, a link out of the directory) was refused: reported once. */
    refusals = new Map();
    counters = { parsed: 0, unchanged: 0, ownWrites: 0 };
    removals;
    /** Set while removals wait for an operator (an empty, missing or unreadable directory). */
    hold;
    holdPoll;
    confirming = Promise.resolve();
    closed = false;
    listingFailed = false;
    changes = this.changesSubject.asObservable();
    constructor(options) {
        this.options = options;
        this.removals = new RemovalSettler({
            settleMs: options.removalSettleMs ?? DEFAULT_REMOVAL_SETTLE_MS,
            clock: this.clock,
            onDue: () => void this.confirmRemovals(),
        });
    }
    get clock() {
        return this.options.clock ?? systemClock;
    }
    get dir() {
        return this.options.dir;
    }
    get stats() {
        return { ...this.counters };
    }
    /** Reads every manifest, then watches for changes. Resolves once the first read is complete. */
    async start() {
        await this.resync();
        await this.watchDirectory();
    }
    async watchDirectory() {
        this.watcher = watch(this.options.dir, {
            ignoreInitial: true,
            ignored: (path, stats) => basename(path).startsWith('.') || (stats?.isFile() === true && !isManifestFile(path)),
            atomic: true,
        });
        const onFile = (path) => this.schedule(path);
        this.watcher.on('add', onFile).on('change', onFile).on('unlink', onFile);
        this.watcher.on('error', (error) => this.options.logger.error({ err: error }, 'watching manifests failed'));
        await new Promise((resolve) => this.watcher.once('ready', () => resolve()));
    }
    /**
     * Lists the directory's manifest files, or says why it cannot. A directory that was
     * missing or unreadable and is back (a volume mounted again) is watched anew: the
     * watcher of a directory that went away reports nothing of the new one.
     */
    async listDirectory() {
        const listing = await listManifestFiles(this.options.dir).catch((error) => error);
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
    async resync() {
        const files = await this.listDirectory();
        // Reading nothing proves nothing: the files it knew are not read (each would look removed).
        if (files instanceof Error)
            return this.setHold(this.holdFor(files));
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
    get(kind, name) {
        return this.resources.get(resourceKey(kind, name));
    }
    list(kind) {
        return this.resources.ofKind(kind);
    }
    keys() {
        return this.resources.keys();
    }
    /**
     * Declares an index over one kind, as client-go's Indexers: `byIndex(name, value)` then
     * lists the resources whose `valuesOf` includes `value`, without a scan of the kind.
     */
    addIndex(name, definition) {
        this.resources.addIndex(name, definition);
    }
    byIndex(name, value) {
        return this.resources.byIndex(name, value);
    }
    /**
     * The status writer is about to replace `before` with `after` in `file` (their statuses
     * differ, nothing else). When the watcher then reports that very content, it is not
     * parsed and validated again: the store already holds what it means. See ownWriteRead.
     */
    expectOwnWrite(write) {
        this.ownWrites.set(resolve(write.file), { before: contentHash(write.before), after: contentHash(write.after), firstChangedLine: firstChangedLine(write.before, write.after) });
    }
    /** Errors that belong to no resource (a file that does not parse at all). */
    errorsOf(file) {
        return this.fileErrors.get(file) ?? [];
    }
    async close() {
        this.closed = true;
        this.removals.close();
        if (this.holdPoll !== undefined)
            this.clock.clearTimeout(this.holdPoll);
        for (const timer of [...this.pending.values(), ...this.followUps])
            clearTimeout(timer);
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
    schedule(path) {
        if (this.pending.has(path))
            return;
        this.pending.set(path, setTimeout(() => {
            this.pending.delete(path);
            void this.readFile(path);
        }, this.options.settleMs ?? 25));
    }
    /**
     * Reads of one file are serialised so that an older read never overwrites a newer one.
     * `reparse` applies the content even when it has not changed: another file let go of a
     * key this one also defines.
     */
    readFile(file, options = {}) {
        const previous = this.reads.get(file) ?? Promise.resolve();
        const next = previous.then(() => this.load(file, options)).catch((error) => {
            this.identities.delete(file); // read again at the next resync
            this.options.logger.error({ err: error, file }, 'reading manifest failed');
        });
        this.reads.set(file, next);
        void next.finally(() => {
            if (this.reads.get(file) === next)
                this.reads.delete(file);
        });
        return next;
    }
    /**
     * The safety net's shortcut: a file whose name and content are where they were at its
     * last read (same inode, size, mtime and ctime, of the link and of what it names) is not
     * read again. Taken before a read, so that a change during the read shows next time.
     */
    async unchangedSinceRead(file) {
        const known = this.identities.get(file);
        return known !== undefined && known === (await fileIdentity(file));
    }
    async load(file, options) {
        const identity = await fileIdentity(file);
        this.identities.delete(file);
        let text = await this.readText(file);
        if (text === null)
            return; // refused: what it held before stays served (see readText)
        if (identity !== undefined)
            this.identities.set(file, identity);
        // A file that is missing or empty may be a save in progress (an in-place save truncates
        // first; some editors move the old file away before writing the new one). Removing
        // resources stops tasks, so a removal is only believed once it is still true a moment later.
        if (isEmptyManifest(text) && (this.fileKeys.get(file)?.size ?? 0) > 0) {
            await new Promise((resolve) => setTimeout(resolve, this.options.confirmRemovalMs ?? 150));
            text = await this.readText(file);
            if (text === null)
                return;
        }
        if (text === undefined)
            return this.forgetFile(file);
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
    ownWriteRead(file, hash) {
        const write = this.ownWrites.get(resolve(file));
        if (!write || write.after !== hash || write.before !== this.contentHashes.get(file))
            return false;
        this.ownWrites.delete(resolve(file));
        if (this.fileErrors.has(file) || (this.invalidByFile.get(file)?.size ?? 0) > 0)
            return false;
        for (const key of this.fileKeys.get(file) ?? []) {
            const resource = this.resources.get(key);
            if (!resource || resource.file !== file)
                continue;
            const lines = [resource.line, ...resource.warnings.map((w) => w.line), ...(resource.secretReference ? [resource.secretReference.line] : [])];
            if (resource.errors.length > 0 || lines.some((line) => line >= write.firstChangedLine))
                return false;
        }
        return true;
    }
    /**
     * chokidar drops a change that comes within ~50 ms of the previous one for the same
     * file (its per-file event throttle), e.g. a user's save right after a status write.
     * So a file modified moments before it was read is read once more a little later:
     * a swallowed save is still seen, and an unchanged file costs one read.
     */
    async followUpRecentWrite(file) {
        const window = this.options.followUpMs ?? 150;
        const modified = await stat(file).then((s) => s.mtimeMs, () => 0);
        if (Date.now() - modified >= window)
            return;
        const timer = setTimeout(() => {
            this.followUps.delete(timer);
            this.schedule(file);
        }, window);
        this.followUps.add(timer);
    }
    apply(file, parsed) {
        const previousKeys = this.fileKeys.get(file) ?? this.rememberedKeys(file);
        const seenKeys = new Set();
        const changed = new Set();
        // Errors that belong to no resource this file may define.
        const orphanErrors = [];
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
            });
            if (this.returned(key, file) && existing?.file !== file)
                changed.add(key);
        }
        // Errors that name their resource stay with it; the rest apply to what the file held before.
        const unplaced = [];
        const invalid = new Set();
        const logged = this.loggedErrors.get(file) ?? new Set();
        const nowLogged = new Set();
        for (const error of parsed.errors) {
            const message = formatManifestError(error);
            nowLogged.add(message);
            // An error already logged for this file is not logged again at every status write or edit elsewhere in it.
            if (!logged.has(message))
                this.options.logger.error({ file: this.display(file), line: error.line, column: error.column, field: error.field }, message);
            const key = error.kind && error.name ? resourceKey(error.kind, error.name) : undefined;
            if (key)
                invalid.add(key);
            if (key && (this.resources.get(key)?.file ?? file) === file) {
                seenKeys.add(key);
                this.attachError(key, error, changed);
            }
            else {
                orphanErrors.push(error);
                unplaced.push(error);
            }
        }
        this.loggedErrors.set(file, nowLogged);
        this.setInvalidKeys(file, invalid);
        this.fileErrors.set(file, orphanErrors);
        if (orphanErrors.length === 0)
            this.fileErrors.delete(file);
        for (const key of previousKeys) {
            if (seenKeys.has(key))
                continue;
            if (unplaced.length > 0) {
                // The file is broken in a way that hides which documents it holds: keep serving them.
                seenKeys.add(key);
                for (const error of unplaced)
                    this.attachError(key, error, changed);
                continue;
            }
            if (this.resources.get(key)?.file === file) {
                if (this.deferRemoval(key, file))
                    continue;
                this.resources.delete(key);
                this.options.logger.info({ key, file: this.display(file) }, 'manifest removed');
                changed.add(key);
            }
            else if (!this.resources.has(key)) {
                this.options.memory?.forget(key); // removed while the controller was not running
            }
        }
        this.fileKeys.set(file, seenKeys);
        this.noteOpaque(file);
        this.remember(changed);
        for (const key of changed)
            this.emitOrHandOver(key);
        // A file that turns up while removals are held may end the hold.
        if (this.hold && seenKeys.size > 0)
            void this.confirmRemovals();
    }
    attachError(key, error, changed) {
        // After a restart the last valid spec comes from the state directory.
        const remembered = this.options.memory?.recall(key);
        const resource = this.resources.get(key) ?? (remembered ? { ...remembered, errors: [] } : undefined);
        if (!resource)
            return; // never valid: nothing to serve, the log and `berth validate` say why
        this.resources.set(key, resource);
        if (!resource.errors.some((e) => formatManifestError(e) === formatManifestError(error))) {
            resource.errors = [...resource.errors, error];
            changed.add(key);
        }
    }
    duplicateError(file, line, key, existing) {
        const error = {
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
    emitOrHandOver(key) {
        const holders = this.duplicateHolders.get(key);
        if (this.resources.has(key) || !holders?.size) {
            this.changesSubject.next(key);
            return;
        }
        this.duplicateHolders.delete(key);
        const reads = [...holders].map((holder) => this.readFile(holder, { reparse: true }));
        void Promise.all(reads).then(() => {
            if (!this.resources.has(key))
                this.changesSubject.next(key);
        });
        this.handingOver.add(key);
        void Promise.all(reads).finally(() => this.handingOver.delete(key));
    }
    /** Keys a file held according to the state directory (before this process read it). */
    rememberedKeys(file) {
        return new Set(this.options.memory?.keysOf(file) ?? []);
    }
    /** Saves the valid specs of changed keys (and forgets removed ones) in the state directory. */
    remember(keys) {
        const memory = this.options.memory;
        if (!memory)
            return;
        for (const key of keys) {
            const resource = this.resources.get(key);
            if (!resource)
                memory.forget(key);
            else if (resource.errors.length === 0)
                memory.keep(key, resource);
        }
    }
    /**
     * True when a resource may be defined in a file that cannot be read right now (a
     * broken file, or a document naming it that is invalid): its absence from the store
     * then proves nothing, and nothing of it may be torn down.
     */
    mayDefine(kind, name) {
        const key = resourceKey(kind, name);
        // While removals are held, not finding a resource proves nothing: the directory is not there to say.
        if (this.hold || this.resources.has(key) || this.handingOver.has(key))
            return true;
        // A broken file whose resources are known keeps serving them (see apply); only a broken
        // file nothing is known about could hold any resource.
        return this.opaqueFiles.size > 0 || this.invalidFilesByKey.has(key);
    }
    /** The keys the file's invalid documents name, in both directions. */
    setInvalidKeys(file, keys) {
        for (const key of this.invalidByFile.get(file) ?? []) {
            const files = this.invalidFilesByKey.get(key);
            files?.delete(file);
            if (files?.size === 0)
                this.invalidFilesByKey.delete(key);
        }
        if (keys.size === 0) {
            this.invalidByFile.delete(file);
            return;
        }
        this.invalidByFile.set(file, new Set(keys));
        for (const key of keys)
            this.invalidFilesByKey.set(key, (this.invalidFilesByKey.get(key) ?? new Set()).add(file));
    }
    /** Whether the file is broken in a way that hides which resources it defines (see mayDefine). */
    noteOpaque(file) {
        const hides = (this.fileKeys.get(file)?.size ?? 0) === 0 && (this.fileErrors.get(file) ?? []).some((e) => !e.kind || !e.name);
        if (hides)
            this.opaqueFiles.add(file);
        else
            this.opaqueFiles.delete(file);
    }
    forgetFile(file) {
        const keys = this.fileKeys.get(file) ?? new Set();
        this.fileKeys.delete(file);
        this.fileErrors.delete(file);
        this.setInvalidKeys(file, new Set());
        this.noteOpaque(file);
        this.ownWrites.delete(resolve(file));
        this.contentHashes.delete(file);
        this.identities.delete(file);
        this.loggedErrors.delete(file);
        for (const key of keys) {
            if (this.resources.get(key)?.file !== file)
                continue;
            if (this.deferRemoval(key, file))
                continue;
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
    async readText(file) {
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
    pendingRemovals() {
        return this.removals.list();
    }
    /** Why removals wait for an operator now, if they do. */
    holding() {
        return this.hold;
    }
    /**
     * A resource went missing: it keeps being served while its removal settles. False when
     * it is to go at once: another file defines it too (a rename hands it over right away).
     */
    deferRemoval(key, file) {
        if (this.duplicateHolders.get(key)?.size)
            return false;
        if (this.removals.begin(key, file)) {
            this.options.logger.info({ key, file: this.display(file), settleMs: this.options.removalSettleMs ?? DEFAULT_REMOVAL_SETTLE_MS }, 'manifest missing; removal settling');
        }
        return true;
    }
    /** A resource waiting to be removed is defined again (by its file or another): nothing is removed. */
    returned(key, file) {
        const removal = this.removals.cancel(key);
        if (!removal)
            return false;
        this.options.logger.info({ key, file: this.display(file), missingMs: this.clock.now() - removal.since }, 'manifest returned before its removal settled; nothing removed');
        return true;
    }
    /** Confirmations run one at a time, each after the reads it started. */
    confirmRemovals() {
        this.confirming = this.confirming
            .then(() => this.confirmDueRemovals())
            .catch((error) => this.options.logger.error({ err: error }, 'confirming manifest removals failed'));
        return this.confirming;
    }
    /**
     * The settle period of some removals is over: read the directory again (the files they
     * were in, and any file the watcher has not reported) and remove what is still missing,
     * unless that would empty the store from a directory that is empty or unreadable.
     */
    async confirmDueRemovals() {
        if (this.closed)
            return;
        const listing = await this.listDirectory();
        if (!(listing instanceof Error)) {
            const unread = listing.filter((file) => !this.fileKeys.has(file) && !this.fileErrors.has(file));
            const formerFiles = this.removals.due().map((removal) => removal.file);
            for (const file of [...new Set([...formerFiles, ...unread])].sort())
                await this.readFile(file);
        }
        const hold = this.holdFor(listing);
        this.setHold(hold);
        if (hold || this.closed)
            return;
        for (const removal of this.removals.due()) {
            this.removals.cancel(removal.key);
            if (this.resources.get(removal.key)?.file !== removal.file)
                continue;
            this.resources.delete(removal.key);
            this.options.logger.info({ key: removal.key, file: this.display(removal.file), missingMs: this.clock.now() - removal.since }, 'manifest removed');
            this.remember([removal.key]);
            this.emitOrHandOver(removal.key);
        }
    }
    holdFor(listing) {
        const definesAnything = !(listing instanceof Error) && listing.some((file) => (this.fileKeys.get(file)?.size ?? 0) > 0 || this.fileErrors.has(file));
        return removalHold({ dir: this.options.dir, listing, definesAnything, allowEmpty: this.options.allowEmpty ?? false, kept: this.resources.size });
    }
    setHold(hold) {
        const previous = this.hold;
        this.hold = hold;
        if (hold) {
            if (previous?.message !== hold.message) {
                if (this.options.health)
                    this.options.health.report({ component: 'store', severity: 'holding', reason: hold.reason, message: hold.message });
                else
                    this.options.logger.error({ reason: hold.reason }, hold.message);
            }
            this.pollWhileHeld();
            return;
        }
        if (!previous)
            return;
        if (this.options.health)
            this.options.health.clear('store');
        this.options.logger.info({ reason: previous.reason, waiting: this.removals.size }, 'manifests directory holds manifests again; removals no longer held');
        // What is still missing gets a full settle period from now: the rest of a checkout may be on its way.
        this.removals.restart();
    }
    /**
     * A directory that went away (an unmounted volume) takes the watcher's events with it,
     * so while removals are held the directory is read again now and then.
     */
    pollWhileHeld() {
        if (this.holdPoll !== undefined || this.closed || !this.hold)
            return;
        this.holdPoll = this.clock.setTimeout(() => {
            this.holdPoll = undefined;
            if (this.closed || !this.hold)
                return;
            void this.resync().finally(() => this.pollWhileHeld());
        }, HOLD_POLL_MS);
    }
    /** Paths in messages are relative to the manifests directory, as a user sees them. */
    display(file) {
        return relative(this.options.dir, file) || file;
    }
}
/** What a file's content is recognised by: at a resync, and in the status writer's announcements. */
function contentHash(text) {
    return createHash('sha256').update(text).digest('hex');
}
/** The 1-based line of the first character where `after` differs from `before`. */
function firstChangedLine(before, after) {
    let same = 0;
    const shorter = Math.min(before.length, after.length);
    while (same < shorter && before.charCodeAt(same) === after.charCodeAt(same))
        same++;
    let line = 1;
    for (let at = before.indexOf('\n'); at !== -1 && at < same; at = before.indexOf('\n', at + 1))
        line++;
    return line;
}
/**
 * The manifest as the store serves it: the status block is the controller's own output,
 * read by nobody from here, so it is not kept (and a status write changes nothing served).
 */
function withoutStatus(manifest) {
    if (!('status' in manifest))
        return manifest;
    const { status: _status, ...rest } = manifest;
    return rest;
}
/** Missing, or nothing but whitespace and comments. */
function isEmptyManifest(text) {
    return text === undefined || text.split('\n').every((line) => /^\s*(#.*)?$/.test(line));
}
async function listManifestFiles(dir) {
    const found = [];
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    for (const entry of entries) {
        const parent = entry.parentPath;
        const path = join(parent, entry.name);
        if (relative(dir, path).split(/[\\/]/).some((part) => part.startsWith('.')))
            continue;
        // Not only regular files: a FIFO, socket or link with a manifest's name is listed so that
        // reading it refuses it, and says so (see readText); directories are walked, not read.
        if (!entry.isDirectory() && isManifestFile(path))
            found.push(path);
    }
    return found.sort();
}
/** What changes whenever a file, or the link that names it, does; undefined when it cannot be seen. */
async function fileIdentity(file) {
    try {
        const [link, target] = await Promise.all([lstat(file, { bigint: true }), stat(file, { bigint: true })]);
        return [link, target].map((s) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`).join('/');
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=store.js.map