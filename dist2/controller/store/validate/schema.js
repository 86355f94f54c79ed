/**
 * What the JSON Schema of a kind finds, in plain words: ajv's errors turned into one finding
 * per problem (a failed union becomes one message), pattern descriptions keyed by the
 * patterns the kinds use, and apiVersion/kind checked by hand so the message can say what
 * is allowed.
 */
import { Ajv } from 'ajv';
import formatsModule from 'ajv-formats';
import { API_VERSION, isKindName, KIND_NAMES, KIND_SCHEMAS, ResourceName } from '../../kinds/index.js';
import { Engine } from '../../kinds/capacityProvider.js';
import { TaskDefinitionRef } from '../../kinds/service.js';
import { HTTP_CODE_PATTERN } from '../../kinds/targetGroup.js';
import { EfsAccessPointId, EfsFileSystemId, PortMapping, TaskCpu, TaskMemory } from '../../kinds/taskDefinition.js';
import { isRecord, plural, quote, redactLongQuotes, suggest, unknownFieldMessage } from './messages.js';
// ---------------------------------------------------------------------------
// Plain-words descriptions of the patterns the kinds use. Keyed by the pattern itself, so
// the text follows the kind definitions without copying their regular expressions.
const PATTERN_DESCRIPTIONS = new Map([
    [ResourceName.pattern, 'must be up to 255 letters, numbers, hyphens and underscores, starting with a letter or number'],
    [TaskDefinitionRef.pattern, 'must be a task definition family, optionally with a revision, like "web" or "web:3"'],
    [TaskCpu.pattern, 'must be CPU units like "256" or "1 vCPU"'],
    [TaskMemory.pattern, 'must be MiB like "512" or GB like "2GB"'],
    [PortMapping.properties.name.pattern, 'must be up to 64 lowercase letters, numbers and hyphens, starting with a letter or number'],
    [EfsFileSystemId.pattern, 'must be an EFS file system id: "fs-" and 8 to 40 lowercase hex digits, like "fs-0123456789abcdef0"'],
    [EfsAccessPointId.pattern, 'must be an EFS access point id: "fsap-" and 8 to 40 lowercase hex digits, like "fsap-0123456789abcdef0"'],
    [Engine.properties.host.pattern, 'must be an address like unix:///var/run/docker.sock or tcp://host:2376'],
    [HTTP_CODE_PATTERN, 'must be HTTP codes like "200", "200-299" or "200,302"'],
].filter((entry) => entry[0] !== undefined));
function asSchema(value) {
    return typeof value === 'object' && value !== null ? value : {};
}
function literalValues(schema) {
    if ('const' in schema)
        return [schema.const];
    if (Array.isArray(schema.enum))
        return schema.enum;
    return undefined;
}
function describeLiteral(value) {
    return typeof value === 'string' ? value : JSON.stringify(value);
}
function describeUnion(branches) {
    for (const branch of branches) {
        const described = branch.pattern === undefined ? undefined : PATTERN_DESCRIPTIONS.get(branch.pattern);
        if (described)
            return described;
    }
    const forms = [];
    for (const branch of branches) {
        const literals = literalValues(branch);
        const form = literals ? literals.map(describeLiteral).join(', ') : [branch.type ?? 'a valid value'].flat().join(' or ');
        if (!forms.includes(form))
            forms.push(form);
    }
    return `must be ${forms.join(' or ')}`;
}
function patternMessage(schema, pattern) {
    const described = PATTERN_DESCRIPTIONS.get(pattern);
    if (described)
        return described;
    if (schema.description)
        return `does not have the expected form: ${schema.description}`;
    return `must match the pattern ${pattern}`;
}
// ---------------------------------------------------------------------------
// ajv
// ajv-formats is CommonJS; under NodeNext its default import is module.exports, whose `default` is the plugin.
const addFormats = formatsModule.default;
// strict off: TypeBox adds annotations (and `default` inside unions) that ajv's strict mode
// rejects; useDefaults stays off so the manifest keeps exactly what the user wrote.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, useDefaults: false, coerceTypes: false });
addFormats(ajv);
const validators = new Map();
/** One compiled validator per kind, compiled on first use. */
export function validatorFor(kind) {
    let validate = validators.get(kind);
    if (!validate) {
        validate = ajv.compile(KIND_SCHEMAS[kind]);
        validators.set(kind, validate);
    }
    return validate;
}
/** ajv's JSON pointer, with array indexes turned into numbers by looking at the data. */
function pointerToPath(pointer, root) {
    if (pointer === '')
        return [];
    const path = [];
    let node = root;
    for (const raw of pointer.slice(1).split('/')) {
        const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (Array.isArray(node) && /^\d+$/.test(segment)) {
            path.push(Number(segment));
            node = node[Number(segment)];
        }
        else {
            path.push(segment);
            node = isRecord(node) ? node[segment] : undefined;
        }
    }
    return path;
}
function messageFor(error) {
    const params = error.params;
    const schema = asSchema(error.parentSchema);
    switch (error.keyword) {
        case 'type':
            // Optional fields lose their nulls before validation (optionalNulls.ts): one left is in a required place.
            return `must be ${[params.type].flat().join(' or ')}${error.data === null ? ', not null' : ''}`;
        case 'const':
            return `must be ${describeLiteral(params.allowedValue)}`;
        case 'enum':
            return `must be one of: ${params.allowedValues.map(describeLiteral).join(', ')}`;
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
function isWithin(inner, outer) {
    return (inner !== outer &&
        inner.schemaPath.startsWith(outer.schemaPath + '/') &&
        (inner.instancePath === outer.instancePath || inner.instancePath.startsWith(outer.instancePath + '/')));
}
/**
 * Turns ajv's output into one finding per problem. A failed union (anyOf/oneOf) produces an
 * error per branch plus one for the union; those become a single finding: for a union of
 * literals "must be one of: …"; when the value's type picks exactly one branch, that
 * branch's own errors (so `cpu: "abc"` reads as the CPU pattern, `cpu: 0` as the minimum);
 * otherwise a description of the whole union.
 */
export function findingsFromAjv(errors, root) {
    // ajv records a union's error right after the errors of its branches (and drops those when
    // a branch passes), so a union's own errors are the run just before it. Walking backwards
    // finds each run in one pass; searching all errors per union was quadratic (a list of
    // 20,000 bad enum values).
    // The findings are then made in file order: "did you mean" spends its budget on the first.
    const groups = [];
    let index = errors.length - 1;
    while (index >= 0) {
        const error = errors[index];
        let start = index;
        if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
            while (start > 0 && isWithin(errors[start - 1], error))
                start--;
        }
        groups.push({ error, inner: errors.slice(start, index) });
        index = start - 1;
    }
    return groups.reverse().flatMap(({ error, inner }) => error.keyword === 'anyOf' || error.keyword === 'oneOf' ? resolveUnion(error, inner, root) : [findingFromError(error, root)]);
}
function resolveUnion(union, inner, root) {
    const path = pointerToPath(union.instancePath, root);
    const branches = (Array.isArray(union.schema) ? union.schema : []).map(asSchema);
    const allLiterals = branches.length > 0 && branches.every((b) => literalValues(b) !== undefined);
    if (allLiterals) {
        const values = branches.flatMap((b) => literalValues(b) ?? []).map(describeLiteral);
        return [{ path, at: 'value', message: `must be one of: ${values.join(', ')}` }];
    }
    const params = union.params;
    if (union.keyword === 'oneOf' && Array.isArray(params.passingSchemas)) {
        return [{ path, at: 'value', message: 'matches more than one of the allowed forms; it must match exactly one' }];
    }
    const prefix = union.schemaPath + '/';
    const byBranch = new Map();
    for (const error of inner) {
        const index = Number(error.schemaPath.slice(prefix.length).split('/')[0]);
        byBranch.set(index, [...(byBranch.get(index) ?? []), error]);
    }
    const typeMatches = branches
        .map((_, index) => index)
        .filter((index) => !(byBranch.get(index) ?? []).some((e) => e.keyword === 'type' && e.instancePath === union.instancePath && e.schemaPath === `${prefix}${index}/type`));
    if (typeMatches.length === 1) {
        const branchErrors = byBranch.get(typeMatches[0]) ?? [];
        if (branchErrors.length > 0)
            return findingsFromAjv(branchErrors, root);
    }
    const isNull = union.data === null ? ', not null' : '';
    return [{ path, at: 'value', message: `${describeUnion(branches)}${isNull}` }];
}
function findingFromError(error, root) {
    const path = pointerToPath(error.instancePath, root);
    const params = error.params;
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
const KINDS_ALLOWED = `must be one of: ${KIND_NAMES.join(', ')}`;
export function headerFindings(value) {
    const findings = [];
    if (!Object.hasOwn(value, 'apiVersion')) {
        findings.push({ path: [], at: 'value', field: ['apiVersion'], message: `required field is missing; must be ${API_VERSION}` });
    }
    else if (value.apiVersion !== API_VERSION) {
        const written = typeof value.apiVersion === 'string' ? `unsupported apiVersion ${quote(value.apiVersion)}; ` : '';
        findings.push({ path: ['apiVersion'], at: 'value', message: `${written}must be ${API_VERSION}` });
    }
    if (!Object.hasOwn(value, 'kind')) {
        findings.push({ path: [], at: 'value', field: ['kind'], message: `required field is missing; ${KINDS_ALLOWED}` });
    }
    else if (!isKindName(value.kind)) {
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
export function isHeaderError(error) {
    if (error.instancePath === '/apiVersion' || error.instancePath === '/kind')
        return true;
    if (error.instancePath === '' && error.keyword === 'required') {
        const missing = error.params.missingProperty;
        return missing === 'apiVersion' || missing === 'kind';
    }
    return false;
}
//# sourceMappingURL=schema.js.map