import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatManifestError, parseManifestText } from '../../controller/store/parse.js';
function errorsOf(deployment) {
    const text = `apiVersion: berth/v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  taskDefinition: web\n  desiredCount: 2\n  deploymentConfiguration:\n${deployment}`;
    return parseManifestText('service.yaml', text).errors.map(formatManifestError);
}
test('ECS deploymentConfiguration, healthCheckGracePeriodSeconds and forceNewDeployment are accepted', () => {
    assert.deepEqual(errorsOf('    maximumPercent: 150\n    minimumHealthyPercent: 50\n    deploymentCircuitBreaker: {enable: true, rollback: true}\n    bakeTimeInMinutes: 2\n  healthCheckGracePeriodSeconds: 30\n  forceNewDeployment: "2026-12-02"\n'), []);
    assert.deepEqual(errorsOf('    strategy: CANARY\n    canaryConfiguration: {canaryPercent: 10, canaryBakeTimeInMinutes: 5}\n'), []);
    assert.deepEqual(errorsOf('    strategy: LINEAR\n    linearConfiguration: {stepPercent: 25, stepBakeTimeInMinutes: 1}\n'), []);
});
test('a strategy without its settings, or settings of another strategy, are errors at their line', () => {
    assert.deepEqual(errorsOf('    strategy: CANARY\n'), ['service.yaml:9:15: Service/web: spec.deploymentConfiguration.strategy: strategy CANARY needs deploymentConfiguration.canaryConfiguration']);
    const wrong = errorsOf('    linearConfiguration: {stepPercent: 25}\n');
    assert.equal(wrong.length, 1);
    assert.match(wrong[0], /^service\.yaml:9:5: Service\/web: spec\.deploymentConfiguration\.linearConfiguration: applies to strategy LINEAR only; this service's strategy is ROLLING$/);
});
test('percentages out of ECS range, or leaving no room to replace a task, are errors naming the field', () => {
    assert.equal(errorsOf('    maximumPercent: 50\n').length, 1, 'one error for one mistake');
    assert.match(errorsOf('    maximumPercent: 50\n').join('\n'), /service\.yaml:9:\d+: Service\/web: spec\.deploymentConfiguration\.maximumPercent: must be at least 100$/);
    assert.deepEqual(errorsOf('    maximumPercent: 100\n    minimumHealthyPercent: 100\n'), [
        'service.yaml:9:21: Service/web: spec.deploymentConfiguration.maximumPercent: minimumHealthyPercent (100) must be below maximumPercent (100): otherwise no task can ever be replaced',
    ]);
    assert.match(errorsOf('    deploymentCircuitBreaker: {enable: true}\n').join('\n'), /deploymentCircuitBreaker.*rollback/);
});
//# sourceMappingURL=service-spec.test.js.map