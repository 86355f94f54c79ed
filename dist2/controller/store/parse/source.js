/**
 * What the YAML and JSON readers share: the limits on untrusted text, offsets turned into
 * line and column, and a document as read, before validation.
 */
import { MAX_ERRORS_PER_DOCUMENT } from '../validate.js';
/** Resource limits for untrusted manifest text. */
export const PARSE_LIMITS = {
    /** Bytes (UTF-8) per file. */
    maxFileBytes: 1024 * 1024,
    /** Alias expansions per document (billion laughs). */
    maxAliasCount: 100,
    /** Nested mappings and sequences. A full task definition needs about 7. */
    maxDepth: 64,
    /** Documents per file: each costs a compose and a validation, and may log an error. */
    maxDocuments: 1000,
    /**
     * Keys, values and list items per file (all documents together). Composing and validating
     * cost time and memory per node: a megabyte of `[1,1,1,…]` is half a million. ECS caps a
     * task definition at 64 KiB, a few thousand nodes.
     */
    maxNodes: 50_000,
    /** Errors reported per file; the rest are counted in one last error ("and 12 more errors in this file"). */
    maxErrors: 2 * MAX_ERRORS_PER_DOCUMENT,
};
/** Offsets → 1-based line and column (column counts UTF-16 code units, as editors and the yaml library do). */
export class LineIndex {
    starts = [0];
    constructor(text) {
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
            this.starts.push(i + 1);
    }
    position(offset) {
        let low = 0;
        let high = this.starts.length - 1;
        while (low < high) {
            const mid = (low + high + 1) >> 1;
            if (this.starts[mid] <= offset)
                low = mid;
            else
                high = mid - 1;
        }
        return { line: low + 1, column: offset - this.starts[low] + 1 };
    }
}
export function issueAt(position, message, identity = {}) {
    return { line: position.line, column: position.column, message, ...identity };
}
//# sourceMappingURL=source.js.map