/** The driver Docker uses when a volume names none. */
const LOCAL_DRIVER = 'local';
/** Mount flags a bind of an allowed host path may carry: none of them reaches beyond the bound directory. */
const BIND_FLAGS = new Set(['bind', 'rbind', 'ro', 'rw', 'nosuid', 'nodev', 'noexec']);
/** The local driver's option keys for a bind: anything else is no bind of a directory. */
const BIND_KEYS = new Set(['type', 'o', 'device']);
/**
 * The verdict for one Docker volume. Pure: the host path of a bind is checked by the
 * caller (checkHostPath), since that reads the file system.
 *
 * Examples, for a cluster "shop" without a volumePolicy:
 * - `{driver: local}` → plain;
 * - `{driverOpts: {type: none, o: bind, device: /srv/data}}` → hostPath /srv/data;
 * - `{driverOpts: {type: nfs, o: addr=10.0.0.2, device: ":/export"}}` → refused, unless
 *   allowedLocalMountTypes lists nfs;
 * - `{driver: rexray/ebs}` → refused, unless allowedDrivers lists rexray/ebs.
 */
export function checkDockerVolume(ask, policy, cluster) {
    const howTo = (field) => `add it to spec.volumePolicy.${field} of the Cluster manifest "${cluster}"`;
    const driver = ask.driver ?? LOCAL_DRIVER;
    if (driver !== LOCAL_DRIVER) {
        if (policy?.allowedDrivers?.includes(driver))
            return { kind: 'allowed' };
        return { kind: 'refused', reason: `dockerVolumeConfiguration.driver "${driver}" is not allowed by cluster "${cluster}"; ${howTo('allowedDrivers')}` };
    }
    const options = ask.driverOpts ?? {};
    if (Object.keys(options).length === 0)
        return { kind: 'plain' };
    const type = options.type;
    const flags = (options.o ?? '')
        .split(',')
        .map((flag) => flag.trim())
        .filter((flag) => flag !== '');
    const isBind = flags.includes('bind') || flags.includes('rbind') || type === 'none' || type === 'bind';
    if (isBind) {
        const device = options.device;
        if (device === undefined || device === '')
            return { kind: 'refused', reason: 'dockerVolumeConfiguration.driverOpts bind a host path but name none (driverOpts.device)' };
        const extraKey = Object.keys(options).find((key) => !BIND_KEYS.has(key));
        if (extraKey !== undefined)
            return { kind: 'refused', reason: `dockerVolumeConfiguration.driverOpts.${extraKey} is not allowed on a bind of a host path (only type, o and device)` };
        const extraFlag = flags.find((flag) => !BIND_FLAGS.has(flag));
        if (extraFlag !== undefined) {
            return { kind: 'refused', reason: `dockerVolumeConfiguration.driverOpts.o flag "${extraFlag}" is not allowed on a bind of a host path (only ${[...BIND_FLAGS].join(', ')})` };
        }
        return { kind: 'hostPath', device };
    }
    if (type === undefined || type === '') {
        return {
            kind: 'refused',
            reason: `dockerVolumeConfiguration.driverOpts (${Object.keys(options).join(', ')}) of the local driver name no mount type (driverOpts.type); a mount type must be allowed by cluster "${cluster}" in spec.volumePolicy.allowedLocalMountTypes`,
        };
    }
    if (policy?.allowedLocalMountTypes?.includes(type))
        return { kind: 'allowed' };
    return { kind: 'refused', reason: `dockerVolumeConfiguration.driverOpts.type "${type}" (a mount by the local driver) is not allowed by cluster "${cluster}"; ${howTo('allowedLocalMountTypes')}` };
}
//# sourceMappingURL=volumePolicy.js.map