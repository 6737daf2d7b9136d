import * as Y from "yjs";
import { readExhibition, restoreExhibition, writeDiff, writeExhibition } from "../../src/shared/collab/exhibition-ydoc";
import type { Exhibition } from "../../src/shared/exhibition";
import type { ExhibitionLibrary } from "../exhibition-library";
import type { Persistence } from "../sync/persistence";

/** The live room of a loaded document, as the documents module needs it. */
export interface LiveRoom {
  doc: Y.Doc;
  /** Stores what is pending now (before the API answers). */
  flush(): void;
}

export interface DocumentsOptions {
  persistence: Persistence;
  /** The sample exhibitions: the seeds of documents never stored yet. */
  library: ExhibitionLibrary;
  /** The sync server's loaded room of a document, if any (its changes reach every client at once). */
  liveRoom: (id: string) => LiveRoom | undefined;
  /** Told after a document was created or changed outside a live room. */
  onChange?: (id: string) => void;
}

/**
 * The one place that reads or changes a stored exhibition (docs/ARCHITECTURE.md, "Documents"):
 * through its live room when one is loaded (every client sees the change at once, and it can be
 * undone like any edit), else through storage. Every change is a pure document operation
 * (`src/shared/exhibition/operations.ts`) written by the layout's diff, so routes never touch Y
 * types. The seeds of the sample exhibitions come from here too.
 */
export class Documents {
  private readonly seeds = new Map<string, Uint8Array>();

  constructor(private readonly options: DocumentsOptions) {}

  /** The initial state of a document never stored (a sample exhibition), or null. */
  seed(id: string): Uint8Array | null {
    const entry = this.options.library.loaded.get(id);
    if (!entry) return null;
    let state = this.seeds.get(id);
    if (!state) {
      state = encodeWhole(entry.doc);
      this.seeds.set(id, state);
    }
    return state;
  }

  /** Whether anything is stored or seeded under `id` (an id a new exhibition may not take). */
  exists(id: string): boolean {
    return this.options.library.loaded.has(id) || this.options.persistence.count(id) > 0;
  }

  /** The exhibition as it is now: the live room, else what is stored, else its sample file. */
  read(id: string): Exhibition | null {
    const room = this.options.liveRoom(id);
    if (room) return readExhibition(room.doc);
    const stored = this.options.persistence.load(id);
    if (stored.length > 0) {
      const ydoc = loaded(stored);
      const doc = readExhibition(ydoc);
      ydoc.destroy();
      return doc;
    }
    return this.options.library.loaded.get(id)?.doc ?? null;
  }

  /** Stores a new exhibition's first state. */
  create(doc: Exhibition): void {
    this.options.persistence.compact(doc.id, encodeWhole(doc));
    this.options.onChange?.(doc.id);
  }

  /**
   * Applies a pure operation to a stored exhibition, as a client would: through its live room
   * (stored before this returns), or appended to storage. Returns the document after.
   */
  change(id: string, operation: (doc: Exhibition) => Exhibition, origin: unknown = "api"): Exhibition | null {
    return this.write(id, (ydoc) => {
      const before = readExhibition(ydoc);
      const after = operation(before);
      writeDiff(ydoc, before, after, origin);
      return after;
    });
  }

  /**
   * Makes a stored exhibition hold `target` (a named version being restored) as one forward edit:
   * only records that differ by value are written, so it can be undone like any edit.
   */
  restore(id: string, target: Exhibition, origin: unknown = "api"): void {
    this.write(id, (ydoc) => {
      restoreExhibition(ydoc, target, origin);
      return target;
    });
  }

  private write(id: string, change: (ydoc: Y.Doc) => Exhibition): Exhibition | null {
    const room = this.options.liveRoom(id);
    if (room) {
      let after: Exhibition | null = null;
      room.doc.transact(() => (after = change(room.doc)), "api");
      room.flush(); // stored before the API answers
      return after;
    }
    const stored = this.options.persistence.load(id);
    const ydoc = loaded(stored);
    const seed = stored.length === 0 ? this.seed(id) : null;
    if (seed) Y.applyUpdate(ydoc, seed);
    if (stored.length === 0 && !seed) {
      ydoc.destroy();
      return null;
    }
    const before = Y.encodeStateVector(ydoc);
    const after = change(ydoc);
    if (stored.length === 0) this.options.persistence.compact(id, Y.encodeStateAsUpdate(ydoc));
    else this.options.persistence.append(id, Y.encodeStateAsUpdate(ydoc, before));
    ydoc.destroy();
    this.options.onChange?.(id);
    return after;
  }
}

/** A Y.Doc holding the stored updates. */
function loaded(updates: Uint8Array[]): Y.Doc {
  const ydoc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(ydoc, u);
  return ydoc;
}

/** A whole exhibition as one Yjs update. */
function encodeWhole(doc: Exhibition): Uint8Array {
  const ydoc = new Y.Doc();
  writeExhibition(ydoc, doc);
  const state = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return state;
}
