import { lstatSync, realpathSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import type { HostPathPolicy } from '../kinds/index.js';

/** The outcome of checking one host path against a cluster's policy. */
export type HostPathVerdict = { allowed: true; realPath: string } | { allowed: false; reason: string };

/** The file system calls the check makes; tests may substitute them. */
export interface HostPathFs {
  realpath(path: string): string;
  /** Whether a directory entry exists at `path` itself, a dangling symlink included. */
  entryExists(path: string): boolean;
}

const nodeFs: HostPathFs = {
  realpath: (path) => realpathSync.native(path),
  entryExists: (path) => {
    try {
      lstatSync(path);
      return true;
    } catch {
      return false;
    }
  },
};

/** Why a path could not be resolved safely: it is rejected rather than guessed at. */
class UnresolvablePath extends Error {}

/**
 * The real path of `path`, symlinks resolved. A path that does not exist yet (the
 * engine creates a missing bind source) is its nearest existing ancestor's real path
 * plus the missing segments: those are created as plain directories, so they cannot
 * lead anywhere else. A dangling symlink on the way is refused: the engine would
 * follow it to wherever it points.
 */
export function resolveHostPath(path: string, fs: HostPathFs = nodeFs): string {
  const missing: string[] = [];
  let current = posix.normalize(path);
  for (;;) {
    try {
      return join(fs.realpath(current), ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UnresolvablePath(`${current}: ${(error as Error).message}`);
      if (fs.entryExists(current)) throw new UnresolvablePath(`${current} is a symlink whose target does not exist`);
      const parent = posix.dirname(current);
      if (parent === current) throw new UnresolvablePath(`no part of ${path} exists`);
      missing.push(posix.basename(current));
      current = parent;
    }
  }
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/**
 * Whether a task of `cluster` may bind-mount `path`. Allowed only when the path is
 * absolute, has no `..` segment, and its real path lies within the real path of one
 * of the policy's allowed roots: a symlink inside a root that points outside it is
 * caught because both sides are compared after resolution. The check reads the
 * controller's own file system, which is the engine's only for a local engine.
 */
export function checkHostPath(path: string, policy: HostPathPolicy | undefined, cluster: string, fs: HostPathFs = nodeFs): HostPathVerdict {
  const howToAllow = `add a directory containing it to spec.hostPathPolicy.allowedRoots of the Cluster manifest "${cluster}"`;
  if (!isAbsolute(path)) return { allowed: false, reason: `host path "${path}" is not absolute` };
  if (path.split('/').includes('..')) return { allowed: false, reason: `host path "${path}" contains a ".." segment, which is never allowed; write the path without it` };
  if (path.includes(':')) return { allowed: false, reason: `host path "${path}" contains ":", which a Docker bind mount cannot express` };
  const roots = policy?.allowedRoots ?? [];
  if (roots.length === 0) return { allowed: false, reason: `host path "${path}" is not allowed: cluster "${cluster}" allows no host paths; ${howToAllow}` };
  let realPath: string;
  try {
    realPath = resolveHostPath(path, fs);
  } catch (error) {
    if (!(error instanceof UnresolvablePath)) throw error;
    return { allowed: false, reason: `host path "${path}" cannot be resolved (${error.message})` };
  }
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = resolveHostPath(root, fs);
    } catch (error) {
      if (!(error instanceof UnresolvablePath)) throw error;
      continue;
    }
    if (within(realPath, realRoot)) return { allowed: true, realPath };
  }
  const resolved = realPath === posix.normalize(path) ? '' : ` (real path "${realPath}")`;
  return {
    allowed: false,
    reason: `host path "${path}"${resolved} is outside the allowed roots of cluster "${cluster}" (${roots.join(', ')}); ${howToAllow}`,
  };
}
