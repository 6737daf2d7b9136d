/* eslint-disable @typescript-eslint/no-explicit-any -- Y.AbstractType is generic over its event type */
import * as Y from "yjs";
import { COMMENTS_MAP } from "../../src/collab/exhibition-ydoc";
import { comment } from "../../src/collab/comments";
import type { Role } from "./access";

/** Who sends an update, as the policy needs to know them. */
export interface Writer {
  role: Role;
  user: string | null;
  /** Museums the writer is a curator or admin of. */
  museums: readonly string[];
}

interface Locked {
  lockedBy?: string;
}

/** Does the document hold an item locked by a museum the writer does not belong to? */
function hasForeignLocks(doc: Y.Doc, writer: Writer): boolean {
  for (const rec of doc.getMap<Locked>("items").values()) if (rec?.lockedBy && !writer.museums.includes(rec.lockedBy)) return true;
  return false;
}

/** What an update does to one key of a top-level map: the values it writes (none for a deletion). */
export type Touched = Map<string, Map<string | null, unknown[]>>;

/**
 * The top-level maps and keys an update writes or deletes, read from the update's structure
 * without applying it: each new item's parent is named in the update or inherited from the item
 * it was inserted next to (found in the update or the document); each deletion is looked up in
 * the document. Returns null when it cannot tell (nested types, unknown references): callers then
 * fall back to `touchedByCopy`, which applies the update to a copy. Costs microseconds, where the copy
 * costs time in proportion to the document.
 */
export function touchedKeys(doc: Y.Doc, update: Uint8Array): Touched | null {
  const { structs, ds } = Y.decodeUpdate(update);
  const names = new Map<Y.AbstractType<any>, string>();
  for (const [name, type] of doc.share) names.set(type, name);
  const local = structs.filter((s): s is Y.Item => s instanceof Y.Item);
  const findLocal = (client: number, clock: number) => local.find((s) => s.id.client === client && s.id.clock <= clock && clock < s.id.clock + s.length);
  type Where = { map: string; key: string | null } | null;
  const stored = (item: Y.Item): Where => {
    const parent = item.parent as Y.AbstractType<any> | null;
    if (!parent || parent._item !== null) return null; // nested type: not part of our layout
    const map = names.get(parent);
    return map ? { map, key: item.parentSub } : null;
  };
  const memo = new Map<Y.Item, Where>();
  const where = (item: Y.Item, depth = 0): Where => {
    if (memo.has(item)) return memo.get(item)!;
    let w: Where = null;
    const parent = item.parent as unknown;
    if (typeof parent === "string") w = { map: parent, key: item.parentSub };
    else if (parent === null && depth < 10_000) {
      const ref = item.origin ?? item.rightOrigin;
      const near = ref ? findLocal(ref.client, ref.clock) : undefined;
      if (near) w = where(near, depth + 1);
      else if (ref) {
        try {
          const found = Y.getItem(doc.store, ref);
          w = found instanceof Y.Item ? stored(found) : null;
        } catch {
          w = null; // refers to something this document has not seen
        }
      }
    }
    memo.set(item, w);
    return w;
  };
  const out: Touched = new Map();
  const note = (w: NonNullable<Where>, values: unknown[]) => {
    const keys = out.get(w.map) ?? new Map<string | null, unknown[]>();
    keys.set(w.key, [...(keys.get(w.key) ?? []), ...values]);
    out.set(w.map, keys);
  };
  for (const item of local) {
    const w = where(item);
    if (!w) return null;
    note(w, item.content.getContent());
  }
  for (const [client, ranges] of ds.clients) {
    const mine = doc.store.clients.get(client) ?? [];
    for (const { clock, len } of ranges) {
      for (const item of local) if (item.id.client === client && item.id.clock < clock + len && clock < item.id.clock + item.length) note(where(item)!, []);
      if (mine.length === 0 || clock >= mine[mine.length - 1]!.id.clock + mine[mine.length - 1]!.length) continue;
      for (let i = Y.findIndexSS(mine, Math.max(clock, mine[0]!.id.clock)); i < mine.length && mine[i]!.id.clock < clock + len; i++) {
        const s = mine[i]!;
        if (!(s instanceof Y.Item)) continue; // already collected: nothing left to delete
        const w = stored(s);
        if (!w) return null;
        note(w, []);
      }
    }
  }
  return out;
}

/**
 * The same as `touchedKeys`, found by applying the update to a copy of the document: each changed
 * key with its value afterwards (none when deleted). Works for any update; costs time in
 * proportion to the document, so it is only the fallback.
 */
export function touchedByCopy(doc: Y.Doc, update: Uint8Array): Touched {
  const copy = new Y.Doc({ gc: false });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const changed = new Map<Y.AbstractType<any>, Set<string | null>>();
  copy.on("afterTransaction", (tr: Y.Transaction) => {
    for (const [type, keys] of tr.changed) {
      // Walk up to the top-level type: nested types report their own changes.
      let top: Y.AbstractType<any> = type;
      while (top._item !== null) top = top._item.parent as Y.AbstractType<any>;
      const set = changed.get(top) ?? new Set();
      for (const k of top === type ? keys : [null]) set.add(k);
      changed.set(top, set);
    }
  });
  Y.applyUpdate(copy, update);
  const names = new Map<Y.AbstractType<any>, string>();
  for (const [name, type] of copy.share) names.set(type, name);
  const out: Touched = new Map();
  for (const [type, keys] of changed) {
    const name = names.get(type) ?? "?";
    const values = new Map<string | null, unknown[]>();
    for (const key of keys) {
      const after = key === null ? undefined : copy.getMap(name).get(key);
      values.set(key, after === undefined ? [] : [after]);
    }
    out.set(name, values);
  }
  copy.destroy();
  return out;
}

/**
 * Decides whether the sync server accepts an update, by role. Owners may change anything.
 * Curators may change anything except the records of items another museum has locked (and
 * their annotations): placing and moving such items stays allowed. Commenters may only add or edit
 * their own comments. Viewers are handled by the caller (they may only echo what is there).
 * Returns null to accept, or the reason for refusing. Updates that need a closer look are tried on
 * a copy of the document, so a refused update never touches the room.
 */
export function refusalOf(doc: Y.Doc, writer: Writer, update: Uint8Array): string | null {
  if (writer.role === "owner") return null;
  if (writer.role === "curator" && !hasForeignLocks(doc, writer)) return null;
  if (writer.role !== "curator" && writer.role !== "commenter") return `read-only: a ${writer.role} cannot change this document`;
  // Reading the update's structure is enough for everything Atrium writes; the copy is the fallback.
  return refusalByKeys(doc, writer, touchedKeys(doc, update) ?? touchedByCopy(doc, update));
}

/** `refusalOf` from the keys an update touches and the values it writes (see `touchedKeys`). */
function refusalByKeys(doc: Y.Doc, writer: Writer, touched: Touched): string | null {
  if (writer.role === "commenter") {
    for (const [name, keys] of touched) {
      if (name !== COMMENTS_MAP) return `read-only: a commenter may only comment (this update changes "${name}")`;
      for (const [key, values] of keys) {
        if (key === null) return "malformed comment update";
        const before = doc.getMap(COMMENTS_MAP).get(key) as { author?: string } | undefined;
        if (before && before.author !== writer.user) return "a commenter may only change their own comments";
        for (const value of values) {
          const c = comment.safeParse(value);
          if (!c.success) return `comment ${key}: ${c.error.issues[0]!.path.join(".")}: ${c.error.issues[0]!.message}`;
          if (c.data.author !== writer.user) return "a comment must be signed by its author";
        }
      }
    }
    return null;
  }
  const items = doc.getMap<Locked>("items");
  const lockedItem = (id: string | undefined) => {
    const by = id ? items.get(id)?.lockedBy : undefined;
    return by && !writer.museums.includes(by) ? by : null;
  };
  for (const key of touched.get("items")?.keys() ?? []) {
    const by = key === null ? null : lockedItem(key);
    if (by) return `item "${key}" is locked by ${by}: only its curators may change or remove it`;
  }
  const annotations = doc.getMap<{ item?: string }>("annotations");
  for (const [key, values] of touched.get("annotations") ?? []) {
    if (key === null) continue;
    const before = annotations.get(key)?.item;
    const after = values.map((v) => (v as { item?: string } | null)?.item);
    const by = lockedItem(before) ?? after.map(lockedItem).find(Boolean) ?? null;
    if (by) return `the notes on item "${before ?? after[0]}" are locked by ${by}`;
  }
  return null;
}
