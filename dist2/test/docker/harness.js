/**
 * Test harness for the real-Docker suite: scratch manifest directories, the
 * controller as a child process (as a user runs it), and direct Docker queries
 * that do not go through berth's own runtime.
 */
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { after } from 'node:test';
import { fetchWithin } from '../fetchWithin.js';
import { readStatus } from '../manifestStatus.js';
export { readStatus };
export const docker = new Docker({ socketPath: '/var/run/docker.sock' });
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BERTH = join(ROOT, 'bin', 'berth.js');
export function uniqueName(prefix) {
    return `${prefix}${randomBytes(3).toString('hex')}`;
}
export function scratchDir() {
    return mkdtempSync(join(tmpdir(), 'berth-test-'));
}
export function clusterManifest(cluster) {
    return `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${cluster}\nspec: {}\n`;
}
/** Manifests for one service of the local httpd image in its own cluster. */
export function webManifests(options) {
    const service = options.service ?? 'web';
    const command = options.command ? `\n      command: ${JSON.stringify(options.command)}` : '';
    return {
        'cluster.yaml': clusterManifest(options.cluster),
        'taskdef.yaml': `# the ${service} task definition
apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: ${service}-td
spec:
  containerDefinitions:
    - name: httpd
      image: ${options.image ?? 'berth/httpd:1'}${command}
      memory: 64
      stopTimeout: 2
      portMappings:
        - containerPort: 8080
`,
        'service.yaml': `# The ${service} service: edit desiredCount to scale.
apiVersion: berth/v1
kind: Service
metadata:
  name: ${service}
spec:
  cluster: ${options.cluster}   # its own cluster, so tests never share containers
  taskDefinition: ${service}-td
  desiredCount: ${options.desiredCount} # replicas
`,
    };
}
export function writeManifests(dir, files) {
    for (const [name, text] of Object.entries(files))
        writeFileSync(join(dir, name), text);
}
export function editFile(path, edit) {
    const before = readFileSync(path, 'utf8');
    const after = edit(before);
    if (after === before)
        throw new Error(`edit of ${path} changed nothing`);
    writeFileSync(path, after);
}
export function serviceStatus(path, name) {
    return readStatus(path, 'Service', name);
}
export function startController(dir, extraArgs = []) {
    // One controller on a host can hold 169.254.170.2:80, and test files run side by side:
    // only the files that test it ask for it, so that theirs is the one that gets it.
    const credentialsEndpoint = extraArgs.includes('--credentials-endpoint') ? [] : ['--credentials-endpoint', 'off'];
    const child = spawn(process.execPath, [BERTH, 'controller', '--manifests', dir, '--log-level', 'debug', ...credentialsEndpoint, ...extraArgs], {
        env: { ...process.env, BERTH_LOG_FORMAT: 'json' },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk.toString()));
    child.stderr.on('data', (chunk) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    return {
        process: child,
        output: () => output,
        async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null)
                child.kill(signal);
            return exited;
        },
    };
}
/** Containers of a group ("service:web"), straight from Docker. */
export async function groupContainers(cluster, group) {
    const list = await docker.listContainers({ all: true, filters: { label: [`berth.cluster=${cluster}`, `berth.group=${group}`] } });
    return list.map((c) => ({
        id: c.Id,
        name: c.Names[0]?.slice(1) ?? '',
        state: c.State,
        taskId: c.Labels['berth.task-id'] ?? '',
        created: c.Created,
        labels: c.Labels,
    }));
}
export async function running(cluster, group) {
    return (await groupContainers(cluster, group)).filter((c) => c.state === 'running');
}
/** Polls until `check` returns a value other than undefined/false; fails with the last observation. */
export async function waitFor(what, check, options = {}) {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    let last;
    while (Date.now() < deadline) {
        try {
            const value = await check();
            if (value !== undefined && value !== false)
                return value;
            last = value;
        }
        catch (error) {
            last = error;
        }
        await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
    }
    const tail = options.controller ? `\ncontroller output (tail):\n${options.controller.output().split('\n').slice(-40).join('\n')}` : '';
    throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}${tail}`);
}
/** Removes every container and network of a test cluster, whatever state the test left. */
/** Runs a shell script in a container (with the container's environment) and returns its stdout. */
export async function execIn(id, script) {
    const exec = await docker.getContainer(id).exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (chunk) => (text += chunk.toString()));
    docker.modem.demuxStream(stream, stdout, new PassThrough().resume());
    await new Promise((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
    });
    return text;
}
export async function cleanupCluster(cluster) {
    const list = await docker.listContainers({ all: true, filters: { label: [`berth.cluster=${cluster}`] } });
    await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
    await docker.getNetwork(`berth-${cluster}`).remove().catch(() => undefined);
}
export function removeDir(dir) {
    rmSync(dir, { recursive: true, force: true });
}
/** One HTTP GET to 127.0.0.1:port; resolves with the status code. */
export async function httpGet(port, path = '/') {
    const response = await fetchWithin(`http://127.0.0.1:${port}${path}`, 3000);
    await response.arrayBuffer();
    return response.status;
}
export function logLines(controller) {
    return controller
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => {
        try {
            return JSON.parse(line);
        }
        catch {
            return {};
        }
    });
}
/**
 * One suite's own cluster and manifests directory. After the suite its controllers
 * are stopped and every container and network of the cluster is removed, whatever
 * state a failing test left.
 */
export function testCluster(prefix) {
    const cluster = uniqueName(prefix);
    const dir = scratchDir();
    const controllers = [];
    after(async () => {
        for (const controller of controllers)
            await controller.stop();
        await cleanupCluster(cluster);
        removeDir(dir);
    });
    return {
        cluster,
        dir,
        path: (file) => join(dir, file),
        start(extraArgs = []) {
            const controller = startController(dir, extraArgs);
            controllers.push(controller);
            return controller;
        },
    };
}
/**
 * A registry's /v2/ API in miniature on 127.0.0.1 (which the engine reaches over plain
 * HTTP): 401 with a Basic challenge without a login, and with one, no such manifest.
 */
export async function basicAuthRegistry() {
    const seen = [];
    const server = http.createServer((request, response) => {
        const authorization = request.headers.authorization;
        if (authorization)
            seen.push(authorization);
        const headers = { 'Docker-Distribution-API-Version': 'registry/2.0', 'Content-Type': 'application/json' };
        if (!authorization) {
            response.writeHead(401, { ...headers, 'WWW-Authenticate': 'Basic realm="contract"' });
            response.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
        }
        else if (request.url === '/v2/') {
            response.writeHead(200, headers);
            response.end('{}');
        }
        else {
            response.writeHead(404, headers);
            response.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
        }
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    return {
        host: `127.0.0.1:${port}`,
        authorizations: () => seen,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
//# sourceMappingURL=harness.js.map