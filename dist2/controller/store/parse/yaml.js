/**
 * YAML manifest text → raw documents with a locator each. Read with the yaml library's
 * Parser and Composer directly (not parseAllDocuments) so that nesting depth and token
 * counts are measured on the concrete syntax tree before the recursive composer sees it;
 * aliases are counted before they are expanded.
 */
import { Composer, CST, isAlias, isMap, isScalar, isSeq, Lexer, Parser, visit, } from 'yaml';
import { quote, readIdentity, redactLongQuotes } from '../validate.js';
import { issueAt, PARSE_LIMITS } from './source.js';
const YAML_OPTIONS = {
    // YAML 1.2 core: `yes` stays a string, no `<<` merge keys, no !!binary/!!set/!!timestamp.
    schema: 'core',
    merge: false,
    resolveKnownTags: false,
    customTags: [],
    // Duplicate keys are found by duplicateKeys() below: the library compares each key with every
    // earlier one of its mapping, and 9,500 keys took seconds.
    uniqueKeys: false,
    stringKeys: true,
    strict: true,
    prettyErrors: false, // pretty errors quote source lines, which may hold secrets
};
function duplicateKeyMessage(key) {
    return key === undefined ? 'duplicate key: keys must be unique within a mapping' : `duplicate key ${quote(key)}: keys must be unique within a mapping`;
}
/** Friendlier words for the parse errors people meet most; the rest keep the library's message. */
function yamlErrorMessage(error, duplicateKey) {
    switch (error.code) {
        case 'DUPLICATE_KEY':
            return duplicateKeyMessage(duplicateKey);
        case 'TAB_AS_INDENT':
            return 'tab characters are not allowed as indentation in YAML; indent with spaces';
        case 'TAG_RESOLVE_FAILED': {
            const tag = /^Unresolved tag: (.*)$/.exec(error.message)?.[1];
            return `unsupported tag ${tag === undefined ? '' : quote(tag) + ' '}(custom and non-core tags are not allowed in manifests)`;
        }
        default:
            return redactLongQuotes(error.message);
    }
}
/** Tokens that start a node (a key, a value or a list item) in the lexer's stream. */
const NODE_TOKENS = new Set([
    'scalar',
    'single-quoted-scalar',
    'double-quoted-scalar',
    'block-scalar-header',
    'alias',
    'flow-map-start',
    'flow-seq-start',
    'seq-item-ind',
    'explicit-key-ind',
    'map-value-ind',
]);
/**
 * A cheap first pass over the token stream that stops at the first flow collection nested
 * too deeply, the first document beyond the document limit, or the first node beyond the
 * node limit, so a megabyte of `[[[[…`, of `--- x` or of `[1,1,1,…]` is rejected before
 * the (much slower, much bigger) parser and composer build it.
 */
function tokenLimitIssue(text, lines) {
    const { maxDepth, maxDocuments, maxNodes } = PARSE_LIMITS;
    let offset = 0;
    let depth = 0;
    let atScalar = false;
    let documents = 0;
    /** Whether the current document has content yet: a file without `---` is one document too. */
    let inDocument = false;
    let nodes = 0;
    for (const source of new Lexer().lex(text)) {
        if (atScalar) {
            atScalar = false;
            offset += source.length;
            continue;
        }
        const type = CST.tokenType(source);
        if (type !== null && NODE_TOKENS.has(type)) {
            if (!inDocument) {
                inDocument = true;
                documents++;
            }
            if (++nodes > maxNodes) {
                return issueAt(lines.position(offset), `the file holds more than ${maxNodes} keys, values and list items; this limit guards against resource exhaustion`);
            }
        }
        if (type === 'doc-start') {
            if (++documents > maxDocuments) {
                return issueAt(lines.position(offset), `the file holds more than ${maxDocuments} documents; this limit guards against resource exhaustion (split it into several files)`);
            }
            inDocument = true;
        }
        else if (type === 'doc-end') {
            inDocument = false;
        }
        if (type === 'scalar') {
            atScalar = true;
            continue;
        }
        if (type === 'doc-mode')
            continue;
        if (type === 'flow-error-end') {
            depth = 0; // the lexer gave up on an unterminated flow collection
            continue;
        }
        if (type === 'flow-map-start' || type === 'flow-seq-start') {
            depth++;
            if (depth > maxDepth)
                return issueAt(lines.position(offset), `nesting is deeper than ${maxDepth} levels`);
        }
        else if (type === 'flow-map-end' || type === 'flow-seq-end') {
            depth = Math.max(0, depth - 1);
        }
        else if (type === 'doc-start' || type === 'doc-end') {
            depth = 0;
        }
        offset += source.length;
    }
    return undefined;
}
/** The earliest collection in a CST document nested deeper than maxDepth, walked without recursion. */
function tooDeepCstOffset(document, maxDepth) {
    let earliest;
    const stack = document.value ? [[document.value, 0]] : [];
    while (stack.length > 0) {
        const [token, depth] = stack.pop();
        if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection')
            continue;
        const nested = depth + 1;
        if (nested > maxDepth) {
            if (earliest === undefined || token.offset < earliest)
                earliest = token.offset;
            continue;
        }
        for (const item of token.items) {
            if ('key' in item && item.key)
                stack.push([item.key, nested]);
            if (item.value)
                stack.push([item.value, nested]);
        }
    }
    return earliest;
}
function isEmptyDocument(doc) {
    const contents = doc.contents;
    if (contents === null)
        return true;
    return isScalar(contents) && contents.value === null && contents.range[0] === contents.range[1] && contents.tag === undefined;
}
/** Positions in a composed YAML document, following aliases to their anchors. */
function yamlLocator(doc, lines, start) {
    return (path, at) => {
        let node = doc.contents;
        let best = start;
        for (let i = 0; i < path.length; i++) {
            if (isAlias(node))
                node = node.resolve(doc);
            const segment = path[i];
            const last = i === path.length - 1;
            if (isMap(node)) {
                const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
                if (!pair)
                    return best;
                const key = pair.key;
                if (key.range)
                    best = lines.position(key.range[0]);
                if (last && at === 'key')
                    return best;
                node = pair.value;
            }
            else if (isSeq(node) && typeof segment === 'number') {
                node = node.items[segment];
                if (node === undefined)
                    return best;
            }
            else {
                return best;
            }
            const value = node;
            // An empty value (`spec:` with nothing after it) has no place of its own: keep its key.
            const empty = isScalar(node) && node.value === null && value?.range !== undefined && value.range[0] === value.range[1];
            if (value?.range && !empty)
                best = lines.position(value.range[0]);
        }
        return best;
    };
}
/**
 * One pass over the document in order, resolving each alias the way the library does (the
 * latest anchor of that name before it) without the library's per-alias rescan of the
 * whole document, which is quadratic in the number of aliases.
 */
function surveyAliases(doc) {
    const survey = { count: 0 };
    const latest = new Map();
    visit(doc, {
        Node(_, node, path) {
            if (isAlias(node)) {
                survey.count++;
                survey.firstAt ??= node.range?.[0];
                const target = latest.get(node.source);
                if (target !== undefined && path.includes(target)) {
                    survey.recursiveAt = node.range?.[0] ?? 0;
                    return visit.BREAK;
                }
            }
            else if (node.anchor) {
                latest.set(node.anchor, node);
            }
            return undefined;
        },
    });
    return survey;
}
/** Every key that repeats an earlier key of its mapping (scalar keys, compared by type and value as the library does), in one pass. */
function duplicateKeys(doc) {
    const found = [];
    visit(doc, {
        Map(_, map) {
            const seen = new Set();
            for (const pair of map.items) {
                if (!isScalar(pair.key))
                    continue;
                const value = pair.key.value;
                const identity = `${typeof value}:${String(value)}`;
                if (seen.has(identity))
                    found.push({ offset: pair.key.range?.[0] ?? 0, key: String(value) });
                seen.add(identity);
            }
        },
    });
    return found;
}
export function readYaml(text, lines, issues) {
    const limitIssue = tokenLimitIssue(text, lines);
    if (limitIssue !== undefined) {
        issues.push(limitIssue);
        return [];
    }
    // Documents nested too deeply are reported and handed to the composer empty, so the
    // document count (docIndex) stays the same as the file's.
    const tokens = [];
    const tooDeep = new Set();
    let docCount = 0;
    for (const token of new Parser().parse(text)) {
        if (token.type !== 'document') {
            tokens.push(token);
            continue;
        }
        const deepAt = tooDeepCstOffset(token, PARSE_LIMITS.maxDepth);
        if (deepAt === undefined)
            tokens.push(token);
        else {
            issues.push(issueAt(lines.position(deepAt), `nesting is deeper than ${PARSE_LIMITS.maxDepth} levels`));
            tooDeep.add(docCount);
            tokens.push({ ...token, value: undefined, end: undefined });
        }
        docCount++;
    }
    const composer = new Composer(YAML_OPTIONS);
    const docs = Array.from(composer.compose(tokens, false, text.length));
    for (const error of composer.streamInfo().errors)
        issues.push(issueAt(lines.position(error.pos[0]), yamlErrorMessage(error, undefined)));
    const raw = [];
    docs.forEach((doc, docIndex) => {
        if (tooDeep.has(docIndex))
            return;
        try {
            const document = readYamlDocument(doc, docIndex, lines, issues);
            if (document)
                raw.push(document);
        }
        catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            issues.push(issueAt(lines.position(doc.range[0]), `could not read this document: ${redactLongQuotes(message)}`));
        }
    });
    return raw;
}
export function readYamlDocument(doc, docIndex, lines, issues) {
    const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
    const duplicates = duplicateKeys(doc);
    if (problems.length === 0 && duplicates.length === 0 && isEmptyDocument(doc))
        return undefined;
    const start = lines.position(doc.contents?.range[0] ?? doc.range[0]);
    if (problems.length > 0 || duplicates.length > 0) {
        const identity = identityOfBrokenDocument(doc);
        // The library often reports one mistake twice at the same spot (e.g. a mis-indented key is
        // both a "nested mapping" and a "multi-line implicit key"); the first reads best.
        const reported = new Set();
        for (const problem of problems) {
            if (reported.has(problem.pos[0]))
                continue;
            reported.add(problem.pos[0]);
            issues.push(issueAt(lines.position(problem.pos[0]), yamlErrorMessage(problem, undefined), identity));
        }
        for (const { offset, key } of duplicates) {
            if (reported.has(offset))
                continue;
            reported.add(offset);
            issues.push(issueAt(lines.position(offset), duplicateKeyMessage(key), identity));
        }
        return undefined;
    }
    const aliases = surveyAliases(doc);
    if (aliases.recursiveAt !== undefined) {
        issues.push(issueAt(lines.position(aliases.recursiveAt), 'an alias may not refer to a node that contains it'));
        return undefined;
    }
    const tooManyAliases = issueAt(aliases.firstAt === undefined ? start : lines.position(aliases.firstAt), `aliases expand to too many nodes (more than ${PARSE_LIMITS.maxAliasCount}); this limit guards against resource exhaustion`);
    // Every alias counts at least once against the library's limit, so more aliases than the
    // limit fail anyway: say so before the library's slower resolution starts.
    if (aliases.count > PARSE_LIMITS.maxAliasCount) {
        issues.push(tooManyAliases);
        return undefined;
    }
    let value;
    try {
        value = doc.toJS({ maxAliasCount: PARSE_LIMITS.maxAliasCount });
    }
    catch (error) {
        if (error instanceof ReferenceError && /alias/i.test(error.message)) {
            issues.push(tooManyAliases);
            return undefined;
        }
        throw error;
    }
    return { docIndex, start, value, locate: yamlLocator(doc, lines, start) };
}
/** kind and metadata.name of a document with syntax errors, when its top level still reads. */
function identityOfBrokenDocument(doc) {
    if (!isMap(doc.contents))
        return {};
    const scalarAt = (node) => (isScalar(node) ? node.value : undefined);
    const kind = scalarAt(doc.contents.get('kind', true));
    const metadata = doc.contents.get('metadata', true);
    const name = isMap(metadata) ? scalarAt(metadata.get('name', true)) : undefined;
    return readIdentity({ kind, metadata: { name } });
}
//# sourceMappingURL=yaml.js.map