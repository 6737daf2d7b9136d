import * as Y from "yjs";
import type { Exhibition, TourStep } from "../exhibition";

/**
 * How an exhibition is laid out in a Y.Doc (see DESIGN.md). This file and its neighbours in
 * `src/collab/` are the only code that touches Y types.
 *
 * - `meta`: Y.Map of the header (`type`, `version`, `id`) and each `meta` field.
 * - `rooms`, `items`, `placements`, `annotations`, `lessonPlans`: Y.Map of record id -> plain JSON record, so
 *   edits to different records never conflict and an unchanged record keeps its identity.
 * - `tourOrder`: Y.Array of step ids; `tourSteps`: Y.Map of step id -> step. Reordering touches
 *   only the id list, so it never clobbers a concurrent edit of a step's text.
 *
 * Records are whole JSON values for now (last writer wins per record); character-level merging of
 * long texts (Y.Text per language) comes with the co-editing studio.
 */
export const RECORD_MAPS = ["rooms", "items", "placements", "annotations", "lessonPlans"] as const;

/** Top-level Y types that hold the exhibition itself (what undo and versions cover). */
export const DOCUMENT_TYPES = ["meta", ...RECORD_MAPS, "tourOrder", "tourSteps"] as const;

/**
 * Per-item comment threads live beside the document, not in it: they are never exported or
 * published, and commenters may write here and nowhere else (enforced by the sync server).
 */
export const COMMENTS_MAP = "comments";
type RecordMapName = (typeof RECORD_MAPS)[number];

const HEADER_KEYS = ["type", "version", "id"] as const;

function recordMap(ydoc: Y.Doc, name: RecordMapName): Y.Map<unknown> {
  return ydoc.getMap(name);
}

/** Writes a whole exhibition into an empty Y.Doc. */
export function writeExhibition(ydoc: Y.Doc, doc: Exhibition, origin?: unknown): void {
  ydoc.transact(() => {
    const meta = ydoc.getMap("meta");
    for (const k of HEADER_KEYS) meta.set(k, doc[k]);
    for (const [k, v] of Object.entries(doc.meta)) if (v !== undefined) meta.set(k, v);
    for (const name of RECORD_MAPS) {
      const map = recordMap(ydoc, name);
      for (const [id, rec] of Object.entries(doc[name])) map.set(id, rec);
    }
    const order = ydoc.getArray<string>("tourOrder");
    const steps = ydoc.getMap<TourStep>("tourSteps");
    for (const step of doc.tour) steps.set(step.id, step);
    order.push(doc.tour.map((s) => s.id));
  }, origin);
}

/**
 * Reads the plain document back. Unchanged records are the very objects stored in the Y.Maps, so
 * selectors can compare by identity. The result is trusted as an `Exhibition` because every
 * write goes through validated operations; documents arriving from the network are validated
 * by the sync layer before they are merged.
 */
export function readExhibition(ydoc: Y.Doc): Exhibition {
  const meta = ydoc.getMap("meta");
  const header: Record<string, unknown> = {};
  const metaFields: Record<string, unknown> = {};
  for (const [k, v] of meta.entries()) {
    if ((HEADER_KEYS as readonly string[]).includes(k)) header[k] = v;
    else metaFields[k] = v;
  }
  const out: Record<string, unknown> = { ...header, meta: metaFields };
  for (const name of RECORD_MAPS) out[name] = Object.fromEntries(recordMap(ydoc, name).entries());
  out.tour = readTour(ydoc);
  return out as Exhibition;
}

function readTour(ydoc: Y.Doc): TourStep[] {
  const steps = ydoc.getMap<TourStep>("tourSteps");
  const seen = new Set<string>();
  const tour: TourStep[] = [];
  // Two people reordering at once can leave an id twice in the list: the first occurrence wins.
  for (const id of ydoc.getArray<string>("tourOrder").toArray()) {
    const step = steps.get(id);
    if (step && !seen.has(id)) {
      seen.add(id);
      tour.push(step);
    }
  }
  // A step added while someone else rewrote the order is kept, at the end, rather than lost.
  for (const [id, step] of steps.entries()) if (!seen.has(id)) tour.push(step);
  return tour;
}

/**
 * Writes the difference between two versions of the document as one Yjs transaction: only the
 * records whose identity changed are set, removed ones deleted. Operations in
 * `src/shared/exhibition/operations.ts` keep unchanged records identical, so this stays small.
 */
export function writeDiff(ydoc: Y.Doc, before: Exhibition, after: Exhibition, origin?: unknown, same: (a: unknown, b: unknown) => boolean = Object.is): void {
  if (before === after) return;
  ydoc.transact(() => {
    const meta = ydoc.getMap("meta");
    if (before.meta !== after.meta) {
      const b = before.meta as Record<string, unknown>;
      const a = after.meta as Record<string, unknown>;
      for (const [k, v] of Object.entries(a)) if (!same(b[k], v)) v === undefined ? meta.delete(k) : meta.set(k, v);
      for (const k of Object.keys(b)) if (!(k in a)) meta.delete(k);
    }
    for (const name of RECORD_MAPS) {
      const b = before[name] as Record<string, unknown>;
      const a = after[name] as Record<string, unknown>;
      if (a === b) continue;
      const map = recordMap(ydoc, name);
      for (const [id, rec] of Object.entries(a)) if (!same(b[id], rec)) map.set(id, rec);
      for (const id of Object.keys(b)) if (!(id in a)) map.delete(id);
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
  const steps = ydoc.getMap<TourStep>("tourSteps");
  const order = ydoc.getArray<string>("tourOrder");
  const afterIds = after.map((s) => s.id);
  const beforeById = new Map(before.map((s) => [s.id, s]));
  for (const s of after) if (!same(beforeById.get(s.id), s)) steps.set(s.id, s);
  for (const s of before) if (!afterIds.includes(s.id)) steps.delete(s.id);
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
