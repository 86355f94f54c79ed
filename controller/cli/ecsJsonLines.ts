import { API_VERSION } from '../kinds/index.js';

/**
 * An ECS task definition JSON file as a TaskDefinition manifest in JSON whose every line is
 * the line of the same text in the user's file, so that an error or warning about the
 * manifest names the line of the ECS file the user has open, not a line of a converted copy.
 *
 * The manifest header goes in front of the first line; in the describe-task-definition
 * wrapper (`{"taskDefinition": {...}, "tags": [...]}`) everything outside the inner object is
 * blanked to spaces, keeping line breaks. Returns undefined for text this scanner does not
 * understand; the caller then validates a converted copy instead.
 */
export function manifestKeepingEcsLines(options: { text: string; family: string; wrapped: boolean }): string | undefined {
  const { text, family, wrapped } = options;
  const range = wrapped ? memberValueRange(text, 'taskDefinition') : { start: 0, end: text.length };
  if (!range) return undefined;
  const blanked = [...text].map((char, index) => (index >= range.start && index < range.end ? char : char === '\n' || char === '\r' ? char : ' ')).join('');
  const header = `{"apiVersion":${JSON.stringify(API_VERSION)},"kind":"TaskDefinition","metadata":{"name":${JSON.stringify(family)}},"spec":`;
  return `${header}${blanked}}`;
}

/** Offsets of the value of a top-level member of a JSON object, [start, end). */
function memberValueRange(text: string, key: string): { start: number; end: number } | undefined {
  let index = skipSpace(text, 0);
  if (text[index] !== '{') return undefined;
  index += 1;
  for (;;) {
    index = skipSpace(text, index);
    if (text[index] !== '"') return undefined;
    const keyEnd = stringEnd(text, index);
    if (keyEnd === undefined) return undefined;
    const name: unknown = JSON.parse(text.slice(index, keyEnd));
    index = skipSpace(text, keyEnd);
    if (text[index] !== ':') return undefined;
    const start = skipSpace(text, index + 1);
    const end = valueEnd(text, start);
    if (end === undefined) return undefined;
    if (name === key) return { start, end };
    index = skipSpace(text, end);
    if (text[index] !== ',') return undefined;
    index += 1;
  }
}

function skipSpace(text: string, index: number): number {
  while (index < text.length && /\s/.test(text[index]!)) index += 1;
  return index;
}

/** The offset just past the string that starts at `index` (a `"`). */
function stringEnd(text: string, index: number): number | undefined {
  for (let i = index + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return undefined;
}

/** The offset just past the JSON value that starts at `index`. */
function valueEnd(text: string, index: number): number | undefined {
  let depth = 0;
  for (let i = index; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '"') {
      const end = stringEnd(text, i);
      if (end === undefined) return undefined;
      if (depth === 0) return end;
      i = end - 1;
    } else if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') {
      depth -= 1;
      if (depth === 0) return i + 1;
      if (depth < 0) return undefined;
    } else if (depth === 0 && (char === ',' || /\s/.test(char))) return i;
  }
  return depth === 0 ? text.length : undefined;
}
