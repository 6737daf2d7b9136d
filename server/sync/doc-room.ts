import * as encoding from "lib0/encoding";
import type { WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { Role } from "./access";
import { MESSAGE_AWARENESS, MESSAGE_SAVED, MESSAGE_SYNC, SYNC_STEP1, SYNC_UPDATE, message } from "./messages";
import type { Bus } from "../scale/bus";
import { layoutMigration } from "../../src/shared/collab/exhibition-ydoc";
import type { Persistence } from "./persistence";
import { DeleteIndex } from "./update-shape";
import { attributionDocName, recordAuthorship, type Author } from "../../src/shared/collab/attribution";

/** One client connection to a document room. */
export interface Connection {
  ws: WebSocket;
  role: Role;
  user: string | null;
  /** The account's display name (comments and presence must carry it), or null. */
  name: string | null;
  /** Collections the user acts for: museums they work for and their own collection (locks, rights). */
  museums: readonly string[];
  /** The client asked for Atrium's "saved" and "refused" messages (`?ack=1`). */
  wantsAck: boolean;
  /** The awareness client id this connection speaks for (0 until it shares presence). */
  awarenessId: number;
  /** Most bytes that may wait in this socket's send buffer; a client that reads slower is dropped. */
  sendCap: number;
}

/** The origin of what another process's room sent over the bus: relayed here, stored there. */
export const FROM_PEER = Symbol("from another process");

/** What rooms of one document tell each other on `doc:<name>`: an update, or "here is my state vector, send me what I lack". */
const PEER_UPDATE = 0;
const PEER_STATE_VECTOR = 1;

/** An update as published on the bus (the documents module publishes its writes this way too). */
export function peerUpdate(update: Uint8Array): Uint8Array {
  const framed = new Uint8Array(update.byteLength + 1);
  framed[0] = PEER_UPDATE;
  framed.set(update, 1);
  return framed;
}

/**
 * A loaded document and the connections editing or viewing it. An update is broadcast to the
 * other connections at once; the updates of one event-loop turn are then handed to storage as one
 * batch (group commit; the store commits off the event loop), and only once that batch is
 * durable is each author told "saved". Peers therefore never wait for the disk, and an
 * acknowledged update is always stored. Batches are stored one after another, in order. If
 * storage fails, the room is dropped and its clients reconnect: their sync sends back whatever was
 * not stored.
 *
 * In the scaled mode the same document may be loaded in several processes: each room publishes
 * the updates and presence its own clients send (after its write checks) on the bus, and relays
 * what the others publish to its clients without storing it again (the process that accepted an
 * update stores it).
 */
export class DocRoom {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly conns = new Set<Connection>();
  /** What the document has deleted, for answering "does this delete anything new?" by lookup. */
  readonly deletes = new DeleteIndex(this.doc);
  /** Which connection holds each awareness client id. */
  readonly awarenessOwners = new Map<number, Connection>();
  /** Connections admitted but not joined yet: the room may not unload under them. */
  holds = 0;
  /** The whole document as one update, kept until it changes: new clients all get the same bytes. */
  private fullState: Uint8Array | null = null;
  /** Bytes stored since the last snapshot plus the snapshot: a cheap bound on the document's size. */
  approxBytes = 0;
  private sinceCompaction = 0;
  private pending: Uint8Array[] = [];
  private pendingAuthors = new Set<Connection>();
  private flushScheduled = false;
  /** The storage writes in order: each batch starts when the one before has been stored. */
  private writes: Promise<void> = Promise.resolve();
  /** The state vector of what is durable (what "saved" messages report). */
  private saved: Uint8Array = Y.encodeStateVector(this.doc);
  private failed = false;
  private unsubscribe: (() => void)[] = [];
  /** Peers' updates that arrived while the room was loading, applied once it has. */
  private early: Uint8Array[] | null = [];
  /**
   * Who wrote what (review mode): the server's notes, a document of its own that pages never get
   * over sync (see `src/shared/collab/attribution.ts`). Its updates are stored beside the
   * exhibition, one merged update per event-loop turn; read back over HTTP.
   */
  readonly attribution = new Y.Doc();
  private notes: Uint8Array[] = [];
  /** Notes stored since they were last folded into one row (see `compactNotes`). */
  private notesStored = 0;
  /** Called when storage fails: the server drops the room so clients resync. */
  onStorageFailure: (error: Error) => void = () => {};

  constructor(
    readonly name: string,
    private readonly persistence: Persistence,
    private readonly compactEvery: number,
    private readonly log: (line: string) => void,
    private readonly bus: Bus | null = null,
  ) {
    this.awareness.setLocalState(null); // the server has no presence of its own
    this.attribution.on("update", (u: Uint8Array) => {
      if (this.notes.push(u) === 1) setImmediate(() => this.storeNotes());
    });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      this.deletes.stale();
      this.fullState = null;
      this.onUpdate(update, origin);
    });
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = added.concat(updated, removed);
      const encoded = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      const msg = message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, encoded));
      for (const c of this.conns) send(c, msg);
      if (this.bus && origin !== FROM_PEER && origin !== "timeout") this.bus.publish(`presence:${this.name}`, encoded);
    });
  }

  /** Loads the stored updates (or the seed, for a document never stored). */
  async load(seed: (() => Uint8Array | null) | null): Promise<void> {
    // Subscribed before reading storage: an update another process stores meanwhile arrives
    // either in what is read or over the bus.
    if (this.bus) {
      this.unsubscribe.push(await this.bus.subscribe(`doc:${this.name}`, (m) => this.onPeerMessage(m)));
      this.unsubscribe.push(
        await this.bus.subscribe(`presence:${this.name}`, (u) => {
          try {
            awarenessProtocol.applyAwarenessUpdate(this.awareness, u, FROM_PEER);
          } catch (e) {
            this.log(`[sync] ${this.name}: unreadable presence from another process: ${(e as Error).message}`);
          }
        }),
      );
    }
    try {
      await this.loadStored(seed);
    } finally {
      const early = this.early ?? [];
      this.early = null;
      for (const u of early) this.fromPeer(u);
    }
    // An update another process accepted but has not stored yet, published before this room
    // subscribed, is neither in storage nor on its way: the rooms already loaded send what this
    // one lacks, as Yjs clients do when they meet.
    if (this.bus) {
      const sv = Y.encodeStateVector(this.doc);
      const ask = new Uint8Array(sv.byteLength + 1);
      ask[0] = PEER_STATE_VECTOR;
      ask.set(sv, 1);
      this.bus.publish(`doc:${this.name}`, ask);
    }
  }

  private onPeerMessage(message: Uint8Array): void {
    if (message.byteLength < 1) return;
    const body = message.subarray(1);
    if (message[0] === PEER_UPDATE) return this.fromPeer(body);
    if (message[0] !== PEER_STATE_VECTOR || this.early) return;
    try {
      const missing = Y.encodeStateAsUpdate(this.doc, body);
      // Two bytes: an empty update (nothing the asker lacks).
      if (missing.byteLength > 2) this.bus?.publish(`doc:${this.name}`, peerUpdate(missing));
    } catch (e) {
      this.log(`[sync] ${this.name}: unreadable state vector from another process: ${(e as Error).message}`);
    }
  }

  /** Applies an update another process accepted (and stores). */
  private fromPeer(update: Uint8Array): void {
    if (this.early) {
      this.early.push(update);
      return;
    }
    try {
      Y.applyUpdate(this.doc, update, FROM_PEER);
    } catch (e) {
      this.log(`[sync] ${this.name}: unreadable update from another process: ${(e as Error).message}`);
    }
  }

  /**
   * Reads storage again and applies what is missing (after the bus was down: what other
   * processes stored meanwhile). Relayed to this room's clients, not stored again.
   */
  async catchUp(): Promise<void> {
    const updates = await this.persistence.load(this.name);
    Y.transact(this.doc, () => {
      for (const u of updates) Y.applyUpdate(this.doc, u, FROM_PEER);
    }, FROM_PEER);
  }

  private async loadStored(seed: (() => Uint8Array | null) | null): Promise<void> {
    const updates = await this.persistence.load(this.name);
    if (updates.length === 0 && seed) {
      const state = seed();
      if (state) {
        Y.applyUpdate(this.doc, state, "load");
        await this.persistence.compact(this.name, Y.encodeStateAsUpdate(this.doc));
        this.approxBytes = state.byteLength;
        this.saved = Y.encodeStateVector(this.doc);
        return;
      }
    }
    Y.transact(this.doc, () => {
      for (const u of updates) {
        try {
          Y.applyUpdate(this.doc, u, "load");
          this.approxBytes += u.byteLength;
        } catch (e) {
          this.log(`[sync] ${this.name}: skipped an unreadable stored update: ${(e as Error).message}`);
        }
      }
    }, "load");
    this.sinceCompaction = updates.length;
    this.saved = Y.encodeStateVector(this.doc);
    // A document stored by an older layout moves to the current one now, before any client joins;
    // stored like any edit (every process that loads it at once writes the same update).
    const migration = layoutMigration(this.doc, this.name);
    if (migration) Y.applyUpdate(this.doc, migration, "migration");
  }

  private onUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === "load") return;
    const msg = message(MESSAGE_SYNC, (e) => {
      encoding.writeVarUint(e, SYNC_UPDATE);
      encoding.writeVarUint8Array(e, update);
    });
    for (const c of this.conns) if (c !== origin) send(c, msg);
    if (origin === FROM_PEER) {
      this.approxBytes += update.byteLength;
      return;
    }
    this.bus?.publish(`doc:${this.name}`, peerUpdate(update));
    this.pending.push(update);
    this.approxBytes += update.byteLength;
    const from = origin as Connection | undefined;
    if (from && this.conns.has(from) && from.wantsAck) this.pendingAuthors.add(from);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  /**
   * Hands the pending updates to storage as one batch; resolves once they (and every batch
   * before them) are stored and their authors acknowledged.
   */
  flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.pending.length === 0) return this.writes;
    const updates = this.pending;
    const authors = this.pendingAuthors;
    // Everything applied so far is in this batch or an earlier one: once it is stored, this is
    // what is durable.
    const vector = Y.encodeStateVector(this.doc);
    this.pending = [];
    this.pendingAuthors = new Set();
    this.writes = this.writes.then(() => this.store(updates, authors, vector));
    return this.writes;
  }

  private async store(updates: Uint8Array[], authors: Set<Connection>, vector: Uint8Array): Promise<void> {
    if (this.failed) return;
    try {
      await this.persistence.appendMany(this.name, updates);
    } catch (e) {
      this.failed = true;
      this.log(`[sync] ${this.name}: storing ${updates.length} update(s) failed; dropping the room so clients resync: ${(e as Error).message}`);
      this.onStorageFailure(e as Error);
      return;
    }
    this.saved = vector;
    this.sinceCompaction += updates.length;
    if (authors.size > 0) {
      const saved = this.savedMessage();
      for (const c of authors) if (this.conns.has(c)) send(c, saved);
    }
    if (this.sinceCompaction >= this.compactEvery) await this.snapshot();
  }

  /**
   * What a client with state vector `sv` lacks. A new client (empty state vector) gets the cached
   * whole-document update: fifty visitors arriving at once cost one encoding.
   */
  stateFor(sv: Uint8Array): Uint8Array {
    if (sv.byteLength === 1 && sv[0] === 0) return (this.fullState ??= Y.encodeStateAsUpdate(this.doc));
    return Y.encodeStateAsUpdate(this.doc, sv);
  }

  /** Tells a client which state is durable, so it can say "All changes saved". */
  savedMessage(): Uint8Array {
    return message(MESSAGE_SAVED, (e) => encoding.writeVarUint8Array(e, this.saved));
  }

  /** Stores what is pending, then folds the update log into one snapshot. */
  async compact(): Promise<void> {
    await this.flush();
    if (this.failed) throw new Error("storage failed");
    this.writes = this.writes.then(() => this.snapshot());
    return this.writes;
  }

  private async snapshot(): Promise<void> {
    // Updates applied after this point are appended after the snapshot (storage keeps the order);
    // any that are also in it are harmless, Yjs applies an update once.
    const state = Y.encodeStateAsUpdate(this.doc);
    const vector = Y.encodeStateVector(this.doc);
    try {
      await this.persistence.compact(this.name, state);
    } catch (e) {
      this.log(`[sync] ${this.name}: snapshot failed (the update log is intact): ${(e as Error).message}`);
      return;
    }
    this.approxBytes = state.byteLength;
    this.sinceCompaction = 0;
    this.saved = vector;
    await this.compactNotes();
  }

  /**
   * Folds the stored notes into one row, with the document's own snapshot: a curator deleting
   * as they type adds a note per turn, and review mode reads them all. What is stored (earlier
   * loads' and other processes' notes) and this room's notes (those still on their way to
   * storage included) are merged; a note is never dropped. Best effort, as the notes are.
   */
  private async compactNotes(): Promise<void> {
    const stored = this.notesStored;
    if (stored === 0) return;
    const name = attributionDocName(this.name);
    try {
      const rows = await this.persistence.load(name);
      if (rows.length > 1) await this.persistence.compact(name, Y.mergeUpdates([...rows, Y.encodeStateAsUpdate(this.attribution)]));
      this.notesStored -= stored;
    } catch (e) {
      this.log(`[sync] ${this.name}: could not fold who wrote what (the notes are intact): ${(e as Error).message}`);
    }
  }

  /** Adds a connection and starts the y-websocket handshake: our sync step 1, then presence. */
  join(conn: Connection): void {
    this.conns.add(conn);
    send(
      conn,
      message(MESSAGE_SYNC, (e) => {
        encoding.writeVarUint(e, SYNC_STEP1);
        encoding.writeVarUint8Array(e, Y.encodeStateVector(this.doc));
      }),
    );
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0)
      send(conn, message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, states))));
  }

  /** Removes a connection and its presence. */
  leave(conn: Connection): void {
    if (!this.conns.delete(conn)) return;
    const id = conn.awarenessId;
    if (id !== 0 && this.awarenessOwners.get(id) === conn) {
      this.awarenessOwners.delete(id);
      if (this.awareness.getStates().has(id)) awarenessProtocol.removeAwarenessStates(this.awareness, [id], null);
    }
  }

  /** Notes that `author` sent `update`, just applied (nothing, for most keystrokes). */
  noteAuthor(author: Author, update: Uint8Array): void {
    try {
      recordAuthorship(this.attribution, author, update, "attribution");
    } catch (e) {
      this.log(`[sync] ${this.name}: could not note who wrote an update: ${(e as Error).message}`);
    }
  }

  /**
   * Stores the notes of this turn as one update. Best effort: a lost note loses a name in review
   * mode, never an edit, so a failure is logged and the room stays.
   */
  private storeNotes(): void {
    if (this.notes.length === 0) return;
    const merged = Y.mergeUpdates(this.notes);
    this.notes = [];
    this.notesStored++;
    this.persistence.appendMany(attributionDocName(this.name), [merged]).catch((e: Error) => this.log(`[sync] ${this.name}: could not store who wrote what: ${e.message}`));
  }

  destroy(): void {
    this.storeNotes();
    this.attribution.destroy();
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.awareness.destroy();
    this.doc.destroy();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * Sends unless the socket is closing; a failed send closes it. A client that does not read (its
 * send buffer is past `sendCap`) is dropped rather than buffered for: memory stays bounded
 * whatever a client asks for (the backlog stays under `sendCap` plus one message).
 */
export function send(conn: Connection, data: Uint8Array): void {
  if (conn.ws.readyState !== conn.ws.OPEN) return;
  // Checked before adding: one message always goes (a new client's first state may be large).
  if (conn.ws.bufferedAmount > conn.sendCap) {
    conn.ws.terminate();
    return;
  }
  conn.ws.send(data, (err) => {
    if (err) conn.ws.terminate();
  });
}
