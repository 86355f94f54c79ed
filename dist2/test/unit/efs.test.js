/**
 * EFS root directories and access points: how a volume maps to a directory of its file
 * system's volume, how the launcher makes that directory on the in-memory engine, and
 * what validation refuses (a fileSystemId left as a template placeholder, ".." in a root
 * directory, a root directory next to an access point).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ledger } from '../../controller/state/ledger.js';
import { taskContainerSpecs, taskVolumes } from '../../controller/taskspec/containerSpecs.js';
import { efsDirectoryFor } from '../../controller/taskspec/efs.js';
import { launchTask } from '../../controller/executor/launcher.js';
import { efsRootDirectoryProblem, normalizeEfsDirectory } from '../../controller/kinds/efs.js';
import { silentLogger } from '../../controller/log.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { formatManifestError, parseManifestText } from '../../controller/store/parse.js';
const identity = { cluster: 'shop', group: 'service:stack', taskId: 'fedcba9876543210fedcba9876543210', family: 'stack', revision: 1, capacityProvider: 'local' };
const FS = 'fs-0123456789abcdef0';
const AP = 'fsap-0a1b2c3d4e5f60718';
/** The shape of a real file: postgres, redis and rabbitmq on one file system, each in its own directory. */
const stack = {
    volumes: [
        { name: 'pg', efsVolumeConfiguration: { fileSystemId: FS, rootDirectory: '/postgres' } },
        { name: 'redis', efsVolumeConfiguration: { fileSystemId: FS, rootDirectory: 'redis/' } },
        { name: 'mq', efsVolumeConfiguration: { fileSystemId: FS, rootDirectory: '/queues//rabbitmq/.' } },
        { name: 'all', efsVolumeConfiguration: { fileSystemId: FS } },
        { name: 'app', efsVolumeConfiguration: { fileSystemId: FS, rootDirectory: '/', authorizationConfig: { accessPointId: AP, iam: 'ENABLED' }, transitEncryption: 'ENABLED' } },
    ],
    containerDefinitions: [
        {
            name: 'db',
            image: 'berth/busybox:1',
            mountPoints: [
                { sourceVolume: 'pg', containerPath: '/var/lib/postgresql/data' },
                { sourceVolume: 'redis', containerPath: '/redis' },
                { sourceVolume: 'mq', containerPath: '/mq', readOnly: true },
                { sourceVolume: 'all', containerPath: '/all' },
                { sourceVolume: 'app', containerPath: '/app' },
            ],
        },
    ],
};
describe('EFS directories', () => {
    test('root directories in one canonical form; ".." and control characters refused; only "/" next to an access point', () => {
        assert.deepEqual(['/', '', '//', '/a/b/', 'a/b', '/a/./b', '/a//b'].map(normalizeEfsDirectory), ['/', '/', '/', '/a/b', '/a/b', '/a/b', '/a/b']);
        assert.equal(normalizeEfsDirectory(undefined), '/');
        assert.equal(efsRootDirectoryProblem('/data/pg', { withAccessPoint: false }), undefined);
        assert.match(efsRootDirectoryProblem('/data/../../etc', { withAccessPoint: false }) ?? '', /must not contain "\.\."/);
        assert.match(efsRootDirectoryProblem('..', { withAccessPoint: false }) ?? '', /must not contain "\.\."/);
        assert.equal(efsRootDirectoryProblem('/data..old', { withAccessPoint: false }), undefined, 'two dots inside a name are a name');
        assert.match(efsRootDirectoryProblem('/a\nb', { withAccessPoint: false }) ?? '', /control characters/);
        assert.equal(efsRootDirectoryProblem('/', { withAccessPoint: true }), undefined);
        assert.match(efsRootDirectoryProblem('/data', { withAccessPoint: true }) ?? '', /must be omitted or "\/" when authorizationConfig\.accessPointId is set/);
    });
    test('each root directory is its own directory of the one volume per file system', () => {
        const volumes = taskVolumes(stack, identity);
        const managed = { [LABEL.managed]: 'true' };
        assert.deepEqual(volumes, [
            { name: 'pg', type: 'efs', dockerName: `berth-efs-${FS}`, fileSystemId: FS, directory: '/postgres', labels: managed },
            { name: 'redis', type: 'efs', dockerName: `berth-efs-${FS}`, fileSystemId: FS, directory: '/redis', labels: managed },
            { name: 'mq', type: 'efs', dockerName: `berth-efs-${FS}`, fileSystemId: FS, directory: '/queues/rabbitmq', labels: managed },
            { name: 'all', type: 'efs', dockerName: `berth-efs-${FS}`, fileSystemId: FS, directory: '/', labels: managed },
            { name: 'app', type: 'efs', dockerName: `berth-efs-${FS}`, fileSystemId: FS, directory: '/', accessPointId: AP, labels: managed },
        ]);
        // Until launch, a directory is named by file system and path (or access point), never by an engine's path.
        assert.deepEqual(taskContainerSpecs(stack, identity, {})[0]?.mounts, [
            { type: 'bind', source: `efs:${FS}:/postgres`, target: '/var/lib/postgresql/data', readOnly: false },
            { type: 'bind', source: `efs:${FS}:/redis`, target: '/redis', readOnly: false },
            { type: 'bind', source: `efs:${FS}:/queues/rabbitmq`, target: '/mq', readOnly: true },
            { type: 'volume', source: `berth-efs-${FS}`, target: '/all', readOnly: false },
            { type: 'bind', source: `efs:${FS}:${AP}`, target: '/app', readOnly: false },
        ]);
    });
    test('a different root directory is a different container config: the config hash covers it', () => {
        const hashOf = (rootDirectory) => taskContainerSpecs({ ...stack, volumes: [{ name: 'pg', efsVolumeConfiguration: { fileSystemId: FS, rootDirectory } }], containerDefinitions: [{ name: 'db', image: 'x', mountPoints: [{ sourceVolume: 'pg', containerPath: '/d' }] }] }, identity, {})[0]?.labels[LABEL.configHash];
        assert.notEqual(hashOf('/postgres'), hashOf('/redis'));
        assert.equal(hashOf('/postgres'), hashOf('postgres/'));
    });
    const accessPoint = {
        fileSystemId: FS,
        posixUser: { uid: 1000, gid: 1001 },
        rootDirectory: { path: '/apps/web', creationInfo: { ownerUid: 1000, ownerGid: 1001, permissions: '750' } },
    };
    const apVolume = { name: 'app', type: 'efs', dockerName: `berth-efs-${FS}`, fileSystemId: FS, directory: '/', accessPointId: AP, labels: {} };
    test("an access point gives its root directory, created with creationInfo's owner, else the POSIX user's", () => {
        assert.deepEqual(efsDirectoryFor(apVolume, { accessPoints: { [AP]: accessPoint }, cluster: 'shop' }), {
            path: '/apps/web',
            owner: { uid: 1000, gid: 1001, permissions: '750' },
        });
        assert.deepEqual(efsDirectoryFor(apVolume, { accessPoints: { [AP]: { fileSystemId: FS, posixUser: { uid: 7, gid: 8 }, rootDirectory: { path: '/u' } } }, cluster: 'shop' }), {
            path: '/u',
            owner: { uid: 7, gid: 8, permissions: '755' },
        });
        assert.deepEqual(efsDirectoryFor(apVolume, { accessPoints: { [AP]: { fileSystemId: FS } }, cluster: 'shop' }), { path: '/' });
        assert.throws(() => efsDirectoryFor(apVolume, { accessPoints: undefined, cluster: 'shop' }), /access point "fsap-0a1b2c3d4e5f60718" is not defined: add it to spec\.efsAccessPoints of the Cluster manifest "shop"/);
        assert.throws(() => efsDirectoryFor(apVolume, { accessPoints: { [AP]: { fileSystemId: 'fs-99999999' } }, cluster: 'shop' }), /access point "fsap-0a1b2c3d4e5f60718" belongs to file system "fs-99999999", not "fs-0123456789abcdef0"/);
        assert.throws(() => efsDirectoryFor(apVolume, { accessPoints: { [AP]: { fileSystemId: FS, rootDirectory: { path: '/a/../..' } } }, cluster: 'shop' }), /rootDirectory\.path must not contain "\.\."/);
    });
    test('the launcher makes each directory in the file system volume and binds its host path', async () => {
        const runtime = new MemoryRuntime();
        const ledger = new Ledger(undefined);
        const outcome = await launchTask({ runtime, identity, spec: stack, ledger, logger: silentLogger, now: () => Date.now(), efsAccessPoints: { [AP]: accessPoint } });
        assert.equal(outcome, 'started', JSON.stringify(ledger.get(identity.group).stopped));
        assert.deepEqual(runtime.commands.filter((c) => c.op === 'ensureVolume' || c.op === 'prepareVolumeDirectory').map((c) => `${c.op} ${c.target}`), [
            `ensureVolume berth-efs-${FS}`,
            `prepareVolumeDirectory berth-efs-${FS}/postgres`,
            `prepareVolumeDirectory berth-efs-${FS}/redis`,
            `prepareVolumeDirectory berth-efs-${FS}/queues/rabbitmq`,
            `prepareVolumeDirectory berth-efs-${FS}/apps/web`,
        ]);
        const data = `/var/lib/docker/volumes/berth-efs-${FS}/_data`;
        assert.deepEqual(runtime.specOf('berth-shop-stack-fedcba987654-db')?.mounts, [
            { type: 'bind', source: `${data}/postgres`, target: '/var/lib/postgresql/data', readOnly: false },
            { type: 'bind', source: `${data}/redis`, target: '/redis', readOnly: false },
            { type: 'bind', source: `${data}/queues/rabbitmq`, target: '/mq', readOnly: true },
            { type: 'volume', source: `berth-efs-${FS}`, target: '/all', readOnly: false },
            { type: 'bind', source: `${data}/apps/web`, target: '/app', readOnly: false },
        ]);
    });
    test('an access point the cluster does not define fails the launch before any container is created', async () => {
        const runtime = new MemoryRuntime();
        const ledger = new Ledger(undefined);
        const outcome = await launchTask({ runtime, identity, spec: stack, ledger, logger: silentLogger, now: () => Date.now() });
        assert.equal(outcome, 'failed');
        assert.equal(ledger.get(identity.group).stopped[0]?.stoppedReason, 'ResourceInitializationError: volume "app": access point "fsap-0a1b2c3d4e5f60718" is not defined: add it to spec.efsAccessPoints of the Cluster manifest "shop"');
        assert.equal(runtime.commands.filter((c) => c.op === 'create').length, 0);
    });
});
describe('validation of EFS volumes', () => {
    const HEADER = 'apiVersion: berth/v1\nkind: TaskDefinition\nmetadata:\n  name: web\nspec:\n';
    const rows = [
        {
            name: 'a fileSystemId left as a template placeholder',
            spec: `  volumes:
    - name: data
      efsVolumeConfiguration: {fileSystemId: "\${EFS_ID}", rootDirectory: /data}
  containerDefinitions: [{name: app, image: busybox}]
`,
            errors: [
                'web.yaml:8:46: TaskDefinition/web: spec.volumes[0].efsVolumeConfiguration.fileSystemId: must be an EFS file system id: "fs-" and 8 to 40 lowercase hex digits, like "fs-0123456789abcdef0"',
            ],
        },
        {
            name: 'a root directory that climbs out with ".."',
            spec: `  volumes:
    - name: data
      efsVolumeConfiguration: {fileSystemId: fs-0123abcd, rootDirectory: /data/../../etc}
  containerDefinitions: [{name: app, image: busybox}]
`,
            errors: [
                'web.yaml:8:74: TaskDefinition/web: spec.volumes[0].efsVolumeConfiguration.rootDirectory: must not contain ".." ("/data/../../etc"): a root directory is a path inside the file system',
            ],
        },
        {
            name: 'a root directory next to an access point, and an access point id that is none',
            spec: `  volumes:
    - name: data
      efsVolumeConfiguration: {fileSystemId: fs-0123abcd, rootDirectory: /data, authorizationConfig: {accessPointId: fsap-0a1b2c3d}}
    - name: other
      efsVolumeConfiguration: {fileSystemId: fs-0123abcd, authorizationConfig: {accessPointId: my-ap}}
  containerDefinitions: [{name: app, image: busybox}]
`,
            errors: [
                'web.yaml:8:74: TaskDefinition/web: spec.volumes[0].efsVolumeConfiguration.rootDirectory: must be omitted or "/" when authorizationConfig.accessPointId is set ("/data"): the access point\'s root directory applies',
                'web.yaml:10:96: TaskDefinition/web: spec.volumes[1].efsVolumeConfiguration.authorizationConfig.accessPointId: must be an EFS access point id: "fsap-" and 8 to 40 lowercase hex digits, like "fsap-0123456789abcdef0"',
            ],
        },
    ];
    for (const row of rows) {
        test(row.name, () => {
            const result = parseManifestText('web.yaml', HEADER + row.spec);
            assert.deepEqual(result.errors.map(formatManifestError), row.errors);
        });
    }
    test('root directories and access points need no warning; IAM authorization does', () => {
        const result = parseManifestText('web.yaml', `${HEADER}  volumes:
    - name: pg
      efsVolumeConfiguration: {fileSystemId: fs-0123abcd, rootDirectory: /postgres, transitEncryption: DISABLED}
    - name: app
      efsVolumeConfiguration: {fileSystemId: fs-0123abcd, authorizationConfig: {accessPointId: fsap-0a1b2c3d, iam: ENABLED}}
  containerDefinitions: [{name: app, image: busybox}]
`);
        assert.deepEqual(result.errors, []);
        assert.deepEqual(result.warnings.map((w) => `${w.field}: ${w.message}`), ['spec.volumes[1].efsVolumeConfiguration.authorizationConfig.iam: no local equivalent, ignored (EFS IAM authorization; access points are defined in the Cluster (spec.efsAccessPoints))']);
    });
    test('a Cluster defines access points in EFS CreateAccessPoint shape; a bad id or permission is refused', () => {
        const cluster = (body) => parseManifestText('cluster.yaml', `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: shop\nspec:\n  efsAccessPoints:\n${body}`);
        const good = cluster(`    fsap-0a1b2c3d:
      fileSystemId: fs-0123abcd
      posixUser: {uid: 1000, gid: 1000}
      rootDirectory: {path: /web, creationInfo: {ownerUid: 1000, ownerGid: 1000, permissions: "0750"}}
`);
        assert.deepEqual(good.errors, []);
        const bad = cluster(`    fsap-0a1b2c3d:
      fileSystemId: fs-0123abcd
      rootDirectory: {path: web, creationInfo: {ownerUid: 1000, ownerGid: 1000, permissions: rwx}}
`);
        assert.deepEqual(bad.errors.map(formatManifestError).map((e) => e.replace(/: [^:]*$/, '')), [
            'cluster.yaml:9:29: Cluster/shop: spec.efsAccessPoints.fsap-0a1b2c3d.rootDirectory.path',
            'cluster.yaml:9:94: Cluster/shop: spec.efsAccessPoints.fsap-0a1b2c3d.rootDirectory.creationInfo.permissions',
        ]);
    });
});
//# sourceMappingURL=efs.test.js.map