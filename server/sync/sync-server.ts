import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { canWrite, maySend, type Authorizer } from "./access";
import { DocRoom, send, type Connection } from "./doc-room";
import {
  CLOSE,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_REFUSED,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  message,
} from "./messages";
import type { Persistence } from "./persistence";
import { refusalOf } from "./write-policy";

/** Limits on what one connection may send. Every message is size-checked. */
export interface SyncLimits {
  /** Largest accepted message, in bytes. */
  maxMessageBytes: number;
  /** Largest document, in bytes of stored state; updates beyond it are refused. */
  maxDocBytes: number;
  /** Sustained messages per second per connection... */
  messagesPerSecond: number;
  /** ...with bursts up to this many. */
  messageBurst: number;
  /** Fold the update log into a snapshot after this many updates. */
  compactEvery: number;
  /** Ping interval; a connection that misses a pong is closed. */
  pingIntervalMs: number;
}

export const DEFAULT_LIMITS: SyncLimits = {
  maxMessageBytes: 1 << 20,
  maxDocBytes: 64 << 20,
  messagesPerSecond: 100,
  messageBurst: 300,
  compactEvery: 500,
  pingIntervalMs: 30_000,
};

export interface SyncServerOptions {
  persistence: Persistence;
  authorize: Authorizer;
  /** The initial state of a document never stored (e.g. a sample exhibition), or null. */
  seed?: (doc: string) => Uint8Array | null;
  limits?: Partial<SyncLimits>;
  log?: (line: string) => void;
  /** Upgrade paths another endpoint handles: left alone here. */
  passThrough?: (pathname: string) => boolean;
}

/** Document names: the exhibition ids of the document schema. */
const DOC_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * The collaboration endpoint: WebSocket at `/sync/<doc>` speaking the y-websocket protocol, on
 * the app's one HTTP server. Access is decided at the upgrade (refused with an HTTP status before
 * any WebSocket exists) and enforced on every message: read-only connections get the document
 * but their updates are refused and the connection closed. Rooms load on first connect and
 * unload (after a final snapshot) when the last connection leaves.
 */
export function attachSyncServer(http: Server, options: SyncServerOptions) {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? ((l: string) => console.error(l));
  // ws's own cap (close 1009) guards memory; below it our check closes with 4413 and a reason.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes * 2 + 1024 });
  const rooms = new Map<string, DocRoom>();

  const exists = (name: string) => rooms.has(name) || options.persistence.count(name) > 0 || (options.seed?.(name) ?? null) !== null;

  function room(name: string): DocRoom {
    let r = rooms.get(name);
    if (!r) {
      const created = new DocRoom(name, options.persistence, limits.compactEvery, log);
      created.load(options.seed ? () => options.seed!(name) : null);
      // Storage failed: forget the in-memory state and make every client resync, so the
      // updates that were not stored are sent again from the clients that still have them.
      created.onStorageFailure = () => {
        if (rooms.get(name) === created) rooms.delete(name);
        for (const c of [...created.conns]) c.ws.close(1011, "storage failed, please resync");
        created.destroy();
      };
      rooms.set(name, created);
      r = created;
    }
    return r;
  }

  function unloadIfEmpty(r: DocRoom): void {
    if (r.conns.size > 0 || rooms.get(r.name) !== r) return;
    try {
      r.flush();
      r.compact();
    } catch (e) {
      log(`[sync] ${r.name}: final snapshot failed (the update log is intact): ${(e as Error).message}`);
    }
    rooms.delete(r.name);
    r.destroy();
  }

  const reject = (socket: Duplex, status: number, reason: string) => {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
    socket.destroy();
  };

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      return reject(socket, 400, "Bad Request");
    }
    // Other endpoints on this server (the class channel, `/class/...`) answer their own upgrades.
    if (options.passThrough?.(url.pathname)) return;
    const m = /^\/sync\/([^/]+)$/.exec(url.pathname);
    if (!m) return reject(socket, 404, "Not Found");
    const name = decodeURIComponent(m[1]!);
    if (!DOC_NAME.test(name)) return reject(socket, 400, "Bad document name");
    socket.on("error", () => socket.destroy());
    let access;
    try {
      access = await options.authorize(req, name);
    } catch (e) {
      log(`[sync] authorizer failed for ${name}: ${(e as Error).message}`);
      return reject(socket, 500, "Internal Server Error");
    }
    if (!access.role) return reject(socket, 403, "Forbidden");
    if (!exists(name) && !(access.canCreate && canWrite(access.role))) return reject(socket, 404, "No such document");
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws, name, access.role!, access.user, access.museums ?? [], url.searchParams.get("ack") === "1"));
  };

  function connect(ws: WebSocket, name: string, role: NonNullable<Connection["role"]>, user: string | null, museums: readonly string[], wantsAck: boolean) {
    let r: DocRoom;
    try {
      r = room(name);
    } catch (e) {
      log(`[sync] ${name}: cannot load: ${(e as Error).message}`);
      ws.close(1011, "cannot load the document");
      return;
    }
    const conn: Connection = { ws, role, user, museums, wantsAck, awarenessIds: new Set() };
    let tokens = limits.messageBurst;
    let last = Date.now();
    let alive = true;
    ws.on("pong", () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, limits.pingIntervalMs);

    const close = (code: number, reason: string) => {
      if (ws.readyState === ws.OPEN) ws.close(code, reason);
    };
    ws.on("message", (data: RawData, isBinary: boolean) => {
      const now = Date.now();
      tokens = Math.min(limits.messageBurst, tokens + ((now - last) / 1000) * limits.messagesPerSecond);
      last = now;
      if (--tokens < 0) return close(CLOSE.RATE_LIMITED, "too many messages");
      const bytes = toBytes(data);
      if (!isBinary) return close(CLOSE.MALFORMED, "messages must be binary");
      if (bytes.byteLength > limits.maxMessageBytes) return close(CLOSE.TOO_LARGE, `message over ${limits.maxMessageBytes} bytes`);
      try {
        handle(r, conn, bytes, close);
      } catch (e) {
        log(`[sync] ${name}: malformed message from ${user ?? "anonymous"}: ${(e as Error).message}`);
        close(CLOSE.MALFORMED, "malformed message");
      }
    });
    ws.on("close", () => {
      clearInterval(ping);
      r.leave(conn);
      unloadIfEmpty(r);
    });
    ws.on("error", () => ws.terminate());
    r.join(conn);
  }

  function handle(r: DocRoom, conn: Connection, bytes: Uint8Array, close: (code: number, reason: string) => void) {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decoding.readVarUint(decoder);
        if (step === SYNC_STEP1) {
          const sv = decoding.readVarUint8Array(decoder);
          const reply = Y.encodeStateAsUpdate(r.doc, sv);
          send(
            conn,
            message(MESSAGE_SYNC, (e) => {
              encoding.writeVarUint(e, SYNC_STEP2);
              encoding.writeVarUint8Array(e, reply);
            }),
          );
          // A client that asked for acks learns at once what the server already holds.
          if (conn.wantsAck) send(conn, r.savedMessage());
          return;
        }
        if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) throw new Error(`unknown sync step ${step}`);
        const update = decoding.readVarUint8Array(decoder);
        if (!maySend(conn.role)) {
          if (r.changesNothing(update)) return;
          return refuse(conn, close, CLOSE.READ_ONLY, `read-only: a ${conn.role} cannot change this document`);
        }
        const why = refusalOf(r.doc, conn, update);
        if (why) {
          if (r.changesNothing(update)) return;
          return refuse(conn, close, CLOSE.READ_ONLY, why);
        }
        if (r.approxBytes + update.byteLength > limits.maxDocBytes)
          return refuse(conn, close, CLOSE.DOC_TOO_LARGE, `the document would exceed ${limits.maxDocBytes} bytes`);
        Y.applyUpdate(r.doc, update, conn);
        return;
      }
      case MESSAGE_AWARENESS:
        awarenessProtocol.applyAwarenessUpdate(r.awareness, decoding.readVarUint8Array(decoder), conn);
        return;
      case MESSAGE_QUERY_AWARENESS: {
        const ids = [...r.awareness.getStates().keys()];
        send(conn, message(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(r.awareness, ids))));
        return;
      }
      case MESSAGE_AUTH:
        return; // permission messages are server -> client only
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  function refuse(conn: Connection, close: (code: number, reason: string) => void, code: number, reason: string) {
    log(`[sync] refused an update from ${conn.user ?? "anonymous"} (${conn.role}): ${reason}`);
    if (conn.wantsAck) send(conn, message(MESSAGE_REFUSED, (e) => encoding.writeVarString(e, reason)));
    close(code, reason.slice(0, 120));
  }

  http.on("upgrade", onUpgrade);
  return {
    rooms,
    limits,
    /** Closes every connection (rooms snapshot as they empty) and detaches from the HTTP server. */
    close(): void {
      http.off("upgrade", onUpgrade);
      for (const c of wss.clients) c.terminate();
      for (const r of [...rooms.values()]) {
        for (const c of [...r.conns]) r.leave(c);
        unloadIfEmpty(r);
      }
      wss.close();
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
