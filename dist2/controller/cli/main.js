import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_PAUSE_IMAGE } from '../taskspec/containerSpecs.js';
import { DEFAULT_EFS_HELPER_IMAGE } from '../taskspec/efs.js';
import { DEFAULT_TASK_RETENTION_MS } from '../controllers/task/plan.js';
import { createLogger } from '../log.js';
import { DEFAULT_HEALTH_ADDRESS } from '../health.js';
import { DEFAULT_LOG_RETENTION_MS } from '../logstore/collector.js';
import { DEFAULT_LOG_MAX_BYTES } from '../logstore/store.js';
import { DEFAULT_METADATA_ADDRESS, parseListenAddress } from '../metadata/server.js';
import { DEFAULT_CREDENTIALS_ENDPOINT } from '../metadata/ecsCredentialsAddress.js';
import { formatManifestError } from '../store/parse.js';
import { DEFAULT_REMOVAL_SETTLE_MS } from '../store/removals.js';
import { readManifests, manifestFiles } from './files.js';
import { controllerHealthLines, get } from './get.js';
import { importEcs } from './importEcs.js';
import { printTaskLogs } from './logs.js';
import { runTask, waitForRun } from './runTask.js';
import { errorMessage } from '../errors.js';
/** "off", or HOST:PORT checked here so a typo fails before anything starts. */
function listenAddressOrOff(value) {
    if (value === 'off')
        return false;
    try {
        parseListenAddress(value);
    }
    catch (error) {
        throw new InvalidArgumentError(errorMessage(error));
    }
    return value;
}
/** SDKs hard-code ECS's address for a RELATIVE_URI, so no other address would help them. */
function credentialsEndpointOrOff(value) {
    if (value === 'off')
        return false;
    if (value !== DEFAULT_CREDENTIALS_ENDPOINT) {
        throw new InvalidArgumentError(`"${value}" is not ${DEFAULT_CREDENTIALS_ENDPOINT} or off: AWS SDKs read AWS_CONTAINER_CREDENTIALS_RELATIVE_URI at ${DEFAULT_CREDENTIALS_ENDPOINT} only`);
    }
    return value;
}
function taskCount(value) {
    const count = Number(value);
    if (!Number.isInteger(count) || count < 1 || count > 10)
        throw new InvalidArgumentError('expected a whole number from 1 to 10');
    return count;
}
function collect(value, previous) {
    return [...previous, value];
}
const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** "500ms", "30s", "10m", "12h", "7d"; a bare number is seconds. */
function duration(value) {
    const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value.trim());
    if (!match)
        throw new InvalidArgumentError('expected a duration like 500ms, 30s, 10m, 12h or 7d');
    return Number(match[1]) * (DURATION_UNITS[match[2] ?? 's'] ?? 1000);
}
const SIZE_UNITS = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 };
/** "10MiB", "512k", "1048576" → bytes. */
function bytes(value) {
    const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
    const unit = match ? SIZE_UNITS[match[2].toLowerCase()] : undefined;
    if (!match || unit === undefined)
        throw new InvalidArgumentError('expected a size like 10MiB, 512KiB or 1048576');
    return Number(match[1]) * unit;
}
export function program() {
    const cli = new Command('berth')
        .description('The Amazon ECS model as a declarative reconciler on your own Docker engines.')
        .version('0.1.0')
        .showHelpAfterError();
    cli
        .command('controller')
        .description('watch a manifests directory and reconcile it onto the Docker engines (long-lived)')
        .requiredOption('-m, --manifests <dir>', 'directory of Cluster, CapacityProvider, TaskDefinition, Service and Task manifests')
        .option('--state-dir <dir>', 'where revision history, stopped tasks and events are kept (default: <manifests>/.berth)')
        .option('--status-dir <dir>', 'write status here instead of into the manifest files')
        .option('--owner <name>', 'label of the containers this controller owns (default: derived from the manifests directory); controllers with different owners share an engine safely')
        .option('--secrets-dir <dir>', 'one file per secret for ECS secrets, S3 environment files and registry logins (default: $BERTH_SECRETS_DIR); BERTH_SECRET_<NAME> variables are read too', process.env.BERTH_SECRETS_DIR)
        .option('--resync-interval <duration>', 're-read everything this often, as a safety net', duration, 30_000)
        .option('--metadata-address <host:port|off>', `where the ECS task metadata endpoint listens (default: ${DEFAULT_METADATA_ADDRESS}, or a free port when another controller holds it); off to serve none`, listenAddressOrOff)
        .option('--credentials-endpoint <address|off>', `also serve task role credentials at ${DEFAULT_CREDENTIALS_ENDPOINT}:80 (added to lo; needs root, or CAP_NET_ADMIN and CAP_NET_BIND_SERVICE), so that bridge and awsvpc tasks get AWS_CONTAINER_CREDENTIALS_RELATIVE_URI as on ECS; when it cannot, one warning and a FULL_URI on the task network's gateway; off for that without trying`, credentialsEndpointOrOff, DEFAULT_CREDENTIALS_ENDPOINT)
        .option('--health-address <host:port|off>', `where /healthz and /readyz are served (default: ${DEFAULT_HEALTH_ADDRESS}, or a free port when another controller holds it); off to serve none`, listenAddressOrOff)
        .option('--log-level <level>', 'trace, debug, info, warn, error', 'info')
        .option('--pause-image <image>', 'image of the container that holds the network, PID and IPC namespaces of awsvpc tasks and of pidMode/ipcMode task (build it with scripts/build-images.sh)', DEFAULT_PAUSE_IMAGE)
        .option('--efs-helper-image <image>', 'image of the short-lived container that makes EFS root directories inside a file system\'s volume; it needs sh, mkdir, chown and chmod', DEFAULT_EFS_HELPER_IMAGE)
        .option('--log-retention <duration>', 'keep the stored output of a stopped task this long (berth logs)', duration, DEFAULT_LOG_RETENTION_MS)
        .option('--log-max-bytes <size>', 'stored output per container; the older half is dropped beyond it', bytes, DEFAULT_LOG_MAX_BYTES)
        .option('--task-retention <duration>', "keep a Task manifest's stopped tasks listed, and their containers, this long", duration, DEFAULT_TASK_RETENTION_MS)
        .option('--follow-external-symlinks', 'also read manifests through symbolic links that lead outside the manifests directory (by default they are reported and not read)', false)
        .option('--removal-settle <duration>', 'remove a service, task or other resource only after its file (or document) stayed missing this long; one back sooner changes nothing', duration, DEFAULT_REMOVAL_SETTLE_MS)
        .option('--allow-empty', 'let an emptied or missing manifests directory stop everything (otherwise berth holds and reports ManifestsDirectoryEmpty)', false)
        .action(async (options) => {
        const logger = createLogger({ level: options.logLevel });
        // Loaded here so that validate and get start without the Docker client.
        const { Berth } = await import('../manager/wiring.js');
        const berth = new Berth({
            manifestsDir: resolve(options.manifests),
            ...(options.stateDir ? { stateDir: resolve(options.stateDir) } : {}),
            ...(options.statusDir ? { statusDir: resolve(options.statusDir) } : {}),
            resyncIntervalMs: options.resyncInterval,
            ...(options.owner ? { owner: options.owner } : {}),
            followExternalSymlinks: options.followExternalSymlinks,
            ...(options.secretsDir ? { secretsDir: resolve(options.secretsDir) } : {}),
            logs: { retentionMs: options.logRetention, maxBytes: options.logMaxBytes },
            controllers: { pauseImage: options.pauseImage, efsHelperImage: options.efsHelperImage, taskRetentionMs: options.taskRetention },
            removalSettleMs: options.removalSettle,
            allowEmpty: options.allowEmpty,
            ...(options.metadataAddress !== undefined ? { metadataAddress: options.metadataAddress } : {}),
            ...(options.healthAddress !== undefined ? { healthAddress: options.healthAddress } : {}),
            credentialsEndpoint: options.credentialsEndpoint,
            logger,
        });
        let stopping = false;
        const shutdown = (signal) => {
            if (stopping)
                return;
            stopping = true;
            logger.info({ signal }, 'shutting down');
            berth.stop().then(() => process.exit(0), (error) => {
                logger.error({ err: error }, 'shutdown failed');
                process.exit(1);
            });
        };
        process.on('SIGINT', () => shutdown('SIGINT'));
        process.on('SIGTERM', () => shutdown('SIGTERM'));
        await berth.start();
    });
    cli
        .command('validate')
        .description('check manifests without running anything; exit 1 and file:line errors when any is invalid')
        .argument('<paths...>', 'files or directories')
        .action((paths) => {
        const { documents, errors, warnings } = readManifests(paths);
        // Fields accepted without local effect: reported, never a failure, also beside errors.
        for (const warning of warnings)
            process.stderr.write(`warning: ${formatManifestError(warning)}\n`);
        for (const error of errors)
            process.stderr.write(`${formatManifestError(error)}\n`);
        const files = manifestFiles(paths).length;
        if (errors.length) {
            process.stderr.write(`${errors.length} error(s) in ${files} file(s)\n`);
            process.exitCode = 1;
        }
        else {
            process.stdout.write(`${documents.length} document(s) in ${files} file(s) valid\n`);
        }
    });
    cli
        .command('get')
        .description('list resources and the status the controller observed')
        .argument('<kind>', 'services, tasks, taskdefinitions, clusters, capacityproviders, targetgroups, loadbalancers')
        .argument('[name]')
        .option('-m, --manifests <dir>', 'manifests directory', process.env.BERTH_MANIFESTS ?? '.')
        .option('--status-dir <dir>', 'read status from here (when the controller runs with --status-dir)')
        .option('--state-dir <dir>', "the controller's state directory, where it says whether it is holding or degraded (default: <manifests>/.berth)")
        .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'yaml', 'json']).default('table'))
        .action((kind, name, options) => {
        // On stderr, so that -o json and -o yaml stay machine-readable.
        for (const line of controllerHealthLines(options.stateDir ?? join(options.manifests, '.berth')))
            process.stderr.write(`${line}\n`);
        process.stdout.write(get(kind, name, { manifests: options.manifests, output: options.output, ...(options.statusDir ? { statusDir: options.statusDir } : {}) }));
    });
    cli
        .command('run-task')
        .description('run a task definition once (ECS RunTask): writes a Task manifest into the manifests directory for the controller to run')
        .requiredOption('--task-definition <family[:revision]>', 'the task definition; family alone is its latest revision')
        .option('--cluster <name>', 'cluster to run in (default: default)')
        .option('--count <n>', 'how many tasks, 1 to 10', taskCount)
        .option('--command <line>', "the container's command, as a shell would split it: 'sh -c \"echo hi\"'")
        .option('--env <NAME=VALUE>', 'an environment variable for the container (repeatable)', collect, [])
        .option('--container <name>', '--command and --env apply to this container (default: the first of the task definition)')
        .option('--overrides <json>', 'an ECS TaskOverride as JSON: {"containerOverrides":[{"name":"app","command":["true"]}]}')
        .option('--name <name>', 'the Task manifest name (default: <family>-<5 random characters>)')
        .option('-m, --manifests <dir>', 'manifests directory', process.env.BERTH_MANIFESTS ?? '.')
        .option('--status-dir <dir>', 'read status from here (when the controller runs with --status-dir)')
        .option('--wait', 'wait until every task has stopped; exit with the exit code of the first container that failed (0 when all succeeded)', false)
        .action(async (options) => {
        const { name, file } = runTask({
            taskDefinition: options.taskDefinition,
            manifests: options.manifests,
            env: options.env,
            ...(options.cluster ? { cluster: options.cluster } : {}),
            ...(options.count !== undefined ? { count: options.count } : {}),
            ...(options.command !== undefined ? { command: options.command } : {}),
            ...(options.container ? { container: options.container } : {}),
            ...(options.overrides !== undefined ? { overrides: options.overrides } : {}),
            ...(options.name ? { name: options.name } : {}),
        });
        process.stdout.write(`Task/${name} written to ${file}\n`);
        if (!options.wait)
            return;
        process.exitCode = await waitForRun({ file, name, ...(options.statusDir ? { statusDir: options.statusDir } : {}), out: (text) => process.stdout.write(text) });
    });
    cli
        .command('logs')
        .description("print a task's output (all its containers, in time order), also after the task stopped and its containers were removed")
        .argument('<task>', 'task id, or its first characters (berth get tasks lists them)')
        .option('-f, --follow', 'keep printing new lines until the task has stopped', false)
        .option('-c, --container <name>', "only this container's output")
        .option('--since <duration>', 'only lines of the last 30s, 10m, 2h, 1d ...', duration)
        .option('-t, --timestamps', "print each line's time", false)
        .option('-m, --manifests <dir>', 'manifests directory', process.env.BERTH_MANIFESTS ?? '.')
        .option('--state-dir <dir>', "the controller's state directory (default: <manifests>/.berth)")
        .action(async (task, options) => {
        await printTaskLogs(task, {
            manifests: options.manifests,
            ...(options.stateDir ? { stateDir: resolve(options.stateDir) } : {}),
            follow: options.follow,
            ...(options.container ? { container: options.container } : {}),
            ...(options.since !== undefined ? { sinceMs: options.since } : {}),
            timestamps: options.timestamps,
            out: (text) => process.stdout.write(text),
            err: (text) => process.stderr.write(text),
        });
    });
    cli
        .command('import')
        .description('convert from another format; `import ecs FILE`: an ECS task definition (register input or describe output JSON) to a TaskDefinition manifest on stdout')
        .argument('<format>', 'ecs')
        .argument('<file>')
        .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
        .action((format, file, options) => {
        if (format !== 'ecs')
            throw new Error(`unknown import format "${format}"; supported: ecs`);
        const { text, errors, warnings, policyNotes } = importEcs(file, options.output);
        for (const warning of warnings)
            process.stderr.write(`warning: ${formatManifestError(warning)}\n`);
        for (const note of policyNotes)
            process.stderr.write(`note: ${note}\n`);
        for (const error of errors)
            process.stderr.write(`${formatManifestError(error)}\n`);
        process.stdout.write(text);
        if (errors.length)
            process.exitCode = 1;
    });
    return cli;
}
export async function main(argv) {
    try {
        await program().parseAsync(argv);
    }
    catch (error) {
        process.stderr.write(`berth: ${errorMessage(error)}\n`);
        process.exitCode = 1;
    }
}
//# sourceMappingURL=main.js.map