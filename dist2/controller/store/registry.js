const RECORD = 'taskdefinitions';
/**
 * Task definition revisions: every spec change of a family registers revision N+1,
 * immutable. Kept in the state directory; when that is lost, the revisions found on
 * running containers raise the floor so numbers are still never reused.
 */
export class TaskDefinitionRegistry {
    state;
    families;
    constructor(state) {
        this.state = state;
        this.families = state?.load(RECORD, {}) ?? {};
    }
    /** Registers the spec if it differs from the latest revision; returns the revision in force. */
    register(family, spec, specHash, now, options = {}) {
        const entry = (this.families[family] ??= { status: 'ACTIVE', revisions: [], highest: 0 });
        const latest = entry.revisions.at(-1);
        // History lost, and running tasks show this very spec under its old number: keep the number.
        if (!latest && options.adoptRevision !== undefined && options.adoptRevision >= entry.highest) {
            const revision = { revision: options.adoptRevision, specHash, registeredAt: new Date(now).toISOString(), spec };
            entry.status = 'ACTIVE';
            entry.revisions.push(revision);
            entry.highest = revision.revision;
            this.persist();
            return { revision, created: false };
        }
        const wasInactive = entry.status !== 'ACTIVE';
        entry.status = 'ACTIVE';
        if (latest && latest.specHash === specHash) {
            if (wasInactive)
                this.persist();
            return { revision: latest, created: false };
        }
        const revision = { revision: entry.highest + 1, specHash, registeredAt: new Date(now).toISOString(), spec };
        entry.revisions.push(revision);
        entry.highest = revision.revision;
        this.persist();
        return { revision, created: true };
    }
    /** The family's manifest is gone: no new revisions; running tasks keep running. */
    deactivate(family) {
        const entry = this.families[family];
        if (!entry || entry.status === 'INACTIVE')
            return false;
        entry.status = 'INACTIVE';
        this.persist();
        return true;
    }
    /** A revision number seen on a running container: later registrations go above it. */
    observeRevision(family, revision) {
        const entry = (this.families[family] ??= { status: 'INACTIVE', revisions: [], highest: 0 });
        if (revision > entry.highest) {
            entry.highest = revision;
            this.persist();
        }
    }
    /** Labels of containers seen on the engines, by family and revision: what a lost history is rebuilt from. */
    observed = new Map();
    /** Notes a container found on an engine. */
    observeContainer(labels, familyLabel, revisionLabel) {
        const family = labels[familyLabel];
        const revision = Number(labels[revisionLabel]);
        if (!family || !Number.isInteger(revision) || revision < 1)
            return;
        this.observeRevision(family, revision);
        const byRevision = this.observed.get(family) ?? new Map();
        byRevision.set(revision, [...(byRevision.get(revision) ?? []), labels]);
        this.observed.set(family, byRevision);
    }
    /** The highest revision seen running for a family, with its containers' labels. */
    observedLatest(family) {
        const byRevision = this.observed.get(family);
        if (!byRevision?.size)
            return undefined;
        const revision = Math.max(...byRevision.keys());
        return { revision, containers: byRevision.get(revision) };
    }
    family(family) {
        return this.families[family];
    }
    /** `family` (latest revision) or `family:N`. */
    resolve(reference) {
        const [family, number] = reference.split(':');
        const entry = this.families[family];
        if (!entry)
            return undefined;
        if (number === undefined)
            return entry.revisions.at(-1);
        return entry.revisions.find((r) => r.revision === Number(number));
    }
    persist() {
        this.state?.save(RECORD, this.families);
    }
}
export { taskDefinitionArn } from '../arn.js';
//# sourceMappingURL=registry.js.map