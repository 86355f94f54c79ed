/**
 * The task definition a run actually launches: the revision's spec with the run's
 * overrides applied, as ECS RunTask applies them. `command` replaces the container's
 * command; `environment` entries replace the definition's entries of the same name and
 * add the others; cpu, memory and memoryReservation replace. Pure: the revision's own
 * spec is shared with every other task of it and is never changed.
 */
export function applyOverrides(spec, overrides) {
    if (!overrides)
        return spec;
    const byName = new Map((overrides.containerOverrides ?? []).map((o) => [o.name, o]));
    const result = {
        ...spec,
        containerDefinitions: spec.containerDefinitions.map((definition) => {
            const override = byName.get(definition.name);
            if (!override)
                return definition;
            const next = { ...definition };
            if (override.command)
                next.command = [...override.command];
            if (override.environment)
                next.environment = mergeEnvironment(definition.environment ?? [], override.environment);
            if (override.cpu !== undefined)
                next.cpu = override.cpu;
            if (override.memory !== undefined)
                next.memory = override.memory;
            if (override.memoryReservation !== undefined)
                next.memoryReservation = override.memoryReservation;
            return next;
        }),
    };
    if (overrides.cpu !== undefined)
        result.cpu = overrides.cpu;
    if (overrides.memory !== undefined)
        result.memory = overrides.memory;
    return result;
}
/** [A=1, B=2] with overrides [B=3, C=4] gives [A=1, B=3, C=4]: the definition's order first. */
export function mergeEnvironment(base, overrides) {
    const values = new Map(overrides.map((e) => [e.name, e.value]));
    const merged = base.map((e) => (values.has(e.name) ? { name: e.name, value: values.get(e.name) } : e));
    const present = new Set(base.map((e) => e.name));
    return [...merged, ...overrides.filter((e) => !present.has(e.name))];
}
/** Override names that are no container of the definition, in ECS's words; empty when all are. */
export function overrideProblems(spec, overrides) {
    const names = new Set(spec.containerDefinitions.map((c) => c.name));
    return (overrides?.containerOverrides ?? [])
        .filter((o) => !names.has(o.name))
        .map((o) => `Override for container named ${o.name} is not a container in the TaskDefinition (containers: ${[...names].join(', ')}).`);
}
//# sourceMappingURL=overrides.js.map