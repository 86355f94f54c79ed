/**
 * Benchmark: parse and validate hostile manifest files the way the controller does (on its
 * one thread), each built in memory, beside two baselines: a normal manifest and a valid
 * file of about 1 MiB. Prints, per input, the time, the heap and RSS growth, the number of
 * errors reported, and the ratio of its time to the 1 MiB baseline's.
 *
 *   npm run build && node dist/bench/validation.js
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseManifestText, PARSE_LIMITS } from '../controller/store/parse.js';
const MIB = 1024 * 1024;
/** Just under the file size limit, so every input is actually parsed. */
const BUDGET = PARSE_LIMITS.maxFileBytes - 1024;
const TASK_DEFINITION_HEAD = `apiVersion: berth/v1
kind: TaskDefinition
metadata:
  name: bench
spec:
  containerDefinitions:
    - name: app
      image: berth/busybox:1
      memory: 64
`;
function normalManifest() {
    return `${TASK_DEFINITION_HEAD}      command: ["sleep", "3600"]
      environment:
        - {name: MODE, value: production}
      portMappings:
        - containerPort: 8080
`;
}
/** Many valid task definitions in one file, up to about 1 MiB. */
function validMegabyte() {
    const documents = [];
    let size = 0;
    for (let i = 0; size < BUDGET - 4096; i++) {
        const document = normalManifest().replace('name: bench', `name: bench-${i}`).replace('MODE, value: production', `MODE, value: ${'p'.repeat(2000)}`);
        documents.push(document);
        size += document.length + 4;
    }
    return documents.join('---\n');
}
/** `command: [1,1,1,…]`: one type error per two bytes. */
function schemaErrors() {
    const count = Math.floor((BUDGET - TASK_DEFINITION_HEAD.length - 20) / 2);
    return `${TASK_DEFINITION_HEAD}      command: [${new Array(count).fill('1').join(',')}]\n`;
}
/** 9,500 distinct unknown keys of about 100 characters, each a did-you-mean candidate. */
function unknownKeys() {
    const keys = [];
    for (let i = 0; i < 9500; i++)
        keys.push(`      environmentVariableNumber${String(i).padStart(5, '0')}${'x'.repeat(66)}: 1`);
    return `${TASK_DEFINITION_HEAD}${keys.join('\n')}\n`;
}
/** `--- x` repeated: one scalar document per six bytes. */
function manyDocuments() {
    return '--- x\n'.repeat(Math.floor(BUDGET / 6));
}
function deepNesting() {
    const depth = 20_000;
    return `${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}
/** The billion laughs: nine levels of nine aliases each. */
function aliasBomb() {
    const lines = ['a: &a ["lol"]'];
    for (let level = 1; level < 10; level++) {
        const previous = String.fromCharCode(96 + level);
        const name = String.fromCharCode(97 + level);
        lines.push(`${name}: &${name} [${new Array(9).fill(`*${previous}`).join(',')}]`);
    }
    return `${lines.join('\n')}\n`;
}
function randomText() {
    // Every byte above 0x7f becomes two in UTF-8: about 1 MiB once encoded.
    return randomBytes(Math.floor(BUDGET / 1.5)).toString('latin1');
}
const inputs = [
    ['baseline: normal manifest', 'normal.yaml', normalManifest],
    ['baseline: valid 1 MiB file', 'valid.yaml', validMegabyte],
    ['1 MiB of schema errors', 'errors.yaml', schemaErrors],
    ['9,500 unknown keys', 'unknown.yaml', unknownKeys],
    ['1 MiB of "--- x"', 'documents.yaml', manyDocuments],
    ['20,000-deep nesting', 'deep.yaml', deepNesting],
    ['alias bomb', 'aliases.yaml', aliasBomb],
    ['1 MiB of random bytes', 'random.yaml', randomText],
];
/**
 * Runs in a child process of its own, so that the peak resident set (maxRSS, which the
 * kernel keeps) belongs to this input alone and a peak inside one synchronous call is seen.
 */
function measure(index) {
    const [name, file, build] = inputs[index];
    // Compiles the validators first: that happens once per process, not once per file.
    for (const kind of ['TaskDefinition', 'Service', 'Cluster', 'CapacityProvider', 'Task'])
        parseManifestText('warm-up.yaml', `apiVersion: berth/v1\nkind: ${kind}\nmetadata: {name: w}\nspec: {}\n`);
    const text = build();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage.rss();
    const started = performance.now();
    const result = parseManifestText(file, text);
    const ms = performance.now() - started;
    return {
        name,
        bytes: Buffer.byteLength(text),
        ms,
        heapMiB: (process.memoryUsage().heapUsed - heapBefore) / MIB,
        peakRssMiB: Math.max(0, process.resourceUsage().maxRSS * 1024 - rssBefore) / MIB,
        errors: result.errors.length,
    };
}
const child = process.argv[2];
if (child !== undefined) {
    process.stdout.write(JSON.stringify(measure(Number(child))));
}
else {
    const results = inputs.map((_, index) => {
        const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), String(index)], { encoding: 'utf8', maxBuffer: 16 * MIB });
        return JSON.parse(output);
    });
    const baseline = results[1];
    const pad = (value, width) => value.padStart(width);
    console.log('parse + validate, one process per input; heap: growth with the result alive; RSS: peak growth');
    console.log(`${'input'.padEnd(28)}${pad('bytes', 9)}${pad('ms', 9)}${pad('heap MiB', 10)}${pad('RSS MiB', 9)}${pad('errors', 8)}${pad('time ×', 8)}${pad('RSS ×', 8)}`);
    for (const r of results) {
        console.log(`${r.name.padEnd(28)}${pad(String(r.bytes), 9)}${pad(r.ms.toFixed(1), 9)}${pad(r.heapMiB.toFixed(1), 10)}${pad(r.peakRssMiB.toFixed(1), 9)}${pad(String(r.errors), 8)}` +
            `${pad((r.ms / baseline.ms).toFixed(2), 8)}${pad((r.peakRssMiB / Math.max(baseline.peakRssMiB, 1)).toFixed(2), 8)}`);
    }
    console.log('time × and RSS × are against the valid 1 MiB file');
}
//# sourceMappingURL=validation.js.map