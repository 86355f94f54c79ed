/**
 * The host ports the engine's running containers hold, asked only when a task needs a
 * fixed one (most do not, and the answer is gone the moment a container stops).
 */
export async function observeHostPorts(runtime, needed) {
    return needed ? runtime.hostPortsInUse() : [];
}
//# sourceMappingURL=hostPorts.js.map