/**
 * Where a field of a stored resource is written: for problems only another manifest
 * reveals (a Service's loadBalancers naming a port its task definition lacks), which the
 * per-file validation cannot see, but which must still point at the line to fix.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseAllDocuments } from 'yaml';
import { formatFieldPath } from './validate.js';
/**
 * The problem as a ManifestError at the field's line and column; at the document's first
 * line when the file no longer holds the field (it changed since it was read).
 */
export async function errorAtField(resource, display, path, message) {
    const position = (await fieldPosition(resource.file, resource.line, path)) ?? { line: resource.line, column: 1 };
    return { file: display, ...position, kind: resource.kind, name: resource.name, field: formatFieldPath(path), message };
}
async function fieldPosition(file, documentLine, path) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined)
        return undefined;
    const lines = new LineCounter();
    // YAML reads JSON too, with the same positions.
    const documents = parseAllDocuments(text, { lineCounter: lines });
    if (!Array.isArray(documents))
        return undefined;
    const document = documents.find((d) => d.contents?.range !== undefined && lines.linePos(d.contents.range[0]).line >= documentLine);
    const node = document?.getIn(path, true);
    if (!node?.range)
        return undefined;
    const { line, col } = lines.linePos(node.range[0]);
    return { line, column: col };
}
//# sourceMappingURL=fieldPosition.js.map