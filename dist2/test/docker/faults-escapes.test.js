/**
 * Ways out of a task's box on the real engine: environment files that read the
 * controller's host, a local Docker volume that binds the host's `/`, a secret with a NUL
 * byte, and an engine error that repeats a secret. Each is refused (or scrubbed) with a
 * reason naming the rule and the field, and nothing else of the service changes. Every
 * marker value is random per run, so finding one in what berth wrote can only mean a leak.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BERTH, cleanupCluster, docker, execIn, groupContainers, readStatus, removeDir, running, scratchDir, serviceStatus, testCluster, uniqueName, waitFor, } from './harness.js';
function marker(label) {
    return `${label}-${randomBytes(10).toString('hex')}`;
}
/** Every regular file below a directory, recursively: the manifests with their status, and the .berth state directory. */
function filesBelow(dir) {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .map((name) => join(dir, name))
        .filter((path) => statSync(path).isFile());
}
function clusterManifest(name, policy) {
    return `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${name}\nspec:${policy ? `\n${policy}` : ' {}'}\n`;
}
/** A TaskDefinition with one long-running busybox container and a Service of one task for it. */
function serviceFiles(name, cluster, options) {
    return `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: ${name}
spec:
${options.volumes ? `  volumes:\n${options.volumes}` : ''}  containerDefinitions:
    - name: app
      image: berth/busybox:1
      memory: 32
      stopTimeout: 1
      command: [sh, -c, "${options.script ?? 'exec sleep 3600'}"]
${options.container ?? ''}---
apiVersion: berth/v1
kind: Service
metadata:
  name: ${name}
spec:
  cluster: ${cluster}
  taskDefinition: ${name}
  desiredCount: 1
`;
}
/** The failed task's reason, once the service's status shows it with its event. */
async function refusal(file, name, controller) {
    return waitFor(`a failed launch of ${name} with its event`, () => {
        const status = serviceStatus(file, name);
        const stopped = status?.stoppedTasks?.[0];
        if (!status || !stopped?.stoppedReason)
            return undefined;
        const told = status.events?.some((e) => e.message.includes(`task ${stopped.taskId} failed to start: ${stopped.stoppedReason}`));
        return told ? { reason: stopped.stoppedReason, status } : undefined;
    }, { controller, timeoutMs: 90_000 });
}
describe('escapes through environment files, volumes and secrets', () => {
    const { cluster: closed, dir, path, start } = testCluster('esc');
    const open = uniqueName('esc-open-');
    const secretsDir = scratchDir();
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'berth-escapes-')));
    const root = join(base, 'root');
    const outsideFile = join(base, 'outside', 'host.env');
    const values = {
        controllerSecret: marker('ctl'),
        outsideFile: marker('outside'),
        nulSecret: marker('nul'),
        logSecret: marker('logsize'),
    };
    // The controller inherits this process's environment: /proc/self/environ would show it.
    const controllerVariable = `BERTH_SECRET_${closed.toUpperCase()}_CTL`;
    let controller;
    before(() => {
        mkdirSync(join(root, 'data'), { recursive: true });
        mkdirSync(join(base, 'outside'));
        writeFileSync(outsideFile, `OUTSIDE=${values.outsideFile}\n`);
        symlinkSync(outsideFile, join(root, 'escape.env'));
        symlinkSync(join(root, 'data'), join(root, 'data-link'));
        mkdirSync(join(secretsDir, 'esc'));
        writeFileSync(join(secretsDir, 'esc', 'nul'), `${values.nulSecret}\0tail`);
        writeFileSync(join(secretsDir, 'esc', 'logsize'), values.logSecret);
        process.env[controllerVariable] = values.controllerSecret;
        writeFileSync(path('clusters.yaml'), [clusterManifest(closed, ''), clusterManifest(open, `  hostPathPolicy:\n    allowedRoots: [${root}, /etc/os-release]`)].join('---\n'));
        controller = start(['--secrets-dir', secretsDir]);
    });
    after(async () => {
        delete process.env[controllerVariable];
        await controller?.stop();
        await cleanupCluster(open);
        for (const cluster of [closed, open]) {
            const { Volumes } = await docker.listVolumes({ filters: { label: [`berth.cluster=${cluster}`] } });
            for (const volume of Volumes ?? [])
                await docker.getVolume(volume.Name).remove().catch(() => undefined);
        }
        removeDir(secretsDir);
        rmSync(base, { recursive: true, force: true });
    });
    /** What berth produced that a user or a log shipper can read: none may hold a marker. */
    function assertNowhere(what) {
        const produced = [
            ['controller output', controller.output()],
            ['berth get services -o yaml', execFileSync(process.execPath, [BERTH, 'get', 'services', '-m', dir, '-o', 'yaml'], { encoding: 'utf8' })],
            ['berth get tasks', execFileSync(process.execPath, [BERTH, 'get', 'tasks', '-m', dir], { encoding: 'utf8' })],
            ...filesBelow(dir).map((file) => [file, readFileSync(file, 'utf8')]),
        ];
        assert.ok(produced.some(([where]) => where.includes('.berth')), 'the state directory is searched');
        for (const [where, text] of produced)
            for (const name of what)
                assert.ok(!text.includes(values[name]), `${where} holds the value of ${name}`);
    }
    test('an environment file is refused unless the Cluster allows its path; other services keep running', async () => {
        writeFileSync(path('osr-closed.yaml'), serviceFiles('osr-closed', closed, { container: '      environmentFiles:\n        - {value: /etc/os-release, type: s3}\n' }));
        writeFileSync(path('osr-open.yaml'), serviceFiles('osr-open', open, { container: '      environmentFiles:\n        - {value: /etc/os-release, type: s3}\n' }));
        const { reason } = await refusal(path('osr-closed.yaml'), 'osr-closed', controller);
        assert.equal(reason, 'ResourceInitializationError: failed to download env files: container "app" environmentFiles[0].value "/etc/os-release" refused: ' +
            `host path "/etc/os-release" is not allowed: cluster "${closed}" allows no host paths; add a directory containing it to spec.hostPathPolicy.allowedRoots of the Cluster manifest "${closed}"`);
        const condition = await waitFor('the Steady condition naming the refusal', () => serviceStatus(path('osr-closed.yaml'), 'osr-closed')?.conditions?.find((c) => c.type === 'Steady' && c.reason === 'TasksFailing' && c.message.includes(reason)), { controller });
        assert.equal(condition.status, 'False');
        assert.deepEqual(await groupContainers(closed, 'service:osr-closed'), [], 'no container was created');
        const taskDefinitionStatus = readStatus(path('osr-closed.yaml'), 'TaskDefinition', 'osr-closed');
        assert.equal(taskDefinitionStatus?.conditions?.find((c) => c.type === 'Valid')?.status, 'True', 'the task definition still validates');
        assert.equal(serviceStatus(path('osr-closed.yaml'), 'osr-closed')?.conditions?.find((c) => c.type === 'Valid')?.status, 'True', 'and so does the service');
        const [allowed] = await waitFor('the allowed service running', async () => {
            const list = await running(open, 'service:osr-open');
            return list.length ? list : undefined;
        }, { controller, timeoutMs: 90_000 });
        const id = /^ID=(.*)$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
        assert.ok(id);
        assert.equal((await execIn(allowed.id, 'echo "$ID"')).trim(), id, 'the allowed file reached the container');
    });
    test('".." and a symlink out of an allowed root are refused; the controller\'s environment reaches nothing', async () => {
        const cases = [
            { name: 'dotdot', value: '../../proc/self/environ', reason: /environmentFiles\[0\]\.value "\.\.\/\.\.\/proc\/self\/environ" refused: a "\.\." segment is never allowed/ },
            { name: 'proc', value: '/proc/self/environ', reason: /"\/proc\/self\/environ" refused: host path "\/proc\/self\/environ" \(real path "\/proc\/\d+\/environ"\) is outside the allowed roots of cluster/ },
            { name: 'symlink', value: join(root, 'escape.env'), reason: /refused: host path ".*\/root\/escape\.env" \(real path ".*\/outside\/host\.env"\) is outside the allowed roots/ },
        ];
        for (const c of cases)
            writeFileSync(path(`env-${c.name}.yaml`), serviceFiles(`env-${c.name}`, open, { container: `      environmentFiles:\n        - {value: "${c.value}", type: s3}\n` }));
        for (const c of cases) {
            const { reason } = await refusal(path(`env-${c.name}.yaml`), `env-${c.name}`, controller);
            assert.match(reason, c.reason);
            assert.deepEqual(await groupContainers(open, `service:env-${c.name}`), [], `no container for ${c.name}`);
        }
        assert.equal((await running(open, 'service:osr-open')).length, 1, 'the other service of the cluster still runs');
        assertNowhere(['controllerSecret', 'outsideFile']);
    });
    test('a local volume binding the host\'s / is refused before anything is created; a bind inside an allowed root works', async () => {
        const volume = (device, type = 'none') => `    - name: data\n      dockerVolumeConfiguration: {scope: task, driver: local, driverOpts: {type: ${type}, o: bind, device: "${device}"}}\n`;
        const mount = '      mountPoints: [{sourceVolume: data, containerPath: /data}]\n';
        writeFileSync(path('bind-root.yaml'), serviceFiles('bind-root', open, { volumes: volume('/'), container: mount }));
        writeFileSync(path('nfs.yaml'), serviceFiles('nfs', open, {
            volumes: '    - name: data\n      dockerVolumeConfiguration: {scope: task, driver: local, driverOpts: {type: nfs, o: "addr=127.0.0.1", device: ":/export"}}\n',
            container: mount,
        }));
        writeFileSync(path('bind-data.yaml'), serviceFiles('bind-data', open, { volumes: volume(join(root, 'data-link')), container: mount, script: 'echo from-task > /data/file && exec sleep 3600' }));
        const { reason } = await refusal(path('bind-root.yaml'), 'bind-root', controller);
        assert.equal(reason, 'ResourceInitializationError: volume "data": dockerVolumeConfiguration.driverOpts.device (a bind): ' +
            `host path "/" is outside the allowed roots of cluster "${open}" (${root}, /etc/os-release); add a directory containing it to spec.hostPathPolicy.allowedRoots of the Cluster manifest "${open}"`);
        const nfs = await refusal(path('nfs.yaml'), 'nfs', controller);
        assert.match(nfs.reason, new RegExp(`^ResourceInitializationError: volume "data": dockerVolumeConfiguration\\.driverOpts\\.type "nfs" \\(a mount by the local driver\\) is not allowed by cluster "${open}"; add it to spec\\.volumePolicy\\.allowedLocalMountTypes`));
        for (const service of ['bind-root', 'nfs'])
            assert.deepEqual(await groupContainers(open, `service:${service}`), [], `no container for ${service}`);
        const { Volumes } = await docker.listVolumes({ filters: { label: [`berth.cluster=${open}`] } });
        const details = await Promise.all((Volumes ?? []).map((v) => docker.getVolume(v.Name).inspect()));
        assert.ok(!details.some((v) => v.Options?.device === '/'), `no volume binds /: ${JSON.stringify(details.map((v) => v.Options))}`);
        const containers = await docker.listContainers({ all: true, filters: { label: [`berth.cluster=${open}`] } });
        const mounts = (await Promise.all(containers.map((c) => docker.getContainer(c.Id).inspect()))).flatMap((c) => c.Mounts);
        assert.ok(!mounts.some((m) => m.Source === '/'), 'no container mounts the host\'s /');
        await waitFor('the task wrote through the allowed bind', () => existsSync(join(root, 'data', 'file')) && readFileSync(join(root, 'data', 'file'), 'utf8').trim() === 'from-task', {
            controller,
            timeoutMs: 90_000,
        });
        const [task] = await running(open, 'service:bind-data');
        const bound = await docker.getVolume(`berth-${open}-${task.taskId.slice(0, 12)}-data`).inspect();
        assert.equal(bound.Options?.device, join(root, 'data'), 'the volume binds the checked real path, not the symlink');
    });
    test('a secret with a NUL byte is refused naming the variable; its value appears nowhere', async () => {
        writeFileSync(path('nul.yaml'), serviceFiles('nul', closed, { container: '      secrets:\n        - {name: NUL_TOKEN, valueFrom: esc/nul}\n' }));
        const { reason } = await refusal(path('nul.yaml'), 'nul', controller);
        assert.equal(reason, 'ResourceInitializationError: unable to pull secrets or registry auth: container "app": secret NUL_TOKEN holds a NUL byte, which a container\'s environment or options cannot carry');
        assert.deepEqual(await groupContainers(closed, 'service:nul'), [], 'no container was created');
        assertNowhere(['nulSecret']);
    });
    test('an engine error that repeats a secret reaches status, events, state and log scrubbed', async () => {
        // The json-file driver takes the option at create and rejects it at start, quoting it.
        const logging = '      logConfiguration:\n        logDriver: json-file\n        secretOptions:\n          - {name: max-size, valueFrom: esc/logsize}\n';
        writeFileSync(path('logsize.yaml'), serviceFiles('logsize', closed, { container: logging }));
        const { reason } = await refusal(path('logsize.yaml'), 'logsize', controller);
        assert.match(reason, /^CannotStartContainerError: .*failed to initialize logging driver: invalid size: '\*\*\*'/);
        assertNowhere(['logSecret']);
    });
});
//# sourceMappingURL=faults-escapes.test.js.map