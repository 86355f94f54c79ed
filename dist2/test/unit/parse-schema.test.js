/**
 * Schema validation through parseManifestText: valid files come back as documents exactly
 * as written; each invalid one gives the exact file:line:column and message.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatManifestError, parseManifestText } from '../../controller/store/parse.js';
import { validateManifest } from '../../controller/store/validate.js';
function formattedErrors(file, text) {
    return parseManifestText(file, text).errors.map(formatManifestError);
}
describe('parseManifestText: valid files', () => {
    test('several YAML documents, comment-only documents skipped, nothing defaulted', () => {
        const text = `# shop: cluster, task definition and service
apiVersion: berth/v1
kind: Cluster
metadata:
  name: default
spec: {}
---
apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
  labels: {team: shop}
spec:
  cpu: "0.25 vCPU"
  memory: 2GB
  containerDefinitions:
    - name: app
      image: berth-test/busybox
      command: [httpd, -f, -p, "8080"]
      portMappings:
        - containerPort: 8080
      environment:
        - {name: MODE, value: demo}
---
# nothing here yet
---
apiVersion: berth/v1
kind: Service
metadata:
  name: web
spec:
  taskDefinition: web:1
  desiredCount: 2
status:
  runningCount: 2
  anything: [goes, {here: true}]
`;
        const { documents, errors } = parseManifestText('shop.yaml', text);
        assert.deepEqual(errors, []);
        assert.deepEqual(documents.map((d) => [d.kind, d.name, d.docIndex, d.line]), [
            ['Cluster', 'default', 0, 2],
            ['TaskDefinition', 'web', 1, 8],
            ['Service', 'web', 3, 27],
        ]);
        // Exactly as written: no networkMode, essential, protocol or schedulingStrategy defaults.
        assert.deepEqual(documents[1].manifest, {
            apiVersion: 'berth/v1',
            kind: 'TaskDefinition',
            metadata: { name: 'web', labels: { team: 'shop' } },
            spec: {
                cpu: '0.25 vCPU',
                memory: '2GB',
                containerDefinitions: [
                    {
                        name: 'app',
                        image: 'berth-test/busybox',
                        command: ['httpd', '-f', '-p', '8080'],
                        portMappings: [{ containerPort: 8080 }],
                        environment: [{ name: 'MODE', value: 'demo' }],
                    },
                ],
            },
        });
        assert.deepEqual(documents[2].manifest, {
            apiVersion: 'berth/v1',
            kind: 'Service',
            metadata: { name: 'web' },
            spec: { taskDefinition: 'web:1', desiredCount: 2 },
            status: { runningCount: 2, anything: ['goes', { here: true }] },
        });
        for (const d of documents)
            assert.match(d.specHash, /^[0-9a-f]{16}$/);
    });
    test('one JSON document', () => {
        const text = JSON.stringify({
            apiVersion: 'berth/v1',
            kind: 'TaskDefinition',
            metadata: { name: 'web' },
            spec: {
                family: 'web',
                networkMode: 'host',
                cpu: 256,
                memory: '512',
                containerDefinitions: [{ name: 'app', image: 'berth-test/busybox', memory: 128, memoryReservation: 64 }],
            },
        }, null, 2);
        const { documents, errors } = parseManifestText('web.json', text);
        assert.deepEqual(errors, []);
        assert.deepEqual(documents.map((d) => [d.kind, d.name, d.docIndex, d.line]), [['TaskDefinition', 'web', 0, 1]]);
        assert.deepEqual(documents[0].manifest, JSON.parse(text));
    });
    test('YAML 1.2 core schema: yes/no and on/off stay strings, so they fail a boolean field', () => {
        const text = `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions:
    - {name: app, image: busybox, essential: yes}
`;
        assert.deepEqual(formattedErrors('web.yaml', text), [
            'web.yaml:6:46: TaskDefinition/web: spec.containerDefinitions[0].essential: must be boolean',
        ]);
    });
});
/** Each row: a whole file and every error it must produce, in order. */
const rows = [
    // --- unknown fields, with "did you mean", at several depths
    {
        name: 'unknown field at the top level',
        text: `apiVersion: berth/v1
kind: Service
metadata: {name: web}
specs: {taskDefinition: web}
`,
        errors: [
            'web.yaml:1:1: Service/web: spec: required field is missing',
            'web.yaml:4:1: Service/web: specs: unknown field "specs" (did you mean "spec"?)',
        ],
    },
    {
        name: 'unknown field in metadata',
        text: `apiVersion: berth/v1
kind: Service
metadata:
  nmae: web
spec: {taskDefinition: web}
`,
        errors: [
            'web.yaml:4:3: Service: metadata.name: required field is missing',
            'web.yaml:4:3: Service: metadata.nmae: unknown field "nmae" (did you mean "name"?)',
        ],
    },
    {
        name: 'unknown field in spec',
        text: `apiVersion: berth/v1
kind: Service
metadata:
  name: web
spec:
  taskDefinition: web
  desiredCont: 3
`,
        errors: ['web.yaml:7:3: Service/web: spec.desiredCont: unknown field "desiredCont" (did you mean "desiredCount"?)'],
    },
    {
        name: 'unknown field in a container definition, wrong case',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: app
      image: busybox
      entrypoint: [sh]
`,
        errors: [
            'web.yaml:9:7: TaskDefinition/web: spec.containerDefinitions[0].entrypoint: unknown field "entrypoint" (did you mean "entryPoint"?)',
        ],
    },
    {
        name: 'unknown field in the second port mapping',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: app
      image: busybox
      portMappings:
        - containerPort: 80
        - containerPort: 443
          hostPrt: 8443
`,
        errors: [
            'web.yaml:12:11: TaskDefinition/web: spec.containerDefinitions[0].portMappings[1].hostPrt: unknown field "hostPrt" (did you mean "hostPort"?)',
        ],
    },
    {
        name: 'unknown field in an environment entry (the value is not shown)',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: web
spec:
  containerDefinitions:
    - name: app
      image: busybox
      environment:
        - name: DB_PASSWORD
          vaule: hunter2
`,
        errors: [
            'web.yaml:11:11: TaskDefinition/web: spec.containerDefinitions[0].environment[0].vaule: unknown field "vaule" (did you mean "value"?)',
        ],
    },
    {
        name: 'unknown field too far from any allowed name: no suggestion',
        text: `apiVersion: berth/v1
kind: Service
metadata: {name: web}
spec:
  taskDefinition: web
  replicas: 3
`,
        errors: ['web.yaml:6:3: Service/web: spec.replicas: unknown field "replicas"'],
    },
    {
        name: 'abbreviation of an allowed name',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions:
    - name: app
      image: busybox
      env: []
`,
        errors: [
            'web.yaml:8:7: TaskDefinition/web: spec.containerDefinitions[0].env: unknown field "env" (did you mean "environment"?)',
        ],
    },
    {
        name: 'YAML merge key',
        text: `apiVersion: berth/v1
kind: Service
metadata: {name: web}
spec:
  <<: {desiredCount: 2}
  taskDefinition: web
`,
        errors: [
            'web.yaml:5:3: Service/web: spec["<<"]: merge keys (<<) are not supported; write the fields out, or use an alias (*name) as a whole value',
        ],
    },
    // --- wrong types
    {
        name: 'string where an integer is expected',
        text: `apiVersion: berth/v1
kind: Service
metadata:
  name: web
spec:
  taskDefinition: web
  desiredCount: "3"
`,
        errors: ['web.yaml:7:17: Service/web: spec.desiredCount: must be integer'],
    },
    {
        name: 'fraction where an integer is expected',
        text: `apiVersion: berth/v1
kind: Service
metadata: {name: web}
spec: {taskDefinition: web, desiredCount: 2.5}
`,
        errors: ['web.yaml:4:43: Service/web: spec.desiredCount: must be integer'],
    },
    {
        name: 'string where a list is expected',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions:
    - name: app
      image: busybox
      command: httpd -f -p 8080
`,
        errors: ['web.yaml:8:16: TaskDefinition/web: spec.containerDefinitions[0].command: must be array'],
    },
    {
        name: 'label value that is not a string',
        text: `apiVersion: berth/v1
kind: Cluster
metadata:
  name: default
  labels:
    tier: 1
spec: {}
`,
        errors: ['web.yaml:6:11: Cluster/default: metadata.labels.tier: must be string'],
    },
    {
        name: 'empty spec',
        text: `apiVersion: berth/v1
kind: Service
metadata: {name: web}
spec:
`,
        errors: ['web.yaml:4:1: Service/web: spec: must be object, not null'],
    },
    // --- missing required fields: the error points at the mapping that lacks the field
    {
        name: 'spec without its required field',
        text: `apiVersion: berth/v1
kind: Service
metadata:
  name: web
spec:
  desiredCount: 2
`,
        errors: ['web.yaml:6:3: Service/web: spec.taskDefinition: required field is missing'],
    },
    {
        name: 'container without an image',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions:
    - name: app
    - name: sidecar
      image: busybox
`,
        errors: ['web.yaml:6:7: TaskDefinition/web: spec.containerDefinitions[0].image: required field is missing'],
    },
    {
        name: 'no metadata and no spec',
        text: `apiVersion: berth/v1
kind: Cluster
`,
        errors: [
            'web.yaml:1:1: Cluster: metadata: required field is missing',
            'web.yaml:1:1: Cluster: spec: required field is missing',
        ],
    },
    {
        name: 'empty list of containers',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions: []
`,
        errors: ['web.yaml:5:25: TaskDefinition/web: spec.containerDefinitions: must have at least 1 item'],
    },
    // --- enums and patterns
    {
        name: 'network mode not in the list',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  networkMode: nat
  containerDefinitions: [{name: app, image: busybox}]
`,
        errors: ['web.yaml:5:16: TaskDefinition/web: spec.networkMode: must be one of: bridge, host, awsvpc, none'],
    },
    {
        name: 'protocol in the wrong case, in the second container',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions:
    - {name: app, image: busybox}
    - name: sidecar
      image: busybox
      portMappings: [{containerPort: 53, protocol: UDP}]
`,
        errors: [
            'web.yaml:9:52: TaskDefinition/web: spec.containerDefinitions[1].portMappings[0].protocol: must be one of: tcp, udp',
        ],
    },
    {
        name: 'single allowed value',
        text: `apiVersion: berth/v1
kind: Service
metadata: {name: web}
spec: {taskDefinition: web, schedulingStrategy: DAEMON}
`,
        errors: ['web.yaml:4:49: Service/web: spec.schedulingStrategy: must be REPLICA'],
    },
    {
        name: 'task cpu that is neither units nor vCPU',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  cpu: 1.5 cores
  memory: 2 GiB
  containerDefinitions: [{name: app, image: busybox}]
`,
        errors: [
            'web.yaml:5:8: TaskDefinition/web: spec.cpu: must be CPU units like "256" or "1 vCPU"',
            'web.yaml:6:11: TaskDefinition/web: spec.memory: must be MiB like "512" or GB like "2GB"',
        ],
    },
    {
        name: 'task cpu as a number below the minimum: the number branch speaks',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  cpu: 0
  containerDefinitions: [{name: app, image: busybox}]
`,
        errors: ['web.yaml:5:8: TaskDefinition/web: spec.cpu: must be at least 1'],
    },
    {
        name: 'task cpu of a type no branch takes',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  cpu: [256]
  containerDefinitions: [{name: app, image: busybox}]
`,
        errors: ['web.yaml:5:8: TaskDefinition/web: spec.cpu: must be CPU units like "256" or "1 vCPU"'],
    },
    {
        name: 'names that break the naming rule',
        text: `apiVersion: berth/v1
kind: Service
metadata: {name: web service}
spec: {taskDefinition: "web:0"}
`,
        errors: [
            'web.yaml:3:18: Service/web service: metadata.name: must be up to 255 letters, numbers, hyphens and underscores, starting with a letter or number',
            'web.yaml:4:24: Service/web service: spec.taskDefinition: must be a task definition family, optionally with a revision, like "web" or "web:3"',
        ],
    },
    {
        name: 'numbers out of range',
        text: `apiVersion: berth/v1
kind: TaskDefinition
metadata: {name: web}
spec:
  containerDefinitions:
    - name: app
      image: busybox
      memory: 4
      portMappings: [{containerPort: 80, hostPort: 70000}]
`,
        errors: [
            'web.yaml:8:15: TaskDefinition/web: spec.containerDefinitions[0].memory: must be at least 6',
            'web.yaml:9:52: TaskDefinition/web: spec.containerDefinitions[0].portMappings[0].hostPort: must be at most 65535',
        ],
    },
    {
        name: 'the same capacity provider twice',
        text: `apiVersion: berth/v1
kind: Cluster
metadata: {name: default}
spec:
  capacityProviders:
    - local
    - edge
    - local
`,
        errors: ['web.yaml:8:7: Cluster/default: spec.capacityProviders: must not contain the same item twice (items [0] and [2] are equal)'],
    },
    // --- kind and apiVersion
    {
        name: 'unknown kind',
        text: `apiVersion: berth/v1
kind: Deployment
metadata: {name: web}
spec: {}
`,
        errors: [
            'web.yaml:2:7: Deployment/web: kind: unknown kind "Deployment"; must be one of: Cluster, CapacityProvider, TaskDefinition, Service, Task, TargetGroup, LoadBalancer',
        ],
    },
    {
        name: 'kind in the wrong case',
        text: `apiVersion: berth/v1
kind: service
metadata: {name: web}
spec: {taskDefinition: web}
`,
        errors: [
            'web.yaml:2:7: service/web: kind: unknown kind "service" (did you mean "Service"?); must be one of: Cluster, CapacityProvider, TaskDefinition, Service, Task, TargetGroup, LoadBalancer',
        ],
    },
    {
        name: 'kind missing',
        text: `apiVersion: berth/v1
metadata: {name: web}
spec: {}
`,
        errors: ['web.yaml:1:1: web: kind: required field is missing; must be one of: Cluster, CapacityProvider, TaskDefinition, Service, Task, TargetGroup, LoadBalancer'],
    },
    {
        name: 'kind that is not a string',
        text: `apiVersion: berth/v1
kind: [Service]
metadata: {name: web}
spec: {}
`,
        errors: ['web.yaml:2:7: web: kind: must be one of: Cluster, CapacityProvider, TaskDefinition, Service, Task, TargetGroup, LoadBalancer'],
    },
    {
        name: 'wrong apiVersion (the rest is still checked)',
        text: `apiVersion: apps/v1
kind: Service
metadata: {name: web}
spec: {taskDefinition: web, desiredCount: many}
`,
        errors: [
            'web.yaml:1:13: Service/web: apiVersion: unsupported apiVersion "apps/v1"; must be berth/v1',
            'web.yaml:4:43: Service/web: spec.desiredCount: must be integer',
        ],
    },
    {
        name: 'apiVersion missing',
        text: `kind: Service
metadata: {name: web}
spec: {taskDefinition: web}
`,
        errors: ['web.yaml:1:1: Service/web: apiVersion: required field is missing; must be berth/v1'],
    },
    {
        name: 'a document that is a list',
        text: `- apiVersion: berth/v1
  kind: Service
`,
        errors: ['web.yaml:1:1: a manifest must be a mapping with apiVersion, kind, metadata and spec'],
    },
    {
        name: 'a document that is a string',
        text: `---
just some text
`,
        errors: ['web.yaml:2:1: a manifest must be a mapping with apiVersion, kind, metadata and spec'],
    },
    // --- JSON positions
    {
        name: 'JSON: unknown field, wrong type and missing field',
        file: 'web.json',
        text: `{
  "apiVersion": "berth/v1",
  "kind": "Service",
  "metadata": {"name": "web"},
  "spec": {
    "desiredCount": "2",
    "clustre": "default"
  }
}
`,
        errors: [
            'web.json:5:11: Service/web: spec.taskDefinition: required field is missing',
            'web.json:6:21: Service/web: spec.desiredCount: must be integer',
            'web.json:7:5: Service/web: spec.clustre: unknown field "clustre" (did you mean "cluster"?)',
        ],
    },
];
describe('parseManifestText: schema errors', () => {
    for (const row of rows) {
        test(row.name, () => {
            const result = parseManifestText(row.file ?? 'web.yaml', row.text);
            assert.deepEqual(result.errors.map(formatManifestError), row.errors);
            assert.deepEqual(result.documents, []);
        });
    }
});
describe('errors never carry long values', () => {
    const secret = 'AKIA' + 'Z7Q2'.repeat(12); // 52 characters
    const cases = [
        ['as the kind', `apiVersion: berth/v1\nkind: ${secret}\nmetadata: {name: web}\nspec: {}\n`],
        ['as the apiVersion', `apiVersion: ${secret}\nkind: Service\nmetadata: {name: web}\nspec: {taskDefinition: web}\n`],
        ['as an unknown key', `apiVersion: berth/v1\nkind: Service\nmetadata: {name: web}\nspec: {taskDefinition: web, ${secret}: 1}\n`],
        ['as a misplaced YAML token', `apiVersion: berth/v1\nkind: Service\n- ${secret}\n`],
        ['as metadata.name', `apiVersion: berth/v1\nkind: Service\nmetadata: {name: ${secret}-x}\nspec: {taskDefinition: web}\n---\napiVersion: berth/v1\nkind: Service\nmetadata: {name: ${secret}-x}\nspec: {taskDefinition: web}\n`],
    ];
    for (const [where, text] of cases) {
        test(where, () => {
            const errors = parseManifestText('web.yaml', text).errors;
            assert.ok(errors.length > 0);
            for (const error of errors) {
                const line = formatManifestError(error);
                assert.ok(!line.includes(secret.slice(0, 20)), line);
            }
        });
    }
    test('a short value is quoted in full', () => {
        assert.deepEqual(formattedErrors('web.yaml', 'apiVersion: berth/v2\nkind: Cluster\nmetadata: {name: c}\nspec: {}\n'), [
            'web.yaml:1:13: Cluster/c: apiVersion: unsupported apiVersion "berth/v2"; must be berth/v1',
        ]);
    });
});
describe('validateManifest on plain objects', () => {
    test('without a locator, errors point at 1:1 and still name the field', () => {
        const result = validateManifest({
            apiVersion: 'berth/v1',
            kind: 'Service',
            metadata: { name: 'web' },
            spec: { taskDefinition: 'web', desiredCount: -1 },
        });
        assert.equal(result.ok, false);
        assert.deepEqual(result.errors, [
            { line: 1, column: 1, field: 'spec.desiredCount', message: 'must be at least 0', kind: 'Service', name: 'web' },
        ]);
    });
    test('a valid object comes back typed, untouched', () => {
        const value = { apiVersion: 'berth/v1', kind: 'Cluster', metadata: { name: 'default' }, spec: {} };
        const result = validateManifest(value);
        assert.equal(result.ok, true);
        if (result.ok) {
            assert.equal(result.kind, 'Cluster');
            assert.equal(result.name, 'default');
            assert.equal(result.manifest, value);
            assert.deepEqual(value.spec, {});
        }
    });
    test('a locator decides positions', () => {
        const calls = [];
        const result = validateManifest({ apiVersion: 'berth/v1', kind: 'Cluster', metadata: { name: 'c', extra: 1 }, spec: {} }, (path, at) => {
            calls.push(`${path.join('/')}@${at}`);
            return { line: 7, column: 3 };
        });
        assert.deepEqual(calls, ['metadata/extra@key']);
        assert.deepEqual(result.errors.map((e) => [e.line, e.column, e.field, e.message]), [[7, 3, 'metadata.extra', 'unknown field "extra"']]);
    });
});
//# sourceMappingURL=parse-schema.test.js.map