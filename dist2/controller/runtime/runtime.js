/**
 * A call the engine refused or could not answer. The message names the engine, the
 * operation and the engine's own text; `statusCode` lets callers tell a missing
 * container (404) or a name conflict (409) from an engine that is down (undefined).
 */
export class EngineError extends Error {
    name = 'EngineError';
    engine;
    operation;
    /** The engine's HTTP status; undefined when it did not answer at all. */
    statusCode;
    /** The engine's own text, without berth's prefix. */
    engineMessage;
    /** The engine could not be reached at all (connection refused, socket gone, connection reset). */
    unreachable;
    constructor(options) {
        super(`engine ${options.engine}: ${options.operation}: ${options.engineMessage}`, { cause: options.cause });
        this.engine = options.engine;
        this.operation = options.operation;
        this.statusCode = options.statusCode;
        this.engineMessage = options.engineMessage;
        this.unreachable = options.unreachable === true;
    }
}
/**
 * Whether `error`, or an error it was caused by, says the engine could not be reached:
 * the engine's absence, not anything the task did.
 */
export function isEngineUnreachable(error) {
    for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
        if (current instanceof EngineError && current.unreachable)
            return true;
    }
    return false;
}
//# sourceMappingURL=runtime.js.map