import type { Clock } from '../clock.js';
import type { EnginePool } from '../engines.js';
import type { Logger } from '../log.js';
import type { SecretsProvider } from '../secrets/index.js';
import type { MetadataEndpoint } from '../metadata/server.js';
import type { KeyKind } from '../keys.js';
import type { Condition, KindName, StatusOf, TaskDefinitionSpec } from '../kinds/index.js';
import type { ObservedTask } from '../observer/observe.js';
import type { RunTaskTimes, StopRequest, StoppedTask, TaskRun } from '../state/ledger.js';
import type { ObservedContainer } from '../runtime/runtime.js';
import type { LaunchTarget } from '../scheduler/launchTarget.js';
import type { PlacementFailure } from '../scheduler/hostPorts.js';
import type { ManifestStore } from '../store/store.js';
import type { Ledger } from '../state/ledger.js';
import type { ServicePlanOptions } from './service/plan.js';
import type { TaskDefinitionRegistry } from '../store/registry.js';

/** Where a controller's observed status goes: the status writer, or a test's recorder. */
export interface StatusSink {
  write(target: { file: string; kind: string; name: string }, status: Record<string, unknown>): Promise<unknown>;
}

/**
 * Writes a kind's status, typed by its kind's status schema (kinds/), which the published
 * schema under manifests/ shows. The sink takes plain records: it writes any kind.
 */
export function writeStatus<K extends KindName>(sink: StatusSink, target: { file: string; kind: K; name: string }, status: StatusOf<K>): Promise<unknown> {
  return sink.write(target, status);
}

/** Writes a status that was planned as data. */
export function writePlannedStatus(sink: StatusSink, { status, ...target }: StatusWrite): Promise<unknown> {
  return sink.write(target, status);
}

/** The outcome of one reconcile, as in controller-runtime: an error backs off, requeueAfter polls. */
export interface ReconcileResult {
  /** What the executor is to do, in this order. */
  actions?: Action[];
  requeueAfterMs?: number;
}

/** The service or Task manifest a group of tasks belongs to. */
export interface TaskOwner {
  kind: 'Service' | 'Task';
  name: string;
  /** Its tasks' group label: "service:web". */
  group: string;
}

/** Where a kind's status is written, and the status, typed together. */
export type StatusWrite = { [K in KindName]: { file: string; kind: K; name: string; status: StatusOf<K> } }[KindName];

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
  /** Tasks that finished stopping enter the group's stopped history; a service's events tell the ones newly recorded. */
  | { type: 'recordStopped'; group: string; stopped: StoppedTask[] }
  /** A stop request whose task is gone is forgotten. */
  | { type: 'settleStopRequest'; group: string; taskId: string }
  /** Everything about a group goes, unless its owner's manifest is back by then. */
  | { type: 'dropGroup'; group: string; unlessDefined: { kind: 'Service' | 'Task'; name: string } }
  /** The network exists on the engine (best effort: a later launch ensures it again). */
  | { type: 'ensureNetwork'; engine: string; name: string; labels: Readonly<Record<string, string>> }
  /** Another key is reconciled. */
  | { type: 'enqueue'; key: string }
  /** A task is to stop; the retirement controller carries the stop out. */
  | { type: 'requestStop'; group: string; taskId: string; request: StopRequest }
  /** One of the group's ECS service events. */
  | { type: 'addEvent'; group: string; message: string; at: number }
  /** Whether the service is in a steady state now (its event is a separate action). */
  | { type: 'setSteady'; group: string; steady: boolean }
  /** The conditions written, remembered for their transition times. */
  | { type: 'setConditions'; group: string; conditions: Condition[] }
  /** A standalone run is recorded as launched: before its launches, so that a restart never launches it again. */
  | { type: 'recordRun'; group: string; run: TaskRun }
  /** Times of one task of a standalone run that the engine does not date. */
  | { type: 'noteTaskTimes'; group: string; taskId: string; times: Partial<RunTaskTimes> }
  /** An exited container restarts in place; the event is told once it has. */
  | { type: 'restartContainer'; group: string; engine: string; taskId: string; container: ObservedContainer; event: string }
  /** New tasks, with the ids the plan chose, launched in the background; each end requeues the owner. */
  | { type: 'launchTasks'; owner: TaskOwner; taskIds: string[]; target: LaunchTarget; spec: TaskDefinitionSpec; at: number; announceWhenPlaced: boolean }
  /** A task a previous controller created but did not finish starting is started, in the background. */
  | { type: 'resumeTask'; owner: TaskOwner; engine: string; taskId: string; revision: number; at: number }
  /** A service's task could not be placed: remembered until one is, its event told once. */
  | { type: 'placementFailed'; group: string; failure: PlacementFailure }
  /** Every wanted task of the group runs: the last placement failure says nothing any more. */
  | { type: 'forgetPlacementFailure'; group: string }
  /** The refusal (task policy, runtime platform) told for the group, so that it is told once; undefined when it no longer holds. */
  | { type: 'noteRefusal'; group: string; message: string | undefined }
  /**
   * The status is written, after the actions before it. A service's events and stopped
   * tasks are the ledger's as they stand then (`history`): the events' ids are the ledger's.
   */
  | { type: 'writeStatus'; write: StatusWrite; history?: { group: string; events: number; stoppedTasks: number } };

/** A launch or resumption under way, as plans count it. */
export interface LaunchUnderWay {
  revision: number;
  createdAt: number;
}

/** What the executor is doing, as plans see it. */
export interface Execution {
  /** A stop of this task is under way. */
  isStopping(taskId: string): boolean;
  /** The group's launches and resumptions under way, by task id. */
  launching(group: string): ReadonlyMap<string, LaunchUnderWay>;
  /** The group's last task that could not be placed, until one is placed again. */
  placementFailure(group: string): PlacementFailure | undefined;
  /** The refusal last told for the group, while it lasts. */
  refusalTold(group: string): string | undefined;
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

/**
 * What the service and task controllers read to plan; they write nothing themselves (the
 * ledger is only read: its writes are actions).
 */
export type OwnerContext = Pick<ControllerContext, 'clock' | 'options' | 'execution' | 'logger'> & {
  store: Pick<ManifestStore, 'get' | 'mayDefine'>;
  registry: Pick<TaskDefinitionRegistry, 'resolve' | 'observeRevision'>;
  engines: Pick<EnginePool, 'all' | 'get' | 'outageOf' | 'currentOutage'>;
  ledger: Pick<Ledger, 'get'>;
};

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
