/**
 * The folders of controller/ are the pipeline: kinds < runtime < store < observer <
 * taskspec < scheduler < controllers < executor < manager < cli. A folder may import its
 * own and lower ones, never a higher one; the side services (metadata, logstore, secrets,
 * status, state, balancer) import only the bottom of it. Only the executor writes to an engine.
 * This test reads the sources, so a new violation fails here, not in review.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../controller');
export const PIPELINE = ['kinds', 'runtime', 'store', 'observer', 'taskspec', 'scheduler', 'controllers', 'executor', 'manager', 'cli'];
const SIDE_SERVICES = new Set(['metadata', 'logstore', 'secrets', 'status', 'state', 'balancer']);
/** Files at the top of controller/ with no stage of their own: every folder may use them. */
const SHARED = new Set(['keys.ts', 'errors.ts', 'hash.ts', 'log.ts', 'clock.ts', 'arn.ts', 'streams.ts']);
/** Files at the top of controller/ that belong to a stage. */
const TOP_LEVEL_STAGE = { 'engines.ts': 'runtime', 'health.ts': 'status' };
/** Stages the side services may import (besides the shared files and each other). */
const SIDE_SERVICE_MAY_IMPORT = new Set(['kinds', 'runtime', 'store']);
/**
 * Known exceptions, each with the reason it is still there. A new one fails the test;
 * an entry that no longer matches fails it too, so the list only shrinks.
 */
const KNOWN_IMPORT_EXCEPTIONS = new Map([
    // The endpoint's KnownStatus is the task's lastStatus; it is derived by the observer's pure mapping.
    ['metadata/shape.ts -> observer/observe.ts', 'KnownStatus comes from the observer'],
]);
/** Runtime methods that change an engine. */
const ENGINE_WRITES = new Set(['create', 'start', 'stop', 'remove', 'pull', 'ensureNetwork', 'ensureVolume', 'prepareVolumeDirectory', 'removeVolume']);
/** Ledger methods that change it. */
const LEDGER_WRITES = new Set(['requestStop', 'recordStopped', 'settle', 'addEvent', 'setSteady', 'setConditions', 'recordRun', 'noteTaskTimes', 'drop']);
/** Runtime methods that list an engine: only the observer lists, and keeps what it saw. */
const ENGINE_LISTS = new Set(['list', 'listSummaries']);
/**
 * Engine lists still made outside the observer, per file, each a read of the observer's
 * cache all the same (the pool's runtimes are ObservedEngines). More fails, fewer fails
 * too (lower the number), so the list only shrinks.
 */
const KNOWN_LISTS_OUTSIDE_OBSERVER = {
    // The executor's own need: a failed launch's containers, for the task's stopped record.
    'executor/launcher.ts': 1,
    // Resuming an adopted task: its containers by task id, just before they are started.
    'executor/launching.ts': 1,
    // A side service may not import the observer; its periodic sweep reads the cache.
    'logstore/collector.ts': 1,
};
function sourceFiles(dir) {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory())
            return sourceFiles(path);
        return entry.name.endsWith('.ts') ? [path] : [];
    });
}
/** "executor/launcher.ts" → "executor"; top-level files by the tables above; undefined for shared ones. */
export function stageOf(relativePath) {
    const parts = relativePath.split('/');
    if (parts.length === 1)
        return SHARED.has(parts[0]) ? undefined : (TOP_LEVEL_STAGE[parts[0]] ?? parts[0]);
    return parts[0];
}
/** Whether a file of stage `from` may import one of stage `to`. */
export function mayImport(from, to) {
    if (to === undefined || from === to)
        return true;
    if (from === undefined)
        return false;
    if (SIDE_SERVICES.has(from))
        return SIDE_SERVICES.has(to) || SIDE_SERVICE_MAY_IMPORT.has(to);
    // Every stage may use the side services; they never call back.
    if (SIDE_SERVICES.has(to))
        return true;
    const fromIndex = PIPELINE.indexOf(from);
    const toIndex = PIPELINE.indexOf(to);
    if (fromIndex < 0 || toIndex < 0)
        return false;
    return toIndex <= fromIndex;
}
function relativeSpecifiers(source) {
    const specifiers = [];
    const visit = (node) => {
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            specifiers.push(node.moduleSpecifier.text);
        }
        else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
            specifiers.push(node.arguments[0].text);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return specifiers.filter((s) => s.startsWith('.'));
}
/** Imports that go up the pipeline, given each file's path (relative to controller/) and text. */
export function importViolations(files) {
    const violations = [];
    for (const { path, text } of files) {
        const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
        for (const specifier of relativeSpecifiers(source)) {
            const target = join(dirname(path), specifier).split(sep).join('/').replace(/\.js$/, '.ts');
            if (!mayImport(stageOf(path), stageOf(target)))
                violations.push({ file: path, detail: `${path} -> ${target}` });
        }
    }
    return violations;
}
/**
 * Calls of a Runtime method that changes an engine, or of a Ledger method that changes
 * it, per file. Resolved with the type checker, so only calls on a Runtime or a Ledger count.
 */
function writesPerFile(program) {
    const checker = program.getTypeChecker();
    const runtimeFile = join(ROOT, 'runtime', 'runtime.ts');
    const ledgerFile = join(ROOT, 'state', 'ledger.ts');
    const writes = new Map();
    for (const source of program.getSourceFiles()) {
        if (!source.fileName.startsWith(ROOT))
            continue;
        const path = relative(ROOT, source.fileName).split(sep).join('/');
        const visit = (node) => {
            if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
                const method = node.expression.name.text;
                if (ENGINE_WRITES.has(method) || LEDGER_WRITES.has(method)) {
                    const declarations = checker.getSymbolAtLocation(node.expression.name)?.declarations ?? [];
                    const owner = declarations.map((d) => ({ file: d.getSourceFile().fileName, parent: d.parent }));
                    const onRuntime = ENGINE_WRITES.has(method) && owner.some((o) => o.file === runtimeFile && ts.isInterfaceDeclaration(o.parent) && o.parent.name.text === 'Runtime');
                    const onLedger = LEDGER_WRITES.has(method) && owner.some((o) => o.file === ledgerFile && ts.isClassDeclaration(o.parent) && o.parent.name?.text === 'Ledger');
                    if (onRuntime || onLedger) {
                        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
                        writes.set(path, [...(writes.get(path) ?? []), `${path}:${line + 1} ${onRuntime ? 'runtime' : 'ledger'}.${method}`]);
                    }
                }
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    return writes;
}
/**
 * Calls of a Runtime method that lists an engine, per file, found with the type checker;
 * and any call of dockerode's listContainers outside the Docker runtime, found by name.
 */
export function engineListsPerFile(program) {
    const checker = program.getTypeChecker();
    const runtimeFile = join(ROOT, 'runtime', 'runtime.ts');
    const lists = new Map();
    for (const source of program.getSourceFiles()) {
        if (!source.fileName.startsWith(ROOT))
            continue;
        const path = relative(ROOT, source.fileName).split(sep).join('/');
        const visit = (node) => {
            if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
                const method = node.expression.name.text;
                const declarations = ENGINE_LISTS.has(method) ? (checker.getSymbolAtLocation(node.expression.name)?.declarations ?? []) : [];
                const onRuntime = declarations.some((d) => d.getSourceFile().fileName === runtimeFile && ts.isInterfaceDeclaration(d.parent) && d.parent.name.text === 'Runtime');
                const dockerode = method === 'listContainers' && !path.startsWith('runtime/docker/');
                if (onRuntime || dockerode) {
                    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
                    lists.set(path, [...(lists.get(path) ?? []), `${path}:${line + 1} ${method}`]);
                }
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    return lists;
}
/** Where an engine may be listed: the observer, and the runtime itself. */
export function mayList(path) {
    const stage = stageOf(path);
    return stage === 'observer' || stage === 'runtime';
}
function programOf(paths) {
    return ts.createProgram(paths, { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: [] });
}
/** Where engine and ledger writes may be made: the executor, and the runtime itself. */
export function mayWrite(path) {
    const stage = stageOf(path);
    return stage === 'executor' || stage === 'runtime';
}
const files = sourceFiles(ROOT).map((file) => ({ path: relative(ROOT, file).split(sep).join('/'), text: readFileSync(file, 'utf8') }));
const program = programOf(files.map((f) => join(ROOT, f.path)));
describe('layering: the folders are the pipeline', () => {
    test('no folder imports one later in the pipeline; side services import only its bottom', () => {
        const violations = importViolations(files).filter((v) => !KNOWN_IMPORT_EXCEPTIONS.has(v.detail));
        assert.deepEqual(violations.map((v) => v.detail), []);
        const stale = [...KNOWN_IMPORT_EXCEPTIONS.keys()].filter((known) => !importViolations(files).some((v) => v.detail === known));
        assert.deepEqual(stale, [], 'a known exception is gone: remove it from the list');
    });
    test('every folder of controller/ has a place in the order', () => {
        const stages = new Set(files.map((f) => stageOf(f.path)).filter((s) => s !== undefined));
        const unplaced = [...stages].filter((s) => !PIPELINE.includes(s) && !SIDE_SERVICES.has(s));
        assert.deepEqual(unplaced, []);
    });
    test('a file that imports a later stage is caught', () => {
        const caught = importViolations([
            { path: 'controllers/service/controller.ts', text: "import { launchTask } from '../../executor/launcher.js';" },
            { path: 'metadata/lookup.ts', text: "import type { TaskDefinitionRegistry } from '../controllers/taskdefinition/registry.js';" },
            { path: 'observer/observe.ts', text: "export { configHash } from '../taskspec/containerSpecs.js';\nconst x = await import('../scheduler/launchTarget.js');" },
            { path: 'executor/launcher.ts', text: "import { planService } from '../controllers/service/plan.js';\nimport { errorMessage } from '../errors.js';" },
            { path: 'balancer/balancer.ts', text: "import { TargetGroupController } from '../controllers/targetgroup/controller.js';\nimport type { TargetGroupConfig } from '../kinds/index.js';" },
        ]);
        assert.deepEqual(caught.map((v) => v.detail), [
            'controllers/service/controller.ts -> executor/launcher.ts',
            'metadata/lookup.ts -> controllers/taskdefinition/registry.ts',
            'observer/observe.ts -> taskspec/containerSpecs.ts',
            'observer/observe.ts -> scheduler/launchTarget.ts',
            'balancer/balancer.ts -> controllers/targetgroup/controller.ts',
        ]);
    });
    test('engines and the ledger are written only by the executor', () => {
        const writes = writesPerFile(program);
        const outside = [...writes.entries()].filter(([path]) => !mayWrite(path));
        const counts = Object.fromEntries(outside.map(([path, calls]) => [path, calls.length]));
        // No exception: a plan returns actions, and the executor applies them.
        assert.deepEqual(counts, {}, `writes outside executor/:\n${outside.flatMap(([, calls]) => calls).join('\n')}`);
        // The check itself sees writes: the executor makes plenty.
        assert.ok([...writes.keys()].some((path) => stageOf(path) === 'executor'));
    });
    test('only the observer lists an engine', () => {
        const lists = engineListsPerFile(program);
        const outside = [...lists.entries()].filter(([path]) => !mayList(path));
        const counts = Object.fromEntries(outside.map(([path, calls]) => [path, calls.length]));
        assert.deepEqual(counts, KNOWN_LISTS_OUTSIDE_OBSERVER, `engine lists outside observer/:\n${outside.flatMap(([, calls]) => calls).join('\n')}`);
        // The check itself sees lists: the observer makes them.
        assert.ok([...lists.keys()].some((path) => stageOf(path) === 'observer'));
    });
});
//# sourceMappingURL=layering.test.js.map