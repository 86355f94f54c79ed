/**
 * The local secrets provider: how ECS references name local secrets, the .env format,
 * lookups in the secrets directory and the environment, precedence of the variables a
 * container gets, and that no value ever reaches a message or the config hash.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { taskContainerSpecs } from '../../controller/taskspec/containerSpecs.js';
import { Ledger } from '../../controller/state/ledger.js';
import { checkHostPath } from '../../controller/taskspec/hostPaths.js';
import { launchTask } from '../../controller/executor/launcher.js';
import { silentLogger } from '../../controller/log.js';
import { LABEL } from '../../controller/runtime/labels.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { envFileLocation, mergeEnvFiles, parseEnvFile, resolveRegistryAuth, resolveSecretOptions, resolveTaskEnvironment, ResourceInitializationError, secretEnvVar, secretReference, SecretReferenceError, SecretsProvider, } from '../../controller/secrets/index.js';
import { formatManifestError, parseManifestText } from '../../controller/store/parse.js';
const SM = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret';
const SSM = 'arn:aws:ssm:eu-central-1:123456789012:parameter';
function scratch() {
    const dir = mkdtempSync(join(tmpdir(), 'berth-secrets-unit-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
}
function write(dir, name, text) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
}
describe('valueFrom → local secret name', () => {
    const rows = [
        [`${SM}:prod/db/password-AbCdEf`, ['prod/db/password-AbCdEf', 'prod/db/password']],
        [`${SM}:prod/db/password`, ['prod/db/password']],
        [`${SM}:wordpress-db-7HjK9l:username::`, ['wordpress-db-7HjK9l', 'wordpress-db'], { jsonKey: 'username' }],
        // "config" has six characters: it could be the random suffix, so "app" is the second guess.
        [`${SM}:app-config:api_key:AWSPREVIOUS:`, ['app-config', 'app'], { jsonKey: 'api_key', ignoredVersion: 'version-stage AWSPREVIOUS' }],
        [`${SM}:app-cfg::AWSCURRENT:0123-abcd`, ['app-cfg'], { ignoredVersion: 'version-stage AWSCURRENT, version-id 0123-abcd' }],
        [`${SSM}/payments/stripe-api-key`, ['payments/stripe-api-key']],
        [`${SSM}/top`, ['top']],
        ['/datadog/api-key', ['datadog/api-key']],
        ['plain-name', ['plain-name']],
    ];
    for (const [valueFrom, names, extra] of rows) {
        test(valueFrom, () => {
            assert.deepEqual(secretReference(valueFrom), { valueFrom, names, ...extra });
        });
    }
    const refused = [
        [`${SM}:../etc/passwd`, /without empty, "\." or "\.\." parts/],
        ['/a/../../b', /"\.\." parts/],
        ['a//b', /empty/],
        [`arn:aws:secretsmanager:eu-central-1:123456789012:parameter/x`, /not a Secrets Manager ARN/],
        [`arn:aws:ssm:eu-central-1:123456789012:document/x`, /not a Parameter Store ARN/],
        ['arn:aws:s3:::bucket/key', /neither a Secrets Manager nor a Parameter Store reference/],
    ];
    for (const [valueFrom, message] of refused) {
        test(`refused: ${valueFrom}`, () => {
            assert.throws(() => secretReference(valueFrom), (error) => error instanceof SecretReferenceError && message.test(error.message));
        });
    }
    test('environment variable names: upper case, every other character as _', () => {
        assert.equal(secretEnvVar('prod/db-password'), 'BERTH_SECRET_PROD_DB_PASSWORD');
        assert.equal(secretEnvVar('api.key@2'), 'BERTH_SECRET_API_KEY_2');
    });
    test('environment file locations: S3 objects below s3/ of the secrets directory, anything else a path', () => {
        assert.deepEqual(envFileLocation('arn:aws:s3:::payments-config/worker.env'), { kind: 's3', name: 's3/payments-config/worker.env' });
        assert.deepEqual(envFileLocation('config/app.env'), { kind: 'path', path: 'config/app.env' });
        assert.throws(() => envFileLocation('arn:aws:s3:::bucket-only'), /not an S3 object ARN/);
        assert.throws(() => envFileLocation('arn:aws:s3:::bucket/../../x.env'), /"\.\." parts/);
    });
});
describe('.env files', () => {
    test('VAR=VALUE lines; comments and blank lines skipped; no quote processing; split at the first =', () => {
        const parsed = parseEnvFile('# a comment\n\nA=1\nB="two"\nC=x=y\r\n   \nD= spaced \nA=again\n');
        assert.deepEqual(parsed, { variables: { A: 'again', B: '"two"', C: 'x=y', D: ' spaced ' }, skippedLines: [] });
    });
    test('lines without a name, a value or an = are skipped and counted by number only', () => {
        assert.deepEqual(parseEnvFile('OK=1\nno-equals\n=value\nEMPTY=\n'), { variables: { OK: '1' }, skippedLines: [2, 3, 4] });
    });
    test('across files the first file that defines a variable wins', () => {
        assert.deepEqual(mergeEnvFiles([{ A: 'first', B: 'b' }, { A: 'second', C: 'c' }]), { A: 'first', B: 'b', C: 'c' });
    });
});
describe('SecretsProvider', () => {
    const dir = scratch();
    write(dir, 'prod/db/password', 'from-the-file\n');
    write(dir, 'shared', 'file-wins\n');
    write(dir, 'config.json', '{"api_key":"k-123","port":8080}');
    write(dir, 'not-json', 'plain text secret');
    const provider = new SecretsProvider({ dir, env: { BERTH_SECRET_SHARED: 'env-loses', BERTH_SECRET_ONLY_ENV: 'from-env' } });
    test('a file, its one trailing newline trimmed; the directory wins over the environment', async () => {
        assert.equal(await provider.resolve(`${SM}:prod/db/password-AbCdEf`), 'from-the-file');
        assert.equal(await provider.resolve('/shared'), 'file-wins');
        assert.equal(await provider.resolve(`${SSM}/only-env`), 'from-env');
    });
    test('a JSON key selects one field; other JSON values come as JSON text', async () => {
        assert.equal(await provider.resolve(`${SM}:config.json:api_key::`), 'k-123');
        assert.equal(await provider.resolve(`${SM}:config.json:port::`), '8080');
    });
    test('a missing secret names the reference, the directory and the variable', async () => {
        await assert.rejects(provider.resolve(`${SM}:prod/api-token-Q1w2E3`), (error) => {
            assert.ok(error instanceof ResourceInitializationError);
            assert.equal(error.message, `unable to pull secrets or registry auth: secret "prod/api-token-Q1w2E3" or "prod/api-token" (from valueFrom "${SM}:prod/api-token-Q1w2E3") ` +
                `not found in the secrets directory ${dir} or as BERTH_SECRET_PROD_API_TOKEN_Q1W2E3 or BERTH_SECRET_PROD_API_TOKEN`);
            return true;
        });
        await assert.rejects(new SecretsProvider({ env: {} }).resolve('x'), /not found as BERTH_SECRET_X \(no secrets directory is set: --secrets-dir\)/);
    });
    test('JSON key errors never quote the value', async () => {
        await assert.rejects(provider.resolve(`${SM}:not-json:k::`), (error) => {
            assert.match(String(error), /is not a JSON object, so its key "k" cannot be selected/);
            assert.ok(!String(error).includes('plain text secret'));
            return true;
        });
        await assert.rejects(provider.resolve(`${SM}:config.json:missing::`), /has no key "missing"/);
    });
    test('registry credentials are a JSON username and password; a malformed value is not quoted', async () => {
        const registry = new SecretsProvider({ env: { BERTH_SECRET_REG: '{"username":"robot","password":"pw-1"}', BERTH_SECRET_BAD: 'pw-only-oops' } });
        assert.deepEqual(await resolveRegistryAuth('/reg', registry), { username: 'robot', password: 'pw-1' });
        await assert.rejects(resolveRegistryAuth('/bad', registry), (error) => {
            assert.match(String(error), /are not a JSON object with string fields "username" and "password"/);
            assert.ok(!String(error).includes('pw-only-oops'));
            return true;
        });
    });
    test('logConfiguration.secretOptions resolve to { option: value }', async () => {
        assert.deepEqual(await resolveSecretOptions([{ name: 'splunk-token', valueFrom: `${SM}:config.json:api_key::` }], provider), { 'splunk-token': 'k-123' });
        assert.deepEqual(await resolveSecretOptions(undefined, provider), {});
        await assert.rejects(resolveSecretOptions([{ name: 'x', valueFrom: '/nope' }], provider), ResourceInitializationError);
    });
});
const identity = { cluster: 'c', group: 'service:web', taskId: '0123456789abcdef0123456789abcdef', family: 'web', revision: 1, capacityProvider: 'local' };
describe('a container environment', () => {
    const secretsDir = scratch();
    const manifestsDir = scratch();
    write(secretsDir, 's3/bucket/one.env', 'SHARED=from-s3\nONLY_S3=s3\n');
    write(manifestsDir, 'env/local.env', 'SHARED=from-local\nLOCAL=local-value\nPLAIN=from-file\n');
    write(secretsDir, 'db', 'hunter2\n');
    const spec = {
        containerDefinitions: [
            {
                name: 'app',
                image: 'berth/busybox:1',
                environment: [{ name: 'PLAIN', value: 'from-environment' }],
                environmentFiles: [
                    { value: 'arn:aws:s3:::bucket/one.env', type: 's3' },
                    { value: 'env/local.env', type: 's3' },
                ],
                secrets: [{ name: 'DB_PASSWORD', valueFrom: `${SM}:db-AbCdEf` }],
            },
            { name: 'sidecar', image: 'berth/busybox:1' },
        ],
    };
    const provider = new SecretsProvider({ dir: secretsDir, env: {} });
    // Local environment files fall under the cluster's host path policy; this one allows the manifests.
    const checkLocalFile = (path) => checkHostPath(path, { allowedRoots: [manifestsDir] }, 'c');
    test('files (first wins) under environment under secrets', async () => {
        const resolved = await resolveTaskEnvironment(spec, { provider, baseDir: manifestsDir, checkLocalFile });
        assert.deepEqual(Object.keys(resolved), ['app']);
        const [app, sidecar] = taskContainerSpecs(spec, identity, { resolved });
        assert.deepEqual(app.env, { SHARED: 'from-s3', ONLY_S3: 's3', LOCAL: 'local-value', PLAIN: 'from-environment', DB_PASSWORD: 'hunter2' });
        assert.deepEqual(sidecar.env, {});
    });
    test('the config hash covers references, not values; no label holds a value', async () => {
        const resolved = await resolveTaskEnvironment(spec, { provider, baseDir: manifestsDir, checkLocalFile });
        const withValues = taskContainerSpecs(spec, identity, { resolved })[0];
        const rotated = taskContainerSpecs(spec, identity, { resolved: { app: { fromFiles: {}, secrets: { DB_PASSWORD: 'rotated' } } } })[0];
        const withoutValues = taskContainerSpecs(spec, identity, {})[0];
        assert.equal(withValues.labels[LABEL.configHash], rotated.labels[LABEL.configHash]);
        assert.equal(withValues.labels[LABEL.configHash], withoutValues.labels[LABEL.configHash]);
        const otherReference = structuredClone(spec);
        otherReference.containerDefinitions[0].secrets = [{ name: 'DB_PASSWORD', valueFrom: `${SM}:db-v2` }];
        assert.notEqual(taskContainerSpecs(otherReference, identity, {})[0].labels[LABEL.configHash], withValues.labels[LABEL.configHash]);
        for (const label of Object.values(withValues.labels))
            for (const value of ['hunter2', 'from-s3', 'local-value'])
                assert.ok(!label.includes(value));
    });
    test('a container without secrets or files hashes as it did before they existed', () => {
        const plain = { containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', environment: [{ name: 'A', value: '1' }] }] };
        // The hash this exact config had before secrets were mapped: a change would redeploy every running task.
        assert.equal(taskContainerSpecs(plain, identity, { resolved: {} })[0].labels[LABEL.configHash], 'a7594df9c9b1c3d8');
    });
    test('a missing environment file names the path', async () => {
        const missing = structuredClone(spec);
        missing.containerDefinitions[0].environmentFiles = [{ value: 'env/absent.env', type: 's3' }];
        await assert.rejects(resolveTaskEnvironment(missing, { provider, baseDir: manifestsDir, checkLocalFile }), {
            message: `failed to download env files: "env/absent.env" (file ${join(manifestsDir, 'env/absent.env')}) not found`,
        });
    });
});
describe('launching a task on the in-memory engine', () => {
    function launch(runtime, spec, extra = {}) {
        const ledger = new Ledger(undefined);
        const outcome = launchTask({ runtime, identity, spec, ledger, logger: silentLogger, now: () => 0, ...extra });
        return outcome.then((result) => ({ result, stopped: ledger.get(identity.group).stopped[0] }));
    }
    const busybox = (image = 'berth/busybox:1') => ({ containerDefinitions: [{ name: 'app', image }] });
    test('a missing secret stops the task with ResourceInitializationError before anything is created', async () => {
        const runtime = new MemoryRuntime();
        const spec = { containerDefinitions: [{ name: 'app', image: 'berth/busybox:1', secrets: [{ name: 'X', valueFrom: '/absent' }] }] };
        const { result, stopped } = await launch(runtime, spec, { secrets: new SecretsProvider({ env: {} }) });
        assert.equal(result, 'failed');
        assert.equal(stopped?.stopCode, 'TaskFailedToStart');
        assert.match(stopped?.stoppedReason ?? '', /^ResourceInitializationError: unable to pull secrets or registry auth: secret "absent" \(from valueFrom "\/absent"\) not found/);
        assert.deepEqual(runtime.commands, []);
    });
    test('pull policy never: a missing image fails without a pull', async () => {
        const runtime = new MemoryRuntime({ engine: 'mem-never' });
        const { stopped } = await launch(runtime, busybox('berth/absent:1'), { imagePullPolicy: 'never' });
        assert.equal(stopped?.stoppedReason, 'CannotPullContainerError: image "berth/absent:1" is not present on engine mem-never and the pull policy is never');
        assert.ok(!runtime.commands.some((c) => c.op === 'pull'));
    });
    test('pull policy always pulls a present image; if-not-present does not', async () => {
        const always = new MemoryRuntime({ pullableImages: ['berth/busybox:1'] });
        assert.equal((await launch(always, busybox(), { imagePullPolicy: 'always' })).result, 'started');
        assert.deepEqual(always.commands.filter((c) => c.op === 'pull'), [{ op: 'pull', target: 'berth/busybox:1' }]);
        const cached = new MemoryRuntime();
        assert.equal((await launch(cached, busybox())).result, 'started');
        assert.ok(!cached.commands.some((c) => c.op === 'pull'));
    });
    test('repositoryCredentials reach the registry with the pull', async () => {
        const runtime = new MemoryRuntime();
        const seen = runtime.privateRegistry('127.0.0.1:5997');
        const spec = {
            containerDefinitions: [{ name: 'app', image: '127.0.0.1:5997/private/app:1', repositoryCredentials: { credentialsParameter: `${SM}:registry-login` } }],
        };
        const secrets = new SecretsProvider({ env: { BERTH_SECRET_REGISTRY_LOGIN: '{"username":"robot","password":"pw-9"}' } });
        const { stopped } = await launch(runtime, spec, { secrets });
        assert.deepEqual(seen, [`Basic ${Buffer.from('robot:pw-9').toString('base64')}`]);
        assert.match(stopped?.stoppedReason ?? '', /^CannotPullContainerError: .*manifest unknown/);
        assert.ok(!stopped?.stoppedReason?.includes('pw-9'));
    });
});
describe('validation of references', () => {
    const manifest = (container) => `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: app
      image: busybox
${container}`;
    test('a reference that names no local secret is an error at its line', () => {
        const result = parseManifestText('web.yaml', manifest(`      secrets:
        - name: A
          valueFrom: arn:aws:secretsmanager:eu-central-1:1:parameter/x
      environmentFiles:
        - {value: "arn:aws:s3:::bucket-only", type: s3}
      repositoryCredentials:
        credentialsParameter: /a/../b
`));
        assert.deepEqual(result.errors.map(formatManifestError), [
            'web.yaml:11:22: TaskDefinition/web: spec.containerDefinitions[0].secrets[0].valueFrom: "arn:aws:secretsmanager:eu-central-1:1:parameter/x" is not a Secrets Manager ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)',
            'web.yaml:13:19: TaskDefinition/web: spec.containerDefinitions[0].environmentFiles[0].value: "arn:aws:s3:::bucket-only" is not an S3 object ARN (arn:aws:s3:::bucket/key)',
            'web.yaml:15:31: TaskDefinition/web: spec.containerDefinitions[0].repositoryCredentials.credentialsParameter: "/a/../b" does not name a secret: names are paths like "prod/db/password", without empty, "." or ".." parts',
        ]);
    });
    test('a secret named like an environment variable, or twice, is refused as ECS does', () => {
        const result = parseManifestText('web.yaml', manifest(`      environment: [{name: TOKEN, value: x}]
      secrets:
        - {name: TOKEN, valueFrom: /token}
        - {name: DB, valueFrom: /db}
        - {name: DB, valueFrom: /db2}
`));
        assert.deepEqual(result.errors.map((e) => e.message), [
            'The secret name must be unique and not shared with any environment variables set on the container: "TOKEN" is also in environment',
            'The secret name must be unique: "DB" is set twice',
        ]);
    });
    test('at most 10 environment files', () => {
        const files = Array.from({ length: 11 }, (_, i) => `        - {value: f${i}.env, type: s3}`).join('\n');
        const result = parseManifestText('web.yaml', manifest(`      environmentFiles:\n${files}\n`));
        assert.equal(result.errors.length, 1);
        assert.match(result.errors[0].message, /10/);
    });
});
describe('whether a secrets provider is configured (the execution role warning)', () => {
    test('a secrets directory or one BERTH_SECRET_* variable configures it; other variables do not', () => {
        assert.equal(new SecretsProvider({ env: { PATH: '/bin', BERTH_LOG_FORMAT: 'json' } }).configured(), false);
        assert.equal(new SecretsProvider({ env: { BERTH_SECRET_PROD_DB: 'x' } }).configured(), true);
        assert.equal(new SecretsProvider({ dir: '/nowhere', env: {} }).configured(), true);
    });
    test('the first reference the provider serves is located: secrets, registry credentials, an S3 environment file, log secret options; a local environment file is not one', () => {
        const referenceOf = (container) => parseManifestText('td.yaml', `apiVersion: berth/v1\nkind: TaskDefinition\nmetadata:\n  name: td\nspec:\n  containerDefinitions:\n    - name: app\n      image: x\n${container}`).documents[0]?.secretReference;
        assert.equal(referenceOf('      environmentFiles:\n        - {value: ./app.env, type: s3}\n'), undefined);
        assert.equal(referenceOf(''), undefined);
        assert.equal(referenceOf('      environmentFiles:\n        - {value: ./app.env, type: s3}\n        - {value: "arn:aws:s3:::b/app.env", type: s3}\n')?.field, 'spec.containerDefinitions[0].environmentFiles[1]');
        const registry = referenceOf('      repositoryCredentials: {credentialsParameter: reg}\n      secrets:\n        - {name: A, valueFrom: a}\n');
        assert.equal(registry?.field, 'spec.containerDefinitions[0].repositoryCredentials');
        assert.equal(registry?.line, 9);
        assert.equal(referenceOf('      logConfiguration:\n        logDriver: json-file\n        secretOptions:\n          - {name: k, valueFrom: v}\n')?.field, 'spec.containerDefinitions[0].logConfiguration.secretOptions');
    });
});
//# sourceMappingURL=secrets.test.js.map