import { footprintRadius, freeFloorPoint, plinthFor, stageFor, wallPose } from "./layout";
import { addItem, addMuseum, addPlacement, OperationError } from "./operations";
import type { Exhibition, Item, Museum, Placement } from "./schema";

/** What placing needs of a catalogue entry or a saved artefact: an id to name its item after, the item record, its museums. */
export interface PlaceableItem {
  /** The entry's id (a catalogue id, or `<show>/<item>` for an artefact saved from a show); the item's id is made from it. */
  id: string;
  item: Item;
  /** The item's institution, and the museum that locked it when that is another. */
  museums: readonly Museum[];
}

/** An item id made from `entryId` that is free in `doc`. */
export function freeItemId(entryId: string, doc: Exhibition): string {
  const base = entryId.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 56) || "item";
  let id = base;
  for (let i = 2; doc.items[id]; i++) id = `${base}-${i}`;
  return id;
}

/**
 * Places an item in a room as placement `pid` (docs/ARCHITECTURE.md, "Placing"): the one rule
 * the studio's catalogue and a show started from a collection folder share. The item record is
 * copied into the show once (a later placement of the same `sourceId` reuses it) and its museums
 * listed. Images hang on the wall nearest `at`; objects stand on a plinth sized for them (a
 * performance on a low stage) where {@link freeFloorPoint} finds room: dropped at `at`
 * (`"drop"`), or on the next free template spot or the free floor nearest `at` (`"next"`).
 * Never inside another object: a full room is refused with an {@link OperationError}.
 */
export function placeItem(doc: Exhibition, entry: PlaceableItem, roomId: string, pid: string, at: [number, number] = [0, 0], how: "drop" | "next" = "drop"): Exhibition {
  const room = doc.rooms[roomId];
  if (!room) throw new OperationError(`room "${roomId}" does not exist`);
  let next = doc;
  for (const m of entry.museums) next = addMuseum(next, m);
  let itemId = entry.item.sourceId !== undefined ? Object.entries(next.items).find(([, it]) => it.sourceId === entry.item.sourceId)?.[0] : undefined;
  if (!itemId) {
    itemId = freeItemId(entry.id, next);
    next = addItem(next, itemId, entry.item);
  }
  let placement: Placement;
  if (entry.item.asset.kind === "image") {
    const pose = wallPose(room, at[0], at[1]);
    placement = { room: roomId, item: itemId, position: pose.position, rotation: pose.rotation, scale: 1, mount: "wall" };
  } else {
    const plinth = entry.item.asset.kind === "motion" ? stageFor(entry.item.asset) : plinthFor(entry.item.dimensions);
    const inRoom = Object.values(next.placements).filter((p) => p.room === roomId);
    const spot = freeFloorPoint(room, inRoom, footprintRadius({ mount: "plinth", plinth }), at, how);
    if (!spot) throw new OperationError("this room has no free floor left: make it bigger, move something or use another room");
    placement = { room: roomId, item: itemId, position: [spot[0], 0, spot[1]], rotation: [0, 0, 0], scale: 1, mount: "plinth", plinth };
  }
  return addPlacement(next, pid, placement);
}

/** Floor metres an object needs in a room laid out for many (its plinth, the clearance, a visitor's way past). */
const FLOOR_PER_OBJECT = 2.2;
/** Space between two images hung side by side on a wall (m). */
const IMAGE_SPACING = 1.6;

/**
 * Lays out several items in one room, in their order (a show started from a collection folder):
 * the room grows (from its size up to 30 x 30 m) so that every object finds a plinth spot, and
 * images hang side by side along the north wall, then the south, west and east. Placement ids
 * come from `pid`. Refused, naming the count, when they cannot all fit.
 */
export function placeAll(doc: Exhibition, roomId: string, entries: readonly PlaceableItem[], pid: (index: number) => string): Exhibition {
  const room = doc.rooms[roomId];
  if (!room) throw new OperationError(`room "${roomId}" does not exist`);
  const objects = entries.filter((e) => e.item.asset.kind !== "image").length;
  const images = entries.length - objects;
  const side = Math.min(30, Math.max(room.size.w, room.size.d, Math.ceil(Math.sqrt(objects)) * FLOOR_PER_OBJECT + 2, Math.ceil(images / 4) * IMAGE_SPACING + 2));
  let next: Exhibition = { ...doc, rooms: { ...doc.rooms, [roomId]: { ...room, size: { ...room.size, w: side, d: side } } } };
  const hw = side / 2;
  const perWall = Math.max(1, Math.floor((side - 2) / IMAGE_SPACING) + 1);
  let image = 0;
  entries.forEach((entry, i) => {
    if (entry.item.asset.kind === "image") {
      const wall = Math.floor(image / perWall);
      if (wall > 3) throw new OperationError(`${images} images do not fit on the walls of one room`);
      const along = -hw + 1 + (image % perWall) * IMAGE_SPACING;
      const at: [number, number] = [[along, -hw + 0.1], [along, hw - 0.1], [-hw + 0.1, along], [hw - 0.1, along]][wall] as [number, number];
      image++;
      next = placeItem(next, entry, roomId, pid(i), at, "drop");
    } else {
      // From the middle of the room's far half outwards: the visitor arrives at the south wall.
      next = placeItem(next, entry, roomId, pid(i), [0, -hw / 3], "next");
    }
  });
  return next;
}
