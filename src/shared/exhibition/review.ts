import { sameJson } from "./canonical-json";
import type { LangMap } from "./lang";
import type { Exhibition, Placement } from "./schema";

/**
 * Review mode: what changed in a show since a named version, as plain data, so that a museum can
 * look over a co-curator's work before publishing. Pure: the studio adds who made each change
 * (from the document's history, `src/shared/collab/attribution.ts`).
 */

/** An object placed, taken out or moved (turned, scaled, put in another room or on another mount). */
export interface PlacementChange {
  kind: "added" | "removed" | "moved";
  placement: string;
  item: string;
  /** The room it is in now (removed: the room it was in). */
  room: string;
  /** Moved: what about it changed. */
  fields?: ("position" | "rotation" | "scale" | "room" | "mount" | "plinth")[];
}

/** One language of one prose field that reads differently now. */
export interface TextChange {
  kind: "text";
  map: "meta" | "rooms" | "items" | "annotations" | "tourSteps";
  /** The record (the header's is `show`). */
  id: string;
  field: string;
  lang: string;
  before: string;
  after: string;
}

/** A record other than a placement added, removed or changed (rooms, rights and locks, notes, tour steps). */
export interface RecordChange {
  kind: "record";
  map: "rooms" | "items" | "annotations" | "tourSteps" | "lessonPlans";
  id: string;
  change: "added" | "removed" | "changed";
}

export type ReviewChange = PlacementChange | TextChange | RecordChange;

const TRANSFORM_FIELDS = ["position", "rotation", "scale", "room", "mount", "plinth"] as const;
const same = sameJson;

/** Every language of a text in either version, each once, in a stable order. */
function textChanges(map: TextChange["map"], id: string, field: string, before: LangMap | undefined, after: LangMap | undefined): TextChange[] {
  const langs = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  const out: TextChange[] = [];
  for (const lang of langs) {
    const b = before?.[lang] ?? "";
    const a = after?.[lang] ?? "";
    if (a !== b) out.push({ kind: "text", map, id, field, lang, before: b, after: a });
  }
  return out;
}

/** A record without its prose (compared separately, language by language). */
function withoutFields<T extends object>(record: T | undefined, fields: readonly string[]): unknown {
  if (!record) return undefined;
  const copy = { ...record } as Record<string, unknown>;
  for (const f of fields) delete copy[f];
  return copy;
}

/**
 * The changes from `version` to `current`: placements added, removed and moved; every prose text
 * that reads differently (per language; a record added or removed brings its texts too); and the
 * other records added, removed or changed. In document order: placements, texts, then records.
 */
export function changesSince(version: Exhibition, current: Exhibition): ReviewChange[] {
  const out: ReviewChange[] = [];
  const placementIds = [...new Set([...Object.keys(version.placements), ...Object.keys(current.placements)])].sort();
  for (const id of placementIds) {
    const was: Placement | undefined = version.placements[id];
    const now: Placement | undefined = current.placements[id];
    if (!was && now) out.push({ kind: "added", placement: id, item: now.item, room: now.room });
    else if (was && !now) out.push({ kind: "removed", placement: id, item: was.item, room: was.room });
    else if (was && now) {
      const fields = TRANSFORM_FIELDS.filter((f) => !same(was[f], now[f]));
      if (fields.length > 0) out.push({ kind: "moved", placement: id, item: now.item, room: now.room, fields });
    }
  }

  out.push(...textChanges("meta", "show", "title", version.meta.title, current.meta.title));
  out.push(...textChanges("meta", "show", "intro", version.meta.intro, current.meta.intro));
  const keyed = [
    ["rooms", ["name"]],
    ["items", ["title", "description"]],
    ["annotations", ["text"]],
  ] as const;
  for (const [map, fields] of keyed) {
    const was = version[map] as Record<string, Record<string, unknown>>;
    const now = current[map] as Record<string, Record<string, unknown>>;
    for (const id of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort())
      for (const field of fields) out.push(...textChanges(map, id, field, was[id]?.[field] as LangMap | undefined, now[id]?.[field] as LangMap | undefined));
  }
  const stepsWas = new Map(version.tour.map((s) => [s.id, s]));
  const stepsNow = new Map(current.tour.map((s) => [s.id, s]));
  for (const id of [...new Set([...stepsWas.keys(), ...stepsNow.keys()])].sort()) out.push(...textChanges("tourSteps", id, "text", stepsWas.get(id)?.text, stepsNow.get(id)?.text));

  const records: [RecordChange["map"], Record<string, object>, Record<string, object>, readonly string[]][] = [
    ["rooms", version.rooms, current.rooms, ["name"]],
    ["items", version.items, current.items, ["title", "description"]],
    ["annotations", version.annotations, current.annotations, ["text"]],
    ["tourSteps", Object.fromEntries(stepsWas), Object.fromEntries(stepsNow), ["text"]],
    ["lessonPlans", version.lessonPlans ?? {}, current.lessonPlans ?? {}, []],
  ];
  for (const [map, was, now, prose] of records) {
    for (const id of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
      if (!was[id]) out.push({ kind: "record", map, id, change: "added" });
      else if (!now[id]) out.push({ kind: "record", map, id, change: "removed" });
      else if (!same(withoutFields(was[id], prose), withoutFields(now[id], prose))) out.push({ kind: "record", map, id, change: "changed" });
    }
  }
  return out;
}
