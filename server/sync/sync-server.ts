import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { AccessChange, AccessChanges } from "../security/access-changes";
import type { ConnectionLimits } from "../security/connection-limits";
import type { OriginPolicy } from "../security/origin";
import { refuseUpgrade as reject } from "../http/upgrade-router";
import type { Bus } from "../scale/bus";
import { KeyedLock } from "../util/keyed-lock";
import { canWrite, type Access, type Authorizer } from "./access";
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
import { judgePresence } from "./presence-policy";
import { judgeUpdate } from "./write-policy";


/**
 * Limits on what one connection may send and receive. Every one is counted as a message arrives,
 * before any work proportional to the document (docs/ARCHITECTURE.md, "Refusal rule").
 */
export interface SyncLimits {
  /** Largest accepted message, in bytes. */
  maxMessageBytes: number;
  /** Largest document, in bytes of stored state; updates beyond it are refused. */
  maxDocBytes: number;
  /** Sustained messages per second per connection... */
  messagesPerSecond: number;
  /** ...with bursts up to this many. */
  messageBurst: number;
  /** Sustained bytes per second a connection may send... */
  bytesPerSecond: number;
  /** ...with bursts up to this many. */
  byteBurst: number;
  /** Whole-state requests (sync step 1) a connection may make in a burst; one more every `stateRequestEveryMs`. */
  stateRequestBurst: number;
  stateRequestEveryMs: number;
  /** Milliseconds of server time per second one connection's messages may use, sustained... */
  workMsPerSecond: number;
  /** ...with bursts up to this many milliseconds. */
  workBurstMs: number;
  /** Bytes that may wait in one socket's send buffer: a client that does not read is dropped. */
  maxBufferedBytes: number;
  /** Largest presence (awareness) message, in bytes. */
  maxAwarenessBytes: number;
  /** Fold the update log into a snapshot after this many updates. */
  compactEvery: number;
  /** Ping interval; a connection that misses a pong is closed. */
  pingIntervalMs: number;
  /** Every connection's access is checked again this often (besides on every access change). */
  recheckEveryMs: number;
}

export const DEFAULT_LIMITS: SyncLimits = {
  maxMessageBytes: 1 << 20,
  maxDocBytes: 32 << 20,
  messagesPerSecond: 100,
  messageBurst: 300,
  bytesPerSecond: 1 << 20,
  byteBurst: 4 << 20,
  stateRequestBurst: 4,
  stateRequestEveryMs: 10_000,
  workMsPerSecond: 100,
  workBurstMs: 1000,
  maxBufferedBytes: 4 << 20,
  maxAwarenessBytes: 16 << 10,
  compactEvery: 500,
  pingIntervalMs: 30_000,
  recheckEveryMs: 60_000,
};

export interface SyncServerOptions {
  persistence: Persistence;
  authorize: Authorizer;
  /** The initial state of a document never stored (e.g. a sample exhibition), or null. */
  seed?: (doc: string) => Uint8Array | null;
  limits?: Partial<SyncLimits>;
  log?: (line: string) => void;
  /** Which origins may open a socket (a page on another site may not use a visitor's cookie). */
  origins?: OriginPolicy;
  /** Sockets per address and account, shared with the class channel. */
  connections?: ConnectionLimits;
  /** The client's address, as the limits count it. */
  addressOf?: (req: IncomingMessage) => string;
  /** Access changes (sign-out, roles, publishing, class seats): affected sockets re-check at once. */
  accessChanges?: AccessChanges;
  /** Told when a loaded document changes (indexes that depend on documents mark it stale). */
  onDocumentChange?: (name: string) => void;
  /** One-at-a-time work per document, shared with the documents module (loading, unloading, writes). */
  locks?: KeyedLock;
  /** The scaled mode: rooms of the same document in other processes, reached over this bus. */
  bus?: Bus;
}

/** Document names: the exhibition ids of the document schema. */
const DOC_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A token bucket: `take` spends, refilling at `rate` per second up to `burst`. */
class Bucket {
  private level: number;
  private at = performance.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.level = burst;
  }
  take(cost = 1): boolean {
    const now = performance.now();
    this.level = Math.min(this.burst, this.level + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    this.level -= cost;
    return this.level >= 0;
  }
}

/** What the server keeps of one socket besides the room's `Connection`. */
interface Session {
  conn: Connection;
  doc: string;
  /** The upgrade request (headers, URL): access is re-checked against it. */
  req: IncomingMessage;
  /** The seat token, for class students. */
  seat: string | null;
  /** Set once the connection is being closed: later messages in the same read are ignored. */
  closing: boolean;
  release: () => void;
}

/**
 * The collaboration endpoint: WebSocket at `/sync/<doc>` speaking the y-websocket protocol, on
 * the app's one HTTP server. Access is decided at the upgrade (origin, connection limits, role;
 * refused with an HTTP status before any WebSocket exists), re-checked whenever it may have
 * changed, and enforced on every message from the message's structure alone: read-only
 * connections get the document but any change from them is refused and the connection closed;
 * writers' updates are checked against the document's layout, schema and permission rules
 * (`write-policy.ts`) without copying the document. Rooms load on first connect and unload (after
 * a final snapshot) when the last connection leaves.
 */
export function createSyncServer(options: SyncServerOptions) {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? ((l: string) => console.error(l));
  // ws's own cap (close 1009) guards memory; below it our check closes with 4413 and a reason.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes * 2 + 1024 });
  const rooms = new Map<string, DocRoom>();
  const sessions = new Set<Session>();

  const loading = new Map<string, Promise<DocRoom>>();
  const locks = options.locks ?? new KeyedLock();

  const exists = async (name: string) => rooms.has(name) || (options.seed?.(name) ?? null) !== null || (await options.persistence.count(name)) > 0;

  /**
   * The loaded room of `name`, loading it if needed (one load per document however many clients
   * arrive at once). The caller holds the room (it may not unload) until it joins or lets go.
   */
  async function acquire(name: string): Promise<DocRoom> {
    let r = rooms.get(name);
    if (!r) {
      let pending = loading.get(name);
      if (!pending) {
        pending = locks.run(name, () => load(name)).finally(() => loading.delete(name));
        loading.set(name, pending);
      }
      r = await pending;
    }
    r.holds++;
    return r;
  }

  async function load(name: string): Promise<DocRoom> {
    const created = new DocRoom(name, options.persistence, limits.compactEvery, log, options.bus ?? null);
    try {
      await created.load(options.seed ? () => options.seed!(name) : null);
    } catch (e) {
      created.destroy();
      throw e;
    }
    if (options.onDocumentChange) created.doc.on("update", () => options.onDocumentChange!(name));
    // Storage failed: forget the in-memory state and make every client resync, so the
    // updates that were not stored are sent again from the clients that still have them.
    created.onStorageFailure = () => {
      if (rooms.get(name) === created) rooms.delete(name);
      for (const c of [...created.conns]) c.ws.close(1011, "storage failed, please resync");
      created.destroy();
    };
    rooms.set(name, created);
    return created;
  }

  /**
   * Unloads a room nobody uses any more, after storing what is pending and a final snapshot.
   * Decided under the document's lock: a write queued before it sees the room still live, and a
   * client that arrived meanwhile keeps the room.
   */
  function unloadIfEmpty(r: DocRoom): Promise<void> {
    const idle = () => r.conns.size === 0 && r.holds === 0 && rooms.get(r.name) === r;
    if (!idle()) return Promise.resolve();
    return locks.run(r.name, async () => {
      if (!idle()) return;
      rooms.delete(r.name);
      try {
        await r.compact();
      } catch (e) {
        log(`[sync] ${r.name}: final snapshot failed (the update log is intact): ${(e as Error).message}`);
      }
      r.destroy();
    });
  }

  /** Answers an upgrade of `/sync/<doc>` (the upgrade router sends them here). */
  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => {
    const m = /^\/sync\/([^/]+)$/.exec(url.pathname);
    if (!m) return reject(socket, 404, "Not Found");
    let name: string;
    try {
      name = decodeURIComponent(m[1]!);
    } catch {
      return reject(socket, 400, "Bad document name");
    }
    if (!DOC_NAME.test(name)) return reject(socket, 400, "Bad document name");
    const foreign = options.origins?.refusal(req, true);
    if (foreign) return reject(socket, 403, foreign);
    let access: Access;
    try {
      access = await options.authorize(req, name);
    } catch (e) {
      log(`[sync] authorizer failed for ${name}: ${(e as Error).message}`);
      return reject(socket, 500, "Internal Server Error");
    }
    if (!access.role) return reject(socket, 403, "Forbidden");
    if (!(await exists(name)) && !(access.canCreate && canWrite(access.role))) return reject(socket, 404, "No such document");
    const admitted = options.connections ? await options.connections.admit(options.addressOf?.(req) ?? req.socket.remoteAddress ?? "?", access.user) : { release: () => {} };
    if ("refusal" in admitted) return reject(socket, 429, admitted.refusal);
    if (socket.destroyed) return admitted.release();
    let r: DocRoom;
    try {
      r = await acquire(name);
    } catch (e) {
      admitted.release();
      log(`[sync] ${name}: cannot load: ${(e as Error).message}`);
      return reject(socket, 503, "Cannot load the document");
    }
    // Until the socket joins the room, the room is held; a socket that goes away lets go of it.
    let settled = false;
    const letGo = () => {
      if (settled) return;
      settled = true;
      r.holds--;
      admitted.release();
      void unloadIfEmpty(r);
    };
    if (socket.destroyed) return letGo();
    socket.once("close", letGo);
    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off("close", letGo);
      if (settled) return ws.terminate();
      settled = true;
      r.holds--;
      connect(ws, r, name, access, req, url.searchParams.get("ack") === "1", url.searchParams.get("seat"), admitted.release);
    });
  };

  function connect(ws: WebSocket, r: DocRoom, name: string, access: Access, req: IncomingMessage, wantsAck: boolean, seat: string | null, release: () => void) {
    const conn: Connection = {
      ws,
      role: access.role!,
      user: access.user,
      name: access.name ?? null,
      museums: access.museums ?? [],
      wantsAck,
      awarenessId: 0,
      sendCap: limits.maxBufferedBytes,
    };
    const session: Session = { conn, doc: name, req, seat, closing: false, release };
    sessions.add(session);
    const messages = new Bucket(limits.messagesPerSecond, limits.messageBurst);
    const bytes = new Bucket(limits.bytesPerSecond, limits.byteBurst);
    const work = new Bucket(limits.workMsPerSecond, limits.workBurstMs);
    const stateRequests = new Bucket(1000 / limits.stateRequestEveryMs, limits.stateRequestBurst);
    let alive = true;
    ws.on("pong", () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, limits.pingIntervalMs);

    const close = (code: number, reason: string) => {
      session.closing = true;
      if (ws.readyState !== ws.OPEN) return;
      ws.close(code, reason);
      // A client that is not reading would never answer the close: drop it now, buffers and all.
      if (ws.bufferedAmount > 64 << 10) ws.terminate();
    };
    ws.on("message", (data: RawData, isBinary: boolean) => {
      // Counted as it arrives, before anything is decoded.
      if (session.closing) return;
      const raw = toBytes(data);
      if (!messages.take()) return close(CLOSE.RATE_LIMITED, "too many messages");
      if (!bytes.take(raw.byteLength)) return close(CLOSE.RATE_LIMITED, "too many bytes");
      if (!isBinary) return close(CLOSE.MALFORMED, "messages must be binary");
      if (raw.byteLength > limits.maxMessageBytes) return close(CLOSE.TOO_LARGE, `message over ${limits.maxMessageBytes} bytes`);
      const started = performance.now();
      try {
        handle(r, session, raw, stateRequests, close);
      } catch (e) {
        log(`[sync] ${name}: malformed message from ${conn.user ?? "anonymous"}: ${(e as Error).message}`);
        close(CLOSE.MALFORMED, "malformed message");
      }
      // Server time is the scarce thing: a client whose messages cost too much of it is closed.
      if (!work.take(performance.now() - started) && !session.closing) {
        log(`[sync] ${name}: closed a connection of ${conn.user ?? "anonymous"} that used too much server time`);
        close(CLOSE.RATE_LIMITED, "too much work");
      }
    });
    ws.on("close", () => {
      clearInterval(ping);
      sessions.delete(session);
      release();
      if (ws.bufferedAmount > conn.sendCap) log(`[sync] ${name}: dropped a client that did not read (${ws.bufferedAmount} bytes waiting)`);
      r.leave(conn);
      void unloadIfEmpty(r);
    });
    ws.on("error", () => ws.terminate());
    r.join(conn);
  }

  function handle(r: DocRoom, session: Session, bytes: Uint8Array, stateRequests: Bucket, close: (code: number, reason: string) => void) {
    const { conn } = session;
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decoding.readVarUint(decoder);
        if (step === SYNC_STEP1) {
          // Answering costs time and memory in proportion to the document: rationed per connection.
          if (!stateRequests.take()) return close(CLOSE.RATE_LIMITED, "too many requests for the whole document");
          const sv = decoding.readVarUint8Array(decoder);
          const reply = r.stateFor(sv);
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
        const verdict = judgeUpdate(r.doc, conn, update, r.deletes);
        if (verdict.action === "ignore") return;
        if (verdict.action === "refuse") return refuse(session, close, verdict.malformed ? CLOSE.MALFORMED : CLOSE.READ_ONLY, verdict.reason);
        if (r.approxBytes + update.byteLength > limits.maxDocBytes)
          return refuse(session, close, CLOSE.DOC_TOO_LARGE, `the document would exceed ${limits.maxDocBytes} bytes`);
        Y.applyUpdate(r.doc, update, conn);
        // Who sent it, for review mode: the account behind this connection, never what a page claims.
        if (conn.user) r.noteAuthor({ id: conn.user, name: conn.name ?? conn.user }, update);
        return;
      }
      case MESSAGE_AWARENESS: {
        const payload = decoding.readVarUint8Array(decoder);
        if (payload.byteLength > limits.maxAwarenessBytes) return close(CLOSE.TOO_LARGE, `presence over ${limits.maxAwarenessBytes} bytes`);
        const verdict = judgePresence({ role: conn.role, user: conn.user, name: conn.name, clientId: conn.awarenessId }, payload, (id) => {
          const holder = r.awarenessOwners.get(id);
          return holder && holder !== conn ? { user: holder.user } : null;
        });
        if (verdict.action === "drop") {
          if (verdict.why) log(`[sync] ${r.name}: dropped presence from ${conn.user ?? "anonymous"}: ${verdict.why}`);
          return;
        }
        if (conn.awarenessId !== verdict.claim) {
          // The same person's new tab or reconnection takes the id over from a connection not yet timed out.
          const previous = r.awarenessOwners.get(verdict.claim);
          if (previous && previous !== conn) previous.awarenessId = 0;
          conn.awarenessId = verdict.claim;
          r.awarenessOwners.set(verdict.claim, conn);
        }
        awarenessProtocol.applyAwarenessUpdate(r.awareness, verdict.update, conn);
        return;
      }
      case MESSAGE_QUERY_AWARENESS: {
        if (!stateRequests.take()) return close(CLOSE.RATE_LIMITED, "too many requests for presence");
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

  function refuse(session: Session, close: (code: number, reason: string) => void, code: number, reason: string) {
    const { conn } = session;
    log(`[sync] refused an update from ${conn.user ?? "anonymous"} (${conn.role}): ${reason}`);
    if (conn.wantsAck) send(conn, message(MESSAGE_REFUSED, (e) => encoding.writeVarString(e, reason)));
    close(code, reason.slice(0, 120));
  }

  /**
   * Checks a connection's access again: gone -> closed for good (4403); changed (another role,
   * other museums, signed out to a visitor) -> closed so the client reconnects with its new
   * rights (4001); unchanged -> nothing.
   */
  async function recheck(session: Session): Promise<void> {
    if (session.closing) return;
    let access: Access;
    try {
      access = await options.authorize(session.req, session.doc);
    } catch (e) {
      log(`[sync] re-checking access to ${session.doc} failed: ${(e as Error).message}`);
      return;
    }
    const { conn } = session;
    if (session.closing) return;
    if (!access.role) {
      session.closing = true;
      if (conn.wantsAck) send(conn, message(MESSAGE_REFUSED, (e) => encoding.writeVarString(e, "your access to this exhibition has ended")));
      return conn.ws.close(CLOSE.ACCESS_ENDED, "your access to this exhibition has ended");
    }
    const same = access.role === conn.role && access.user === conn.user && (access.museums ?? []).join() === conn.museums.join() && (access.name ?? null) === conn.name;
    if (same) return;
    session.closing = true;
    conn.ws.close(CLOSE.ACCESS_CHANGED, "your access changed: reconnecting");
  }

  function affected(change: AccessChange): Session[] {
    const out: Session[] = [];
    for (const s of sessions) {
      if (change.kind === "user" ? s.conn.user === change.userId : change.kind === "exhibition" ? s.doc === change.id : s.seat !== null) out.push(s);
    }
    return out;
  }
  // Back from a lost bus connection: what other processes stored meanwhile is read from storage.
  const offReconnect = options.bus?.onReconnect(() => {
    for (const r of rooms.values()) r.catchUp().catch((e: Error) => log(`[sync] ${r.name}: catching up after the bus came back failed: ${e.message}`));
  });
  const offChanges = options.accessChanges?.on((change) => {
    for (const s of affected(change)) void recheck(s);
  });
  const sweep = setInterval(() => {
    for (const s of sessions) void recheck(s);
  }, limits.recheckEveryMs);
  sweep.unref();

  return {
    handleUpgrade: onUpgrade,
    rooms,
    limits,
    /** Open sockets (for tests and the health answer). */
    connections: () => sessions.size,
    /** Closes every connection; resolves once every room has stored its final snapshot. */
    async close(): Promise<void> {
      offChanges?.();
      offReconnect?.();
      clearInterval(sweep);
      for (const c of wss.clients) c.terminate();
      const unloads: Promise<void>[] = [];
      for (const r of [...rooms.values()]) {
        for (const c of [...r.conns]) r.leave(c);
        r.holds = 0;
        unloads.push(unloadIfEmpty(r));
      }
      for (const s of sessions) s.release();
      sessions.clear();
      wss.close();
      await Promise.all(unloads);
      await locks.idle();
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
