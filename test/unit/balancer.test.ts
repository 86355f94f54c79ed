/**
 * The load balancer's data plane against real HTTP and TCP servers on 127.0.0.1: target
 * states and thresholds (time moved by hand), health checks as ELB makes them, the
 * algorithms' distribution, draining, retries, and ELB's error answers.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { Balancer } from '../../controller/balancer/balancer.js';
import { matchesHttpCode, probeTarget, type HealthCheckConfig, type HealthCheckOutcome } from '../../controller/balancer/healthCheck.js';
import { elbErrorBody } from '../../controller/balancer/httpListener.js';
import { WeightedRouter } from '../../controller/balancer/router.js';
import { TcpListener } from '../../controller/balancer/tcpListener.js';
import { TargetSet, type TargetRegistration } from '../../controller/balancer/targetSet.js';
import { targetGroupConfig, type TargetGroupSpec } from '../../controller/kinds/index.js';
import { silentLogger } from '../../controller/log.js';
import { ManualClock } from './manualClock.js';

const FAIL_500: HealthCheckOutcome = { healthy: false, reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]', code: 500 };
const PASS: HealthCheckOutcome = { healthy: true };

/** A target set whose checks answer what the test scripts, per target. */
function scriptedSet(spec: TargetGroupSpec, clock = new ManualClock()) {
  const answers = new Map<string, HealthCheckOutcome>();
  let changes = 0;
  const set = new TargetSet({ name: 'web', config: targetGroupConfig(spec), clock, probe: async (t) => answers.get(`${t.address}:${t.port}`) ?? PASS, onChange: () => changes++ });
  set.setInUse(true);
  return { set, clock, answers, changes: () => changes };
}

const target = (id: string, port = 1000): TargetRegistration => ({ id, address: '127.0.0.1', port, service: 'web' });

describe('target states (ELB): thresholds, draining, unused', () => {
  test('initial → healthy after healthyThresholdCount passes; → unhealthy after unhealthyThresholdCount failures, with the reason', async () => {
    const { set, answers } = scriptedSet({ healthCheck: { healthyThresholdCount: 3, unhealthyThresholdCount: 2 } });
    set.register(target('a'));
    assert.deepEqual(set.health('a'), { id: 'a', address: '127.0.0.1', port: 1000, service: 'web', state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' });
    await set.checkAll();
    await set.checkAll();
    assert.equal(set.health('a')?.state, 'initial', 'two passes of three');
    assert.equal(set.health('a')?.reason, 'Elb.InitialHealthChecking');
    assert.equal(set.pick(), undefined, 'an initial target takes no requests');
    await set.checkAll();
    assert.equal(set.health('a')?.state, 'healthy');
    answers.set('127.0.0.1:1000', FAIL_500);
    await set.checkAll();
    assert.equal(set.health('a')?.state, 'healthy', 'one failure of two');
    await set.checkAll();
    assert.deepEqual(set.health('a'), { id: 'a', address: '127.0.0.1', port: 1000, service: 'web', state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [500]' });
    answers.delete('127.0.0.1:1000');
    await set.checkAll();
    await set.checkAll();
    assert.equal(set.health('a')?.state, 'unhealthy', 'a pass streak shorter than the threshold');
    await set.checkAll();
    assert.equal(set.health('a')?.state, 'healthy');
  });

  test('checks run every intervalSeconds on the clock once started', async () => {
    const { set, clock } = scriptedSet({ healthCheck: { intervalSeconds: 10, healthyThresholdCount: 2 } });
    set.register(target('a'));
    set.start();
    clock.advance(9_999);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(set.health('a')?.state, 'initial');
    clock.advance(1);
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(10_000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(set.health('a')?.state, 'healthy', 'two checks, 10 s apart');
    set.stop();
  });

  test('a deregistered target drains: no new requests, removed when its last request ends', async () => {
    const { set } = scriptedSet({ healthCheck: { healthyThresholdCount: 2 }, deregistrationDelaySeconds: 300 });
    set.reconcile([target('a', 1), target('b', 2)]);
    await set.checkAll();
    await set.checkAll();
    const lease = set.pick(new Set(['b']))!;
    assert.equal(lease.id, 'a');
    assert.deepEqual(set.reconcile([target('b', 2)]), { registered: [], deregistered: [target('a', 1)] });
    assert.equal(set.health('a')?.state, 'draining');
    assert.equal(set.health('a')?.reason, 'Target.DeregistrationInProgress');
    for (let i = 0; i < 4; i++) assert.equal(set.pick()?.id, 'b', 'new requests skip the draining target');
    lease.release();
    assert.equal(set.health('a'), undefined, 'gone once its request ended');
  });

  test('a draining target with requests still in flight goes after deregistrationDelaySeconds', async () => {
    const { set, clock } = scriptedSet({ healthCheck: { healthyThresholdCount: 2 }, deregistrationDelaySeconds: 30 });
    set.register(target('a'));
    await set.checkAll();
    await set.checkAll();
    const lease = set.pick()!;
    set.deregister('a');
    clock.advance(29_999);
    assert.equal(set.health('a')?.state, 'draining');
    clock.advance(1);
    assert.equal(set.health('a'), undefined);
    lease.release();
  });

  test('a target without requests in flight is removed at once', () => {
    const { set } = scriptedSet({});
    set.register(target('a'));
    set.deregister('a');
    assert.equal(set.health('a'), undefined);
  });

  test('targets of a group no listener forwards to are unused', () => {
    const { set, changes } = scriptedSet({});
    set.register(target('a'));
    const before = changes();
    set.setInUse(false);
    assert.equal(changes(), before + 1, 'the change is told');
    assert.deepEqual(set.health('a'), { id: 'a', address: '127.0.0.1', port: 1000, service: 'web', state: 'unused', reason: 'Target.NotInUse', description: 'Target group is not configured to receive traffic from the load balancer' });
  });
});

describe('algorithms', () => {
  async function healthySet(spec: TargetGroupSpec, ids: string[]) {
    const { set } = scriptedSet({ ...spec, healthCheck: { healthyThresholdCount: 2 } });
    set.reconcile(ids.map((id, i) => target(id, 1000 + i)));
    await set.checkAll();
    await set.checkAll();
    return set;
  }

  test('round_robin: every healthy target in turn', async () => {
    const set = await healthySet({}, ['a', 'b', 'c']);
    const picks = Array.from({ length: 9 }, () => {
      const lease = set.pick()!;
      lease.release();
      return lease.id;
    });
    assert.deepEqual(picks, ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
  });

  test('least_outstanding_requests: the target with fewest requests in flight; ties share', async () => {
    const set = await healthySet({ loadBalancingAlgorithm: 'least_outstanding_requests' }, ['a', 'b', 'c']);
    const held = [set.pick()!, set.pick()!, set.pick()!, set.pick()!];
    // a, b, c each got one; the fourth went to one of them; release b's and c's: the next two go to b and c.
    const busy = held[3]!.id;
    for (const lease of held.filter((l, i) => i < 3 && l.id !== busy)) lease.release();
    const counts = new Map<string, number>();
    for (let i = 0; i < 2; i++) {
      const id = set.pick()!.id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    assert.equal(counts.get(busy), undefined, `the busy target ${busy} got nothing`);
    assert.equal(counts.size, 2);
  });

  test('weighted target groups: smooth weighted round robin (3:1 → a a b a ...), a group with no healthy target takes no turn', () => {
    const healthy = new Set(['blue', 'green']);
    const router = new WeightedRouter(
      [
        { name: 'blue', weight: 3 },
        { name: 'green', weight: 1 },
      ],
      { hasHealthyTarget: (g) => healthy.has(g), pick: (g) => ({ id: g, address: '', port: 0, release: () => undefined }) },
    );
    const sequence = Array.from({ length: 8 }, () => router.pick(new Set())!.id);
    assert.deepEqual(sequence, ['blue', 'blue', 'green', 'blue', 'blue', 'blue', 'green', 'blue']);
    healthy.delete('green');
    assert.deepEqual(Array.from({ length: 3 }, () => router.pick(new Set())!.id), ['blue', 'blue', 'blue']);
  });
});

describe('health checks against real servers', () => {
  const servers: Array<http.Server | net.Server> = [];
  after(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));
  const listen = async <S extends http.Server | net.Server>(server: S): Promise<number> => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const check = (overrides: Partial<HealthCheckConfig>): HealthCheckConfig => ({ ...targetGroupConfig({}).healthCheck, timeoutSeconds: 2, ...overrides });

  test('HTTP: the path is asked, the matcher decides; another code is ResponseCodeMismatch with the code', async () => {
    const seen: string[] = [];
    const port = await listen(
      http.createServer((request, response) => {
        seen.push(`${request.url} ${request.headers['user-agent']}`);
        response.writeHead(request.url === '/ok' ? 200 : request.url === '/moved' ? 302 : 404).end();
      }),
    );
    assert.deepEqual(await probeTarget({ address: '127.0.0.1', port }, check({ path: '/ok' })), PASS);
    assert.deepEqual(await probeTarget({ address: '127.0.0.1', port }, check({ path: '/missing' })), { healthy: false, reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]', code: 404 });
    assert.deepEqual(await probeTarget({ address: '127.0.0.1', port }, check({ path: '/moved', httpCode: '200,302' })), PASS);
    assert.deepEqual(seen, ['/ok ELB-HealthChecker/2.0', '/missing ELB-HealthChecker/2.0', '/moved ELB-HealthChecker/2.0']);
  });

  test('HTTP: no answer within timeoutSeconds is Target.Timeout; a refused connection is Target.FailedHealthChecks', async () => {
    const silent = await listen(http.createServer(() => undefined));
    assert.deepEqual(await probeTarget({ address: '127.0.0.1', port: silent }, check({ timeoutSeconds: 1 })), { healthy: false, reason: 'Target.Timeout', description: 'Request timed out' });
    const closed = await freePort();
    assert.deepEqual(await probeTarget({ address: '127.0.0.1', port: closed }, check({})), { healthy: false, reason: 'Target.FailedHealthChecks', description: 'Health checks failed' });
  });

  test('TCP: a connection that opens passes; a fixed health check port is used instead of the traffic port', async () => {
    const port = await listen(net.createServer((socket) => socket.on('error', () => undefined).end()));
    const closed = await freePort();
    assert.deepEqual(await probeTarget({ address: '127.0.0.1', port }, check({ protocol: 'TCP' })), PASS);
    assert.equal((await probeTarget({ address: '127.0.0.1', port: closed }, check({ protocol: 'TCP' }))).healthy, false);
    assert.deepEqual(await probeTarget({ address: '127.0.0.1', port: closed }, check({ protocol: 'TCP', port })), PASS);
  });

  test('matcher: single codes, ranges and lists', () => {
    const table: Array<[string, number, boolean]> = [
      ['200', 200, true],
      ['200', 204, false],
      ['200-299', 204, true],
      ['200-299', 300, false],
      ['200,302', 302, true],
      ['200,302', 301, false],
      ['200-204,404', 404, true],
    ];
    for (const [matcher, code, expected] of table) assert.equal(matchesHttpCode(matcher, code), expected, `${matcher} ${code}`);
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An HTTP server that answers its name; /slow answers after `release()`. */
async function namedServer(name: string, opened: Array<() => Promise<void>>) {
  const waiting: Array<() => void> = [];
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((request, response) => {
    seen.push(request.headers);
    const answer = () => response.writeHead(200, { 'content-type': 'text/plain' }).end(name);
    if (request.url === '/slow') waiting.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { name, port: (server.address() as AddressInfo).port, seen, slowWaiting: () => waiting.length, releaseSlow: () => waiting.splice(0).forEach((answer) => answer()) };
}

describe('listeners in front of real servers', () => {
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const close of closers) await close();
  });

  async function balancerWith(targets: Array<{ name: string; port: number }>, spec: TargetGroupSpec = {}) {
    const clock = new ManualClock();
    const balancer = new Balancer({ clock, logger: silentLogger, onTargetGroupChange: () => undefined, closeGraceMs: 1000 });
    closers.push(() => balancer.stop());
    const set = balancer.configureTargetGroup('web', targetGroupConfig({ ...spec, healthCheck: { healthyThresholdCount: 2, ...spec.healthCheck } }));
    balancer.registerTargets('web', targets.map((t) => ({ id: t.name, address: '127.0.0.1', port: t.port, service: 'web' })));
    return { balancer, set, clock };
  }

  async function becomeHealthy(set: TargetSet): Promise<void> {
    await set.checkAll();
    await set.checkAll();
  }

  test('HTTP: round robin reaches every target, over one kept-alive client connection, with X-Forwarded-For/-Proto/-Port', async () => {
    const servers = await Promise.all(['a', 'b', 'c'].map((n) => namedServer(n, closers)));
    const { balancer, set } = await balancerWith(servers);
    const port = await freePort();
    const [state] = await balancer.applyLoadBalancer('front', [{ port, protocol: 'HTTP', bindAddress: '127.0.0.1', forward: [{ name: 'web', weight: 1 }] }]);
    assert.equal(state?.state, 'active');
    await becomeHealthy(set);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    closers.push(async () => agent.destroy());
    const answers: string[] = [];
    const sockets = new Set<unknown>();
    for (let i = 0; i < 6; i++) {
      const { body, socket } = await get(port, '/', agent);
      answers.push(body);
      sockets.add(socket);
    }
    assert.deepEqual(answers, ['a', 'b', 'c', 'a', 'b', 'c']);
    assert.equal(sockets.size, 1, 'the client connection was kept alive');
    const headers = servers[0]!.seen.find((h) => h['user-agent'] !== 'ELB-HealthChecker/2.0')!;
    assert.equal(headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(headers['x-forwarded-proto'], 'http');
    assert.equal(headers['x-forwarded-port'], String(port));
  });

  test('HTTP: 503 with ELB body when no target is healthy; a target that refuses connections is skipped, not failed', async () => {
    const alive = await namedServer('alive', closers);
    const deadPort = await freePort();
    const { balancer, set } = await balancerWith([alive]);
    const port = await freePort();
    await balancer.applyLoadBalancer('front', [{ port, protocol: 'HTTP', bindAddress: '127.0.0.1', forward: [{ name: 'web', weight: 1 }] }]);
    const unavailable = await get(port, '/');
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.body, elbErrorBody(503, 'Service Temporarily Unavailable'));
    await becomeHealthy(set);
    // A target that was healthy and stopped listening: its health has not caught up yet.
    balancer.registerTargets('web', [{ id: 'alive', address: '127.0.0.1', port: alive.port, service: 'web' }, { id: 'dead', address: '127.0.0.1', port: deadPort, service: 'web' }]);
    await set.checkAll();
    await set.checkAll();
    assert.equal(set.health('dead')?.state, 'unhealthy');
    markHealthy(set, 'dead');
    for (let i = 0; i < 4; i++) assert.deepEqual(await get(port, '/').then((r) => [r.status, r.body]), [200, 'alive'], `request ${i} retried on the live target`);
  });

  test('HTTP: a draining target finishes its in-flight slow request; new requests go elsewhere', async () => {
    const [a, b] = await Promise.all([namedServer('a', closers), namedServer('b', closers)]);
    const { balancer, set } = await balancerWith([a!, b!]);
    const port = await freePort();
    await balancer.applyLoadBalancer('front', [{ port, protocol: 'HTTP', bindAddress: '127.0.0.1', forward: [{ name: 'web', weight: 1 }] }]);
    await becomeHealthy(set);
    const slow = get(port, '/slow');
    await until(() => a!.slowWaiting() === 1);
    balancer.registerTargets('web', [{ id: 'b', address: '127.0.0.1', port: b!.port, service: 'web' }]);
    assert.equal(set.health('a')?.state, 'draining');
    for (let i = 0; i < 3; i++) assert.equal((await get(port, '/')).body, 'b');
    a!.releaseSlow();
    assert.deepEqual(await slow.then((r) => [r.status, r.body]), [200, 'a']);
    await until(() => set.health('a') === undefined);
  });

  test('TCP: connections go round robin to the targets', async () => {
    const ports: number[] = [];
    for (const name of ['x', 'y']) {
      const server = net.createServer((socket) => socket.on('error', () => undefined).end(name));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      closers.push(() => new Promise((resolve) => server.close(() => resolve())));
      ports.push((server.address() as AddressInfo).port);
    }
    const clock = new ManualClock();
    const set = new TargetSet({ name: 'tcp', config: targetGroupConfig({ protocol: 'TCP', healthCheck: { healthyThresholdCount: 2 } }), clock, probe: probeTarget, onChange: () => undefined });
    set.setInUse(true);
    set.reconcile([{ id: 'x', address: '127.0.0.1', port: ports[0]!, service: 's' }, { id: 'y', address: '127.0.0.1', port: ports[1]!, service: 's' }]);
    await becomeHealthy(set);
    const picked: string[] = [];
    const listener = new TcpListener(
      { host: '127.0.0.1', port: 0 },
      {
        pick: (exclude) => {
          const target = set.pick(exclude);
          if (target) picked.push(target.id);
          return target;
        },
      },
      silentLogger,
    );
    await listener.listen();
    closers.push(() => listener.close(100));
    const read = () =>
      new Promise<string>((resolve, reject) => {
        let text = '';
        net.connect({ host: '127.0.0.1', port: listener.boundPort() }).on('data', (d) => (text += d.toString())).on('end', () => resolve(text)).on('error', reject);
      });
    assert.deepEqual([await read(), await read(), await read(), await read()], ['x', 'y', 'x', 'y']);
    // A target that stopped listening before its health caught up: its connections go to another.
    set.register({ id: 'gone', address: '127.0.0.1', port: await freePort(), service: 's' });
    markHealthy(set, 'gone');
    picked.length = 0;
    const answers = [await read(), await read(), await read(), await read()];
    // Round robin over three sent at least one connection to 'gone': it was retried on a live target.
    assert.ok(picked.includes('gone'), `picked: ${picked.join(' ')}`);
    assert.ok(answers.every((a) => a === 'x' || a === 'y'), answers.join(' '));
  });

  test('a listener whose port is taken reports it, and the others still bind', async () => {
    const taken = await namedServer('other', closers);
    const { balancer } = await balancerWith([]);
    const free = await freePort();
    const states = await balancer.applyLoadBalancer('front', [
      { port: taken.port, protocol: 'HTTP', bindAddress: '127.0.0.1', forward: [{ name: 'web', weight: 1 }] },
      { port: free, protocol: 'HTTP', bindAddress: '127.0.0.1', forward: [{ name: 'web', weight: 1 }] },
    ]);
    assert.deepEqual(states.map((s) => [s.state, s.reason]), [['failed', `port ${taken.port} on 127.0.0.1 is already in use`], ['active', undefined]]);
    assert.deepEqual(balancer.loadBalancersOf('web'), ['front']);
    await balancer.removeLoadBalancer('front');
    assert.deepEqual(balancer.loadBalancersOf('web'), []);
    assert.equal(balancer.describeTargets('web').length, 0);
  });
});

/** Tests only: a target whose checks fail is made healthy as if its health had not caught up with it yet. */
function markHealthy(set: TargetSet, id: string): void {
  const targets = (set as unknown as { targets: Map<string, { state: string }> }).targets;
  targets.get(id)!.state = 'healthy';
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check(), 'condition not reached');
}

function get(port: number, path: string, agent?: http.Agent): Promise<{ status: number; body: string; socket: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, ...(agent ? { agent } : { agent: false }) }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, socket: request.socket }));
    });
    request.on('error', reject);
  });
}
