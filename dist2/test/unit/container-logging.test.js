import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { containerLogging, taskContainerSpecs } from '../../controller/taskspec/containerSpecs.js';
import { LABEL } from '../../controller/runtime/labels.js';
const TASK_ID = '0123456789abcdef0123456789abcdef';
const identity = { cluster: 'shop', group: 'service:web', taskId: TASK_ID, family: 'web', revision: 3, capacityProvider: 'local' };
function container(logConfiguration) {
    return { name: 'app', image: 'berth/busybox:1', ...(logConfiguration ? { logConfiguration } : {}) };
}
describe('logConfiguration → Docker log driver', () => {
    test('no logConfiguration: the engine’s default driver, nothing labelled', () => {
        assert.deepEqual(containerLogging(container(), TASK_ID), { labels: {} });
    });
    test('Docker’s own drivers pass through with their options', () => {
        for (const logDriver of ['json-file', 'local', 'syslog', 'journald', 'gelf', 'fluentd', 'splunk', 'logentries', 'none']) {
            const logging = containerLogging(container({ logDriver, options: { tag: 'web' } }), TASK_ID);
            assert.deepEqual(logging.driver, { type: logDriver, options: { tag: 'web' } }, logDriver);
        }
    });
    test('resolved secret options are merged over the plain options', () => {
        const logging = containerLogging(container({ logDriver: 'splunk', options: { 'splunk-url': 'https://splunk:8088', 'splunk-token': 'placeholder' } }), TASK_ID, { 'splunk-token': 's3cret' });
        assert.deepEqual(logging.driver, { type: 'splunk', options: { 'splunk-url': 'https://splunk:8088', 'splunk-token': 's3cret' } });
    });
    test('awslogs: the local driver, with the group and the stream ECS would name (prefix/container/task id)', () => {
        const logging = containerLogging(container({
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'web', 'awslogs-region': 'eu-west-1', mode: 'non-blocking', 'max-buffer-size': '4m' },
        }), TASK_ID);
        assert.deepEqual(logging, {
            driver: { type: 'local', options: {} },
            labels: { [LABEL.logGroup]: '/ecs/web', [LABEL.logStream]: `web/app/${TASK_ID}` },
        });
        assert.deepEqual(containerLogging(container({ logDriver: 'awslogs', options: { 'awslogs-group': 'g' } }), TASK_ID).labels, { [LABEL.logGroup]: 'g' });
    });
    test('awsfirelens: plain json-file (no local router)', () => {
        assert.deepEqual(containerLogging(container({ logDriver: 'awsfirelens', options: { Name: 'http' } }), TASK_ID).driver, { type: 'json-file', options: {} });
    });
    test('the task’s container specs carry the driver, the awslogs labels and secret options by container name', () => {
        const spec = {
            containerDefinitions: [
                { ...container({ logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'p' } }), name: 'app' },
                { ...container({ logDriver: 'gelf', options: { 'gelf-address': 'udp://127.0.0.1:12201' } }), name: 'side' },
                { ...container(), name: 'plain' },
            ],
        };
        const [app, side, plain] = taskContainerSpecs(spec, identity, { logSecretOptions: { side: { 'gelf-compression-type': 'none' } } });
        assert.deepEqual(app.logDriver, { type: 'local', options: {} });
        assert.equal(app.labels[LABEL.logStream], `p/app/${TASK_ID}`);
        assert.deepEqual(side.logDriver, { type: 'gelf', options: { 'gelf-address': 'udp://127.0.0.1:12201', 'gelf-compression-type': 'none' } });
        assert.equal(plain.logDriver, undefined);
        assert.notEqual(app.labels[LABEL.configHash], plain.labels[LABEL.configHash], 'the driver is part of the config hash');
    });
});
//# sourceMappingURL=container-logging.test.js.map