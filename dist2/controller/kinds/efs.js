/**
 * EFS directories as berth keeps them: a file system is one Docker volume per engine, and
 * every `rootDirectory` (or access point root) is its own subdirectory of that volume.
 * These helpers are pure, shared by validation and the launcher.
 */
/**
 * A rootDirectory in one canonical form: "/" for the file system's root, else "/a/b"
 * (repeated, leading and trailing slashes and "." parts dropped). ECS treats an omitted
 * rootDirectory and "/" alike, so both map to "/". Callers check efsRootDirectoryProblem first.
 */
export function normalizeEfsDirectory(path) {
    const parts = (path ?? '/').split('/').filter((part) => part !== '' && part !== '.');
    return `/${parts.join('/')}`;
}
/**
 * Why a rootDirectory cannot be used, or undefined when it can. A ".." part would leave
 * the directory tree the task was given (on EFS too the server refuses it); control
 * characters make no sane directory name. ECS refuses a rootDirectory other than "/"
 * next to an access point: the access point's own root directory applies.
 */
export function efsRootDirectoryProblem(path, options) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(path))
        return 'must not contain control characters';
    if (path.split('/').includes('..'))
        return `must not contain ".." (${JSON.stringify(path)}): a root directory is a path inside the file system`;
    if (options.withAccessPoint && normalizeEfsDirectory(path) !== '/') {
        return `must be omitted or "/" when authorizationConfig.accessPointId is set (${JSON.stringify(path)}): the access point's root directory applies`;
    }
    return undefined;
}
//# sourceMappingURL=efs.js.map