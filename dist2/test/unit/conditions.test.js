import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildConditions, validCondition } from '../../controller/controllers/conditions.js';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const T1 = Date.parse('2026-01-01T00:05:00.000Z');
const iso = (ms) => new Date(ms).toISOString();
describe('buildConditions', () => {
    const rows = [
        {
            name: 'first observation: status defaults to True, the transition is now',
            inputs: [{ type: 'Steady', reason: 'ServiceSteady', message: 'all running' }],
            previous: [],
            expected: [{ type: 'Steady', status: 'True', reason: 'ServiceSteady', lastTransitionTime: iso(T1) }],
        },
        {
            name: 'same status: the earlier transition time stays, even when reason and message change',
            inputs: [{ type: 'Steady', status: 'False', reason: 'TasksPending', message: '1 of 3 pending' }],
            previous: [{ type: 'Steady', status: 'False', lastTransitionTime: iso(T0) }],
            expected: [{ type: 'Steady', status: 'False', reason: 'TasksPending', lastTransitionTime: iso(T0) }],
        },
        {
            name: 'status changed: the transition is now',
            inputs: [{ type: 'Steady', status: 'True', reason: 'ServiceSteady', message: 'all running' }],
            previous: [{ type: 'Steady', status: 'False', lastTransitionTime: iso(T0) }],
            expected: [{ type: 'Steady', status: 'True', reason: 'ServiceSteady', lastTransitionTime: iso(T1) }],
        },
        {
            name: 'each type is matched to its own previous condition; order follows the inputs; dropped types are gone',
            inputs: [
                { type: 'Valid', status: 'True', reason: 'SpecAccepted', message: 'ok' },
                { type: 'Steady', status: 'True', reason: 'ServiceSteady', message: 'ok' },
            ],
            previous: [
                { type: 'Steady', status: 'False', lastTransitionTime: iso(T0) },
                { type: 'Valid', status: 'True', lastTransitionTime: iso(T0) },
                { type: 'Gone', status: 'True', lastTransitionTime: iso(T0) },
            ],
            expected: [
                { type: 'Valid', status: 'True', reason: 'SpecAccepted', lastTransitionTime: iso(T0) },
                { type: 'Steady', status: 'True', reason: 'ServiceSteady', lastTransitionTime: iso(T1) },
            ],
        },
        {
            name: 'Unknown is a status of its own: True → Unknown is a transition',
            inputs: [{ type: 'EngineReachable', status: 'Unknown', reason: 'NotChecked', message: '?' }],
            previous: [{ type: 'EngineReachable', status: 'True', lastTransitionTime: iso(T0) }],
            expected: [{ type: 'EngineReachable', status: 'Unknown', reason: 'NotChecked', lastTransitionTime: iso(T1) }],
        },
    ];
    for (const row of rows) {
        test(row.name, () => {
            const built = buildConditions(row.inputs, row.previous, T1);
            assert.deepEqual(built.map(({ type, status, reason, lastTransitionTime }) => ({ type, status, reason, lastTransitionTime })), row.expected);
            assert.deepEqual(built.map((c) => c.message), row.inputs.map((i) => i.message), 'messages as given');
        });
    }
    test('an unchanged observation built twice gives an identical list (so the status file is not rewritten)', () => {
        const inputs = [{ type: 'Valid', reason: 'SpecAccepted', message: 'The spec is valid.' }];
        const first = buildConditions(inputs, [], T0);
        assert.deepEqual(buildConditions(inputs, first, T1), first);
    });
});
describe('validCondition', () => {
    test('no errors: Valid True, SpecAccepted', () => {
        assert.deepEqual(validCondition([], 'revision 3 stays in force'), { type: 'Valid', status: 'True', reason: 'SpecAccepted', message: 'The spec is valid.' });
    });
    test('errors: Valid False, each as file:line:column: Kind/name: field: message, then what stays in force', () => {
        const condition = validCondition([
            { file: 'web.yaml', line: 7, column: 3, kind: 'Service', name: 'web', field: 'spec.desiredCont', message: 'unknown field' },
            { file: 'web.yaml', line: 9, column: 5, kind: 'Service', message: 'desiredCount must be >= 0' },
        ], 'the last valid spec stays in force');
        assert.deepEqual(condition, {
            type: 'Valid',
            status: 'False',
            reason: 'InvalidSpec',
            message: 'web.yaml:7:3: Service/web: spec.desiredCont: unknown field; web.yaml:9:5: Service: desiredCount must be >= 0 (the last valid spec stays in force)',
        });
    });
});
//# sourceMappingURL=conditions.test.js.map