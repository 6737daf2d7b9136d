/* eslint-disable @typescript-eslint/no-explicit-any -- Y.AbstractType is generic over its event type */
import * as Y from "yjs";

/**
 * What an update does, read from its structure without applying it (docs/ARCHITECTURE.md,
 * "Refusal rule"): every cost here is proportional to the update's own size (plus a logarithmic
 * lookup per reference into the document), never to the document. The sync server decides from
 * this alone whether to accept an update, so a refused update costs less than it took to send.
 */

/** Each top-level type an update writes, with each key it writes (null for arrays) and the values written (none for a deletion). */
export type Touched = Map<string, Map<string | null, unknown[]>>;

/** The result of reading an update: what it touches, or why it cannot be accepted at all. */
export type UpdateShape =
  | {
      ok: true;
      touched: Touched;
      /** It carries content the document does not have yet. */
      newContent: boolean;
      /** It deletes something the document has and has not deleted yet. */
      newDeletions: boolean;
    }
  | { ok: false; reason: string };

/** Content kinds Atrium writes: JSON values (ContentAny), and strings in arrays. */
const PLAIN_CONTENT = [Y.ContentAny, Y.ContentJSON, Y.ContentString, Y.ContentDeleted] as const;

/** The next clock the document expects from `client` (0 when it has nothing from it). */
export function stateOf(doc: Y.Doc, client: number): number {
  const structs = doc.store.clients.get(client);
  if (!structs || structs.length === 0) return 0;
  const last = structs[structs.length - 1]!;
  return last.id.clock + last.length;
}

/** The struct of `doc` holding (client, clock), or null: a binary search, never a scan. */
function storedStruct(doc: Y.Doc, client: number, clock: number): Y.AbstractStruct | null {
  const structs = doc.store.clients.get(client);
  if (!structs || structs.length === 0 || clock < structs[0]!.id.clock || clock >= stateOf(doc, client)) return null;
  return structs[Y.findIndexSS(structs, clock)] ?? null;
}

/**
 * The ranges a document has deleted, per client, merged and sorted: built once per document
 * change (`DeleteIndex.stale`), then each question is a binary search.
 */
export class DeleteIndex {
  private ranges: Map<number, { clock: number; len: number }[]> | null = null;

  constructor(private readonly doc: Y.Doc) {}

  /** The document changed: rebuild on the next question. */
  stale(): void {
    this.ranges = null;
  }

  /** Is [clock, clock + len) of `client` deleted already in the document? */
  covers(client: number, clock: number, len: number): boolean {
    this.ranges ??= Y.createDeleteSetFromStructStore(this.doc.store).clients as Map<number, { clock: number; len: number }[]>;
    const list = this.ranges.get(client);
    if (!list || list.length === 0) return false;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid]!.clock <= clock) lo = mid;
      else hi = mid - 1;
    }
    const r = list[lo]!;
    return r.clock <= clock && clock + len <= r.clock + r.len;
  }
}

const namesOf = new WeakMap<Y.Doc, Map<Y.AbstractType<any>, string>>();

/**
 * The name of a top-level type of `doc`. A document has a top-level type per co-written text, so
 * the reverse index is kept per document and rebuilt only when a type is missing from it (a new
 * text, or one Yjs replaced when it was first read as text): a message never costs a look over
 * every text of the show.
 */
function topLevelName(doc: Y.Doc, type: Y.AbstractType<any>): string | undefined {
  let names = namesOf.get(doc);
  const found = names?.get(type);
  if (found !== undefined) return found;
  names = new Map();
  for (const [name, t] of doc.share) names.set(t, name);
  namesOf.set(doc, names);
  return names.get(type);
}

/**
 * Reads an update against `doc`. `layout` names the top-level types the document may have; an
 * update that creates another one, nests types, embeds sub-documents, refers to content the
 * document does not have or leaves gaps is refused here (Atrium's clients never send such
 * updates; Yjs would keep them pending in memory). `deletes` answers "already deleted?" questions.
 */
export function readUpdate(doc: Y.Doc, update: Uint8Array, layout: { has(name: string): boolean }, deletes: DeleteIndex): UpdateShape {
  let decoded: { structs: (Y.Item | Y.GC | Y.Skip)[]; ds: { clients: Map<number, { clock: number; len: number }[]> } };
  try {
    decoded = Y.decodeUpdate(update) as typeof decoded;
  } catch {
    return { ok: false, reason: "unreadable update" };
  }
  const { structs, ds } = decoded;

  // The update's own structs, per client in clock order (Yjs encodes them so), for references within it.
  const byClient = new Map<number, Y.AbstractStruct[]>();
  for (const s of structs) {
    const list = byClient.get(s.id.client);
    if (list) list.push(s);
    else byClient.set(s.id.client, [s]);
  }
  const updateEnd = (client: number) => {
    const list = byClient.get(client);
    const last = list?.[list.length - 1];
    return last ? last.id.clock + last.length : 0;
  };
  const local = (client: number, clock: number): Y.AbstractStruct | null => {
    const list = byClient.get(client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (clock < s.id.clock) hi = mid - 1;
      else if (clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return null;
  };

  // No gaps: each client's first struct must continue what the document has.
  let newContent = false;
  for (const [client, list] of byClient) {
    const have = stateOf(doc, client);
    const first = list.find((s) => !(s instanceof Y.Skip));
    if (first && first.id.clock > have) return { ok: false, reason: "the update depends on changes the server has not received; reload to resync" };
    if (updateEnd(client) > have) newContent = true;
  }

  type Where = { map: string; key: string | null };
  /** Where a stored item lives: a key of a top-level type, or null for anything nested. */
  const storedWhere = (item: Y.Item): Where | null => {
    const parent = item.parent as Y.AbstractType<any> | null;
    if (!parent || parent._item !== null) return null;
    const map = topLevelName(doc, parent);
    return map ? { map, key: item.parentSub } : null;
  };
  const memo = new Map<Y.Item, Where | string>();
  /** Where a new item goes, or a refusal reason. Iterative over origin chains (no deep recursion). */
  const where = (start: Y.Item): Where | string => {
    const chain: Y.Item[] = [];
    let item: Y.Item = start;
    let found: Where | string | undefined;
    while (found === undefined) {
      const known = memo.get(item);
      if (known !== undefined) {
        found = known;
        break;
      }
      chain.push(item);
      const parent = item.parent as unknown;
      if (typeof parent === "string") {
        found = layout.has(parent) ? { map: parent, key: item.parentSub } : `"${parent.slice(0, 40)}" is not part of an exhibition document`;
        break;
      }
      if (parent !== null) {
        found = "nested shared types are not part of an exhibition document";
        break;
      }
      const ref = item.origin ?? item.rightOrigin;
      if (!ref) {
        found = "an item without a parent";
        break;
      }
      const near = local(ref.client, ref.clock);
      if (near instanceof Y.Item) {
        item = near;
        continue;
      }
      if (near) {
        found = "an item placed next to deleted content it cannot be placed by";
        break;
      }
      const stored = storedStruct(doc, ref.client, ref.clock);
      if (stored instanceof Y.Item) found = storedWhere(stored) ?? "nested shared types are not part of an exhibition document";
      // Top-level types keep their deleted items (as ContentDeleted), so a stored neighbour is an Item.
      else if (stored) found = "an item placed next to garbage-collected content";
      else found = "the update refers to content the server does not have; reload to resync";
    }
    for (const it of chain) memo.set(it, found);
    return found;
  };

  const touched: Touched = new Map();
  const note = (w: Where, values: unknown[]) => {
    let keys = touched.get(w.map);
    if (!keys) touched.set(w.map, (keys = new Map()));
    const list = keys.get(w.key);
    if (list) list.push(...values);
    else keys.set(w.key, [...values]);
  };

  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    if (s.id.clock + s.length <= stateOf(doc, s.id.client)) continue; // known already: Yjs skips it
    if (!PLAIN_CONTENT.some((kind) => s.content instanceof kind)) return { ok: false, reason: `content of kind ${s.content.constructor.name} is not part of an exhibition document` };
    if (s.parent !== null && typeof s.parent !== "string") return { ok: false, reason: "nested shared types are not part of an exhibition document" };
    const w = where(s);
    if (typeof w === "string") return { ok: false, reason: w };
    note(w, s.content instanceof Y.ContentDeleted ? [] : s.content.getContent());
  }

  let newDeletions = false;
  for (const [client, ranges] of ds.clients) {
    const have = stateOf(doc, client);
    const known = Math.max(have, updateEnd(client));
    for (const { clock, len } of ranges) {
      if (len <= 0) continue;
      if (clock + len > known) return { ok: false, reason: "the update deletes content the server does not have; reload to resync" };
      // Deletions inside the update itself: the key it wrote is touched (and ends deleted).
      // The update's structs of one client are contiguous, so each step lands on one.
      const own = byClient.get(client);
      for (let c = Math.max(clock, own?.[0]?.id.clock ?? Infinity); c < Math.min(clock + len, updateEnd(client)); ) {
        const s = local(client, c);
        if (!s) break;
        if (s instanceof Y.Item) {
          const w = where(s);
          if (typeof w !== "string") note(w, []);
        }
        c = s.id.clock + s.length;
      }
      // Deletions of stored content: only the part not deleted already costs a look.
      const end = Math.min(clock + len, have);
      if (clock >= end || deletes.covers(client, clock, end - clock)) continue;
      const mine = doc.store.clients.get(client)!;
      for (let i = Y.findIndexSS(mine, Math.max(clock, mine[0]!.id.clock)); i < mine.length && mine[i]!.id.clock < end; i++) {
        const s = mine[i]!;
        if (!(s instanceof Y.Item) || s.deleted) continue;
        const w = storedWhere(s);
        if (!w) return { ok: false, reason: "the update deletes nested content, which is not part of an exhibition document" };
        newDeletions = true;
        note(w, []);
      }
    }
  }
  return { ok: true, touched, newContent, newDeletions };
}
