/**
 * Environment files as the ECS agent reads them: one `VARIABLE=VALUE` per line, split at
 * the first `=`; lines starting with `#` are comments; blank lines are skipped. Nothing is
 * unquoted or expanded: `A="x"` sets A to the three characters `"x"`. A line without `=`,
 * or with an empty name or value, is skipped (the agent skips it too). Within one file a
 * later line overrides an earlier one.
 */
export interface ParsedEnvFile {
  variables: Record<string, string>;
  /** 1-based numbers of the lines that were skipped as malformed (never their text: it may hold a secret). */
  skippedLines: number[];
}

export function parseEnvFile(text: string): ParsedEnvFile {
  const variables: Record<string, string> = {};
  const skippedLines: number[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    const name = equals > 0 ? line.slice(0, equals) : '';
    const value = equals > 0 ? line.slice(equals + 1) : '';
    if (name === '' || value === '') {
      skippedLines.push(index + 1);
      return;
    }
    variables[name] = value;
  });
  return { variables, skippedLines };
}

/** ECS reads at most this many environment files per container. */
export const MAX_ENV_FILES = 10;

/**
 * The variables of several files in ECS's order: the first file that defines a variable
 * wins (the agent adds a file's variable only when it is not set yet).
 */
export function mergeEnvFiles(files: readonly Record<string, string>[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const file of files) {
    for (const [name, value] of Object.entries(file)) if (!Object.hasOwn(merged, name)) merged[name] = value;
  }
  return merged;
}
