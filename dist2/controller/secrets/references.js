/**
 * How an ECS reference (`valueFrom`, `credentialsParameter`, an environment file's
 * `value`) names a secret of the local provider. Pure: no file or environment access.
 *
 * The rule, with examples (also in the README):
 * - Secrets Manager ARN `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME` → NAME (a leading
 *   `/` dropped: `secret:/prod/db-AbCdEf` → `prod/db-AbCdEf`, then `prod/db`). A full
 *   ARN ends in `-` and six random characters (`prod/db-AbCdEf`): the name is looked up as
 *   written first, then without that suffix. An optional `:json-key:version-stage:version-id`
 *   tail selects a key of a JSON secret; stage and id are accepted and ignored (the local
 *   provider keeps one version).
 * - Parameter Store ARN `arn:aws:ssm:REGION:ACCOUNT:parameter/NAME` → NAME.
 * - A plain parameter name `/a/b` → `a/b` (the leading slash dropped), `name` → `name`.
 * - An S3 environment file `arn:aws:s3:::bucket/key` → the file `s3/bucket/key` of the
 *   secrets directory.
 *
 * Names are relative paths below the secrets directory: `.`, `..` and empty segments are
 * refused, so a reference can never read a file outside it.
 */
/** A reference berth cannot map to a local name. */
export class SecretReferenceError extends Error {
    reference;
    reason;
    name = 'SecretReferenceError';
    constructor(
    /** The reference as written. */
    reference, 
    /** Why, without the reference: "is not a Parameter Store ARN (...)". */
    reason) {
        super(`${JSON.stringify(reference)} ${reason}`);
        this.reference = reference;
        this.reason = reason;
    }
}
/** The random suffix Secrets Manager appends to a secret's name in its full ARN. */
const RANDOM_SUFFIX = /-[A-Za-z0-9]{6}$/;
/** Parses a `valueFrom` into the local secret name(s) it stands for. */
export function secretReference(valueFrom) {
    if (!valueFrom.startsWith('arn:'))
        return { valueFrom, names: [checkedName(valueFrom.replace(/^\//, ''), valueFrom)] };
    const parts = valueFrom.split(':');
    const service = parts[2];
    if (service === 'secretsmanager')
        return secretsManagerReference(valueFrom, parts);
    if (service === 'ssm') {
        const resource = parts.slice(5).join(':');
        if (!resource.startsWith('parameter/'))
            throw new SecretReferenceError(valueFrom, 'is not a Parameter Store ARN (arn:aws:ssm:REGION:ACCOUNT:parameter/NAME)');
        return { valueFrom, names: [checkedName(resource.slice('parameter/'.length).replace(/^\//, ''), valueFrom)] };
    }
    throw new SecretReferenceError(valueFrom, 'is neither a Secrets Manager nor a Parameter Store reference');
}
/** `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME[:json-key[:version-stage[:version-id]]]` */
function secretsManagerReference(valueFrom, parts) {
    if (parts.length < 7 || parts[5] !== 'secret' || !parts[6]) {
        throw new SecretReferenceError(valueFrom, 'is not a Secrets Manager ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)');
    }
    if (parts.length > 10)
        throw new SecretReferenceError(valueFrom, 'has more than json-key:version-stage:version-id after the secret name');
    // Secret names may start with "/" (`secret:/prod/app-AbCdEf`), as parameter names do; the
    // local name is a relative path, so the slash is dropped the same way.
    const written = checkedName(parts[6].replace(/^\//, ''), valueFrom);
    const names = [written];
    const withoutSuffix = written.replace(RANDOM_SUFFIX, '');
    if (withoutSuffix !== written && withoutSuffix !== '')
        names.push(withoutSuffix);
    const reference = { valueFrom, names };
    if (parts[7])
        reference.jsonKey = parts[7];
    const version = [parts[8] && `version-stage ${parts[8]}`, parts[9] && `version-id ${parts[9]}`].filter(Boolean).join(', ');
    if (version)
        reference.ignoredVersion = version;
    return reference;
}
/** A name is a relative path of plain segments: it can never leave the secrets directory. */
function checkedName(name, valueFrom) {
    const segments = name.split('/');
    if (name === '' || segments.some((s) => s === '' || s === '.' || s === '..') || name.includes('\0')) {
        throw new SecretReferenceError(valueFrom, 'does not name a secret: names are paths like "prod/db/password", without empty, "." or ".." parts');
    }
    return name;
}
/**
 * The controller's environment variable that may hold a secret: BERTH_SECRET_ and the
 * name upper-cased, every other character than a letter or digit as `_`
 * (`prod/db-password` → `BERTH_SECRET_PROD_DB_PASSWORD`).
 */
/** Every secret variable's name starts so. */
export const SECRET_ENV_PREFIX = 'BERTH_SECRET_';
export function secretEnvVar(name) {
    return `${SECRET_ENV_PREFIX}${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
/**
 * An environmentFiles `value`: an S3 object ARN `arn:aws:s3:::bucket/key` is the file
 * `s3/bucket/key` of the secrets directory; anything else is a local path, absolute or
 * relative to the directory of the TaskDefinition's manifest.
 */
export function envFileLocation(value) {
    if (value.startsWith('arn:')) {
        const match = /^arn:[^:]+:s3:::(.+)$/.exec(value);
        if (!match || !match[1].includes('/'))
            throw new SecretReferenceError(value, 'is not an S3 object ARN (arn:aws:s3:::bucket/key)');
        return { kind: 's3', name: checkedName(`s3/${match[1]}`, value) };
    }
    return { kind: 'path', path: value };
}
//# sourceMappingURL=references.js.map