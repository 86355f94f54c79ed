import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engineAddress, EnginePool } from '../../controller/engines.js';
import { silentLogger } from '../../controller/log.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
test('engine addresses: socket paths, hosts and the DOCKER_HOST default', () => {
    assert.equal(engineAddress({ socketPath: '/var/run/docker.sock' }, {}), 'unix:///var/run/docker.sock');
    assert.equal(engineAddress({ host: 'tcp://10.0.0.5:2375' }, {}), 'tcp://10.0.0.5:2375');
    assert.equal(engineAddress(undefined, {}), 'unix:///var/run/docker.sock');
    assert.equal(engineAddress(undefined, { DOCKER_HOST: 'unix:///run/other.sock' }), 'unix:///run/other.sock');
});
test('two providers naming one engine share one runtime; it closes with the last of them', async () => {
    let made = 0;
    const pool = new EnginePool({ factory: () => (made++, new MemoryRuntime()), logger: silentLogger });
    const local = pool.ensure('local', undefined);
    const named = pool.ensure('local-engine', { socketPath: '/var/run/docker.sock' });
    assert.equal(local, named);
    assert.equal(made, 1);
    assert.equal(pool.all().length, 1, 'listed once, so its containers are seen once');
    await pool.remove('local');
    assert.equal(pool.get('local-engine'), named);
    await pool.remove('local-engine');
    assert.equal(pool.all().length, 0);
    await pool.close();
});
//# sourceMappingURL=engines.test.js.map