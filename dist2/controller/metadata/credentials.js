import { createHmac, timingSafeEqual } from 'node:crypto';
/** Where SDKs look when given AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: ECS's credentials address. */
export const ECS_CREDENTIALS_HOST = '169.254.170.2';
/** The path ECS gives tasks, "/v2/credentials/<id>". */
export const CREDENTIALS_PATH_PREFIX = '/v2/credentials/';
const MAC_HEX_LENGTH = 32;
const CREDENTIALS_ID = new RegExp(`^([A-Za-z0-9_-]{1,255})\\.([0-9a-f]{${MAC_HEX_LENGTH}})$`);
/**
 * The id in a task's credentials URI: "<task id>.<mac>", the mac an HMAC over the task id
 * and its task role ARN, under the metadata key but in a domain of its own (no metadata id
 * is a credentials id). The server recomputes the mac from the role the task has now, so an
 * id opens exactly one task's role: another task's id names another task, a made-up id has
 * a wrong mac, and a task whose role changed (it cannot: revisions are immutable) would
 * lose access rather than gain another role's.
 */
export class CredentialsTokens {
    key;
    constructor(key) {
        this.key = key;
        if (key.length < 16)
            throw new Error('the credentials key must have at least 128 bits');
    }
    credentialsId(subject) {
        return `${subject.taskId}.${this.mac(subject)}`;
    }
    /** The task id an id claims, before the role is known; undefined when malformed. */
    claimedTaskId(credentialsId) {
        return CREDENTIALS_ID.exec(credentialsId)?.[1];
    }
    /** True when the id was made for this task and role. */
    verify(credentialsId, subject) {
        const match = CREDENTIALS_ID.exec(credentialsId);
        if (!match || match[1] !== subject.taskId)
            return false;
        return timingSafeEqual(Buffer.from(this.mac(subject), 'hex'), Buffer.from(match[2], 'hex'));
    }
    mac(subject) {
        return createHmac('sha256', this.key).update(`credentials-v1\0${subject.taskId}\0${subject.roleArn}`).digest('hex').slice(0, MAC_HEX_LENGTH);
    }
}
/** The credentials id of "/v2/credentials/<id>", or undefined for any other path. */
export function parseCredentialsPath(url) {
    const path = url.split('?')[0];
    if (!path.startsWith(CREDENTIALS_PATH_PREFIX))
        return undefined;
    const id = path.slice(CREDENTIALS_PATH_PREFIX.length).replace(/\/$/, '');
    return id === '' || id.includes('/') ? undefined : id;
}
export function ecsRoleCredentials(roleArn, credentials) {
    return {
        RoleArn: roleArn,
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        ...(credentials.sessionToken !== undefined ? { Token: credentials.sessionToken } : {}),
        Expiration: credentials.expiration,
    };
}
/** The ECS agent's refusal of an id it does not know (HTTP 400). */
export const INVALID_CREDENTIALS_ID = { code: 'InvalidIdInRequest', message: 'CredentialsV2Request: Credentials not found' };
//# sourceMappingURL=credentials.js.map