/**
 * Validation of one manifest value against the kind definitions (controller/kinds), plus the
 * checks a JSON Schema cannot express. Knows nothing about files or YAML: positions come
 * from a `locate` callback, so the same validator serves manifest files, `berth validate`
 * on stdin and anything else that holds a plain object.
 *
 * Messages are written for the person who made the typo: one message per field, the field's
 * dotted path, what was expected in plain words. They quote field names and expectations,
 * and never more than a short prefix of a rejected string (a value may be a secret).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { API_VERSION, isKindName, KIND_NAMES, KIND_SCHEMAS, ResourceName, type AnyManifest, type KindName } from '../kinds/index.js';
import { Engine } from '../kinds/capacityProvider.js';
import { TaskDefinitionRef } from '../kinds/service.js';
import { EfsAccessPointId, EfsFileSystemId, parseTaskCpu, parseTaskMemory, PortMapping, TaskCpu, TaskMemory } from '../kinds/taskDefinition.js';
import { efsRootDirectoryProblem } from '../kinds/efs.js';
import { envFileLocation, secretReference, SecretReferenceError } from '../secrets/references.js';
import { withoutOptionalNulls } from './optionalNulls.js';

export type PathSegment = string | number;

/** 1-based, as editors count. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Finds a path in the source. `key` asks for the mapping key itself (used for unknown
 * fields), `value` for the node under it. When the path does not exist, the nearest existing
 * ancestor is the answer.
 */
export type Locate = (path: readonly PathSegment[], at: 'key' | 'value') => Position;

/** A problem in one document, without the file name (see ManifestError in parse.ts). */
export interface ManifestIssue {
  line: number;
  column: number;
  /** Dotted path such as `spec.containerDefinitions[0].portMappings[1].hostPort`. */
  field?: string;
  message: string;
  /** The document's kind and metadata.name as written, when they could be read. */
  kind?: string;
  name?: string;
  /** Set on the last issue of a capped list ("and 12 more errors"): how many errors it stands for. */
  omitted?: number;
}

export type ValidationResult =
  | { ok: true; kind: KindName; name: string; manifest: AnyManifest; errors: [] }
  | { ok: false; kind?: string; name?: string; errors: ManifestIssue[] };

/** A problem before it is given a position. */
interface Finding {
  /** The node the error points at. */
  path: PathSegment[];
  at: 'key' | 'value';
  /**
   * The field named in the message; defaults to `path`. Differs when the place to point at
   * is elsewhere: a missing field points at its parent mapping, a repeated list item at the
   * item while the field is the list.
   */
  field?: PathSegment[];
  message: string;
}

const START: Position = { line: 1, column: 1 };

/** Strings longer than this are never quoted whole in a message. */
export const MAX_QUOTED_LENGTH = 40;

/** Quotes a string for a message; a long one is cut short because it may be a secret. */
export function quote(value: string): string {
  if (value.length <= MAX_QUOTED_LENGTH) return JSON.stringify(value);
  return `${JSON.stringify(shorten(value))} (${value.length} characters, truncated)`;
}

/** A string cut short for display, when it is longer than the limit. */
export function shorten(value: string): string {
  return value.length <= MAX_QUOTED_LENGTH ? value : value.slice(0, 12) + '…';
}

/** Rewrites every double-quoted string longer than the limit inside a message from a library. */
export function redactLongQuotes(message: string): string {
  return message.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner: string) =>
    inner.length <= MAX_QUOTED_LENGTH ? whole : quote(inner),
  );
}

/** `spec.containerDefinitions[0].name`; keys that are not identifiers are bracketed. */
export function formatFieldPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (segment.length > MAX_QUOTED_LENGTH) out += `[${JSON.stringify(shorten(segment))}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Caps: a document with thousands of mistakes gets the first few reported, and the work
// spent on it stays bounded, whatever its content.

/** Errors reported per document; the rest are counted. */
export const MAX_ERRORS_PER_DOCUMENT = 50;

/** `and 12 more errors in this document` */
export function moreErrorsMessage(count: number, scope: 'document' | 'file'): string {
  return `and ${count} more error${count === 1 ? '' : 's'} in this ${scope}`;
}

/**
 * Edit-distance comparisons "did you mean" may make per validation (a file, or one document
 * validated on its own): each costs up to 100 × 100 steps, and 9,500 unknown keys against
 * the 70 fields of a container would otherwise take twenty seconds. Spent in file order,
 * so the errors reported first get their suggestions.
 */
export const MAX_SUGGESTION_COMPARISONS = 5000;

let suggestionComparisonsLeft = Number.POSITIVE_INFINITY;

/**
 * Runs `validate` with a budget of edit-distance comparisons for suggest(); once spent,
 * suggest() suggests nothing. Validation is synchronous, so one budget at a time is enough;
 * a nested call shares the budget of the outer one.
 */
export function withSuggestionBudget<T>(comparisons: number, validate: () => T): T {
  if (suggestionComparisonsLeft !== Number.POSITIVE_INFINITY) return validate();
  suggestionComparisonsLeft = comparisons;
  try {
    return validate();
  } finally {
    suggestionComparisonsLeft = Number.POSITIVE_INFINITY;
  }
}

// ---------------------------------------------------------------------------
// "did you mean"

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("desiredCuont"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest allowed name, if one is close enough to be a likely typo: same letters in
 * another case, a small edit distance (1 for short names, up to a quarter of the length),
 * or a clear abbreviation ("env" for "environment").
 */
export function suggest(input: string, allowed: readonly string[]): string | undefined {
  if (input.length > 100) return undefined;
  const lower = input.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const name of allowed) {
    const candidate = name.toLowerCase();
    let score: number | undefined;
    if (candidate === lower) score = 0;
    else {
      const tolerance = Math.max(1, Math.floor(Math.max(lower.length, candidate.length) / 4));
      // The distance is at least the difference in length: most names are ruled out for free.
      if (Math.abs(lower.length - candidate.length) <= tolerance && suggestionComparisonsLeft > 0) {
        suggestionComparisonsLeft--;
        const distance = editDistance(lower, candidate);
        if (distance <= tolerance) score = distance;
      }
      if (score === undefined && lower.length >= 3 && candidate.startsWith(lower)) score = tolerance + 1;
    }
    if (score !== undefined && (best === undefined || score < best.score)) best = { name, score };
  }
  return best?.name;
}

/** A link's container name or alias, as ECS allows them. */
const LINK_PART = /^[A-Za-z0-9_-]{1,255}$/;

function unknownFieldMessage(key: string, allowed: readonly string[]): string {
  if (key === '<<') return 'merge keys (<<) are not supported; write the fields out, or use an alias (*name) as a whole value';
  const suggestion = suggest(key, allowed);
  return suggestion === undefined
    ? `unknown field ${quote(key)}`
    : `unknown field ${quote(key)} (did you mean ${quote(suggestion)}?)`;
}

// ---------------------------------------------------------------------------
// Plain-words descriptions of the patterns the kinds use. Keyed by the pattern itself, so
// the text follows the kind definitions without copying their regular expressions.

const PATTERN_DESCRIPTIONS = new Map<string, string>(
  (
    [
      [ResourceName.pattern, 'must be up to 255 letters, numbers, hyphens and underscores, starting with a letter or number'],
      [TaskDefinitionRef.pattern, 'must be a task definition family, optionally with a revision, like "web" or "web:3"'],
      [TaskCpu.pattern, 'must be CPU units like "256" or "1 vCPU"'],
      [TaskMemory.pattern, 'must be MiB like "512" or GB like "2GB"'],
      [PortMapping.properties.name.pattern, 'must be up to 64 lowercase letters, numbers and hyphens, starting with a letter or number'],
      [EfsFileSystemId.pattern, 'must be an EFS file system id: "fs-" and 8 to 40 lowercase hex digits, like "fs-0123456789abcdef0"'],
      [EfsAccessPointId.pattern, 'must be an EFS access point id: "fsap-" and 8 to 40 lowercase hex digits, like "fsap-0123456789abcdef0"'],
      [Engine.properties.host.pattern, 'must be an address like unix:///var/run/docker.sock or tcp://host:2376'],
    ] as Array<[string | undefined, string]>
  ).filter((entry): entry is [string, string] => entry[0] !== undefined),
);

interface SchemaLike {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  description?: string;
  properties?: Record<string, unknown>;
}

function asSchema(value: unknown): SchemaLike {
  return typeof value === 'object' && value !== null ? (value as SchemaLike) : {};
}

function literalValues(schema: SchemaLike): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  return undefined;
}

function describeLiteral(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function describeUnion(branches: readonly SchemaLike[]): string {
  for (const branch of branches) {
    const described = branch.pattern === undefined ? undefined : PATTERN_DESCRIPTIONS.get(branch.pattern);
    if (described) return described;
  }
  const forms: string[] = [];
  for (const branch of branches) {
    const literals = literalValues(branch);
    const form = literals ? literals.map(describeLiteral).join(', ') : [branch.type ?? 'a valid value'].flat().join(' or ');
    if (!forms.includes(form)) forms.push(form);
  }
  return `must be ${forms.join(' or ')}`;
}

function patternMessage(schema: SchemaLike, pattern: string): string {
  const described = PATTERN_DESCRIPTIONS.get(pattern);
  if (described) return described;
  if (schema.description) return `does not have the expected form: ${schema.description}`;
  return `must match the pattern ${pattern}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------
// ajv

// ajv-formats is CommonJS; under NodeNext its default import is module.exports, whose `default` is the plugin.
const addFormats = formatsModule.default;

// strict off: TypeBox adds annotations (and `default` inside unions) that ajv's strict mode
// rejects; useDefaults stays off so the manifest keeps exactly what the user wrote.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, useDefaults: false, coerceTypes: false });
addFormats(ajv);

const validators = new Map<KindName, ValidateFunction>();

/** One compiled validator per kind, compiled on first use. */
function validatorFor(kind: KindName): ValidateFunction {
  let validate = validators.get(kind);
  if (!validate) {
    validate = ajv.compile(KIND_SCHEMAS[kind]);
    validators.set(kind, validate);
  }
  return validate;
}

/** ajv's JSON pointer, with array indexes turned into numbers by looking at the data. */
function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(segment)) {
      path.push(Number(segment));
      node = node[Number(segment)];
    } else {
      path.push(segment);
      node = isRecord(node) ? node[segment] : undefined;
    }
  }
  return path;
}

function messageFor(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const schema = asSchema(error.parentSchema);
  switch (error.keyword) {
    case 'type':
      // Optional fields lose their nulls before validation (optionalNulls.ts): one left is in a required place.
      return `must be ${[params.type].flat().join(' or ')}${error.data === null ? ', not null' : ''}`;
    case 'const':
      return `must be ${describeLiteral(params.allowedValue)}`;
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map(describeLiteral).join(', ')}`;
    case 'pattern':
      return patternMessage(schema, String(params.pattern));
    case 'minimum':
      return `must be at least ${String(params.limit)}`;
    case 'maximum':
      return `must be at most ${String(params.limit)}`;
    case 'exclusiveMinimum':
      return `must be greater than ${String(params.limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(params.limit)}`;
    case 'multipleOf':
      return `must be a multiple of ${String(params.multipleOf)}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${plural(Number(params.limit), 'character')} long`;
    case 'maxLength':
      return `must be at most ${plural(Number(params.limit), 'character')} long`;
    case 'minItems':
      return `must have at least ${plural(Number(params.limit), 'item')}`;
    case 'maxItems':
      return `must have at most ${plural(Number(params.limit), 'item')}`;
    case 'minProperties':
      return `must have at least ${plural(Number(params.limit), 'field')}`;
    case 'maxProperties':
      return `must have at most ${plural(Number(params.limit), 'field')}`;
    case 'uniqueItems': {
      const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
      return `must not contain the same item twice (items [${first}] and [${second}] are equal)`;
    }
    case 'format':
      return `must be a valid ${String(params.format)}`;
    default:
      return redactLongQuotes(error.message ?? `is invalid (${error.keyword})`);
  }
}

/** Errors that `inner` is a part of: same place in the schema, same place (or below) in the data. */
function isWithin(inner: ErrorObject, outer: ErrorObject): boolean {
  return (
    inner !== outer &&
    inner.schemaPath.startsWith(outer.schemaPath + '/') &&
    (inner.instancePath === outer.instancePath || inner.instancePath.startsWith(outer.instancePath + '/'))
  );
}

/**
 * Turns ajv's output into one finding per problem. A failed union (anyOf/oneOf) produces an
 * error per branch plus one for the union; those become a single finding: for a union of
 * literals "must be one of: …"; when the value's type picks exactly one branch, that
 * branch's own errors (so `cpu: "abc"` reads as the CPU pattern, `cpu: 0` as the minimum);
 * otherwise a description of the whole union.
 */
function findingsFromAjv(errors: readonly ErrorObject[], root: unknown): Finding[] {
  // ajv records a union's error right after the errors of its branches (and drops those when
  // a branch passes), so a union's own errors are the run just before it. Walking backwards
  // finds each run in one pass; searching all errors per union was quadratic (a list of
  // 20,000 bad enum values).
  // The findings are then made in file order: "did you mean" spends its budget on the first.
  const groups: Array<{ error: ErrorObject; inner: readonly ErrorObject[] }> = [];
  let index = errors.length - 1;
  while (index >= 0) {
    const error = errors[index]!;
    let start = index;
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      while (start > 0 && isWithin(errors[start - 1]!, error)) start--;
    }
    groups.push({ error, inner: errors.slice(start, index) });
    index = start - 1;
  }
  return groups.reverse().flatMap(({ error, inner }) =>
    error.keyword === 'anyOf' || error.keyword === 'oneOf' ? resolveUnion(error, inner, root) : [findingFromError(error, root)],
  );
}

function resolveUnion(union: ErrorObject, inner: readonly ErrorObject[], root: unknown): Finding[] {
  const path = pointerToPath(union.instancePath, root);
  const branches = (Array.isArray(union.schema) ? union.schema : []).map(asSchema);
  const allLiterals = branches.length > 0 && branches.every((b) => literalValues(b) !== undefined);
  if (allLiterals) {
    const values = branches.flatMap((b) => literalValues(b) ?? []).map(describeLiteral);
    return [{ path, at: 'value', message: `must be one of: ${values.join(', ')}` }];
  }
  const params = union.params as { passingSchemas?: unknown };
  if (union.keyword === 'oneOf' && Array.isArray(params.passingSchemas)) {
    return [{ path, at: 'value', message: 'matches more than one of the allowed forms; it must match exactly one' }];
  }
  const prefix = union.schemaPath + '/';
  const byBranch = new Map<number, ErrorObject[]>();
  for (const error of inner) {
    const index = Number(error.schemaPath.slice(prefix.length).split('/')[0]);
    byBranch.set(index, [...(byBranch.get(index) ?? []), error]);
  }
  const typeMatches = branches
    .map((_, index) => index)
    .filter(
      (index) =>
        !(byBranch.get(index) ?? []).some(
          (e) => e.keyword === 'type' && e.instancePath === union.instancePath && e.schemaPath === `${prefix}${index}/type`,
        ),
    );
  if (typeMatches.length === 1) {
    const branchErrors = byBranch.get(typeMatches[0]!) ?? [];
    if (branchErrors.length > 0) return findingsFromAjv(branchErrors, root);
  }
  const isNull = union.data === null ? ', not null' : '';
  return [{ path, at: 'value', message: `${describeUnion(branches)}${isNull}` }];
}

function findingFromError(error: ErrorObject, root: unknown): Finding {
  const path = pointerToPath(error.instancePath, root);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const key = String(params.additionalProperty);
    const allowed = Object.keys(asSchema(error.parentSchema).properties ?? {});
    return { path: [...path, key], at: 'key', message: unknownFieldMessage(key, allowed) };
  }
  if (error.keyword === 'uniqueItems') {
    // Point at the repeated item, where the fix is.
    const later = Math.max(Number(params.i), Number(params.j));
    return { path: [...path, later], at: 'value', field: path, message: messageFor(error) };
  }
  if (error.keyword === 'required') {
    const missing = String(params.missingProperty);
    return { path, at: 'value', field: [...path, missing], message: 'required field is missing' };
  }
  return { path, at: 'value', message: messageFor(error) };
}

// ---------------------------------------------------------------------------
// apiVersion and kind: checked by hand so the message can say what is allowed.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const KINDS_ALLOWED = `must be one of: ${KIND_NAMES.join(', ')}`;

function headerFindings(value: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  if (!Object.hasOwn(value, 'apiVersion')) {
    findings.push({ path: [], at: 'value', field: ['apiVersion'], message: `required field is missing; must be ${API_VERSION}` });
  } else if (value.apiVersion !== API_VERSION) {
    const written = typeof value.apiVersion === 'string' ? `unsupported apiVersion ${quote(value.apiVersion)}; ` : '';
    findings.push({ path: ['apiVersion'], at: 'value', message: `${written}must be ${API_VERSION}` });
  }
  if (!Object.hasOwn(value, 'kind')) {
    findings.push({ path: [], at: 'value', field: ['kind'], message: `required field is missing; ${KINDS_ALLOWED}` });
  } else if (!isKindName(value.kind)) {
    let message = KINDS_ALLOWED;
    if (typeof value.kind === 'string') {
      const suggestion = suggest(value.kind, KIND_NAMES);
      const hint = suggestion === undefined ? '' : ` (did you mean ${quote(suggestion)}?)`;
      message = `unknown kind ${quote(value.kind)}${hint}; ${KINDS_ALLOWED}`;
    }
    findings.push({ path: ['kind'], at: 'value', message });
  }
  return findings;
}

/** ajv's view of apiVersion and kind, already reported by headerFindings. */
function isHeaderError(error: ErrorObject): boolean {
  if (error.instancePath === '/apiVersion' || error.instancePath === '/kind') return true;
  if (error.instancePath === '' && error.keyword === 'required') {
    const missing = (error.params as { missingProperty?: unknown }).missingProperty;
    return missing === 'apiVersion' || missing === 'kind';
  }
  return false;
}

// ---------------------------------------------------------------------------
// Checks a JSON Schema cannot express. They read the value defensively, so they run even
// when the schema found problems elsewhere and report everything in one pass.

type SemanticCheck = (manifest: Record<string, unknown>) => Finding[];

/** containerDefinitions' maxItems (ECS's limit). */
const MAX_CONTAINERS = 10;

function containersOf(manifest: Record<string, unknown>): Array<Record<string, unknown> | undefined> {
  const spec = manifest.spec;
  if (!isRecord(spec) || !Array.isArray(spec.containerDefinitions)) return [];
  // More containers than allowed is already an error; checking across thousands of them would cost their square.
  if (spec.containerDefinitions.length > MAX_CONTAINERS) return [];
  return spec.containerDefinitions.map((c: unknown) => (isRecord(c) ? c : undefined));
}

function volumesOf(manifest: Record<string, unknown>): Array<Record<string, unknown> | undefined> {
  const spec = manifest.spec;
  if (!isRecord(spec) || !Array.isArray(spec.volumes)) return [];
  return spec.volumes.map((v: unknown) => (isRecord(v) ? v : undefined));
}

const taskDefinitionChecks: SemanticCheck[] = [
  // metadata.name is the family; a second, different family would make revisions ambiguous.
  (manifest) => {
    const spec = manifest.spec;
    const metadata = manifest.metadata;
    if (!isRecord(spec) || !isRecord(metadata)) return [];
    if (typeof spec.family !== 'string' || typeof metadata.name !== 'string' || spec.family === metadata.name) return [];
    return [
      {
        path: ['spec', 'family'],
        at: 'value',
        message: `must equal metadata.name (${quote(metadata.name)}): a task definition's family is its metadata.name`,
      },
    ];
  },
  (manifest) => {
    const findings: Finding[] = [];
    const seen = new Map<string, number>();
    containersOf(manifest).forEach((container, index) => {
      const name = container?.name;
      if (typeof name !== 'string') return;
      const first = seen.get(name);
      if (first === undefined) seen.set(name, index);
      else
        findings.push({
          path: ['spec', 'containerDefinitions', index, 'name'],
          at: 'value',
          message: `Container names must be unique within a task definition: ${quote(name)} is also the name of containerDefinitions[${first}]`,
        });
    });
    return findings;
  },
  // essential defaults to true, so only an explicit `essential: false` on every container fails.
  (manifest) => {
    const containers = containersOf(manifest);
    if (containers.length === 0 || !containers.every((c) => c?.essential === false)) return [];
    return [
      { path: ['spec', 'containerDefinitions'], at: 'value', message: 'Task definition must have at least one essential container' },
    ];
  },
  (manifest) => {
    const findings: Finding[] = [];
    containersOf(manifest).forEach((container, index) => {
      const memory = container?.memory;
      const reservation = container?.memoryReservation;
      // The API reference says "less than", but the service registers an equal reservation
      // (and real files use one); Docker too accepts a reservation equal to the limit.
      if (typeof memory !== 'number' || typeof reservation !== 'number' || reservation <= memory) return;
      findings.push({
        path: ['spec', 'containerDefinitions', index, 'memoryReservation'],
        at: 'value',
        message: `The memoryReservation must not be greater than the memory value (${reservation} > ${memory})`,
      });
    });
    return findings;
  },
  // In awsvpc and host mode a container's port is the host's (or the task's) port: ECS rejects any other hostPort.
  (manifest) => {
    const spec = manifest.spec;
    if (!isRecord(spec) || (spec.networkMode !== 'awsvpc' && spec.networkMode !== 'host')) return [];
    const mode = spec.networkMode;
    const findings: Finding[] = [];
    containersOf(manifest).forEach((container, index) => {
      const mappings = container?.portMappings;
      if (!Array.isArray(mappings)) return;
      mappings.forEach((mapping: unknown, m) => {
        if (!isRecord(mapping) || mapping.hostPort === undefined || mapping.hostPort === mapping.containerPort) return;
        if (typeof mapping.hostPort !== 'number' || typeof mapping.containerPort !== 'number') return;
        findings.push({
          path: ['spec', 'containerDefinitions', index, 'portMappings', m, 'hostPort'],
          at: 'value',
          message: `When networkMode=${mode}, the host ports and container ports in port mappings must match. (hostPort ${mapping.hostPort}, containerPort ${mapping.containerPort})`,
        });
      });
    });
    return findings;
  },
  // dependsOn names another container of the same task.
  (manifest) => sameTaskContainerReferences(manifest, { list: 'dependsOn', key: 'containerName', self: 'A container cannot depend on itself' }),
  // links ("name" or "name:alias") name another container of the task, and only bridge tasks have them (ECS).
  (manifest) => {
    const spec = manifest.spec;
    const mode = isRecord(spec) && typeof spec.networkMode === 'string' ? spec.networkMode : 'bridge';
    const containers = containersOf(manifest);
    const names = containers.map((c) => c?.name).filter((name): name is string => typeof name === 'string');
    const findings: Finding[] = [];
    containers.forEach((container, index) => {
      const links = container?.links;
      if (!Array.isArray(links)) return;
      if (mode !== 'bridge' && links.length > 0) {
        findings.push({ path: ['spec', 'containerDefinitions', index, 'links'], at: 'key', message: `Links are not supported when networkMode=${mode}` });
        return;
      }
      links.forEach((link: unknown, l) => {
        if (typeof link !== 'string') return;
        const path = ['spec', 'containerDefinitions', index, 'links', l];
        const [target = '', alias, ...rest] = link.split(':');
        if (rest.length > 0 || !LINK_PART.test(target) || (alias !== undefined && !LINK_PART.test(alias))) {
          findings.push({ path, at: 'value', message: `Link ${quote(link)} must be "name" or "name:alias"; up to 255 letters, numbers, underscores and hyphens each` });
        } else if (target === container?.name) {
          findings.push({ path, at: 'value', message: `A container cannot link to itself (${quote(target)})` });
        } else if (!names.includes(target)) {
          const suggestion = suggest(target, names);
          const hint = suggestion === undefined ? '' : ` (did you mean ${quote(suggestion)}?)`;
          findings.push({ path, at: 'value', message: `Container ${quote(target)} is not a container of this task definition${hint}; links must name one of: ${names.join(', ')}` });
        }
      });
    });
    return findings;
  },
  // Volume names are unique: mount points refer to volumes by name.
  (manifest) => {
    const findings: Finding[] = [];
    const seen = new Map<string, number>();
    volumesOf(manifest).forEach((volume, index) => {
      const name = volume?.name;
      if (typeof name !== 'string') return;
      const first = seen.get(name);
      if (first === undefined) seen.set(name, index);
      else findings.push({ path: ['spec', 'volumes', index, 'name'], at: 'value', message: `Volume names must be unique within a task definition: ${quote(name)} is also the name of volumes[${first}]` });
    });
    return findings;
  },
  // An EFS rootDirectory stays inside its file system, and an access point brings its own (ECS).
  (manifest) =>
    volumesOf(manifest).flatMap((volume, index) => {
      const efs = volume?.efsVolumeConfiguration;
      if (!isRecord(efs) || typeof efs.rootDirectory !== 'string') return [];
      const accessPoint = isRecord(efs.authorizationConfig) ? efs.authorizationConfig.accessPointId : undefined;
      const problem = efsRootDirectoryProblem(efs.rootDirectory, { withAccessPoint: typeof accessPoint === 'string' });
      return problem === undefined ? [] : [{ path: ['spec', 'volumes', index, 'efsVolumeConfiguration', 'rootDirectory'], at: 'value' as const, message: problem }];
    }),
  // A mount point's sourceVolume names a volume of the task definition.
  (manifest) => {
    const names = volumesOf(manifest)
      .map((v) => v?.name)
      .filter((name): name is string => typeof name === 'string');
    const known = new Set(names);
    const findings: Finding[] = [];
    containersOf(manifest).forEach((container, index) => {
      const mountPoints = container?.mountPoints;
      if (!Array.isArray(mountPoints)) return;
      mountPoints.forEach((mountPoint: unknown, m) => {
        if (!isRecord(mountPoint) || typeof mountPoint.sourceVolume !== 'string' || known.has(mountPoint.sourceVolume)) return;
        const suggestion = suggest(mountPoint.sourceVolume, names);
        const hint = suggestion === undefined ? '' : ` (did you mean ${quote(suggestion)}?)`;
        const allowed = names.length ? `; sourceVolume must name one of: ${names.join(', ')}` : '; the task definition defines no volumes';
        findings.push({
          path: ['spec', 'containerDefinitions', index, 'mountPoints', m, 'sourceVolume'],
          at: 'value',
          message: `Unknown volume ${quote(mountPoint.sourceVolume)}${hint}${allowed}`,
        });
      });
    });
    return findings;
  },
  // volumesFrom names another container of the same task.
  (manifest) => sameTaskContainerReferences(manifest, { list: 'volumesFrom', key: 'sourceContainer', self: 'A container cannot mount volumes from itself' }),
  // With task-level cpu and memory, the containers' own values must fit in them (ECS).
  (manifest) => {
    const spec = manifest.spec;
    if (!isRecord(spec)) return [];
    const containers = containersOf(manifest);
    const findings: Finding[] = [];
    const cpu = typeof spec.cpu === 'string' || typeof spec.cpu === 'number' ? parseTaskCpu(spec.cpu) : undefined;
    const memory = typeof spec.memory === 'string' || typeof spec.memory === 'number' ? parseTaskMemory(spec.memory) : undefined;
    const sum = (field: string) => containers.reduce((total, c) => total + (typeof c?.[field] === 'number' ? (c[field] as number) : 0), 0);
    if (cpu !== undefined && Number.isFinite(cpu) && sum('cpu') > cpu) {
      findings.push({ path: ['spec', 'cpu'], at: 'value', message: `The containers' cpu values add up to ${sum('cpu')} units, more than the task cpu (${cpu} units)` });
    }
    if (memory !== undefined && Number.isFinite(memory)) {
      for (const c of containers.keys()) {
        const container = containers[c];
        const own = typeof container?.memory === 'number' ? container.memory : undefined;
        if (own !== undefined && own > memory) {
          findings.push({
            path: ['spec', 'containerDefinitions', c, 'memory'],
            at: 'value',
            message: `Container memory (${own} MiB) must not be greater than the task memory (${memory} MiB)`,
          });
        }
      }
      const reserved = sum('memoryReservation');
      if (reserved > memory) {
        findings.push({ path: ['spec', 'memory'], at: 'value', message: `The containers' memoryReservation values add up to ${reserved} MiB, more than the task memory (${memory} MiB)` });
      }
    }
    return findings;
  },
  // ECS: COMPLETE and SUCCESS cannot be set on an essential container (its exit would stop
  // the task), and HEALTHY needs the dependency to have a health check.
  (manifest) => {
    const containers = containersOf(manifest);
    const findings: Finding[] = [];
    containers.forEach((container, index) => {
      const dependencies = container?.dependsOn;
      if (!Array.isArray(dependencies)) return;
      dependencies.forEach((dependency: unknown, d) => {
        if (!isRecord(dependency) || typeof dependency.containerName !== 'string') return;
        const target = containers.find((c) => c?.name === dependency.containerName);
        if (!target || target === container) return;
        const path = ['spec', 'containerDefinitions', index, 'dependsOn', d, 'condition'];
        const condition = dependency.condition;
        if ((condition === 'COMPLETE' || condition === 'SUCCESS') && target.essential !== false) {
          findings.push({
            path,
            at: 'value',
            message: `The ${condition} condition can't be set on an essential container: ${quote(dependency.containerName)} is essential; set essential: false on it`,
          });
        }
        if (condition === 'HEALTHY' && !isRecord(target.healthCheck)) {
          findings.push({
            path,
            at: 'value',
            message: `The HEALTHY condition needs a healthCheck on ${quote(dependency.containerName)}, which has none`,
          });
        }
      });
    });
    return findings;
  },
  // dependsOn must not form a cycle: no start order would exist.
  (manifest) => {
    const containers = containersOf(manifest);
    const edges = new Map<string, string[]>();
    containers.forEach((container) => {
      if (typeof container?.name !== 'string' || !Array.isArray(container.dependsOn)) return;
      edges.set(
        container.name,
        container.dependsOn.filter(isRecord).map((d) => d.containerName).filter((n): n is string => typeof n === 'string' && n !== container.name),
      );
    });
    const cycle = findCycle(edges);
    if (!cycle) return [];
    const index = containers.findIndex((c) => c?.name === cycle[0]);
    return [
      {
        path: ['spec', 'containerDefinitions', index, 'dependsOn'],
        at: 'key',
        message: `Container dependencies form a cycle (${cycle.join(' -> ')}): no container of it could ever start`,
      },
    ];
  },
  // Every secret reference maps to a local secret name (controller/secrets/references.ts).
  (manifest) => {
    const findings: Finding[] = [];
    containersOf(manifest).forEach((container, index) => {
      for (const { path, reference, parse } of secretReferencesOf(container)) {
        const problem = referenceProblem(reference, parse);
        if (problem) findings.push({ path: ['spec', 'containerDefinitions', index, ...path], at: 'value', message: problem });
      }
    });
    return findings;
  },
  // A variable is either plain or secret: ECS refuses a secret whose name is also in environment.
  (manifest) => {
    const findings: Finding[] = [];
    containersOf(manifest).forEach((container, index) => {
      const plain = new Set(namesOf(container?.environment).map(([name]) => name));
      const seen = new Set<string>();
      for (const [name, s] of namesOf(container?.secrets)) {
        const path = ['spec', 'containerDefinitions', index, 'secrets', s, 'name'];
        if (plain.has(name)) {
          findings.push({ path, at: 'value', message: `The secret name must be unique and not shared with any environment variables set on the container: ${quote(name)} is also in environment` });
        } else if (seen.has(name)) {
          findings.push({ path, at: 'value', message: `The secret name must be unique: ${quote(name)} is set twice` });
        }
        seen.add(name);
      }
    });
    return findings;
  },
  (manifest) => fargateFindings(manifest),
];

/**
 * ECS validates a definition whose requiresCompatibilities names FARGATE against the
 * Fargate rules at registration, "Amazon ECS task definition differences for Fargate":
 * task-level cpu and memory in one of Fargate's combinations, networkMode awsvpc, and none
 * of the parameters that are "not valid in Fargate tasks" (disableNetworking,
 * dnsSearchDomains, dnsServers, dockerSecurityOptions, extraHosts, gpu, ipcMode, links,
 * placementConstraints, privileged, maxSwap, swappiness), linuxParameters limited to adding
 * SYS_PTRACE with no devices, sharedMemorySize or tmpfs, pidMode task only, no host
 * sourcePath and no dockerVolumeConfiguration. The messages are the service's where it is
 * known word for word ("Tasks using the Fargate launch type do not support ipcMode.",
 * "… pidMode 'host'. The supported value for pidMode is 'task'.", "No Fargate configuration
 * exists for given values"), in the same words elsewhere.
 * An empty list, false or null is the field's absence (console exports carry
 * `"links": []`), never a refusal.
 */
function fargateFindings(manifest: Record<string, unknown>): Finding[] {
  const spec = manifest.spec;
  if (!isRecord(spec) || !Array.isArray(spec.requiresCompatibilities)) return [];
  const fargateAt = spec.requiresCompatibilities.indexOf('FARGATE');
  if (fargateAt < 0) return [];
  // A missing field is pointed at where FARGATE is asked for: that is what requires it.
  const requiredBy = { path: ['spec', 'requiresCompatibilities', fargateAt], at: 'value' as const };
  const notSupported = (path: PathSegment[], what: string, why = ''): Finding => ({ path, at: 'key', message: `Tasks using the Fargate launch type do not support ${what}.${why}` });
  const findings: Finding[] = [];
  for (const field of ['cpu', 'memory']) {
    if (spec[field] === undefined || spec[field] === null) {
      findings.push({ ...requiredBy, field: ['spec', field], message: `Fargate requires that '${field}' be defined at the task level.` });
    }
  }
  findings.push(...fargateSizeFindings(spec));
  if (spec.networkMode !== 'awsvpc') {
    const mode = typeof spec.networkMode === 'string' ? spec.networkMode : 'bridge';
    findings.push(
      spec.networkMode === undefined || spec.networkMode === null
        ? { ...requiredBy, field: ['spec', 'networkMode'], message: `Fargate only supports network mode 'awsvpc'. (networkMode is absent: ${mode})` }
        : { path: ['spec', 'networkMode'], at: 'value', message: `Fargate only supports network mode 'awsvpc'. (networkMode ${mode})` },
    );
  }
  if (isPresent(spec.ipcMode)) findings.push(notSupported(['spec', 'ipcMode'], 'ipcMode'));
  if (isPresent(spec.pidMode) && spec.pidMode !== 'task') {
    findings.push({ path: ['spec', 'pidMode'], at: 'value', message: `Tasks using the Fargate launch type do not support pidMode ${quoteSingle(spec.pidMode)}. The supported value for pidMode is 'task'.` });
  }
  if (isPresent(spec.placementConstraints)) findings.push(notSupported(['spec', 'placementConstraints'], 'placementConstraints'));
  containersOf(manifest).forEach((container, index) => {
    if (!container) return;
    const at = ['spec', 'containerDefinitions', index];
    for (const field of ['privileged', 'disableNetworking', 'dnsSearchDomains', 'dnsServers', 'dockerSecurityOptions', 'extraHosts', 'links']) {
      if (isPresent(container[field])) findings.push(notSupported([...at, field], field));
    }
    if (Array.isArray(container.resourceRequirements)) {
      container.resourceRequirements.forEach((requirement: unknown, r) => {
        if (isRecord(requirement) && requirement.type === 'GPU') findings.push(notSupported([...at, 'resourceRequirements', r], 'gpu'));
      });
    }
    const linux = container.linuxParameters;
    if (!isRecord(linux)) return;
    for (const field of ['maxSwap', 'swappiness', 'devices', 'sharedMemorySize', 'tmpfs']) {
      if (isPresent(linux[field])) findings.push(notSupported([...at, 'linuxParameters', field], `linuxParameters.${field}`));
    }
    const added = isRecord(linux.capabilities) && Array.isArray(linux.capabilities.add) ? linux.capabilities.add : [];
    added.forEach((capability: unknown, c) => {
      if (capability === 'SYS_PTRACE' || capability === 'CAP_SYS_PTRACE') return;
      findings.push({
        path: [...at, 'linuxParameters', 'capabilities', 'add', c],
        at: 'value',
        message: `Tasks launched on Fargate only support adding the SYS_PTRACE kernel capability (not ${JSON.stringify(capability)}).`,
      });
    });
  });
  volumesOf(manifest).forEach((volume, index) => {
    const host = volume?.host;
    if (isRecord(host) && isPresent(host.sourcePath)) {
      findings.push(notSupported(['spec', 'volumes', index, 'host', 'sourcePath'], 'host.sourcePath', ' (a host volume without one is task storage, which Fargate supports)'));
    }
    if (isPresent(volume?.dockerVolumeConfiguration)) {
      findings.push(notSupported(['spec', 'volumes', index, 'dockerVolumeConfiguration'], 'dockerVolumeConfiguration', ' (Fargate tasks only support bind mount host volumes)'));
    }
  });
  return findings;
}

/**
 * Fargate's task sizes (MiB of memory by CPU units), as ECS documents them; 8192 and 16384
 * CPU need Linux platform 1.4.0, the only one berth's tasks could stand for.
 */
const FARGATE_MEMORY_BY_CPU: ReadonlyMap<number, { from: number; to: number; step: number } | readonly number[]> = new Map<number, { from: number; to: number; step: number } | readonly number[]>([
  [256, [512, 1024, 2048]],
  [512, [1024, 2048, 3072, 4096]],
  [1024, [2048, 3072, 4096, 5120, 6144, 7168, 8192]],
  [2048, { from: 4096, to: 16384, step: 1024 }],
  [4096, { from: 8192, to: 30720, step: 1024 }],
  [8192, { from: 16384, to: 61440, step: 4096 }],
  [16384, { from: 32768, to: 122880, step: 8192 }],
]);

/** A cpu and memory pair Fargate has no size for; absent or unparsable values are reported elsewhere. */
function fargateSizeFindings(spec: Record<string, unknown>): Finding[] {
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? value : undefined);
  const cpu = parseTaskCpu(text(spec.cpu));
  const memory = parseTaskMemory(text(spec.memory));
  if (cpu === undefined || memory === undefined || !Number.isFinite(cpu) || !Number.isFinite(memory)) return [];
  const sizes = FARGATE_MEMORY_BY_CPU.get(cpu);
  if (!sizes) {
    return [{ path: ['spec', 'cpu'], at: 'value', message: `Invalid 'cpu' setting for task. (Fargate task cpu is one of ${[...FARGATE_MEMORY_BY_CPU.keys()].join(', ')} units; this is ${cpu})` }];
  }
  const fits = 'from' in sizes ? memory >= sizes.from && memory <= sizes.to && (memory - sizes.from) % sizes.step === 0 : sizes.includes(memory);
  if (fits) return [];
  const allowed = 'from' in sizes ? `${sizes.from} to ${sizes.to} in steps of ${sizes.step}` : `${sizes.slice(0, -1).join(', ')} or ${sizes.at(-1)}`;
  return [
    {
      path: ['spec', 'memory'],
      at: 'value',
      message: `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values. (with cpu ${cpu}, memory is ${allowed} MiB)`,
    },
  ];
}

/** Set to something: an empty list, false and null mean the field is absent. */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  return !Array.isArray(value) || value.length > 0;
}

function quoteSingle(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** `[name, index]` of the items of an ECS name/value list, skipping malformed items (the schema reports those). */
function namesOf(list: unknown): Array<[string, number]> {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown, i): Array<[string, number]> => (isRecord(item) && typeof item.name === 'string' ? [[item.name, i]] : []));
}

/** The secret references of a container, with their paths below the container and how each is read. */
function secretReferencesOf(container: Record<string, unknown> | undefined): Array<{ path: PathSegment[]; reference: string; parse: (value: string) => unknown }> {
  const found: Array<{ path: PathSegment[]; reference: string; parse: (value: string) => unknown }> = [];
  const collect = (list: unknown, path: PathSegment[], key: string, parse: (value: string) => unknown) => {
    if (!Array.isArray(list)) return;
    list.forEach((item: unknown, i) => {
      if (isRecord(item) && typeof item[key] === 'string') found.push({ path: [...path, i, key], reference: item[key], parse });
    });
  };
  collect(container?.secrets, ['secrets'], 'valueFrom', secretReference);
  const log = container?.logConfiguration;
  if (isRecord(log)) collect(log.secretOptions, ['logConfiguration', 'secretOptions'], 'valueFrom', secretReference);
  collect(container?.environmentFiles, ['environmentFiles'], 'value', envFileLocation);
  const credentials = container?.repositoryCredentials;
  if (isRecord(credentials) && typeof credentials.credentialsParameter === 'string') {
    found.push({ path: ['repositoryCredentials', 'credentialsParameter'], reference: credentials.credentialsParameter, parse: secretReference });
  }
  return found;
}

/**
 * Why a reference cannot be read, quoting it whole: a reference names a secret and holds
 * none, and the part that is wrong is often its end (the name after `secret:`).
 */
function referenceProblem(reference: string, parse: (value: string) => unknown): string | undefined {
  try {
    parse(reference);
    return undefined;
  } catch (error) {
    if (error instanceof SecretReferenceError) return `${JSON.stringify(reference)} ${error.reason}`;
    throw error;
  }
}

const taskChecks: SemanticCheck[] = [
  // ECS takes one override per container; a second would leave it unclear which applies.
  (manifest) => {
    const spec = manifest.spec;
    if (!isRecord(spec) || !isRecord(spec.overrides)) return [];
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const [name, index] of namesOf(spec.overrides.containerOverrides)) {
      if (seen.has(name)) {
        findings.push({ path: ['spec', 'overrides', 'containerOverrides', index, 'name'], at: 'value', message: `container ${quote(name)} is overridden twice: give one override per container` });
      }
      seen.add(name);
    }
    return findings;
  },
];

const SEMANTIC_CHECKS: Partial<Record<KindName, readonly SemanticCheck[]>> = {
  TaskDefinition: taskDefinitionChecks,
  Task: taskChecks,
};

/**
 * Every `containerDefinitions[].<list>[].<key>` names another container of the task
 * definition: not the container itself, and with a "did you mean" for a near miss.
 */
function sameTaskContainerReferences(manifest: Record<string, unknown>, field: { list: string; key: string; self: string }): Finding[] {
  const containers = containersOf(manifest);
  const names = containers.map((c) => c?.name).filter((name): name is string => typeof name === 'string');
  const findings: Finding[] = [];
  containers.forEach((container, index) => {
    const references = container?.[field.list];
    if (!Array.isArray(references)) return;
    references.forEach((reference: unknown, r) => {
      if (!isRecord(reference) || typeof reference[field.key] !== 'string') return;
      const target = reference[field.key] as string;
      const path = ['spec', 'containerDefinitions', index, field.list, r, field.key];
      if (target === container?.name) {
        findings.push({ path, at: 'value', message: `${field.self} (${quote(target)})` });
      } else if (!names.includes(target)) {
        const suggestion = suggest(target, names);
        const hint = suggestion === undefined ? '' : ` (did you mean ${quote(suggestion)}?)`;
        findings.push({
          path,
          at: 'value',
          message: `Container ${quote(target)} is not a container of this task definition${hint}; ${field.list} must name one of: ${names.join(', ')}`,
        });
      }
    });
  });
  return findings;
}

/** A dependency cycle as a path that returns to its start, or undefined. */
function findCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'visiting');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------

/** The kind and metadata.name as written, for attributing errors; cut short like any quoted value. */
export function readIdentity(value: unknown): { kind?: string; name?: string } {
  if (!isRecord(value)) return {};
  const identity: { kind?: string; name?: string } = {};
  if (typeof value.kind === 'string') identity.kind = shorten(value.kind);
  const metadata = value.metadata;
  if (isRecord(metadata) && typeof metadata.name === 'string') identity.name = shorten(metadata.name);
  return identity;
}


function positionKey(issue: ManifestIssue): string {
  return `${issue.line}:${issue.column}:${issue.field ?? ''}:${issue.message}`;
}

/**
 * Validates one manifest value. `locate` maps a path to a source position; without one,
 * every error points at 1:1 (plain objects with no source text).
 */
export function validateManifest(value: unknown, locate: Locate = () => START): ValidationResult {
  return withSuggestionBudget(MAX_SUGGESTION_COMPARISONS, () => validateWithinBudget(value, locate));
}

/** A TaskDefinition as ECS reads it: a null in an optional field of its spec is no field at all. */
function withoutTaskDefinitionNulls(value: unknown): unknown {
  if (!isRecord(value) || value.kind !== 'TaskDefinition' || !isRecord(value.spec)) return value;
  const spec = withoutOptionalNulls(value.spec, KIND_SCHEMAS.TaskDefinition.properties.spec);
  return spec === value.spec ? value : { ...value, spec };
}

function validateWithinBudget(written: unknown, locate: Locate): ValidationResult {
  const value = withoutTaskDefinitionNulls(written);
  const identity = readIdentity(value);
  const findings: Finding[] = [];
  if (!isRecord(value)) {
    findings.push({ path: [], at: 'value', message: 'a manifest must be a mapping with apiVersion, kind, metadata and spec' });
  } else {
    findings.push(...headerFindings(value));
    if (isKindName(value.kind)) {
      const validate = validatorFor(value.kind);
      if (!validate(value)) {
        findings.push(...findingsFromAjv((validate.errors ?? []).filter((e) => !isHeaderError(e)), value));
      }
      for (const check of SEMANTIC_CHECKS[value.kind] ?? []) findings.push(...check(value));
    }
  }

  if (findings.length === 0 && isRecord(value) && isKindName(value.kind) && identity.name !== undefined) {
    const metadata = value.metadata as Record<string, unknown>;
    return { ok: true, kind: value.kind, name: String(metadata.name), manifest: value as AnyManifest, errors: [] };
  }

  // Only the first findings are located and worded: locating one costs a walk of the document.
  const reported = findings.slice(0, MAX_ERRORS_PER_DOCUMENT);
  const seen = new Set<string>();
  const errors: ManifestIssue[] = [];
  for (const finding of reported) {
    const position = safeLocate(locate, finding.path, finding.at);
    const field = formatFieldPath(finding.field ?? finding.path);
    const issue: ManifestIssue = { line: position.line, column: position.column, message: finding.message };
    if (field !== '') issue.field = field;
    if (identity.kind !== undefined) issue.kind = identity.kind;
    if (identity.name !== undefined) issue.name = identity.name;
    const key = positionKey(issue);
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(issue);
  }
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (findings.length > reported.length) {
    // Placed at the last error reported, so that it is read after them.
    const last = errors[errors.length - 1] ?? START;
    const omitted = findings.length - reported.length;
    const more: ManifestIssue = { line: last.line, column: last.column, message: moreErrorsMessage(omitted, 'document'), omitted };
    if (identity.kind !== undefined) more.kind = identity.kind;
    if (identity.name !== undefined) more.name = identity.name;
    errors.push(more);
  }
  const failed: ValidationResult = { ok: false, errors };
  if (identity.kind !== undefined) failed.kind = identity.kind;
  if (identity.name !== undefined) failed.name = identity.name;
  return failed;
}

function safeLocate(locate: Locate, path: readonly PathSegment[], at: 'key' | 'value'): Position {
  try {
    const position = locate(path, at);
    if (Number.isInteger(position.line) && Number.isInteger(position.column) && position.line >= 1 && position.column >= 1) {
      return position;
    }
  } catch {
    // A position is a courtesy; the error itself must still be reported.
  }
  return START;
}
