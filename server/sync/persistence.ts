/**
 * Where documents are kept: a log of Yjs updates per document, compacted now and then into one
 * snapshot. Injected into the sync server and the documents module. Every method is
 * asynchronous, so that no store ever holds the event loop while a disk or a database commits:
 * the embedded default runs SQLite on a worker thread (`sqlite-persistence.ts`), the scaled mode
 * uses PostgreSQL (`postgres-persistence.ts`), tests may use `MemoryPersistence`.
 *
 * Contract: a write's promise resolves only once the write is durable (the server acknowledges
 * an update to its author only then), and the calls of one process take effect in the order they
 * were made (a `load` sees every write called before it).
 */
export interface Persistence {
  /** Every stored update of `doc`, oldest first (a compacted snapshot counts as one). */
  load(doc: string): Promise<Uint8Array[]>;
  /** Stores several updates durably, all or none (one commit). */
  appendMany(doc: string, updates: Uint8Array[]): Promise<void>;
  /**
   * Replaces what is stored for `doc` with one snapshot holding it and `state` (the room's whole
   * document). Where several processes write one document, updates stored by another process that
   * `state` lacks are folded in, never dropped.
   */
  compact(doc: string, state: Uint8Array): Promise<void>;
  /** How many updates are stored for `doc` (to decide whether it exists and when to compact). */
  count(doc: string): Promise<number>;
  /** Stores a named version (a whole document as JSON); returns its id. */
  saveVersion(doc: string, version: NewVersion): Promise<number>;
  /** The named versions of `doc`, newest first, without their content. */
  versions(doc: string): Promise<VersionInfo[]>;
  /** One version's document JSON, or null. */
  versionContent(doc: string, id: number): Promise<string | null>;
  /** Finishes the writes under way, then releases the store. */
  close(): Promise<void>;
}

/** A named version as listed. */
export interface VersionInfo {
  id: number;
  name: string;
  /** Display name of who saved it. */
  author: string;
  /** Milliseconds since 1970. */
  at: number;
}
export type NewVersion = Omit<VersionInfo, "id"> & { content: string };

/** One call to a store, as a batch carries it (`batched-persistence.ts`). */
export type StoreRequest =
  | { op: "load"; doc: string }
  | { op: "appendMany"; doc: string; updates: Uint8Array[] }
  | { op: "compact"; doc: string; state: Uint8Array }
  | { op: "count"; doc: string }
  | { op: "saveVersion"; doc: string; version: NewVersion }
  | { op: "versions"; doc: string }
  | { op: "versionContent"; doc: string; id: number };

/** Keeps documents in memory: for tests and throwaway servers. */
export class MemoryPersistence implements Persistence {
  private readonly docs = new Map<string, Uint8Array[]>();
  private readonly saved: (VersionInfo & { doc: string; content: string })[] = [];

  async load(doc: string): Promise<Uint8Array[]> {
    return [...(this.docs.get(doc) ?? [])];
  }
  async appendMany(doc: string, updates: Uint8Array[]): Promise<void> {
    const list = this.docs.get(doc) ?? [];
    for (const u of updates) list.push(u.slice());
    this.docs.set(doc, list);
  }
  async compact(doc: string, state: Uint8Array): Promise<void> {
    this.docs.set(doc, [state.slice()]);
  }
  async count(doc: string): Promise<number> {
    return this.docs.get(doc)?.length ?? 0;
  }
  async saveVersion(doc: string, v: NewVersion): Promise<number> {
    const id = this.saved.length + 1;
    this.saved.push({ ...v, id, doc });
    return id;
  }
  async versions(doc: string): Promise<VersionInfo[]> {
    return this.saved
      .filter((v) => v.doc === doc)
      .map(({ id, name, author, at }) => ({ id, name, author, at }))
      .reverse();
  }
  async versionContent(doc: string, id: number): Promise<string | null> {
    return this.saved.find((v) => v.doc === doc && v.id === id)?.content ?? null;
  }
  async close(): Promise<void> {}
}
