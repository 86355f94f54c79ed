/**
 * The load balancer berth runs itself: target groups (their targets and health checks) and
 * the listeners of the LoadBalancer manifests, in the controller's process. A side
 * service: the targetgroup controller tells it which targets to register, the
 * loadbalancer controller which listeners to bind; it tells back when a target's health
 * changes. The deployment controller reads target health through `TargetHealth`.
 */
import type { Clock } from '../clock.js';
import { errorMessage } from '../errors.js';
import type { ListenerStatus, TargetGroupConfig, TargetHealthView, TargetProtocol } from '../kinds/index.js';
import type { Logger } from '../log.js';
import { probeTarget, type Probe } from './healthCheck.js';
import { HttpListener } from './httpListener.js';
import { WeightedRouter, type WeightedGroup } from './router.js';
import { TcpListener } from './tcpListener.js';
import { TargetSet, type TargetRegistration } from './targetSet.js';

/** What the deployment controller asks of the load balancer: is this task's target healthy in that group. */
export interface TargetHealth {
  targetHealth(group: string, taskId: string): TargetHealthView | undefined;
}

export interface ListenerSpec {
  port: number;
  protocol: TargetProtocol;
  bindAddress: string;
  forward: readonly WeightedGroup[];
}

export interface BalancerOptions {
  clock: Clock;
  logger: Logger;
  /** A target group's targets or their health changed. */
  onTargetGroupChange(group: string): void;
  /** @default real HTTP and TCP checks */
  probe?: Probe;
  /** How long requests in flight may finish when a listener closes. @default 10000 */
  closeGraceMs?: number;
}

interface RunningListener {
  owner: string;
  spec: ListenerSpec;
  router: WeightedRouter;
  server: HttpListener | TcpListener;
}

export class Balancer implements TargetHealth {
  private readonly groups = new Map<string, TargetSet>();
  /** By "address:port". */
  private readonly listeners = new Map<string, RunningListener>();
  private stopped = false;

  constructor(private readonly options: BalancerOptions) {}

  /** Creates the group or updates its settings; health checks start at once. */
  configureTargetGroup(name: string, config: TargetGroupConfig): TargetSet {
    const known = this.groups.get(name);
    if (known) {
      known.configure(config);
      return known;
    }
    const set = new TargetSet({ name, config, clock: this.options.clock, probe: this.options.probe ?? probeTarget, onChange: () => this.options.onTargetGroupChange(name) });
    this.groups.set(name, set);
    set.setInUse(this.forwardsTo(name));
    if (!this.stopped) set.start();
    return set;
  }

  removeTargetGroup(name: string): void {
    this.groups.get(name)?.stop();
    this.groups.delete(name);
  }

  registerTargets(group: string, wanted: readonly TargetRegistration[]): { registered: TargetRegistration[]; deregistered: TargetRegistration[] } {
    const set = this.groups.get(group);
    if (!set) throw new Error(`target group ${group} is not configured`);
    return set.reconcile(wanted);
  }

  targetHealth(group: string, taskId: string): TargetHealthView | undefined {
    return this.groups.get(group)?.health(taskId);
  }

  describeTargets(group: string): TargetHealthView[] {
    return this.groups.get(group)?.describe() ?? [];
  }

  /** The LoadBalancers with a listener that forwards to the group. */
  loadBalancersOf(group: string): string[] {
    return [...new Set([...this.listeners.values()].filter((l) => l.spec.forward.some((f) => f.name === group)).map((l) => l.owner))].sort();
  }

  /**
   * Makes the LoadBalancer's listeners these: new ones are bound, gone ones closed, changed
   * forward actions take effect on the next request. Returns each listener's state.
   */
  async applyLoadBalancer(owner: string, specs: readonly ListenerSpec[]): Promise<ListenerStatus[]> {
    const wanted = new Map(specs.map((s) => [listenerKey(s), s]));
    for (const [key, listener] of this.listeners) {
      const spec = wanted.get(key);
      if (listener.owner === owner && (!spec || spec.protocol !== listener.spec.protocol)) await this.closeListener(key);
    }
    const states: ListenerStatus[] = [];
    for (const spec of specs) states.push(await this.ensureListener(owner, spec));
    this.updateGroupsInUse();
    return states;
  }

  async removeLoadBalancer(owner: string): Promise<void> {
    for (const [key, listener] of this.listeners) if (listener.owner === owner) await this.closeListener(key);
    this.updateGroupsInUse();
  }

  /** Closes every listener (in-flight requests get the grace period) and stops health checks. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.listeners.keys()].map((key) => this.closeListener(key)));
    for (const set of this.groups.values()) set.stop();
  }

  private async ensureListener(owner: string, spec: ListenerSpec): Promise<ListenerStatus> {
    const key = listenerKey(spec);
    const status = { port: spec.port, protocol: spec.protocol, bindAddress: spec.bindAddress };
    const running = this.listeners.get(key);
    if (running && running.owner !== owner) return { ...status, state: 'failed', reason: `${key} is already a listener of LoadBalancer ${running.owner}` };
    if (running) {
      running.spec = spec;
      running.router.setGroups(spec.forward);
      return { ...status, state: 'active' };
    }
    if (this.stopped) return { ...status, state: 'failed', reason: 'the load balancer is shutting down' };
    const router = new WeightedRouter(spec.forward, {
      // A group of the other protocol takes no traffic: the loadbalancer controller reports it.
      hasHealthyTarget: (group) => this.groups.get(group)?.protocol === spec.protocol && this.groups.get(group)!.hasHealthyTarget(),
      pick: (group, exclude) => this.groups.get(group)?.pick(exclude),
    });
    const logger = this.options.logger.child({ listener: key });
    const server = spec.protocol === 'HTTP' ? new HttpListener({ host: spec.bindAddress, port: spec.port }, router, logger) : new TcpListener({ host: spec.bindAddress, port: spec.port }, router, logger);
    try {
      await server.listen();
    } catch (error) {
      return { ...status, state: 'failed', reason: bindFailure(spec, error) };
    }
    this.listeners.set(key, { owner, spec, router, server });
    this.options.logger.info({ loadBalancer: owner, listener: key, protocol: spec.protocol }, 'listener bound');
    return { ...status, state: 'active' };
  }

  private async closeListener(key: string): Promise<void> {
    const listener = this.listeners.get(key);
    if (!listener) return;
    this.listeners.delete(key);
    await listener.server.close(this.options.closeGraceMs ?? 10_000);
    this.options.logger.info({ loadBalancer: listener.owner, listener: key }, 'listener closed');
  }

  private forwardsTo(group: string): boolean {
    return [...this.listeners.values()].some((l) => l.spec.forward.some((f) => f.name === group));
  }

  private updateGroupsInUse(): void {
    for (const [name, set] of this.groups) set.setInUse(this.forwardsTo(name));
  }
}

function listenerKey(spec: { bindAddress: string; port: number }): string {
  return `${spec.bindAddress}:${spec.port}`;
}

function bindFailure(spec: ListenerSpec, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port ${spec.port} on ${spec.bindAddress} is already in use`;
  if (code === 'EADDRNOTAVAIL') return `${spec.bindAddress} is not an address of this host`;
  if (code === 'EACCES') return `binding port ${spec.port} needs privileges the controller lacks`;
  return `cannot listen on ${spec.bindAddress}:${spec.port}: ${errorMessage(error)}`;
}
