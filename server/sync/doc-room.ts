import * as encoding from "lib0/encoding";
import type { WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { Role } from "./access";
import { MESSAGE_AWARENESS, MESSAGE_SAVED, MESSAGE_SYNC, SYNC_STEP1, SYNC_UPDATE, message } from "./messages";
import type { Persistence } from "./persistence";
import { DeleteIndex } from "./update-shape";

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

/**
 * A loaded document and the connections editing or viewing it. An update is broadcast to the
 * other connections at once; the updates of one event-loop turn are then written to storage in
 * one commit (group commit), and only after that is each author told "saved". Peers therefore
 * never wait for the disk, and an acknowledged update is always on disk. If storage fails, the
 * room is dropped and its clients reconnect: their sync sends back whatever was not stored.
 */
export class DocRoom {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly conns = new Set<Connection>();
  /** What the document has deleted, for answering "does this delete anything new?" by lookup. */
  readonly deletes = new DeleteIndex(this.doc);
  /** Which connection holds each awareness client id. */
  readonly awarenessOwners = new Map<number, Connection>();
  /** The whole document as one update, kept until it changes: new clients all get the same bytes. */
  private fullState: Uint8Array | null = null;
  /** Bytes stored since the last snapshot plus the snapshot: a cheap bound on the document's size. */
  approxBytes = 0;
  private sinceCompaction = 0;
  private pending: Uint8Array[] = [];
  private pendingAuthors = new Set<Connection>();
  private flushScheduled = false;
  /** Called when storage fails: the server drops the room so clients resync. */
  onStorageFailure: (error: Error) => void = () => {};

  constructor(
    readonly name: string,
    private readonly persistence: Persistence,
    private readonly compactEvery: number,
    private readonly log: (line: string) => void,
  ) {
    this.awareness.setLocalState(null); // the server has no presence of its own
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      this.deletes.stale();
      this.fullState = null;
      this.onUpdate(update, origin);
    });
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange) => {
      const changed = added.concat(updated, removed);
      const msg = message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
      for (const c of this.conns) send(c, msg);
    });
  }

  /** Loads the stored updates (or the seed, for a document never stored). */
  load(seed: (() => Uint8Array | null) | null): void {
    const updates = this.persistence.load(this.name);
    if (updates.length === 0 && seed) {
      const state = seed();
      if (state) {
        Y.applyUpdate(this.doc, state, "load");
        this.persistence.compact(this.name, Y.encodeStateAsUpdate(this.doc));
        this.approxBytes = state.byteLength;
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
  }

  private onUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === "load") return;
    const msg = message(MESSAGE_SYNC, (e) => {
      encoding.writeVarUint(e, SYNC_UPDATE);
      encoding.writeVarUint8Array(e, update);
    });
    for (const c of this.conns) if (c !== origin) send(c, msg);
    this.pending.push(update);
    this.approxBytes += update.byteLength;
    const from = origin as Connection | undefined;
    if (from && this.conns.has(from) && from.wantsAck) this.pendingAuthors.add(from);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes the pending updates in one commit, then acknowledges them to their authors. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const updates = this.pending;
    const authors = this.pendingAuthors;
    this.pending = [];
    this.pendingAuthors = new Set();
    try {
      this.persistence.appendMany(this.name, updates);
    } catch (e) {
      this.log(`[sync] ${this.name}: storing ${updates.length} update(s) failed; dropping the room so clients resync: ${(e as Error).message}`);
      this.onStorageFailure(e as Error);
      return;
    }
    this.sinceCompaction += updates.length;
    if (authors.size > 0) {
      const saved = this.savedMessage();
      for (const c of authors) if (this.conns.has(c)) send(c, saved);
    }
    if (this.sinceCompaction >= this.compactEvery) this.compact();
  }

  /**
   * What a client with state vector `sv` lacks. A new client (empty state vector) gets the cached
   * whole-document update: fifty visitors arriving at once cost one encoding.
   */
  stateFor(sv: Uint8Array): Uint8Array {
    if (sv.byteLength === 1 && sv[0] === 0) return (this.fullState ??= Y.encodeStateAsUpdate(this.doc));
    return Y.encodeStateAsUpdate(this.doc, sv);
  }

  /** Tells a client which state is on disk, so it can say "All changes saved". */
  savedMessage(): Uint8Array {
    return message(MESSAGE_SAVED, (e) => encoding.writeVarUint8Array(e, Y.encodeStateVector(this.doc)));
  }

  /** Folds the update log into one snapshot (after storing anything pending). */
  compact(): void {
    if (this.pending.length > 0) this.flush();
    const state = Y.encodeStateAsUpdate(this.doc);
    this.persistence.compact(this.name, state);
    this.approxBytes = state.byteLength;
    this.sinceCompaction = 0;
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

  destroy(): void {
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
