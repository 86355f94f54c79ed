import type { TaskDefinitionStatus } from '../../kinds/index.js';
import type { Logger } from '../../log.js';
import { formatManifestError } from '../../store/parse.js';
import { buildConditions } from '../conditions.js';
import type { ControllerContext, ReconcileResult, Reconciler } from '../context.js';
import { configHash } from '../tasks/containerSpecs.js';
import { taskDefinitionArn } from './registry.js';

/**
 * Registers a new immutable revision for every spec change of a family, marks the
 * family INACTIVE when its manifest is removed (running tasks keep running), and
 * tells the services that use the family.
 */
export class TaskDefinitionController implements Reconciler {
  readonly kind = 'TaskDefinition';
  private readonly conditions = new Map<string, TaskDefinitionStatus['conditions']>();

  constructor(private readonly ctx: ControllerContext) {}

  async reconcile(family: string, log: Logger): Promise<ReconcileResult> {
    const { ctx } = this;
    const resource = ctx.store.get('TaskDefinition', family);
    if (!resource) {
      if (ctx.registry.deactivate(family)) log.info('task definition family is INACTIVE');
      this.notifyServices(family);
      return {};
    }
    const now = ctx.clock.now();
    // Revisions follow the spec alone: a label or annotation edit is not a new revision.
    const { revision, created } = ctx.registry.register(family, resource.manifest.spec, configHash(resource.manifest.spec), now);
    if (created) log.info({ revision: revision.revision }, 'registered task definition revision');
    const entry = ctx.registry.family(family)!;
    const conditions = buildConditions(
      [
        resource.errors.length
          ? { type: 'Valid', status: 'False', reason: 'InvalidSpec', message: `${resource.errors.map(formatManifestError).join('; ')} (revision ${revision.revision} stays in force)` }
          : { type: 'Valid', status: 'True', reason: 'SpecAccepted', message: 'The spec is valid.' },
      ],
      this.conditions.get(family) ?? [],
      now,
    );
    this.conditions.set(family, conditions);
    const status: TaskDefinitionStatus = {
      status: 'ACTIVE',
      family,
      revision: revision.revision,
      taskDefinitionArn: taskDefinitionArn(family, revision.revision),
      registeredAt: revision.registeredAt,
      revisions: entry.revisions.slice(-10).reverse().map((r) => ({ revision: r.revision, registeredAt: r.registeredAt, specHash: r.specHash })),
      conditions,
    };
    await ctx.status.write({ file: resource.file, kind: 'TaskDefinition', name: family }, status as unknown as Record<string, unknown>);
    if (created) this.notifyServices(family);
    return {};
  }

  private notifyServices(family: string): void {
    for (const service of this.ctx.store.list('Service')) {
      if (service.manifest.spec.taskDefinition.split(':')[0] === family) this.ctx.enqueue(`Service/${service.name}`);
    }
  }
}
