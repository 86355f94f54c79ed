import { errorMessage } from '../errors.js';
/** The file system has no room (or the user's quota is used up): it passes once space returns. */
export function isOutOfSpace(error) {
    const code = error?.code;
    return code === 'ENOSPC' || code === 'EDQUOT';
}
/** DiskFull for a full disk or quota; WriteFailed for anything else (read-only, permissions, I/O errors). */
export function writeFailureReason(error) {
    return isOutOfSpace(error) ? 'DiskFull' : 'WriteFailed';
}
/**
 * A side path's writes failing (a full disk, mostly): how long to wait before the
 * next attempt, doubling from `initialMs` to `maxMs`, and the controller's health
 * that says so. The writer keeps its data and calls {@link failed} after each
 * failed attempt and {@link succeeded} after a write went through; the first
 * success after a failure clears the health problem. Nothing here throws.
 */
export class WriteBackoff {
    options;
    failures = 0;
    initialMs;
    maxMs;
    constructor(options) {
        this.options = options;
        this.initialMs = options.initialMs ?? 1000;
        this.maxMs = options.maxMs ?? 30_000;
    }
    /** Whether the last attempt failed: writers then wait for their retry instead of trying on every change. */
    get failing() {
        return this.failures > 0;
    }
    /** Records a failed attempt; returns the delay before the next one. */
    failed(error, context = {}) {
        this.failures += 1;
        const delayMs = Math.min(this.maxMs, this.initialMs * 2 ** (this.failures - 1));
        const { component, what, meanwhile, logger, health } = this.options;
        const reason = writeFailureReason(error);
        const cause = errorMessage(error);
        // The health problem keeps one message per reason, so it is reported (and logged) once, not on every retry.
        const message = reason === 'DiskFull'
            ? `the disk is full: ${what} cannot be written (${cause}); they are ${meanwhile}`
            : `${what} cannot be written (${cause}); they are ${meanwhile}`;
        health?.report({ component, severity: 'degraded', reason, message });
        const log = this.failures === 1 ? logger.warn.bind(logger) : logger.debug.bind(logger);
        log({ reason, err: cause, ...(context.path ? { file: context.path } : {}), retryInMs: delayMs }, `cannot write ${what}; retrying`);
        return delayMs;
    }
    /** A write went through: the disk has room again. */
    succeeded() {
        if (this.failures === 0)
            return;
        this.failures = 0;
        this.options.logger.info({ component: this.options.component }, `${this.options.what} are written again`);
        this.options.health?.clear(this.options.component);
    }
}
//# sourceMappingURL=writeBackoff.js.map