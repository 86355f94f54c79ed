/**
 * Task definitions in the shapes people keep them (console export, describe output with
 * its wrapper and tags, Service Connect ports, FARGATE, runtimePlatform, ephemeralStorage),
 * each imported with the exact warnings expected: one line per cause, none for a field
 * berth maps. What ECS refuses is refused with the line in the user's JSON.
 * Console export nulls: see the acceptance tests of null handling.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, describe, test } from 'node:test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importEcs } from '../../controller/cli/importEcs.js';
import { formatManifestError } from '../../controller/store/parse.js';
import { runtimePlatformMismatch } from '../../controller/taskspec/runtimePlatform.js';
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'ecs-real');
const fixture = (name) => join(FIXTURES, name);
const lines = (issues) => issues.map(formatManifestError);
const scratch = mkdtempSync(join(tmpdir(), 'berth-fargate-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
/** One task definition JSON through the import, as a file of its own. */
function importEcsText(definition) {
    const file = join(scratch, `${String(definition.cpu)}-${String(definition.memory)}.json`.replace(/\s/g, '_'));
    writeFileSync(file, JSON.stringify(definition));
    return importEcs(file, 'yaml');
}
const accepted = [
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
    // vCPU and GB strings in a Fargate size, pidMode task, SYS_PTRACE, and the empty lists, false and null of exports.
    { file: 'warn-fargate-edge-valid.json', warnings: [] },
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
            `${file}:6:43: TaskDefinition/fargate-bad: spec.volumes[0].host.sourcePath: Tasks using the Fargate launch type do not support host.sourcePath. (a host volume without one is task storage, which Fargate supports)`,
            `${file}:8:64: TaskDefinition/fargate-bad: spec.containerDefinitions[0].privileged: Tasks using the Fargate launch type do not support privileged.`,
        ]);
        assert.deepEqual(lines(result.warnings), [
            `${file}:8:84: TaskDefinition/fargate-bad: spec.containerDefinitions[0].firelensConfiguration: not applied yet, ignored (FireLens log routing)`,
        ]);
    });
});
describe('the Fargate rules, as ECS documents them', () => {
    test('every parameter that is not valid in Fargate tasks, a size Fargate does not have, and the limits of linuxParameters, each at its line', () => {
        const file = fixture('warn-fargate-parameters.json');
        const result = importEcs(file, 'yaml');
        assert.deepEqual(lines(result.errors), [
            `${file}:6:13: TaskDefinition/fargate-parameters: spec.memory: No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values. (with cpu 256, memory is 512, 1024 or 2048 MiB)`,
            `${file}:7:3: TaskDefinition/fargate-parameters: spec.ipcMode: Tasks using the Fargate launch type do not support ipcMode.`,
            `${file}:8:14: TaskDefinition/fargate-parameters: spec.pidMode: Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.`,
            `${file}:9:3: TaskDefinition/fargate-parameters: spec.placementConstraints: Tasks using the Fargate launch type do not support placementConstraints.`,
            `${file}:10:33: TaskDefinition/fargate-parameters: spec.volumes[0].dockerVolumeConfiguration: Tasks using the Fargate launch type do not support dockerVolumeConfiguration. (Fargate tasks only support bind mount host volumes)`,
            `${file}:15:7: TaskDefinition/fargate-parameters: spec.containerDefinitions[0].disableNetworking: Tasks using the Fargate launch type do not support disableNetworking.`,
            `${file}:16:7: TaskDefinition/fargate-parameters: spec.containerDefinitions[0].dnsServers: Tasks using the Fargate launch type do not support dnsServers.`,
            `${file}:17:7: TaskDefinition/fargate-parameters: spec.containerDefinitions[0].extraHosts: Tasks using the Fargate launch type do not support extraHosts.`,
            `${file}:18:31: TaskDefinition/fargate-parameters: spec.containerDefinitions[0].resourceRequirements[0]: Tasks using the Fargate launch type do not support gpu.`,
            `${file}:19:68: TaskDefinition/fargate-parameters: spec.containerDefinitions[0].linuxParameters.capabilities.add[1]: Tasks launched on Fargate only support adding the SYS_PTRACE kernel capability (not "NET_ADMIN").`,
            `${file}:19:84: TaskDefinition/fargate-parameters: spec.containerDefinitions[0].linuxParameters.sharedMemorySize: Tasks using the Fargate launch type do not support linuxParameters.sharedMemorySize.`,
            `${file}:19:108: TaskDefinition/fargate-parameters: spec.containerDefinitions[0].linuxParameters.maxSwap: Tasks using the Fargate launch type do not support linuxParameters.maxSwap.`,
        ]);
    });
    test('each Fargate size is accepted and its neighbours refused', () => {
        const sizes = [
            ['256', '512', true], ['256', '3072', false], ['512', '4096', true], ['512', '5120', false],
            ['1024', '8192', true], ['1024', '1024', false], ['2048', '16384', true], ['2048', '4608', false],
            ['4096', '30720', true], ['4096', '31744', false], ['8192', '61440', true], ['8192', '17408', false],
            ['16384', '122880', true], ['16384', '36864', false], ['1 vCPU', '3 GB', true], ['384', '1024', false],
        ];
        for (const [cpu, memory, accepted] of sizes) {
            const result = importEcsText({ family: 'size', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu, memory, containerDefinitions: [{ name: 'app', image: 'berth/busybox:1' }] });
            assert.equal(result.errors.length === 0, accepted, `${cpu} CPU, ${memory} memory: ${lines(result.errors).join('; ')}`);
        }
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
        assert.equal(runtimePlatformMismatch({ runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' } }, x86), "runtimePlatform.operatingSystemFamily WINDOWS_SERVER_2022_CORE does not match the engine's OS type linux; runtimePlatform.cpuArchitecture ARM64 does not match the engine's architecture x86_64");
    });
});
//# sourceMappingURL=ecs-real-corpus.test.js.map