/**
 * Soak: the controller as a user runs it (a child process on a manifests directory),
 * 100 manifests, a person's edits at 10 per second for SOAK_SECONDS (default 300).
 * Prints the controller's RSS and open file descriptors at the start (the baseline,
 * after loading the directory and before any edit), every 30 s, and at the end,
 * with the ratio end / baseline and the number of edits lost (a label the soak wrote
 * that is not in the file when read back).
 *
 *   npm run soak                  (5 minutes)
 *   SOAK_SECONDS=30 npm run soak  (a quick look)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
const seconds = Number(process.env.SOAK_SECONDS ?? 300);
const MANIFESTS = 100;
const EDITS_PER_SECOND = 10;
const BERTH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'berth.js');
function serviceManifest(cluster, index, edit) {
    return `# service ${index}, edited by the soak
apiVersion: berth/v1
kind: Service
metadata:
  name: soak-${index}
  labels:
    edit: "${edit}" # the soak's counter
spec:
  cluster: ${cluster}
  taskDefinition: soak-td
  desiredCount: 0
`;
}
function sample(pid) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { rssMb: Math.round(rssKb / 102.4) / 10, fds: readdirSync(`/proc/${pid}/fd`).length };
}
async function main() {
    const cluster = `soak${randomBytes(3).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'berth-soak-'));
    writeFileSync(join(dir, 'cluster.yaml'), `apiVersion: berth/v1\nkind: Cluster\nmetadata:\n  name: ${cluster}\nspec: {}\n`);
    writeFileSync(join(dir, 'taskdef.yaml'), `apiVersion: berth/v1\nkind: TaskDefinition\nmetadata:\n  name: soak-td\nspec:\n  containerDefinitions:\n    - name: app\n      image: berth/busybox:1\n      memory: 16\n      command: [sleep, "3600"]\n`);
    const edits = new Array(MANIFESTS).fill(0);
    for (let i = 0; i < MANIFESTS - 2; i++)
        writeFileSync(join(dir, `service-${i}.yaml`), serviceManifest(cluster, i, 0));
    const child = spawn(process.execPath, [BERTH, 'controller', '--manifests', dir, '--metadata-address', 'off', '--health-address', 'off'], { stdio: 'ignore' });
    try {
        await new Promise((resolve) => setTimeout(resolve, 5000));
        const baseline = sample(child.pid);
        console.log(`baseline after loading ${MANIFESTS} manifests: rss ${baseline.rssMb} MB, ${baseline.fds} fds`);
        let peak = baseline;
        const started = Date.now();
        let total = 0;
        let nextReport = 30;
        while (Date.now() - started < seconds * 1000) {
            const index = total % (MANIFESTS - 2);
            edits[index]++;
            writeFileSync(join(dir, `service-${index}.yaml`), serviceManifest(cluster, index, edits[index]));
            total++;
            await new Promise((resolve) => setTimeout(resolve, 1000 / EDITS_PER_SECOND));
            const elapsed = (Date.now() - started) / 1000;
            if (elapsed >= nextReport) {
                const now = sample(child.pid);
                peak = now.rssMb > peak.rssMb ? now : peak;
                console.log(`${Math.round(elapsed)} s: ${total} edits, rss ${now.rssMb} MB, ${now.fds} fds`);
                nextReport += 30;
            }
        }
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const end = sample(child.pid);
        // Whatever the controller wrote into status, every edit the soak made must still be there.
        let lost = 0;
        for (let i = 0; i < MANIFESTS - 2; i++) {
            if (!readFileSync(join(dir, `service-${i}.yaml`), 'utf8').includes(`edit: "${edits[i]}" # the soak's counter`))
                lost++;
        }
        console.log(`end: ${total} edits in ${seconds} s, rss ${end.rssMb} MB (peak ${Math.max(peak.rssMb, end.rssMb)} MB), ${end.fds} fds, lost edits ${lost}`);
        console.log(`ratio end/baseline: rss ${(end.rssMb / baseline.rssMb).toFixed(2)}, fds ${(end.fds / baseline.fds).toFixed(2)}`);
    }
    finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
        rmSync(dir, { recursive: true, force: true });
    }
}
await main();
//# sourceMappingURL=soak.js.map