import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as Y from "yjs";
import { MESSAGE_SAVED, MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE } from "../../server/sync/messages";

/** Resolves when `check` holds, polling; rejects after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A hand-written y-websocket client on a raw `ws` socket: what a hostile or buggy client can send,
 * beyond what the stock provider would.
 */
export class RawClient {
  readonly doc = new Y.Doc();
  readonly ws: WebSocket;
  /** Highest state vector the server said was saved. */
  saved = new Map<number, number>();
  closed: { code: number; reason: string } | null = null;
  opened: Promise<void>;
  synced = false;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.ws.binaryType = "arraybuffer";
    this.opened = new Promise((ok, fail) => {
      this.ws.once("open", () => ok());
      this.ws.once("unexpected-response", (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
      this.ws.once("error", fail);
    });
    this.ws.on("close", (code, reason) => (this.closed = { code, reason: reason.toString() }));
    this.ws.on("message", (data: ArrayBuffer) => this.onMessage(new Uint8Array(data)));
  }

  private onMessage(bytes: Uint8Array) {
    const d = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(d);
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(d);
      const payload = decoding.readVarUint8Array(d);
      if (step === SYNC_STEP1) this.sendSync(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, payload));
      else {
        Y.applyUpdate(this.doc, payload, "server");
        if (step === SYNC_STEP2) this.synced = true;
      }
    } else if (type === MESSAGE_SAVED) {
      this.saved = Y.decodeStateVector(decoding.readVarUint8Array(d));
    }
  }

  sendSync(step: number, payload: Uint8Array) {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
    this.ws.send(encoding.toUint8Array(e));
  }

  /** Starts the handshake: our state vector, as the stock client does. */
  hello() {
    this.sendSync(SYNC_STEP1, Y.encodeStateVector(this.doc));
  }

  /** Changes the local doc and sends the update, as an editor would. */
  edit(fn: (doc: Y.Doc) => void) {
    const updates: Uint8Array[] = [];
    const on = (u: Uint8Array, origin: unknown) => origin !== "server" && updates.push(u);
    this.doc.on("update", on);
    this.doc.transact(() => fn(this.doc));
    this.doc.off("update", on);
    for (const u of updates) this.sendSync(SYNC_UPDATE, u);
  }

  close() {
    this.ws.close();
  }
}
