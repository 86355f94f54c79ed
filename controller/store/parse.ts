/**
 * Manifest files in: text → documents → validated manifests, with every problem reported
 * as file:line:column. Never throws, whatever the text: a file a person is halfway through
 * editing is an everyday input, and one bad document does not hide the good ones beside it.
 *
 * YAML is read with the yaml library's Parser and Composer directly (not parseAllDocuments)
 * so nesting depth can be measured on the concrete syntax tree before the recursive
 * composer sees it. JSON is read by a small parser of its own that records where every key
 * and value starts, because JSON.parse reports neither positions nor duplicate keys.
 */
import { basename } from 'node:path';
import {
  Composer,
  CST,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  Parser,
  visit,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
  type YAMLError,
} from 'yaml';
import { ignoredFieldUses } from '../kinds/ecsCompatibility.js';
import { escapeControlCharacters } from './textDecoding.js';
import { shortHash } from '../hash.js';
import type { AnyManifest, KindName } from '../kinds/index.js';
import {
  formatFieldPath,
  MAX_ERRORS_PER_DOCUMENT,
  MAX_SUGGESTION_COMPARISONS,
  moreErrorsMessage,
  quote,
  readIdentity,
  redactLongQuotes,
  shorten,
  validateManifest,
  withSuggestionBudget,
  type Locate,
  type ManifestIssue,
  type PathSegment,
  type Position,
} from './validate.js';
import { errorMessage } from '../errors.js';

/** A problem in one document of a file (line and column are 1-based and point at the offending node). */
export interface ManifestError extends ManifestIssue {
  file: string;
}

export interface ParsedDocument {
  kind: KindName;
  name: string;
  /** Position of the document in the file's YAML stream, counting empty documents, so a writer can find it again. */
  docIndex: number;
  /** Line where the document's content starts. */
  line: number;
  /** Validated, exactly as written: schema defaults are not filled in. */
  manifest: AnyManifest;
  /** See specHash(). */
  specHash: string;
  /** Fields accepted without local effect (see kinds/ecsCompatibility.ts), in file order. */
  warnings: ManifestError[];
}

export interface ParseResult {
  documents: ParsedDocument[];
  errors: ManifestError[];
  /** The warnings of every document, valid or not, in file order. */
  warnings: ManifestError[];
}

/** Resource limits for untrusted manifest text. */
export const PARSE_LIMITS = {
  /** Bytes (UTF-8) per file. */
  maxFileBytes: 1024 * 1024,
  /** Alias expansions per document (billion laughs). */
  maxAliasCount: 100,
  /** Nested mappings and sequences. A full task definition needs about 7. */
  maxDepth: 64,
  /** Documents per file: each costs a compose and a validation, and may log an error. */
  maxDocuments: 1000,
  /**
   * Keys, values and list items per file (all documents together). Composing and validating
   * cost time and memory per node: a megabyte of `[1,1,1,…]` is half a million. ECS caps a
   * task definition at 64 KiB, a few thousand nodes.
   */
  maxNodes: 50_000,
  /** Errors reported per file; the rest are counted in one last error ("and 12 more errors in this file"). */
  maxErrors: 2 * MAX_ERRORS_PER_DOCUMENT,
} as const;

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
const TEMP_SUFFIX = '.berth-tmp';

/** .yaml .yml .json files; not dotfiles (editor swap files, .git) and not the status writer's temp files. */
export function isManifestFile(path: string): boolean {
  const name = basename(path);
  if (name.startsWith('.') || name.endsWith(TEMP_SUFFIX)) return false;
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length);
}

/** `examples/web.yaml:12:7: Service/web: spec.desiredCount: must be integer` */
export function formatManifestError(e: ManifestError): string {
  const parts = [`${e.file}:${e.line}:${e.column}`];
  if (e.kind !== undefined && e.name !== undefined) parts.push(`${e.kind}/${e.name}`);
  else if (e.kind !== undefined) parts.push(e.kind);
  else if (e.name !== undefined) parts.push(e.name);
  if (e.field !== undefined) parts.push(e.field);
  parts.push(e.message);
  return parts.join(': ');
}

// ---------------------------------------------------------------------------
// specHash

export { canonicalJson } from '../hash.js';

/**
 * sha256 (first 16 hex characters) of the canonical JSON of apiVersion, kind, metadata and
 * spec. Key order, comments, formatting and the status block do not change it, and the
 * same manifest in YAML and in JSON hashes the same.
 */
export function specHash(manifest: { apiVersion: unknown; kind: unknown; metadata: unknown; spec: unknown }): string {
  const { apiVersion, kind, metadata, spec } = manifest;
  return shortHash({ apiVersion, kind, metadata, spec });
}

// ---------------------------------------------------------------------------
// Positions

/** Offsets → 1-based line and column (column counts UTF-16 code units, as editors and the yaml library do). */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }
}

/** One document of a file, before validation. */
interface RawDocument {
  docIndex: number;
  start: Position;
  value: unknown;
  locate: Locate;
}

type FileIssue = Omit<ManifestError, 'file'>;

function issueAt(position: Position, message: string, identity: { kind?: string; name?: string } = {}): FileIssue {
  return { line: position.line, column: position.column, message, ...identity };
}

// ---------------------------------------------------------------------------
// YAML

const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
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

function duplicateKeyMessage(key: string | undefined): string {
  return key === undefined ? 'duplicate key: keys must be unique within a mapping' : `duplicate key ${quote(key)}: keys must be unique within a mapping`;
}

/** Friendlier words for the parse errors people meet most; the rest keep the library's message. */
function yamlErrorMessage(error: YAMLError, duplicateKey: string | undefined): string {
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
const NODE_TOKENS = new Set<string>([
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
function tokenLimitIssue(text: string, lines: LineIndex): FileIssue | undefined {
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
    } else if (type === 'doc-end') {
      inDocument = false;
    }
    if (type === 'scalar') {
      atScalar = true;
      continue;
    }
    if (type === 'doc-mode') continue;
    if (type === 'flow-error-end') {
      depth = 0; // the lexer gave up on an unterminated flow collection
      continue;
    }
    if (type === 'flow-map-start' || type === 'flow-seq-start') {
      depth++;
      if (depth > maxDepth) return issueAt(lines.position(offset), `nesting is deeper than ${maxDepth} levels`);
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      depth = Math.max(0, depth - 1);
    } else if (type === 'doc-start' || type === 'doc-end') {
      depth = 0;
    }
    offset += source.length;
  }
  return undefined;
}

/** The earliest collection in a CST document nested deeper than maxDepth, walked without recursion. */
function tooDeepCstOffset(document: CST.Document, maxDepth: number): number | undefined {
  let earliest: number | undefined;
  const stack: Array<[CST.Token, number]> = document.value ? [[document.value, 0]] : [];
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    const nested = depth + 1;
    if (nested > maxDepth) {
      if (earliest === undefined || token.offset < earliest) earliest = token.offset;
      continue;
    }
    for (const item of token.items) {
      if ('key' in item && item.key) stack.push([item.key, nested]);
      if (item.value) stack.push([item.value, nested]);
    }
  }
  return earliest;
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  const contents = doc.contents;
  if (contents === null) return true;
  return isScalar(contents) && contents.value === null && contents.range[0] === contents.range[1] && contents.tag === undefined;
}

/** Positions in a composed YAML document, following aliases to their anchors. */
function yamlLocator(doc: Document.Parsed, lines: LineIndex, start: Position): Locate {
  return (path, at) => {
    let node: unknown = doc.contents;
    let best = start;
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = node.resolve(doc);
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return best;
        const key = pair.key as { range?: [number, number, number] };
        if (key.range) best = lines.position(key.range[0]);
        if (last && at === 'key') return best;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        if (node === undefined) return best;
      } else {
        return best;
      }
      const value = node as { range?: [number, number, number] } | null;
      // An empty value (`spec:` with nothing after it) has no place of its own: keep its key.
      const empty = isScalar(node) && node.value === null && value?.range !== undefined && value.range[0] === value.range[1];
      if (value?.range && !empty) best = lines.position(value.range[0]);
    }
    return best;
  };
}

interface AliasSurvey {
  count: number;
  firstAt?: number;
  /** An alias inside the very node it names (`a: &x [*x]`): a value that contains itself. */
  recursiveAt?: number;
}

/**
 * One pass over the document in order, resolving each alias the way the library does (the
 * latest anchor of that name before it) without the library's per-alias rescan of the
 * whole document, which is quadratic in the number of aliases.
 */
function surveyAliases(doc: Document.Parsed): AliasSurvey {
  const survey: AliasSurvey = { count: 0 };
  const latest = new Map<string, unknown>();
  visit(doc, {
    Node(_, node, path) {
      if (isAlias(node)) {
        survey.count++;
        survey.firstAt ??= node.range?.[0];
        const target = latest.get(node.source);
        if (target !== undefined && path.includes(target as never)) {
          survey.recursiveAt = node.range?.[0] ?? 0;
          return visit.BREAK;
        }
      } else if (node.anchor) {
        latest.set(node.anchor, node);
      }
      return undefined;
    },
  });
  return survey;
}

/** Every key that repeats an earlier key of its mapping (scalar keys, compared by type and value as the library does), in one pass. */
function duplicateKeys(doc: Document.Parsed): Array<{ offset: number; key: string }> {
  const found: Array<{ offset: number; key: string }> = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const value: unknown = pair.key.value;
        const identity = `${typeof value}:${String(value)}`;
        if (seen.has(identity)) found.push({ offset: pair.key.range?.[0] ?? 0, key: String(value) });
        seen.add(identity);
      }
    },
  });
  return found;
}

function readYaml(text: string, lines: LineIndex, issues: FileIssue[]): RawDocument[] {
  const limitIssue = tokenLimitIssue(text, lines);
  if (limitIssue !== undefined) {
    issues.push(limitIssue);
    return [];
  }

  // Documents nested too deeply are reported and handed to the composer empty, so the
  // document count (docIndex) stays the same as the file's.
  const tokens: CST.Token[] = [];
  const tooDeep = new Set<number>();
  let docCount = 0;
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') {
      tokens.push(token);
      continue;
    }
    const deepAt = tooDeepCstOffset(token, PARSE_LIMITS.maxDepth);
    if (deepAt === undefined) tokens.push(token);
    else {
      issues.push(issueAt(lines.position(deepAt), `nesting is deeper than ${PARSE_LIMITS.maxDepth} levels`));
      tooDeep.add(docCount);
      tokens.push({ ...token, value: undefined, end: undefined });
    }
    docCount++;
  }

  const composer = new Composer(YAML_OPTIONS);
  const docs = Array.from(composer.compose(tokens, false, text.length));
  for (const error of composer.streamInfo().errors) issues.push(issueAt(lines.position(error.pos[0]), yamlErrorMessage(error, undefined)));

  const raw: RawDocument[] = [];
  docs.forEach((doc, docIndex) => {
    if (tooDeep.has(docIndex)) return;
    try {
      const document = readYamlDocument(doc, docIndex, lines, issues);
      if (document) raw.push(document);
    } catch (error) {
      const message = errorMessage(error);
      issues.push(issueAt(lines.position(doc.range[0]), `could not read this document: ${redactLongQuotes(message)}`));
    }
  });
  return raw;
}

function readYamlDocument(doc: Document.Parsed, docIndex: number, lines: LineIndex, issues: FileIssue[]): RawDocument | undefined {
  const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
  const duplicates = duplicateKeys(doc);
  if (problems.length === 0 && duplicates.length === 0 && isEmptyDocument(doc)) return undefined;
  const start = lines.position(doc.contents?.range[0] ?? doc.range[0]);

  if (problems.length > 0 || duplicates.length > 0) {
    const identity = identityOfBrokenDocument(doc);
    // The library often reports one mistake twice at the same spot (e.g. a mis-indented key is
    // both a "nested mapping" and a "multi-line implicit key"); the first reads best.
    const reported = new Set<number>();
    for (const problem of problems) {
      if (reported.has(problem.pos[0])) continue;
      reported.add(problem.pos[0]);
      issues.push(issueAt(lines.position(problem.pos[0]), yamlErrorMessage(problem, undefined), identity));
    }
    for (const { offset, key } of duplicates) {
      if (reported.has(offset)) continue;
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
  const tooManyAliases = issueAt(
    aliases.firstAt === undefined ? start : lines.position(aliases.firstAt),
    `aliases expand to too many nodes (more than ${PARSE_LIMITS.maxAliasCount}); this limit guards against resource exhaustion`,
  );
  // Every alias counts at least once against the library's limit, so more aliases than the
  // limit fail anyway: say so before the library's slower resolution starts.
  if (aliases.count > PARSE_LIMITS.maxAliasCount) {
    issues.push(tooManyAliases);
    return undefined;
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: PARSE_LIMITS.maxAliasCount });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      issues.push(tooManyAliases);
      return undefined;
    }
    throw error;
  }
  return { docIndex, start, value, locate: yamlLocator(doc, lines, start) };
}

/** kind and metadata.name of a document with syntax errors, when its top level still reads. */
function identityOfBrokenDocument(doc: Document.Parsed): { kind?: string; name?: string } {
  if (!isMap(doc.contents)) return {};
  const scalarAt = (node: unknown): unknown => (isScalar(node) ? node.value : undefined);
  const kind = scalarAt(doc.contents.get('kind', true));
  const metadata = doc.contents.get('metadata', true);
  const name = isMap(metadata) ? scalarAt(metadata.get('name', true)) : undefined;
  return readIdentity({ kind, metadata: { name } });
}

// ---------------------------------------------------------------------------
// JSON

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

interface JsonDocument {
  value: unknown;
  keyOffsets: Map<string, number>;
  valueOffsets: Map<string, number>;
}

const pathKey = (path: readonly PathSegment[]): string => JSON.stringify(path);

/**
 * Strict JSON (RFC 8259) that remembers where each key and value starts. Duplicate keys are
 * an error, as in YAML, and nesting is limited like YAML's.
 */
function parseJsonWithPositions(text: string, maxDepth: number): JsonDocument | undefined {
  const keyOffsets = new Map<string, number>();
  const valueOffsets = new Map<string, number>();
  const path: PathSegment[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(at, message);
  };
  const describe = (at: number): string => (at >= n ? 'end of file' : `character ${JSON.stringify(text[at])}`);
  const skipSpace = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };

  const readString = (): string => {
    const opening = i;
    i++; // opening quote
    let out = '';
    let chunk = i;
    while (true) {
      if (i >= n) fail('unterminated string', opening);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c === 0x0a || c === 0x0d) fail('unterminated string (a line break inside a string must be written \\n)', opening);
      if (c < 0x20) fail('control characters must be escaped inside strings');
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        const escape = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (escape !== undefined && Object.hasOwn(simple, escape)) {
          out += simple[escape];
          i += 2;
        } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
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
  const readValue = (depth: number): unknown => {
    skipSpace();
    // Every value costs two position entries and a validation: bounded as YAML's nodes are.
    if (++values > PARSE_LIMITS.maxNodes) fail(`the file holds more than ${PARSE_LIMITS.maxNodes} values; this limit guards against resource exhaustion`);
    valueOffsets.set(pathKey(path), i);
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth + 1 > maxDepth) fail(`nesting is deeper than ${maxDepth} levels`);
      return c === '{' ? readObject(depth + 1) : readArray(depth + 1);
    }
    if (c === '"') return readString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) return fail('invalid number');
      i += match[0].length;
      return Number(match[0]);
    }
    for (const [word, literal] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return literal;
      }
    }
    return fail(`unexpected ${describe(i)}, expected a value`);
  };

  const readObject = (depth: number): Record<string, unknown> => {
    const object: Record<string, unknown> = {};
    i++;
    skipSpace();
    if (text[i] === '}') {
      i++;
      return object;
    }
    while (true) {
      skipSpace();
      if (text[i] !== '"') fail(`unexpected ${describe(i)}, expected a double-quoted property name`);
      const keyAt = i;
      const key = readString();
      if (Object.hasOwn(object, key)) fail(`duplicate key ${quote(key)}: keys must be unique within an object`, keyAt);
      skipSpace();
      if (text[i] !== ':') fail(`unexpected ${describe(i)}, expected ':' after a property name`);
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
        if (text[i] === '}') fail('trailing commas are not allowed in JSON');
        continue;
      }
      if (text[i] === '}') {
        i++;
        return object;
      }
      fail(`unexpected ${describe(i)}, expected ',' or '}' after a property value`);
    }
  };

  const readArray = (depth: number): unknown[] => {
    const array: unknown[] = [];
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
        if (text[i] === ']') fail('trailing commas are not allowed in JSON');
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
  if (i >= n) return undefined; // empty file: nothing declared (as an empty YAML file)
  const value = readValue(0);
  skipSpace();
  if (i < n) fail(`unexpected ${describe(i)} after the end of the JSON document`);
  return { value, keyOffsets, valueOffsets };
}

function readJson(text: string, lines: LineIndex, issues: FileIssue[]): RawDocument[] {
  let parsed: JsonDocument | undefined;
  try {
    parsed = parseJsonWithPositions(text, PARSE_LIMITS.maxDepth);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    issues.push(issueAt(lines.position(error.offset), error.message));
    return [];
  }
  if (!parsed) return [];
  const { value, keyOffsets, valueOffsets } = parsed;
  const start = lines.position(valueOffsets.get(pathKey([])) ?? 0);
  const locate: Locate = (path, at) => {
    for (let length = path.length; length >= 0; length--) {
      const prefix = path.slice(0, length);
      const offsets = at === 'key' && length === path.length ? keyOffsets : valueOffsets;
      const offset = offsets.get(pathKey(prefix));
      if (offset !== undefined) return lines.position(offset);
    }
    return start;
  };
  return [{ docIndex: 0, start, value, locate }];
}

// ---------------------------------------------------------------------------

function fullIdentityKey(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, metadata } = value as { kind?: unknown; metadata?: unknown };
  const name = typeof metadata === 'object' && metadata !== null ? (metadata as { name?: unknown }).name : undefined;
  return typeof kind === 'string' && typeof name === 'string' ? JSON.stringify([kind, name]) : undefined;
}

function isJsonFile(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

/**
 * Parses and validates the manifests in one file. `.json` files hold one JSON document;
 * anything else is read as YAML, possibly several documents separated by `---`. Documents
 * that are valid are returned even when others in the same file are not.
 */
export function parseManifestText(file: string, text: string): ParseResult {
  try {
    // One budget for the whole file: a thousand documents do not get a thousand budgets.
    return withSuggestionBudget(MAX_SUGGESTION_COMPARISONS, () => parseUnguarded(file, text));
  } catch (error) {
    // Nothing above is expected to throw; if something does, it is still only an error in this file.
    const message = errorMessage(error);
    return { documents: [], errors: [{ file, line: 1, column: 1, message: `could not read this file: ${redactLongQuotes(message)}` }], warnings: [] };
  }
}

/** An issue of `file`, safe to print: no control character of the file reaches a terminal or log through it. */
function inFile(file: string, issue: FileIssue | ManifestIssue): ManifestError {
  const error: ManifestError = { file, ...issue, message: escapeControlCharacters(issue.message) };
  if (issue.field !== undefined) error.field = escapeControlCharacters(issue.field);
  return error;
}

function parseUnguarded(file: string, text: string): ParseResult {
  const withFile = (issue: FileIssue | ManifestIssue): ManifestError => inFile(file, issue);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > PARSE_LIMITS.maxFileBytes) {
    return {
      documents: [],
      errors: [withFile(issueAt({ line: 1, column: 1 }, `file is too large (${bytes} bytes; the limit is ${PARSE_LIMITS.maxFileBytes} bytes, 1 MiB)`))],
      warnings: [],
    };
  }

  const lines = new LineIndex(text);
  const issues: FileIssue[] = [];
  const raw = isJsonFile(file) ? readJson(text, lines, issues) : readYaml(text, lines, issues);

  const documents: ParsedDocument[] = [];
  const firstLineOf = new Map<string, number>();
  // Warnings of documents that are invalid: shown beside their errors, served by no resource.
  const invalidWarnings: ManifestError[] = [];
  for (const document of raw) {
    const result = validateManifest(document.value, document.locate);
    // A second document with the same kind and name would make the file say two things at once.
    const identityKey = fullIdentityKey(document.value);
    if (identityKey !== undefined) {
      const firstLine = firstLineOf.get(identityKey);
      if (firstLine === undefined) firstLineOf.set(identityKey, document.start.line);
      else {
        const identity = readIdentity(document.value);
        issues.push(
          issueAt(
            document.locate(['metadata', 'name'], 'value'),
            `${identity.kind ?? ''} ${quote(identity.name ?? '')} is already defined in this file at line ${firstLine}`,
            identity,
          ),
        );
        if (!result.ok) issues.push(...result.errors);
        continue;
      }
    }
    if (!result.ok) {
      issues.push(...result.errors);
      invalidWarnings.push(...compatibilityWarnings(document.value, document.locate).map(withFile));
      continue;
    }
    documents.push({
      kind: result.kind,
      name: result.name,
      docIndex: document.docIndex,
      line: document.start.line,
      manifest: result.manifest,
      specHash: specHash(result.manifest),
      warnings: compatibilityWarnings(result.manifest, document.locate).map(withFile),
    });
  }

  const errors = capErrors(issues.map(withFile).sort((a, b) => a.line - b.line || a.column - b.column), PARSE_LIMITS.maxErrors);
  const warnings = [...documents.flatMap((d) => d.warnings), ...invalidWarnings].sort((a, b) => a.line - b.line || a.column - b.column);
  return { documents, errors, warnings };
}

/** A manifest made from a JSON file of another shape, and where each of its fields was written in that file. */
export interface ConvertedJson {
  manifest: unknown;
  /** The path in the file's JSON value of a path in the manifest (`['spec', 'cpu']` → `['taskDefinition', 'cpu']`). */
  sourcePath: (path: readonly PathSegment[]) => PathSegment[];
}

/**
 * Parses one JSON file that is not itself a manifest (an ECS task definition for
 * `berth import ecs`), turns its value into a manifest with `convert`, and validates that,
 * with every error and warning pointing at the line of the file where the field was
 * written. `convert` returns a message instead when the value is not of its shape.
 */
export function parseConvertedJson(file: string, text: string, convert: (value: unknown) => ConvertedJson | { refusal: string }): ParseResult {
  const failed = (issue: FileIssue): ParseResult => ({ documents: [], errors: [inFile(file, issue)], warnings: [] });
  try {
    return withSuggestionBudget(MAX_SUGGESTION_COMPARISONS, () => {
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > PARSE_LIMITS.maxFileBytes) return failed(issueAt({ line: 1, column: 1 }, `file is too large (${bytes} bytes; the limit is ${PARSE_LIMITS.maxFileBytes} bytes, 1 MiB)`));
      const lines = new LineIndex(text);
      const issues: FileIssue[] = [];
      const [raw] = readJson(text, lines, issues);
      if (issues.length > 0) return { documents: [], errors: issues.map((issue) => inFile(file, issue)), warnings: [] };
      if (!raw) return failed(issueAt({ line: 1, column: 1 }, 'the file is empty'));
      const converted = convert(raw.value);
      if ('refusal' in converted) return failed(issueAt(raw.start, converted.refusal));
      const locate: Locate = (path, at) => raw.locate(converted.sourcePath(path), at);
      const result = validateManifest(converted.manifest, locate);
      // Warnings are shown beside errors too: they still say what would be dropped.
      if (!result.ok) return { documents: [], errors: capErrors(result.errors.map((issue) => inFile(file, issue)), PARSE_LIMITS.maxErrors), warnings: compatibilityWarnings(converted.manifest, locate).map((issue) => inFile(file, issue)) };
      const warnings = compatibilityWarnings(result.manifest, locate).map((issue) => inFile(file, issue));
      const document: ParsedDocument = {
        kind: result.kind,
        name: result.name,
        docIndex: 0,
        line: raw.start.line,
        manifest: result.manifest,
        specHash: specHash(result.manifest),
        warnings,
      };
      return { documents: [document], errors: [], warnings };
    });
  } catch (error) {
    return failed(issueAt({ line: 1, column: 1 }, `could not read this file: ${redactLongQuotes(errorMessage(error))}`));
  }
}

/**
 * The first `max` errors in file order and, when there were more, one last error that counts
 * the rest (a document's own "and N more" line left out counts its N). The count stands at
 * the first error left out and names no resource: such a file keeps serving what it held
 * (see ManifestStore.apply).
 */
function capErrors(errors: ManifestError[], max: number): ManifestError[] {
  if (errors.length <= max) return errors;
  const leftOut = errors.slice(max);
  const omitted = leftOut.reduce((count, error) => count + (error.omitted ?? 1), 0);
  const at = leftOut[0]!;
  return [...errors.slice(0, max), { file: at.file, line: at.line, column: at.column, message: moreErrorsMessage(omitted, 'file'), omitted }];
}

/**
 * One warning per cause for the fields of a TaskDefinition that berth accepts without
 * effect, pointing at the first field's key and naming every field of that cause:
 * `spec.revision, spec.status: describe-task-definition output, ignored (…)`. The seven
 * fields of a describe output are one cause, so they are one line, not seven.
 * Computed for an invalid document too: its errors do not make the warnings untrue.
 */
function compatibilityWarnings(value: unknown, locate: Locate): FileIssue[] {
  const identity = readIdentity(value);
  if (identity.kind !== 'TaskDefinition' || typeof value !== 'object' || value === null || !('spec' in value)) return [];
  const named = { kind: identity.kind, ...(identity.name === undefined ? {} : { name: shorten(identity.name) }) };
  const located = ignoredFieldUses(value.spec)
    .map(({ path, message }) => {
      const full: PathSegment[] = ['spec', ...path];
      let position: Position;
      try {
        position = locate(full, 'key');
      } catch {
        position = { line: 1, column: 1 };
      }
      return { position, message, field: formatFieldPath(full) };
    })
    .sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
  const byCause = new Map<string, { position: Position; fields: string[] }>();
  for (const use of located) {
    const cause = byCause.get(use.message);
    if (cause) cause.fields.push(use.field);
    else byCause.set(use.message, { position: use.position, fields: [use.field] });
  }
  return [...byCause].map(([message, { position, fields }]) => ({ ...issueAt(position, message, named), field: fields.join(', ') }));
}
