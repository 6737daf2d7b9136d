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
  /** Stores a named version (a whole document as JSON); returns its id. */
  saveVersion(doc: string, version: NewVersion): number;
  /** The named versions of `doc`, newest first, without their content. */
  versions(doc: string): VersionInfo[];
  /** One version's document JSON, or null. */
  versionContent(doc: string, id: number): string | null;
  close(): void;
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
  private readonly saved: (VersionInfo & { doc: string; content: string })[] = [];
  saveVersion(doc: string, v: NewVersion): number {
    const id = this.saved.length + 1;
    this.saved.push({ ...v, id, doc });
    return id;
  }
  versions(doc: string): VersionInfo[] {
    return this.saved
      .filter((v) => v.doc === doc)
      .map(({ id, name, author, at }) => ({ id, name, author, at }))
      .reverse();
  }
  versionContent(doc: string, id: number): string | null {
    return this.saved.find((v) => v.doc === doc && v.id === id)?.content ?? null;
  }
  close(): void {}
}
