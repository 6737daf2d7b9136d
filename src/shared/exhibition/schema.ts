import { z } from "zod";
import { captionsText } from "./captions";
import { langMap, languageTag, requiredLangMap } from "./lang";
import { LESSON_LIMITS, lessonPlan } from "./lesson-plans";
import { licenceId } from "./licences";
import { MAX_THEMES, themeTag } from "./themes";

/** The `type` every exhibition document carries in its header. */
export const EXHIBITION_TYPE = "atrium.exhibition";
/** The schema version this build writes. Older documents are migrated on load (see `migrate.ts`). */
export const EXHIBITION_VERSION = 3;

/** Record ids: short, URL-safe, stable. They become Y.Map keys and URL segments. */
export const recordId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be 1-64 letters, digits, '-' or '_'");

const finite = z.number().finite();
/** A 3D vector in metres, `[x, y, z]`, y up. */
export const vec3 = z.tuple([finite, finite, finite]);
export type Vec3 = z.infer<typeof vec3>;

/** `#rrggbb`, the only colour format the document stores (easy to diff and to edit). */
export const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #aabbcc");

/** A URL to an asset: absolute http(s), or a site path such as `/models/tea/bowl.glb`. */
export const assetUrl = z
  .string()
  .min(1)
  .refine((s) => /^https?:\/\//.test(s) || (s.startsWith("/") && !s.includes("..")), "must be an http(s) URL or a site path starting with '/' (no '..')");

export const museum = z.object({
  id: recordId,
  name: requiredLangMap,
  url: z.string().url().optional(),
  /** Where the institution is (city, country), the fourth part of its credit lines. */
  location: langMap.optional(),
});
export type Museum = z.infer<typeof museum>;

export const meta = z.object({
  title: requiredLangMap,
  intro: langMap.default({}),
  /** Languages the show is written in; the first is its default. */
  languages: z.array(languageTag).min(1, "needs at least one language"),
  owner: z.object({ kind: z.enum(["museum", "person"]), id: recordId }),
  /** Institutions whose items appear in this show. Items name one of these as `institution`. */
  museums: z.array(museum).default([]),
  published: z.boolean().default(false),
  cover: assetUrl.optional(),
  /** Theme tags the public gallery filters by (`themes.ts`); absent = none. Optional, so documents written before it are still version 2. */
  themes: z.array(themeTag).max(MAX_THEMES, `at most ${MAX_THEMES} themes`).optional(),
  /** Made for teaching a class (a teacher's lesson): the gallery lists it under the kind "class". */
  lesson: z.boolean().optional(),
});
export type ExhibitionMeta = z.infer<typeof meta>;

export const wallSide = z.enum(["north", "east", "south", "west"]);
export type WallSide = z.infer<typeof wallSide>;

export const door = z.object({
  /** Wall the doorway is cut into. North is -z, east +x, south +z, west -x. */
  wall: wallSide,
  /** Distance of the doorway's centre from the wall's centre, in metres, along the wall. */
  offset: finite.default(0),
  width: finite.min(0.8, "a doorway must be at least 0.8 m wide").max(6),
  /** Room this doorway leads to. */
  to: recordId,
});
export type Door = z.infer<typeof door>;

export const lightingPreset = z.enum(["gallery", "warm", "daylight", "dramatic"]);
export type LightingPreset = z.infer<typeof lightingPreset>;

export const room = z.object({
  name: requiredLangMap,
  order: z.number().int().default(0),
  /** Inner size in metres: width (x), depth (z), height (y). */
  size: z.object({
    w: finite.min(2).max(100),
    d: finite.min(2).max(100),
    h: finite.min(2.2).max(30),
  }),
  walls: z.object({ colour, material: z.enum(["paint", "plaster", "wood", "concrete"]).default("paint") }),
  floor: z.object({ colour, material: z.enum(["wood", "stone", "concrete", "carpet", "tatami"]).default("wood") }),
  lighting: lightingPreset.default("gallery"),
  doors: z.array(door).default([]),
  /**
   * Suggested floor spots (x, z) for plinths, from a template: the studio shows them as ghost
   * plinths and snaps dropped items onto the nearest free one.
   */
  spots: z.array(z.tuple([finite, finite])).optional(),
  /**
   * A 360° picture of the room from where visitors arrive, for devices that cannot draw it in 3D:
   * one JPEG of six square cube faces side by side (front, right, back, left, up, down; "front" is
   * the arrival direction), made when the show is published (`src/viewer/panorama.ts`).
   */
  panorama: assetUrl.optional(),
});
export type Room = z.infer<typeof room>;

/** Real-world size of an object in centimetres, as museums record it. 0 or absent = unknown. */
export const dimensions = z.object({
  height: finite.nonnegative().optional(),
  width: finite.nonnegative().optional(),
  depth: finite.nonnegative().optional(),
  diameter: finite.nonnegative().optional(),
  unit: z.literal("cm").default("cm"),
});
export type Dimensions = z.infer<typeof dimensions>;

/**
 * A model asset in quality tiers (after dpo-voyager's derivatives): `thumb` < 200 KB,
 * `low` for phones and distance, `high` for close inspection. At least one of low/high.
 */
export const modelAsset = z
  .object({
    kind: z.literal("model"),
    tiers: z.object({ thumb: assetUrl.optional(), low: assetUrl.optional(), high: assetUrl.optional() }),
    /** A picture of the model for lists and cards (an image, not a model). */
    poster: assetUrl.optional(),
    /** How many model units make a metre (glTF is metres, so usually 1). */
    unitsPerMeter: finite.positive().default(1),
  })
  .refine((a) => a.tiers.low !== undefined || a.tiers.high !== undefined, {
    message: "needs a 'low' or 'high' tier",
    path: ["tiers"],
  });
export type ModelAsset = z.infer<typeof modelAsset>;

/**
 * A flat image shown hung on a wall (a painting, print or photograph). Its real size comes from
 * the item's `dimensions` (width x height, cm); without them it is hung 60 cm wide.
 */
export const imageAsset = z.object({
  kind: z.literal("image"),
  src: assetUrl,
  /** A small version for lists and distant views. */
  thumb: assetUrl.optional(),
});
export type ImageAsset = z.infer<typeof imageAsset>;

/** How a performance plays when a visitor arrives (each visitor then controls their own playback). */
export const playback = z.object({
  /** Name of the clip to start with (default: the first). */
  clip: z.string().optional(),
  speed: finite.min(0.1).max(4).default(1),
  /** Seconds [from, to] to repeat; the whole clip when absent. */
  loop: z.tuple([finite.nonnegative(), finite.positive()]).optional(),
  autoplay: z.boolean().default(true),
});
export type Playback = z.infer<typeof playback>;

/**
 * A motion-capture performance played on a figure (a GLB holding the performer figure and its
 * clips as glTF animations, made by the mocap conversion). Shown at life size on a low stage.
 */
export const motionAsset = z.object({
  kind: z.literal("motion"),
  src: assetUrl,
  clips: z.array(z.object({ name: z.string().min(1).max(120), label: langMap.optional(), duration: finite.positive() })).min(1, "needs at least one clip"),
  /** Height of the figure at rest, in metres (the conversion measures it). */
  figureHeight: finite.positive(),
  /** Joint whose path the trail shows (a hand, usually). */
  trailJoint: z.string().max(120).optional(),
  /** The floor area the performer moves over (metres, in the recording's frame): staged centred on its stage. */
  floor: z.object({ centre: z.tuple([finite, finite]), size: z.tuple([finite.nonnegative(), finite.nonnegative()]) }).optional(),
  playback: playback.default({ speed: 1, autoplay: true }),
});
export type MotionAsset = z.infer<typeof motionAsset>;

/** What is shown for an item: a 3D model, a wall-hung image or a motion-capture performance. */
export const itemAsset = z.discriminatedUnion("kind", [modelAsset, imageAsset, motionAsset]);
export type ItemAsset = z.infer<typeof itemAsset>;

/** Licences for the three things a museum licenses separately (metadata, thumbnail, object). */
export const licences = z.object({ metadata: licenceId, thumbnail: licenceId, object: licenceId });
export type Licences = z.infer<typeof licences>;

/**
 * A catalogue snapshot of one item shown in the exhibition. The show keeps its own copy so a
 * published show is self-contained; `sourceId` links back to the catalogue record.
 */
export const item = z.object({
  title: requiredLangMap,
  description: langMap.default({}),
  maker: langMap.optional(),
  date: langMap.optional(),
  culture: langMap.optional(),
  material: langMap.optional(),
  dimensions: dimensions.optional(),
  /** Id of a museum in `meta.museums`. */
  institution: recordId,
  creditLine: requiredLangMap,
  licences,
  rightsHolder: z.string().optional(),
  /** Terms in words, required when any licence is `custom`. */
  rightsNote: z.string().optional(),
  sourceId: z.string().optional(),
  /** The museum's own number for the object (accession or inventory number), as it writes it. */
  accession: z.string().trim().min(1).max(60).optional(),
  sourceUrl: z.string().url().optional(),
  /** Set when the model is ours (e.g. generated), not the museum's own scan. */
  modelNote: langMap.optional(),
  /** For performances: where, when and how the movement was captured (the performer is `maker`). */
  capture: z
    .object({
      place: langMap.optional(),
      date: z.string().max(60).optional(),
      system: z.string().max(200).optional(),
      /** Frames a second of the recording. */
      fps: finite.positive().optional(),
      /** Whether hand and finger joints were captured. */
      hands: z.boolean().optional(),
    })
    .optional(),
  asset: itemAsset,
  /** Recorded audio guide for this item, per language (played from the artefact, spatially in VR). */
  audioGuide: z.record(languageTag, assetUrl).optional(),
  /** Captions of the audio guide per language (WebVTT text), shown on screen and on the VR panel, and as a transcript. */
  audioCaptions: z.record(languageTag, captionsText).optional(),
  /**
   * Museum (one of `meta.museums`) that locked this record: other museums' curators may place it
   * but not change or remove it. Enforced by the sync server.
   */
  lockedBy: recordId.optional(),
});
export type Item = z.infer<typeof item>;

export const plinth = z.object({
  height: finite.min(0.1).max(2),
  width: finite.min(0.1).max(4),
  depth: finite.min(0.1).max(4),
  colour: colour.default("#f2efe9"),
  /** A glass vitrine over the object. */
  vitrine: z.boolean().default(false),
});
export type Plinth = z.infer<typeof plinth>;

export const placement = z.object({
  room: recordId,
  item: recordId,
  /** Floor point (x, z) and base height (y) in room coordinates; for `plinth` mounts y is ignored. */
  position: vec3,
  /** Euler angles in radians (XYZ order). */
  rotation: vec3.default([0, 0, 0]),
  scale: finite.positive().max(100).default(1),
  mount: z.enum(["plinth", "floor", "wall"]).default("plinth"),
  plinth: plinth.optional(),
});
export type Placement = z.infer<typeof placement>;

export const annotation = z.object({
  item: recordId,
  /** Point on the model, in model space (metres, before placement transforms). */
  point: vec3,
  normal: vec3.optional(),
  text: requiredLangMap,
});
export type Annotation = z.infer<typeof annotation>;

/** A camera pose: where the eye is and what it looks at, in room coordinates. */
export const cameraPose = z.object({ position: vec3, target: vec3 });
export type CameraPose = z.infer<typeof cameraPose>;

export const tourStep = z.object({
  id: recordId,
  room: recordId,
  camera: cameraPose,
  text: requiredLangMap,
  /** Placement to highlight at this step. */
  focus: recordId.optional(),
  audio: z.record(languageTag, assetUrl).optional(),
  /** Captions of the step's recording per language (WebVTT text). */
  captions: z.record(languageTag, captionsText).optional(),
});
export type TourStep = z.infer<typeof tourStep>;

const idMap = <T extends z.ZodType>(value: T) => z.record(recordId, value);

/** The shape of an exhibition document before cross-reference checks. */
export const exhibitionShape = z.object({
  type: z.literal(EXHIBITION_TYPE),
  version: z.literal(EXHIBITION_VERSION),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be lower-case letters, digits and '-'"),
  meta,
  rooms: idMap(room).refine((r) => Object.keys(r).length > 0, "an exhibition needs at least one room"),
  items: idMap(item).default({}),
  placements: idMap(placement).default({}),
  annotations: idMap(annotation).default({}),
  tour: z.array(tourStep).default([]),
  /** Lesson plans for classes on this show (`lesson-plans.ts`); absent in documents written before them, still version 2. */
  lessonPlans: idMap(lessonPlan)
    .refine((m) => Object.keys(m).length <= LESSON_LIMITS.plans, `at most ${LESSON_LIMITS.plans} lesson plans`)
    .default({}),
});

/**
 * The exhibition document (schema version 2): the one source of truth that lives in a Y.Doc.
 * Maps are keyed by record id, like the Y.Maps they are stored in.
 */
export type Exhibition = z.infer<typeof exhibitionShape>;

/** Cross-reference checks: every id a record points at must exist. */
export const exhibition = exhibitionShape.superRefine((doc, ctx) => {
  const museumIds = new Set(doc.meta.museums.map((m) => m.id));
  for (const [id, r] of Object.entries(doc.rooms)) {
    r.doors.forEach((d, i) => {
      if (!doc.rooms[d.to]) ctx.addIssue({ code: "custom", path: ["rooms", id, "doors", i, "to"], message: `leads to room "${d.to}", which does not exist` });
      const along = d.wall === "north" || d.wall === "south" ? r.size.w : r.size.d;
      if (Math.abs(d.offset) + d.width / 2 > along / 2)
        ctx.addIssue({ code: "custom", path: ["rooms", id, "doors", i, "offset"], message: `doorway does not fit in the ${d.wall} wall (${along} m long)` });
    });
  }
  for (const [id, it] of Object.entries(doc.items)) {
    if (!museumIds.has(it.institution))
      ctx.addIssue({ code: "custom", path: ["items", id, "institution"], message: `names museum "${it.institution}", which is not listed in meta.museums` });
    if (it.lockedBy && !museumIds.has(it.lockedBy))
      ctx.addIssue({ code: "custom", path: ["items", id, "lockedBy"], message: `names museum "${it.lockedBy}", which is not listed in meta.museums` });
    const usesCustom = Object.values(it.licences).includes("custom");
    if (usesCustom && !it.rightsNote)
      ctx.addIssue({ code: "custom", path: ["items", id, "rightsNote"], message: "is required when a licence is \"custom\"" });
  }
  for (const [id, p] of Object.entries(doc.placements)) {
    if (!doc.rooms[p.room]) ctx.addIssue({ code: "custom", path: ["placements", id, "room"], message: `names room "${p.room}", which does not exist` });
    if (!doc.items[p.item]) ctx.addIssue({ code: "custom", path: ["placements", id, "item"], message: `names item "${p.item}", which does not exist` });
    if (p.mount === "plinth" && !p.plinth) ctx.addIssue({ code: "custom", path: ["placements", id, "plinth"], message: "is required when mount is \"plinth\"" });
  }
  for (const [id, a] of Object.entries(doc.annotations)) {
    if (!doc.items[a.item]) ctx.addIssue({ code: "custom", path: ["annotations", id, "item"], message: `names item "${a.item}", which does not exist` });
  }
  const stepIds = new Set<string>();
  doc.tour.forEach((s, i) => {
    if (stepIds.has(s.id)) ctx.addIssue({ code: "custom", path: ["tour", i, "id"], message: `repeats step id "${s.id}"` });
    stepIds.add(s.id);
    if (!doc.rooms[s.room]) ctx.addIssue({ code: "custom", path: ["tour", i, "room"], message: `names room "${s.room}", which does not exist` });
    if (s.focus && !doc.placements[s.focus]) ctx.addIssue({ code: "custom", path: ["tour", i, "focus"], message: `names placement "${s.focus}", which does not exist` });
  });
  for (const [id, plan] of Object.entries(doc.lessonPlans)) {
    plan.steps.forEach((s, i) => {
      if (s.tourStep !== undefined && !stepIds.has(s.tourStep))
        ctx.addIssue({ code: "custom", path: ["lessonPlans", id, "steps", i, "tourStep"], message: `names tour step "${s.tourStep}", which does not exist` });
    });
  }
});

/** Rooms sorted for display (by `order`, then id), as `[id, room]` pairs. */
export function roomsInOrder(doc: Pick<Exhibition, "rooms">): [string, Room][] {
  return Object.entries(doc.rooms).sort((a, b) => a[1].order - b[1].order || a[0].localeCompare(b[0]));
}
