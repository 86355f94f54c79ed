import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ResourceInitializationError } from './provider.js';
/** Where, below the secrets directory, the credentials of each task role are mapped. */
export const ROLES_DIR = 'roles';
/** How long a role command may take: a command that hangs must not hold a launch or a request forever. */
const COMMAND_TIMEOUT_MS = 30_000;
/** credential_process output is a few hundred bytes; anything far larger is not credentials. */
const COMMAND_MAX_OUTPUT = 64 * 1024;
/**
 * Static keys carry no expiry, yet every SDK wants one: it is when the SDK asks again,
 * and the file is read again then, so a rotated key is picked up within this time.
 */
export const STATIC_KEYS_REFRESH_MS = 60 * 60 * 1000;
/**
 * "arn:aws:iam::123456789012:role/service/orders-task" → "orders-task". IAM role names are
 * unique within an account whatever their path, so the last segment names the mapping.
 * Undefined for anything that is not an IAM role ARN.
 */
export function roleNameFromArn(arn) {
    const match = /^arn:[a-z0-9-]+:iam::(\d{12})?:role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/.exec(arn);
    return match?.[2];
}
/** A role that berth has no credentials for: ECS's words, then where berth looked. */
export class UnmappedRoleError extends ResourceInitializationError {
}
/**
 * The credentials the operator mapped to a role ARN in the secrets directory:
 * `roles/<role name>.json` holds them (AccessKeyId, SecretAccessKey, and optionally Token or
 * SessionToken and Expiration), or `roles/<role name>.cmd` is a program that prints them as
 * AWS credential_process output (Version 1, AccessKeyId, SecretAccessKey, SessionToken,
 * Expiration). Read at every request, so rotated credentials reach running tasks.
 * Messages name the role and the files, never a value.
 */
export async function readRoleCredentials(options) {
    const { secretsDir, roleArn } = options;
    const refuse = (why) => new UnmappedRoleError(`ECS was unable to assume the role '${roleArn}' that was provided for this task: ${why}`);
    const roleName = roleNameFromArn(roleArn);
    if (roleName === undefined)
        throw refuse('it is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)');
    if (secretsDir === undefined)
        throw refuse(`no credentials are mapped to role "${roleName}": no secrets directory is set (--secrets-dir); put them in ${ROLES_DIR}/${roleName}.json or ${ROLES_DIR}/${roleName}.cmd there`);
    const jsonPath = join(secretsDir, ROLES_DIR, `${roleName}.json`);
    const commandPath = join(secretsDir, ROLES_DIR, `${roleName}.cmd`);
    const text = await readFile(jsonPath, 'utf8').catch((error) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR')
            return undefined;
        throw refuse(`cannot read ${jsonPath}: ${error.code ?? error.message}`);
    });
    if (text !== undefined)
        return parseCredentials(text, { source: jsonPath, now: options.now, refuse });
    const output = await runCommand(commandPath).catch((error) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
            throw refuse(`no credentials are mapped to role "${roleName}": neither ${jsonPath} nor ${commandPath} exists`);
        }
        // The command's stderr is not passed on: it may print what it was about to hand out.
        const why = error.killed ? `did not finish within ${COMMAND_TIMEOUT_MS / 1000} s` : typeof error.code === 'number' ? `exited with status ${error.code}` : (error.code ?? 'failed');
        throw refuse(`${commandPath} ${why}`);
    });
    return parseCredentials(output, { source: `the output of ${commandPath}`, now: options.now, refuse });
}
function runCommand(path) {
    return new Promise((resolve, reject) => {
        execFile(path, [], { timeout: COMMAND_TIMEOUT_MS, maxBuffer: COMMAND_MAX_OUTPUT, encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
}
/**
 * Both shapes people already have: the ECS endpoint's (Token) and credential_process's
 * (SessionToken, Version 1). Parse errors are not passed on: they quote the text, which
 * holds the keys.
 */
export function parseCredentials(text, options) {
    const { source, refuse } = options;
    let parsed;
    try {
        parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
    }
    catch {
        throw refuse(`${source} is not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw refuse(`${source} is not a JSON object`);
    const fields = parsed;
    const optionalString = (name) => {
        const value = fields[name];
        if (value === undefined || value === null)
            return undefined;
        if (typeof value !== 'string' || value === '')
            throw refuse(`${source}: ${name} must be a non-empty string`);
        return value;
    };
    if (fields.Version !== undefined && fields.Version !== 1)
        throw refuse(`${source}: Version must be 1 (credential_process output)`);
    const accessKeyId = optionalString('AccessKeyId');
    const secretAccessKey = optionalString('SecretAccessKey');
    if (accessKeyId === undefined || secretAccessKey === undefined)
        throw refuse(`${source} must hold AccessKeyId and SecretAccessKey`);
    const sessionToken = optionalString('SessionToken') ?? optionalString('Token');
    const expirationText = optionalString('Expiration');
    let expiration;
    if (expirationText === undefined) {
        expiration = new Date(options.now() + STATIC_KEYS_REFRESH_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    else {
        if (Number.isNaN(Date.parse(expirationText)))
            throw refuse(`${source}: Expiration must be an ISO 8601 time`);
        expiration = expirationText;
    }
    return { accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}), expiration };
}
//# sourceMappingURL=roles.js.map