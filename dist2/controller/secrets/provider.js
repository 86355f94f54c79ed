import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SECRET_ENV_PREFIX, secretEnvVar, secretReference } from './references.js';
import { errorMessage } from '../errors.js';
/**
 * A secret, an environment file or registry credentials that a task needs could not be
 * read. The message names the reference and where it was looked for, never a value; the
 * launcher reports it as ECS's ResourceInitializationError.
 */
export class ResourceInitializationError extends Error {
    name = 'ResourceInitializationError';
}
/** Errors of the file system that mean "there is no such secret here". */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
/**
 * The local stand-in for Secrets Manager and Parameter Store (the job ECS gives the task
 * execution role): a secrets directory, then the controller's own BERTH_SECRET_<NAME>
 * environment variables. The directory wins, so a file can override a variable set for
 * the whole process. Values are read at each launch, so a rotated secret reaches the
 * next task without a restart.
 */
export class SecretsProvider {
    options;
    env;
    constructor(options = {}) {
        this.options = options;
        this.env = options.env ?? process.env;
    }
    get dir() {
        return this.options.dir;
    }
    /**
     * Whether there is anywhere to read a secret from: a secrets directory, or at least one
     * BERTH_SECRET_* variable. Without either, every task that references a secret fails.
     */
    configured() {
        if (this.options.dir !== undefined)
            return true;
        return Object.entries(this.env).some(([name, value]) => name.startsWith(SECRET_ENV_PREFIX) && value !== undefined);
    }
    /** The value stored under a name, or undefined. A file's one trailing newline is not part of it. */
    async lookup(name) {
        if (this.options.dir !== undefined) {
            const text = await readFile(join(this.options.dir, name), 'utf8').catch((error) => {
                if (error.code && ABSENT.has(error.code))
                    return undefined;
                throw new ResourceInitializationError(`unable to pull secrets or registry auth: cannot read secret ${JSON.stringify(name)} in the secrets directory ${this.options.dir}: ${error.code ?? error.message}`);
            });
            if (text !== undefined)
                return text.replace(/\r?\n$/, '');
        }
        return this.env[secretEnvVar(name)];
    }
    /** The value a `valueFrom` stands for, with its JSON key applied. */
    async resolve(valueFrom) {
        const reference = typeof valueFrom === 'string' ? parsedReference(valueFrom) : valueFrom;
        let value;
        for (const name of reference.names) {
            value = await this.lookup(name);
            if (value !== undefined)
                break;
        }
        if (value === undefined)
            throw new ResourceInitializationError(`unable to pull secrets or registry auth: ${this.notFound(reference)}`);
        return reference.jsonKey === undefined ? value : selectJsonKey(value, reference.jsonKey, reference);
    }
    /** `secret "prod/db" (from valueFrom "arn:...") not found in the secrets directory D or as BERTH_SECRET_PROD_DB` */
    notFound(reference) {
        const names = reference.names.map((n) => JSON.stringify(n)).join(' or ');
        const variables = reference.names.map(secretEnvVar).join(' or ');
        const where = this.options.dir !== undefined ? `in the secrets directory ${this.options.dir} or as ${variables}` : `as ${variables} (no secrets directory is set: --secrets-dir)`;
        return `secret ${names} (from valueFrom ${JSON.stringify(reference.valueFrom)}) not found ${where}`;
    }
}
/** A reference parsed for a launch: one berth cannot map fails the task the same way a missing secret does. */
export function parsedReference(valueFrom) {
    try {
        return secretReference(valueFrom);
    }
    catch (error) {
        throw new ResourceInitializationError(`unable to pull secrets or registry auth: ${errorMessage(error)}`);
    }
}
/**
 * A key of a JSON secret (Secrets Manager's `:json-key:` suffix). A string is taken as it
 * is, other JSON values as their JSON text. Parse errors are not passed on: JSON.parse
 * quotes the text it failed on, and that text is the secret.
 */
function selectJsonKey(value, key, reference) {
    let parsed;
    try {
        parsed = JSON.parse(value);
    }
    catch {
        parsed = undefined;
    }
    const from = `secret ${JSON.stringify(reference.names.at(-1))} (from valueFrom ${JSON.stringify(reference.valueFrom)})`;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new ResourceInitializationError(`unable to pull secrets or registry auth: ${from} is not a JSON object, so its key ${JSON.stringify(key)} cannot be selected`);
    }
    if (!Object.hasOwn(parsed, key))
        throw new ResourceInitializationError(`unable to pull secrets or registry auth: ${from} has no key ${JSON.stringify(key)}`);
    const selected = parsed[key];
    return typeof selected === 'string' ? selected : JSON.stringify(selected);
}
//# sourceMappingURL=provider.js.map