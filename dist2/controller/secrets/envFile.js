export function parseEnvFile(text) {
    const variables = {};
    const skippedLines = [];
    text.split('\n').forEach((raw, index) => {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line.trim() === '' || line.startsWith('#'))
            return;
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
export function mergeEnvFiles(files) {
    const merged = {};
    for (const file of files) {
        for (const [name, value] of Object.entries(file))
            if (!Object.hasOwn(merged, name))
                merged[name] = value;
    }
    return merged;
}
//# sourceMappingURL=envFile.js.map