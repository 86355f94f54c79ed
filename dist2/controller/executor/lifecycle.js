import { LABEL } from '../runtime/labels.js';
/** Where the supervisor and the tests have always found it; the rule itself is an observation. */
export { restartPolicyOf, restartsInPlace } from '../observer/restarts.js';
import { DEFAULT_START_TIMEOUT_SECONDS, isPauseContainer } from '../taskspec/containerSpecs.js';
/** The task-definition name of a container (not its Docker name). */
export function ecsName(container) {
    return container.labels[LABEL.container] ?? container.name;
}
export function dependenciesOf(container) {
    const raw = container.labels[LABEL.dependsOn];
    if (!raw)
        return [];
    try {
        const parsed = JSON.parse(raw);
        return Array.isArray(parsed) ? parsed : [];
    }
    catch {
        return [];
    }
}
/** Whether `dependency` (undefined when it does not exist) meets `condition` now. Pure. */
export function dependencyVerdict(dependency, condition) {
    if (!dependency)
        return { met: false, failed: 'it does not exist' };
    const ended = dependency.state === 'exited' || dependency.state === 'dead';
    const exit = dependency.error ? `failed to start: ${dependency.error}` : `exited with code ${dependency.exitCode ?? 'unknown'}`;
    switch (condition) {
        case 'START':
            if (dependency.startedAt !== undefined && !dependency.error)
                return { met: true };
            return ended ? { met: false, failed: exit } : { met: false };
        case 'COMPLETE':
            if (ended && !dependency.error)
                return { met: true };
            return ended ? { met: false, failed: exit } : { met: false };
        case 'SUCCESS':
            if (ended && dependency.exitCode === 0 && !dependency.error)
                return { met: true };
            return ended ? { met: false, failed: exit } : { met: false };
        case 'HEALTHY':
            if (dependency.state === 'running' && dependency.health === 'healthy')
                return { met: true };
            if (ended)
                return { met: false, failed: exit };
            return dependency.health === 'unhealthy' ? { met: false, failed: 'its health check reports it unhealthy' } : { met: false };
    }
}
/** A dependency that failed or timed out: the task cannot start. */
export class DependencyError extends Error {
    name = 'DependencyError';
}
/**
 * Starts the task's created containers once their dependencies allow: a container
 * without dependsOn starts at once; one with dependsOn waits until every dependency
 * meets its condition. Rejects with a DependencyError when a dependency can no longer
 * meet its condition or does not within its startTimeout; start failures reject with
 * the engine's error. Resolves with 'cancelled' when the task was asked to stop meanwhile.
 */
export async function startTaskContainers(options) {
    const { runtime, now } = options;
    const pollMs = options.pollMs ?? 200;
    // A pause container starts first: the others join its namespaces (and depend on nothing else).
    const containers = [...options.containers].sort((a, b) => Number(isPauseContainer(b.labels)) - Number(isPauseContainer(a.labels)));
    const byName = new Map(containers.map((c) => [ecsName(c), c]));
    const pending = new Set(containers.filter((c) => c.state === 'created').map(ecsName));
    /** When each dependency was first waited on, for its startTimeout. */
    const waitingSince = new Map();
    while (pending.size > 0) {
        if (options.cancelled?.())
            return 'cancelled';
        const ready = [];
        for (const name of pending) {
            const container = byName.get(name);
            let allMet = true;
            for (const dependency of dependenciesOf(container)) {
                const verdict = dependencyVerdict(byName.get(dependency.containerName), dependency.condition);
                if (verdict.met)
                    continue;
                allMet = false;
                if (verdict.failed) {
                    throw new DependencyError(`container ${name} depends on ${dependency.containerName} reaching ${dependency.condition}, but ${dependency.containerName} ${verdict.failed}`);
                }
                const since = waitingSince.get(dependency.containerName) ?? now();
                waitingSince.set(dependency.containerName, since);
                const timeoutSeconds = startTimeoutOf(byName.get(dependency.containerName));
                if (now() - since >= timeoutSeconds * 1000) {
                    throw new DependencyError(`container ${name} depends on ${dependency.containerName} reaching ${dependency.condition}, which it did not within its startTimeout of ${timeoutSeconds} s`);
                }
            }
            if (allMet)
                ready.push(name);
        }
        for (const name of ready) {
            pending.delete(name);
            await runtime.start(byName.get(name).id);
        }
        if (pending.size === 0)
            break;
        if (ready.length === 0)
            await sleep(pollMs);
        // Fresh views of every container: a dependency may have started, exited or turned healthy.
        for (const [name, container] of byName) {
            const fresh = await runtime.inspect(container.id);
            if (fresh)
                byName.set(name, fresh);
            else if (pending.has(name))
                throw new DependencyError(`container ${name} was removed before it could start`);
        }
    }
    return 'started';
}
function startTimeoutOf(container) {
    const value = Number(container?.labels[LABEL.startTimeout]);
    return Number.isFinite(value) && value > 0 ? value : DEFAULT_START_TIMEOUT_SECONDS;
}
/**
 * The order in which a task's containers stop: each wave may stop together, and a
 * container stops only after every container that depends on it has stopped (ECS
 * stops dependents first). Containers caught in a dependency cycle stop last, together.
 */
export function stopWaves(containers) {
    const names = new Set(containers.map(ecsName));
    const dependents = new Map();
    for (const container of containers) {
        for (const dependency of dependenciesOf(container)) {
            if (!names.has(dependency.containerName))
                continue;
            const set = dependents.get(dependency.containerName) ?? new Set();
            set.add(ecsName(container));
            dependents.set(dependency.containerName, set);
        }
    }
    const waves = [];
    let remaining = [...containers];
    const stopped = new Set();
    while (remaining.length > 0) {
        const wave = remaining.filter((c) => [...(dependents.get(ecsName(c)) ?? [])].every((d) => stopped.has(d)));
        const next = wave.length > 0 ? wave : remaining;
        waves.push(next);
        for (const c of next)
            stopped.add(ecsName(c));
        remaining = remaining.filter((c) => !next.includes(c));
    }
    return waves;
}
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
//# sourceMappingURL=lifecycle.js.map