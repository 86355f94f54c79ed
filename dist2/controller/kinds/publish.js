/**
 * Writes manifests/<Kind>.schema.json from the kind definitions, for editors
 * (yaml-language-server) and for anyone validating outside berth. A test checks
 * that the published files equal what this would write, so there is one definition.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KIND_NAMES, KIND_SCHEMAS, KIND_STATUS_SCHEMAS } from './index.js';
/**
 * The kind's manifest schema with its status spelled out: what the controller writes, for
 * editors and readers. Validation keeps KIND_SCHEMAS, which takes any status.
 */
export function publishedSchema(kind) {
    const schema = KIND_SCHEMAS[kind];
    const status = { ...KIND_STATUS_SCHEMAS[kind], description: 'Written by the controller; what a person writes here is replaced.' };
    return { $schema: 'http://json-schema.org/draft-07/schema#', ...schema, properties: { ...schema.properties, status } };
}
export function renderSchema(kind) {
    return JSON.stringify(publishedSchema(kind), null, 2) + '\n';
}
export const MANIFESTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'manifests');
if (process.argv[1] === fileURLToPath(import.meta.url)) {
    mkdirSync(MANIFESTS_DIR, { recursive: true });
    for (const kind of KIND_NAMES)
        writeFileSync(join(MANIFESTS_DIR, `${kind}.schema.json`), renderSchema(kind));
    console.log(`wrote ${KIND_NAMES.length} schemas to ${MANIFESTS_DIR}`);
}
//# sourceMappingURL=publish.js.map