import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clusterManifest, docker, readStatus, running, serviceStatus, testCluster, waitFor, writeManifests } from './harness.js';
/** An ECS task definition as ECS prints it, with fields berth cannot apply, still runs; the ignored fields are named. */
describe('an ECS task definition with fields that have no local effect', () => {
    const { cluster, dir, path, start } = testCluster('ecs');
    writeManifests(dir, {
        'cluster.yaml': clusterManifest(cluster),
        'taskdef.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: api
spec:
  family: api
  taskRoleArn: arn:aws:iam::123456789012:role/api-task
  executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
  networkMode: awsvpc
  requiresCompatibilities: [FARGATE]
  cpu: "0.25 vCPU"
  memory: "0.5GB"
  containerDefinitions:
    - name: api
      image: berth/httpd:1
      essential: true
      portMappings:
        - containerPort: 8080
          hostPort: 8080
          protocol: tcp
      healthCheck:
        command: ["CMD-SHELL", "test -d /"]
        interval: 10
      logConfiguration:
        logDriver: awslogs
        options: {awslogs-group: /ecs/api, awslogs-region: eu-west-1, awslogs-stream-prefix: api}
`,
        'service.yaml': `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  cluster: ${cluster}\n  taskDefinition: api\n  desiredCount: 1\n`,
    });
    const controller = start();
    test('runs, and the task definition warns of nothing berth maps', async () => {
        await waitFor('1 running', () => serviceStatus(path('service.yaml'), 'api')?.runningCount === 1, { controller });
        const td = readStatus(path('taskdef.yaml'), 'TaskDefinition', 'api');
        const compatible = td.conditions.find((c) => c.type === 'Compatible');
        // The roles (credentials endpoint, secrets provider), FARGATE (checked), awsvpc, awslogs and the health check are all mapped.
        for (const field of ['taskRoleArn', 'executionRoleArn', 'requiresCompatibilities', 'networkMode', 'logConfiguration', 'healthCheck']) {
            assert.ok(!compatible.message.includes(field), `${field} is mapped, yet named in: ${compatible.message}`);
        }
        assert.equal(compatible.status, 'True', compatible.message);
        // awsvpc: the task's pause container is on the cluster network; the container joins it, with no host ports.
        const containers = await running(cluster, 'service:api');
        const pause = containers.find((c) => c.labels['berth.role'] === 'pause');
        const api = containers.find((c) => c.labels['berth.container'] === 'api');
        assert.ok(Object.keys((await docker.getContainer(pause.id).inspect()).NetworkSettings.Networks).includes(`berth-${cluster}`));
        const info = await docker.getContainer(api.id).inspect();
        // Task-level cpu "0.25 vCPU" and memory "0.5GB" cap the container: a quarter CPU, 512 MiB.
        assert.equal(info.HostConfig.NanoCpus, 250_000_000);
        assert.equal(info.HostConfig.Memory, 512 * 1024 * 1024);
        assert.equal(info.HostConfig.NetworkMode, `container:${pause.id}`);
        assert.deepEqual(Object.values(info.NetworkSettings.Ports ?? {}).filter((bindings) => bindings && bindings.length), []);
    });
});
describe('ECS kernel, security and terminal settings reach Docker', () => {
    const { cluster, dir, path, start } = testCluster('ecsset');
    writeManifests(dir, {
        // NET_ADMIN is no default capability of Docker's: the cluster's task policy must allow it.
        'cluster.yaml': `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${cluster}\nspec:\n  taskPolicy:\n    allowedCapabilities: [NET_ADMIN]\n`,
        'taskdef.yaml': `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: hardened
spec:
  containerDefinitions:
    - name: app
      image: berth/busybox:1
      command: ["sh", "-c", "sleep 3600"]
      memory: 64
      stopTimeout: 2
      readonlyRootFilesystem: true
      pseudoTerminal: true
      interactive: true
      linuxParameters:
        capabilities: {add: [NET_ADMIN], drop: [MKNOD]}
        initProcessEnabled: true
        sharedMemorySize: 32
        maxSwap: 0
        tmpfs:
          - {containerPath: /scratch, size: 16, mountOptions: [noexec]}
      ulimits:
        - {name: nofile, softLimit: 1024, hardLimit: 2048}
      extraHosts:
        - {hostname: db.internal, ipAddress: 10.1.2.3}
      dnsSearchDomains: [example.internal]
      systemControls:
        - {namespace: net.core.somaxconn, value: "512"}
`,
        'service.yaml': `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: hardened\nspec:\n  cluster: ${cluster}\n  taskDefinition: hardened\n  desiredCount: 1\n`,
    });
    const controller = start();
    test('the container runs with every setting, and none of them is reported as ignored', async () => {
        await waitFor('1 running', () => serviceStatus(path('service.yaml'), 'hardened')?.runningCount === 1, { controller });
        const [container] = await running(cluster, 'service:hardened');
        const info = await docker.getContainer(container.id).inspect();
        const host = info.HostConfig;
        assert.equal(host.ReadonlyRootfs, true);
        assert.deepEqual(host.CapAdd, ['NET_ADMIN']);
        assert.deepEqual(host.CapDrop, ['MKNOD']);
        assert.equal(host.Init, true);
        assert.equal(host.ShmSize, 32 * 1024 * 1024);
        assert.equal(host.MemorySwap, 64 * 1024 * 1024, 'memory plus a maxSwap of 0');
        assert.deepEqual(host.Tmpfs, { '/scratch': 'size=16m,noexec' });
        assert.deepEqual(host.Ulimits, [{ Name: 'nofile', Soft: 1024, Hard: 2048 }]);
        assert.deepEqual(host.ExtraHosts, ['db.internal:10.1.2.3']);
        assert.deepEqual(host.DnsSearch, ['example.internal']);
        assert.deepEqual(host.Sysctls, { 'net.core.somaxconn': '512' });
        assert.equal(info.Config.Tty, true);
        assert.equal(info.Config.OpenStdin, true);
        const td = readStatus(path('taskdef.yaml'), 'TaskDefinition', 'hardened');
        const compatible = td.conditions.find((c) => c.type === 'Compatible');
        assert.equal(compatible.status, 'True');
    });
});
//# sourceMappingURL=ecs.test.js.map