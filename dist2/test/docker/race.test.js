import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { serviceStatus, testCluster, waitFor, webManifests, writeManifests, } from './harness.js';
/**
 * A person (or git) and the controller edit the same file. The writer here edits
 * the spec in a tight loop — a counter in a comment and in a label, and
 * desiredCount flipping between 1 and 2 so the controller keeps writing status —
 * and checks on every round that it reads back what it last wrote.
 */
describe('status write-back races a user editing the same file', () => {
    const { cluster, dir, path, start } = testCluster('race');
    const serviceFile = path('service.yaml');
    writeManifests(dir, webManifests({ cluster, desiredCount: 1 }));
    writeFileSync(serviceFile, `# edit 0
apiVersion: berth/v1
kind: Service
metadata:
  name: web
  labels:
    edit: "0" # counter
spec:
  cluster: ${cluster}
  taskDefinition: web-td
  # replicas, flipped by the writer
  desiredCount: 1
`);
    const controller = start();
    test('zero lost edits, comments intact, status still current', async () => {
        await waitFor('1 running', () => serviceStatus(serviceFile, 'web')?.runningCount === 1, { controller });
        // At least 560 rounds, and on until the controller has written status at least three
        // times meanwhile (a loaded engine makes its writes rarer: without them, "no edit lost"
        // would prove nothing), ending on an odd flip: desiredCount 2.
        const minimumRounds = 560;
        const maximumRounds = 8000;
        const desiredAt = (i) => (Math.floor(i / 80) % 2 === 0 ? 1 : 2);
        let lost = 0;
        let statusSeen = 0;
        let lastStatus = '';
        let rounds = 0;
        for (let i = 1; i <= maximumRounds; i++) {
            rounds = i;
            const text = readFileSync(serviceFile, 'utf8');
            const counter = /^# edit (\d+)$/m.exec(text)?.[1];
            const label = /edit: "(\d+)" # counter/.exec(text)?.[1];
            if (counter !== String(i - 1) || label !== String(i - 1))
                lost++;
            const status = text.slice(text.indexOf('\nstatus:'));
            if (text.includes('\nstatus:') && status !== lastStatus) {
                statusSeen++;
                lastStatus = status;
            }
            const desired = desiredAt(i);
            const next = text
                .replace(/^# edit \d+$/m, `# edit ${i}`)
                .replace(/edit: "\d+" # counter/, `edit: "${i}" # counter`)
                .replace(/desiredCount: \d+/, `desiredCount: ${desired}`);
            writeFileSync(serviceFile, next);
            // 100-200 saves a second: far tighter than any person or git, loose enough that the
            // controller's status writes (read, splice, fsync, check, rename) land between them.
            await new Promise((resolve) => setTimeout(resolve, 4 + Math.random() * 6));
            if (i >= minimumRounds && statusSeen >= 3 && desired === 2)
                break;
        }
        if (process.env.BERTH_RACE_LOG)
            writeFileSync(process.env.BERTH_RACE_LOG, controller.output());
        assert.equal(lost, 0, 'every edit survived');
        assert.ok(statusSeen >= 3, `the controller wrote status during the race (${statusSeen} distinct statuses seen)\n${controller.output().split('\n').filter((l) => !l.includes('"level":20')).slice(-30).join('\n')}`);
        const final = readFileSync(serviceFile, 'utf8');
        assert.match(final, new RegExp(`^# edit ${rounds}$`, 'm'));
        assert.match(final, new RegExp(`edit: "${rounds}" # counter`));
        assert.match(final, /# replicas, flipped by the writer\n {2}desiredCount: 2\n/);
        // The final desiredCount (2) is what the controller converges to and reports.
        await waitFor('status follows the last edit', () => serviceStatus(serviceFile, 'web')?.runningCount === 2, { controller });
        assert.match(readFileSync(serviceFile, 'utf8'), new RegExp(`^# edit ${rounds}\\napiVersion`, 'm'));
    });
});
//# sourceMappingURL=race.test.js.map