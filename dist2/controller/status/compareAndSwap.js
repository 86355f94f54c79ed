/**
 * Steps 2 to 8 of the status write-back protocol (see writer.ts): one batch of statuses
 * spliced into one manifest by compare-and-swap against whatever a person or git does to
 * the same file meanwhile. A write that keeps meeting changes is handed back ('requeue')
 * for the queue to try again later.
 */
import { close, closeSync, fstatSync, linkSync, renameSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { decodeText, encodeText } from '../store/textDecoding.js';
import { fsyncDir, openHeld, readPathOrUndefined, readWhole, realPathOrUndefined, removeQuietly, sleep, tempPathFor, writeTempFile, writeTempFileSync, } from './atomicFiles.js';
import { StatusWriteError, locateDocuments, spliceStatuses } from './document.js';
import { statusEquals } from './statusDir.js';
/** Compare-and-swap attempts before a write is requeued. */
const MAX_ATTEMPTS = 12;
/** How long after a rename the replaced inode is watched for a late in-place write. */
const GRACE_MS = 20;
/** How often it is looked at meanwhile: a reader should meet our stale version for no longer than this. */
const GRACE_POLL_MS = 1;
/** A file modified less than this long ago is not remembered as holding its statuses (see remember). */
const RACY_MS = 100;
/** A file modified less than this long ago may be in the middle of being edited. */
const RECENT_EDIT_MS = 1000;
/** How long an empty or half-written file (a save in progress) is given to become whole. */
const SETTLE_LIMIT_MS = 200;
/** Writes statuses into manifests, never losing a concurrent edit (but for the one window described in writer.ts). */
export class ManifestCommitter {
    options;
    /**
     * Per manifest path, the statuses it was last seen holding, and the file's identity then
     * (inode, size, mtime). A status equal to the one remembered, in a file whose identity is
     * unchanged, is already there: answered with one stat, without reading or parsing the
     * file, which is what a periodic resync asks for thousands of times.
     */
    confirmed = new Map();
    constructor(options) {
        this.options = options;
    }
    /** Replaced inodes still being closed: their space comes back only once they are. */
    closing = new Set();
    track(closed) {
        this.closing.add(closed);
        void closed.then(() => this.closing.delete(closed));
    }
    /** Resolves once every replaced inode is closed (its space given back). */
    async closed() {
        await Promise.all([...this.closing]);
    }
    /** Whether the manifest at `path` is known to hold exactly `status` for the document `id`, as of now. */
    holdsAlready(path, id, status) {
        const known = this.confirmed.get(path);
        const remembered = known?.statuses.get(id);
        if (!known || !remembered || !isDeepStrictEqual(remembered, status))
            return false;
        const now = statOrUndefined(path);
        if (now && identityOf(now) === known.identity)
            return true;
        this.confirmed.delete(path);
        return false;
    }
    remember(session, stat, results) {
        // File times are coarse (a few ms): a save within the same tick as what we saw would
        // keep inode, size and mtime. So a file changed that recently is not remembered; it is
        // read again next time, by when its mtime tells.
        if ((this.options.now ?? Date.now)() - stat.mtimeMs < RACY_MS) {
            this.confirmed.delete(session.path);
            return;
        }
        const statuses = new Map();
        for (const document of session.documents) {
            const result = results.get(document.id);
            if (result === 'written' || result === 'unchanged')
                statuses.set(document.id, document.status);
        }
        const identity = identityOf(stat);
        const known = this.confirmed.get(session.path);
        // Documents of other batches stay known only while the file is the one they were seen in.
        if (known?.identity === identity)
            for (const [id, status] of known.statuses)
                if (!statuses.has(id))
                    statuses.set(id, status);
        if (statuses.size === 0)
            this.confirmed.delete(session.path);
        else
            this.confirmed.set(session.path, { identity, statuses });
    }
    display(path) {
        return this.options.display(path);
    }
    get stats() {
        return this.options.stats;
    }
    /** Writes `documents` into the manifest at `path`: each one's result, or 'requeue' after too many conflicts in a row. */
    async commit(path, documents) {
        if (documents.every((document) => this.holdsAlready(path, document.id, document.status)))
            return allResults(documents, 'unchanged');
        const session = {
            path,
            documents,
            displaced: [],
            rescued: undefined,
            attempts: 0,
            settleDeadline: undefined,
            dirNeedsSync: false,
        };
        try {
            for (;;) {
                // A rescued edit lives only in memory, so it gets more chances to be written before giving up.
                if (session.attempts >= MAX_ATTEMPTS && (!session.rescued || session.attempts >= MAX_ATTEMPTS * 3))
                    return 'requeue';
                const results = await this.attempt(session);
                if (results)
                    return results;
            }
        }
        finally {
            for (const inode of session.displaced)
                this.track(release(inode));
            if (session.dirNeedsSync)
                await fsyncDir(dirname(session.path));
        }
    }
    /** One pass of steps 2 to 7; undefined means "start over". */
    async attempt(session) {
        const path = realPathOrUndefined(session.path); // write through symlinks, do not replace them
        const held = path === undefined ? undefined : openHeld(path);
        if (path === undefined || held === undefined)
            return allResults(session.documents, 'gone');
        let heldOwned = true;
        let temp;
        let backup;
        try {
            const usesRescue = session.rescued !== undefined && held.content.equals(session.rescued.over);
            const base = usesRescue && session.rescued ? session.rescued.content : held.content;
            session.rescued = undefined;
            const plan = planManifest(base, session.documents);
            // The limit is on one save in progress, not on the session: an editor saving in place
            // many times a second empties the file again and again, each time only for a moment.
            if (plan.kind !== 'unsettled')
                session.settleDeadline = undefined;
            if (plan.kind === 'unsettled') {
                // Empty or unparseable: most likely a save in progress. Give it a moment before believing it.
                session.settleDeadline ??= Date.now() + SETTLE_LIMIT_MS;
                if (!usesRescue && Date.now() < session.settleDeadline) {
                    await sleep(5);
                    return undefined;
                }
                if (plan.error && !usesRescue)
                    throw plan.error;
            }
            if (plan.text.equals(held.content)) {
                // held.stat was taken before the content was read: a change after it moves the mtime.
                this.remember(session, held.stat, plan.results);
                return plan.results;
            }
            const like = held.stat;
            const input = { dir: dirname(path), name: basename(path), content: plan.text, like };
            // Written synchronously, from the read to the rename: an attempt then takes about as
            // long as its fsync (~0.5 ms here) instead of several turns of a busy event loop, so
            // it fits between the saves of someone editing the file many times a second.
            // A file nobody has edited lately is written asynchronously on the first attempt, so
            // that the fsyncs of many files (the first statuses at start-up) overlap on the thread
            // pool instead of queueing on the one thread. A file being edited, every later attempt
            // and every rescue go the synchronous way described below.
            const untouchedLately = Date.now() - held.stat.mtimeMs > RECENT_EDIT_MS;
            temp =
                session.attempts === 0 && !usesRescue && untouchedLately
                    ? await writeTempFile({ ...input, abandonIf: () => !readWhole(held.fd).equals(held.content) })
                    : writeTempFileSync(input);
            if (temp === undefined)
                return this.conflict(session);
            backup = linkBackup(path);
            if (plan.change)
                this.options.announce?.({ file: session.path, ...plan.change });
            // ---- compare-and-swap: synchronous from the check to the rename ----
            this.options.hooks?.beforeCheck?.(path);
            if (!stillHolds(path, held))
                return this.conflict(session);
            this.options.hooks?.beforeRename?.(path);
            renameSync(temp.path, path);
            // ---- end of compare-and-swap ----
            const current = { fd: temp.fd, ino: temp.ino, content: plan.text };
            temp = undefined;
            this.stats.renames++;
            session.dirNeedsSync = true;
            this.options.hooks?.afterRename?.(path);
            session.displaced.push({ fd: held.fd, seen: held.content, backup });
            heldOwned = false;
            backup = undefined; // released with the displaced inode
            const afterGrace = await this.watchDisplaced(session, path, current);
            if (afterGrace !== 'quiet')
                return undefined;
            // Taken before the path is read for the last time, so a change after that read moves it.
            const verified = statOrUndefined(path);
            if (overwrittenSince(path, plan)) {
                this.noteReapplied(session, 'a save based on the file before our write put the old status back');
                return undefined;
            }
            if (plan.error)
                throw plan.error; // a rescued edit that does not parse was restored as the user wrote it
            for (const document of plan.written) {
                this.options.logger.debug({ file: this.display(session.path), kind: document.target.kind, name: document.target.name }, 'status written');
            }
            if (verified)
                this.remember(session, verified, plan.results);
            return plan.results;
        }
        finally {
            if (heldOwned)
                closeSync(held.fd);
            if (backup !== undefined)
                removeQuietly(backup);
            if (temp !== undefined) {
                closeSync(temp.fd);
                removeQuietly(temp.path);
            }
        }
    }
    /**
     * Step 6: watches the inodes our renames displaced for the grace period.
     * 'quiet': nobody wrote into them. 'restored': a late save's inode was put
     * back from its backup. 'rescued': its content was taken into
     * `session.rescued`. Either way the status must be applied again.
     */
    async watchDisplaced(session, path, current) {
        let currentOwned = true;
        try {
            const deadline = performance.now() + GRACE_MS;
            let dirSynced = false;
            for (;;) {
                const late = findLateWrite(session.displaced); // the first look comes with no await since the rename
                if (late) {
                    session.attempts++;
                    if (late.backup !== undefined && restoreFromBackup(path, current, late)) {
                        session.displaced.splice(session.displaced.indexOf(late), 1);
                        closeSync(late.fd);
                        // Ours is the displaced one now; a save that opened it meanwhile must be seen too.
                        session.displaced.push({ fd: current.fd, seen: current.content, backup: undefined });
                        currentOwned = false;
                        session.dirNeedsSync = true;
                        this.stats.restored++;
                        this.noteReapplied(session, 'an in-place save landed in the replaced file; it was put back');
                        return 'restored';
                    }
                    session.rescued = { content: await settle(late), over: current.content };
                    this.noteReapplied(session, 'an in-place save landed in the replaced file; its content was rescued');
                    return 'rescued';
                }
                if (!dirSynced) {
                    await fsyncDir(dirname(path));
                    session.dirNeedsSync = false;
                    dirSynced = true;
                }
                if (performance.now() >= deadline)
                    return 'quiet';
                await sleep(GRACE_POLL_MS);
            }
        }
        finally {
            if (currentOwned)
                closeSync(current.fd);
        }
    }
    conflict(session) {
        session.attempts++;
        this.stats.conflicts++;
        this.options.logger.debug({ file: this.display(session.path), attempt: session.attempts }, 'file changed while the status was being written; starting over');
        return undefined;
    }
    noteReapplied(session, why) {
        this.stats.reapplied++;
        const targets = session.documents.map((document) => `${document.target.kind}/${document.target.name}`);
        this.options.logger.info({ file: this.display(session.path), targets, why }, 'status re-applied after a concurrent edit');
    }
}
function planManifest(content, documents) {
    const gone = allResults(documents, 'gone');
    // A UTF-16 file (a PowerShell redirect) is written back in UTF-16, with its byte order mark.
    const decoded = decodeText(content);
    const source = decoded.text;
    if (!encodeText(source, decoded).equals(content)) {
        // Cut in the middle of a character by a save in progress, or not UTF-8 (or UTF-16 with a mark) at all.
        return { kind: 'unsettled', text: content, results: gone, written: [], error: new StatusWriteError('parse-error', 'the file is not valid UTF-8') };
    }
    if (source.trim() === '')
        return { kind: 'unsettled', text: content, results: gone, written: [] };
    let spliced;
    try {
        spliced = spliceStatuses(source, documents);
    }
    catch (error) {
        if (error instanceof StatusWriteError && error.reason === 'parse-error')
            return { kind: 'unsettled', text: content, results: gone, written: [], error };
        throw error;
    }
    const results = new Map(documents.map((document, i) => [document.id, spliced.outcomes[i]]));
    const written = documents.filter((_document, i) => spliced.outcomes[i] === 'written');
    const change = written.length > 0 ? { before: source, after: spliced.text } : undefined;
    return { kind: 'ready', text: encodeText(spliced.text, decoded), results, written, ...(change ? { change } : {}) };
}
function allResults(documents, result) {
    return new Map(documents.map((document) => [document.id, result]));
}
/**
 * Step 7: does the path still carry the statuses we wrote? A writer that read
 * the file just before our rename and saved just after puts the old status
 * back (keeping its own edit, which is right).
 */
function overwrittenSince(path, plan) {
    const now = readPathOrUndefined(path);
    if (now === undefined || now.equals(plan.text) || plan.written.length === 0)
        return false;
    const source = decodeText(now).text;
    return !plan.written.every((document) => statusEquals(source, document.target, document.status));
}
// ---------------------------------------------------------------------------
// The inodes involved
/**
 * "The path still holds what we read" is checked as: the inode we hold still
 * has content C0, and the path still names that inode. That is the same as
 * re-reading the path, in fewer system calls. The content comes first: an
 * in-place save that opens the file after it writes into the inode we
 * displace, and step 6 puts that back. The inode comes last, right before the
 * rename, because a rename by someone else after it cannot be repaired (the
 * residual window).
 */
function stillHolds(path, held) {
    if (!readWhole(held.fd).equals(held.content))
        return false;
    try {
        return statSync(path).ino === held.stat.ino;
    }
    catch {
        return false;
    }
}
/**
 * Step 4's backup: a second name for the inode at the path, so that step 6
 * can rename it back; undefined when the file system has no hard links (the
 * slower content rescue is used then). Made before the check: creating a name
 * is a journalled directory update, which would widen the window.
 */
function linkBackup(path) {
    const backup = tempPathFor(path);
    try {
        linkSync(path, backup);
        return backup;
    }
    catch {
        return undefined;
    }
}
/**
 * Puts a displaced inode that received a late save back at the path. Only
 * while the path still holds exactly what our rename put there: anything else
 * is a newer edit, which wins.
 */
function restoreFromBackup(path, current, late) {
    if (late.backup === undefined)
        return false;
    try {
        // The backup was linked by name: make sure it is the inode that received the late write.
        if (statSync(late.backup).ino !== fstatSync(late.fd).ino)
            return false;
        if (statSync(path).ino !== current.ino || !readWhole(current.fd).equals(current.content))
            return false;
        renameSync(late.backup, path);
    }
    catch {
        return false;
    }
    late.backup = undefined;
    return true;
}
/** The first displaced inode whose content changed since we last looked: a late in-place write. */
function findLateWrite(displaced) {
    return displaced.find((inode) => !readWhole(inode.fd).equals(inode.seen));
}
function release(inode) {
    if (inode.backup !== undefined)
        removeQuietly(inode.backup);
    // Closing the last reference to a replaced inode frees it, which the file system may take
    // its time over: on the thread pool, not the one thread. No write waits for it; a flush does.
    return new Promise((done) => close(inode.fd, () => done()));
}
/**
 * Waits for a late write to finish: its open truncated the file, its write
 * may not have landed yet. Settled = not empty, parses, and read the same
 * twice; after {@link SETTLE_LIMIT_MS}, whatever is there is taken as the
 * user's content.
 */
async function settle(inode) {
    const deadline = Date.now() + SETTLE_LIMIT_MS;
    let previous = readWhole(inode.fd);
    for (;;) {
        await new Promise((done) => setImmediate(done));
        const now = readWhole(inode.fd);
        if ((now.equals(previous) && now.length > 0 && parses(now)) || Date.now() > deadline) {
            inode.seen = now;
            return now;
        }
        previous = now;
    }
}
function parses(content) {
    try {
        locateDocuments(decodeText(content).text);
        return true;
    }
    catch {
        return false;
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
/**
 * What changes whenever the file at a path does: another inode (a rename over it), or a
 * write into it. To the millisecond: finer is not to be trusted anyway (see remember).
 */
function identityOf(stat) {
    return `${stat.dev}:${stat.ino}:${stat.size}:${Math.trunc(stat.mtimeMs)}`;
}
//# sourceMappingURL=compareAndSwap.js.map