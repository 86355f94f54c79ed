import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { validateManifest } from '../store/validate.js';
import { readStatus } from '../status/document.js';
import { readStatusFrom } from '../status/writer.js';
import { readManifests } from './files.js';
import { errorMessage } from '../errors.js';
/**
 * Splits a command line into words as a POSIX shell would for quotes and
 * backslashes (no expansion): `sh -c 'echo "hi"; exit 3'` → [sh, -c, echo "hi"; exit 3].
 */
export function splitCommand(line) {
    const words = [];
    let word = '';
    let inWord = false;
    let quote;
    for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quote === "'") {
            if (ch === "'")
                quote = undefined;
            else
                word += ch;
        }
        else if (quote === '"') {
            if (ch === '"')
                quote = undefined;
            else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]))
                word += line[++i];
            else
                word += ch;
        }
        else if (ch === "'" || ch === '"') {
            quote = ch;
            inWord = true;
        }
        else if (ch === '\\' && i + 1 < line.length) {
            word += line[++i];
            inWord = true;
        }
        else if (/\s/.test(ch)) {
            if (inWord)
                words.push(word);
            word = '';
            inWord = false;
        }
        else {
            word += ch;
            inWord = true;
        }
    }
    if (quote)
        throw new Error(`--command: unterminated ${quote} quote`);
    if (inWord)
        words.push(word);
    if (words.length === 0)
        throw new Error('--command: no command given');
    return words;
}
/** The container overrides the flags ask for; --overrides is the whole TaskOverride and excludes the others. */
function overridesFrom(options) {
    const env = options.env ?? [];
    if (options.overrides !== undefined) {
        if (options.command !== undefined || env.length)
            throw new Error('give either --overrides or --command/--env, not both');
        try {
            return JSON.parse(options.overrides);
        }
        catch (error) {
            throw new Error(`--overrides: not JSON: ${errorMessage(error)}`, { cause: error });
        }
    }
    if (options.command === undefined && env.length === 0)
        return undefined;
    const override = { name: options.container ?? firstContainer(options) };
    if (options.command !== undefined)
        override.command = splitCommand(options.command);
    if (env.length) {
        override.environment = env.map((pair) => {
            const eq = pair.indexOf('=');
            if (eq <= 0)
                throw new Error(`--env ${pair}: expected NAME=VALUE`);
            return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
        });
    }
    return { containerOverrides: [override] };
}
/** The first container of the task definition's manifest, which --command and --env apply to by default. */
function firstContainer(options) {
    const family = options.taskDefinition.split(':')[0];
    const { documents } = readManifests([options.manifests]);
    const definition = documents.find((d) => d.kind === 'TaskDefinition' && d.name === family);
    const spec = definition?.manifest.spec;
    const name = spec?.containerDefinitions?.[0]?.name;
    if (!name)
        throw new Error(`no TaskDefinition "${family}" in ${options.manifests}: give --container NAME for --command and --env`);
    return name;
}
/** The Task manifest `berth run-task` writes; validated here, so a bad flag fails before anything is written. */
export function taskManifest(options) {
    const family = options.taskDefinition.split(':')[0];
    const name = options.name ?? `${family}-${randomBytes(4).toString('base64url').replace(/[^a-zA-Z0-9]/g, 'x').slice(0, 5).toLowerCase()}`;
    const spec = {};
    if (options.cluster)
        spec.cluster = options.cluster;
    spec.taskDefinition = options.taskDefinition;
    if (options.count !== undefined)
        spec.count = options.count;
    const overrides = overridesFrom(options);
    if (overrides)
        spec.overrides = overrides;
    spec.startedBy = 'berth run-task';
    const manifest = { apiVersion: 'berth/v1', kind: 'Task', metadata: { name }, spec };
    const result = validateManifest(manifest);
    if (!result.ok)
        throw new Error(`the Task would be invalid: ${result.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ')}`);
    return { name, text: `# Written by berth run-task. Editing the spec runs nothing again; set desiredStatus: STOPPED to stop the tasks.\n${stringify(manifest)}` };
}
/**
 * Writes the file whole or not at all, and never over an existing one: the text goes
 * to a temp file that is synced, then linked to the final name (which fails if the name
 * exists), so the controller never reads half a manifest.
 */
export function writeNewFile(path, text) {
    const temp = join(path, '..', `.${basename(path)}.${randomBytes(4).toString('hex')}.berth-tmp`);
    const fd = openSync(temp, 'wx');
    try {
        writeSync(fd, text);
        fsyncSync(fd);
    }
    finally {
        closeSync(fd);
    }
    try {
        linkSync(temp, path);
    }
    catch (error) {
        if (error.code === 'EEXIST')
            throw new Error(`${path} exists: give another --name`, { cause: error });
        throw error;
    }
    finally {
        unlinkSync(temp);
    }
}
/** Writes the Task manifest into the manifests directory; refuses a name a Task there already has. */
export function runTask(options) {
    const { name, text } = taskManifest(options);
    const { documents } = readManifests([options.manifests]);
    const existing = documents.find((d) => d.kind === 'Task' && d.name === name);
    if (existing)
        throw new Error(`Task "${name}" already exists in ${existing.file}: give another --name`);
    const file = join(options.manifests, `task-${name}.yaml`);
    writeNewFile(file, text);
    return { name, file };
}
/** What --wait exits with: the first failed container's exit code; 1 for a task that failed without one; else 0. */
export function runExitCode(tasks) {
    for (const task of tasks) {
        const failedExit = task.containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0);
        if (failedExit)
            return failedExit.exitCode;
        if (!task.containers.some((c) => c.exitCode === 0))
            return 1;
    }
    return 0;
}
function readTaskStatus(file, name, statusDir) {
    if (statusDir)
        return readStatusFrom(statusDir, 'Task', name);
    try {
        return readStatus(readFileSync(file, 'utf8'), { kind: 'Task', name });
    }
    catch {
        return undefined;
    }
}
/**
 * Waits until every task of the run has stopped, reading the status the controller
 * writes into the file; prints each task's end and resolves with the exit code.
 */
export async function waitForRun(options) {
    let told = '';
    for (;;) {
        const status = readTaskStatus(options.file, options.name, options.statusDir);
        const launched = status?.conditions?.find((c) => c.type === 'Launched');
        if (launched && launched.status === 'False' && launched.message !== told) {
            options.out(`${launched.reason}: ${launched.message}\n`);
            told = launched.message;
            if (launched.reason === 'InvalidOverrides')
                return 1;
        }
        const tasks = status?.tasks ?? [];
        const done = launched?.status === 'True' && status?.lastStatus === 'STOPPED' && tasks.every((t) => t.lastStatus === 'STOPPED');
        if (done) {
            for (const task of tasks) {
                const exits = task.containers.map((c) => `${c.name}=${c.exitCode ?? '-'}${c.reason ? ` (${c.reason})` : ''}`).join(' ');
                options.out(`task ${task.taskId} ${task.stopCode ?? ''}: ${task.stoppedReason ?? ''}; exit codes: ${exits}\n`);
            }
            return runExitCode(tasks);
        }
        await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
    }
}
//# sourceMappingURL=runTask.js.map