/**
 * Real ECS task definitions run unchanged: every file of examples/ecs (register and
 * describe shapes) validates, the fields berth does not apply yet are warned about by name,
 * and what ECS itself would reject is still an error.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compatibleCondition } from '../../controller/controllers/taskdefinition/controller.js';
import { IGNORED_FIELDS, MAPPED_FIELDS } from '../../controller/kinds/ecsCompatibility.js';
import { ContainerDefinition, PortMapping, TaskDefinitionSpec } from '../../controller/kinds/taskDefinition.js';
import { formatManifestError, parseManifestText } from '../../controller/store/parse.js';
const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'ecs');
const corpusFiles = readdirSync(CORPUS)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
function parseCorpus(name) {
    return parseManifestText(name, readFileSync(join(CORPUS, name), 'utf8'));
}
function warnedFields(result) {
    return result.warnings.map((w) => w.field ?? '');
}
describe('examples/ecs corpus', () => {
    test('holds at least 15 task definitions', () => {
        assert.ok(corpusFiles.length >= 15, `${corpusFiles.length} files`);
    });
    for (const name of corpusFiles) {
        test(`${name} validates with no errors`, () => {
            const result = parseCorpus(name);
            assert.deepEqual(result.errors.map(formatManifestError), []);
            assert.equal(result.documents.length, 1);
            const document = result.documents[0];
            assert.equal(document.kind, 'TaskDefinition');
            const spec = document.manifest.spec;
            assert.equal(spec.family ?? document.name, document.name, 'metadata.name is the family');
            assert.deepEqual(document.warnings, result.warnings);
            for (const warning of result.warnings) {
                assert.equal(warning.kind, 'TaskDefinition');
                assert.equal(warning.name, document.name);
                assert.match(warning.message, /^(no local equivalent|not applied yet|describe-task-definition output), ignored \(.+\)$/);
            }
        });
    }
    test('both shapes are present: register input and describe output', () => {
        const describeShape = corpusFiles.filter((name) => 'taskDefinitionArn' in parseCorpus(name).documents[0].manifest.spec);
        assert.ok(describeShape.length >= 3, `describe shape: ${describeShape.join(', ')}`);
        assert.ok(corpusFiles.length - describeShape.length >= 10);
    });
    test('secrets-worker.yaml: the role fields, requiresCompatibilities and tags are mapped, not warned', () => {
        const result = parseCorpus('secrets-worker.yaml');
        assert.deepEqual(result.warnings.map(formatManifestError), []);
    });
    test('api-redis-awsvpc.yaml (describe shape): describe fields are named, empty lists are not', () => {
        const fields = warnedFields(parseCorpus('api-redis-awsvpc.yaml'));
        // One cause, one line.
        assert.deepEqual(fields, [
            'spec.taskDefinitionArn, spec.revision, spec.status, spec.requiresAttributes, spec.compatibilities, spec.registeredAt, spec.registeredBy',
        ]);
        for (const field of ['spec.networkMode', 'spec.volumes', 'spec.placementConstraints', 'spec.containerDefinitions[0].mountPoints', 'spec.containerDefinitions[1].systemControls', 'spec.containerDefinitions[0].dependsOn', 'spec.cpu', 'spec.family']) {
            assert.ok(!fields.includes(field), `${field} is not warned`);
        }
    });
    test('values that ask for nothing are not warned: false, versionConsistency disabled, bridge mode', () => {
        const cron = warnedFields(parseCorpus('deregistered-cron.yaml'));
        assert.ok(!cron.includes('spec.containerDefinitions[0].privileged'));
        assert.ok(!cron.includes('spec.enableFaultInjection'));
        assert.ok(!cron.includes('spec.containerDefinitions[0].disableNetworking'), 'mapped now');
        assert.ok(cron.includes('spec.containerDefinitions[0].versionConsistency'));
        const batch = warnedFields(parseCorpus('nightly-batch.yaml'));
        assert.ok(!batch.includes('spec.containerDefinitions[0].versionConsistency'));
        assert.ok(!warnedFields(parseCorpus('web-php-fpm.yaml')).includes('spec.networkMode'));
    });
    test('firelens-logging.yaml: only the awsfirelens logConfiguration is named; awslogs is applied', () => {
        const fields = warnedFields(parseCorpus('firelens-logging.yaml')).filter((field) => field.endsWith('logConfiguration'));
        assert.deepEqual(fields, ['spec.containerDefinitions[1].logConfiguration']);
    });
    test('a describe-task-definition JSON document is accepted as written', () => {
        const text = JSON.stringify({
            apiVersion: 'berth/v1',
            kind: 'TaskDefinition',
            metadata: { name: 'sleep360' },
            spec: {
                taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/sleep360:19',
                containerDefinitions: [
                    { name: 'sleep', image: 'busybox', cpu: 10, memory: 10, portMappings: [], essential: true, command: ['sleep', '360'], environment: [], mountPoints: [], volumesFrom: [] },
                ],
                family: 'sleep360',
                revision: 19,
                volumes: [],
                status: 'ACTIVE',
                placementConstraints: [],
                compatibilities: ['EXTERNAL', 'EC2'],
                registeredAt: 1712345678.901,
                registeredBy: 'arn:aws:iam::123456789012:root',
            },
        }, null, 2);
        const result = parseManifestText('sleep360.json', text);
        assert.deepEqual(result.errors, []);
        assert.deepEqual(warnedFields(result), ['spec.taskDefinitionArn, spec.revision, spec.status, spec.compatibilities, spec.registeredAt, spec.registeredBy']);
        assert.deepEqual([result.warnings[0].line, result.warnings[0].column], [8, 5]);
    });
});
describe('ecsCompatibility table', () => {
    const ignored = IGNORED_FIELDS.map((f) => f.path);
    const conditional = new Set(IGNORED_FIELDS.filter((f) => f.when !== undefined).map((f) => f.path));
    test('every field of the kind is either mapped or ignored with a reason, once', () => {
        const levels = [
            ['', TaskDefinitionSpec.properties],
            ['containerDefinitions[].', ContainerDefinition.properties],
            ['containerDefinitions[].portMappings[].', PortMapping.properties],
        ];
        for (const [prefix, properties] of levels) {
            for (const key of Object.keys(properties)) {
                const path = prefix + key;
                const mapped = MAPPED_FIELDS.includes(path);
                const isIgnored = ignored.includes(path);
                assert.ok(mapped || isIgnored, `${path} is neither mapped nor listed as ignored`);
                if (mapped && isIgnored)
                    assert.ok(conditional.has(path), `${path} is both mapped and ignored without a condition`);
            }
        }
        assert.equal(new Set(ignored).size, ignored.length, 'no field is listed twice');
        assert.equal(new Set(MAPPED_FIELDS).size, MAPPED_FIELDS.length);
    });
    test('the Compatible condition names every ignored field', () => {
        const result = parseCorpus('gpu-training.yaml');
        assert.deepEqual(compatibleCondition(result.warnings), {
            type: 'Compatible',
            status: 'False',
            reason: 'FieldsIgnored',
            message: "placementConstraints: not applied yet, ignored (tasks are placed on the capacity provider's engines); containerDefinitions[0].resourceRequirements: not applied yet, ignored (no GPUs are reserved)",
        });
        assert.deepEqual(compatibleCondition([]), {
            type: 'Compatible',
            status: 'True',
            reason: 'AllFieldsApplied',
            message: 'Every field of the spec is applied.',
        });
    });
});
const HEADER = 'apiVersion: berth/v1\nkind: TaskDefinition\nmetadata:\n  name: web\nspec:\n';
const wrongInputs = [
    {
        name: 'a misspelt task field',
        spec: `  taskRoleArm: arn:aws:iam::123456789012:role/web
  containerDefinitions: [{name: app, image: nginx}]
`,
        errors: ['web.yaml:6:3: TaskDefinition/web: spec.taskRoleArm: unknown field "taskRoleArm" (did you mean "taskRoleArn"?)'],
    },
    {
        name: 'a container field in the wrong case',
        spec: `  containerDefinitions:
    - name: app
      image: nginx
      healthcheck: {command: [CMD, "true"]}
`,
        errors: [
            'web.yaml:9:7: TaskDefinition/web: spec.containerDefinitions[0].healthcheck: unknown field "healthcheck" (did you mean "healthCheck"?)',
        ],
    },
    {
        name: 'a misspelt field inside a volume',
        spec: `  volumes:
    - name: data
      dockerVolumeConfiguration: {scope: task, autoProvision: true}
  containerDefinitions: [{name: app, image: nginx}]
`,
        errors: [
            'web.yaml:8:48: TaskDefinition/web: spec.volumes[0].dockerVolumeConfiguration.autoProvision: unknown field "autoProvision" (did you mean "autoprovision"?)',
        ],
    },
    {
        name: 'fields ECS does not have',
        spec: `  containerDefinitions:
    - name: app
      image: nginx
      restart: always
      gpus: all
`,
        errors: ['web.yaml:9:7: TaskDefinition/web: spec.containerDefinitions[0].restart: unknown field "restart" (did you mean "restartPolicy"?)',
            'web.yaml:10:7: TaskDefinition/web: spec.containerDefinitions[0].gpus: unknown field "gpus"'],
    },
    {
        name: 'awsvpc with a host port other than the container port',
        spec: `  networkMode: awsvpc
  containerDefinitions:
    - name: app
      image: nginx
      portMappings:
        - {containerPort: 80, hostPort: 8080}
`,
        errors: [
            'web.yaml:11:41: TaskDefinition/web: spec.containerDefinitions[0].portMappings[0].hostPort: When networkMode=awsvpc, the host ports and container ports in port mappings must match. (hostPort 8080, containerPort 80)',
        ],
    },
    {
        name: 'host mode with a host port other than the container port',
        spec: `  networkMode: host
  containerDefinitions:
    - name: app
      image: nginx
      portMappings:
        - {containerPort: 80, hostPort: 80}
        - {containerPort: 443, hostPort: 8443}
`,
        errors: [
            'web.yaml:12:42: TaskDefinition/web: spec.containerDefinitions[0].portMappings[1].hostPort: When networkMode=host, the host ports and container ports in port mappings must match. (hostPort 8443, containerPort 443)',
        ],
    },
    {
        name: 'dependsOn names a container the task does not have',
        spec: `  containerDefinitions:
    - name: app
      image: nginx
      dependsOn:
        - {containerName: migrations, condition: SUCCESS}
    - name: migration
      image: flyway/flyway
      essential: false
`,
        errors: [
            'web.yaml:10:27: TaskDefinition/web: spec.containerDefinitions[0].dependsOn[0].containerName: Container "migrations" is not a container of this task definition (did you mean "migration"?); dependsOn must name one of: app, migration',
        ],
    },
    {
        name: 'a container that depends on itself',
        spec: `  containerDefinitions:
    - name: app
      image: nginx
      dependsOn:
        - containerName: app
          condition: START
`,
        errors: ['web.yaml:10:26: TaskDefinition/web: spec.containerDefinitions[0].dependsOn[0].containerName: A container cannot depend on itself ("app")'],
    },
    {
        name: 'a dependsOn condition ECS does not have',
        spec: `  containerDefinitions:
    - name: db
      image: postgres
    - name: app
      image: nginx
      dependsOn: [{containerName: db, condition: READY}]
`,
        errors: [
            'web.yaml:11:50: TaskDefinition/web: spec.containerDefinitions[1].dependsOn[0].condition: must be one of: START, COMPLETE, SUCCESS, HEALTHY',
        ],
    },
    {
        name: 'health check values outside ECS ranges',
        spec: `  containerDefinitions:
    - name: app
      image: nginx
      healthCheck:
        command: [CMD-SHELL, "curl -f http://localhost/"]
        interval: 2
        timeout: 90
        retries: 11
        startPeriod: 301
`,
        errors: [
            'web.yaml:11:19: TaskDefinition/web: spec.containerDefinitions[0].healthCheck.interval: must be at least 5',
            'web.yaml:12:18: TaskDefinition/web: spec.containerDefinitions[0].healthCheck.timeout: must be at most 60',
            'web.yaml:13:18: TaskDefinition/web: spec.containerDefinitions[0].healthCheck.retries: must be at most 10',
            'web.yaml:14:22: TaskDefinition/web: spec.containerDefinitions[0].healthCheck.startPeriod: must be at most 300',
        ],
    },
    {
        name: 'an unknown ulimit and log driver',
        spec: `  containerDefinitions:
    - name: app
      image: nginx
      ulimits: [{name: openfiles, softLimit: 1024, hardLimit: 1024}]
      logConfiguration: {logDriver: loki}
`,
        errors: [
            'web.yaml:9:24: TaskDefinition/web: spec.containerDefinitions[0].ulimits[0].name: must be one of: core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack',
            'web.yaml:10:37: TaskDefinition/web: spec.containerDefinitions[0].logConfiguration.logDriver: must be one of: json-file, syslog, journald, gelf, fluentd, awslogs, splunk, awsfirelens, local, logentries, none',
        ],
    },
    {
        name: 'more than 10 containers',
        spec: `  containerDefinitions: [${Array.from({ length: 11 }, (_, i) => `{name: c${i}, image: busybox}`).join(', ')}]\n`,
        errors: ['web.yaml:6:25: TaskDefinition/web: spec.containerDefinitions: must have at most 10 items'],
    },
];
describe('ECS rules still reject what ECS rejects', () => {
    for (const row of wrongInputs) {
        test(row.name, () => {
            const result = parseManifestText('web.yaml', HEADER + row.spec);
            assert.deepEqual(result.errors.map(formatManifestError), row.errors);
            assert.deepEqual(result.documents, []);
            assert.deepEqual(result.warnings, []);
        });
    }
});
//# sourceMappingURL=ecs-corpus.test.js.map