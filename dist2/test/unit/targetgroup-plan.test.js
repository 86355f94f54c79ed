/**
 * The targetgroup controller's pure decisions (where a task is reached, which
 * loadBalancers entries a task definition cannot serve, ECS's events), the checks of the
 * TargetGroup and LoadBalancer kinds, and the example that the README points to.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadBalancerProblem, registrationEvents, taskTarget, unhealthyEvents } from '../../controller/controllers/targetgroup/plan.js';
import { formatManifestError, parseManifestText } from '../../controller/store/parse.js';
import { ROOT } from '../docker/harness.js';
const ENTRY = { containerName: 'web', containerPort: 8080, targetGroup: 'tg' };
function task(overrides) {
    return { taskId: 't1', group: 'service:web', cluster: 'c', family: 'web', revision: 1, capacityProvider: 'local', lastStatus: 'RUNNING', createdAt: 0, containers: [], networkBindings: [], healthStatus: 'UNKNOWN', ...overrides };
}
describe('taskTarget: where the load balancer reaches a task', () => {
    const binding = (bindIP, containerName = 'web', hostPort = 32768) => ({ containerName, containerPort: 8080, hostPort, protocol: 'tcp', bindIP });
    const rows = [
        { name: 'bridge, bound on every address: the host port on loopback', task: task({ networkBindings: [binding('0.0.0.0')] }), mode: undefined, expected: { address: '127.0.0.1', port: 32768 } },
        { name: 'bridge, bound on one address: that address', task: task({ networkBindings: [binding('127.0.0.2')] }), mode: 'bridge', expected: { address: '127.0.0.2', port: 32768 } },
        { name: 'bridge, another container\'s binding only: none yet', task: task({ networkBindings: [binding('0.0.0.0', 'sidecar')] }), mode: 'bridge', expected: undefined },
        { name: 'host: the container port on loopback', task: task({}), mode: 'host', expected: { address: '127.0.0.1', port: 8080 } },
        { name: 'awsvpc: the task address and the container port', task: task({ address: '172.20.0.5' }), mode: 'awsvpc', expected: { address: '172.20.0.5', port: 8080 } },
        { name: 'awsvpc before its address is known: none yet', task: task({}), mode: 'awsvpc', expected: undefined },
        { name: 'none: unreachable', task: task({}), mode: 'none', expected: undefined },
    ];
    for (const row of rows)
        test(row.name, () => assert.deepEqual(taskTarget(row.task, ENTRY, row.mode), row.expected));
});
describe('loadBalancerProblem: the entry names a container port the task definition has', () => {
    const spec = (portMappings) => ({ containerDefinitions: [{ name: 'web', image: 'x', portMappings }] });
    test('a matching tcp port: no problem', () => assert.equal(loadBalancerProblem(ENTRY, 0, spec([{ containerPort: 8080 }])), undefined));
    test('a missing container, by ECS', () => assert.deepEqual(loadBalancerProblem({ ...ENTRY, containerName: 'api' }, 2, spec([{ containerPort: 8080 }])), {
        path: ['spec', 'loadBalancers', 2, 'containerName'],
        message: 'The container api does not exist in the task definition (its containers: web).',
    }));
    test('a port the container lacks, or has only as udp', () => {
        for (const mappings of [[{ containerPort: 9090 }], [{ containerPort: 8080, protocol: 'udp' }]]) {
            assert.deepEqual(loadBalancerProblem(ENTRY, 0, spec(mappings))?.path, ['spec', 'loadBalancers', 0, 'containerPort']);
        }
        assert.match(loadBalancerProblem(ENTRY, 0, spec([{ containerPort: 9090 }])).message, /^The container web did not have a container port 8080 defined \(its tcp container ports: 9090\)\.$/);
    });
});
describe("ECS's service events", () => {
    test('registrations and deregistrations are counted per service', () => {
        const t = (service) => ({ service });
        assert.deepEqual(registrationEvents('tg', { registered: [t('web'), t('web'), t('api')], deregistered: [t('web')] }), [
            { service: 'web', message: '(service web) registered 2 targets in (target-group tg)' },
            { service: 'api', message: '(service api) registered 1 targets in (target-group tg)' },
            { service: 'web', message: '(service web) deregistered 1 targets in (target-group tg)' },
        ]);
        assert.deepEqual(registrationEvents('tg', { registered: [], deregistered: [] }), []);
    });
    test('a target that turns unhealthy is told once, with its reason', () => {
        const target = { id: 't1', address: '127.0.0.1', port: 32768, service: 'web', state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' };
        const message = '(service web) (task t1) (port 32768) is unhealthy in target-group tg due to (reason Health checks failed with these codes: [500])';
        assert.deepEqual(unhealthyEvents('tg', new Map([['t1', 'healthy']]), [target]), [{ service: 'web', message }]);
        assert.deepEqual(unhealthyEvents('tg', new Map(), [target]), [{ service: 'web', message }]);
        assert.deepEqual(unhealthyEvents('tg', new Map([['t1', 'unhealthy']]), [target]), [], 'still unhealthy: nothing new');
    });
});
describe('TargetGroup and LoadBalancer checks', () => {
    const errors = (text) => parseManifestText('lb.yaml', text).errors.map(formatManifestError);
    const group = (spec) => `apiVersion: berth/v1\nkind: TargetGroup\nmetadata:\n  name: tg\nspec:\n${spec}`;
    test('defaults alone are valid', () => assert.deepEqual(errors(group('  {}\n')), []));
    test('a timeout not below the interval', () => assert.deepEqual(errors(group('  healthCheck:\n    intervalSeconds: 5\n    timeoutSeconds: 5\n')), ['lb.yaml:8:21: TargetGroup/tg: spec.healthCheck.timeoutSeconds: Health check timeout must be smaller than the interval (5 s, interval 5 s)']));
    test('a path for a TCP check', () => assert.deepEqual(errors(group('  protocol: TCP\n  healthCheck:\n    path: /health\n')), ['lb.yaml:8:5: TargetGroup/tg: spec.healthCheck.path: Health check path is not supported for the TCP protocol']));
    test('ranges: interval below 5 s, a malformed matcher, an unknown algorithm', () => {
        const found = errors(group('  healthCheck:\n    intervalSeconds: 4\n    matcher: {httpCode: "2xx"}\n  loadBalancingAlgorithm: random\n'));
        assert.equal(found.length, 3, found.join('\n'));
        assert.ok(found[0].startsWith('lb.yaml:7:22: TargetGroup/tg: spec.healthCheck.intervalSeconds:'), found[0]);
        assert.equal(found[1], 'lb.yaml:8:25: TargetGroup/tg: spec.healthCheck.matcher.httpCode: must be HTTP codes like "200", "200-299" or "200,302"');
        assert.ok(found[2].startsWith('lb.yaml:9:27: TargetGroup/tg: spec.loadBalancingAlgorithm:'), found[2]);
    });
    test('two listeners on one address and port', () => {
        const listener = (port) => `    - port: ${port}\n      protocol: HTTP\n      defaultActions: [{type: forward, targetGroups: [{targetGroup: tg}]}]\n`;
        const text = `apiVersion: berth/v1\nkind: LoadBalancer\nmetadata:\n  name: lb\nspec:\n  listeners:\n${listener(8000)}${listener(8000)}`;
        assert.deepEqual(errors(text), ['lb.yaml:10:13: LoadBalancer/lb: spec.listeners[1].port: A listener already exists on this port: listeners[0] binds 127.0.0.1:8000 too']);
    });
    test('a Service loadBalancers entry without a targetGroup', () => {
        const text = 'apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  taskDefinition: web\n  loadBalancers:\n    - {containerName: web, containerPort: 8080}\n';
        assert.match(errors(text).join('\n'), /^lb\.yaml:8:7: Service\/web: spec\.loadBalancers\[0\]\.targetGroup: /);
    });
    test('examples/loadbalancer is valid', () => {
        const dir = join(ROOT, 'examples', 'loadbalancer');
        const kinds = readdirSync(dir).flatMap((file) => {
            const result = parseManifestText(file, readFileSync(join(dir, file), 'utf8'));
            assert.deepEqual(result.errors.map(formatManifestError), [], file);
            return result.documents.map((d) => d.kind);
        });
        assert.deepEqual(kinds.sort(), ['Cluster', 'LoadBalancer', 'Service', 'TargetGroup', 'TaskDefinition']);
    });
});
//# sourceMappingURL=targetgroup-plan.test.js.map