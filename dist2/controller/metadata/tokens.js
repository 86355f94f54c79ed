import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically } from '../state/stateStore.js';
import { errorMessage } from '../errors.js';
/** The key file in the state directory. */
export const METADATA_KEY_FILE = 'metadata-key';
const KEY_BYTES = 32;
/** 128 bits of HMAC-SHA256: far beyond guessing over HTTP, and a short enough URI. */
const MAC_HEX_LENGTH = 32;
/** ECS names containers with letters, digits, - and _; berth's task ids are hex. */
const NAME = '[A-Za-z0-9_-]{1,255}';
const ENDPOINT_ID = new RegExp(`^(${NAME})\\.(${NAME})\\.([0-9a-f]{${MAC_HEX_LENGTH}})$`);
/**
 * The per-container part of a metadata URI: "<task id>.<container>.<mac>", the mac
 * an HMAC over task id and container name. The server authenticates a request from
 * the path alone, with no table of issued URIs, so URIs handed out before a
 * controller restart keep working; without the key nobody can make one up, and a
 * container's URI opens only its own task.
 */
export class EndpointTokens {
    key;
    constructor(key) {
        this.key = key;
        if (key.length < 16)
            throw new Error('the metadata key must have at least 128 bits');
    }
    endpointId(subject) {
        return `${subject.taskId}.${subject.container}.${this.mac(subject)}`;
    }
    /** The subject of an endpoint id, or undefined when it is malformed or its mac is wrong. */
    verify(endpointId) {
        const match = ENDPOINT_ID.exec(endpointId);
        if (!match)
            return undefined;
        const subject = { taskId: match[1], container: match[2] };
        const expected = Buffer.from(this.mac(subject), 'hex');
        const given = Buffer.from(match[3], 'hex');
        return timingSafeEqual(expected, given) ? subject : undefined;
    }
    mac(subject) {
        // NUL separators: no task id and container name pair can be read as another.
        return createHmac('sha256', this.key).update(`v1\0${subject.taskId}\0${subject.container}`).digest('hex').slice(0, MAC_HEX_LENGTH);
    }
}
/**
 * The key lives in the state directory, readable by its owner only, so a restarted
 * controller accepts the URIs its predecessor gave out. A missing or damaged key is
 * replaced: URIs of running tasks then stop working until they are replaced, which
 * is the safe direction. A key that cannot be stored (a full disk) is used from
 * memory: this run works, and the next one makes a new key.
 */
export function loadOrCreateKey(stateDir, logger) {
    const path = join(stateDir, METADATA_KEY_FILE);
    try {
        const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
        if (key.length === KEY_BYTES)
            return key;
        logger.warn({ file: path }, 'metadata key damaged; making a new one (metadata URIs of running tasks stop working)');
    }
    catch (error) {
        if (error.code !== 'ENOENT')
            throw error;
    }
    const key = randomBytes(KEY_BYTES);
    try {
        // A new file (exclusive temp, 0600) renamed into place: a damaged key's old mode does not carry over.
        writeAtomically(path, `${key.toString('hex')}\n`, { mode: 0o600 });
    }
    catch (error) {
        logger.error({ file: path, err: errorMessage(error) }, 'cannot store the metadata key; using it from memory (after a restart, metadata URIs of running tasks stop working)');
    }
    return key;
}
//# sourceMappingURL=tokens.js.map