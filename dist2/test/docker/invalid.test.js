import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BERTH, editFile, logLines, running, serviceStatus, testCluster, waitFor, webManifests, writeManifests, } from './harness.js';
describe('bad input never tears a service down', () => {
    const { cluster, dir, path, start } = testCluster('bad');
    const serviceFile = path('service.yaml');
    writeManifests(dir, {
        'cluster.yaml': webManifests({ cluster, desiredCount: 2 })['cluster.yaml'],
        'other-service.yaml': webManifests({ cluster, service: 'other', desiredCount: 1 })['service.yaml'],
        'other-taskdef.yaml': webManifests({ cluster, service: 'other', desiredCount: 1 })['taskdef.yaml'],
        'service.yaml': webManifests({ cluster, desiredCount: 2 })['service.yaml'],
        'taskdef.yaml': webManifests({ cluster, desiredCount: 2 })['taskdef.yaml'],
    });
    const controller = start();
    test('a schema error is reported with file:line in status and log; the last valid spec keeps running', async () => {
        await waitFor('web 2 running', () => serviceStatus(serviceFile, 'web')?.runningCount === 2, { controller });
        await waitFor('other 1 running', () => serviceStatus(join(dir, 'other-service.yaml'), 'other')?.runningCount === 1, { controller });
        const before = (await running(cluster, 'service:web')).map((c) => c.id).sort();
        editFile(serviceFile, (t) => t.replace('desiredCount: 2 #', 'desiredCount: two #'));
        const condition = await waitFor('Valid=False condition', () => serviceStatus(serviceFile, 'web')?.conditions.find((c) => c.type === 'Valid' && c.status === 'False'), { controller });
        assert.match(condition.message, /service\.yaml:9:\d+: Service\/web: spec\.desiredCount: must be integer/);
        assert.ok(logLines(controller).some((l) => typeof l.msg === 'string' && /service\.yaml:9:\d+/.test(l.msg) && l.level === 50), 'error logged with file:line');
        assert.deepEqual((await running(cluster, 'service:web')).map((c) => c.id).sort(), before, 'tasks untouched');
        assert.ok(readSpecLine(serviceFile).includes('desiredCount: two'), 'the user text is not rewritten');
    });
    test('broken YAML is reported with file:line; tasks keep running; other services keep reconciling', async () => {
        const before = (await running(cluster, 'service:web')).map((c) => c.id).sort();
        writeFileSync(serviceFile, 'apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  desiredCount: [1,\n');
        await waitFor('parse error logged', () => logLines(controller).some((l) => typeof l.msg === 'string' && /service\.yaml:\d+:\d+/.test(l.msg) && l.level === 50), { controller });
        // Another service still reconciles: scale it while web's file is broken.
        editFile(join(dir, 'other-service.yaml'), (t) => t.replace('desiredCount: 1 #', 'desiredCount: 2 #'));
        await waitFor('other scaled to 2', async () => (await running(cluster, 'service:other')).length === 2, { controller });
        assert.deepEqual((await running(cluster, 'service:web')).map((c) => c.id).sort(), before, 'web tasks untouched');
        const validate = spawnSync(process.execPath, [BERTH, 'validate', dir], { encoding: 'utf8' });
        assert.equal(validate.status, 1);
        assert.match(validate.stderr, /service\.yaml:\d+:\d+: /);
    });
    test('fixing the file resumes reconciling it', async () => {
        writeFileSync(serviceFile, webManifests({ cluster, desiredCount: 3 })['service.yaml']);
        await waitFor('web 3 running and valid', () => {
            const s = serviceStatus(serviceFile, 'web');
            return s?.runningCount === 3 && s.conditions.some((c) => c.type === 'Valid' && c.status === 'True');
        }, { controller });
        const ok = execFileSync(process.execPath, [BERTH, 'validate', dir], { encoding: 'utf8' });
        assert.match(ok, /valid/);
    });
});
function readSpecLine(file) {
    return execFileSync('grep', ['desiredCount', file], { encoding: 'utf8' });
}
//# sourceMappingURL=invalid.test.js.map