/**
 * Writes manifests/<Kind>.schema.json from the kind definitions, for editors
 * (yaml-language-server) and for anyone validating outside berth. A test checks
 * that the published files equal what this would write, so there is one definition.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KIND_NAMES, KIND_SCHEMAS } from './index.js';

export function renderSchema(kind: keyof typeof KIND_SCHEMAS): string {
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...KIND_SCHEMAS[kind] }, null, 2) + '\n';
}

export const MANIFESTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'manifests');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(MANIFESTS_DIR, { recursive: true });
  for (const kind of KIND_NAMES) writeFileSync(join(MANIFESTS_DIR, `${kind}.schema.json`), renderSchema(kind));
  console.log(`wrote ${KIND_NAMES.length} schemas to ${MANIFESTS_DIR}`);
}
