import { constants, readlinkSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { mergeEnvFiles, parseEnvFile } from './envFile.js';
import { parsedReference, ResourceInitializationError } from './provider.js';
import { envFileLocation, SecretReferenceError } from './references.js';
/**
 * Reads every secret and environment file of a task, before any container is created, so
 * a missing one fails the task as ECS does (ResourceInitializationError) instead of
 * starting a container without it.
 */
export async function resolveTaskEnvironment(spec, options) {
    const resolved = {};
    for (const container of spec.containerDefinitions) {
        if (!container.secrets?.length && !container.environmentFiles?.length)
            continue;
        resolved[container.name] = {
            fromFiles: await readEnvFiles(container, options),
            secrets: await resolveSecretList(container.secrets ?? [], options),
        };
    }
    return resolved;
}
async function resolveSecretList(secrets, options) {
    const values = {};
    for (const secret of secrets) {
        const reference = parsedReference(secret.valueFrom);
        if (reference.ignoredVersion)
            options.logger?.info({ valueFrom: secret.valueFrom }, `${reference.ignoredVersion} ignored: the local secrets provider keeps one version`);
        values[secret.name] = await options.provider.resolve(reference);
    }
    return values;
}
/**
 * logConfiguration.secretOptions as `{ option name: value }`, for the log driver's
 * options. Throws ResourceInitializationError naming the reference when one is missing.
 */
export async function resolveSecretOptions(secretOptions, provider) {
    return resolveSecretList(secretOptions ?? [], { provider, baseDir: '.' });
}
/**
 * repositoryCredentials.credentialsParameter: a secret whose value is the JSON
 * `{"username": "...", "password": "..."}`, as ECS stores private registry logins.
 */
export async function resolveRegistryAuth(credentialsParameter, provider) {
    const value = await provider.resolve(credentialsParameter);
    let parsed;
    try {
        parsed = JSON.parse(value);
    }
    catch {
        // JSON.parse's message quotes the text, which is the secret: not passed on.
        parsed = undefined;
    }
    const record = typeof parsed === 'object' && parsed !== null ? parsed : {};
    if (typeof record.username !== 'string' || typeof record.password !== 'string') {
        throw new ResourceInitializationError(`unable to pull secrets or registry auth: the registry credentials from ${JSON.stringify(credentialsParameter)} are not a JSON object with string fields "username" and "password"`);
    }
    return { username: record.username, password: record.password };
}
/** Registry credentials by image, for the images whose containers name some. */
export async function resolveImageAuth(spec, provider) {
    const auth = new Map();
    for (const container of spec.containerDefinitions) {
        const parameter = container.repositoryCredentials?.credentialsParameter;
        if (parameter !== undefined && !auth.has(container.image))
            auth.set(container.image, await resolveRegistryAuth(parameter, provider));
    }
    return auth;
}
async function readEnvFiles(container, options) {
    const files = [];
    for (const [index, file] of (container.environmentFiles ?? []).entries()) {
        const field = `container "${container.name}" environmentFiles[${index}].value`;
        const { path, checkedRealPath } = envFilePath(file.value, field, options);
        // Files of the secrets directory are the operator's own and may be symlinks (a mounted secret volume).
        const read = checkedRealPath === undefined ? readFile(path, 'utf8') : readCheckedFile(checkedRealPath, field);
        const text = await read.catch((error) => {
            if (error instanceof ResourceInitializationError)
                throw error;
            const problem = error.code === 'ENOENT' ? 'not found' : `not readable (${error.code ?? error.message})`;
            throw new ResourceInitializationError(`failed to download env files: ${describeEnvFile(file.value, path)} ${problem}`);
        });
        const parsed = parseEnvFile(text);
        if (parsed.skippedLines.length)
            options.logger?.warn({ file: path, lines: parsed.skippedLines }, 'environment file lines without VARIABLE=VALUE skipped');
        files.push(parsed.variables);
    }
    return mergeEnvFiles(files);
}
function describeEnvFile(value, path) {
    return value === path ? `file ${path}` : `${JSON.stringify(value)} (file ${path})`;
}
/**
 * The local file an environmentFiles value stands for (see envFileLocation), and the
 * path to read it from: for a local path, its real path once the host path policy
 * allowed it. A `..` segment is refused as written, before the path is joined to the
 * manifest's directory (where `resolve` would silently climb out of it).
 */
function envFilePath(value, field, options) {
    let location;
    try {
        location = envFileLocation(value);
    }
    catch (error) {
        throw new ResourceInitializationError(`failed to download env files: ${error instanceof SecretReferenceError ? error.message : String(error)}`);
    }
    if (location.kind === 'path') {
        const refused = (reason) => new ResourceInitializationError(`failed to download env files: ${field} ${JSON.stringify(value)} refused: ${reason}`);
        if (location.path.split('/').includes('..'))
            throw refused('a ".." segment is never allowed in an environment file path; write the path without it');
        if (location.path.includes('\0'))
            throw refused('the path holds a NUL byte');
        const path = isAbsolute(location.path) ? location.path : resolve(options.baseDir, location.path);
        const verdict = options.checkLocalFile?.(path) ?? { allowed: false, reason: 'local environment files are refused: no host path policy applies (spec.hostPathPolicy.allowedRoots of the Cluster manifest)' };
        if (!verdict.allowed)
            throw refused(verdict.reason);
        return { path, checkedRealPath: verdict.realPath };
    }
    if (options.provider.dir === undefined) {
        throw new ResourceInitializationError(`failed to download env files: ${JSON.stringify(value)} is read from <secrets dir>/${location.name}, and no secrets directory is set (--secrets-dir)`);
    }
    return { path: join(options.provider.dir, location.name) };
}
/** Where Linux shows what an open file descriptor refers to. */
const FD_LINKS = '/proc/self/fd';
/**
 * Reads a checked file. It is opened without following a final symlink and without
 * blocking (a FIFO would hang the launch), must be a regular file, and on Linux the file
 * actually opened must still be the checked real path: a directory swapped for a
 * symlink between the check and the open is caught.
 */
async function readCheckedFile(realPath, field) {
    const handle = await open(realPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
        if (!(await handle.stat()).isFile())
            throw new ResourceInitializationError(`failed to download env files: ${field} (file ${realPath}) is not a regular file`);
        let opened;
        try {
            opened = readlinkSync(`${FD_LINKS}/${handle.fd}`);
        }
        catch {
            opened = undefined; // No /proc: the check before the open is all there is.
        }
        if (opened !== undefined && opened !== realPath) {
            throw new ResourceInitializationError(`failed to download env files: ${field} (file ${realPath}) changed while it was opened (now ${opened}); refused`);
        }
        return await handle.readFile('utf8');
    }
    finally {
        await handle.close();
    }
}
//# sourceMappingURL=taskEnvironment.js.map