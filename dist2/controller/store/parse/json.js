/**
 * JSON manifest text → one raw document with a locator. A small parser of its own, because
 * JSON.parse reports neither positions nor duplicate keys.
 */
import { quote } from '../validate.js';
import { issueAt, PARSE_LIMITS } from './source.js';
class JsonSyntaxError extends Error {
    offset;
    constructor(offset, message) {
        super(message);
        this.offset = offset;
    }
}
const pathKey = (path) => JSON.stringify(path);
/**
 * Strict JSON (RFC 8259) that remembers where each key and value starts. Duplicate keys are
 * an error, as in YAML, and nesting is limited like YAML's.
 */
function parseJsonWithPositions(text, maxDepth) {
    const keyOffsets = new Map();
    const valueOffsets = new Map();
    const path = [];
    const n = text.length;
    let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const fail = (message, at = i) => {
        throw new JsonSyntaxError(at, message);
    };
    const describe = (at) => (at >= n ? 'end of file' : `character ${JSON.stringify(text[at])}`);
    const skipSpace = () => {
        while (i < n) {
            const c = text.charCodeAt(i);
            if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d)
                i++;
            else
                break;
        }
    };
    const readString = () => {
        const opening = i;
        i++; // opening quote
        let out = '';
        let chunk = i;
        while (true) {
            if (i >= n)
                fail('unterminated string', opening);
            const c = text.charCodeAt(i);
            if (c === 0x22) {
                out += text.slice(chunk, i);
                i++;
                return out;
            }
            if (c === 0x0a || c === 0x0d)
                fail('unterminated string (a line break inside a string must be written \\n)', opening);
            if (c < 0x20)
                fail('control characters must be escaped inside strings');
            if (c === 0x5c) {
                out += text.slice(chunk, i);
                const escape = text[i + 1];
                const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
                if (escape !== undefined && Object.hasOwn(simple, escape)) {
                    out += simple[escape];
                    i += 2;
                }
                else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
                    out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
                    i += 6;
                }
                else {
                    fail('invalid escape sequence in string');
                }
                chunk = i;
                continue;
            }
            i++;
        }
    };
    const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    let values = 0;
    const readValue = (depth) => {
        skipSpace();
        // Every value costs two position entries and a validation: bounded as YAML's nodes are.
        if (++values > PARSE_LIMITS.maxNodes)
            fail(`the file holds more than ${PARSE_LIMITS.maxNodes} values; this limit guards against resource exhaustion`);
        valueOffsets.set(pathKey(path), i);
        const c = text[i];
        if (c === '{' || c === '[') {
            if (depth + 1 > maxDepth)
                fail(`nesting is deeper than ${maxDepth} levels`);
            return c === '{' ? readObject(depth + 1) : readArray(depth + 1);
        }
        if (c === '"')
            return readString();
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
            NUMBER.lastIndex = i;
            const match = NUMBER.exec(text);
            if (!match)
                return fail('invalid number');
            i += match[0].length;
            return Number(match[0]);
        }
        for (const [word, literal] of [['true', true], ['false', false], ['null', null]]) {
            if (text.startsWith(word, i)) {
                i += word.length;
                return literal;
            }
        }
        return fail(`unexpected ${describe(i)}, expected a value`);
    };
    const readObject = (depth) => {
        const object = {};
        i++;
        skipSpace();
        if (text[i] === '}') {
            i++;
            return object;
        }
        while (true) {
            skipSpace();
            if (text[i] !== '"')
                fail(`unexpected ${describe(i)}, expected a double-quoted property name`);
            const keyAt = i;
            const key = readString();
            if (Object.hasOwn(object, key))
                fail(`duplicate key ${quote(key)}: keys must be unique within an object`, keyAt);
            skipSpace();
            if (text[i] !== ':')
                fail(`unexpected ${describe(i)}, expected ':' after a property name`);
            i++;
            path.push(key);
            keyOffsets.set(pathKey(path), keyAt);
            const value = readValue(depth);
            path.pop();
            // defineProperty: a "__proto__" key stays an ordinary field (and is rejected as unknown).
            Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
            skipSpace();
            if (text[i] === ',') {
                i++;
                skipSpace();
                if (text[i] === '}')
                    fail('trailing commas are not allowed in JSON');
                continue;
            }
            if (text[i] === '}') {
                i++;
                return object;
            }
            fail(`unexpected ${describe(i)}, expected ',' or '}' after a property value`);
        }
    };
    const readArray = (depth) => {
        const array = [];
        i++;
        skipSpace();
        if (text[i] === ']') {
            i++;
            return array;
        }
        while (true) {
            path.push(array.length);
            array.push(readValue(depth));
            path.pop();
            skipSpace();
            if (text[i] === ',') {
                i++;
                skipSpace();
                if (text[i] === ']')
                    fail('trailing commas are not allowed in JSON');
                continue;
            }
            if (text[i] === ']') {
                i++;
                return array;
            }
            fail(`unexpected ${describe(i)}, expected ',' or ']' after an array item`);
        }
    };
    skipSpace();
    if (i >= n)
        return undefined; // empty file: nothing declared (as an empty YAML file)
    const value = readValue(0);
    skipSpace();
    if (i < n)
        fail(`unexpected ${describe(i)} after the end of the JSON document`);
    return { value, keyOffsets, valueOffsets };
}
export function readJson(text, lines, issues) {
    let parsed;
    try {
        parsed = parseJsonWithPositions(text, PARSE_LIMITS.maxDepth);
    }
    catch (error) {
        if (!(error instanceof JsonSyntaxError))
            throw error;
        issues.push(issueAt(lines.position(error.offset), error.message));
        return [];
    }
    if (!parsed)
        return [];
    const { value, keyOffsets, valueOffsets } = parsed;
    const start = lines.position(valueOffsets.get(pathKey([])) ?? 0);
    const locate = (path, at) => {
        for (let length = path.length; length >= 0; length--) {
            const prefix = path.slice(0, length);
            const offsets = at === 'key' && length === path.length ? keyOffsets : valueOffsets;
            const offset = offsets.get(pathKey(prefix));
            if (offset !== undefined)
                return lines.position(offset);
        }
        return start;
    };
    return [{ docIndex: 0, start, value, locate }];
}
//# sourceMappingURL=json.js.map