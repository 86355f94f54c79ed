/**
 * Manifest files in: text → documents → validated manifests, with every problem reported
 * as file:line:column. Never throws, whatever the text: a file a person is halfway through
 * editing is an everyday input, and one bad document does not hide the good ones beside it.
 *
 * The readers are in parse/: yaml.ts (depth and aliases measured before composing),
 * json.ts (a parser that records where every key and value starts), and source.ts (limits,
 * positions, a document as read). This module validates what they read and attributes it.
 */
import { basename } from 'node:path';
import { ignoredFieldUses } from '../kinds/ecsCompatibility.js';
import { escapeControlCharacters } from './textDecoding.js';
import { shortHash } from '../hash.js';
import { readJson } from './parse/json.js';
import { issueAt, LineIndex, PARSE_LIMITS } from './parse/source.js';
import { readYaml } from './parse/yaml.js';
import { formatFieldPath, MAX_SUGGESTION_COMPARISONS, moreErrorsMessage, quote, readIdentity, redactLongQuotes, shorten, validateManifest, withSuggestionBudget, } from './validate.js';
import { errorMessage } from '../errors.js';
// Re-exported: callers read files through this module and need not know how it is split.
export { PARSE_LIMITS } from './parse/source.js';
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
const TEMP_SUFFIX = '.berth-tmp';
/** .yaml .yml .json files; not dotfiles (editor swap files, .git) and not the status writer's temp files. */
export function isManifestFile(path) {
    const name = basename(path);
    if (name.startsWith('.') || name.endsWith(TEMP_SUFFIX))
        return false;
    const lower = name.toLowerCase();
    return MANIFEST_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length);
}
/** `examples/web.yaml:12:7: Service/web: spec.desiredCount: must be integer` */
export function formatManifestError(e) {
    const parts = [`${e.file}:${e.line}:${e.column}`];
    if (e.kind !== undefined && e.name !== undefined)
        parts.push(`${e.kind}/${e.name}`);
    else if (e.kind !== undefined)
        parts.push(e.kind);
    else if (e.name !== undefined)
        parts.push(e.name);
    if (e.field !== undefined)
        parts.push(e.field);
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
export function specHash(manifest) {
    const { apiVersion, kind, metadata, spec } = manifest;
    return shortHash({ apiVersion, kind, metadata, spec });
}
// ---------------------------------------------------------------------------
function fullIdentityKey(value) {
    if (typeof value !== 'object' || value === null)
        return undefined;
    const { kind, metadata } = value;
    const name = typeof metadata === 'object' && metadata !== null ? metadata.name : undefined;
    return typeof kind === 'string' && typeof name === 'string' ? JSON.stringify([kind, name]) : undefined;
}
function isJsonFile(file) {
    return file.toLowerCase().endsWith('.json');
}
/**
 * Parses and validates the manifests in one file. `.json` files hold one JSON document;
 * anything else is read as YAML, possibly several documents separated by `---`. Documents
 * that are valid are returned even when others in the same file are not.
 */
export function parseManifestText(file, text) {
    try {
        // One budget for the whole file: a thousand documents do not get a thousand budgets.
        return withSuggestionBudget(MAX_SUGGESTION_COMPARISONS, () => parseUnguarded(file, text));
    }
    catch (error) {
        // Nothing above is expected to throw; if something does, it is still only an error in this file.
        const message = errorMessage(error);
        return { documents: [], errors: [{ file, line: 1, column: 1, message: `could not read this file: ${redactLongQuotes(message)}` }], warnings: [] };
    }
}
/** An issue of `file`, safe to print: no control character of the file reaches a terminal or log through it. */
function inFile(file, issue) {
    const error = { file, ...issue, message: escapeControlCharacters(issue.message) };
    if (issue.field !== undefined)
        error.field = escapeControlCharacters(issue.field);
    return error;
}
function parseUnguarded(file, text) {
    const withFile = (issue) => inFile(file, issue);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > PARSE_LIMITS.maxFileBytes) {
        return {
            documents: [],
            errors: [withFile(issueAt({ line: 1, column: 1 }, `file is too large (${bytes} bytes; the limit is ${PARSE_LIMITS.maxFileBytes} bytes, 1 MiB)`))],
            warnings: [],
        };
    }
    const lines = new LineIndex(text);
    const issues = [];
    const raw = isJsonFile(file) ? readJson(text, lines, issues) : readYaml(text, lines, issues);
    const documents = [];
    const firstLineOf = new Map();
    // Warnings of documents that are invalid: shown beside their errors, served by no resource.
    const invalidWarnings = [];
    for (const document of raw) {
        const result = validateManifest(document.value, document.locate);
        // A second document with the same kind and name would make the file say two things at once.
        const identityKey = fullIdentityKey(document.value);
        if (identityKey !== undefined) {
            const firstLine = firstLineOf.get(identityKey);
            if (firstLine === undefined)
                firstLineOf.set(identityKey, document.start.line);
            else {
                const identity = readIdentity(document.value);
                issues.push(issueAt(document.locate(['metadata', 'name'], 'value'), `${identity.kind ?? ''} ${quote(identity.name ?? '')} is already defined in this file at line ${firstLine}`, identity));
                if (!result.ok)
                    issues.push(...result.errors);
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
            ...withSecretReference(result.manifest, document.locate, withFile),
        });
    }
    const errors = capErrors(issues.map(withFile).sort((a, b) => a.line - b.line || a.column - b.column), PARSE_LIMITS.maxErrors);
    const warnings = [...documents.flatMap((d) => d.warnings), ...invalidWarnings].sort((a, b) => a.line - b.line || a.column - b.column);
    return { documents, errors, warnings };
}
/**
 * Parses one JSON file that is not itself a manifest (an ECS task definition for
 * `berth import ecs`), turns its value into a manifest with `convert`, and validates that,
 * with every error and warning pointing at the line of the file where the field was
 * written. `convert` returns a message instead when the value is not of its shape.
 */
export function parseConvertedJson(file, text, convert) {
    const failed = (issue) => ({ documents: [], errors: [inFile(file, issue)], warnings: [] });
    try {
        return withSuggestionBudget(MAX_SUGGESTION_COMPARISONS, () => {
            const bytes = Buffer.byteLength(text, 'utf8');
            if (bytes > PARSE_LIMITS.maxFileBytes)
                return failed(issueAt({ line: 1, column: 1 }, `file is too large (${bytes} bytes; the limit is ${PARSE_LIMITS.maxFileBytes} bytes, 1 MiB)`));
            const lines = new LineIndex(text);
            const issues = [];
            const [raw] = readJson(text, lines, issues);
            if (issues.length > 0)
                return { documents: [], errors: issues.map((issue) => inFile(file, issue)), warnings: [] };
            if (!raw)
                return failed(issueAt({ line: 1, column: 1 }, 'the file is empty'));
            const converted = convert(raw.value);
            if ('refusal' in converted)
                return failed(issueAt(raw.start, converted.refusal));
            const locate = (path, at) => raw.locate(converted.sourcePath(path), at);
            const result = validateManifest(converted.manifest, locate);
            // Warnings are shown beside errors too: they still say what would be dropped.
            if (!result.ok)
                return { documents: [], errors: capErrors(result.errors.map((issue) => inFile(file, issue)), PARSE_LIMITS.maxErrors), warnings: compatibilityWarnings(converted.manifest, locate).map((issue) => inFile(file, issue)) };
            const warnings = compatibilityWarnings(result.manifest, locate).map((issue) => inFile(file, issue));
            const document = {
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
    }
    catch (error) {
        return failed(issueAt({ line: 1, column: 1 }, `could not read this file: ${redactLongQuotes(errorMessage(error))}`));
    }
}
/**
 * The first `max` errors in file order and, when there were more, one last error that counts
 * the rest (a document's own "and N more" line left out counts its N). The count stands at
 * the first error left out and names no resource: such a file keeps serving what it held
 * (see ManifestStore.apply).
 */
function capErrors(errors, max) {
    if (errors.length <= max)
        return errors;
    const leftOut = errors.slice(max);
    const omitted = leftOut.reduce((count, error) => count + (error.omitted ?? 1), 0);
    const at = leftOut[0];
    return [...errors.slice(0, max), { file: at.file, line: at.line, column: at.column, message: moreErrorsMessage(omitted, 'file'), omitted }];
}
/** The parts of a container definition the execution role reads in ECS, and the secrets provider here. */
function providerReferences(container) {
    const paths = [];
    if (Array.isArray(container.secrets) && container.secrets.length > 0)
        paths.push(['secrets']);
    if (container.repositoryCredentials !== undefined && container.repositoryCredentials !== null)
        paths.push(['repositoryCredentials']);
    if (Array.isArray(container.environmentFiles)) {
        // A local environment file is read from the host; only an S3 object is the provider's.
        const s3 = container.environmentFiles.findIndex((f) => typeof f === 'object' && f !== null && String(f.value).startsWith('arn:'));
        if (s3 >= 0)
            paths.push(['environmentFiles', s3]);
    }
    const log = container.logConfiguration;
    if (typeof log === 'object' && log !== null && Array.isArray(log.secretOptions) && log.secretOptions.length > 0) {
        paths.push(['logConfiguration', 'secretOptions']);
    }
    return paths;
}
/**
 * Where a TaskDefinition first asks for what the execution role reads in ECS, as a
 * located warning; nothing for a spec that asks for none of it. Whether it is shown
 * depends on the controller (a secrets provider configured or not), not on the file.
 */
function withSecretReference(value, locate, withFile) {
    const identity = readIdentity(value);
    if (identity.kind !== 'TaskDefinition' || typeof value !== 'object' || value === null)
        return {};
    const containers = value.spec?.containerDefinitions;
    if (!Array.isArray(containers))
        return {};
    const found = containers.flatMap((container, index) => {
        if (typeof container !== 'object' || container === null)
            return [];
        return providerReferences(container).map((path) => {
            const full = ['spec', 'containerDefinitions', index, ...path];
            let position;
            try {
                position = locate(full, 'key');
            }
            catch {
                position = { line: 1, column: 1 };
            }
            return { position, field: formatFieldPath(full) };
        });
    });
    const first = found.sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column)[0];
    if (!first)
        return {};
    const named = { kind: identity.kind, ...(identity.name === undefined ? {} : { name: shorten(identity.name) }) };
    const message = 'executionRoleArn: the task reads secrets, S3 environment files or registry credentials, which berth serves from its local secrets provider ' +
        "(the execution role's job in ECS), and none is configured: its tasks fail to start with ResourceInitializationError until the controller is given --secrets-dir or BERTH_SECRET_* variables";
    return { secretReference: withFile({ ...issueAt(first.position, message, named), field: first.field }) };
}
/**
 * One warning per cause for the fields of a TaskDefinition that berth accepts without
 * effect, pointing at the first field's key and naming every field of that cause:
 * `spec.revision, spec.status: describe-task-definition output, ignored (…)`. The seven
 * fields of a describe output are one cause, so they are one line, not seven.
 * Computed for an invalid document too: its errors do not make the warnings untrue.
 */
function compatibilityWarnings(value, locate) {
    const identity = readIdentity(value);
    if (identity.kind !== 'TaskDefinition' || typeof value !== 'object' || value === null || !('spec' in value))
        return [];
    const named = { kind: identity.kind, ...(identity.name === undefined ? {} : { name: shorten(identity.name) }) };
    const located = ignoredFieldUses(value.spec)
        .map(({ path, message }) => {
        const full = ['spec', ...path];
        let position;
        try {
            position = locate(full, 'key');
        }
        catch {
            position = { line: 1, column: 1 };
        }
        return { position, message, field: formatFieldPath(full) };
    })
        .sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
    const byCause = new Map();
    for (const use of located) {
        const cause = byCause.get(use.message);
        if (cause)
            cause.fields.push(use.field);
        else
            byCause.set(use.message, { position: use.position, fields: [use.field] });
    }
    return [...byCause].map(([message, { position, fields }]) => ({ ...issueAt(position, message, named), field: fields.join(', ') }));
}
//# sourceMappingURL=parse.js.map