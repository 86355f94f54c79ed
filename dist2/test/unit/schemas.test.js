import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { KIND_NAMES } from '../../controller/kinds/index.js';
import { MANIFESTS_DIR, renderSchema } from '../../controller/kinds/publish.js';
test('the published JSON Schemas are exactly what the kind definitions give (npm run schemas)', () => {
    for (const kind of KIND_NAMES) {
        const published = readFileSync(join(MANIFESTS_DIR, `${kind}.schema.json`), 'utf8');
        assert.equal(published, renderSchema(kind), `manifests/${kind}.schema.json is stale: run npm run schemas`);
    }
});
//# sourceMappingURL=schemas.test.js.map