/**
 * The text of a manifest or task definition file, from its bytes.
 *
 * Most files are UTF-8. Windows tools write others: Notepad may start UTF-8 with a byte
 * order mark, and PowerShell's `>` redirect (`aws ecs describe-task-definition … > td.json`)
 * writes UTF-16 LE with a byte order mark. A byte order mark says which encoding it is, so
 * such a file is decoded as written, and the mark itself is not part of the text. Without a
 * mark, UTF-8 is assumed (YAML and JSON both default to it).
 */
export function decodeText(bytes) {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', byteOrderMark: true };
    }
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
        return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', byteOrderMark: true };
    }
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
        return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', byteOrderMark: true };
    }
    return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', byteOrderMark: false };
}
/**
 * A value read from a file, safe to print on one terminal line: control characters (a NUL
 * of a UTF-16 file read as bytes, an escape sequence, a line break) become `\u0000`-style
 * escapes, so an error message never carries raw bytes to the terminal or the log.
 */
export function escapeControlCharacters(value) {
    // eslint-disable-next-line no-control-regex
    return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
/** `text` in the encoding (and with the byte order mark) of the file it was read from, so a rewrite keeps the file's encoding. */
export function encodeText(text, like) {
    const mark = like.byteOrderMark ? '\ufeff' : '';
    if (like.encoding === 'utf-8')
        return Buffer.from(mark + text, 'utf8');
    const bytes = Buffer.from(mark + text, 'utf16le');
    return like.encoding === 'utf-16be' ? bytes.swap16() : bytes;
}
//# sourceMappingURL=textDecoding.js.map