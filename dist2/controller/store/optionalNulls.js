/**
 * `null` in an optional field means the field is absent.
 *
 * The ECS console's JSON tab and `aws ecs describe-task-definition` write every field they
 * leave unset as null (`"ipcMode": null`, `"linuxParameters": null`,
 * `"requiresAttributes": [{"targetId": null, …}]`), and ECS registers such a file as if the
 * fields were not there. So before a TaskDefinition is validated, every null held by an
 * optional field, at any depth, is removed, once and for all fields, by walking the kind's
 * own schema beside the value. A null in a required field (`"image": null`), in a list
 * item or in a map value stays, and validation reports it with the word null.
 *
 * Pure: the value is never modified; parts that hold no null are shared, not copied.
 */
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/**
 * The branch of a union that describes a value of this shape: only an object or a list has
 * fields to strip, and each union of the kinds has at most one branch of each.
 */
function branchFor(schema, value) {
    if (!schema.anyOf)
        return schema;
    const wanted = Array.isArray(value) ? 'array' : 'object';
    return schema.anyOf.find((branch) => branch.type === wanted);
}
/** `value` without the nulls of optional fields that `schema` (a kind's JSON Schema) declares, at any depth. */
export function withoutOptionalNulls(value, schema) {
    return walk(value, typeof schema === 'object' && schema !== null ? schema : undefined);
}
function walk(value, schema) {
    const applied = schema && branchFor(schema, value);
    if (!applied)
        return value;
    if (Array.isArray(value)) {
        const items = applied.items;
        if (!items)
            return value;
        let changed = false;
        const out = value.map((item) => {
            const next = walk(item, items);
            if (next !== item)
                changed = true;
            return next;
        });
        return changed ? out : value;
    }
    if (!isRecord(value) || !applied.properties)
        return value;
    const properties = applied.properties;
    const required = new Set(applied.required ?? []);
    let changed = false;
    const out = {};
    for (const [key, field] of Object.entries(value)) {
        // Only declared fields: an unknown one stays, to be reported as unknown.
        const declared = Object.hasOwn(properties, key) ? properties[key] : undefined;
        if (field === null && declared && !required.has(key)) {
            changed = true;
            continue;
        }
        const next = declared ? walk(field, declared) : field;
        if (next !== field)
            changed = true;
        // defineProperty: a "__proto__" key stays an ordinary field, as the JSON reader keeps it.
        Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
    }
    return changed ? out : value;
}
//# sourceMappingURL=optionalNulls.js.map