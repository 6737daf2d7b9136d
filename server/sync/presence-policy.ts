import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { presenceState } from "../../src/shared/collab/presence-schema";
import { canEdit, type Role } from "../../src/shared/exhibition/permissions";

/** Largest presence state relayed, in bytes of JSON (a real one is a few hundred). */
export const MAX_PRESENCE_STATE_BYTES = 2048;

/** Who sends a presence update, and which awareness client id they hold (0: none yet). */
export interface PresenceSender {
  role: Role;
  user: string | null;
  name: string | null;
  clientId: number;
}

/** What to do with one awareness message. */
export type PresenceVerdict =
  /** Relay this (possibly cleaned) update; `claim` is the client id it binds to the connection. */
  | { action: "relay"; update: Uint8Array; claim: number }
  /** Nothing to relay (a reader's empty state, or only entries that were dropped). */
  | { action: "drop"; why: string | null };

/**
 * Presence (Yjs awareness) as the server relays it (docs/ARCHITECTURE.md, "Presence"): only
 * signed-in people who may comment or edit share presence (readers' states are not relayed, so an
 * anonymous visitor cannot put anything in front of curators); each connection speaks for one
 * awareness client id, the first it uses, and no other connection's (`owner` says who holds an
 * id); a state must fit the presence schema, carry the sender's own account id and name, and
 * stay under 2 KB. The cleaned state is what is relayed, re-encoded.
 */
export function judgePresence(sender: PresenceSender, payload: Uint8Array, owner: (clientId: number) => { user: string | null } | null): PresenceVerdict {
  if (!sender.user || !(canEdit(sender.role) || sender.role === "commenter")) return { action: "drop", why: null };
  const d = decoding.createDecoder(payload);
  const count = decoding.readVarUint(d);
  if (count > 16) return { action: "drop", why: "too many presence entries" };
  const out: { id: number; clock: number; state: string }[] = [];
  let claim = sender.clientId;
  for (let i = 0; i < count; i++) {
    const id = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    const json = decoding.readVarString(d);
    if (claim === 0) {
      const held = owner(id);
      if (held && held.user !== sender.user) return { action: "drop", why: `awareness id ${id} belongs to another connection` };
      claim = id;
    }
    if (id !== claim) continue; // one id per connection: entries for others are dropped
    if (json.length > MAX_PRESENCE_STATE_BYTES) return { action: "drop", why: "presence state too large" };
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      return { action: "drop", why: "presence state is not JSON" };
    }
    if (state === null) {
      out.push({ id, clock, state: "null" });
      continue;
    }
    const r = presenceState.safeParse(state);
    if (!r.success) {
      // The stock client's first state is `{}` until the studio says who it is: nothing to show yet.
      if (state && typeof state === "object" && Object.keys(state).length === 0) continue;
      return { action: "drop", why: `presence: ${r.error.issues[0]!.path.join(".")}: ${r.error.issues[0]!.message}` };
    }
    if (r.data.user.id !== sender.user) return { action: "drop", why: "presence must carry the sender's own account" };
    if (sender.name !== null && r.data.user.name !== sender.name) return { action: "drop", why: "presence must carry the sender's own name" };
    out.push({ id, clock, state: JSON.stringify(r.data) });
  }
  if (out.length === 0) return { action: "drop", why: null };
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, out.length);
  for (const o of out) {
    encoding.writeVarUint(e, o.id);
    encoding.writeVarUint(e, o.clock);
    encoding.writeVarString(e, o.state);
  }
  return { action: "relay", update: encoding.toUint8Array(e), claim };
}
