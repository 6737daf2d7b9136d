import * as Y from "yjs";
import { EXHIBITION_VERSION, type Exhibition, type TourStep } from "../exhibition";
import { sameJson } from "../exhibition/canonical-json";
import { CO_TEXT_FIELDS, coTextFields, coTextName, META_RECORD, parseCoTextName, textSplice, type CoTextAddress, type CoTextMap } from "./co-texts";

/**
 * How an exhibition is laid out in a Y.Doc (docs/ARCHITECTURE.md, "Document layout"). This file
 * and its neighbours in `src/collab/` are the only code that touches Y types.
 *
 * - `meta`: Y.Map of the header (`type`, `version`, `id`) and each `meta` field but its texts.
 * - `rooms`, `items`, `placements`, `annotations`, `lessonPlans`: Y.Map of record id -> plain JSON
 *   record without its prose, so edits to different records never conflict and an unchanged
 *   record keeps its identity.
 * - `tourOrder`: Y.Array of step ids; `tourSteps`: Y.Map of step id -> step. Reordering touches
 *   only the id list, so it never clobbers a concurrent edit of a step's text.
 * - Since version 3, prose (titles, descriptions, notes, step texts, room names) is one top-level
 *   Y.Text per field and language (`co-texts.ts`): two people typing in one label both keep their
 *   words. An empty text is a language without text.
 */
export const RECORD_MAPS = ["rooms", "items", "placements", "annotations", "lessonPlans"] as const;

/** Top-level Y types that hold the exhibition itself, besides its texts (what undo and versions cover). */
export const DOCUMENT_TYPES = ["meta", ...RECORD_MAPS, "tourOrder", "tourSteps"] as const;

/** The version of this layout, written in the header (`EXHIBITION_VERSION`; migrated by `migrateLayout`). */
export const LAYOUT_VERSION = EXHIBITION_VERSION;

/**
 * Per-item comment threads live beside the document, not in it: they are never exported or
 * published, and commenters may write here and nowhere else (enforced by the sync server).
 */
export const COMMENTS_MAP = "comments";
type RecordMapName = (typeof RECORD_MAPS)[number];
type Rec = Record<string, unknown>;

const HEADER_KEYS = ["type", "version", "id"] as const;

function recordMap(ydoc: Y.Doc, name: RecordMapName | "tourSteps"): Y.Map<unknown> {
  return ydoc.getMap(name);
}

/** A record without its co-written fields (the JSON kept in its map). */
export function withoutProse(map: string, rec: Rec): Rec {
  const fields = coTextFields(map);
  if (fields.length === 0 || !fields.some((f) => f in rec)) return rec;
  const out: Rec = {};
  for (const [k, v] of Object.entries(rec)) if (!fields.includes(k)) out[k] = v;
  return out;
}

/** Replaces one text's content with `value` by the smallest splice (nothing when equal). */
function writeText(ydoc: Y.Doc, name: string, value: string): void {
  const text = ydoc.getText(name);
  const splice = textSplice(text.toString(), value);
  if (!splice) return;
  if (splice.remove > 0) text.delete(splice.index, splice.remove);
  if (splice.insert) text.insert(splice.index, splice.insert);
}

/** Writes the prose of one record: each language that differs from `before`, by splices; dropped languages emptied. */
function writeProse(ydoc: Y.Doc, map: CoTextMap, id: string, before: Rec | undefined, after: Rec | undefined): void {
  for (const field of CO_TEXT_FIELDS[map]) {
    const b = (before?.[field] ?? {}) as Record<string, string>;
    const a = (after?.[field] ?? {}) as Record<string, string>;
    if (a === b) continue;
    for (const [lang, value] of Object.entries(a)) if (b[lang] !== value) writeText(ydoc, coTextName(map, id, field, lang), value);
    for (const lang of Object.keys(b)) if (!(lang in a)) writeText(ydoc, coTextName(map, id, field, lang), "");
  }
}

/** Writes a whole exhibition into an empty Y.Doc (in the current layout). */
export function writeExhibition(ydoc: Y.Doc, doc: Exhibition, origin?: unknown): void {
  ydoc.transact(() => {
    const meta = ydoc.getMap("meta");
    for (const k of HEADER_KEYS) meta.set(k, k === "version" ? LAYOUT_VERSION : doc[k]);
    const metaRec = doc.meta as Rec;
    for (const [k, v] of Object.entries(withoutProse("meta", metaRec))) if (v !== undefined) meta.set(k, v);
    writeProse(ydoc, "meta", META_RECORD, undefined, metaRec);
    for (const name of RECORD_MAPS) {
      const map = recordMap(ydoc, name);
      for (const [id, rec] of Object.entries(doc[name] as Record<string, Rec>)) {
        map.set(id, withoutProse(name, rec));
        if (name in CO_TEXT_FIELDS) writeProse(ydoc, name as CoTextMap, id, undefined, rec);
      }
    }
    const order = ydoc.getArray<string>("tourOrder");
    const steps = recordMap(ydoc, "tourSteps");
    for (const step of doc.tour) {
      steps.set(step.id, withoutProse("tourSteps", step));
      writeProse(ydoc, "tourSteps", step.id, undefined, step);
    }
    order.push(doc.tour.map((s) => s.id));
  }, origin);
}

/**
 * The texts of a Y.Doc, per record (`map:id`): field -> language -> text. Empty texts are left
 * out (a language without text).
 */
function readTexts(ydoc: Y.Doc, only?: ReadonlySet<string>): Map<string, Record<string, Record<string, string>>> {
  const out = new Map<string, Record<string, Record<string, string>>>();
  for (const name of ydoc.share.keys()) {
    const address = parseCoTextName(name);
    if (!address) continue;
    const key = `${address.map}:${address.id}`;
    if (only && !only.has(key)) continue;
    const value = ydoc.getText(name).toString();
    if (value === "") continue;
    let fields = out.get(key);
    if (!fields) out.set(key, (fields = {}));
    (fields[address.field] ??= {})[address.lang] = value;
  }
  return out;
}

/** A record with its texts put back (every co-written field present, `{}` when it has none). */
function withProse(map: CoTextMap, rec: Rec, texts: Record<string, Record<string, string>> | undefined): Rec {
  const out: Rec = { ...rec };
  for (const field of CO_TEXT_FIELDS[map]) out[field] = texts?.[field] ?? (rec[field] as Rec | undefined) ?? {};
  return out;
}

/**
 * Reads the plain document back. The result is trusted as an `Exhibition` because every write
 * goes through validated operations; documents arriving from the network are validated by the
 * sync layer before they are merged. For a page that reads after every keystroke, `DocumentReader`
 * keeps unchanged records identical.
 */
export function readExhibition(ydoc: Y.Doc): Exhibition {
  return assemble(ydoc, readTexts(ydoc), (map, id, rec, texts) => (map in CO_TEXT_FIELDS ? withProse(map as CoTextMap, rec, texts) : rec));
}

type Merge = (map: string, id: string, rec: Rec, texts: Record<string, Record<string, string>> | undefined) => Rec;

function assemble(ydoc: Y.Doc, texts: Map<string, Record<string, Record<string, string>>>, merge: Merge): Exhibition {
  const meta = ydoc.getMap("meta");
  const header: Rec = {};
  const metaFields: Rec = {};
  for (const [k, v] of meta.entries()) {
    if ((HEADER_KEYS as readonly string[]).includes(k)) header[k] = v;
    else metaFields[k] = v;
  }
  const out: Rec = { ...header, version: EXHIBITION_VERSION, meta: merge("meta", META_RECORD, metaFields, texts.get(`meta:${META_RECORD}`)) };
  for (const name of RECORD_MAPS) {
    const records: Rec = {};
    for (const [id, rec] of recordMap(ydoc, name).entries()) records[id] = merge(name, id, rec as Rec, texts.get(`${name}:${id}`));
    out[name] = records;
  }
  out.tour = readTour(ydoc, (id, step) => merge("tourSteps", id, step, texts.get(`tourSteps:${id}`)));
  return out as Exhibition;
}

/**
 * Reads a Y.Doc's exhibition again and again (a page's store), rebuilding only what changed: a
 * record whose JSON and texts did not change since the last read is the same object, so
 * selectors compare by identity and a keystroke in one label re-renders that label only.
 */
export class DocumentReader {
  /** Per record (`map:id`): field -> language -> text, for records that have any text. */
  private readonly texts = new Map<string, Record<string, Record<string, string>>>();
  /** Each text's record, by its type; and the names of each record's texts. */
  private readonly byType = new Map<object, CoTextAddress>();
  private readonly names = new Map<string, Set<string>>();
  private indexed = 0;
  /** Records whose texts changed since the last read (`map:id`). */
  private readonly dirtyTexts = new Set<string>();
  /** What changed since the last read: record ids per map, the header, the tour. */
  private readonly dirty = new Map<string, Set<string>>();
  private readonly stepDirty = new Set<string>();
  private metaDirty = true;
  private tourDirty = true;
  private last: Exhibition | null = null;
  private readonly onTransaction = (tr: Y.Transaction) => {
    if (this.ydoc.share.size !== this.indexed) this.index();
    for (const [type, keys] of tr.changed) {
      const text = this.byType.get(type);
      if (text) {
        this.textChanged(text);
        continue;
      }
      if (type._item !== null) continue;
      const name = this.mapNames.get(type);
      if (name === "meta") this.metaDirty = true;
      else if (name === "tourOrder") this.tourDirty = true;
      else if (name === "tourSteps") {
        this.tourDirty = true;
        for (const k of keys) if (k !== null) this.stepDirty.add(k);
      }
      else if (name) for (const k of keys) if (k !== null) this.idDirty(name, k);
    }
  };
  private readonly mapNames = new Map<object, string>();

  constructor(private readonly ydoc: Y.Doc) {
    for (const name of RECORD_MAPS) this.mapNames.set(recordMap(ydoc, name), name);
    this.mapNames.set(ydoc.getMap("meta"), "meta");
    this.mapNames.set(ydoc.getMap("tourSteps"), "tourSteps");
    this.mapNames.set(ydoc.getArray("tourOrder"), "tourOrder");
    this.index();
    ydoc.on("afterTransaction", this.onTransaction);
  }

  private idDirty(map: string, id: string): void {
    let set = this.dirty.get(map);
    if (!set) this.dirty.set(map, (set = new Set()));
    set.add(id);
  }

  private textChanged(a: CoTextAddress): void {
    this.dirtyTexts.add(`${a.map}:${a.id}`);
    if (a.map === "meta") this.metaDirty = true;
    else if (a.map === "tourSteps") {
      this.tourDirty = true;
      this.stepDirty.add(a.id);
    } else this.idDirty(a.map, a.id);
  }

  /** Takes in texts made since the last look (new top-level types: only when a text is first written). */
  private index(): void {
    this.indexed = this.ydoc.share.size;
    for (const name of [...this.ydoc.share.keys()]) {
      const address = parseCoTextName(name);
      if (!address) continue;
      const key = `${address.map}:${address.id}`;
      let set = this.names.get(key);
      if (!set) this.names.set(key, (set = new Set()));
      if (set.has(name)) continue;
      set.add(name);
      this.byType.set(this.ydoc.getText(name), address);
      this.textChanged(address);
    }
  }

  private textsOf(map: string, id: string): Record<string, Record<string, string>> | undefined {
    return this.texts.get(`${map}:${id}`);
  }

  private merge(map: string, id: string, rec: Rec): Rec {
    return map in CO_TEXT_FIELDS ? withProse(map as CoTextMap, rec, this.textsOf(map, id)) : rec;
  }

  /** The document now; what did not change since the last read is the same object as then. */
  read(): Exhibition {
    for (const key of this.dirtyTexts) {
      const fields: Record<string, Record<string, string>> = {};
      let any = false;
      for (const name of this.names.get(key) ?? []) {
        const text = this.ydoc.getText(name);
        const value = text.toString();
        if (value === "") continue;
        const address = this.byType.get(text)!;
        (fields[address.field] ??= {})[address.lang] = value;
        any = true;
      }
      if (any) this.texts.set(key, fields);
      else this.texts.delete(key);
    }
    this.dirtyTexts.clear();
    const last = this.last;
    if (!last) {
      this.dirty.clear();
      this.metaDirty = this.tourDirty = false;
      this.stepDirty.clear();
      return (this.last = assemble(this.ydoc, this.texts, (map, id, rec) => this.merge(map, id, rec)));
    }
    if (!this.metaDirty && !this.tourDirty && this.dirty.size === 0) return last;
    const out = { ...last } as Rec;
    if (this.metaDirty) {
      const meta = this.ydoc.getMap("meta");
      const fields: Rec = {};
      for (const [k, v] of meta.entries()) if (!(HEADER_KEYS as readonly string[]).includes(k)) fields[k] = v;
      out.meta = this.merge("meta", META_RECORD, fields);
      for (const k of HEADER_KEYS) if (k !== "version" && meta.has(k)) out[k] = meta.get(k);
    }
    for (const [map, ids] of this.dirty) {
      const records = { ...(last[map as RecordMapName] as Record<string, Rec>) };
      const ymap = recordMap(this.ydoc, map as RecordMapName);
      for (const id of ids) {
        const rec = ymap.get(id) as Rec | undefined;
        if (rec === undefined) delete records[id];
        else records[id] = this.merge(map, id, rec);
      }
      out[map] = records;
    }
    if (this.tourDirty) {
      const before = new Map(last.tour.map((s) => [s.id, s]));
      out.tour = readTour(this.ydoc, (id, step) => {
        // A step keeps its identity unless its record or its texts changed.
        const kept = this.stepDirty.has(id) ? undefined : (before.get(id) as Rec | undefined);
        return kept ?? this.merge("tourSteps", id, step);
      });
    }
    this.stepDirty.clear();
    this.dirty.clear();
    this.metaDirty = this.tourDirty = false;
    return (this.last = out as Exhibition);
  }

  destroy(): void {
    this.ydoc.off("afterTransaction", this.onTransaction);
  }
}

/** Same keys with identical values (the header's fields are gathered into a new object on every read). */
function shallowSame(a: Rec, b: Rec): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (!Object.is(a[k], b[k])) return false;
  return true;
}

function readTour(ydoc: Y.Doc, merge: (id: string, step: Rec) => Rec): TourStep[] {
  const steps = recordMap(ydoc, "tourSteps");
  const seen = new Set<string>();
  const tour: TourStep[] = [];
  // Two people reordering at once can leave an id twice in the list: the first occurrence wins.
  for (const id of ydoc.getArray<string>("tourOrder").toArray()) {
    const step = steps.get(id) as Rec | undefined;
    if (step && !seen.has(id)) {
      seen.add(id);
      tour.push(merge(id, step) as TourStep);
    }
  }
  // A step added while someone else rewrote the order is kept, at the end, rather than lost.
  for (const [id, step] of steps.entries()) if (!seen.has(id)) tour.push(merge(id, step as Rec) as TourStep);
  return tour;
}

/** Do two records differ outside their texts (by `same` per field)? */
function jsonChanged(map: string, before: Rec | undefined, after: Rec, same: (a: unknown, b: unknown) => boolean): boolean {
  if (!before) return true;
  const fields = coTextFields(map);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  // By value when not identical: an operation that validates a record (zod) returns fresh copies
  // of fields it did not change, with their keys in the schema's order (a record imported or
  // written elsewhere may hold another), and a keystroke must not rewrite the whole record.
  for (const k of keys) if (!fields.includes(k) && !same(before[k], after[k]) && !sameJson(before[k], after[k])) return true;
  return false;
}

/**
 * Writes the difference between two versions of the document as one Yjs transaction: only the
 * records whose JSON changed are set, removed ones deleted (and their texts emptied), and each
 * changed text by its smallest splice. Operations in `src/shared/exhibition/operations.ts` keep
 * unchanged records identical, so this stays small: a typed character is a one-character insert.
 */
export function writeDiff(ydoc: Y.Doc, before: Exhibition, after: Exhibition, origin?: unknown, same: (a: unknown, b: unknown) => boolean = Object.is): void {
  if (before === after) return;
  ydoc.transact(() => {
    const meta = ydoc.getMap("meta");
    if (before.meta !== after.meta) {
      const b = withoutProse("meta", before.meta as Rec);
      const a = withoutProse("meta", after.meta as Rec);
      for (const [k, v] of Object.entries(a)) if (!same(b[k], v)) v === undefined ? meta.delete(k) : meta.set(k, v);
      for (const k of Object.keys(b)) if (!(k in a)) meta.delete(k);
      writeProse(ydoc, "meta", META_RECORD, before.meta as Rec, after.meta as Rec);
    }
    for (const name of RECORD_MAPS) {
      const b = before[name] as Record<string, Rec>;
      const a = after[name] as Record<string, Rec>;
      if (a === b) continue;
      const map = recordMap(ydoc, name);
      const prose = name in CO_TEXT_FIELDS;
      for (const [id, rec] of Object.entries(a)) {
        if (same(b[id], rec)) continue;
        if (jsonChanged(name, b[id], rec, same)) map.set(id, withoutProse(name, rec));
        if (prose) writeProse(ydoc, name as CoTextMap, id, b[id], rec);
      }
      for (const id of Object.keys(b)) {
        if (id in a) continue;
        map.delete(id);
        if (prose) writeProse(ydoc, name as CoTextMap, id, b[id], undefined);
      }
    }
    if (before.tour !== after.tour) writeTourDiff(ydoc, before.tour, after.tour, same);
  }, origin);
}

/**
 * Makes the Y.Doc hold `target` (e.g. a named version being restored) as one forward edit: only
 * records that differ by value are written, so everyone's history stays and the restore can be
 * undone like any edit.
 */
export function restoreExhibition(ydoc: Y.Doc, target: Exhibition, origin?: unknown): void {
  const json = (v: unknown) => (v === undefined ? "" : JSON.stringify(v));
  writeDiff(ydoc, readExhibition(ydoc), target, origin, (a, b) => a === b || json(a) === json(b));
}

function writeTourDiff(ydoc: Y.Doc, before: TourStep[], after: TourStep[], same: (a: unknown, b: unknown) => boolean): void {
  const steps = recordMap(ydoc, "tourSteps");
  const order = ydoc.getArray<string>("tourOrder");
  const afterIds = after.map((s) => s.id);
  const beforeById = new Map(before.map((s) => [s.id, s]));
  for (const s of after) {
    const b = beforeById.get(s.id);
    if (same(b, s)) continue;
    if (jsonChanged("tourSteps", b, s, same)) steps.set(s.id, withoutProse("tourSteps", s));
    writeProse(ydoc, "tourSteps", s.id, b, s);
  }
  for (const s of before) {
    if (afterIds.includes(s.id)) continue;
    steps.delete(s.id);
    writeProse(ydoc, "tourSteps", s.id, s, undefined);
  }
  const beforeIds = before.map((s) => s.id);
  if (beforeIds.join("\u0000") === afterIds.join("\u0000")) return;
  // Rewrite only the ids that moved: delete those not at their new index, then insert in order.
  const current = order.toArray();
  for (let i = current.length - 1; i >= 0; i--) {
    if (!afterIds.includes(current[i]!)) order.delete(i, 1);
  }
  let list = order.toArray();
  for (let target = 0; target < afterIds.length; target++) {
    const id = afterIds[target]!;
    if (list[target] === id) continue;
    const at = list.indexOf(id);
    if (at >= 0) order.delete(at, 1);
    order.insert(target, [id]);
    list = order.toArray();
  }
}

/**
 * The one layout migration (version 2 -> 3): each record's prose moves out of its JSON into
 * Y.Texts, per language, and the header says version 3. Returns the update that does it, or
 * null when the document needs none (already version 3, or empty).
 *
 * The update is written by a client id derived from the document's name, over the document as
 * stored, in a fixed order: two server processes that load the same stored document at once
 * write the same update, which Yjs applies once (with random ids, each would insert every text
 * again). Pure: `ydoc` is read, not changed.
 */
export function layoutMigration(ydoc: Y.Doc, docName: string): Uint8Array | null {
  const version = ydoc.getMap("meta").get("version");
  if (!ydoc.getMap("meta").has("type") || (typeof version === "number" && version >= LAYOUT_VERSION)) return null;
  const work = new Y.Doc();
  work.clientID = migrationClientId(docName);
  Y.applyUpdate(work, Y.encodeStateAsUpdate(ydoc));
  const before = Y.encodeStateVector(work);
  work.transact(() => {
    const meta = work.getMap("meta");
    const metaRec: Rec = {};
    for (const field of CO_TEXT_FIELDS.meta) if (meta.has(field)) metaRec[field] = meta.get(field);
    writeProse(work, "meta", META_RECORD, undefined, sortedTexts(metaRec));
    for (const field of CO_TEXT_FIELDS.meta) if (meta.has(field)) meta.delete(field);
    for (const name of ["rooms", "items", "annotations", "tourSteps"] as const) {
      const map = recordMap(work, name);
      for (const id of [...map.keys()].sort()) {
        const rec = map.get(id) as Rec;
        if (typeof rec !== "object" || rec === null) continue;
        const stripped = withoutProse(name, rec);
        if (stripped === rec) continue;
        writeProse(work, name, id, undefined, sortedTexts(rec));
        map.set(id, stripped);
      }
    }
    meta.set("version", LAYOUT_VERSION);
  });
  const update = Y.encodeStateAsUpdate(work, before);
  work.destroy();
  return update;
}

/** A record's texts with their languages in a fixed order (the migration's writes must not depend on key order). */
function sortedTexts(rec: Rec): Rec {
  const out: Rec = { ...rec };
  for (const [k, v] of Object.entries(rec)) {
    if (typeof v === "object" && v !== null && !Array.isArray(v)) out[k] = Object.fromEntries(Object.entries(v as Rec).filter(([, s]) => typeof s === "string").sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return out;
}

/** The client id of document `name`'s layout migration (FNV-1a of the name and the version, within Yjs's 31-bit range). */
function migrationClientId(name: string): number {
  const key = `${name}#layout-${LAYOUT_VERSION}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return (h & 0x3fffffff) + 1;
}
