import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { createLogger, silentLogger } from '../../controller/log.js';
import { CredentialsTokens, ecsRoleCredentials, parseCredentialsPath } from '../../controller/metadata/credentials.js';
import { MetadataServer } from '../../controller/metadata/server.js';
import { EndpointTokens } from '../../controller/metadata/tokens.js';
import { MemoryRuntime } from '../../controller/runtime/memory.js';
import { readRoleCredentials, roleNameFromArn, STATIC_KEYS_REFRESH_MS } from '../../controller/secrets/roles.js';
const KEY = Buffer.alloc(32, 9);
const TASK_A = 'a'.repeat(32);
const TASK_B = 'b'.repeat(32);
const ROLE_A = 'arn:aws:iam::123456789012:role/orders';
const ROLE_B = 'arn:aws:iam::123456789012:role/billing';
const NOW = Date.parse('2030-05-01T10:00:00Z');
describe('task role credentials: ids', () => {
    const tokens = new CredentialsTokens(KEY);
    test('an id opens its own task and role only', () => {
        const id = tokens.credentialsId({ taskId: TASK_A, roleArn: ROLE_A });
        assert.match(id, /^a{32}\.[0-9a-f]{32}$/);
        assert.equal(tokens.claimedTaskId(id), TASK_A);
        assert.ok(tokens.verify(id, { taskId: TASK_A, roleArn: ROLE_A }));
        assert.ok(!tokens.verify(id, { taskId: TASK_A, roleArn: ROLE_B }), 'another role');
        assert.ok(!tokens.verify(id, { taskId: TASK_B, roleArn: ROLE_A }), 'another task');
        const otherMac = tokens.credentialsId({ taskId: TASK_B, roleArn: ROLE_A }).split('.')[1];
        assert.ok(!tokens.verify(`${TASK_A}.${otherMac}`, { taskId: TASK_A, roleArn: ROLE_A }), 'a mac moved over from another task');
        assert.ok(!new CredentialsTokens(Buffer.alloc(32, 1)).verify(id, { taskId: TASK_A, roleArn: ROLE_A }), 'another key');
        for (const malformed of ['', TASK_A, `${TASK_A}.`, `${TASK_A}.${'0'.repeat(31)}`, `${TASK_A}.${'G'.repeat(32)}`, `../${id}`]) {
            assert.equal(tokens.claimedTaskId(malformed), undefined, malformed);
            assert.ok(!tokens.verify(malformed, { taskId: TASK_A, roleArn: ROLE_A }), malformed);
        }
    });
    test('no metadata id is a credentials id: the two are in separate domains of one key', () => {
        const metadataMac = new EndpointTokens(KEY).endpointId({ taskId: TASK_A, container: 'web' }).split('.').at(-1);
        assert.ok(!tokens.verify(`${TASK_A}.${metadataMac}`, { taskId: TASK_A, roleArn: ROLE_A }));
    });
    test('only /v2/credentials/<id> is a credentials path', () => {
        assert.equal(parseCredentialsPath('/v2/credentials/abc.def'), 'abc.def');
        assert.equal(parseCredentialsPath('/v2/credentials/abc.def/'), 'abc.def');
        assert.equal(parseCredentialsPath('/v2/credentials/abc.def?x=1'), 'abc.def');
        for (const other of ['/v2/credentials/', '/v2/credentials/a/b', '/v4/abc', '/v2/credential/abc'])
            assert.equal(parseCredentialsPath(other), undefined, other);
    });
});
describe('task role credentials: the mapping', () => {
    const secretsDir = mkdtempSync(join(tmpdir(), 'berth-roles-'));
    after(() => rmSync(secretsDir, { recursive: true, force: true }));
    mkdirSync(join(secretsDir, 'roles'));
    const read = (roleArn) => readRoleCredentials({ secretsDir, roleArn, now: () => NOW });
    test('the role name is the last segment of an IAM role ARN, whatever its path', () => {
        assert.equal(roleNameFromArn('arn:aws:iam::123456789012:role/orders'), 'orders');
        assert.equal(roleNameFromArn('arn:aws:iam::123456789012:role/service-role/team/orders+v2@x'), 'orders+v2@x');
        assert.equal(roleNameFromArn('arn:aws-cn:iam::123456789012:role/orders'), 'orders');
        for (const other of ['orders', 'arn:aws:iam::123456789012:user/orders', 'arn:aws:iam::123456789012:role/', 'arn:aws:s3:::bucket']) {
            assert.equal(roleNameFromArn(other), undefined, other);
        }
    });
    test('static keys: Token or SessionToken, and an expiry one refresh interval ahead when the file has none', async () => {
        writeFileSync(join(secretsDir, 'roles', 'static.json'), '\uFEFF{"AccessKeyId":"AKIDSTATIC","SecretAccessKey":"s3cret"}\n');
        assert.deepEqual(await read('arn:aws:iam::123456789012:role/static'), {
            accessKeyId: 'AKIDSTATIC',
            secretAccessKey: 's3cret',
            expiration: new Date(NOW + STATIC_KEYS_REFRESH_MS).toISOString().replace('.000Z', 'Z'),
        });
        writeFileSync(join(secretsDir, 'roles', 'session.json'), '{"AccessKeyId":"ASIA1","SecretAccessKey":"s","Token":"t","Expiration":"2031-01-01T00:00:00Z"}');
        assert.deepEqual(await read('arn:aws:iam::123456789012:role/path/session'), { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't', expiration: '2031-01-01T00:00:00Z' });
    });
    test('a command prints credential_process output; a failing one is named with its status, not its output', async () => {
        const command = join(secretsDir, 'roles', 'process.cmd');
        writeFileSync(command, '#!/bin/sh\necho \'{"Version":1,"AccessKeyId":"ASIA2","SecretAccessKey":"s2","SessionToken":"t2","Expiration":"2031-02-01T00:00:00Z"}\'\n');
        chmodSync(command, 0o700);
        assert.deepEqual(await read('arn:aws:iam::123456789012:role/process'), { accessKeyId: 'ASIA2', secretAccessKey: 's2', sessionToken: 't2', expiration: '2031-02-01T00:00:00Z' });
        const failing = join(secretsDir, 'roles', 'failing.cmd');
        writeFileSync(failing, '#!/bin/sh\necho LEAKED-ON-STDERR >&2\nexit 3\n');
        chmodSync(failing, 0o700);
        await assert.rejects(read('arn:aws:iam::123456789012:role/failing'), (error) => {
            assert.match(error.message, /failing\.cmd exited with status 3/);
            assert.ok(!error.message.includes('LEAKED'));
            return true;
        });
    });
    test('refusals name the role and where berth looked, never a value', async () => {
        await assert.rejects(read('arn:aws:iam::123456789012:role/nobody'), (error) => {
            assert.equal(error.message, `ECS was unable to assume the role 'arn:aws:iam::123456789012:role/nobody' that was provided for this task: no credentials are mapped to role "nobody": ` +
                `neither ${join(secretsDir, 'roles', 'nobody.json')} nor ${join(secretsDir, 'roles', 'nobody.cmd')} exists`);
            return true;
        });
        await assert.rejects(readRoleCredentials({ secretsDir: undefined, roleArn: 'arn:aws:iam::123456789012:role/nobody', now: () => NOW }), /no secrets directory is set \(--secrets-dir\); put them in roles\/nobody\.json or roles\/nobody\.cmd there/);
        await assert.rejects(read('not-an-arn'), /it is not an IAM role ARN/);
        writeFileSync(join(secretsDir, 'roles', 'broken.json'), '{"AccessKeyId":"AKIDBROKENVALUE", "SecretAccessKey":');
        await assert.rejects(read('arn:aws:iam::123456789012:role/broken'), (error) => {
            assert.match(error.message, /broken\.json is not JSON$/);
            assert.ok(!error.message.includes('AKIDBROKENVALUE'));
            return true;
        });
        writeFileSync(join(secretsDir, 'roles', 'partial.json'), '{"AccessKeyId":"AKIDPARTIAL"}');
        await assert.rejects(read('arn:aws:iam::123456789012:role/partial'), /partial\.json must hold AccessKeyId and SecretAccessKey$/);
        writeFileSync(join(secretsDir, 'roles', 'expiry.json'), '{"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"}');
        await assert.rejects(read('arn:aws:iam::123456789012:role/expiry'), /Expiration must be an ISO 8601 time/);
        writeFileSync(join(secretsDir, 'roles', 'version.json'), '{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"}');
        await assert.rejects(read('arn:aws:iam::123456789012:role/version'), /Version must be 1/);
    });
});
describe('task role credentials: the endpoint', () => {
    const mapped = { accessKeyId: 'ASIAMAPPED', secretAccessKey: 'mapped-secret', sessionToken: 'mapped-token', expiration: '2031-01-01T00:00:00Z' };
    const credentialsTokens = new CredentialsTokens(KEY);
    const runtime = new MemoryRuntime();
    const context = (taskId, roleArn, networkMode) => ({
        cluster: 'c1',
        taskId,
        family: 'app',
        revision: 1,
        networkMode,
        desiredStatus: 'RUNNING',
        ...(roleArn ? { taskRoleArn: roleArn } : {}),
    });
    // 127.0.0.0/8 is all loopback on Linux: 127.0.0.5 and 127.0.0.6 stand in for two tasks' addresses.
    const tasks = new Map([
        [TASK_A, { runtime, containers: [], context: context(TASK_A, ROLE_A, 'bridge'), addresses: ['127.0.0.5'] }],
        [TASK_B, { runtime, containers: [], context: context(TASK_B, ROLE_B, 'awsvpc'), addresses: ['127.0.0.6'] }],
    ]);
    const server = new MetadataServer({
        address: { host: '127.0.0.1', port: 0 },
        fallbackToFreePort: false,
        tokens: new EndpointTokens(KEY),
        lookup: async (taskId) => tasks.get(taskId),
        logger: silentLogger,
        credentials: {
            tokens: credentialsTokens,
            read: async (roleArn) => {
                if (roleArn === ROLE_A)
                    return mapped;
                throw new Error(`ECS was unable to assume the role '${roleArn}' that was provided for this task: no credentials are mapped`);
            },
        },
    });
    after(() => server.stop());
    const get = (path, from) => new Promise((resolve, reject) => {
        const request = http.get({ host: '127.0.0.1', port: server.address.port, path, localAddress: from }, (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
        });
        request.on('error', reject);
    });
    const invalid = { code: 'InvalidIdInRequest', message: 'CredentialsV2Request: Credentials not found' };
    test('without the ECS credentials address, a task with a role is told a FULL_URI on its gateway; a task without one is not', async () => {
        await server.start();
        const port = server.address.port;
        const bridge = { taskId: TASK_A, container: 'web', networkMode: 'bridge', engineOnThisHost: true };
        const withRole = server.environment('172.18.0.1', { ...bridge, taskRoleArn: ROLE_A });
        assert.equal(withRole.AWS_CONTAINER_CREDENTIALS_FULL_URI, `http://172.18.0.1:${port}/v2/credentials/${credentialsTokens.credentialsId({ taskId: TASK_A, roleArn: ROLE_A })}`);
        assert.equal(withRole.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, undefined);
        const without = server.environment('172.18.0.1', bridge);
        assert.equal(without.AWS_CONTAINER_CREDENTIALS_FULL_URI, undefined);
        assert.equal(without.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, undefined);
    });
    test('ECS’s shape for the task itself; 400 for another task’s address, a forged id or a task without that role; the reason for an unmapped role', async () => {
        const idA = credentialsTokens.credentialsId({ taskId: TASK_A, roleArn: ROLE_A });
        const own = await get(`/v2/credentials/${idA}`, '127.0.0.5');
        assert.equal(own.status, 200);
        assert.deepEqual(own.body, { RoleArn: ROLE_A, AccessKeyId: 'ASIAMAPPED', SecretAccessKey: 'mapped-secret', Token: 'mapped-token', Expiration: '2031-01-01T00:00:00Z' });
        assert.deepEqual(await get(`/v2/credentials/${idA}`, '127.0.0.6'), { status: 400, body: invalid }, 'task B with task A’s id');
        assert.deepEqual(await get(`/v2/credentials/${idA}`, '127.0.0.1'), { status: 400, body: invalid }, 'the host with a bridge task’s id');
        const forged = `${TASK_A}.${credentialsTokens.credentialsId({ taskId: TASK_A, roleArn: ROLE_B }).split('.')[1]}`;
        assert.deepEqual(await get(`/v2/credentials/${forged}`, '127.0.0.5'), { status: 400, body: invalid }, 'task A asking for another role');
        assert.deepEqual(await get(`/v2/credentials/${TASK_A}.${'0'.repeat(32)}`, '127.0.0.5'), { status: 400, body: invalid });
        assert.deepEqual(await get(`/v2/credentials/${'c'.repeat(32)}.${'0'.repeat(32)}`, '127.0.0.5'), { status: 400, body: invalid }, 'a task that is not there');
        const idB = credentialsTokens.credentialsId({ taskId: TASK_B, roleArn: ROLE_B });
        const unmapped = await get(`/v2/credentials/${idB}`, '127.0.0.6');
        assert.equal(unmapped.status, 500);
        assert.deepEqual(Object.keys(unmapped.body), ['code', 'message'], 'no key is made up');
        assert.match(unmapped.body.message, /unable to assume the role 'arn:aws:iam::123456789012:role\/billing'/);
    });
    test('a host-mode task asks from the loopback address', async () => {
        tasks.set(TASK_A, { ...tasks.get(TASK_A), context: context(TASK_A, ROLE_A, 'host'), addresses: [] });
        const idA = credentialsTokens.credentialsId({ taskId: TASK_A, roleArn: ROLE_A });
        assert.equal((await get(`/v2/credentials/${idA}`, '127.0.0.1')).status, 200);
    });
    test('the response carries Token only when the mapped credentials have one', () => {
        assert.deepEqual(ecsRoleCredentials(ROLE_A, { accessKeyId: 'A', secretAccessKey: 'S', expiration: 'E' }), { RoleArn: ROLE_A, AccessKeyId: 'A', SecretAccessKey: 'S', Expiration: 'E' });
    });
});
/**
 * The rule AWS SDKs apply to the credentials URI of a container (the JS SDK's checkUrl in
 * @aws-sdk/credential-provider-http, botocore's and the Go and Rust SDKs' alike): a
 * RELATIVE_URI is read at http://169.254.170.2; a FULL_URI over https anywhere, over
 * plain http only on a loopback address, 169.254.170.2, 169.254.170.23 or [fd00:ec2::23].
 * Returns the URL the SDK would fetch, or why it refuses.
 */
function sdkCredentialsUrl(environment) {
    const relative = environment.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
    if (relative !== undefined)
        return { url: `http://169.254.170.2${relative}` };
    const full = environment.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    if (full === undefined)
        return { refused: 'no credentials variable' };
    const url = new URL(full);
    if (url.protocol === 'https:')
        return { url: full };
    if (['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]'].includes(url.hostname))
        return { url: full };
    if (url.hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname))
        return { url: full };
    return { refused: `URL not accepted. It must either be HTTPS or match one of the following: loopback CIDR 127.0.0.0/8 or [::1/128], ECS container host 169.254.170.2, EKS container host 169.254.170.23 or [fd00:ec2::23] (got ${url.hostname})` };
}
function recordingLogger() {
    const lines = [];
    const destination = new Writable({
        write(chunk, _encoding, done) {
            for (const line of chunk.toString().split('\n').filter(Boolean))
                lines.push(JSON.parse(line));
            done();
        },
    });
    return { logger: createLogger({ level: 'debug', destination }), lines };
}
describe('task role credentials: the URI a task is given is one AWS SDKs accept', () => {
    const credentialsTokens = new CredentialsTokens(KEY);
    const serverWith = (ecsEndpoint, logger = silentLogger) => new MetadataServer({
        address: { host: '0.0.0.0', port: 0 },
        fallbackToFreePort: false,
        tokens: new EndpointTokens(KEY),
        lookup: async () => undefined,
        logger,
        credentials: {
            tokens: credentialsTokens,
            read: async () => {
                throw new Error('not asked here');
            },
            // 127.0.0.1 on a free port stands in for 169.254.170.2:80: what is handed out does not depend on it.
            ecsEndpoint: { address: { host: '127.0.0.1', port: 0 }, ...ecsEndpoint },
        },
    });
    const subject = (networkMode, engineOnThisHost = true) => ({ taskId: TASK_A, container: 'web', taskRoleArn: ROLE_A, networkMode, engineOnThisHost });
    const id = credentialsTokens.credentialsId({ taskId: TASK_A, roleArn: ROLE_A });
    test('the SDK rule itself refuses a gateway address over http and takes ECS’s and loopback addresses', () => {
        assert.ok('refused' in sdkCredentialsUrl({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://172.18.0.1:51679/v2/credentials/x' }));
        assert.ok('refused' in sdkCredentialsUrl({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.3/x' }));
        for (const accepted of ['http://127.0.0.1:51679/x', 'http://169.254.170.2/x', 'http://169.254.170.23/x', 'http://[fd00:ec2::23]/x', 'http://[::1]:80/x', 'https://172.18.0.1/x']) {
            assert.deepEqual(sdkCredentialsUrl({ AWS_CONTAINER_CREDENTIALS_FULL_URI: accepted }), { url: accepted }, accepted);
        }
    });
    test('bridge and awsvpc tasks get a RELATIVE_URI, host-mode tasks a loopback FULL_URI: every SDK takes each', async () => {
        const assigned = [];
        const server = serverWith({ assign: async (host) => void assigned.push(host) });
        after(() => server.stop());
        await server.start();
        assert.deepEqual(assigned, ['127.0.0.1'], 'the address is assigned before listening');
        assert.ok(server.servesEcsCredentialsAddress);
        const port = server.address.port;
        for (const [networkMode, host] of [['bridge', '172.18.0.1'], ['awsvpc', '172.18.0.1']]) {
            const environment = server.environment(host, subject(networkMode));
            assert.equal(environment.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, `/v2/credentials/${id}`, networkMode);
            assert.equal(environment.AWS_CONTAINER_CREDENTIALS_FULL_URI, undefined, `${networkMode}: one variable, so SDKs cannot pick the other`);
            assert.deepEqual(sdkCredentialsUrl(environment), { url: `http://169.254.170.2/v2/credentials/${id}` }, networkMode);
        }
        const host = server.environment('127.0.0.1', subject('host'));
        assert.equal(host.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, undefined);
        assert.deepEqual(sdkCredentialsUrl(host), { url: `http://127.0.0.1:${port}/v2/credentials/${id}` });
        // A remote engine's containers would reach their own host at 169.254.170.2, not this one.
        const remote = server.environment('10.0.0.1', subject('bridge', false));
        assert.equal(remote.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, undefined);
    });
    test('when the address cannot be set up: one warning saying why, and the gateway FULL_URI of before', async () => {
        const { logger, lines } = recordingLogger();
        const server = serverWith({ assign: async () => Promise.reject(new Error('cannot add 169.254.170.2/32 to lo (ip addr add): RTNETLINK answers: Operation not permitted')) }, logger);
        after(() => server.stop());
        await server.start();
        assert.ok(!server.servesEcsCredentialsAddress);
        const warnings = lines.filter((line) => line.level === 40);
        assert.equal(warnings.length, 1, JSON.stringify(warnings));
        assert.match(warnings[0].msg, /Operation not permitted.*AWS_CONTAINER_CREDENTIALS_FULL_URI.*AWS SDKs refuse.*--credentials-endpoint off/);
        const environment = server.environment('172.18.0.1', subject('bridge'));
        assert.equal(environment.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, undefined);
        assert.equal(environment.AWS_CONTAINER_CREDENTIALS_FULL_URI, `http://172.18.0.1:${server.address.port}/v2/credentials/${id}`);
        assert.ok('refused' in sdkCredentialsUrl(environment), 'the documented fallback: plain HTTP clients only');
    });
    test('port taken: the warning names it', async () => {
        const holder = http.createServer();
        await new Promise((resolve) => holder.listen(0, '127.0.0.1', resolve));
        after(() => holder.close());
        const { logger, lines } = recordingLogger();
        const server = serverWith({ address: { host: '127.0.0.1', port: holder.address().port }, assign: async () => undefined }, logger);
        after(() => server.stop());
        await server.start();
        assert.ok(!server.servesEcsCredentialsAddress);
        const warning = lines.find((line) => line.level === 40);
        assert.match(warning?.reason ?? '', /is in use/);
        assert.ok(server.environment('172.18.0.1', subject('awsvpc')).AWS_CONTAINER_CREDENTIALS_FULL_URI);
    });
});
describe('--credentials-endpoint', () => {
    test('takes 169.254.170.2 or off only: SDKs read a RELATIVE_URI nowhere else', () => {
        const berth = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'berth.js');
        const manifests = mkdtempSync(join(tmpdir(), 'berth-flag-'));
        after(() => rmSync(manifests, { recursive: true, force: true }));
        const run = spawnSync(process.execPath, [berth, 'controller', '--manifests', manifests, '--credentials-endpoint', '10.0.0.1'], { encoding: 'utf8', timeout: 30_000 });
        assert.equal(run.status, 1, run.stderr);
        assert.match(run.stderr, /"10\.0\.0\.1" is not 169\.254\.170\.2 or off: AWS SDKs read AWS_CONTAINER_CREDENTIALS_RELATIVE_URI at 169\.254\.170\.2 only/);
    });
});
//# sourceMappingURL=task-role.test.js.map