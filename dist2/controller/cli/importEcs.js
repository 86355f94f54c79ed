import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { policyAllowing, taskPolicyViolations } from '../taskspec/taskPolicy.js';
import { API_VERSION } from '../kinds/index.js';
import { parseConvertedJson } from '../store/parse.js';
import { decodeText } from '../store/textDecoding.js';
/**
 * `berth import ecs FILE`: an ECS task definition as JSON — the input of
 * `aws ecs register-task-definition --cli-input-json`, or what
 * `aws ecs describe-task-definition` prints (`{"taskDefinition": {...}, "tags": [...]}`) —
 * becomes a berth TaskDefinition manifest, unchanged under `spec:` except that nulls of
 * optional fields are left out (ECS reads them as absent). The result is validated as the
 * controller would validate it, and every error and warning names the line of FILE.
 */
export function importEcs(file, output) {
    let written;
    const check = parseConvertedJson(file, decodeText(readFileSync(file)).text, (value) => {
        const converted = ecsTaskDefinitionManifest(value);
        if ('manifest' in converted)
            written = converted.manifest;
        return converted;
    });
    // The validated manifest has the optional nulls left out; an invalid one is shown as written.
    const manifest = check.documents[0]?.manifest ?? written;
    if (manifest === undefined)
        return { text: '', errors: check.errors, warnings: check.warnings, policyNotes: [] };
    const body = output === 'json' ? `${JSON.stringify(manifest, null, 2)}\n` : stringify(manifest);
    const policyNotes = check.documents[0] ? taskPolicyNotes(check.documents[0].manifest.spec) : [];
    // JSON has no comments: there the notes go to stderr only.
    const text = output === 'yaml' && policyNotes.length ? `${policyNotes.map((n) => `# ${n}`).join('\n')}\n${body}` : body;
    return { text, errors: check.errors, warnings: check.warnings, policyNotes };
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/**
 * The TaskDefinition manifest of an ECS task definition in either shape. Describe output
 * (and a register input saved with `--include TAGS`) carries the task definition's tags
 * next to the `taskDefinition` wrapper, not inside it: they become the spec's `tags`, where
 * register-task-definition input has them, after any the definition itself holds.
 */
export function ecsTaskDefinitionManifest(value) {
    const wrapped = isRecord(value) && isRecord(value.taskDefinition);
    const written = wrapped ? value.taskDefinition : value;
    const prefix = wrapped ? ['taskDefinition'] : [];
    if (!isRecord(written) || typeof written.family !== 'string') {
        return { refusal: 'no "family" found; expected register-task-definition input or describe-task-definition output' };
    }
    const spec = { ...written };
    const ownTags = Array.isArray(written.tags) ? written.tags.length : 0;
    const outerTags = wrapped && isRecord(value) && Array.isArray(value.tags) ? value.tags : [];
    if (outerTags.length > 0)
        spec.tags = [...(Array.isArray(written.tags) ? written.tags : []), ...outerTags];
    const sourcePath = (path) => {
        if (path[0] === 'metadata')
            return [...prefix, 'family'];
        if (path[0] !== 'spec')
            return [];
        const rest = path.slice(1);
        const index = rest[1];
        if (outerTags.length > 0 && rest[0] === 'tags') {
            if (typeof index === 'number' && index >= ownTags)
                return ['tags', index - ownTags, ...rest.slice(2)];
            if (index === undefined && ownTags === 0)
                return ['tags'];
        }
        return [...prefix, ...rest];
    };
    return { manifest: { apiVersion: API_VERSION, kind: 'TaskDefinition', metadata: { name: written.family }, spec }, sourcePath };
}
/**
 * What a cluster's default task policy refuses in the definition, and the Cluster
 * `spec.taskPolicy` that allows it: the definition is valid, but its tasks run only in a
 * cluster that allows what it asks for.
 */
function taskPolicyNotes(spec) {
    const violations = taskPolicyViolations(spec, undefined);
    if (violations.length === 0)
        return [];
    return [
        ...violations.map((v) => `denied by default: rule ${v.rule}, field ${v.field} (${v.detail})`),
        `to run it, the Cluster manifest of its services and tasks needs: spec.taskPolicy: ${JSON.stringify(policyAllowing(violations))}`,
    ];
}
//# sourceMappingURL=importEcs.js.map