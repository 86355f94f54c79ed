import { StringDecoder } from 'node:string_decoder';
import type { RuntimeEvent } from '../runtime.js';

/** The engine's event stream → RuntimeEvents. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Only lifecycle actions are followed: exec_* and the like would wake observers for
 * nothing. (The engine matches health_status by prefix, "health_status: healthy".)
 */
export const FOLLOWED_ACTIONS = ['create', 'start', 'restart', 'kill', 'oom', 'die', 'stop', 'pause', 'unpause', 'destroy', 'health_status'];

/** Attributes the engine adds to a container event next to the container's labels. */
export const ENGINE_EVENT_ATTRIBUTES = new Set(['image', 'name', 'exitCode', 'signal', 'execID', 'execDuration']);

/** One message of the engine's events stream, as far as berth reads it. */
export interface DockerEventMessage {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/**
 * Splits newline-delimited JSON that may arrive cut anywhere, even inside a
 * multi-byte character, into parsed messages.
 */
export class JsonLinesDecoder {
  private readonly utf8 = new StringDecoder('utf8');
  private pending = '';
  private readonly onMalformed: (line: string) => void;

  constructor(options: { onMalformed?: (line: string) => void } = {}) {
    this.onMalformed = options.onMalformed ?? (() => undefined);
  }

  push(chunk: Buffer | string): unknown[] {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.utf8.write(chunk));
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    const messages: unknown[] = [];
    for (const raw of lines) {
      const line = raw.trim();
      if (line === '') continue;
      try {
        messages.push(JSON.parse(line));
      } catch {
        this.onMalformed(line);
      }
    }
    return messages;
  }
}

export function toRuntimeEvent(message: unknown): RuntimeEvent | undefined {
  if (!isRecord(message)) return undefined;
  const { Type, Action, Actor } = message as DockerEventMessage;
  if (Type !== 'container' || typeof Action !== 'string' || typeof Actor?.ID !== 'string') return undefined;
  const attributes = Actor.Attributes ?? {};
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!ENGINE_EVENT_ATTRIBUTES.has(key)) labels[key] = value;
  }
  const event: RuntimeEvent = { type: 'container', action: Action, id: Actor.ID, labels };
  if (Action === 'die' && attributes.exitCode !== undefined) event.exitCode = Number(attributes.exitCode);
  return event;
}
