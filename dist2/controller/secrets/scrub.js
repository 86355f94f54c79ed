import { ResourceInitializationError } from './provider.js';
/** What a secret value is replaced with in error text. */
export const SCRUBBED = '***';
/**
 * Values of environment files shorter than this are not scrubbed: files mostly hold
 * settings ("1", "on", "dev"), and replacing every such string would garble the message
 * ("exit status ***") without hiding anything worth hiding. Secrets are scrubbed at any length.
 */
export const MIN_SCRUBBED_FILE_VALUE_LENGTH = 4;
/**
 * Removes known secret values from text before it reaches status, events, the state
 * directory or the log: the engine's error messages repeat what they were given (a log
 * option it cannot parse, an environment it cannot set), and that may be a secret.
 * Each value is also matched in its quoted form (Go's %q, JSON), in which a quote,
 * backslash or control character appears escaped.
 */
export class SecretScrubber {
    needles;
    constructor(values) {
        const needles = new Set();
        for (const value of values) {
            if (value === '')
                continue;
            needles.add(value);
            for (const quoted of [JSON.stringify(value).slice(1, -1), goQuoted(value)])
                if (quoted !== value)
                    needles.add(quoted);
        }
        // Longest first: a value that contains another is replaced whole, not in pieces.
        this.needles = [...needles].sort((a, b) => b.length - a.length);
    }
    scrub(text) {
        let scrubbed = text;
        for (const needle of this.needles)
            scrubbed = scrubbed.split(needle).join(SCRUBBED);
        return scrubbed;
    }
}
/** Go's escapes for the control characters it names; others are \xNN. */
const GO_ESCAPES = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
/**
 * A value as Go's %q shows it, without the quotes: how Docker and runc quote what they
 * refuse ("NUL_TOKEN=abc\x00def"). Non-ASCII is left as is (%q keeps printable runes).
 */
function goQuoted(value) {
    // eslint-disable-next-line no-control-regex
    return value.replace(/[\x00-\x1f\x7f"\\]/g, (c) => GO_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
/** The values of a task's secrets worth scrubbing from error text: see MIN_SCRUBBED_FILE_VALUE_LENGTH. */
export function scrubbedValues(input) {
    const values = [...input.registryPasswords];
    for (const container of Object.values(input.environment)) {
        values.push(...Object.values(container.secrets));
        values.push(...Object.values(container.fromFiles).filter((v) => v.length >= MIN_SCRUBBED_FILE_VALUE_LENGTH));
    }
    for (const options of Object.values(input.logSecretOptions))
        values.push(...Object.values(options));
    return values;
}
/**
 * A process environment is a list of NUL-terminated strings, so a value with a NUL byte
 * cannot be set; the engine's refusal would quote the value. Refused before anything is
 * created, naming the container, the variable and where it came from, never the value.
 */
export function refuseNulValues(input) {
    const refuse = (container, what) => new ResourceInitializationError(`unable to pull secrets or registry auth: container "${container}": ${what} holds a NUL byte, which a container's environment or options cannot carry`);
    for (const [container, resolved] of Object.entries(input.environment)) {
        for (const [name, value] of Object.entries(resolved.secrets))
            if (value.includes('\0'))
                throw refuse(container, `secret ${name}`);
        for (const [name, value] of Object.entries(resolved.fromFiles))
            if (value.includes('\0'))
                throw refuse(container, `variable ${name} of its environment files`);
        if (Object.keys(resolved.fromFiles).some((name) => name.includes('\0')))
            throw refuse(container, 'a variable name of its environment files');
    }
    for (const [container, options] of Object.entries(input.logSecretOptions)) {
        for (const [name, value] of Object.entries(options))
            if (value.includes('\0'))
                throw refuse(container, `logConfiguration.secretOptions ${name}`);
    }
    for (const [container, pairs] of Object.entries(input.plainEnvironment)) {
        for (const pair of pairs)
            if (pair.value?.includes('\0'))
                throw refuse(container, `environment variable ${pair.name}`);
    }
}
//# sourceMappingURL=scrub.js.map