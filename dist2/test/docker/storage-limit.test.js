/**
 * ECS ephemeralStorage on engines whose storage can and cannot limit a container's
 * writable layer. Two engines of the test's own (DESIGN.md, "Several engines on one
 * machine"), each with its data root on a file system of a loop file: engine 8 uses the
 * btrfs storage driver, which limits a layer with a quota group; engine 9 runs overlay2 on
 * xfs mounted without pquota, which `docker info` cannot tell from xfs with it, so berth
 * learns from the engine's refusal. Needs root, btrfs-progs and xfsprogs
 * (scripts/ensure-docker.sh installs them).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { lastValueFrom, toArray } from 'rxjs';
import { DockerRuntime } from '../../controller/runtime/docker/client.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { extraEngine } from './engines.js';
import { serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
const run = promisify(execFile);
const GIB = 1024 ** 3;
/** A file system in a sparse loop file, mounted as an engine's data root before the engine starts. */
async function mountLoopFileSystem(options) {
    await run('umount', [options.mountPoint]).catch(() => undefined); // left by an earlier run
    rmSync(options.image, { force: true });
    await run('truncate', ['-s', '2G', options.image]);
    await run(options.mkfs[0], [...options.mkfs.slice(1), options.image]);
    mkdirSync(options.mountPoint, { recursive: true });
    await run('mount', ['-o', 'loop', options.image, options.mountPoint]);
}
async function unmountLoopFileSystem(options) {
    await run('umount', [options.mountPoint]).catch(() => undefined);
    rmSync(options.image, { force: true });
}
const loops = {
    btrfs: { image: '/var/lib/berth-e8.img', mountPoint: '/var/lib/berth-e8', mkfs: ['mkfs.btrfs', '-q', '-f'] },
    xfs: { image: '/var/lib/berth-e9.img', mountPoint: '/var/lib/berth-e9', mkfs: ['mkfs.xfs', '-q', '-f'] },
};
/** The output of a container that ran to its end on `engine`. */
async function outputOf(runtime, id) {
    await waitFor('the container to exit', async () => (await runtime.inspect(id))?.state === 'exited');
    return (await lastValueFrom(runtime.logs(id, { follow: false }).pipe(toArray()))).map((l) => l.line).join('\n');
}
describe('ephemeralStorage where the storage driver can and cannot limit a writable layer', () => {
    const { cluster, dir, path, start } = testCluster('eph');
    const btrfs = extraEngine({ number: 8, dockerdArgs: ['--storage-driver', 'btrfs'] });
    const xfs = extraEngine({ number: 9, dockerdArgs: ['--storage-driver', 'overlay2'] });
    // Registered after the engines': they have stopped and let go of their data roots by now.
    after(async () => {
        await unmountLoopFileSystem(loops.btrfs);
        await unmountLoopFileSystem(loops.xfs);
    });
    const providerOf = (engine) => `e${engine.number}-${cluster}`;
    const service = (name, provider, taskDefinition) => `apiVersion: berth/v1
kind: Service
metadata:
  name: ${name}
spec:
  cluster: ${cluster}
  taskDefinition: ${taskDefinition}
  desiredCount: 1
  capacityProviderStrategy:
    - capacityProvider: ${provider}
      weight: 1
`;
    const taskDefinition = (name, storage) => `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: ${name}
spec:
${storage}  containerDefinitions:
    - name: app
      image: berth/busybox:1
      command: ["sleep", "3600"]
      memory: 64
      stopTimeout: 1
`;
    before(async () => {
        await mountLoopFileSystem(loops.btrfs);
        await mountLoopFileSystem(loops.xfs);
        await btrfs.start();
        await xfs.start();
        await btrfs.importImages();
        await xfs.importImages();
        const providers = [btrfs, xfs].map((engine) => `apiVersion: berth/v1\nkind: CapacityProvider\nmetadata:\n  name: ${providerOf(engine)}\nspec:\n  engines:\n    - socketPath: ${engine.socketPath}\n`);
        writeManifests(dir, {
            'cluster.yaml': `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${cluster}\nspec:\n  capacityProviders: [${providerOf(btrfs)}, ${providerOf(xfs)}]\n`,
            'providers.yaml': providers.join('---\n'),
            'taskdefs.yaml': [taskDefinition('sized', '  ephemeralStorage:\n    sizeInGiB: 21\n'), taskDefinition('plain', '')].join('---\n'),
            'sized-btrfs.yaml': service('sized-btrfs', providerOf(btrfs), 'sized'),
            'plain-btrfs.yaml': service('plain-btrfs', providerOf(btrfs), 'plain'),
            'sized-xfs.yaml': service('sized-xfs', providerOf(xfs), 'sized'),
        });
    });
    test('btrfs: a writable layer given a size cannot grow past it; one without a size can', async () => {
        const runtime = new DockerRuntime({ socketPath: btrfs.socketPath });
        try {
            const fill = ['sh', '-c', 'dd if=/dev/zero of=/fill bs=1M count=96 2>&1; echo "dd exit $?"'];
            const spec = (name, bytes) => ({
                name: `${cluster}-${name}`,
                image: 'berth/busybox:1',
                command: fill,
                env: {},
                labels: { [LABEL.managed]: 'true', [LABEL.cluster]: cluster },
                ports: [],
                network: 'none',
                ...(bytes !== undefined ? { writableLayerBytes: bytes } : {}),
            });
            const limited = await runtime.create(spec('limited', 32 * 1024 * 1024));
            await runtime.start(limited);
            assert.match(await outputOf(runtime, limited), /Disk quota exceeded|No space left on device/);
            const unlimited = await runtime.create(spec('unlimited'));
            await runtime.start(unlimited);
            assert.match(await outputOf(runtime, unlimited), /dd exit 0/, 'the same write fits where no size is set');
        }
        finally {
            await runtime.close();
        }
    });
    test('each task of a task definition with ephemeralStorage gets the size where the engine can limit it, and only those; the other engine runs it and says why not, once', async () => {
        const controller = start();
        const runningOn = (engine, group) => waitFor(`${group} running on engine ${engine.number}`, async () => {
            const [container] = await engine.docker.listContainers({ filters: { label: [`${LABEL.cluster}=${cluster}`, `${LABEL.group}=${group}`], status: ['running'] } });
            return container;
        }, { controller, timeoutMs: 90_000 });
        const sized = await btrfs.docker.getContainer((await runningOn(btrfs, 'service:sized-btrfs')).Id).inspect();
        assert.equal(sized.HostConfig.StorageOpt?.size, String(21 * GIB));
        const plain = await btrfs.docker.getContainer((await runningOn(btrfs, 'service:plain-btrfs')).Id).inspect();
        assert.equal(plain.HostConfig.StorageOpt?.size, undefined, 'no ephemeralStorage, no size');
        // The kernel holds the limit: quota groups of 21 GiB on one container's layer (and its init layer), the sized task's.
        const { stdout } = await run('btrfs', ['qgroup', 'show', '-re', '--raw', loops.btrfs.mountPoint]);
        const limitedLayers = stdout
            .split('\n')
            .map((line) => line.trim().split(/\s+/))
            .filter((columns) => columns[3] === String(21 * GIB))
            .map((columns) => columns[5]?.replace(/-init$/, ''));
        assert.equal(limitedLayers.length, 2, stdout);
        assert.equal(new Set(limitedLayers).size, 1, stdout);
        assert.ok(!serviceStatus(path('sized-btrfs.yaml'), 'sized-btrfs')?.events.some((e) => e.message.includes('not enforced')), 'no event where the size is applied');
        const onXfs = await xfs.docker.getContainer((await runningOn(xfs, 'service:sized-xfs')).Id).inspect();
        assert.equal(onXfs.HostConfig.StorageOpt?.size, undefined, 'created without the size the engine refused');
        const events = await waitFor('the event of the xfs engine', () => {
            const found = serviceStatus(path('sized-xfs.yaml'), 'sized-xfs')?.events.filter((e) => e.message.includes('ephemeralStorage'));
            return found?.length ? found : undefined;
        }, { controller });
        assert.deepEqual(events.map((e) => e.message), [`(service sized-xfs) ephemeralStorage 21 GiB is not enforced on engine ${xfs.host}: it refused a size limit: --storage-opt is supported only for overlay over xfs with 'pquota' mount option.`]);
    });
});
//# sourceMappingURL=storage-limit.test.js.map