import { errorMessage } from './errors.js';
/**
 * An observer for the controller's long-lived streams (engine events, manifest
 * changes, health changes). rxjs reports an exception thrown by a subscriber's
 * `next`, or an error with no handler, by rethrowing it on a timer, which ends the
 * process. A side path (logs, state records, status) must never do that: here
 * each value's failure is logged and the stream goes on, and an error of the
 * stream itself is logged as the end of that stream.
 */
export function guardedObserver(options) {
    const { logger, stream, next } = options;
    return {
        next: (value) => {
            try {
                next(value);
            }
            catch (error) {
                logger.error({ stream, err: errorMessage(error) }, 'handling a stream value failed; the stream goes on');
            }
        },
        error: (error) => logger.error({ stream, err: errorMessage(error) }, 'stream failed; it delivers nothing more'),
        complete: () => undefined,
    };
}
//# sourceMappingURL=streams.js.map