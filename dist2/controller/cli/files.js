import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { readManifestFileSync } from '../store/manifestRead.js';
import { isManifestFile, parseManifestText } from '../store/parse.js';
/**
 * Every manifest file under the given paths (files as given, directories recursively,
 * dot-entries skipped). Entries with a manifest's name that are not regular files (a FIFO,
 * a socket) are listed too, so that reading them reports them rather than skipping them.
 */
export function manifestFiles(paths) {
    const files = [];
    for (const path of paths) {
        if (!statSync(path).isDirectory()) {
            files.push(path);
            continue;
        }
        for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
            const full = join(entry.parentPath, entry.name);
            if (relative(path, full).split(/[\\/]/).some((part) => part.startsWith('.')))
                continue;
            if (!entry.isDirectory() && isManifestFile(full))
                files.push(full);
        }
    }
    return files.sort();
}
export function readManifests(paths) {
    const documents = [];
    const errors = [];
    const warnings = [];
    for (const file of manifestFiles(paths)) {
        // The CLI runs as the user who names the paths, so links are followed wherever they lead;
        // what is not a regular file is still never opened (a FIFO would block for ever).
        const read = readManifestFileSync(file, { root: dirname(file), followExternalSymlinks: true });
        if (read.outcome === 'refused') {
            errors.push({ file, line: 1, column: 1, message: read.reason });
            continue;
        }
        if (read.outcome === 'missing')
            continue;
        const parsed = parseManifestText(file, read.text);
        // Loops, not push(...spread): a spread of many items overflows the call stack.
        for (const document of parsed.documents)
            documents.push({ ...document, file });
        for (const error of parsed.errors)
            errors.push(error);
        for (const warning of parsed.warnings)
            warnings.push(warning);
    }
    return { documents, errors, warnings };
}
//# sourceMappingURL=files.js.map