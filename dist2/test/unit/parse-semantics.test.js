/**
 * Rules a JSON Schema cannot express (ECS's own checks on a task definition), and rules
 * across the documents of one file.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatManifestError, parseManifestText } from '../../controller/store/parse.js';
const rows = [
    {
        name: 'a Task overrides one container twice',
        text: `apiVersion: berth/v1
kind: Task
metadata:
  name: nightly
spec:
  taskDefinition: batch
  count: 11
  overrides:
    containerOverrides:
      - {name: job, command: [true]}
      - {name: job, memory: 64}
`,
        errors: [
            'web.yaml:7:10: Task/nightly: spec.count: must be at most 10',
            'web.yaml:10:31: Task/nightly: spec.overrides.containerOverrides[0].command[0]: must be string',
            'web.yaml:11:16: Task/nightly: spec.overrides.containerOverrides[1].name: container "job" is overridden twice: give one override per container',
        ],
    },
    {
        name: 'spec.family differs from metadata.name',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  family: website
  containerDefinitions:
    - {name: app, image: busybox}
`,
        errors: [
            'web.yaml:6:11: TaskDefinition/web: spec.family: must equal metadata.name ("web"): a task definition\'s family is its metadata.name',
        ],
    },
    {
        name: 'two containers with the same name',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: app
      image: busybox
    - name: proxy
      image: busybox
    - name: app
      image: busybox
`,
        errors: [
            'web.yaml:11:13: TaskDefinition/web: spec.containerDefinitions[2].name: Container names must be unique within a task definition: "app" is also the name of containerDefinitions[0]',
        ],
    },
    {
        name: 'no essential container',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: app
      image: busybox
      essential: false
    - name: proxy
      image: busybox
      essential: false
`,
        errors: ['web.yaml:7:5: TaskDefinition/web: spec.containerDefinitions: Task definition must have at least one essential container'],
    },
    {
        name: 'memoryReservation above memory',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: app
      image: busybox
      memory: 256
      memoryReservation: 512
`,
        errors: [
            'web.yaml:10:26: TaskDefinition/web: spec.containerDefinitions[0].memoryReservation: The memoryReservation must not be greater than the memory value (512 > 256)',
        ],
    },
    {
        name: 'semantic and schema errors are reported together',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  family: api
  networkMode: nat
  containerDefinitions:
    - {name: app, image: busybox, essential: false}
`,
        errors: [
            'web.yaml:5:11: TaskDefinition/web: spec.family: must equal metadata.name ("web"): a task definition\'s family is its metadata.name',
            'web.yaml:6:16: TaskDefinition/web: spec.networkMode: must be one of: bridge, host, awsvpc, none',
            'web.yaml:8:5: TaskDefinition/web: spec.containerDefinitions: Task definition must have at least one essential container',
        ],
    },
    {
        name: 'dependsOn: COMPLETE on an essential container, HEALTHY without a health check',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions:
    - {name: migrate, image: busybox}
    - {name: db, image: busybox, essential: false}
    - name: app
      image: busybox
      dependsOn:
        - {containerName: migrate, condition: COMPLETE}
        - {containerName: db, condition: HEALTHY}
`,
        errors: [
            'web.yaml:11:47: TaskDefinition/web: spec.containerDefinitions[2].dependsOn[0].condition: The COMPLETE condition can\'t be set on an essential container: "migrate" is essential; set essential: false on it',
            'web.yaml:12:42: TaskDefinition/web: spec.containerDefinitions[2].dependsOn[1].condition: The HEALTHY condition needs a healthCheck on "db", which has none',
        ],
    },
    {
        name: 'dependsOn cycle',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions:
    - name: a
      image: busybox
      dependsOn: [{containerName: b, condition: START}]
    - name: b
      image: busybox
      dependsOn: [{containerName: a, condition: START}]
`,
        errors: ['web.yaml:8:7: TaskDefinition/web: spec.containerDefinitions[0].dependsOn: Container dependencies form a cycle (a -> b -> a): no container of it could ever start'],
    },
    {
        name: 'containers larger than the task',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  cpu: "0.25 vCPU"
  memory: "512"
  containerDefinitions:
    - {name: app, image: busybox, cpu: 256, memory: 1024}
    - {name: log, image: busybox, cpu: 128, memoryReservation: 600}
`,
        errors: [
            'web.yaml:5:8: TaskDefinition/web: spec.cpu: The containers\' cpu values add up to 384 units, more than the task cpu (256 units)',
            'web.yaml:6:11: TaskDefinition/web: spec.memory: The containers\' memoryReservation values add up to 600 MiB, more than the task memory (512 MiB)',
            'web.yaml:8:53: TaskDefinition/web: spec.containerDefinitions[0].memory: Container memory (1024 MiB) must not be greater than the task memory (512 MiB)',
        ],
    },
];
describe('task definition rules', () => {
    for (const row of rows) {
        test(row.name, () => {
            const result = parseManifestText('web.yaml', row.text);
            assert.deepEqual(result.errors.map(formatManifestError), row.errors);
            assert.deepEqual(result.documents, []);
        });
    }
    const valid = [
        ['family equal to metadata.name', 'family: web\n  containerDefinitions: [{name: app, image: busybox}]'],
        // ECS registers it, though its API reference says "less than".
        ['memoryReservation equal to memory', 'containerDefinitions: [{name: app, image: busybox, memory: 256, memoryReservation: 256}]'],
        ['essential defaults to true: one container marked false is fine', 'containerDefinitions:\n    - {name: app, image: busybox}\n    - {name: log, image: busybox, essential: false}'],
        ['memoryReservation below memory', 'containerDefinitions: [{name: app, image: busybox, memory: 256, memoryReservation: 128}]'],
        ['memoryReservation alone', 'containerDefinitions: [{name: app, image: busybox, memoryReservation: 128}]'],
        ['no container memory, task memory set', 'memory: "1GB"\n  containerDefinitions: [{name: app, image: busybox}]'],
        ['no memory anywhere (allowed in this release)', 'containerDefinitions: [{name: app, image: busybox}]'],
    ];
    for (const [name, spec] of valid) {
        test(`valid: ${name}`, () => {
            const text = `apiVersion: berth/v1\nkind: TaskDefinition\nmetadata: {name: web}\nspec:\n  ${spec}\n`;
            const result = parseManifestText('web.yaml', text);
            assert.deepEqual(result.errors.map(formatManifestError), []);
            assert.equal(result.documents.length, 1);
        });
    }
});
describe('documents of one file', () => {
    test('document 1 valid, document 2 invalid: document 1 is still served', () => {
        const text = `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions: [{name: app, image: busybox}]
---
apiVersion: berth/v1
kind: Service
metadata:
  name: api
spec:
  taskDefinition: web
  desiredCount: two
`;
        const result = parseManifestText('shop.yaml', text);
        assert.deepEqual(result.documents.map((d) => `${d.kind}/${d.name}`), ['TaskDefinition/web']);
        assert.deepEqual(result.errors.map(formatManifestError), ['shop.yaml:13:17: Service/api: spec.desiredCount: must be integer']);
        assert.deepEqual(result.errors.map((e) => [e.kind, e.name, e.field]), [['Service', 'api', 'spec.desiredCount']]);
    });
    test('document 2 with a YAML syntax error still names its kind and name', () => {
        const text = `apiVersion: berth/v1
kind: Cluster
metadata: {name: default}
spec: {}
---
apiVersion: berth/v1
kind: Service
metadata:
  name: api
spec:
  taskDefinition: web
 desiredCount: 2
`;
        const result = parseManifestText('shop.yaml', text);
        assert.deepEqual(result.documents.map((d) => `${d.kind}/${d.name}`), ['Cluster/default']);
        assert.deepEqual(result.errors.map(formatManifestError), [
            'shop.yaml:12:1: Service/api: All mapping items must start at the same column',
        ]);
    });
    test('the same kind and name twice: the second is an error, the first is served', () => {
        const text = `apiVersion: berth/v1
kind: Service
metadata: {name: web}
spec: {taskDefinition: web, desiredCount: 1}
---
apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions: [{name: app, image: busybox}]
---
apiVersion: berth/v1
kind: Service
metadata: {name: web}
spec: {taskDefinition: web, desiredCount: 5}
`;
        const result = parseManifestText('web.yaml', text);
        assert.deepEqual(result.documents.map((d) => [`${d.kind}/${d.name}`, d.docIndex]), [
            ['Service/web', 0],
            ['TaskDefinition/web', 1],
        ]);
        assert.deepEqual(result.errors.map(formatManifestError), [
            'web.yaml:14:18: Service/web: Service "web" is already defined in this file at line 1',
        ]);
    });
});
//# sourceMappingURL=parse-semantics.test.js.map