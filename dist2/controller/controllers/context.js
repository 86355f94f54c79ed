/**
 * Writes a kind's status, typed by its kind's status schema (kinds/), which the published
 * schema under manifests/ shows. The sink takes plain records: it writes any kind.
 */
export function writeStatus(sink, target, status) {
    return sink.write(target, status);
}
/** Writes a status that was planned as data. */
export function writePlannedStatus(sink, { status, ...target }) {
    return sink.write(target, status);
}
/** An error no retry can fix: it lands in status and the log, and the key is not retried. */
export class TerminalError extends Error {
}
//# sourceMappingURL=context.js.map