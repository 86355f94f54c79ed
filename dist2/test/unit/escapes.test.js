/**
 * Ways out of a task's box through its inputs: local environment files under the host
 * path policy, Docker volume driver options under the volume policy, secrets with a NUL
 * byte, and secret values scrubbed from the engine's error text on the launch path.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ledger } from '../../controller/state/ledger.js';
import { checkHostPath } from '../../controller/taskspec/hostPaths.js';
import { launchTask } from '../../controller/executor/launcher.js';
import { checkDockerVolume } from '../../controller/taskspec/volumePolicy.js';
import { silentLogger } from '../../controller/log.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { resolveTaskEnvironment, ResourceInitializationError, SecretScrubber, SecretsProvider, scrubbedValues } from '../../controller/secrets/index.js';
const identity = { cluster: 'shop', group: 'service:web', taskId: '0123456789abcdef0123456789abcdef', family: 'web', revision: 1, capacityProvider: 'local' };
function withEnvFiles(...values) {
    return { containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', environmentFiles: values.map((value) => ({ value, type: 's3' })) }] };
}
describe('local environment files under the host path policy', () => {
    let base;
    let root;
    let manifests;
    const provider = new SecretsProvider({ env: {} });
    before(() => {
        base = realpathSync(mkdtempSync(join(tmpdir(), 'berth-escapes-envfiles-')));
        root = join(base, 'root');
        manifests = join(root, 'manifests');
        mkdirSync(join(manifests, 'env'), { recursive: true });
        mkdirSync(join(base, 'outside'));
        writeFileSync(join(manifests, 'env', 'app.env'), 'INSIDE=yes\n');
        writeFileSync(join(base, 'outside', 'host.env'), 'OUTSIDE=leaked\n');
        symlinkSync(join(base, 'outside', 'host.env'), join(manifests, 'env', 'escape.env'));
        symlinkSync(join(base, 'outside'), join(manifests, 'outlink'));
    });
    after(() => rmSync(base, { recursive: true, force: true }));
    const read = (spec, allowedRoots) => resolveTaskEnvironment(spec, {
        provider,
        baseDir: manifests,
        ...(allowedRoots ? { checkLocalFile: (path) => checkHostPath(path, { allowedRoots }, 'shop') } : {}),
    });
    test('a file inside an allowed root is read, relative or absolute', async () => {
        assert.deepEqual((await read(withEnvFiles('env/app.env'), [root])).app?.fromFiles, { INSIDE: 'yes' });
        assert.deepEqual((await read(withEnvFiles(join(manifests, 'env/app.env')), [root])).app?.fromFiles, { INSIDE: 'yes' });
    });
    const refusals = [
        {
            name: 'any local file without a policy',
            value: () => 'env/app.env',
            roots: () => undefined,
            message: /^failed to download env files: container "app" environmentFiles\[0\]\.value "env\/app\.env" refused: local environment files are refused: no host path policy applies \(spec\.hostPathPolicy\.allowedRoots of the Cluster manifest\)$/,
        },
        {
            name: '/etc/os-release when the cluster allows no host paths',
            value: () => '/etc/os-release',
            roots: () => [],
            message: /environmentFiles\[0\]\.value "\/etc\/os-release" refused: host path "\/etc\/os-release" is not allowed: cluster "shop" allows no host paths; add a directory containing it to spec\.hostPathPolicy\.allowedRoots of the Cluster manifest "shop"$/,
        },
        {
            name: 'a ".." climb to /proc/self/environ, even with an allowed root',
            value: () => '../../proc/self/environ',
            roots: () => [root],
            message: /"\.\.\/\.\.\/proc\/self\/environ" refused: a "\.\." segment is never allowed in an environment file path/,
        },
        {
            name: 'a ".." that stays inside the root',
            value: () => 'env/../env/app.env',
            roots: () => [root],
            message: /a "\.\." segment is never allowed/,
        },
        {
            name: 'an absolute path outside the root',
            value: () => join(base, 'outside', 'host.env'),
            roots: () => [root],
            message: /is outside the allowed roots of cluster "shop"/,
        },
        {
            name: 'a symlinked file inside the root pointing out of it',
            value: () => 'env/escape.env',
            roots: () => [root],
            message: /host path ".*\/env\/escape\.env" \(real path ".*\/outside\/host\.env"\) is outside the allowed roots/,
        },
        {
            name: 'a file below a symlinked directory pointing out of the root',
            value: () => 'outlink/host.env',
            roots: () => [root],
            message: /\(real path ".*\/outside\/host\.env"\) is outside the allowed roots/,
        },
    ];
    for (const refusal of refusals) {
        test(`refuses ${refusal.name}`, async () => {
            await assert.rejects(read(withEnvFiles(refusal.value()), refusal.roots()), (error) => {
                assert.ok(error instanceof ResourceInitializationError);
                assert.match(error.message, refusal.message);
                assert.ok(!error.message.includes('leaked'));
                return true;
            });
        });
    }
    test('a directory inside the root is no environment file', async () => {
        await assert.rejects(read(withEnvFiles('env'), [root]), /environmentFiles\[0\]\.value \(file .*\/env\) is not a regular file/);
    });
    test('the second file of a container is named by its index', async () => {
        await assert.rejects(read(withEnvFiles('env/app.env', '/etc/os-release'), [root]), /environmentFiles\[1\]\.value "\/etc\/os-release" refused/);
    });
});
describe('docker volume driver options', () => {
    const rows = [
        { name: 'a plain local volume', driver: 'local', verdict: { kind: 'plain' } },
        { name: 'a volume naming no driver', verdict: { kind: 'plain' } },
        { name: 'a bind of / (type none, o bind)', driverOpts: { type: 'none', o: 'bind', device: '/' }, verdict: { kind: 'hostPath', device: '/' } },
        { name: 'a bind by o: rbind,ro with another type', driverOpts: { type: 'ext4', o: 'rbind,ro', device: '/srv' }, verdict: { kind: 'hostPath', device: '/srv' } },
        { name: 'a bind by type bind alone', driverOpts: { type: 'bind', device: '/srv' }, verdict: { kind: 'hostPath', device: '/srv' } },
        { name: 'a bind without device', driverOpts: { o: 'bind' }, verdict: /bind a host path but name none \(driverOpts\.device\)/ },
        { name: 'a bind with a propagation flag', driverOpts: { o: 'bind,rshared', device: '/srv' }, verdict: /driverOpts\.o flag "rshared" is not allowed on a bind/ },
        { name: 'a bind with another option', driverOpts: { o: 'bind', device: '/srv', size: '1g' }, verdict: /driverOpts\.size is not allowed on a bind/ },
        { name: 'an NFS mount without permission', driverOpts: { type: 'nfs', o: 'addr=127.0.0.1', device: ':/export' }, verdict: /driverOpts\.type "nfs" \(a mount by the local driver\) is not allowed by cluster "shop"; add it to spec\.volumePolicy\.allowedLocalMountTypes/ },
        { name: 'an NFS mount the cluster allows', driverOpts: { type: 'nfs', o: 'addr=127.0.0.1', device: ':/export' }, policy: { allowedLocalMountTypes: ['nfs'] }, verdict: { kind: 'allowed' } },
        { name: 'a block device mount', driverOpts: { type: 'ext4', device: '/dev/sda1' }, policy: { allowedLocalMountTypes: ['nfs'] }, verdict: /driverOpts\.type "ext4"/ },
        { name: 'options without a mount type', driverOpts: { device: '/dev/sda1' }, verdict: /driverOpts \(device\) of the local driver name no mount type/ },
        { name: 'another driver without permission', driver: 'rexray/ebs', verdict: /dockerVolumeConfiguration\.driver "rexray\/ebs" is not allowed by cluster "shop"; add it to spec\.volumePolicy\.allowedDrivers/ },
        { name: 'another driver the cluster allows', driver: 'rexray/ebs', driverOpts: { size: '5' }, policy: { allowedDrivers: ['rexray/ebs'] }, verdict: { kind: 'allowed' } },
    ];
    for (const row of rows) {
        test(row.name, () => {
            const verdict = checkDockerVolume({ ...(row.driver ? { driver: row.driver } : {}), ...(row.driverOpts ? { driverOpts: row.driverOpts } : {}) }, row.policy, 'shop');
            if (row.verdict instanceof RegExp) {
                assert.equal(verdict.kind, 'refused');
                assert.match(verdict.kind === 'refused' ? verdict.reason : '', row.verdict);
            }
            else {
                assert.deepEqual(verdict, row.verdict);
            }
        });
    }
});
describe('the secret scrubber', () => {
    test('replaces every value, longest first, also in quoted form', () => {
        const scrubber = new SecretScrubber(['abc', 'abcdef', 'say "hi"\n', '']);
        assert.equal(scrubber.scrub('x abcdef y abc z'), 'x *** y *** z');
        assert.equal(scrubber.scrub('invalid value "say \\"hi\\"\\n"'), 'invalid value "***"');
        assert.equal(scrubber.scrub('nothing here'), 'nothing here');
    });
    test('a value as runc quotes it (Go %q) is scrubbed too', () => {
        // runc's words for a NUL in the environment, as seen on Docker 20.10.
        const message = 'runc create failed: environment variable value can\'t contain null(\\x00): "NUL_TOKEN=nul-7c1d\\x00tail\\t\\"q\\"": unknown';
        assert.equal(new SecretScrubber(['nul-7c1d\0tail\t"q"']).scrub(message), 'runc create failed: environment variable value can\'t contain null(\\x00): "NUL_TOKEN=***": unknown');
    });
    test('short environment file values are kept; secrets of any length are not', () => {
        const values = scrubbedValues({
            environment: { app: { fromFiles: { MODE: 'on', TOKEN: 'file-token' }, secrets: { PIN: '42' } } },
            logSecretOptions: { app: { 'splunk-token': 'log-token' } },
            registryPasswords: ['registry-pw'],
        });
        assert.deepEqual(values.sort(), ['42', 'file-token', 'log-token', 'registry-pw']);
    });
});
describe('the launch path refuses NUL bytes and scrubs secrets from the engine\'s words', () => {
    function launch(runtime, spec, extra = {}) {
        const ledger = new Ledger(undefined);
        return launchTask({ runtime, identity, spec, ledger, logger: silentLogger, now: () => 0, ...extra }).then((result) => ({
            result,
            stopped: ledger.get(identity.group).stopped[0],
            stopRequest: ledger.get(identity.group).stopRequests[identity.taskId],
        }));
    }
    const withSecret = (name) => ({ containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', secrets: [{ name, valueFrom: '/app/token' }] }] });
    test('a secret with a NUL byte fails the launch naming the variable, before anything is created', async () => {
        const runtime = new MemoryRuntime();
        const secrets = new SecretsProvider({ env: { BERTH_SECRET_APP_TOKEN: 'nul-marker-1\0tail' } });
        const { result, stopped } = await launch(runtime, withSecret('API_TOKEN'), { secrets });
        assert.equal(result, 'failed');
        assert.equal(stopped?.stoppedReason, 'ResourceInitializationError: unable to pull secrets or registry auth: container "app": secret API_TOKEN holds a NUL byte, which a container\'s environment or options cannot carry');
        assert.deepEqual(runtime.commands.filter((c) => c.op === 'create'), []);
    });
    test('an environment file value with a NUL byte is refused the same way', async () => {
        const dir = realpathSync(mkdtempSync(join(tmpdir(), 'berth-escapes-nul-')));
        after(() => rmSync(dir, { recursive: true, force: true }));
        writeFileSync(join(dir, 'app.env'), 'GOOD=1\nBAD=nul-marker-2\0tail\n');
        const runtime = new MemoryRuntime();
        const { stopped } = await launch(runtime, withEnvFiles('app.env'), { taskDefinitionDir: dir, hostPathPolicy: { allowedRoots: [dir] } });
        assert.match(stopped?.stoppedReason ?? '', /container "app": variable BAD of its environment files holds a NUL byte/);
        assert.ok(!stopped?.stoppedReason?.includes('nul-marker-2'));
    });
    test('a Docker volume binding a host path is refused on an engine that does not share the controller\'s file system', async () => {
        const runtime = new MemoryRuntime({ engine: 'tcp://127.0.0.1:2376' });
        const spec = {
            volumes: [{ name: 'data', dockerVolumeConfiguration: { driver: 'local', driverOpts: { type: 'none', o: 'bind', device: '/srv/data' } } }],
            containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] }],
        };
        const { stopped } = await launch(runtime, spec, { hostPathPolicy: { allowedRoots: ['/srv'] } });
        assert.equal(stopped?.stoppedReason, 'ResourceInitializationError: volume "data": dockerVolumeConfiguration.driverOpts.device (a bind): host path "/srv/data" refused: host paths are checked on the controller\'s file system, so they are allowed only on engines reached through a local unix socket, not on tcp://127.0.0.1:2376');
        assert.deepEqual(runtime.commands.filter((c) => c.op === 'ensureVolume' || c.op === 'create'), []);
    });
    test('an engine error that repeats a secret reaches the stopped task and the stop request scrubbed', async () => {
        const runtime = new MemoryRuntime();
        const value = 'scrub-marker-7f3a';
        runtime.failNextCreate(`invalid environment: API_TOKEN=${value} is not allowed`);
        const secrets = new SecretsProvider({ env: { BERTH_SECRET_APP_TOKEN: value } });
        const { result, stopped, stopRequest } = await launch(runtime, withSecret('API_TOKEN'), { secrets });
        assert.equal(result, 'failed');
        assert.match(stopped?.stoppedReason ?? '', /^CannotCreateContainerError: .*invalid environment: API_TOKEN=\*\*\* is not allowed/);
        assert.ok(!JSON.stringify(stopped).includes(value));
        assert.ok(!JSON.stringify(stopRequest).includes(value));
    });
});
//# sourceMappingURL=escapes.test.js.map