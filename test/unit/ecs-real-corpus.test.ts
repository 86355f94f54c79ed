/**
 * Task definitions in the shapes people keep them (console export, describe output with
 * its wrapper and tags, Service Connect ports, FARGATE, runtimePlatform, ephemeralStorage),
 * each imported with the exact warnings expected: one line per cause, none for a field
 * berth maps. What ECS refuses is refused with the line in the user's JSON.
 * Console export nulls: see the acceptance tests of null handling.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importEcs } from '../../controller/cli/importEcs.js';
import { formatManifestError } from '../../controller/store/parse.js';
import { runtimePlatformMismatch } from '../../controller/taskspec/runtimePlatform.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'ecs-real');
const fixture = (name: string) => join(FIXTURES, name);
const lines = (issues: Parameters<typeof formatManifestError>[0][]) => issues.map(formatManifestError);

interface Accepted {
  file: string;
  warnings: string[];
}

const accepted: Accepted[] = [
  {
    file: 'warn-console-export.json',
    warnings: [
      `${fixture('warn-console-export.json')}:2:3: TaskDefinition/shop-web: spec.taskDefinitionArn, spec.revision, spec.status, spec.requiresAttributes, spec.compatibilities, spec.registeredAt, spec.registeredBy: describe-task-definition output, ignored (berth registers and numbers its own revisions)`,
    ],
  },
  {
    file: 'warn-describe-wrapper-tags.json',
    warnings: [
      `${fixture('warn-describe-wrapper-tags.json')}:3:5: TaskDefinition/orders: spec.taskDefinitionArn, spec.revision, spec.status, spec.compatibilities, spec.registeredAt, spec.registeredBy: describe-task-definition output, ignored (berth registers and numbers its own revisions)`,
    ],
  },
  { file: 'warn-service-connect.json', warnings: [] },
  { file: 'warn-fargate-valid.json', warnings: [] },
  { file: 'warn-runtime-platform-arm.json', warnings: [] },
];

describe('real task definition shapes: the exact warnings', () => {
  for (const row of accepted) {
    test(`${row.file} is accepted with ${row.warnings.length} warning line(s)`, () => {
      const result = importEcs(fixture(row.file), 'yaml');
      assert.deepEqual(lines(result.errors), []);
      assert.deepEqual(lines(result.warnings), row.warnings);
    });
  }

  test('a FARGATE definition that breaks the Fargate rules is refused at the lines of the JSON, and its warnings are still shown', () => {
    const file = fixture('warn-fargate-invalid.json');
    const result = importEcs(file, 'yaml');
    assert.deepEqual(lines(result.errors), [
      `${file}:3:31: TaskDefinition/fargate-bad: spec.cpu: Fargate requires that 'cpu' be defined at the task level.`,
      `${file}:3:31: TaskDefinition/fargate-bad: spec.memory: Fargate requires that 'memory' be defined at the task level.`,
      `${file}:4:18: TaskDefinition/fargate-bad: spec.networkMode: Fargate only supports network mode 'awsvpc'. (networkMode bridge)`,
      `${file}:6:43: TaskDefinition/fargate-bad: spec.volumes[0].host.sourcePath: Fargate does not support host volumes with a sourcePath (a volume without one is task storage).`,
      `${file}:8:78: TaskDefinition/fargate-bad: spec.containerDefinitions[0].privileged: Fargate does not support privileged containers.`,
    ]);
    assert.deepEqual(lines(result.warnings), [
      `${file}:8:84: TaskDefinition/fargate-bad: spec.containerDefinitions[0].firelensConfiguration: not applied yet, ignored (FireLens log routing)`,
    ]);
  });
});

describe('runtimePlatformMismatch', () => {
  const x86 = { operatingSystem: 'linux', architecture: 'x86_64' };
  test('matches the engine names ECS values stand for', () => {
    assert.equal(runtimePlatformMismatch({ runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' } }, x86), undefined);
    assert.equal(runtimePlatformMismatch({ runtimePlatform: { cpuArchitecture: 'X86_64' } }, { architecture: 'amd64' }), undefined);
    assert.equal(runtimePlatformMismatch({ runtimePlatform: { cpuArchitecture: 'ARM64' } }, { operatingSystem: 'linux', architecture: 'aarch64' }), undefined);
    assert.equal(runtimePlatformMismatch({ runtimePlatform: { cpuArchitecture: 'ARM64' } }, { architecture: 'arm64' }), undefined);
    assert.equal(runtimePlatformMismatch({}, x86), undefined);
  });
  test('names each field that does not match', () => {
    assert.equal(
      runtimePlatformMismatch({ runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } }, x86),
      "runtimePlatform.operatingSystemFamily WINDOWS_SERVER_2022_CORE does not match the engine's OS type linux; runtimePlatform.cpuArchitecture ARM64 does not match the engine's architecture x86_64",
    );
  });
});
