/**
 * Statuses as the controller wrote them into manifest files, and what the published
 * schema (manifests/<Kind>.schema.json, properties.status) says of them. Shared by the
 * in-memory and the real-engine tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formatsModule from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { MANIFESTS_DIR } from '../controller/kinds/publish.js';
/** The `status` of the document `kind/name` in a manifest file, as the controller wrote it. */
export function readStatus(path, kind, name) {
    let text;
    try {
        text = readFileSync(path, 'utf8');
    }
    catch {
        return undefined;
    }
    for (const doc of parseAllDocuments(text)) {
        if (!('toJS' in doc))
            continue;
        const value = doc.toJS();
        if (value?.kind === kind && value.metadata?.name === name)
            return value.status;
    }
    return undefined;
}
// ajv-formats is CommonJS; under NodeNext its default import is module.exports, whose `default` is the plugin.
const addFormats = formatsModule.default;
// strict off: TypeBox's annotations (descriptions, defaults in unions) are not ajv keywords.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validators = new Map();
function publishedStatusValidator(kind) {
    let validate = validators.get(kind);
    if (!validate) {
        const published = JSON.parse(readFileSync(join(MANIFESTS_DIR, `${kind}.schema.json`), 'utf8'));
        validate = ajv.compile(published.properties.status);
        validators.set(kind, validate);
    }
    return validate;
}
/** Where `status` breaks the published status schema of `kind`, one line per problem; empty when it holds. */
export function statusProblems(kind, status) {
    const validate = publishedStatusValidator(kind);
    if (validate(status))
        return [];
    return (validate.errors ?? []).map((e) => `status${e.instancePath.replaceAll('/', '.')} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}
//# sourceMappingURL=manifestStatus.js.map