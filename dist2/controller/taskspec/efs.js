import { efsRootDirectoryProblem, normalizeEfsDirectory } from '../kinds/efs.js';
/** The image that makes EFS directories inside a file system's volume, unless the controller is given another (--efs-helper-image). */
export const DEFAULT_EFS_HELPER_IMAGE = 'berth/busybox:1';
/**
 * The directory of the file system an EFS volume mounts: its rootDirectory, or with an
 * access point the access point's root directory (the Cluster's `efsAccessPoints`). EFS
 * creates an access point's root directory with `creationInfo`'s owner and permissions;
 * without creationInfo EFS would refuse the mount of a missing one, and berth creates it
 * owned by the POSIX user instead (mode 755), so a local copy of an AWS setup runs. Throws
 * a message naming what is missing or wrong.
 *
 * Example: access point fsap-0123456789abcdef0 = {fileSystemId: fs-0123456789abcdef0,
 * posixUser: {uid: 1000, gid: 1000}, rootDirectory: {path: /app}} gives
 * {path: "/app", owner: {uid: 1000, gid: 1000, permissions: "755"}}.
 */
export function efsDirectoryFor(volume, options) {
    const id = volume.accessPointId;
    if (id === undefined)
        return { path: volume.directory };
    const accessPoint = options.accessPoints?.[id];
    if (!accessPoint)
        throw new Error(`access point "${id}" is not defined: add it to spec.efsAccessPoints of the Cluster manifest "${options.cluster}"`);
    if (accessPoint.fileSystemId !== volume.fileSystemId) {
        throw new Error(`access point "${id}" belongs to file system "${accessPoint.fileSystemId}", not "${volume.fileSystemId}"`);
    }
    const rootPath = accessPoint.rootDirectory?.path ?? '/';
    const problem = efsRootDirectoryProblem(rootPath, { withAccessPoint: false });
    if (problem !== undefined)
        throw new Error(`access point "${id}": rootDirectory.path ${problem}`);
    const creation = accessPoint.rootDirectory?.creationInfo;
    const posixUser = accessPoint.posixUser;
    const owner = creation
        ? { uid: creation.ownerUid, gid: creation.ownerGid, permissions: creation.permissions }
        : posixUser
            ? { uid: posixUser.uid, gid: posixUser.gid, permissions: '755' }
            : undefined;
    return { path: normalizeEfsDirectory(rootPath), ...(owner ? { owner } : {}) };
}
//# sourceMappingURL=efs.js.map