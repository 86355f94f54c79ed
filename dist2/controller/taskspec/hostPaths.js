import { lstatSync, realpathSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
const nodeFs = {
    realpath: (path) => realpathSync.native(path),
    entryExists: (path) => {
        try {
            lstatSync(path);
            return true;
        }
        catch {
            return false;
        }
    },
};
/** Why a path could not be resolved safely: it is rejected rather than guessed at. */
class UnresolvablePath extends Error {
}
/**
 * The real path of `path`, symlinks resolved. A path that does not exist yet (the
 * engine creates a missing bind source) is its nearest existing ancestor's real path
 * plus the missing segments: those are created as plain directories, so they cannot
 * lead anywhere else. A dangling symlink on the way is refused: the engine would
 * follow it to wherever it points.
 */
export function resolveHostPath(path, fs = nodeFs) {
    const missing = [];
    let current = posix.normalize(path);
    for (;;) {
        try {
            return join(fs.realpath(current), ...missing.reverse());
        }
        catch (error) {
            if (error.code !== 'ENOENT')
                throw new UnresolvablePath(`${current}: ${error.message}`);
            if (fs.entryExists(current))
                throw new UnresolvablePath(`${current} is a symlink whose target does not exist`);
            const parent = posix.dirname(current);
            if (parent === current)
                throw new UnresolvablePath(`no part of ${path} exists`);
            missing.push(posix.basename(current));
            current = parent;
        }
    }
}
function within(path, root) {
    return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}
/**
 * Whether a task of `cluster` may bind-mount `path`. Allowed only when the path is
 * absolute, has no `..` segment, and its real path lies within the real path of one
 * of the policy's allowed roots: a symlink inside a root that points outside it is
 * caught because both sides are compared after resolution. The check reads the
 * controller's own file system, which is the engine's only for a local engine.
 */
export function checkHostPath(path, policy, cluster, fs = nodeFs) {
    const howToAllow = `add a directory containing it to spec.hostPathPolicy.allowedRoots of the Cluster manifest "${cluster}"`;
    if (!isAbsolute(path))
        return { allowed: false, reason: `host path "${path}" is not absolute` };
    if (path.split('/').includes('..'))
        return { allowed: false, reason: `host path "${path}" contains a ".." segment, which is never allowed; write the path without it` };
    if (path.includes(':'))
        return { allowed: false, reason: `host path "${path}" contains ":", which a Docker bind mount cannot express` };
    const roots = policy?.allowedRoots ?? [];
    if (roots.length === 0)
        return { allowed: false, reason: `host path "${path}" is not allowed: cluster "${cluster}" allows no host paths; ${howToAllow}` };
    let realPath;
    try {
        realPath = resolveHostPath(path, fs);
    }
    catch (error) {
        if (!(error instanceof UnresolvablePath))
            throw error;
        return { allowed: false, reason: `host path "${path}" cannot be resolved (${error.message})` };
    }
    for (const root of roots) {
        let realRoot;
        try {
            realRoot = resolveHostPath(root, fs);
        }
        catch (error) {
            if (!(error instanceof UnresolvablePath))
                throw error;
            continue;
        }
        if (within(realPath, realRoot))
            return { allowed: true, realPath };
    }
    const resolved = realPath === posix.normalize(path) ? '' : ` (real path "${realPath}")`;
    return {
        allowed: false,
        reason: `host path "${path}"${resolved} is outside the allowed roots of cluster "${cluster}" (${roots.join(', ')}); ${howToAllow}`,
    };
}
//# sourceMappingURL=hostPaths.js.map