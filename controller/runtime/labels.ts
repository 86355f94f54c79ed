/**
 * Ownership lives in container labels: they are how the controller adopts after a
 * restart and how it tells its containers from anyone else's.
 */
export const LABEL = {
  managed: 'berth.managed',
  /** Which controller (manifests directory, or --owner) the container belongs to. */
  owner: 'berth.owner',
  cluster: 'berth.cluster',
  /** "service:web" or "task:batch" — the group a task belongs to. */
  group: 'berth.group',
  taskId: 'berth.task-id',
  family: 'berth.family',
  revision: 'berth.revision',
  container: 'berth.container',
  configHash: 'berth.config-hash',
  /** "true" or "false": whether this container stopping stops its task (ECS essential). */
  essential: 'berth.essential',
  /** Seconds between SIGTERM and SIGKILL when the task stops (ECS stopTimeout). */
  stopTimeout: 'berth.stop-timeout',
  /** How many containers the task has, so a task left half-created by a crash is recognised. */
  taskContainers: 'berth.task-containers',
  /** The container's dependsOn as JSON: [{"containerName":"db","condition":"HEALTHY"}], for ordered starts and stops. */
  dependsOn: 'berth.depends-on',
  /** Seconds the task waits for this container to meet a dependent's condition (ECS startTimeout). */
  startTimeout: 'berth.start-timeout',
  /** The container's restart policy as JSON: {"ignoredExitCodes":[0],"restartAttemptPeriod":300}; absent when disabled. */
  restartPolicy: 'berth.restart-policy',
  /** "true" when the container has a health check (ECS healthCheck). */
  healthCheck: 'berth.health-check',
  /** Which engine of which capacity provider the task was placed on. */
  capacityProvider: 'berth.capacity-provider',
  /** awslogs containers: the log group (awslogs-group) their output is kept under. */
  logGroup: 'berth.log-group',
  /** awslogs containers: the stream name ECS would give their output, prefix/container/task-id. */
  logStream: 'berth.log-stream',
} as const;

export function groupLabel(kind: 'service' | 'task', name: string): string {
  return `${kind}:${name}`;
}
