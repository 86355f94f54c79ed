import { buildConditions, validCondition } from '../conditions.js';
import { formatManifestError } from '../../store/parse.js';
import { writeStatus } from '../context.js';
import { LABEL } from '../../runtime/labels.js';
import { configHash, isPauseContainer, taskContainerSpecs } from '../../taskspec/containerSpecs.js';
import { taskDefinitionArn } from '../../store/registry.js';
import { key, parseGroup } from '../../keys.js';
/** `web:3` → `web`: a service's task definition reference names a family, with or without a revision. */
function familyOf(reference) {
    return reference.split(':')[0];
}
/**
 * `Compatible`: False, naming each field, while the spec uses ECS fields berth accepts
 * without applying them (see kinds/ecsCompatibility.ts).
 */
export function compatibleCondition(warnings) {
    if (warnings.length === 0) {
        return { type: 'Compatible', status: 'True', reason: 'AllFieldsApplied', message: 'Every field of the spec is applied.' };
    }
    const message = warnings.map((w) => (w.field === undefined ? w.message : `${w.field.replace(/^spec\./, '')}: ${w.message}`)).join('; ');
    return { type: 'Compatible', status: 'False', reason: 'FieldsIgnored', message };
}
/** The store index of services by the task definition family they run ("web:3" → web). */
export const SERVICES_BY_FAMILY = 'services-by-task-definition-family';
/** What the taskdefinition controller is reconciled for, besides its own manifests. */
export const TASK_DEFINITION_WATCHES = {};
/**
 * Registers a new immutable revision for every spec change of a family, marks the
 * family INACTIVE when its manifest is removed (running tasks keep running), and
 * tells the services that use the family.
 */
export class TaskDefinitionController {
    ctx;
    kind = 'TaskDefinition';
    watches = TASK_DEFINITION_WATCHES;
    conditions = new Map();
    /** Execution role warnings already logged, so a status write or resync does not repeat them. */
    loggedWarnings = new Set();
    constructor(ctx) {
        this.ctx = ctx;
        ctx.store.addIndex(SERVICES_BY_FAMILY, { kind: 'Service', valuesOf: (service) => [familyOf(service.manifest.spec.taskDefinition)] });
    }
    async reconcile(family, log) {
        const { ctx } = this;
        const resource = ctx.store.get('TaskDefinition', family);
        if (!resource) {
            if (ctx.registry.deactivate(family))
                log.info('task definition family is INACTIVE');
            this.notifyServices(family);
            return {};
        }
        const now = ctx.clock.now();
        // Revisions follow the spec alone: a label or annotation edit is not a new revision.
        const spec = resource.manifest.spec;
        const adoptRevision = ctx.registry.family(family)?.revisions.length ? undefined : this.revisionOnEngines(family, spec);
        const { revision, created } = ctx.registry.register(family, spec, configHash(spec), now, adoptRevision === undefined ? {} : { adoptRevision });
        if (created)
            log.info({ revision: revision.revision }, 'registered task definition revision');
        const entry = ctx.registry.family(family);
        const conditions = buildConditions([
            validCondition(resource.errors, `revision ${revision.revision} stays in force`),
            // A last valid spec remembered by an older release carries no warnings.
            compatibleCondition([...(resource.warnings ?? []), ...this.executionRoleWarning(resource.secretReference, log)]),
        ], this.conditions.get(family) ?? [], now);
        this.conditions.set(family, conditions);
        const status = {
            status: 'ACTIVE',
            family,
            revision: revision.revision,
            taskDefinitionArn: taskDefinitionArn(family, revision.revision),
            registeredAt: revision.registeredAt,
            revisions: entry.revisions.slice(-10).reverse().map((r) => ({ revision: r.revision, registeredAt: r.registeredAt, specHash: r.specHash })),
            conditions,
        };
        await writeStatus(ctx.status, { file: resource.file, kind: 'TaskDefinition', name: family }, status);
        if (created)
            this.notifyServices(family);
        return {};
    }
    /**
     * With the revision history lost, the number under which running tasks already run
     * this very spec: every container of the family's newest revision on the engines
     * carries the config hash this spec gives it.
     */
    revisionOnEngines(family, spec) {
        const latest = this.ctx.registry.observedLatest(family);
        if (!latest)
            return undefined;
        // The pause container is no container of the definition: it does not vote.
        const matches = latest.containers.filter((labels) => !isPauseContainer(labels)).every((labels) => {
            const group = labels[LABEL.group] ?? '';
            const identity = {
                cluster: labels[LABEL.cluster] ?? '',
                group,
                taskId: labels[LABEL.taskId] ?? '',
                family,
                revision: latest.revision,
                capacityProvider: labels[LABEL.capacityProvider] ?? '',
            };
            const owner = parseGroup(group);
            const serviceName = owner?.kind === 'service' ? owner.name : undefined;
            const expected = taskContainerSpecs(spec, identity, serviceName ? { serviceName } : {}).find((c) => c.labels[LABEL.container] === labels[LABEL.container]);
            return expected !== undefined && expected.labels[LABEL.configHash] === labels[LABEL.configHash];
        });
        return matches ? latest.revision : undefined;
    }
    /**
     * The execution role is the local secrets provider: no warning, unless the task
     * definition references secrets and the controller has nowhere to read them from.
     * Then one warning, at the first reference, in the log (once) and in the condition.
     */
    executionRoleWarning(reference, log) {
        if (!reference || this.ctx.secrets.configured())
            return [];
        const located = { ...reference, message: `${reference.message} (first referenced at ${reference.file}:${reference.line})` };
        const text = formatManifestError(reference);
        if (!this.loggedWarnings.has(text)) {
            this.loggedWarnings.add(text);
            log.warn({ file: reference.file, line: reference.line, column: reference.column, field: reference.field }, text);
        }
        return [located];
    }
    notifyServices(family) {
        for (const service of this.ctx.store.byIndex(SERVICES_BY_FAMILY, family))
            this.ctx.enqueue(key('Service', service.name));
    }
}
//# sourceMappingURL=controller.js.map