import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { policyAllowing, taskPolicyViolations } from '../controllers/tasks/taskPolicy.js';
import { API_VERSION, type TaskDefinitionSpec } from '../kinds/index.js';
import { parseManifestText, type ManifestError } from '../store/parse.js';
import { manifestKeepingEcsLines } from './ecsJsonLines.js';

/**
 * `berth import ecs FILE`: an ECS task definition as JSON — the input of
 * `aws ecs register-task-definition --cli-input-json`, or what
 * `aws ecs describe-task-definition` prints (`{"taskDefinition": {...}}`) — becomes a
 * berth TaskDefinition manifest, unchanged under `spec:`. The result is validated as
 * the controller would validate it.
 */
export function importEcs(file: string, output: 'yaml' | 'json'): { text: string; errors: ManifestError[]; warnings: ManifestError[]; policyNotes: string[] } {
  let parsed: unknown;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
    parsed = JSON.parse(source);
  } catch (error) {
    throw new Error(`${file}: not an ECS task definition in JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const record = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const inner = record(parsed) ? parsed.taskDefinition : undefined;
  const wrapped = record(inner);
  const spec = wrapped ? inner : parsed;
  if (!record(spec) || typeof spec.family !== 'string') {
    throw new Error(`${file}: no "family" found; expected register-task-definition input or describe-task-definition output`);
  }
  const manifest = { apiVersion: API_VERSION, kind: 'TaskDefinition', metadata: { name: spec.family }, spec };
  const body = output === 'json' ? `${JSON.stringify(manifest, null, 2)}\n` : stringify(manifest);
  // Validated in the user's own text where possible, so that messages name its lines.
  const sameLines = manifestKeepingEcsLines({ text: source, family: spec.family, wrapped });
  const check = sameLines === undefined ? parseManifestText(`${spec.family}.${output}`, body) : parseManifestText(jsonName(file), sameLines);
  const policyNotes = check.errors.length ? [] : taskPolicyNotes(check.documents[0]!.manifest.spec as TaskDefinitionSpec);
  // JSON has no comments: there the notes go to stderr only.
  const text = output === 'yaml' && policyNotes.length ? `${policyNotes.map((n) => `# ${n}`).join('\n')}\n${body}` : body;
  return { text, errors: check.errors, warnings: check.warnings, policyNotes };
}

/** The parser reads a `.json` name as JSON; an ECS file saved under another name still is. */
function jsonName(file: string): string {
  return file.toLowerCase().endsWith('.json') ? file : `${file}.json`;
}

/**
 * What a cluster's default task policy refuses in the definition, and the Cluster
 * `spec.taskPolicy` that allows it: the definition is valid, but its tasks run only in a
 * cluster that allows what it asks for.
 */
function taskPolicyNotes(spec: TaskDefinitionSpec): string[] {
  const violations = taskPolicyViolations(spec, undefined);
  if (violations.length === 0) return [];
  return [
    ...violations.map((v) => `denied by default: rule ${v.rule}, field ${v.field} (${v.detail})`),
    `to run it, the Cluster manifest of its services and tasks needs: spec.taskPolicy: ${JSON.stringify(policyAllowing(violations))}`,
  ];
}
