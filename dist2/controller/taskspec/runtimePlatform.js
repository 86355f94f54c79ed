/** The condition reason of a task definition whose runtimePlatform the engine does not have. */
export const RUNTIME_PLATFORM_MISMATCH = 'RuntimePlatformMismatch';
/** The names engines report (`docker info` Architecture, Go's GOARCH) for each ECS cpuArchitecture. */
const ARCHITECTURES = {
    X86_64: ['x86_64', 'amd64'],
    ARM64: ['aarch64', 'arm64'],
};
/** ECS operatingSystemFamily → `docker info` OSType: LINUX is linux, every WINDOWS_SERVER_* is windows. */
function osTypeOf(family) {
    return family === 'LINUX' ? 'linux' : 'windows';
}
/**
 * Why an engine cannot run the task definition's runtimePlatform, naming the field, or
 * undefined when it can or when the engine does not say what it is. ECS treats
 * runtimePlatform as a placement requirement: a task goes only to a container instance of
 * that OS and architecture, and runs nowhere else.
 *
 *   runtimePlatform {cpuArchitecture: ARM64} on an x86_64 engine →
 *   "runtimePlatform.cpuArchitecture ARM64 does not match the engine's architecture x86_64"
 */
export function runtimePlatformMismatch(spec, engine) {
    const platform = spec.runtimePlatform;
    if (!platform)
        return undefined;
    const problems = [];
    const family = platform.operatingSystemFamily;
    if (family !== undefined && engine.operatingSystem !== undefined && osTypeOf(family) !== engine.operatingSystem.toLowerCase()) {
        problems.push(`runtimePlatform.operatingSystemFamily ${family} does not match the engine's OS type ${engine.operatingSystem}`);
    }
    const architecture = platform.cpuArchitecture;
    if (architecture !== undefined && engine.architecture !== undefined && !ARCHITECTURES[architecture]?.includes(engine.architecture.toLowerCase())) {
        problems.push(`runtimePlatform.cpuArchitecture ${architecture} does not match the engine's architecture ${engine.architecture}`);
    }
    return problems.length ? problems.join('; ') : undefined;
}
/**
 * What each engine is, asked once: an engine's OS and architecture do not change while it
 * answers at the same address. A failed answer is not kept, so the next launch asks again.
 */
const enginePlatforms = new WeakMap();
/** The engine's `docker info`, or undefined when it does not answer (the launch then fails its own way). */
export async function enginePlatform(runtime) {
    const known = enginePlatforms.get(runtime);
    if (known)
        return known;
    try {
        const info = await runtime.ping();
        enginePlatforms.set(runtime, info);
        return info;
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=runtimePlatform.js.map