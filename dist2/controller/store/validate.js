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
import { isKindName, KIND_SCHEMAS } from '../kinds/index.js';
import { withoutOptionalNulls } from './optionalNulls.js';
import { SEMANTIC_CHECKS } from './validate/kinds.js';
import { formatFieldPath, isRecord, MAX_ERRORS_PER_DOCUMENT, MAX_SUGGESTION_COMPARISONS, moreErrorsMessage, shorten, START, withSuggestionBudget, } from './validate/messages.js';
import { findingsFromAjv, headerFindings, isHeaderError, validatorFor } from './validate/schema.js';
// Re-exported: callers validate through this module and need not know how it is split
// into validate/messages.ts (wording, positions, caps), schema.ts (ajv) and kinds.ts (per-kind checks).
export { editDistance, formatFieldPath, MAX_ERRORS_PER_DOCUMENT, MAX_QUOTED_LENGTH, MAX_SUGGESTION_COMPARISONS, moreErrorsMessage, quote, redactLongQuotes, shorten, suggest, withSuggestionBudget, } from './validate/messages.js';
/** The kind and metadata.name as written, for attributing errors; cut short like any quoted value. */
export function readIdentity(value) {
    if (!isRecord(value))
        return {};
    const identity = {};
    if (typeof value.kind === 'string')
        identity.kind = shorten(value.kind);
    const metadata = value.metadata;
    if (isRecord(metadata) && typeof metadata.name === 'string')
        identity.name = shorten(metadata.name);
    return identity;
}
function positionKey(issue) {
    return `${issue.line}:${issue.column}:${issue.field ?? ''}:${issue.message}`;
}
/**
 * Validates one manifest value. `locate` maps a path to a source position; without one,
 * every error points at 1:1 (plain objects with no source text).
 */
export function validateManifest(value, locate = () => START) {
    return withSuggestionBudget(MAX_SUGGESTION_COMPARISONS, () => validateWithinBudget(value, locate));
}
/** A TaskDefinition as ECS reads it: a null in an optional field of its spec is no field at all. */
function withoutTaskDefinitionNulls(value) {
    if (!isRecord(value) || value.kind !== 'TaskDefinition' || !isRecord(value.spec))
        return value;
    const spec = withoutOptionalNulls(value.spec, KIND_SCHEMAS.TaskDefinition.properties.spec);
    return spec === value.spec ? value : { ...value, spec };
}
function validateWithinBudget(written, locate) {
    const value = withoutTaskDefinitionNulls(written);
    const identity = readIdentity(value);
    const findings = [];
    if (!isRecord(value)) {
        findings.push({ path: [], at: 'value', message: 'a manifest must be a mapping with apiVersion, kind, metadata and spec' });
    }
    else {
        findings.push(...headerFindings(value));
        if (isKindName(value.kind)) {
            const validate = validatorFor(value.kind);
            if (!validate(value)) {
                findings.push(...findingsFromAjv((validate.errors ?? []).filter((e) => !isHeaderError(e)), value));
            }
            for (const check of SEMANTIC_CHECKS[value.kind] ?? [])
                findings.push(...check(value));
        }
    }
    if (findings.length === 0 && isRecord(value) && isKindName(value.kind) && identity.name !== undefined) {
        const metadata = value.metadata;
        return { ok: true, kind: value.kind, name: String(metadata.name), manifest: value, errors: [] };
    }
    // Only the first findings are located and worded: locating one costs a walk of the document.
    const reported = findings.slice(0, MAX_ERRORS_PER_DOCUMENT);
    const seen = new Set();
    const errors = [];
    for (const finding of reported) {
        const position = safeLocate(locate, finding.path, finding.at);
        const field = formatFieldPath(finding.field ?? finding.path);
        const issue = { line: position.line, column: position.column, message: finding.message };
        if (field !== '')
            issue.field = field;
        if (identity.kind !== undefined)
            issue.kind = identity.kind;
        if (identity.name !== undefined)
            issue.name = identity.name;
        const key = positionKey(issue);
        if (seen.has(key))
            continue;
        seen.add(key);
        errors.push(issue);
    }
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
    if (findings.length > reported.length) {
        // Placed at the last error reported, so that it is read after them.
        const last = errors[errors.length - 1] ?? START;
        const omitted = findings.length - reported.length;
        const more = { line: last.line, column: last.column, message: moreErrorsMessage(omitted, 'document'), omitted };
        if (identity.kind !== undefined)
            more.kind = identity.kind;
        if (identity.name !== undefined)
            more.name = identity.name;
        errors.push(more);
    }
    const failed = { ok: false, errors };
    if (identity.kind !== undefined)
        failed.kind = identity.kind;
    if (identity.name !== undefined)
        failed.name = identity.name;
    return failed;
}
function safeLocate(locate, path, at) {
    try {
        const position = locate(path, at);
        if (Number.isInteger(position.line) && Number.isInteger(position.column) && position.line >= 1 && position.column >= 1) {
            return position;
        }
    }
    catch {
        // A position is a courtesy; the error itself must still be reported.
    }
    return START;
}
//# sourceMappingURL=validate.js.map