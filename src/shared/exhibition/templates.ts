import { EXHIBITION_TYPE, EXHIBITION_VERSION, type Exhibition, type Museum, type Room } from "./schema";
import { parseExhibition } from "./validate";

/** The templates "New exhibition" offers. */
export const TEMPLATE_IDS = ["empty", "micro", "two-museum"] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export interface TemplateInput {
  id: string;
  title: Record<string, string>;
  intro?: Record<string, string>;
  languages: string[];
  owner: Exhibition["meta"]["owner"];
  /** The owner's museum, listed first; a personal show may have none. */
  museums: Museum[];
}

/** The micro-exhibition's three plinth spots; its north wall is kept free for images. */
export const MICRO_PLINTH_SPOTS: [number, number][] = [
  [-1.2, -0.8],
  [0, -1.5],
  [1.2, -0.8],
];

const room = (name: Record<string, string>, order: number, over: Partial<Room> = {}): Room => ({
  name,
  order,
  size: { w: 8, d: 8, h: 3.6 },
  walls: { colour: "#e4ded4", material: "paint" },
  floor: { colour: "#7a5a40", material: "wood" },
  lighting: "gallery",
  doors: [],
  ...over,
});

/**
 * A new exhibition from a template. "empty": one room. "micro": the micro-exhibition a teacher
 * starts from, one room with three empty plinths marked out on the floor plan and a wall kept
 * free for images. "two-museum": two connected rooms, one per partner museum.
 * The result is validated like any document.
 */
export function exhibitionFromTemplate(template: TemplateId, input: TemplateInput): Exhibition {
  const base = {
    type: EXHIBITION_TYPE,
    version: EXHIBITION_VERSION,
    id: input.id,
    meta: { title: input.title, intro: input.intro ?? {}, languages: input.languages, owner: input.owner, museums: input.museums, published: false },
    items: {},
    placements: {},
    annotations: {},
    tour: [],
  };
  let rooms: Record<string, Room>;
  switch (template) {
    case "empty":
      rooms = { main: room({ en: "Room 1", "zh-Hant": "第一展廳" }, 0) };
      break;
    case "micro":
      rooms = { main: room({ en: "Micro-exhibition", "zh-Hant": "微型展" }, 0, { size: { w: 7, d: 7, h: 3.4 }, walls: { colour: "#dfe3e1", material: "paint" }, lighting: "warm", spots: MICRO_PLINTH_SPOTS }) };
      break;
    case "two-museum":
      rooms = {
        "room-a": room({ en: "Room 1", "zh-Hant": "第一展廳" }, 0, { doors: [{ wall: "east", offset: 0, width: 1.6, to: "room-b" }] }),
        "room-b": room({ en: "Room 2", "zh-Hant": "第二展廳" }, 1, { walls: { colour: "#d8dde4", material: "plaster" }, doors: [{ wall: "west", offset: 0, width: 1.6, to: "room-a" }] }),
      };
      break;
  }
  const r = parseExhibition({ ...base, rooms }, `template ${template}`);
  if (!r.ok) throw r.error;
  return r.doc;
}

