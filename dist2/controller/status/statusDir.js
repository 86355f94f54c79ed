/**
 * The status directory mode: `<statusDir>/<Kind>/<name>.yaml`, one small file per
 * resource that only this writer writes, so the manifests are never touched. The layout
 * is shared with readers (the CLI).
 */
import { closeSync, readFileSync, renameSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { stringify } from 'yaml';
import { API_VERSION } from '../kinds/common.js';
import { decodeText } from '../store/textDecoding.js';
import { fsyncDir, isErrno, readFileOrUndefined, writeTempFile } from './atomicFiles.js';
import { StatusWriteError, locateDocuments, readStatus } from './document.js';
/** `<statusDir>/<Kind>/<name>.yaml`; kind and name must be plain file names. */
export function statusFilePath(statusDir, kind, name) {
    for (const [what, value] of [['kind', kind], ['name', name]]) {
        if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value) || value.includes('..')) {
            throw new StatusWriteError('invalid-target', `${what} "${value}" cannot be used as a file name in the status directory`);
        }
    }
    return join(resolve(statusDir), kind, `${name}.yaml`);
}
/** The status written for one resource in a status directory; undefined when none was written yet. */
export function readStatusFrom(statusDir, kind, name) {
    let text;
    try {
        text = readFileSync(statusFilePath(statusDir, kind, name), 'utf8');
    }
    catch (error) {
        if (isErrno(error, 'ENOENT'))
            return undefined;
        throw error;
    }
    const status = readStatus(text, { kind, name });
    return status !== null && typeof status === 'object' && !Array.isArray(status) ? status : undefined;
}
/** Writes each status into its file. Only this writer writes there, so no compare-and-swap: atomic replacement is enough. */
export async function commitStatusFiles(commit) {
    const results = new Map();
    for (const { id, target, status } of commit.documents) {
        if (!(await manifestHolds(commit.manifest, target))) {
            results.set(id, 'gone');
            continue;
        }
        const existing = await readFileOrUndefined(commit.path);
        if (existing !== undefined && statusEquals(decodeText(existing).text, target, status)) {
            results.set(id, 'unchanged');
            continue;
        }
        const dir = dirname(commit.path);
        await mkdir(dir, { recursive: true });
        const like = existing === undefined ? undefined : await stat(commit.path);
        const temp = await writeTempFile({ dir, name: basename(commit.path), content: Buffer.from(renderStatusFile(target, status)), like });
        if (temp === undefined)
            throw new StatusWriteError('conflict', 'temp file abandoned'); // cannot happen: nothing asks to abandon it
        closeSync(temp.fd);
        renameSync(temp.path, commit.path);
        commit.stats.renames++;
        await fsyncDir(dir);
        commit.logger.debug({ file: commit.display(commit.path), kind: target.kind, name: target.name }, 'status written');
        results.set(id, 'written');
    }
    return results;
}
function renderStatusFile(target, status) {
    return stringify({ apiVersion: API_VERSION, kind: target.kind, metadata: { name: target.name }, status }, { lineWidth: 0 });
}
/** True unless the manifest provably no longer holds the document. A manifest mid-edit (does not parse) still counts. */
async function manifestHolds(manifest, target) {
    const content = await readFileOrUndefined(manifest);
    if (content === undefined)
        return false;
    try {
        return locateDocuments(decodeText(content).text).some((doc) => doc.kind === target.kind && doc.name === target.name);
    }
    catch {
        return true;
    }
}
/** Whether `text` already holds this status for the target; a file that does not parse is simply rewritten. */
export function statusEquals(text, target, status) {
    try {
        return isDeepStrictEqual(readStatus(text, target), status);
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=statusDir.js.map