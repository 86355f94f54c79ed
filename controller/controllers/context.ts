import type { Clock } from '../clock.js';
import type { EnginePool } from '../engines.js';
import type { Logger } from '../log.js';
import type { SecretsProvider } from '../secrets/index.js';
import type { MetadataEndpoint } from '../metadata/server.js';
import type { KeyKind } from '../keys.js';
import type { CapacityProviderStatus, ClusterStatus, KindName, LoadBalancerStatus, ServiceStatus, TargetGroupStatus, TaskDefinitionStatus } from '../kinds/index.js';
import type { TaskStatus } from './task/plan.js';
import type { ObservedTask } from '../observer/observe.js';
import type { StoppedTask } from '../state/ledger.js';
import type { ManifestStore } from '../store/store.js';
import type { Ledger } from '../state/ledger.js';
import type { ServicePlanOptions } from './service/plan.js';
import type { TaskDefinitionRegistry } from '../store/registry.js';

/** Where a controller's observed status goes: the status writer, or a test's recorder. */
export interface StatusSink {
  write(target: { file: string; kind: string; name: string }, status: Record<string, unknown>): Promise<unknown>;
}

/** The status each kind's controller writes. */
export interface KindStatus {
  Cluster: ClusterStatus;
  CapacityProvider: CapacityProviderStatus;
  TaskDefinition: TaskDefinitionStatus;
  Service: ServiceStatus;
  Task: TaskStatus;
  TargetGroup: TargetGroupStatus;
  LoadBalancer: LoadBalancerStatus;
}

/**
 * Writes a kind's status, typed by its kind. The sink takes plain records (it writes any
 * kind into YAML or JSON); this is the one place a typed status becomes one.
 */
export function writeStatus<K extends keyof KindStatus>(sink: StatusSink, target: { file: string; kind: K; name: string }, status: KindStatus[K]): Promise<unknown> {
  return sink.write(target, status as unknown as Record<string, unknown>);
}

/** The outcome of one reconcile, as in controller-runtime: an error backs off, requeueAfter polls. */
export interface ReconcileResult {
  /** What the executor is to do, in this order. */
  actions?: Action[];
  requeueAfterMs?: number;
}

/**
 * A change a plan asks for. Controllers only return them; the executor applies them, the
 * one place that writes to engines and to the ledger. `engine` is the address the task's
 * containers were listed on.
 */
export type Action =
  /** SIGTERM, then SIGKILL after stopTimeout, in reverse dependency order; in the background. */
  | { type: 'stopTask'; group: string; engine: string; task: ObservedTask }
  /** The stopped task's containers and task-scoped volumes go. */
  | { type: 'removeTask'; group: string; engine: string; task: ObservedTask }
  /** Tasks that finished stopping enter the group's stopped history. */
  | { type: 'recordStopped'; group: string; stopped: StoppedTask[] }
  /** A stop request whose task is gone is forgotten. */
  | { type: 'settleStopRequest'; group: string; taskId: string }
  /** Everything about a group goes, unless its owner's manifest is back by then. */
  | { type: 'dropGroup'; group: string; unlessDefined: { kind: 'Service' | 'Task'; name: string } }
  /** The network exists on the engine (best effort: a later launch ensures it again). */
  | { type: 'ensureNetwork'; engine: string; name: string; labels: Readonly<Record<string, string>> }
  /** Another key is reconciled. */
  | { type: 'enqueue'; key: string }
  /** An ECS service event in the group's history ("(service web) registered 2 targets in (target-group web)"). */
  | { type: 'addEvent'; group: string; message: string };

/** What the executor is doing, as plans see it. */
export interface Execution {
  /** A stop of this task is under way. */
  isStopping(taskId: string): boolean;
}

/** An error no retry can fix: it lands in status and the log, and the key is not retried. */
export class TerminalError extends Error {}

export interface Reconciler {
  /** The kind part of the keys it owns ("Service" for "Service/web"). */
  readonly kind: KeyKind;
  /** What it is reconciled for besides a change of its own key: read by the manager, which has no rules of its own. */
  readonly watches: Watches;
  reconcile(name: string, log: Logger): Promise<ReconcileResult>;
}

/** What watches read of the manifests: which resources of a kind there are. */
export interface WatchStore {
  list(kind: KindName): ReadonlyArray<{ name: string }>;
  get(kind: KindName, name: string): unknown;
}

/**
 * Which events map to which of a controller's keys, as controller-runtime's watches: a
 * change of a manifest of another kind, a change of a container on an engine, an engine
 * coming back. A manifest of the controller's own kind always maps to its own key.
 */
export interface Watches {
  /** Per kind of manifest changed (added, edited or removed): the keys to reconcile. */
  manifests?: Partial<Record<KindName, (changed: string, store: WatchStore) => string[]>>;
  /** A container with these labels changed on an engine, or was found when relisting. */
  containers?: ContainerWatch;
  /** Every key of the controller's kind in the manifests is reconciled when an engine is back or resyncs. */
  everyKeyOnEngineReturn?: boolean;
}

export interface ContainerWatch {
  keys(labels: Readonly<Record<string, string>>, store: WatchStore): string[];
  /**
   * Looked at again this long after the container exits: the engine announces an exit
   * before every API reports the container stopped, so a reconcile right after `die` may
   * still see it running.
   */
  recheckAfterExitMs?: number;
}

export interface ControllerOptions {
  service: ServicePlanOptions;
  /** A task running this long counts as started successfully (resets the crash-loop throttle). @default 30000 */
  stableAfterMs: number;
  /** Stopped tasks whose containers are kept (newest first) per service, for inspection. @default 5 */
  keepStoppedContainers: number;
  /** Containers of stopped tasks are removed after this long. @default 3600000 */
  stoppedContainerRetentionMs: number;
  /**
   * Stopped standalone tasks (Task manifests) stay listed, their containers kept for
   * inspection, this long after they stopped. @default 86400000 (24 h; ECS keeps an hour)
   */
  taskRetentionMs: number;
  /** Stopped tasks and events shown in a service's status. @default 5 / 10 */
  statusStoppedTasks: number;
  statusEvents: number;
  /** Image of the container that owns a task's shared namespaces (awsvpc, pidMode/ipcMode task). @default berth/pause:1 */
  pauseImage: string;
  /** Image of the short-lived container that makes EFS directories inside a file system's volume. @default berth/busybox:1 */
  efsHelperImage?: string;
  /** How soon a task that could not be placed (a host port it needs is taken) is tried again. @default 5000 */
  placementRetryMs: number;
}

/** Shared state the controllers meet in; they never call each other. */
export interface ControllerContext {
  store: ManifestStore;
  engines: EnginePool;
  registry: TaskDefinitionRegistry;
  ledger: Ledger;
  status: StatusSink;
  clock: Clock;
  logger: Logger;
  options: ControllerOptions;
  /** Secrets, S3 environment files and registry logins of the tasks launched. */
  secrets: SecretsProvider;
  /** The task metadata endpoint, when the controller serves one. */
  metadata?: MetadataEndpoint;
  enqueue(key: string, afterMs?: number): void;
  /** What the executor is carrying out. */
  execution: Execution;
}
