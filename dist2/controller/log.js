import { pino } from 'pino';
/**
 * Human-readable lines on a terminal, JSON lines otherwise (files, containers, CI).
 * BERTH_LOG_FORMAT=json|pretty and BERTH_LOG_LEVEL override the choice.
 */
export function createLogger(options = {}) {
    const level = options.level ?? process.env.BERTH_LOG_LEVEL ?? 'info';
    const format = process.env.BERTH_LOG_FORMAT;
    const pretty = options.pretty ?? (format ? format === 'pretty' : Boolean(process.stderr.isTTY));
    if (options.destination)
        return pino({ level, base: undefined }, options.destination);
    if (pretty) {
        return pino({
            level,
            base: undefined,
            transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'reconcileId', translateTime: 'HH:MM:ss.l', singleLine: true } },
        });
    }
    return pino({ level, base: undefined }, pino.destination(2));
}
/** A logger that discards everything: for tests and library use. */
export const silentLogger = pino({ level: 'silent' });
//# sourceMappingURL=log.js.map