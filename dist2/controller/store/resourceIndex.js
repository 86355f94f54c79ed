/**
 * The resources the store serves, found by key, by kind, and through indexes that
 * controllers declare (as client-go's Indexers): each lookup costs what it returns, not
 * what the store holds. A start-up over 10,000 files asks these questions tens of
 * thousands of times, so a scan of every resource per question made it quadratic.
 *
 * Within a kind, resources are listed in the order their keys were first set, as the
 * store's one map listed them before.
 */
export class ResourceIndex {
    byKey = new Map();
    byKind = new Map();
    indexes = new Map();
    get size() {
        return this.byKey.size;
    }
    get(key) {
        return this.byKey.get(key);
    }
    has(key) {
        return this.byKey.has(key);
    }
    keys() {
        return [...this.byKey.keys()];
    }
    ofKind(kind) {
        return [...(this.byKind.get(kind)?.values() ?? [])];
    }
    set(key, resource) {
        const previous = this.byKey.get(key);
        if (previous)
            this.unindex(key, previous);
        this.byKey.set(key, resource);
        const ofKind = this.byKind.get(resource.kind) ?? new Map();
        ofKind.set(key, resource);
        this.byKind.set(resource.kind, ofKind);
        this.index(key, resource);
    }
    delete(key) {
        const previous = this.byKey.get(key);
        if (!previous)
            return;
        this.unindex(key, previous);
        this.byKey.delete(key);
        const ofKind = this.byKind.get(previous.kind);
        ofKind?.delete(key);
        if (ofKind?.size === 0)
            this.byKind.delete(previous.kind);
    }
    /** Declares an index under `name` (declaring one name twice keeps the first), filled with what is held now. */
    addIndex(name, definition) {
        if (this.indexes.has(name))
            return;
        this.indexes.set(name, { definition: definition, byValue: new Map() });
        for (const [key, resource] of this.byKind.get(definition.kind) ?? [])
            this.indexOne(name, key, resource);
    }
    /** The resources an index lists under `value`, in the order they entered it. */
    byIndex(name, value) {
        const index = this.indexes.get(name);
        if (!index)
            throw new Error(`no index named ${name}`);
        return [...(index.byValue.get(value)?.values() ?? [])];
    }
    index(key, resource) {
        for (const name of this.indexes.keys())
            this.indexOne(name, key, resource);
    }
    indexOne(name, key, resource) {
        const { definition, byValue } = this.indexes.get(name);
        if (definition.kind !== resource.kind)
            return;
        for (const value of definition.valuesOf(resource)) {
            const listed = byValue.get(value) ?? new Map();
            listed.set(key, resource);
            byValue.set(value, listed);
        }
    }
    unindex(key, resource) {
        for (const { definition, byValue } of this.indexes.values()) {
            if (definition.kind !== resource.kind)
                continue;
            for (const value of definition.valuesOf(resource)) {
                const listed = byValue.get(value);
                listed?.delete(key);
                if (listed?.size === 0)
                    byValue.delete(value);
            }
        }
    }
}
//# sourceMappingURL=resourceIndex.js.map