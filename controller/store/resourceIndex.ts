import type { KindName } from '../kinds/index.js';
import type { StoredResource } from './store.js';

/** An index a controller declares over one kind: the values each resource is found under. */
export interface IndexDefinition<K extends KindName = KindName> {
  readonly kind: K;
  /** The values `resource` is listed under (none: it is not in the index). */
  readonly valuesOf: (resource: StoredResource<K>) => readonly string[];
}

interface DeclaredIndex {
  readonly definition: IndexDefinition;
  readonly byValue: Map<string, Map<string, StoredResource>>;
}

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
  private readonly byKey = new Map<string, StoredResource>();
  private readonly byKind = new Map<KindName, Map<string, StoredResource>>();
  private readonly indexes = new Map<string, DeclaredIndex>();

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): StoredResource | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  ofKind<K extends KindName>(kind: K): StoredResource<K>[] {
    return [...(this.byKind.get(kind)?.values() ?? [])] as StoredResource<K>[];
  }

  set(key: string, resource: StoredResource): void {
    const previous = this.byKey.get(key);
    if (previous) this.unindex(key, previous);
    this.byKey.set(key, resource);
    const ofKind = this.byKind.get(resource.kind) ?? new Map<string, StoredResource>();
    ofKind.set(key, resource);
    this.byKind.set(resource.kind, ofKind);
    this.index(key, resource);
  }

  delete(key: string): void {
    const previous = this.byKey.get(key);
    if (!previous) return;
    this.unindex(key, previous);
    this.byKey.delete(key);
    const ofKind = this.byKind.get(previous.kind);
    ofKind?.delete(key);
    if (ofKind?.size === 0) this.byKind.delete(previous.kind);
  }

  /** Declares an index under `name` (declaring one name twice keeps the first), filled with what is held now. */
  addIndex<K extends KindName>(name: string, definition: IndexDefinition<K>): void {
    if (this.indexes.has(name)) return;
    this.indexes.set(name, { definition: definition as unknown as IndexDefinition, byValue: new Map() });
    for (const [key, resource] of this.byKind.get(definition.kind) ?? []) this.indexOne(name, key, resource);
  }

  /** The resources an index lists under `value`, in the order they entered it. */
  byIndex<K extends KindName>(name: string, value: string): StoredResource<K>[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index named ${name}`);
    return [...(index.byValue.get(value)?.values() ?? [])] as StoredResource<K>[];
  }

  private index(key: string, resource: StoredResource): void {
    for (const name of this.indexes.keys()) this.indexOne(name, key, resource);
  }

  private indexOne(name: string, key: string, resource: StoredResource): void {
    const { definition, byValue } = this.indexes.get(name)!;
    if (definition.kind !== resource.kind) return;
    for (const value of definition.valuesOf(resource)) {
      const listed = byValue.get(value) ?? new Map<string, StoredResource>();
      listed.set(key, resource);
      byValue.set(value, listed);
    }
  }

  private unindex(key: string, resource: StoredResource): void {
    for (const { definition, byValue } of this.indexes.values()) {
      if (definition.kind !== resource.kind) continue;
      for (const value of definition.valuesOf(resource)) {
        const listed = byValue.get(value);
        listed?.delete(key);
        if (listed?.size === 0) byValue.delete(value);
      }
    }
  }
}
