import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isManifestFile, parseManifestText, type ManifestError, type ParsedDocument } from '../store/parse.js';

/** Every manifest file under the given paths (files as given, directories recursively, dot-entries skipped). */
export function manifestFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    const stats = statSync(path);
    if (stats.isFile()) {
      files.push(path);
      continue;
    }
    for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
      const full = join(entry.parentPath, entry.name);
      if (relative(path, full).split(/[\\/]/).some((part) => part.startsWith('.'))) continue;
      if (entry.isFile() && isManifestFile(full)) files.push(full);
    }
  }
  return files.sort();
}

export function readManifests(paths: readonly string[]): { documents: Array<ParsedDocument & { file: string }>; errors: ManifestError[] } {
  const documents: Array<ParsedDocument & { file: string }> = [];
  const errors: ManifestError[] = [];
  for (const file of manifestFiles(paths)) {
    const parsed = parseManifestText(file, readFileSync(file, 'utf8'));
    documents.push(...parsed.documents.map((d) => ({ ...d, file })));
    errors.push(...parsed.errors);
  }
  return { documents, errors };
}
