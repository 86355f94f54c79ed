/**
 * Text surgery on manifest files: find a document's `status:` block and swap it
 * for a new one without touching a single other byte.
 *
 * Users own everything in a manifest except `status`, so re-stringifying a
 * document (which would re-flow comments, quotes and blank lines) is not an
 * option. Instead the yaml library's CST gives exact offsets for the status
 * pair, and the new block is spliced into the original text. Every result is
 * parsed again and checked before it is returned, so a bug here throws rather
 * than producing a file that means something else.
 *
 * Vocabulary used below:
 * - "content end" of a token: the offset just past its last meaningful
 *   character (comments, spaces and line breaks after it do not count);
 * - "status region": from the start of the `status` key's line to the end of
 *   the line holding the status value's content end. Comments above and below
 *   that region belong to the user and stay; comments inside it are replaced
 *   with the block, because the block is owned by the controller.
 */
import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, parseAllDocuments } from 'yaml';
import { errorMessage } from '../errors.js';
export class StatusWriteError extends Error {
    name = 'StatusWriteError';
    reason;
    constructor(reason, message, options) {
        super(message, options);
        this.reason = reason;
    }
}
/** Kind and metadata.name of every document, in file order. Throws {@link StatusWriteError} when the text does not parse. */
export function locateDocuments(source) {
    return parseStrict(source).map((doc, index) => ({ ...identify(doc), index }));
}
/**
 * The current `status` of one document as plain data: `undefined` when the key
 * is absent, `null` for `status:` / `status: null`.
 */
export function readStatus(source, target) {
    const { doc } = findTarget(parseStrict(source), target);
    return statusOf(doc);
}
/**
 * Returns `source` with only the `status` of the target document replaced
 * (inserted when absent, removed when `status` is undefined). See the module
 * comment for what is preserved; the result is verified before it is returned.
 */
export function replaceStatus(source, target, status) {
    const { text, outcomes } = spliceStatuses(source, [{ target, status }]);
    if (outcomes[0] === 'gone')
        throw new StatusWriteError('not-found', `no ${target.kind} named "${target.name}" in the file`);
    return text;
}
/**
 * Puts several documents' statuses into `source` at once: the text is parsed once to read
 * and locate every current status, the edits are applied from the end of the text
 * backwards (so each one's offsets still hold), and the result is parsed once more to
 * verify it. A status-only write costs two parses whatever the number of documents.
 * Throws {@link StatusWriteError}: 'parse-error' when the text does not parse,
 * 'ambiguous' when a target appears twice.
 */
export function spliceStatuses(source, splices) {
    const docs = parseStrict(source);
    const edits = [];
    const newStatuses = new Map();
    const outcomes = splices.map(({ target, status }) => {
        const found = findTargetOrUndefined(docs, target);
        if (!found)
            return 'gone';
        const value = status === undefined ? undefined : normalizeStatus(status);
        if (isDeepStrictEqual(statusOf(found.doc), value))
            return 'unchanged';
        edits.push({ ...statusEdit(source, found.doc, value), index: found.index });
        newStatuses.set(found.index, value);
        return 'written';
    });
    if (edits.length === 0)
        return { text: source, outcomes };
    let text = source;
    for (const edit of edits.sort((a, b) => b.start - a.start))
        text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    verifySplice({ before: docs, result: text, statuses: newStatuses });
    return { text, outcomes };
}
/**
 * The status as it will read back from a file: JSON semantics (undefined
 * members dropped, Dates as ISO strings, non-finite numbers as null). Callers
 * compare against this, never against the raw object, to decide "unchanged".
 */
export function normalizeStatus(status) {
    const json = JSON.parse(JSON.stringify(status));
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
        throw new StatusWriteError('invalid-target', 'status must be a mapping');
    }
    return json;
}
function parseStrict(source) {
    const docs = parseAllDocuments(source, { keepSourceTokens: true });
    if (!Array.isArray(docs))
        return []; // an empty stream: nothing but comments or whitespace
    for (const doc of docs) {
        const error = doc.errors[0];
        if (error) {
            throw new StatusWriteError('parse-error', `the file does not parse: ${error.message.split('\n')[0] ?? error.code}`, { cause: error });
        }
    }
    return docs;
}
function identify(doc) {
    const kind = doc.get('kind');
    const name = doc.getIn(['metadata', 'name']);
    return {
        ...(typeof kind === 'string' ? { kind } : {}),
        ...(typeof name === 'string' ? { name } : {}),
    };
}
function findTarget(docs, target) {
    const found = findTargetOrUndefined(docs, target);
    if (!found)
        throw new StatusWriteError('not-found', `no ${target.kind} named "${target.name}" in the file`);
    return found;
}
/** The one document of the target's kind and name; undefined when there is none. */
function findTargetOrUndefined(docs, target) {
    const matches = docs
        .map((doc, index) => ({ doc, index, id: identify(doc) }))
        .filter(({ id }) => id.kind === target.kind && id.name === target.name);
    const [first, second] = matches;
    if (second && first) {
        throw new StatusWriteError('ambiguous', `${target.kind} "${target.name}" appears more than once in the file (documents ${first.index + 1} and ${second.index + 1})`);
    }
    return first;
}
/** The document as plain data; a document that cannot be (an alias bomb) is refused rather than half-read. */
function toPlain(doc) {
    try {
        return doc.toJS();
    }
    catch (error) {
        throw new StatusWriteError('unsupported', `the document cannot be read as plain data: ${errorMessage(error)}`, { cause: error });
    }
}
function statusOf(doc) {
    const js = toPlain(doc);
    if (js === null || typeof js !== 'object' || !Object.hasOwn(js, 'status'))
        return undefined;
    return js.status;
}
function statusPair(doc) {
    if (!isMap(doc.contents))
        return undefined;
    const items = doc.contents.items;
    return items.find((pair) => isScalar(pair.key) && pair.key.value === 'status');
}
function statusEdit(source, doc, status) {
    const map = doc.contents;
    const token = map?.srcToken;
    if (!isMap(map) || !token)
        throw new StatusWriteError('unsupported', 'the document is not a mapping');
    const pairs = map.items;
    const existing = statusPair(doc);
    const layout = { source, eol: detectEol(source) };
    if (token.type === 'block-map') {
        const render = (column) => renderBlock(status ?? {}, { ...detectBlockStyle(source, token), version: doc.directives?.yaml.version ?? '1.2', eol: layout.eol, column });
        return blockMapEdit(layout, { map: token, existing: existing?.srcToken, status, render });
    }
    if (token.type === 'flow-collection' && token.start.source === '{') {
        return flowMapEdit(layout, { map: token, pairs, existing, status });
    }
    throw new StatusWriteError('unsupported', `the document's top level is a ${token.type}, not a mapping`);
}
/**
 * Block mappings (the usual manifest). Replacing swaps the status region;
 * removing takes the region together with the line break in front of it;
 * inserting adds a line break and the block after the mapping's last line.
 * Insert and remove are exact inverses, which the property test relies on.
 */
function blockMapEdit(layout, input) {
    const { source, eol } = layout;
    if (input.existing) {
        const keyStart = itemStart(input.existing);
        const lineStart = lineStartOf(source, keyStart);
        if (!/^[ ]*$/.test(source.slice(lineStart, keyStart))) {
            throw new StatusWriteError('unsupported', 'the status key shares its line with other content');
        }
        const end = lineEndOf(source, contentEnd(input.existing));
        if (input.status !== undefined)
            return { start: keyStart, end, text: input.render(keyStart - lineStart) };
        const breakStart = precedingBreakStart(source, lineStart);
        if (breakStart !== undefined)
            return { start: breakStart, end, text: '' };
        return { start: lineStart, end: followingBreakEnd(source, end), text: '' };
    }
    if (input.status === undefined)
        return { start: 0, end: 0, text: '' };
    const column = input.map.offset - lineStartOf(source, input.map.offset);
    const at = insertionPoint(source, { mapEnd: contentEnd(input.map), column });
    return { start: at, end: at, text: eol + ' '.repeat(column) + input.render(column) };
}
/**
 * Where a new status block goes: after the mapping's last line, and after any
 * comment lines indented under it (a commented-out `#  replicas: 3` of `spec`
 * must not end up looking like part of `status`).
 */
function insertionPoint(source, input) {
    let at = lineEndOf(source, input.mapEnd);
    for (;;) {
        const next = followingBreakEnd(source, at);
        if (next === at)
            return at;
        const lineEnd = lineEndOf(source, next);
        const match = /^( *)#/.exec(source.slice(next, lineEnd));
        if (!match || (match[1] ?? '').length <= input.column)
            return at;
        at = lineEnd;
    }
}
/**
 * Flow mappings, which is what JSON files are. The status value is rendered as
 * JSON; removing a pair also removes the comma that separates it.
 */
function flowMapEdit(layout, input) {
    const { source } = layout;
    const items = input.pairs.map((pair) => pair.srcToken).filter((item) => item !== undefined);
    const style = detectFlowStyle(source, input.map, items);
    const existing = input.existing?.srcToken;
    if (existing) {
        const keyStart = itemStart(existing);
        if (input.status !== undefined) {
            const colon = existing.sep?.find((token) => token.type === 'map-value-ind');
            const start = colon ? colon.offset + 1 : contentEnd({ start: [], key: existing.key ?? null });
            const end = Math.max(start, contentEnd(existing));
            return { start, end, text: (colon ? ' ' : ': ') + renderJson(input.status, { ...style, eol: layout.eol, prefix: linePrefix(source, keyStart) }) };
        }
        return flowRemoval(source, items, existing);
    }
    if (input.status === undefined)
        return { start: 0, end: 0, text: '' };
    const last = items[items.length - 1];
    if (!last)
        throw new StatusWriteError('unsupported', 'the document is an empty mapping');
    const lastStart = itemStart(last);
    const prefix = linePrefix(source, lastStart);
    const ownLine = prefix !== undefined;
    const at = contentEnd(last);
    const key = style.quote + 'status' + style.quote;
    const value = renderJson(input.status, { ...style, multiline: ownLine, eol: layout.eol, prefix });
    return { start: at, end: at, text: (ownLine ? ',' + layout.eol + prefix : ', ') + key + ': ' + value };
}
/**
 * Removing a flow pair. A pair after the first gives up the comma in front of
 * it (and, when it sits on its own line, that line); the first pair gives up
 * everything up to the next key, including the comma after it.
 */
function flowRemoval(source, items, item) {
    const index = items.indexOf(item);
    const keyStart = itemStart(item);
    const end = contentEnd(item);
    if (index > 0) {
        const comma = item.start.find((token) => token.type === 'comma');
        const lineStart = lineStartOf(source, keyStart);
        const breakStart = linePrefix(source, keyStart) !== undefined ? precedingBreakStart(source, lineStart) : undefined;
        if (comma && breakStart !== undefined && comma.offset < breakStart) {
            // `1,  # note⏎  "status": {...}`: drop the comma alone, keep the note.
            const middle = source.slice(comma.offset + 1, breakStart);
            return { start: comma.offset, end, text: middle };
        }
        return { start: comma ? comma.offset : keyStart, end, text: '' };
    }
    const next = items[index + 1];
    if (!next)
        return { start: keyStart, end, text: '' };
    const nextStart = itemStart(next);
    const bothOwnLine = linePrefix(source, keyStart) !== undefined && linePrefix(source, nextStart) !== undefined;
    return bothOwnLine
        ? { start: lineStartOf(source, keyStart), end: lineStartOf(source, nextStart), text: '' }
        : { start: keyStart, end: nextStart, text: '' };
}
function renderBlock(status, options) {
    // The document's own YAML version decides quoting: under 1.1 a bare `yes` is a boolean.
    const text = new Document({ status }, { version: options.version }).toString({
        indent: options.indent,
        indentSeq: options.indentSeq,
        lineWidth: 0, // no folding: long condition messages stay on one diff-friendly line
    });
    const prefix = ' '.repeat(options.column);
    return text
        .replace(/\n$/, '')
        .split('\n')
        .map((line, i) => (i === 0 || line === '' ? line : prefix + line))
        .join(options.eol);
}
function renderJson(value, options) {
    if (!options.multiline || options.prefix === undefined)
        return JSON.stringify(value);
    const prefix = options.prefix;
    return JSON.stringify(value, null, options.unit)
        .split('\n')
        .map((line, i) => (i === 0 ? line : prefix + line))
        .join(options.eol);
}
/**
 * Indentation as the user writes it: the step between a key and the keys of
 * its nested mapping (first one found; 2 when the document has none), and
 * whether sequences under a key are indented (`key:⏎  - a`) or not (`key:⏎- a`).
 */
function detectBlockStyle(source, map) {
    let indent;
    let indentSeq;
    const visit = (token, depth) => {
        for (const item of token.items) {
            if (indent !== undefined && indentSeq !== undefined)
                return;
            const value = item.value;
            // The existing status block shows the controller's style, not the user's.
            if (!item.key || !value || (depth === 0 && isStatusKey(item.key)))
                continue;
            const keyColumn = columnOf(source, itemStart(item));
            if (value.type === 'block-map') {
                const step = columnOf(source, value.offset) - keyColumn;
                if (indent === undefined && step > 0)
                    indent = step;
                if (depth < 8)
                    visit(value, depth + 1);
            }
            else if (value.type === 'block-seq' && indentSeq === undefined) {
                indentSeq = columnOf(source, value.offset) > keyColumn;
            }
        }
    };
    visit(map, 0);
    return { indent: indent ?? 2, indentSeq: indentSeq ?? true };
}
function isStatusKey(key) {
    return 'source' in key && ['status', '"status"', "'status'"].includes(key.source);
}
function detectFlowStyle(source, map, items) {
    const first = items[0];
    const keyType = first?.key?.type;
    const quote = keyType === 'double-quoted-scalar' ? '"' : keyType === 'single-quoted-scalar' ? "'" : '';
    const keyPrefix = first ? linePrefix(source, itemStart(first)) : undefined;
    const openPrefix = source.slice(lineStartOf(source, map.offset), map.offset);
    const unit = keyPrefix !== undefined && keyPrefix.length > openPrefix.length && keyPrefix.startsWith(openPrefix) && /^\s*$/.test(openPrefix)
        ? keyPrefix.slice(openPrefix.length)
        : '  ';
    return { unit, quote, multiline: keyPrefix !== undefined };
}
// ---------------------------------------------------------------------------
// CST offsets
const TRIVIA = new Set(['space', 'newline', 'comment', 'byte-order-mark']);
/** Offset of an item's first meaningful token: `? `, an anchor or tag on the key, or the key itself. */
function itemStart(item) {
    const props = item.start.find((token) => !TRIVIA.has(token.type) && token.type !== 'comma');
    if (props)
        return props.offset;
    if (item.key)
        return item.key.offset;
    throw new StatusWriteError('unsupported', 'a mapping entry without a key');
}
/** Offset just past the last meaningful character of a token or item, ignoring trailing comments and whitespace. */
function contentEnd(node) {
    if (!('type' in node)) {
        return Math.max(-1, ...node.start.filter((token) => token.type !== 'comma').map(contentEnd), node.key ? contentEnd(node.key) : -1, ...(node.sep ?? []).map(contentEnd), node.value ? contentEnd(node.value) : -1);
    }
    switch (node.type) {
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
            return node.offset + node.source.length;
        case 'block-scalar': {
            const header = Math.max(-1, ...node.props.map(contentEnd));
            const body = node.source.replace(/\r?\n$/, '');
            return body.length > 0 ? node.offset + body.length : header;
        }
        case 'block-map':
        case 'block-seq':
            return Math.max(-1, ...node.items.map(contentEnd));
        case 'flow-collection':
            return Math.max(contentEnd(node.start), ...node.items.map(contentEnd), ...node.end.map(contentEnd));
        case 'document':
        case 'doc-end':
        case 'directive':
        case 'error':
            return -1;
        default:
            return TRIVIA.has(node.type) ? -1 : node.offset + node.source.length;
    }
}
// ---------------------------------------------------------------------------
// Lines
function detectEol(source) {
    const firstBreak = source.indexOf('\n');
    return firstBreak > 0 && source[firstBreak - 1] === '\r' ? '\r\n' : '\n';
}
/** Start of the line holding `offset`; a byte order mark is not part of the first line. */
function lineStartOf(source, offset) {
    const start = source.lastIndexOf('\n', offset - 1) + 1;
    return start === 0 && source.startsWith('\uFEFF') ? 1 : start;
}
/** End of the line holding `offset`, before its `\n` or `\r\n` (or the end of the text). */
function lineEndOf(source, offset) {
    const newline = source.indexOf('\n', offset);
    if (newline === -1)
        return source.length;
    return newline > offset && source[newline - 1] === '\r' ? newline - 1 : newline;
}
/** Where the line break ending the previous line starts; undefined on the first line. */
function precedingBreakStart(source, lineStart) {
    if (lineStart === 0 || source[lineStart - 1] !== '\n')
        return undefined;
    return lineStart >= 2 && source[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
}
/** Just past the line break at `lineEnd` (which must be a value from {@link lineEndOf}). */
function followingBreakEnd(source, lineEnd) {
    if (source.startsWith('\r\n', lineEnd))
        return lineEnd + 2;
    if (source.startsWith('\n', lineEnd))
        return lineEnd + 1;
    return lineEnd;
}
function columnOf(source, offset) {
    return offset - lineStartOf(source, offset);
}
/** The whitespace in front of `offset` when nothing else precedes it on its line; undefined otherwise. */
function linePrefix(source, offset) {
    const prefix = source.slice(lineStartOf(source, offset), offset);
    return /^[ \t]*$/.test(prefix) ? prefix : undefined;
}
// ---------------------------------------------------------------------------
// Verification
/**
 * Re-parses the result and checks that it means exactly what was intended:
 * same number of documents, every other document unchanged, the target
 * unchanged except for its status. A failure is a bug in this module, and
 * throwing keeps it from reaching the disk.
 */
function verifySplice(input) {
    let after;
    try {
        after = parseStrict(input.result);
    }
    catch (error) {
        throw new StatusWriteError('verification-failed', 'writing the status would break the file; nothing was written', { cause: error });
    }
    const same = after.length === input.before.length &&
        input.before.every((doc, i) => {
            const next = after[i];
            if (!next)
                return false;
            if (!input.statuses.has(i))
                return isDeepStrictEqual(toPlain(doc), toPlain(next));
            return isDeepStrictEqual(withStatus(toPlain(doc), input.statuses.get(i)), toPlain(next));
        });
    if (!same)
        throw new StatusWriteError('verification-failed', 'writing the status would change more than the status; nothing was written');
}
function withStatus(js, status) {
    if (js === null || typeof js !== 'object' || Array.isArray(js))
        return js;
    const { status: _previous, ...rest } = js;
    return status === undefined ? rest : { ...rest, status };
}
//# sourceMappingURL=document.js.map