import { createHash } from 'node:crypto';
/**
 * JSON with object keys sorted at every level, so key order never changes the text.
 * Properties whose value is undefined are left out; a value that contains itself has no
 * canonical form and throws.
 */
export function canonicalJson(value, options = {}) {
    const compare = options.keyOrder === 'locale' ? (a, b) => a.localeCompare(b) : undefined;
    return canonical(value, new Set(), compare);
}
function canonical(value, ancestors, compare) {
    if (value === null || typeof value !== 'object') {
        if (typeof value === 'number' && !Number.isFinite(value))
            return 'null';
        if (typeof value === 'bigint')
            return value.toString();
        return JSON.stringify(value) ?? 'null';
    }
    if (ancestors.has(value))
        throw new Error('a value that contains itself has no canonical form');
    ancestors.add(value);
    let out;
    if (Array.isArray(value)) {
        out = `[${value.map((item) => canonical(item, ancestors, compare)).join(',')}]`;
    }
    else {
        const record = value;
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
export function shortHash(value, options = {}) {
    return createHash('sha256').update(canonicalJson(value, options)).digest('hex').slice(0, 16);
}
//# sourceMappingURL=hash.js.map