import { StringDecoder } from 'node:string_decoder';
/** The engine's event stream → RuntimeEvents. */
export function isRecord(value) {
    return typeof value === 'object' && value !== null;
}
/**
 * Only lifecycle actions are followed: exec_* and the like would wake observers for
 * nothing. (The engine matches health_status by prefix, "health_status: healthy".)
 */
export const FOLLOWED_ACTIONS = ['create', 'start', 'restart', 'kill', 'oom', 'die', 'stop', 'pause', 'unpause', 'destroy', 'health_status'];
/** Attributes the engine adds to a container event next to the container's labels. */
export const ENGINE_EVENT_ATTRIBUTES = new Set(['image', 'name', 'exitCode', 'signal', 'execID', 'execDuration']);
/**
 * Splits newline-delimited JSON that may arrive cut anywhere, even inside a
 * multi-byte character, into parsed messages.
 */
export class JsonLinesDecoder {
    utf8 = new StringDecoder('utf8');
    pending = '';
    onMalformed;
    constructor(options = {}) {
        this.onMalformed = options.onMalformed ?? (() => undefined);
    }
    push(chunk) {
        const text = this.pending + (typeof chunk === 'string' ? chunk : this.utf8.write(chunk));
        const lines = text.split('\n');
        this.pending = lines.pop() ?? '';
        const messages = [];
        for (const raw of lines) {
            const line = raw.trim();
            if (line === '')
                continue;
            try {
                messages.push(JSON.parse(line));
            }
            catch {
                this.onMalformed(line);
            }
        }
        return messages;
    }
}
export function toRuntimeEvent(message) {
    if (!isRecord(message))
        return undefined;
    const { Type, Action, Actor } = message;
    if (Type !== 'container' || typeof Action !== 'string' || typeof Actor?.ID !== 'string')
        return undefined;
    const attributes = Actor.Attributes ?? {};
    const labels = {};
    for (const [key, value] of Object.entries(attributes)) {
        if (!ENGINE_EVENT_ATTRIBUTES.has(key))
            labels[key] = value;
    }
    const event = { type: 'container', action: Action, id: Actor.ID, labels };
    if (Action === 'die' && attributes.exitCode !== undefined)
        event.exitCode = Number(attributes.exitCode);
    return event;
}
//# sourceMappingURL=events.js.map