import * as encoding from "lib0/encoding";

/**
 * Message types on `/sync/<doc>`. 0-3 are the y-websocket protocol, so the stock
 * WebsocketProvider works unmodified; Atrium's own messages are sent only to clients that ask
 * for them (`?ack=1`), since a stock client logs unknown types as errors.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/** Server -> client: the document's state vector after the client's update was written to storage. */
export const MESSAGE_SAVED = 100;
/** Server -> client: an update was refused; the payload says why (UTF-8 text). */
export const MESSAGE_REFUSED = 101;

/** y-protocols sync sub-types. */
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/**
 * WebSocket close codes Atrium uses. The stock y-websocket client (3.x) treats 4400-4499 as
 * final (it stops reconnecting: retrying cannot help) and 4500-4599 as "try again later".
 */
export const CLOSE = {
  /** Sent something other than a well-formed message. */
  MALFORMED: 4400,
  /** The connection's access ended (signed out of a draft, removed, unpublished, class over): final. */
  ACCESS_ENDED: 4401,
  /** A read-only connection tried to change the document: reconnecting would only repeat it. */
  READ_ONLY: 4403,
  /** A message larger than the limit. */
  TOO_LARGE: 4413,
  /** The document would grow past its size limit. */
  DOC_TOO_LARGE: 4414,
  /** Over the per-connection message rate: retry after the backoff. */
  RATE_LIMITED: 4529,
  /** The connection's rights changed (another role, signed out to a visitor): reconnect to get the new ones. */
  ACCESS_CHANGED: 4001,
} as const;

export function message(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}
