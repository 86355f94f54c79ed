import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BERTH, clusterManifest, docker, execIn, removeDir, running, scratchDir, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
import { fetchWithin } from '../fetchWithin.js';
/**
 * Task IAM roles: a task reads its role's credentials from the URI in its environment,
 * as an AWS SDK would: http://169.254.170.2 and AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.
 * busybox wget reads them as a client would; it shows no body of an error answer, so
 * statuses and error bodies are read over HTTP/1.0 through nc, as in metadata.test.ts.
 */
const HTTP_GET = `get() { u=\${1#http://}; hp=\${u%%/*}; p=/\${u#*/}; (printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\n\\r\\n' "$p" "$hp"; sleep 2) | nc -w 5 "\${hp%:*}" "\${hp##*:}"; }`;
/** Every credential value carries this, so a leak anywhere is found by one search. */
const MARKER = 'ROLEMARKER7q3z';
const ORDERS = {
    arn: 'arn:aws:iam::123456789012:role/service-role/orders-task',
    keys: { AccessKeyId: `AKIA${MARKER}ORDERS`, SecretAccessKey: `secret-${MARKER}-orders`, Token: `token-${MARKER}-orders`, Expiration: '2031-01-01T00:00:00Z' },
};
/** Mapped by a command that prints credential_process output. */
const BILLING = {
    arn: 'arn:aws:iam::123456789012:role/billing-task',
    keys: { Version: 1, AccessKeyId: `AKIA${MARKER}BILLING`, SecretAccessKey: `secret-${MARKER}-billing`, SessionToken: `session-${MARKER}-billing`, Expiration: '2031-02-01T00:00:00Z' },
};
const UNMAPPED_ARN = 'arn:aws:iam::123456789012:role/nobody-mapped-this';
function parseHttp(raw) {
    const split = raw.indexOf('\r\n\r\n');
    if (split < 0)
        throw new Error(`no HTTP answer: ${JSON.stringify(raw.slice(0, 200))}`);
    return { status: Number(raw.slice(0, split).split(' ')[1]), body: raw.slice(split + 4) };
}
async function getInside(containerId, url) {
    return parseHttp(await execIn(containerId, `${HTTP_GET}; get '${url}'`));
}
async function containerEnv(id) {
    const info = await docker.getContainer(id).inspect();
    return Object.fromEntries((info.Config.Env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}
async function freePort() {
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, '0.0.0.0', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(() => resolve()));
    return port;
}
/** Where an SDK reads a RELATIVE_URI; nc needs the port spelt out. */
const ECS_CREDENTIALS_BASE = 'http://169.254.170.2:80';
function roleService(options) {
    const taskDefinition = {
        apiVersion: 'berth/v1',
        kind: 'TaskDefinition',
        metadata: { name: `${options.name}-td` },
        spec: {
            taskRoleArn: options.roleArn,
            ...(options.networkMode ? { networkMode: options.networkMode } : {}),
            // Reads its credentials the moment it starts, as an SDK would, from the variable it was given.
            containerDefinitions: [
                {
                    name: 'app',
                    image: 'berth/busybox:1',
                    memory: 32,
                    stopTimeout: 1,
                    command: ['sh', '-c', `${HTTP_GET}; get "${ECS_CREDENTIALS_BASE}$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" > /tmp/creds.http; exec sleep 3600`],
                },
            ],
        },
    };
    return {
        [`${options.name}-td.json`]: JSON.stringify(taskDefinition, null, 2),
        [`${options.name}.yaml`]: `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: ${options.name}\nspec:\n  cluster: ${options.cluster}\n  taskDefinition: ${options.name}-td\n  desiredCount: 1\n`,
    };
}
/** Every file below a directory, with its text. */
function filesBelow(dir) {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .map((name) => join(dir, name))
        .filter((path) => statSync(path).isFile())
        .map((path) => ({ path, text: readFileSync(path, 'latin1') }));
}
describe('task IAM role credentials', () => {
    const { cluster, dir, path, start } = testCluster('role');
    const secretsDir = scratchDir();
    const stateDir = scratchDir();
    let controller;
    after(() => {
        removeDir(secretsDir);
        removeDir(stateDir);
    });
    before(async () => {
        mkdirSync(join(secretsDir, 'roles'));
        writeFileSync(join(secretsDir, 'roles', 'orders-task.json'), JSON.stringify(ORDERS.keys));
        const command = join(secretsDir, 'roles', 'billing-task.cmd');
        writeFileSync(command, `#!/bin/sh\ncat <<'EOF'\n${JSON.stringify(BILLING.keys)}\nEOF\n`);
        chmodSync(command, 0o700);
        writeManifests(dir, {
            'cluster.yaml': clusterManifest(cluster),
            ...roleService({ name: 'orders', cluster, roleArn: ORDERS.arn }),
            ...roleService({ name: 'billing', cluster, roleArn: BILLING.arn }),
            ...roleService({ name: 'orphan', cluster, roleArn: UNMAPPED_ARN }),
            ...roleService({ name: 'vpc', cluster, roleArn: ORDERS.arn, networkMode: 'awsvpc' }),
        });
        controller = start(['--metadata-address', `0.0.0.0:${await freePort()}`, '--credentials-endpoint', '169.254.170.2', '--secrets-dir', secretsDir, '--state-dir', stateDir]);
        // A bound for a loaded machine, not a speed requirement; the failure names what is missing.
        await waitFor('the four role services running', async () => {
            const missing = [];
            for (const service of ['orders', 'billing', 'orphan', 'vpc']) {
                if ((await running(cluster, `service:${service}`)).length === 1)
                    continue;
                const events = serviceStatus(path(`${service}.yaml`), service)?.events ?? [];
                missing.push(`${service} (events: ${JSON.stringify(events.slice(0, 2).map((e) => e.message))})`);
            }
            if (missing.length)
                throw new Error(`not running: ${missing.join('; ')}`);
            return true;
        }, { controller, timeoutMs: 180_000 });
    });
    /** What the task fetched at start, once it has. */
    const fetchedAtStart = async (service) => {
        const [container] = await running(cluster, `service:${service}`);
        assert.ok(container, `${service} runs`);
        const answer = await waitFor(`the credentials ${service} fetched at start`, async () => {
            const raw = await execIn(container.id, 'cat /tmp/creds.http 2>/dev/null');
            return raw.includes('\r\n\r\n') ? parseHttp(raw) : undefined;
        });
        const environment = await containerEnv(container.id);
        const relative = environment.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
        assert.ok(relative, 'the task is given AWS_CONTAINER_CREDENTIALS_RELATIVE_URI');
        assert.equal(environment.AWS_CONTAINER_CREDENTIALS_FULL_URI, undefined, 'and no FULL_URI beside it');
        return { containerId: container.id, answer, uri: `${ECS_CREDENTIALS_BASE}${relative}`, relative };
    };
    test('the controller says where it serves credentials', () => {
        assert.match(controller.output(), /task role credentials served at 169\.254\.170\.2:80/);
    });
    test('a bridge and an awsvpc task read their role’s keys with busybox wget at http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', async () => {
        for (const service of ['orders', 'vpc']) {
            const task = await fetchedAtStart(service);
            assert.match(task.relative, /^\/v2\/credentials\/[0-9a-f]+\.[0-9a-f]{32}$/);
            const body = await execIn(task.containerId, 'wget -qO- "http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"');
            assert.deepEqual(JSON.parse(body), { RoleArn: ORDERS.arn, ...ORDERS.keys }, service);
        }
    });
    test('a task reads its role’s mapped keys in ECS’s shape; a command’s credential_process output works too', async () => {
        const orders = await fetchedAtStart('orders');
        assert.equal(orders.answer.status, 200, orders.answer.body);
        assert.deepEqual(JSON.parse(orders.answer.body), {
            RoleArn: ORDERS.arn,
            AccessKeyId: ORDERS.keys.AccessKeyId,
            SecretAccessKey: ORDERS.keys.SecretAccessKey,
            Token: ORDERS.keys.Token,
            Expiration: ORDERS.keys.Expiration,
        });
        const billing = await fetchedAtStart('billing');
        assert.equal(billing.answer.status, 200, billing.answer.body);
        assert.deepEqual(JSON.parse(billing.answer.body), {
            RoleArn: BILLING.arn,
            AccessKeyId: BILLING.keys.AccessKeyId,
            SecretAccessKey: BILLING.keys.SecretAccessKey,
            Token: BILLING.keys.SessionToken,
            Expiration: BILLING.keys.Expiration,
        });
    });
    test('a second task is refused the first task’s credentials, and a forged id gets ECS’s 400', async () => {
        const orders = await fetchedAtStart('orders');
        const billing = await fetchedAtStart('billing');
        assert.notEqual(billing.uri, orders.uri);
        // The billing task asks with the orders task's URI, as if it had learnt it: refused, though the id is valid.
        const stolen = await getInside(billing.containerId, orders.uri);
        assert.equal(stolen.status, 400, stolen.body);
        assert.deepEqual(JSON.parse(stolen.body), { code: 'InvalidIdInRequest', message: 'CredentialsV2Request: Credentials not found' });
        // As an SDK-like client sees it: wget with the first task's RELATIVE_URI fails with the 400.
        const wget = await execIn(billing.containerId, `wget -qO- "http://169.254.170.2${orders.relative}" 2>&1; echo "exit=$?"`);
        assert.match(wget, /400/, wget);
        assert.match(wget, /exit=1/, wget);
        assert.ok(!wget.includes(MARKER), wget);
        // So is the host itself: the request comes from an address of the host, not the task's.
        const fromHost = await fetchWithin(orders.uri, 5000);
        assert.equal(fromHost.status, 400);
        assert.ok(!(await fromHost.text()).includes(MARKER));
        // The same URI still opens for its own task (asked again now, not only at its start).
        const own = await getInside(orders.containerId, orders.uri);
        assert.equal(own.status, 200, own.body);
        // Forged ids, asked from the orders task itself so that only the id can refuse them:
        // its task id with another task's mac, and its own id with one digit changed.
        const billingMac = /\.([0-9a-f]{32})$/.exec(billing.uri)[1];
        const withOtherMac = orders.uri.replace(/[0-9a-f]{32}$/, billingMac);
        const flipped = orders.uri.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
        for (const forged of [withOtherMac, flipped]) {
            const answer = await getInside(orders.containerId, forged);
            assert.equal(answer.status, 400, `${forged}: ${answer.body}`);
            assert.deepEqual(JSON.parse(answer.body), { code: 'InvalidIdInRequest', message: 'CredentialsV2Request: Credentials not found' });
            assert.ok(!answer.body.includes(MARKER));
        }
    });
    test('a role with no mapping: the task starts, its service gets one event naming the role, and the endpoint makes nothing up', async () => {
        const orphan = await fetchedAtStart('orphan');
        assert.equal(orphan.answer.status, 500, orphan.answer.body);
        const body = JSON.parse(orphan.answer.body);
        assert.equal(body.AccessKeyId, undefined);
        assert.match(String(body.message), /unable to assume the role 'arn:aws:iam::123456789012:role\/nobody-mapped-this'/);
        const event = await waitFor('the unmapped-role event', () => serviceStatus(path('orphan.yaml'), 'orphan')?.events.find((e) => e.message.includes(UNMAPPED_ARN)));
        assert.match(event.message, /roles\/nobody-mapped-this\.json/, event.message);
        assert.match(event.message, /roles\/nobody-mapped-this\.cmd/, event.message);
    });
    test('credential values never reach the controller’s output, status, state directory or berth get', async () => {
        // Both mapped tasks have been served their keys before this looks.
        await fetchedAtStart('orders');
        await fetchedAtStart('billing');
        await waitFor('service status written', () => serviceStatus(path('orders.yaml'), 'orders')?.runningCount === 1);
        assert.ok(!controller.output().includes(MARKER), 'controller output');
        for (const file of [...filesBelow(dir), ...filesBelow(stateDir)])
            assert.ok(!file.text.includes(MARKER), file.path);
        for (const output of ['yaml', 'json']) {
            const got = spawnSync(process.execPath, [BERTH, 'get', 'services', '-m', dir, '-o', output, '--state-dir', stateDir], { encoding: 'utf8' });
            assert.equal(got.status, 0, got.stderr);
            assert.ok(got.stdout.includes('orders'), 'berth get lists the service');
            assert.ok(!`${got.stdout}${got.stderr}`.includes(MARKER), `berth get -o ${output}`);
        }
    });
});
//# sourceMappingURL=task-role.test.js.map