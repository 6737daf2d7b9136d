import * as Y from "yjs";
import { threadsOf, type Thread } from "../../src/shared/collab/comments";
import { attributionDocName } from "../../src/shared/collab/attribution";
import { layoutMigration, readExhibition, restoreExhibition, writeDiff, writeExhibition } from "../../src/shared/collab/exhibition-ydoc";
import type { Exhibition } from "../../src/shared/exhibition";
import type { ExhibitionLibrary } from "../exhibition-library";
import type { Bus } from "../scale/bus";
import { peerUpdate } from "../sync/doc-room";
import type { Persistence } from "../sync/persistence";
import type { KeyedLock } from "../util/keyed-lock";

/** The live room of a loaded document, as the documents module needs it. */
export interface LiveRoom {
  doc: Y.Doc;
  /** The room's notes of who wrote what (review mode), some perhaps not stored yet. */
  attribution?: Y.Doc;
  /** Stores what is pending now; resolves once it is durable (before the API answers). */
  flush(): Promise<void>;
  /** Who is in the room (presence states, the sync server checked each `user.id` against its sender). */
  awareness: { getStates(): Map<number, { [field: string]: unknown }> };
}

export interface DocumentsOptions {
  persistence: Persistence;
  /** The sample exhibitions: the seeds of documents never stored yet. */
  library: ExhibitionLibrary;
  /** The sync server's loaded room of a document, if any (its changes reach every client at once). */
  liveRoom: (id: string) => LiveRoom | undefined;
  /** Told after a document was created or changed outside a live room. */
  onChange?: (id: string) => void;
  /** One-at-a-time work per document, shared with the sync server (a room never loads mid-write). */
  locks: KeyedLock;
  /** The scaled mode: a change stored here reaches the document's rooms in other processes. */
  bus?: Bus;
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

  /**
   * The account ids present in a document's live room as this process sees it (its own sockets,
   * and the other processes' presence relayed to it); empty when the room is not loaded here.
   */
  present(id: string): Set<string> {
    const out = new Set<string>();
    const room = this.options.liveRoom(id);
    if (!room) return out;
    for (const state of room.awareness.getStates().values()) {
      const user = state.user as { id?: unknown } | undefined;
      if (typeof user?.id === "string") out.add(user.id);
    }
    return out;
  }

  /** Whether anything is stored or seeded under `id` (an id a new exhibition may not take). */
  async exists(id: string): Promise<boolean> {
    return this.options.library.loaded.has(id) || (await this.options.persistence.count(id)) > 0;
  }

  /** The exhibition as it is now: the live room, else what is stored, else its sample file. */
  async read(id: string): Promise<Exhibition | null> {
    const room = this.options.liveRoom(id);
    if (room) return readExhibition(room.doc);
    const stored = await this.options.persistence.load(id);
    // A room may have loaded while storage answered: it is the newer state.
    const live = this.options.liveRoom(id);
    if (live) return readExhibition(live.doc);
    if (stored.length > 0) {
      const ydoc = loaded(stored, id);
      const doc = readExhibition(ydoc);
      ydoc.destroy();
      return doc;
    }
    return this.options.library.loaded.get(id)?.doc ?? null;
  }

  /**
   * Who wrote what in `id` (review mode), as one Yjs update: the stored notes and, when the
   * document's room is loaded in this process, the notes it has not stored yet (a curator who
   * opens the review right after typing gets their own name).
   */
  async attribution(id: string): Promise<Uint8Array> {
    const stored = await this.options.persistence.load(attributionDocName(id));
    const live = this.options.liveRoom(id)?.attribution;
    const parts = live ? [...stored, Y.encodeStateAsUpdate(live)] : stored;
    return parts.length > 0 ? Y.mergeUpdates(parts) : Y.encodeStateAsUpdate(new Y.Doc());
  }

  /** The comment threads of an exhibition as they are now (the live room, else what is stored); null when nothing is. */
  async threads(id: string): Promise<Thread[] | null> {
    const room = this.options.liveRoom(id);
    if (room) return threadsOf(room.doc);
    const stored = await this.options.persistence.load(id);
    const live = this.options.liveRoom(id);
    if (live) return threadsOf(live.doc);
    if (stored.length === 0) return this.options.library.loaded.has(id) ? [] : null;
    const ydoc = loaded(stored);
    const out = threadsOf(ydoc);
    ydoc.destroy();
    return out;
  }

  /** Stores a new exhibition's first state. */
  async create(doc: Exhibition): Promise<void> {
    await this.options.locks.run(doc.id, () => this.options.persistence.compact(doc.id, encodeWhole(doc)));
    this.options.onChange?.(doc.id);
  }

  /**
   * Applies a pure operation to a stored exhibition, as a client would: through its live room
   * (stored before this returns), or appended to storage. Returns the document after.
   */
  change(id: string, operation: (doc: Exhibition) => Exhibition, origin: unknown = "api"): Promise<Exhibition | null> {
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
  async restore(id: string, target: Exhibition, origin: unknown = "api"): Promise<void> {
    await this.write(id, (ydoc) => {
      restoreExhibition(ydoc, target, origin);
      return target;
    });
  }

  private write(id: string, change: (ydoc: Y.Doc) => Exhibition): Promise<Exhibition | null> {
    // Under the document's lock: its room cannot load or unload while this reads and writes storage.
    return this.options.locks.run(id, () => this.writeNow(id, change));
  }

  private async writeNow(id: string, change: (ydoc: Y.Doc) => Exhibition): Promise<Exhibition | null> {
    const room = this.options.liveRoom(id);
    if (room) {
      let after: Exhibition | null = null;
      room.doc.transact(() => (after = change(room.doc)), "api");
      await room.flush(); // stored before the API answers
      return after;
    }
    const stored = await this.options.persistence.load(id);
    const ydoc = loaded(stored);
    const migration = layoutMigration(ydoc, id);
    const seed = stored.length === 0 ? this.seed(id) : null;
    if (seed) Y.applyUpdate(ydoc, seed);
    if (stored.length === 0 && !seed) {
      ydoc.destroy();
      return null;
    }
    const before = Y.encodeStateVector(ydoc);
    // Stored with the change: the same update a room loading this document would write.
    if (migration) Y.applyUpdate(ydoc, migration);
    const after = change(ydoc);
    const diff = Y.encodeStateAsUpdate(ydoc, before);
    try {
      if (stored.length === 0) await this.options.persistence.compact(id, Y.encodeStateAsUpdate(ydoc));
      else await this.options.persistence.appendMany(id, [diff]);
    } finally {
      ydoc.destroy();
    }
    this.options.bus?.publish(`doc:${id}`, peerUpdate(diff));
    this.options.onChange?.(id);
    return after;
  }
}

/** A stable Yjs client id for the seed of document `id` (FNV-1a, within Yjs's 31-bit range). */
function seedClientId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return (h & 0x3fffffff) + 1;
}

/** A Y.Doc holding the stored updates; given the document's name, in the current layout (migrated in memory). */
function loaded(updates: Uint8Array[], name?: string): Y.Doc {
  const ydoc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(ydoc, u);
  const migration = name === undefined ? null : layoutMigration(ydoc, name);
  if (migration) Y.applyUpdate(ydoc, migration);
  return ydoc;
}

/**
 * A whole exhibition as one Yjs update, written by a client id derived from the exhibition's id:
 * two processes seeding the same sample exhibition write the same update, which Yjs applies once
 * (with random ids, the two seeds would both stay in the document).
 */
function encodeWhole(doc: Exhibition): Uint8Array {
  const ydoc = new Y.Doc();
  ydoc.clientID = seedClientId(doc.id);
  writeExhibition(ydoc, doc);
  const state = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return state;
}
