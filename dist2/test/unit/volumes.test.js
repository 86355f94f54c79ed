/**
 * Volumes: the host path policy on a real temporary directory tree, the mapping of ECS
 * volumes, mountPoints and volumesFrom to Docker, the launcher on the in-memory engine,
 * and the validation of volume references.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ledger } from '../../controller/state/ledger.js';
import { creationOrder, taskContainerSpecs, taskVolumes, } from '../../controller/taskspec/containerSpecs.js';
import { checkHostPath } from '../../controller/taskspec/hostPaths.js';
import { engineSharesFileSystem, launchTask } from '../../controller/executor/launcher.js';
import { silentLogger } from '../../controller/log.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { formatManifestError, parseManifestText } from '../../controller/store/parse.js';
const identity = {
    cluster: 'shop',
    group: 'service:web',
    taskId: '0123456789abcdef0123456789abcdef',
    family: 'web',
    revision: 3,
    capacityProvider: 'local',
};
describe('host path policy', () => {
    let base;
    let root;
    let policy;
    before(() => {
        // The real path: tmpdir itself may sit behind a symlink.
        base = realpathSync(mkdtempSync(join(tmpdir(), 'berth-hostpaths-')));
        root = join(base, 'root');
        mkdirSync(join(root, 'data', 'inner'), { recursive: true });
        mkdirSync(join(base, 'outside'));
        symlinkSync(join(base, 'outside'), join(root, 'escape'));
        symlinkSync(join(root, 'data'), join(root, 'alias'));
        symlinkSync(join(base, 'nowhere'), join(root, 'dangling'));
        symlinkSync(root, join(base, 'root-link'));
        policy = { allowedRoots: [root] };
    });
    after(() => rmSync(base, { recursive: true, force: true }));
    const cases = [
        { name: 'a directory inside the root', path: () => join(root, 'data', 'inner'), allowed: true },
        { name: 'the root itself', path: () => root, allowed: true },
        { name: 'a path under the root that does not exist yet', path: () => join(root, 'new', 'deeper'), allowed: true },
        { name: 'a symlink inside the root that points inside it', path: () => join(root, 'alias', 'inner'), allowed: true },
        { name: 'a path reached through a symlinked root', path: () => join(base, 'root-link', 'data'), allowed: true },
        { name: 'a path outside the root', path: () => join(base, 'outside'), allowed: false, reason: /is outside the allowed roots of cluster "shop"/ },
        { name: 'a sibling whose name starts like the root', path: () => `${root}-other`, allowed: false, reason: /is outside the allowed roots/ },
        { name: 'a ".." segment, even one that stays inside', path: () => `${root}/data/../data`, allowed: false, reason: /contains a "\.\." segment, which is never allowed/ },
        { name: 'a ".." segment that climbs out', path: () => `${root}/../outside`, allowed: false, reason: /contains a "\.\." segment/ },
        { name: 'a symlink escaping the root', path: () => join(root, 'escape'), allowed: false, reason: /real path ".*\/outside"\) is outside the allowed roots/ },
        { name: 'a new path under a symlink escaping the root', path: () => join(root, 'escape', 'new'), allowed: false, reason: /real path ".*\/outside\/new"\)/ },
        { name: 'a dangling symlink', path: () => join(root, 'dangling', 'x'), allowed: false, reason: /is a symlink whose target does not exist/ },
        { name: 'a relative path', path: () => 'data', allowed: false, reason: /is not absolute/ },
        { name: 'a path with a colon', path: () => join(root, 'a:b'), allowed: false, reason: /contains ":"/ },
        {
            name: 'any path when the cluster allows none',
            path: () => join(root, 'data'),
            policy: () => undefined,
            allowed: false,
            reason: /cluster "shop" allows no host paths; add a directory containing it to spec\.hostPathPolicy\.allowedRoots of the Cluster manifest "shop"/,
        },
    ];
    for (const row of cases) {
        test(`${row.allowed ? 'allows' : 'refuses'} ${row.name}`, () => {
            const verdict = checkHostPath(row.path(), row.policy ? row.policy() : policy, 'shop');
            assert.equal(verdict.allowed, row.allowed, JSON.stringify(verdict));
            if (!verdict.allowed && row.reason)
                assert.match(verdict.reason, row.reason);
        });
    }
    test('the real path is what is allowed and mounted', () => {
        const verdict = checkHostPath(join(root, 'alias', 'inner'), policy, 'shop');
        assert.deepEqual(verdict, { allowed: true, realPath: join(root, 'data', 'inner') });
    });
    test('host paths are checked only for engines that share the controller\'s file system', () => {
        assert.equal(engineSharesFileSystem('unix:///var/run/docker.sock'), true);
        assert.equal(engineSharesFileSystem('memory-1'), true);
        assert.equal(engineSharesFileSystem('tcp://10.0.0.5:2375'), false);
    });
});
describe('volume mapping', () => {
    const spec = {
        volumes: [
            { name: 'scratch' },
            { name: 'empty-host', host: {} },
            { name: 'logs', host: { sourcePath: '/srv/logs' } },
            { name: 'cache', dockerVolumeConfiguration: { scope: 'task', driver: 'local', driverOpts: { type: 'tmpfs', device: 'tmpfs' }, labels: { app: 'web' } } },
            { name: 'db', dockerVolumeConfiguration: { scope: 'shared', autoprovision: true } },
            { name: 'existing', dockerVolumeConfiguration: { scope: 'shared' } },
            { name: 'content', efsVolumeConfiguration: { fileSystemId: 'fs-0a1b2c3d', rootDirectory: '/' } },
            { name: 'windows', fsxWindowsFileServerVolumeConfiguration: { fileSystemId: 'fs-1', rootDirectory: 'share', authorizationConfig: { credentialsParameter: 'arn', domain: 'corp' } } },
        ],
        containerDefinitions: [
            {
                name: 'app',
                image: 'berth/busybox:1',
                mountPoints: [
                    { sourceVolume: 'scratch', containerPath: '/scratch' },
                    { sourceVolume: 'logs', containerPath: '/logs', readOnly: true },
                    { sourceVolume: 'cache', containerPath: '/cache' },
                    { sourceVolume: 'db', containerPath: '/db' },
                    { sourceVolume: 'content', containerPath: '/content' },
                ],
                volumesFrom: [{ sourceContainer: 'init', readOnly: true }],
            },
            { name: 'init', image: 'berth/busybox:1', essential: false },
        ],
    };
    test('each kind of ECS volume becomes its Docker counterpart', () => {
        const taskLabels = { [LABEL.managed]: 'true', [LABEL.cluster]: 'shop', [LABEL.group]: 'service:web', [LABEL.taskId]: identity.taskId };
        assert.deepEqual(taskVolumes(spec, identity), [
            { name: 'scratch', type: 'volume', dockerName: 'berth-shop-0123456789ab-scratch', scope: 'task', autoprovision: true, labels: taskLabels },
            { name: 'empty-host', type: 'volume', dockerName: 'berth-shop-0123456789ab-empty-host', scope: 'task', autoprovision: true, labels: taskLabels },
            { name: 'logs', type: 'bind', sourcePath: '/srv/logs' },
            {
                name: 'cache',
                type: 'volume',
                dockerName: 'berth-shop-0123456789ab-cache',
                scope: 'task',
                autoprovision: true,
                driver: 'local',
                driverOpts: { type: 'tmpfs', device: 'tmpfs' },
                labels: { app: 'web', ...taskLabels },
            },
            { name: 'db', type: 'volume', dockerName: 'db', scope: 'shared', autoprovision: true, labels: { [LABEL.managed]: 'true' } },
            { name: 'existing', type: 'volume', dockerName: 'existing', scope: 'shared', autoprovision: false, labels: { [LABEL.managed]: 'true' } },
            { name: 'content', type: 'efs', dockerName: 'berth-efs-fs-0a1b2c3d', fileSystemId: 'fs-0a1b2c3d', directory: '/', labels: { [LABEL.managed]: 'true' } },
            { name: 'windows', type: 'unsupported', reason: 'fsxWindowsFileServerVolumeConfiguration has no local equivalent' },
        ]);
    });
    test('mountPoints become mounts and volumesFrom names the source container of the same task', () => {
        const [app, init] = taskContainerSpecs(spec, identity, {});
        assert.deepEqual(app?.mounts, [
            { type: 'volume', source: 'berth-shop-0123456789ab-scratch', target: '/scratch', readOnly: false },
            { type: 'bind', source: '/srv/logs', target: '/logs', readOnly: true },
            { type: 'volume', source: 'berth-shop-0123456789ab-cache', target: '/cache', readOnly: false },
            { type: 'volume', source: 'db', target: '/db', readOnly: false },
            { type: 'volume', source: 'berth-efs-fs-0a1b2c3d', target: '/content', readOnly: false },
        ]);
        assert.deepEqual(app?.volumesFrom, [{ container: 'berth-shop-web-0123456789ab-init', readOnly: true }]);
        assert.equal(init?.mounts, undefined);
        assert.equal(init?.volumesFrom, undefined);
    });
    test('a volumesFrom source is created before the container that uses it; a cycle is refused', () => {
        assert.deepEqual(creationOrder(spec), ['init', 'app']);
        const cyclic = {
            containerDefinitions: [
                { name: 'a', image: 'x', volumesFrom: [{ sourceContainer: 'b' }] },
                { name: 'b', image: 'x', volumesFrom: [{ sourceContainer: 'a' }] },
            ],
        };
        assert.throws(() => creationOrder(cyclic), /volumesFrom forms a cycle: a -> b -> a/);
    });
});
describe('launching a task with volumes on the in-memory engine', () => {
    let base;
    before(() => {
        base = realpathSync(mkdtempSync(join(tmpdir(), 'berth-launch-volumes-')));
        mkdirSync(join(base, 'allowed'));
    });
    after(() => rmSync(base, { recursive: true, force: true }));
    const launch = async (spec, options = {}) => {
        const runtime = options.runtime ?? new MemoryRuntime();
        const ledger = new Ledger(undefined);
        const outcome = await launchTask({
            runtime,
            identity,
            spec,
            ledger,
            logger: silentLogger,
            now: () => Date.now(),
            ...(options.policy ? { hostPathPolicy: options.policy } : {}),
        });
        return { outcome, runtime, stopped: ledger.get(identity.group).stopped[0] };
    };
    test('task volumes are created with the task labels, sources before users, host paths as real paths', async () => {
        const { outcome, runtime } = await launch({
            volumes: [{ name: 'shared-dir' }, { name: 'logs', host: { sourcePath: join(base, 'allowed', 'logs') } }],
            containerDefinitions: [
                { name: 'reader', image: 'berth/busybox:1', volumesFrom: [{ sourceContainer: 'writer' }] },
                { name: 'writer', image: 'berth/busybox:1', mountPoints: [{ sourceVolume: 'shared-dir', containerPath: '/d' }, { sourceVolume: 'logs', containerPath: '/logs' }] },
            ],
        }, { policy: { allowedRoots: [join(base, 'allowed')] } });
        assert.equal(outcome, 'started');
        const volumes = await runtime.listVolumes({ [LABEL.taskId]: identity.taskId });
        assert.deepEqual(volumes.map((v) => v.name), ['berth-shop-0123456789ab-shared-dir']);
        assert.deepEqual(runtime.commands.filter((c) => c.op === 'create' || c.op === 'start' || c.op === 'ensureVolume').map((c) => `${c.op} ${c.target}`), [
            'ensureVolume berth-shop-0123456789ab-shared-dir',
            'create berth-shop-web-0123456789ab-writer',
            'create berth-shop-web-0123456789ab-reader',
            'start berth-shop-web-0123456789ab-reader',
            'start berth-shop-web-0123456789ab-writer',
        ]);
        assert.deepEqual(runtime.specOf('berth-shop-web-0123456789ab-writer')?.mounts?.[1], {
            type: 'bind',
            source: join(base, 'allowed', 'logs'),
            target: '/logs',
            readOnly: false,
        });
    });
    test('a host path outside the policy fails the launch before anything is created', async () => {
        const { outcome, runtime, stopped } = await launch({
            volumes: [{ name: 'etc', host: { sourcePath: '/etc' } }, { name: 'scratch' }],
            containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', mountPoints: [{ sourceVolume: 'etc', containerPath: '/e' }, { sourceVolume: 'scratch', containerPath: '/s' }] }],
        });
        assert.equal(outcome, 'failed');
        assert.equal(stopped?.stopCode, 'TaskFailedToStart');
        assert.equal(stopped?.stoppedReason, 'ResourceInitializationError: volume "etc": host path "/etc" is not allowed: cluster "shop" allows no host paths; ' +
            'add a directory containing it to spec.hostPathPolicy.allowedRoots of the Cluster manifest "shop"');
        assert.deepEqual(runtime.commands, []);
    });
    test('host paths are refused on an engine on another machine', async () => {
        const { stopped } = await launch({
            volumes: [{ name: 'logs', host: { sourcePath: join(base, 'allowed') } }],
            containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', mountPoints: [{ sourceVolume: 'logs', containerPath: '/logs' }] }],
        }, { runtime: new MemoryRuntime({ engine: 'tcp://10.0.0.5:2375' }), policy: { allowedRoots: [base] } });
        assert.match(stopped?.stoppedReason ?? '', /only on engines reached through a local unix socket, not on tcp:\/\/10\.0\.0\.5:2375/);
    });
    test('a missing shared volume without autoprovision fails the launch and removes the task volumes made so far', async () => {
        const { outcome, runtime, stopped } = await launch({
            volumes: [{ name: 'scratch' }, { name: 'pgdata', dockerVolumeConfiguration: { scope: 'shared', autoprovision: false } }],
            containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', mountPoints: [{ sourceVolume: 'scratch', containerPath: '/s' }, { sourceVolume: 'pgdata', containerPath: '/p' }] }],
        });
        assert.equal(outcome, 'failed');
        assert.match(stopped?.stoppedReason ?? '', /^ResourceInitializationError: volume "pgdata": shared volume "pgdata" does not exist on engine .* and autoprovision is false/);
        assert.equal(await runtime.hasVolume('berth-shop-0123456789ab-scratch'), false, 'the task volume made before the failure is gone');
        assert.equal(runtime.commands.filter((c) => c.op === 'create').length, 0);
    });
    test('an existing shared volume is used as it is; an FSx volume that is mounted fails the launch', async () => {
        const runtime = new MemoryRuntime();
        await runtime.ensureVolume('pgdata', { labels: {} });
        const { outcome } = await launch({
            volumes: [{ name: 'pgdata', dockerVolumeConfiguration: { scope: 'shared' } }],
            containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', mountPoints: [{ sourceVolume: 'pgdata', containerPath: '/p' }] }],
        }, { runtime });
        assert.equal(outcome, 'started');
        const fsx = await launch({
            volumes: [{ name: 'win', fsxWindowsFileServerVolumeConfiguration: { fileSystemId: 'fs-1', rootDirectory: 'share', authorizationConfig: { credentialsParameter: 'arn', domain: 'corp' } } }],
            containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', mountPoints: [{ sourceVolume: 'win', containerPath: '/w' }] }],
        });
        assert.equal(fsx.stopped?.stoppedReason, 'ResourceInitializationError: volume "win" cannot be mounted: fsxWindowsFileServerVolumeConfiguration has no local equivalent');
    });
});
describe('validation of volume references', () => {
    const HEADER = 'apiVersion: berth/v1\nkind: TaskDefinition\nmetadata:\n  name: web\nspec:\n';
    const rows = [
        {
            name: 'a mountPoint naming an undefined volume',
            spec: `  volumes: [{name: data}, {name: logs}]
  containerDefinitions:
    - name: app
      image: busybox
      mountPoints: [{sourceVolume: dat, containerPath: /data}]
`,
            errors: [
                'web.yaml:10:36: TaskDefinition/web: spec.containerDefinitions[0].mountPoints[0].sourceVolume: Unknown volume "dat" (did you mean "data"?); sourceVolume must name one of: data, logs',
            ],
        },
        {
            name: 'a mountPoint when no volume is defined',
            spec: `  containerDefinitions:
    - name: app
      image: busybox
      mountPoints: [{sourceVolume: data, containerPath: /data}]
`,
            errors: ['web.yaml:9:36: TaskDefinition/web: spec.containerDefinitions[0].mountPoints[0].sourceVolume: Unknown volume "data"; the task definition defines no volumes'],
        },
        {
            name: 'volumesFrom naming a container not in the task, or itself',
            spec: `  containerDefinitions:
    - name: app
      image: busybox
      volumesFrom: [{sourceContainer: sidecr}, {sourceContainer: app}]
    - name: sidecar
      image: busybox
`,
            errors: [
                'web.yaml:9:39: TaskDefinition/web: spec.containerDefinitions[0].volumesFrom[0].sourceContainer: Container "sidecr" is not a container of this task definition (did you mean "sidecar"?); volumesFrom must name one of: app, sidecar',
                'web.yaml:9:66: TaskDefinition/web: spec.containerDefinitions[0].volumesFrom[1].sourceContainer: A container cannot mount volumes from itself ("app")',
            ],
        },
        {
            name: 'two volumes with one name',
            spec: `  volumes: [{name: data}, {name: data}]
  containerDefinitions: [{name: app, image: busybox}]
`,
            errors: ['web.yaml:6:34: TaskDefinition/web: spec.volumes[1].name: Volume names must be unique within a task definition: "data" is also the name of volumes[0]'],
        },
    ];
    for (const row of rows) {
        test(row.name, () => {
            const result = parseManifestText('web.yaml', HEADER + row.spec);
            assert.deepEqual(result.errors.map(formatManifestError), row.errors);
        });
    }
    test('a Cluster host path root must be absolute', () => {
        const result = parseManifestText('cluster.yaml', 'apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: shop\nspec:\n  hostPathPolicy:\n    allowedRoots: [srv/data]\n');
        assert.equal(result.errors.length, 1);
        assert.match(formatManifestError(result.errors[0]), /^cluster\.yaml:7:20: Cluster\/shop: spec\.hostPathPolicy\.allowedRoots\[0\]: /);
    });
});
//# sourceMappingURL=volumes.test.js.map