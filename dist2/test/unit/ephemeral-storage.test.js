/**
 * ECS ephemeralStorage as a limit on each container's writable layer: applied on engines
 * whose storage driver can limit it, reported once per engine elsewhere, and no change to
 * the config hash of task definitions without it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ledger } from '../../controller/state/ledger.js';
import { taskContainerSpecs } from '../../controller/taskspec/containerSpecs.js';
import { launchTask } from '../../controller/executor/launcher.js';
import { silentLogger } from '../../controller/log.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { writableLayerLimitOf } from '../../controller/runtime/storageLimit.js';
const GIB = 1024 ** 3;
const identity = (taskId) => ({ cluster: 'c', group: 'service:web', taskId, family: 'web', revision: 1, capacityProvider: 'default' });
const FIRST = '0123456789abcdef0123456789abcdef';
const SECOND = 'fedcba9876543210fedcba9876543210';
const plain = {
    family: 'web',
    cpu: '256',
    memory: '512',
    containerDefinitions: [
        { name: 'app', image: 'berth/httpd:1', portMappings: [{ containerPort: 8080, name: 'web-http', appProtocol: 'http' }] },
        { name: 'side', image: 'berth/busybox:1' },
    ],
};
const sized = { ...plain, ephemeralStorage: { sizeInGiB: 30 } };
const launch = async (runtime, ledger, spec, taskId) => launchTask({ runtime, identity: identity(taskId), spec, ledger, logger: silentLogger, now: () => Date.now(), serviceName: 'web' });
const storageEvents = (ledger) => ledger.get('service:web').events.filter((e) => e.message.includes('ephemeralStorage'));
describe('ephemeralStorage', () => {
    test('a task definition without it keeps the config hash of the release before, port names and all', () => {
        // Recorded from the release before ephemeralStorage and port names were applied: running containers are not replaced on upgrade.
        const hashes = taskContainerSpecs(plain, identity(FIRST), { serviceName: 'web' }).map((s) => s.labels[LABEL.configHash]);
        assert.deepEqual(hashes, ['0b8a3869be2b4b99', '8c235ab2ef790e53']);
        const sizedSpecs = taskContainerSpecs(sized, identity(FIRST), { serviceName: 'web' });
        assert.deepEqual(sizedSpecs.map((s) => s.writableLayerBytes), [30 * GIB, 30 * GIB], 'every container of the task gets the size');
        assert.notDeepEqual(sizedSpecs.map((s) => s.labels[LABEL.configHash]), hashes, 'a size is a different container config');
    });
    test('what docker info tells: overlay2 on extfs cannot limit; btrfs, zfs and overlay2 on xfs are tried', () => {
        assert.deepEqual(writableLayerLimitOf({ storageDriver: 'overlay2', backingFilesystem: 'extfs' }), {
            limits: false,
            reason: "its storage driver overlay2 on extfs cannot limit a container's size",
        });
        assert.deepEqual(writableLayerLimitOf({ storageDriver: 'overlay2', backingFilesystem: 'xfs' }), { limits: true });
        assert.deepEqual(writableLayerLimitOf({ storageDriver: 'btrfs', backingFilesystem: 'btrfs' }), { limits: true });
        assert.deepEqual(writableLayerLimitOf({ storageDriver: 'zfs' }), { limits: true });
        assert.equal(writableLayerLimitOf({ storageDriver: 'vfs', backingFilesystem: 'extfs' }).limits, false);
    });
    const engines = [
        { name: 'overlay2 on extfs', storage: { driver: 'overlay2', backingFilesystem: 'extfs' }, applied: false, reason: /its storage driver overlay2 on extfs cannot limit a container's size\.$/ },
        { name: 'overlay2 on xfs without pquota', storage: { driver: 'overlay2', backingFilesystem: 'xfs' }, applied: false, reason: /it refused a size limit: --storage-opt is supported only for overlay over xfs with 'pquota' mount option\.$/ },
        { name: 'overlay2 on xfs with pquota', storage: { driver: 'overlay2', backingFilesystem: 'xfs', projectQuota: true }, applied: true },
        { name: 'btrfs', storage: { driver: 'btrfs', backingFilesystem: 'btrfs' }, applied: true },
    ];
    for (const engine of engines) {
        test(`${engine.name}: tasks run; the size is ${engine.applied ? 'applied' : 'reported once per engine, not at every launch'}`, async () => {
            const runtime = new MemoryRuntime({ engine: `e-${engine.storage.driver}`, storage: engine.storage });
            const ledger = new Ledger(undefined);
            assert.equal(await launch(runtime, ledger, sized, FIRST), 'started', JSON.stringify(ledger.get('service:web').stopped));
            assert.equal(await launch(runtime, ledger, sized, SECOND), 'started');
            const sizes = ['app', 'side'].flatMap((c) => [FIRST, SECOND].map((t) => runtime.specOf(`berth-c-web-${t.slice(0, 12)}-${c}`)?.writableLayerBytes));
            assert.deepEqual(sizes, Array(4).fill(engine.applied ? 30 * GIB : undefined));
            const events = storageEvents(ledger);
            if (engine.applied) {
                assert.deepEqual(events, []);
                return;
            }
            assert.equal(events.length, 1, JSON.stringify(events));
            assert.match(events[0].message, new RegExp(`^\\(service web\\) ephemeralStorage 30 GiB is not enforced on engine e-${engine.storage.driver}: `));
            assert.match(events[0].message, engine.reason);
            // Learned once: the second task's containers were not offered a size the engine refuses.
            const refusedCreates = runtime.commands.filter((c) => c.op === 'create').length - 4;
            assert.equal(refusedCreates, engine.storage.backingFilesystem === 'xfs' ? 1 : 0);
        });
    }
    test('a task definition without ephemeralStorage gets no size and no event on any engine', async () => {
        const runtime = new MemoryRuntime({ storage: { driver: 'overlay2', backingFilesystem: 'extfs' } });
        const ledger = new Ledger(undefined);
        assert.equal(await launch(runtime, ledger, plain, FIRST), 'started');
        assert.equal(runtime.specOf(`berth-c-web-${FIRST.slice(0, 12)}-app`)?.writableLayerBytes, undefined);
        assert.deepEqual(storageEvents(ledger), []);
    });
});
//# sourceMappingURL=ephemeral-storage.test.js.map