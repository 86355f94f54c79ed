import type { HostPortInUse, Runtime } from '../runtime/runtime.js';

/**
 * The host ports the engine's running containers hold, asked only when a task needs a
 * fixed one (most do not, and the answer is gone the moment a container stops).
 */
export async function observeHostPorts(runtime: Runtime, needed: boolean): Promise<HostPortInUse[]> {
  return needed ? runtime.hostPortsInUse() : [];
}
