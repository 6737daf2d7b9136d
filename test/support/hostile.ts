import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import { MESSAGE_AWARENESS, MESSAGE_SYNC, SYNC_STEP1, SYNC_UPDATE } from "../../server/sync/messages";

/**
 * Messages a hostile client writes by hand: the y-websocket framing around payloads no honest
 * client sends.
 */

/** A Yjs (v1) update with no content, only a delete set: `[client, clock, len]` ranges. */
export function deleteOnlyUpdate(ranges: [number, number, number][]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // no structs
  const byClient = new Map<number, [number, number][]>();
  for (const [client, clock, len] of ranges) byClient.set(client, [...(byClient.get(client) ?? []), [clock, len]]);
  encoding.writeVarUint(e, byClient.size);
  for (const [client, list] of byClient) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, list.length);
    for (const [clock, len] of list) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, len);
    }
  }
  return encoding.toUint8Array(e);
}

/** A sync message (`step`: 0 state vector, 1 state, 2 update) around `payload`. */
export function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** "Send me the whole document": sync step 1 with an empty state vector. */
export const WHOLE_STATE_REQUEST = syncMessage(SYNC_STEP1, new Uint8Array([0]));

/** An update message around a delete-only update. */
export function deleteOnlyMessage(ranges: [number, number, number][]): Uint8Array {
  return syncMessage(SYNC_UPDATE, deleteOnlyUpdate(ranges));
}

/** A presence (awareness) message: entries of client id, clock and JSON state. */
export function awarenessMessage(entries: { id: number; clock: number; state: unknown }[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const { id, clock, state } of entries) {
    encoding.writeVarUint(inner, id);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, JSON.stringify(state));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

/** A bare socket to `url`: resolves once open, or rejects with the HTTP status that refused it. */
export function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => ok(ws));
    ws.once("unexpected-response", (_q, res) => fail(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", fail);
  });
}

/** Resolves with the close code once the socket closes (or with -1 when it has not within `ms`). */
export function closedWithin(ws: WebSocket, ms: number): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve(1006);
  return new Promise((ok) => {
    const t = setTimeout(() => ok(-1), ms);
    ws.once("close", (code) => {
      clearTimeout(t);
      ok(code);
    });
  });
}
