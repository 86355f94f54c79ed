/**
 * A console export full of nulls, saved as UTF-16 with a byte order mark (a PowerShell
 * redirect), straight into the manifests directory as a TaskDefinition manifest: it runs.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { clusterManifest, readStatus, ROOT, running, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
describe('a console export with nulls, saved as UTF-16 with a BOM', () => {
    const { cluster, dir, path, start } = testCluster('ecsacc');
    const spec = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'ecs-real', 'console-export-nulls.json'), 'utf8'));
    const manifest = JSON.stringify({ apiVersion: 'berth/v1', kind: 'TaskDefinition', metadata: { name: 'console-web' }, spec }, null, 4);
    writeFileSync(path('taskdef.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(manifest, 'utf16le')]));
    writeManifests(dir, {
        'cluster.yaml': clusterManifest(cluster),
        'service.yaml': `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: console-web\nspec:\n  cluster: ${cluster}\n  taskDefinition: console-web\n  desiredCount: 1\n`,
    });
    const controller = start();
    test('a service of 1 reaches RUNNING, and the status is written back in UTF-16', async () => {
        await waitFor('1 running', () => serviceStatus(path('service.yaml'), 'console-web')?.runningCount === 1, { controller });
        const containers = await running(cluster, 'service:console-web');
        assert.equal(containers.filter((c) => c.labels['berth.container'] === 'web').length, 1);
        // The status block lands in the UTF-16 file, which stays UTF-16 with its mark.
        await waitFor('task definition status', () => {
            const bytes = readFileSync(path('taskdef.json'));
            if (bytes[0] !== 0xff || bytes[1] !== 0xfe)
                return false;
            const status = JSON.parse(bytes.subarray(2).toString('utf16le'));
            return status.status?.revision === 1;
        }, { controller });
        assert.equal(readStatus(path('service.yaml'), 'Service', 'console-web') !== undefined, true);
    });
});
//# sourceMappingURL=ecs-acceptance.test.js.map