import { dirname } from 'node:path';
import type { ControllerContext } from '../controllers/context.js';
import type { EnginePool } from '../engines.js';
import type { ManifestStore } from '../store/store.js';
import type { Logger } from '../log.js';
import type { LaunchTarget } from '../scheduler/launchTarget.js';
import type { LaunchRequest } from './launcher.js';

/** What launches read besides their target: the ledger they record in, secrets, the metadata endpoint, options. */
export type LaunchContext = Pick<ControllerContext, 'ledger' | 'clock' | 'options' | 'secrets' | 'metadata' | 'enqueue'> & {
  store: Pick<ManifestStore, 'get' | 'dir'>;
  engines: Pick<EnginePool, 'currentOutage'>;
};

/**
 * The parts of a launch request that come from the target and the controller context,
 * the same for a service's tasks and a standalone run's.
 */
export function launchRequestFor(
  ctx: LaunchContext,
  target: LaunchTarget,
  task: { group: string; taskId: string; logger: Logger; shuttingDown: () => boolean },
): Omit<LaunchRequest, 'spec'> {
  return {
    runtime: target.runtime,
    identity: { cluster: target.cluster, group: task.group, taskId: task.taskId, family: target.family, revision: target.revision.revision, capacityProvider: target.provider },
    ...(ctx.metadata ? { metadata: ctx.metadata } : {}),
    ledger: ctx.ledger,
    logger: task.logger,
    now: () => ctx.clock.now(),
    shuttingDown: task.shuttingDown,
    secrets: ctx.secrets,
    taskDefinitionDir: taskDefinitionDir(ctx, target.family),
    imagePullPolicy: target.imagePullPolicy,
    pauseImage: ctx.options.pauseImage,
    engineAway: () => ctx.engines.currentOutage(target.runtime) !== undefined,
    ...(target.hostPathPolicy ? { hostPathPolicy: target.hostPathPolicy } : {}),
    ...(target.volumePolicy ? { volumePolicy: target.volumePolicy } : {}),
    ...(target.efsAccessPoints ? { efsAccessPoints: target.efsAccessPoints } : {}),
    ...(ctx.options.efsHelperImage ? { efsHelperImage: ctx.options.efsHelperImage } : {}),
  };
}

/**
 * Relative environment file paths are written relative to the TaskDefinition's manifest.
 * A family whose manifest is gone (its revisions still run) falls back to the manifests directory.
 */
function taskDefinitionDir(ctx: LaunchContext, family: string): string {
  const file = ctx.store.get('TaskDefinition', family)?.file;
  return file ? dirname(file) : ctx.store.dir;
}
