import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { BERTH, testCluster } from './harness.js';
/** Runs the controller until it says it started; returns everything it printed. */
function runUntilStarted(command, args, env) {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`controller did not start; output:\n${output}`));
        }, 30_000);
        const onData = (chunk) => {
            output += chunk.toString();
            if (output.includes('controller started'))
                child.kill('SIGINT');
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', () => {
            clearTimeout(timer);
            resolve(output);
        });
    });
}
describe('controller logs', () => {
    const { dir } = testCluster('logs');
    const env = { ...process.env, BERTH_LOG_FORMAT: '' };
    test('JSON lines when not on a terminal', async () => {
        const output = await runUntilStarted(process.execPath, [BERTH, 'controller', '--manifests', dir], env);
        const started = output.split('\n').find((line) => line.includes('controller started'));
        const entry = JSON.parse(started);
        assert.equal(entry.level, 30);
        assert.match(entry.owner, /^dir-/);
    });
    test('readable lines on a terminal', async () => {
        // `script` gives the controller a real pseudo-terminal.
        const output = await runUntilStarted('script', ['-qec', `${process.execPath} ${BERTH} controller --manifests ${dir}`, '/dev/null'], env);
        const started = output.split('\n').find((line) => line.includes('controller started'));
        assert.ok(!started.trimStart().startsWith('{'), `not JSON: ${started}`);
        assert.match(started, /INFO/);
        assert.match(started, /\d\d:\d\d:\d\d\.\d{3}/, 'with a clock time');
    });
});
//# sourceMappingURL=logs.test.js.map