/**
 * Secrets, environment files and registry logins on the real engine, and the image pull
 * policy. Every value used here is random per run, so finding one in what berth wrote can
 * only mean berth leaked it. No traffic leaves 127.0.0.1: the registries are a closed
 * port and a tiny /v2/ server of this test.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BERTH, basicAuthRegistry, docker, logLines, running, scratchDir, removeDir, serviceStatus, testCluster, uniqueName, waitFor, writeManifests, } from './harness.js';
const SM = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret';
function secretValue(label) {
    return `${label}-${randomBytes(12).toString('hex')}`;
}
function writeFile(path, text) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
}
/** Every regular file below a directory, recursively (the manifests, their status, the state directory). */
function filesBelow(dir) {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .map((name) => join(dir, name))
        .filter((path) => statSync(path).isFile());
}
function taskDefinition(name, container) {
    return `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: ${name}
spec:
  containerDefinitions:
    - name: app
      memory: 32
      stopTimeout: 1
${container}`;
}
function service(name, options) {
    const strategy = options.provider ? `\n  capacityProviderStrategy: [{capacityProvider: ${options.provider}}]` : '';
    return `apiVersion: berth/v1
kind: Service
metadata:
  name: ${name}
spec:
  cluster: ${options.cluster}
  taskDefinition: ${options.taskDefinition}
  desiredCount: 1${strategy}
`;
}
/** Runs `sh -c script "$@"` in a container; resolves with the exit code. Values travel as arguments, never through berth. */
async function execExitCode(containerId, script, args) {
    const exec = await docker.getContainer(containerId).exec({ Cmd: ['sh', '-c', script, 'sh', ...args], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    await new Promise((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
        stream.resume();
    });
    return (await exec.inspect()).ExitCode;
}
/** Local environment files fall under the host path policy: these tests keep theirs next to the manifests. */
function clusterWithManifestsAllowed(cluster, dir) {
    return `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${cluster}\nspec:\n  hostPathPolicy:\n    allowedRoots: [${dir}]\n`;
}
function stoppedReason(status) {
    return status?.stoppedTasks?.[0]?.stoppedReason;
}
describe('secrets, environment files and environment reach the container, and nowhere else', () => {
    const { cluster, dir, path, start } = testCluster('sec');
    const secretsDir = scratchDir();
    after(() => removeDir(secretsDir));
    const values = {
        dbPassword: secretValue('db'),
        apiToken: secretValue('token'),
        apiKey: secretValue('key'),
        s3Var: secretValue('s3'),
        localVar: secretValue('local'),
    };
    const tokenVariable = `BERTH_SECRET_SEC_${cluster.toUpperCase()}_API_TOKEN`;
    before(() => {
        writeFile(join(secretsDir, cluster, 'db/password'), `${values.dbPassword}\n`);
        writeFile(join(secretsDir, cluster, 'app-config'), JSON.stringify({ api_key: values.apiKey, other: 'x' }));
        writeFile(join(secretsDir, 's3', cluster, 'app.env'), `# from S3\nS3_VAR=${values.s3Var}\nSHARED=from-s3\n`);
        writeFile(path('env/local.env'), `LOCAL_VAR=${values.localVar}\nSHARED=from-local\nPLAIN=from-file\n`);
        // The controller inherits this process's environment.
        process.env[tokenVariable] = values.apiToken;
        writeManifests(dir, {
            'cluster.yaml': clusterWithManifestsAllowed(cluster, dir),
            'taskdef.yaml': taskDefinition('app-td', `      image: berth/busybox:1
      command: [sleep, '3600']
      environment:
        - {name: PLAIN, value: from-environment}
      environmentFiles:
        - {value: "arn:aws:s3:::${cluster}/app.env", type: s3}
        - {value: env/local.env, type: s3}
      secrets:
        - {name: DB_PASSWORD, valueFrom: "${SM}:${cluster}/db/password-AbCdEf"}
        - {name: API_TOKEN, valueFrom: "sec/${cluster}/api-token"}
        - {name: API_KEY, valueFrom: "${SM}:${cluster}/app-config:api_key::"}
`),
            'service.yaml': service('app', { cluster, taskDefinition: 'app-td' }),
        });
    });
    after(() => {
        delete process.env[tokenVariable];
    });
    test('the container gets every value; no byte berth produced holds one', async () => {
        const controller = start(['--secrets-dir', secretsDir]);
        await waitFor('the task running', () => serviceStatus(path('service.yaml'), 'app')?.runningCount === 1, { controller, timeoutMs: 90_000 });
        const [container] = await running(cluster, 'service:app');
        assert.ok(container);
        const check = [
            'test "$DB_PASSWORD" = "$1"',
            'test "$API_TOKEN" = "$2"',
            'test "$API_KEY" = "$3"',
            'test "$S3_VAR" = "$4"',
            'test "$LOCAL_VAR" = "$5"',
            // environment wins over the files; the first file wins over the second.
            'test "$PLAIN" = from-environment',
            'test "$SHARED" = from-s3',
        ].join(' && ');
        const args = [values.dbPassword, values.apiToken, values.apiKey, values.s3Var, values.localVar];
        assert.equal(await execExitCode(container.id, check, args), 0, 'the container sees the expected environment');
        assert.equal(await execExitCode(container.id, check, args.map((v) => `${v}-wrong`)), 1, 'the check can fail');
        const produced = [
            ['controller output', controller.output()],
            ['berth get services -o yaml', execFileSync(process.execPath, [BERTH, 'get', 'services', '-m', dir, '-o', 'yaml'], { encoding: 'utf8' })],
            ['berth get tasks', execFileSync(process.execPath, [BERTH, 'get', 'tasks', '-m', dir], { encoding: 'utf8' })],
            ['berth get taskdefinitions -o json', execFileSync(process.execPath, [BERTH, 'get', 'taskdefinitions', '-m', dir, '-o', 'json'], { encoding: 'utf8' })],
            ['container labels', JSON.stringify(container.labels)],
            // Everything in the manifests directory (status blocks, the .berth state directory), but the user's own env file.
            ...filesBelow(dir)
                .filter((file) => file !== path('env/local.env'))
                .map((file) => [file, readFileSync(file, 'utf8')]),
        ];
        assert.ok(produced.some(([where]) => where.includes('.berth')), 'the state directory is searched');
        assert.ok(produced.some(([, text]) => text.includes('app-td:1')), 'the output is the real thing');
        for (const [where, text] of produced) {
            for (const [name, value] of Object.entries(values))
                assert.ok(!text.includes(value), `${where} holds the value of ${name}`);
        }
    });
});
describe('launch failures name what is missing; pull policies; registry logins', () => {
    const { cluster, dir, path, start } = testCluster('secf');
    const secretsDir = scratchDir();
    const password = secretValue('registry-password');
    const providers = { never: uniqueName('secnever'), cached: uniqueName('seccached'), always: uniqueName('secalways') };
    let closedPort = 0;
    let localTag = '';
    let registry;
    before(async () => {
        closedPort = await freePort();
        localTag = `127.0.0.1:${closedPort}/sec/busybox:${randomBytes(3).toString('hex')}`;
        const [repo, tag] = [localTag.slice(0, localTag.lastIndexOf(':')), localTag.slice(localTag.lastIndexOf(':') + 1)];
        await docker.getImage('berth/busybox:1').tag({ repo, tag });
        registry = await basicAuthRegistry();
        writeFile(join(secretsDir, 'sec/registry-login'), JSON.stringify({ username: 'sec-robot', password }));
        const provider = (name, policy) => `apiVersion: berth/v1\nkind: CapacityProvider\nmetadata:\n  name: ${name}\nspec:\n  imagePullPolicy: ${policy}\n`;
        const sleeper = (image, extra = '') => `      image: "${image}"\n      command: [sleep, '3600']\n${extra}`;
        writeManifests(dir, {
            'cluster.yaml': clusterWithManifestsAllowed(cluster, dir),
            'providers.yaml': [provider(providers.never, 'never'), provider(providers.cached, 'if-not-present'), provider(providers.always, 'always')].join('---\n'),
            'missing-secret.yaml': [
                taskDefinition('missing-secret-td', sleeper('berth/busybox:1', `      secrets:\n        - {name: DB_PASSWORD, valueFrom: "${SM}:sec/absent-Q1w2E3"}\n`)),
                service('missing-secret', { cluster, taskDefinition: 'missing-secret-td' }),
            ].join('---\n'),
            'missing-envfile.yaml': [
                taskDefinition('missing-envfile-td', sleeper('berth/busybox:1', '      environmentFiles:\n        - {value: env/absent.env, type: s3}\n')),
                service('missing-envfile', { cluster, taskDefinition: 'missing-envfile-td' }),
            ].join('---\n'),
            'never.yaml': [taskDefinition('never-td', sleeper(`127.0.0.1:${closedPort}/sec/absent:1`)), service('never', { cluster, taskDefinition: 'never-td', provider: providers.never })].join('---\n'),
            'cached.yaml': [taskDefinition('cached-td', sleeper(localTag)), service('cached', { cluster, taskDefinition: 'cached-td', provider: providers.cached })].join('---\n'),
            'always.yaml': [taskDefinition('always-td', sleeper(localTag)), service('always', { cluster, taskDefinition: 'always-td', provider: providers.always })].join('---\n'),
            'private.yaml': [
                taskDefinition('private-td', sleeper(`${registry.host}/sec/private:1`, `      repositoryCredentials:\n        credentialsParameter: "${SM}:sec/registry-login"\n`)),
                service('private', { cluster, taskDefinition: 'private-td' }),
            ].join('---\n'),
        });
    });
    after(async () => {
        await registry?.close();
        removeDir(secretsDir);
        // Only the tag goes: berth/busybox:1 keeps the image.
        if (localTag)
            await docker.getImage(localTag).remove({ noprune: true }).catch(() => docker.getImage(localTag).remove({ force: true, noprune: true }).catch(() => undefined));
    });
    let controller;
    const reasonOf = (name, pattern) => waitFor(`the stopped reason of ${name}`, () => {
        const reason = stoppedReason(serviceStatus(path(`${name}.yaml`), name));
        return reason && pattern.test(reason) ? reason : undefined;
    }, { controller, timeoutMs: 90_000 });
    test('a missing secret stops the task with ResourceInitializationError naming the reference, in the service status', async () => {
        controller = start(['--secrets-dir', secretsDir]);
        const reason = await reasonOf('missing-secret', /^ResourceInitializationError/);
        assert.equal(reason, `ResourceInitializationError: unable to pull secrets or registry auth: secret "sec/absent-Q1w2E3" or "sec/absent" (from valueFrom "${SM}:sec/absent-Q1w2E3") ` +
            `not found in the secrets directory ${secretsDir} or as BERTH_SECRET_SEC_ABSENT_Q1W2E3 or BERTH_SECRET_SEC_ABSENT`);
        const status = serviceStatus(path('missing-secret.yaml'), 'missing-secret');
        assert.equal(status?.stoppedTasks?.[0]?.stopCode, 'TaskFailedToStart');
        assert.deepEqual(await running(cluster, 'service:missing-secret'), []);
    });
    test('a missing environment file stops the task naming the path', async () => {
        const reason = await reasonOf('missing-envfile', /^ResourceInitializationError/);
        assert.equal(reason, `ResourceInitializationError: failed to download env files: "env/absent.env" (file ${path('env/absent.env')}) not found`);
    });
    test('pull policy never: a missing image is not pulled', async () => {
        const reason = await reasonOf('never', /^CannotPullContainerError/);
        assert.equal(reason, `CannotPullContainerError: image "127.0.0.1:${closedPort}/sec/absent:1" is not present on engine unix:///var/run/docker.sock and the pull policy is never`);
    });
    test('a present image runs under if-not-present and is pulled (and fails) under always', async () => {
        await waitFor('the cached service running', () => serviceStatus(path('cached.yaml'), 'cached')?.runningCount === 1, { controller, timeoutMs: 90_000 });
        const reason = await reasonOf('always', /^CannotPullContainerError/);
        assert.match(reason, new RegExp(`^CannotPullContainerError: engine .*: pull image "${localTag.replace(/[.]/g, '\\.')}": .*connection refused`));
        assert.deepEqual(await running(cluster, 'service:always'), []);
    });
    test('repositoryCredentials: the registry sees the login, the stopped reason never the password', async () => {
        const reason = await reasonOf('private', /^CannotPullContainerError/);
        assert.match(reason, /manifest unknown/);
        assert.ok(registry.authorizations().includes(`Basic ${Buffer.from(`sec-robot:${password}`).toString('base64')}`), `the registry saw ${registry.authorizations().join(', ')}`);
        assert.ok(!reason.includes(password));
        assert.ok(!controller.output().includes(password), 'the controller output never holds the password');
        for (const file of filesBelow(dir))
            assert.ok(!readFileSync(file, 'utf8').includes(password), `${file} holds the password`);
    });
    test('failing pulls back off: launches spaced out, the service says it cannot start tasks', async () => {
        const status = await waitFor('the unstable-service event', () => {
            const s = serviceStatus(path('always.yaml'), 'always');
            return s?.events.some((e) => e.message === '(service always) is unable to consistently start tasks successfully.') ? s : undefined;
        }, { controller, timeoutMs: 90_000 });
        assert.ok(status.conditions.some((c) => c.type === 'Steady' && c.reason === 'TasksFailing'));
        await waitFor('five launches', () => launchTimes(controller, 'always').length >= 5, { controller, timeoutMs: 90_000 });
        const launches = launchTimes(controller, 'always');
        const gaps = launches.slice(1).map((t, i) => t - launches[i]);
        assert.ok(gaps.at(-1) > gaps[0], `gaps between launches grow: ${gaps.join(', ')} ms`);
    });
});
function launchTimes(controller, service) {
    return logLines(controller)
        .filter((l) => l.msg === 'launching tasks' && l.name === service)
        .map((l) => Number(l.time));
}
/** A port nothing listens on: a registry there refuses the connection at once. */
async function freePort() {
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(() => resolve()));
    return port;
}
//# sourceMappingURL=secrets.test.js.map