import {
  annotation as annotationSchema,
  item as itemSchema,
  meta as metaSchema,
  museum as museumSchema,
  placement as placementSchema,
  recordId,
  room as roomSchema,
  tourStep as tourStepSchema,
  vec3,
  type Annotation,
  type Exhibition,
  type Item,
  type Placement,
  type Room,
  type TourStep,
  type Vec3,
  type WallSide,
} from "./schema";
import { languageTag } from "./lang";
import { LESSON_LIMITS, lessonPlan as lessonPlanSchema, type LessonPlan } from "./lesson-plans";
import { normalizeTheme } from "./themes";
import type { z } from "zod";

/**
 * Pure operations on an exhibition document. Each returns a new document and leaves the input
 * untouched; records that did not change keep their identity, which is what lets the Yjs binding
 * (`src/collab/`) write only the records an operation touched. Each refuses, with an
 * `OperationError` naming the record and field, anything that would make the document invalid.
 */
export class OperationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OperationError";
  }
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.length ? `.${issue.path.join(".")}` : "";
    throw new OperationError(`${what}${field}: ${issue.message}`);
  }
  return r.data;
}

function requireId(id: string, what: string): void {
  check(recordId, id, `${what} id`);
}

function without<T>(map: Record<string, T>, id: string): Record<string, T> {
  const { [id]: _removed, ...rest } = map;
  return rest;
}

/** Adds a room. Its doors may only lead to rooms that exist. */
export function addRoom(doc: Exhibition, id: string, input: z.input<typeof roomSchema>): Exhibition {
  requireId(id, "room");
  if (doc.rooms[id]) throw new OperationError(`room "${id}" already exists`);
  const room = check(roomSchema, input, `rooms.${id}`);
  for (const d of room.doors) if (!doc.rooms[d.to] && d.to !== id) throw new OperationError(`rooms.${id}.doors: room "${d.to}" does not exist`);
  return { ...doc, rooms: { ...doc.rooms, [id]: room } };
}

/** Removes a room with what stands in it: its placements, doors leading to it and its tour steps. */
export function removeRoom(doc: Exhibition, id: string): Exhibition {
  if (!doc.rooms[id]) throw new OperationError(`room "${id}" does not exist`);
  if (Object.keys(doc.rooms).length === 1) throw new OperationError(`room "${id}" is the exhibition's last room`);
  const rooms: Record<string, Room> = {};
  for (const [rid, r] of Object.entries(doc.rooms)) {
    if (rid === id) continue;
    rooms[rid] = r.doors.some((d) => d.to === id) ? { ...r, doors: r.doors.filter((d) => d.to !== id) } : r;
  }
  let next: Exhibition = { ...doc, rooms };
  for (const [pid, p] of Object.entries(doc.placements)) if (p.room === id) next = removePlacement(next, pid);
  // One by one, so lesson plan steps that showed them are unlinked as when a step is removed by hand.
  for (const s of doc.tour) if (s.room === id) next = removeTourStep(next, s.id);
  return next;
}

/** Adds a catalogue item snapshot. Its institution must be one of the show's museums. */
export function addItem(doc: Exhibition, id: string, input: z.input<typeof itemSchema>): Exhibition {
  requireId(id, "item");
  if (doc.items[id]) throw new OperationError(`item "${id}" already exists`);
  const it = check(itemSchema, input, `items.${id}`);
  if (!doc.meta.museums.some((m) => m.id === it.institution))
    throw new OperationError(`items.${id}.institution: museum "${it.institution}" is not part of this exhibition`);
  return { ...doc, items: { ...doc.items, [id]: it } };
}

/** Places an item in a room. */
export function addPlacement(doc: Exhibition, id: string, input: z.input<typeof placementSchema>): Exhibition {
  requireId(id, "placement");
  if (doc.placements[id]) throw new OperationError(`placement "${id}" already exists`);
  const p = check(placementSchema, input, `placements.${id}`);
  if (!doc.rooms[p.room]) throw new OperationError(`placements.${id}.room: room "${p.room}" does not exist`);
  if (!doc.items[p.item]) throw new OperationError(`placements.${id}.item: item "${p.item}" does not exist`);
  if (p.mount === "plinth" && !p.plinth) throw new OperationError(`placements.${id}.plinth: is required when mount is "plinth"`);
  return { ...doc, placements: { ...doc.placements, [id]: p } };
}

/** The parts of a placement's transform that `movePlacement` changes. */
export interface PlacementTransform {
  position?: Vec3;
  rotation?: Vec3;
  scale?: number;
}

/** Moves, turns or scales a placement, optionally into another room. */
export function movePlacement(doc: Exhibition, id: string, change: PlacementTransform & { room?: string }): Exhibition {
  const current = doc.placements[id];
  if (!current) throw new OperationError(`placement "${id}" does not exist`);
  if (change.position) check(vec3, change.position, `placements.${id}.position`);
  if (change.rotation) check(vec3, change.rotation, `placements.${id}.rotation`);
  if (change.room !== undefined && !doc.rooms[change.room]) throw new OperationError(`placements.${id}.room: room "${change.room}" does not exist`);
  const next: Placement = check(placementSchema, { ...current, ...change }, `placements.${id}`);
  return { ...doc, placements: { ...doc.placements, [id]: next } };
}

/** Removes a placement; tour steps that focused on it keep their camera but lose the focus. */
export function removePlacement(doc: Exhibition, id: string): Exhibition {
  if (!doc.placements[id]) throw new OperationError(`placement "${id}" does not exist`);
  const touchesTour = doc.tour.some((s) => s.focus === id);
  return {
    ...doc,
    placements: without(doc.placements, id),
    tour: touchesTour ? doc.tour.map((s) => (s.focus === id ? dropFocus(s) : s)) : doc.tour,
  };
}

function dropFocus(step: TourStep): TourStep {
  const { focus: _focus, ...rest } = step;
  return rest;
}

/** Pins a note to a point on an item's model. */
export function addAnnotation(doc: Exhibition, id: string, input: z.input<typeof annotationSchema>): Exhibition {
  requireId(id, "annotation");
  if (doc.annotations[id]) throw new OperationError(`annotation "${id}" already exists`);
  const a: Annotation = check(annotationSchema, input, `annotations.${id}`);
  if (!doc.items[a.item]) throw new OperationError(`annotations.${id}.item: item "${a.item}" does not exist`);
  return { ...doc, annotations: { ...doc.annotations, [id]: a } };
}

/** Removes an annotation. */
export function removeAnnotation(doc: Exhibition, id: string): Exhibition {
  if (!doc.annotations[id]) throw new OperationError(`annotation "${id}" does not exist`);
  return { ...doc, annotations: without(doc.annotations, id) };
}

/** Which multilingual text `setText` writes. */
export type TextTarget =
  | { kind: "meta"; field: "title" | "intro" }
  | { kind: "room"; id: string }
  | { kind: "item"; id: string; field: "title" | "description" }
  | { kind: "annotation"; id: string }
  | { kind: "tour"; id: string };

/** Writes one language of one text (a label, a description, a tour step...). */
export function setText(doc: Exhibition, target: TextTarget, lang: string, text: string): Exhibition {
  check(languageTag, lang, "language");
  switch (target.kind) {
    case "meta":
      return { ...doc, meta: { ...doc.meta, [target.field]: { ...doc.meta[target.field], [lang]: text } } };
    case "room": {
      const r = doc.rooms[target.id];
      if (!r) throw new OperationError(`room "${target.id}" does not exist`);
      return { ...doc, rooms: { ...doc.rooms, [target.id]: { ...r, name: { ...r.name, [lang]: text } } } };
    }
    case "item": {
      const it: Item | undefined = doc.items[target.id];
      if (!it) throw new OperationError(`item "${target.id}" does not exist`);
      const next = { ...it, [target.field]: { ...it[target.field], [lang]: text } };
      return { ...doc, items: { ...doc.items, [target.id]: check(itemSchema, next, `items.${target.id}`) } };
    }
    case "annotation": {
      const a = doc.annotations[target.id];
      if (!a) throw new OperationError(`annotation "${target.id}" does not exist`);
      return { ...doc, annotations: { ...doc.annotations, [target.id]: { ...a, text: { ...a.text, [lang]: text } } } };
    }
    case "tour": {
      const i = doc.tour.findIndex((s) => s.id === target.id);
      if (i < 0) throw new OperationError(`tour step "${target.id}" does not exist`);
      const tour = doc.tour.slice();
      tour[i] = { ...tour[i]!, text: { ...tour[i]!.text, [lang]: text } };
      return { ...doc, tour };
    }
  }
}

/** Inserts a tour step at `index` (default: the end). */
export function addTourStep(doc: Exhibition, input: z.input<typeof tourStepSchema>, index = doc.tour.length): Exhibition {
  const step = check(tourStepSchema, input, "tour step");
  if (doc.tour.some((s) => s.id === step.id)) throw new OperationError(`tour step "${step.id}" already exists`);
  if (!doc.rooms[step.room]) throw new OperationError(`tour step "${step.id}".room: room "${step.room}" does not exist`);
  if (step.focus && !doc.placements[step.focus]) throw new OperationError(`tour step "${step.id}".focus: placement "${step.focus}" does not exist`);
  if (!Number.isInteger(index) || index < 0 || index > doc.tour.length) throw new OperationError(`tour index ${index} is outside 0..${doc.tour.length}`);
  const tour = doc.tour.slice();
  tour.splice(index, 0, step);
  return { ...doc, tour };
}

/** Removes a tour step; lesson plan steps that showed it keep their text and show no tour step. */
export function removeTourStep(doc: Exhibition, id: string): Exhibition {
  if (!doc.tour.some((s) => s.id === id)) throw new OperationError(`tour step "${id}" does not exist`);
  let lessonPlans = doc.lessonPlans;
  for (const [planId, plan] of Object.entries(doc.lessonPlans)) {
    if (!plan.steps.some((s) => s.tourStep === id)) continue;
    const steps = plan.steps.map((s) => (s.tourStep === id ? (({ tourStep: _gone, ...rest }) => rest)(s) : s));
    lessonPlans = { ...lessonPlans, [planId]: { ...plan, steps } };
  }
  return { ...doc, tour: doc.tour.filter((s) => s.id !== id), lessonPlans };
}

/**
 * Adds or replaces a lesson plan (`lesson-plans.ts`). Refused, naming the field, when it is
 * malformed, when a step names a tour step the show does not have, or past `LESSON_LIMITS.plans`.
 */
export function setLessonPlan(doc: Exhibition, id: string, input: z.input<typeof lessonPlanSchema>): Exhibition {
  requireId(id, "lesson plan");
  const plan: LessonPlan = check(lessonPlanSchema, input, `lessonPlans.${id}`);
  if (!doc.lessonPlans[id] && Object.keys(doc.lessonPlans).length >= LESSON_LIMITS.plans) throw new OperationError(`lessonPlans: at most ${LESSON_LIMITS.plans} lesson plans`);
  plan.steps.forEach((s, i) => {
    if (s.tourStep !== undefined && !doc.tour.some((t) => t.id === s.tourStep))
      throw new OperationError(`lessonPlans.${id}.steps.${i}.tourStep: tour step "${s.tourStep}" does not exist`);
  });
  return { ...doc, lessonPlans: { ...doc.lessonPlans, [id]: plan } };
}

/** Removes a lesson plan (classes that ran it keep their lesson sheets). */
export function removeLessonPlan(doc: Exhibition, id: string): Exhibition {
  if (!doc.lessonPlans[id]) throw new OperationError(`lesson plan "${id}" does not exist`);
  return { ...doc, lessonPlans: without(doc.lessonPlans, id) };
}

/** Moves a tour step to position `toIndex` (as in dragging it in a list). */
export function moveTourStep(doc: Exhibition, id: string, toIndex: number): Exhibition {
  const from = doc.tour.findIndex((s) => s.id === id);
  if (from < 0) throw new OperationError(`tour step "${id}" does not exist`);
  if (!Number.isInteger(toIndex) || toIndex < 0 || toIndex >= doc.tour.length)
    throw new OperationError(`tour index ${toIndex} is outside 0..${doc.tour.length - 1}`);
  if (from === toIndex) return doc;
  const tour = doc.tour.slice();
  const [step] = tour.splice(from, 1);
  tour.splice(toIndex, 0, step!);
  return { ...doc, tour };
}

/** Item fields an edit may change (institution and identity stay; the asset may be replaced). */
export type ItemPatch = Partial<Omit<Item, "institution">>;

/** Changes fields of an item record (lock, dimensions, licences, asset...). */
export function updateItem(doc: Exhibition, id: string, patch: ItemPatch): Exhibition {
  const it = doc.items[id];
  if (!it) throw new OperationError(`item "${id}" does not exist`);
  const merged: Record<string, unknown> = { ...it, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete merged[k];
  const next = check(itemSchema, merged, `items.${id}`);
  if (next.lockedBy && !doc.meta.museums.some((m) => m.id === next.lockedBy))
    throw new OperationError(`items.${id}.lockedBy: museum "${next.lockedBy}" is not part of this exhibition`);
  return { ...doc, items: { ...doc.items, [id]: next } };
}

/** Removes an item with its placements and annotations. */
export function removeItem(doc: Exhibition, id: string): Exhibition {
  if (!doc.items[id]) throw new OperationError(`item "${id}" does not exist`);
  let next: Exhibition = doc;
  for (const [pid, p] of Object.entries(doc.placements)) if (p.item === id) next = removePlacement(next, pid);
  const annotations = Object.fromEntries(Object.entries(next.annotations).filter(([, a]) => a.item !== id));
  return { ...next, items: without(next.items, id), annotations };
}

/** Changes a placement's mount or plinth (size, colour, vitrine). */
export function updatePlacement(doc: Exhibition, id: string, patch: Partial<Pick<Placement, "mount" | "plinth">>): Exhibition {
  const current = doc.placements[id];
  if (!current) throw new OperationError(`placement "${id}" does not exist`);
  const merged: Record<string, unknown> = { ...current, ...patch };
  if ("plinth" in patch && patch.plinth === undefined) delete merged.plinth;
  const next = check(placementSchema, merged, `placements.${id}`);
  if (next.mount === "plinth" && !next.plinth) throw new OperationError(`placements.${id}.plinth: is required when mount is "plinth"`);
  return { ...doc, placements: { ...doc.placements, [id]: next } };
}

/** Room fields an edit may change. Doors are changed with `addDoorway`/`removeDoorway`. */
export type RoomPatch = Partial<Pick<Room, "size" | "walls" | "floor" | "lighting" | "order" | "panorama">>;

/** Resizes a room, repaints its walls, changes its floor or light. Doorways must still fit. */
export function updateRoom(doc: Exhibition, id: string, patch: RoomPatch): Exhibition {
  const r = doc.rooms[id];
  if (!r) throw new OperationError(`room "${id}" does not exist`);
  const next = check(roomSchema, { ...r, ...patch }, `rooms.${id}`);
  next.doors.forEach((d, i) => {
    const along = d.wall === "north" || d.wall === "south" ? next.size.w : next.size.d;
    if (Math.abs(d.offset) + d.width / 2 > along / 2)
      throw new OperationError(`rooms.${id}.doors.${i}: the doorway to "${d.to}" would not fit in the ${d.wall} wall (${along} m long)`);
  });
  return { ...doc, rooms: { ...doc.rooms, [id]: next } };
}

const OPPOSITE = { north: "south", south: "north", east: "west", west: "east" } as const;

/**
 * Cuts a doorway between two rooms: in `from`'s `wall`, and in the opposite wall of `to`, so
 * the visitor can walk both ways.
 */
export function addDoorway(doc: Exhibition, from: string, to: string, wall: WallSide, offset = 0, width = 1.6): Exhibition {
  const a = doc.rooms[from];
  const b = doc.rooms[to];
  if (!a) throw new OperationError(`room "${from}" does not exist`);
  if (!b) throw new OperationError(`room "${to}" does not exist`);
  if (from === to) throw new OperationError(`a doorway must lead to another room`);
  if (a.doors.some((d) => d.to === to)) throw new OperationError(`rooms.${from}: already has a doorway to "${to}"`);
  const back = b.doors.some((d) => d.to === from) ? b.doors : [...b.doors, { wall: OPPOSITE[wall], offset: 0, width, to: from }];
  const next = { ...doc, rooms: { ...doc.rooms, [from]: { ...a, doors: [...a.doors, { wall, offset, width, to }] }, [to]: { ...b, doors: back } } };
  // updateRoom re-checks that both doorways fit their walls.
  return updateRoom(updateRoom(next, from, {}), to, {});
}

/** Removes the doorways between two rooms (both directions). */
export function removeDoorway(doc: Exhibition, a: string, b: string): Exhibition {
  const ra = doc.rooms[a];
  const rb = doc.rooms[b];
  if (!ra || !rb) throw new OperationError(`room "${ra ? b : a}" does not exist`);
  return {
    ...doc,
    rooms: { ...doc.rooms, [a]: { ...ra, doors: ra.doors.filter((d) => d.to !== b) }, [b]: { ...rb, doors: rb.doors.filter((d) => d.to !== a) } },
  };
}

/** Changes a tour step's camera, room, focus or audio. */
export function updateTourStep(doc: Exhibition, id: string, patch: Partial<Omit<TourStep, "id" | "text">>): Exhibition {
  const i = doc.tour.findIndex((s) => s.id === id);
  if (i < 0) throw new OperationError(`tour step "${id}" does not exist`);
  const merged: Record<string, unknown> = { ...doc.tour[i]!, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete merged[k];
  const step = check(tourStepSchema, merged, `tour step "${id}"`);
  if (!doc.rooms[step.room]) throw new OperationError(`tour step "${id}".room: room "${step.room}" does not exist`);
  if (step.focus && !doc.placements[step.focus]) throw new OperationError(`tour step "${id}".focus: placement "${step.focus}" does not exist`);
  const tour = doc.tour.slice();
  tour[i] = step;
  return { ...doc, tour };
}

/** Adds a language the show is written in (a new tab in the text editors). */
export function addLanguage(doc: Exhibition, lang: string): Exhibition {
  check(languageTag, lang, "language");
  if (doc.meta.languages.includes(lang)) return doc;
  return { ...doc, meta: { ...doc.meta, languages: [...doc.meta.languages, lang] } };
}

/** Lists a museum among the show's institutions (needed before its items can be added). */
export function addMuseum(doc: Exhibition, input: z.input<typeof museumSchema>): Exhibition {
  const m = check(museumSchema, input, "museum");
  if (doc.meta.museums.some((x) => x.id === m.id)) return doc;
  return { ...doc, meta: { ...doc.meta, museums: [...doc.meta.museums, m] } };
}

/**
 * Sets the show's theme tags: each folded (`normalizeTheme`), empty ones dropped, each once in
 * the order given. More than `MAX_THEMES`, or a theme with other characters, is refused by name.
 */
export function setThemes(doc: Exhibition, themes: readonly string[]): Exhibition {
  const folded = [...new Set(themes.map(normalizeTheme).filter(Boolean))];
  const checked = check(metaSchema.shape.themes, folded, "meta.themes");
  const before = doc.meta.themes ?? [];
  if (before.length === folded.length && before.every((t, i) => t === folded[i])) return doc;
  const { themes: _old, ...meta } = doc.meta;
  return { ...doc, meta: checked && checked.length > 0 ? { ...meta, themes: checked } : meta };
}

/** Marks the show as made for teaching a class (the gallery's kind "class"), or not. */
export function setLesson(doc: Exhibition, lesson: boolean): Exhibition {
  if ((doc.meta.lesson ?? false) === lesson) return doc;
  const { lesson: _old, ...meta } = doc.meta;
  return { ...doc, meta: lesson ? { ...meta, lesson: true } : meta };
}

/** Publishes or unpublishes the show (the server does, for an owner, once the licences allow it). */
export function setPublication(doc: Exhibition, published: boolean): Exhibition {
  if (doc.meta.published === published) return doc;
  return { ...doc, meta: { ...doc.meta, published } };
}
