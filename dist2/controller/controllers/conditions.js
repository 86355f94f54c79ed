import { formatManifestError } from '../store/parse.js';
/**
 * Typed conditions whose lastTransitionTime moves only when their status does, so
 * an unchanged observation writes an unchanged status (and no file write at all).
 */
export function buildConditions(inputs, previous, now) {
    return inputs.map((input) => {
        const status = input.status ?? 'True';
        const before = previous.find((p) => p.type === input.type);
        const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : new Date(now).toISOString();
        return { type: input.type, status, reason: input.reason, message: input.message, lastTransitionTime };
    });
}
/** The `Valid` condition of every kind: False, with file:line:column, while the current edit is invalid. */
export function validCondition(errors, keptNote) {
    if (errors.length === 0)
        return { type: 'Valid', status: 'True', reason: 'SpecAccepted', message: 'The spec is valid.' };
    return { type: 'Valid', status: 'False', reason: 'InvalidSpec', message: `${errors.map(formatManifestError).join('; ')} (${keptNote})` };
}
//# sourceMappingURL=conditions.js.map