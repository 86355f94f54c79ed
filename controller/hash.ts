import { createHash } from 'node:crypto';

/**
 * How object keys are ordered in canonical JSON. Everything hashes with "codeUnit"
 * (JavaScript's default sort). The run record of a Task manifest was first written with
 * "locale" (localeCompare): a different order would make a restarted controller take
 * every running Task for edited, so that one hash keeps it.
 */
export type KeyOrder = 'codeUnit' | 'locale';

export interface CanonicalOptions {
  /** @default 'codeUnit' */
  keyOrder?: KeyOrder;
}

/**
 * JSON with object keys sorted at every level, so key order never changes the text.
 * Properties whose value is undefined are left out; a value that contains itself has no
 * canonical form and throws.
 */
export function canonicalJson(value: unknown, options: CanonicalOptions = {}): string {
  const compare = options.keyOrder === 'locale' ? (a: string, b: string) => a.localeCompare(b) : undefined;
  return canonical(value, new Set(), compare);
}

function canonical(value: unknown, ancestors: Set<object>, compare: ((a: string, b: string) => number) | undefined): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    if (typeof value === 'bigint') return value.toString();
    return JSON.stringify(value) ?? 'null';
  }
  if (ancestors.has(value)) throw new Error('a value that contains itself has no canonical form');
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((item: unknown) => canonical(item, ancestors, compare)).join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort(compare);
    out = `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k], ancestors, compare)}`).join(',')}}`;
  }
  ancestors.delete(value);
  return out;
}

/**
 * sha256 of the canonical JSON, first 16 hex characters. These values are written into
 * container labels and the state directory: changing how they are computed would make an
 * upgraded controller replace every running container, so test/unit/hash.test.ts pins them.
 */
export function shortHash(value: unknown, options: CanonicalOptions = {}): string {
  return createHash('sha256').update(canonicalJson(value, options)).digest('hex').slice(0, 16);
}
