import * as decoding from "lib0/decoding";
import type * as encoding from "lib0/encoding";
import { WebsocketProvider } from "y-websocket";
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";
import { ExhibitionStore } from "./exhibition-store";
import { Presence } from "./presence";

/** Atrium's own sync messages (see server/sync/messages.ts). */
const MESSAGE_SAVED = 100;
const MESSAGE_REFUSED = 101;

/** What the user is told about the connection. */
export type ConnectionStatus = "connecting" | "online" | "reconnecting" | "offline";

export interface SyncState {
  status: ConnectionStatus;
  /** The document has been received from the server at least once. */
  synced: boolean;
  /** Every local change has been acknowledged as stored by the server ("All changes saved"). */
  saved: boolean;
  /** Why the server refused a change, if it did (e.g. a read-only role). */
  refused: string | null;
  /**
   * Why the server refused this page's changes when the previous connection rolled them back
   * (`connectExhibition`'s `rolledBack`); cleared by the next change made here.
   */
  rolledBack: string | null;
}

/** A live exhibition: its store, the connection's state, and how to stop. */
export interface LiveExhibition {
  store: ExhibitionStore;
  /** Who else is here (cursors, selections), over the same connection. */
  presence: Presence;
  getState(): SyncState;
  subscribe(listener: () => void): () => void;
  whenSynced: Promise<void>;
  /** Forgets the copy kept in this browser for offline editing (changes the server refused must not come back). */
  discardLocal(): Promise<void>;
  destroy(): void;
}

/**
 * Connects an exhibition document to the server with the stock y-websocket provider. With
 * `offline`, edits are also kept in IndexedDB (y-indexeddb) and merged when the connection
 * returns. The server's "saved" acknowledgements drive `saved`: true once the server's stored
 * state includes every change made here.
 */
export function connectExhibition(id: string, options: { serverUrl?: string; offline?: boolean; seat?: string | null; rolledBack?: string | null } = {}): LiveExhibition {
  const ydoc = new Y.Doc();
  const base = options.serverUrl ?? `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}`;
  const local = options.offline ? new IndexeddbPersistence(`atrium:${id}`, ydoc) : null;
  const provider = new WebsocketProvider(`${base}/sync`, id, ydoc, { params: { ack: "1", ...(options.seat ? { seat: options.seat } : {}) } });
  let state: SyncState = { status: "connecting", synced: false, saved: true, refused: null, rolledBack: options.rolledBack ?? null };
  let savedClock = 0;
  let everConnected = false;
  const listeners = new Set<() => void>();
  const set = (change: Partial<SyncState>) => {
    const next = { ...state, ...change };
    if (Object.keys(next).every((k) => next[k as keyof SyncState] === state[k as keyof SyncState])) return;
    state = next;
    for (const l of listeners) l();
  };
  const localClock = () => Y.decodeStateVector(Y.encodeStateVector(ydoc)).get(ydoc.clientID) ?? 0;

  provider.messageHandlers[MESSAGE_SAVED] = (_e: encoding.Encoder, decoder: decoding.Decoder) => {
    savedClock = Y.decodeStateVector(decoding.readVarUint8Array(decoder)).get(ydoc.clientID) ?? 0;
    set({ saved: savedClock >= localClock() });
  };
  provider.messageHandlers[MESSAGE_REFUSED] = (_e: encoding.Encoder, decoder: decoding.Decoder) => {
    // Sending the same changes again would be refused again (the provider resends them on every
    // reconnection): stop here; the page rolls back (a fresh connection, the server's document).
    provider.shouldConnect = false;
    set({ refused: decoding.readVarString(decoder) });
  };
  ydoc.on("update", (_u: Uint8Array, origin: unknown) => {
    if (origin !== provider && origin !== local) set({ saved: savedClock >= localClock(), ...(origin !== "load" ? { rolledBack: null } : {}) });
  });
  provider.on("status", ({ status }: { status: "connected" | "connecting" | "disconnected" }) => {
    if (status === "connected") everConnected = true;
    const offline = typeof navigator !== "undefined" && navigator.onLine === false;
    set({ status: status === "connected" ? "online" : offline ? "offline" : everConnected ? "reconnecting" : "connecting" });
  });
  const onOffline = () => set({ status: "offline" });
  // The socket may survive a short outage without closing: when the network returns, say what
  // the provider actually has, not what the last 'offline' event said.
  const onOnline = () => set({ status: provider.wsconnected ? "online" : everConnected ? "reconnecting" : "connecting" });
  globalThis.addEventListener?.("offline", onOffline);
  globalThis.addEventListener?.("online", onOnline);
  const whenSynced = new Promise<void>((resolve) => {
    const done = (synced: boolean) => {
      if (!synced) return;
      set({ synced: true });
      provider.off("sync", done);
      resolve();
    };
    provider.on("sync", done);
  });
  const store = new ExhibitionStore(ydoc);
  const presence = new Presence(provider.awareness);
  return {
    store,
    presence,
    getState: () => state,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    whenSynced,
    discardLocal: async () => {
      await local?.clearData();
    },
    destroy: () => {
      globalThis.removeEventListener?.("offline", onOffline);
      globalThis.removeEventListener?.("online", onOnline);
      listeners.clear();
      presence.destroy();
      provider.destroy();
      void local?.destroy();
      store.destroy();
      ydoc.destroy();
    },
  };
}
