/**
 * The words of validation: positions and field paths, quoting that never shows more than a
 * short prefix of a rejected string (a value may be a secret), "did you mean", and the caps
 * that keep a document with thousands of mistakes cheap to report.
 */
export const START = { line: 1, column: 1 };
/** A plain mapping (not null, not a list). */
export function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Strings longer than this are never quoted whole in a message. */
export const MAX_QUOTED_LENGTH = 40;
/** Quotes a string for a message; a long one is cut short because it may be a secret. */
export function quote(value) {
    if (value.length <= MAX_QUOTED_LENGTH)
        return JSON.stringify(value);
    return `${JSON.stringify(shorten(value))} (${value.length} characters, truncated)`;
}
/** A string cut short for display, when it is longer than the limit. */
export function shorten(value) {
    return value.length <= MAX_QUOTED_LENGTH ? value : value.slice(0, 12) + '…';
}
/** Rewrites every double-quoted string longer than the limit inside a message from a library. */
export function redactLongQuotes(message) {
    return message.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner) => inner.length <= MAX_QUOTED_LENGTH ? whole : quote(inner));
}
/** `spec.containerDefinitions[0].name`; keys that are not identifiers are bracketed. */
export function formatFieldPath(path) {
    let out = '';
    for (const segment of path) {
        if (typeof segment === 'number')
            out += `[${segment}]`;
        else if (segment.length > MAX_QUOTED_LENGTH)
            out += `[${JSON.stringify(shorten(segment))}]`;
        else if (/^[A-Za-z_$][\w$-]*$/.test(segment))
            out += out === '' ? segment : `.${segment}`;
        else
            out += `[${JSON.stringify(segment)}]`;
    }
    return out;
}
// ---------------------------------------------------------------------------
// Caps: a document with thousands of mistakes gets the first few reported, and the work
// spent on it stays bounded, whatever its content.
/** Errors reported per document; the rest are counted. */
export const MAX_ERRORS_PER_DOCUMENT = 50;
/** `and 12 more errors in this document` */
export function moreErrorsMessage(count, scope) {
    return `and ${count} more error${count === 1 ? '' : 's'} in this ${scope}`;
}
/**
 * Edit-distance comparisons "did you mean" may make per validation (a file, or one document
 * validated on its own): each costs up to 100 × 100 steps, and 9,500 unknown keys against
 * the 70 fields of a container would otherwise take twenty seconds. Spent in file order,
 * so the errors reported first get their suggestions.
 */
export const MAX_SUGGESTION_COMPARISONS = 5000;
let suggestionComparisonsLeft = Number.POSITIVE_INFINITY;
/**
 * Runs `validate` with a budget of edit-distance comparisons for suggest(); once spent,
 * suggest() suggests nothing. Validation is synchronous, so one budget at a time is enough;
 * a nested call shares the budget of the outer one.
 */
export function withSuggestionBudget(comparisons, validate) {
    if (suggestionComparisonsLeft !== Number.POSITIVE_INFINITY)
        return validate();
    suggestionComparisonsLeft = comparisons;
    try {
        return validate();
    }
    finally {
        suggestionComparisonsLeft = Number.POSITIVE_INFINITY;
    }
}
// ---------------------------------------------------------------------------
// "did you mean"
/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("desiredCuont"). */
export function editDistance(a, b) {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d = Array.from({ length: rows }, (_, i) => {
        const row = new Array(cols).fill(0);
        row[0] = i;
        return row;
    });
    for (let j = 0; j < cols; j++)
        d[0][j] = j;
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                best = Math.min(best, d[i - 2][j - 2] + 1);
            d[i][j] = best;
        }
    }
    return d[a.length][b.length];
}
/**
 * The closest allowed name, if one is close enough to be a likely typo: same letters in
 * another case, a small edit distance (1 for short names, up to a quarter of the length),
 * or a clear abbreviation ("env" for "environment").
 */
export function suggest(input, allowed) {
    if (input.length > 100)
        return undefined;
    const lower = input.toLowerCase();
    let best;
    for (const name of allowed) {
        const candidate = name.toLowerCase();
        let score;
        if (candidate === lower)
            score = 0;
        else {
            const tolerance = Math.max(1, Math.floor(Math.max(lower.length, candidate.length) / 4));
            // The distance is at least the difference in length: most names are ruled out for free.
            if (Math.abs(lower.length - candidate.length) <= tolerance && suggestionComparisonsLeft > 0) {
                suggestionComparisonsLeft--;
                const distance = editDistance(lower, candidate);
                if (distance <= tolerance)
                    score = distance;
            }
            if (score === undefined && lower.length >= 3 && candidate.startsWith(lower))
                score = tolerance + 1;
        }
        if (score !== undefined && (best === undefined || score < best.score))
            best = { name, score };
    }
    return best?.name;
}
export function unknownFieldMessage(key, allowed) {
    if (key === '<<')
        return 'merge keys (<<) are not supported; write the fields out, or use an alias (*name) as a whole value';
    const suggestion = suggest(key, allowed);
    return suggestion === undefined
        ? `unknown field ${quote(key)}`
        : `unknown field ${quote(key)} (did you mean ${quote(suggestion)}?)`;
}
export function plural(count, noun) {
    return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
//# sourceMappingURL=messages.js.map