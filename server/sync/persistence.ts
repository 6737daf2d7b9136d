/**
 * Where documents are kept: a log of Yjs updates per document, compacted now and then into one
 * snapshot. Injected into the sync server; the embedded default is SQLite
 * (`sqlite-persistence.ts`), tests may use `MemoryPersistence`. An update is "saved" once
 * `append` has returned: implementations must make it durable before returning.
 */
export interface Persistence {
  /** Every stored update of `doc`, oldest first (a compacted snapshot counts as one). */
  load(doc: string): Uint8Array[];
  /** Stores one update durably. */
  append(doc: string, update: Uint8Array): void;
  /** Stores several updates durably, all or none (one commit, one flush to disk). */
  appendMany(doc: string, updates: Uint8Array[]): void;
  /** Replaces everything stored for `doc` with one snapshot of its whole state. */
  compact(doc: string, state: Uint8Array): void;
  /** How many updates are stored for `doc` (to decide when to compact). */
  count(doc: string): number;
  close(): void;
}

/** Keeps documents in memory: for tests and throwaway servers. */
export class MemoryPersistence implements Persistence {
  private readonly docs = new Map<string, Uint8Array[]>();
  load(doc: string): Uint8Array[] {
    return [...(this.docs.get(doc) ?? [])];
  }
  append(doc: string, update: Uint8Array): void {
    const list = this.docs.get(doc) ?? [];
    list.push(update.slice());
    this.docs.set(doc, list);
  }
  appendMany(doc: string, updates: Uint8Array[]): void {
    for (const u of updates) this.append(doc, u);
  }
  compact(doc: string, state: Uint8Array): void {
    this.docs.set(doc, [state.slice()]);
  }
  count(doc: string): number {
    return this.docs.get(doc)?.length ?? 0;
  }
  close(): void {}
}
