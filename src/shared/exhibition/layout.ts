import type { Door, MotionAsset, Placement, Plinth, Room, Vec3, WallSide } from "./schema";

/**
 * Where things go in a room, as pure geometry (no document changes): the plinth or stage that
 * suits an object, the pose that hangs an image on the nearest wall, the studio's grid. The
 * studio's commands use it; so can an import or a template, and the server.
 */

const GRID = 0.25;
const WALL_GAP = 0.06;
const IMAGE_CENTRE_HEIGHT = 1.55;

/** The low stage a performer figure stands on: wide enough for a dancer's reach. */
export const STAGE: Plinth = { height: 0.1, width: 2.4, depth: 2.4, colour: "#4a4038", vitrine: false };

/** A stage big enough for the floor a performance covers, plus a margin for arms and legs. */
export function stageFor(asset: MotionAsset): Plinth {
  const [w, d] = asset.floor?.size ?? [0, 0];
  const side = (v: number) => Math.round(Math.min(4, Math.max(STAGE.width, v + 1.2)) * 100) / 100;
  return { ...STAGE, width: side(w), depth: side(d) };
}

/** A plinth that suits an object of the given size (cm): wider than the object, at a comfortable height. */
export function plinthFor(dimensions: { width?: number; depth?: number; diameter?: number; height?: number } | undefined): Plinth {
  const w = (dimensions?.width || dimensions?.diameter || 25) / 100;
  const d = (dimensions?.depth || dimensions?.diameter || w * 100) / 100;
  const h = (dimensions?.height || 25) / 100;
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return {
    height: h > 0.8 ? 0.3 : h > 0.4 ? 0.7 : 1.0,
    width: Math.round(clamp(w + 0.25, 0.4, 2) * 100) / 100,
    depth: Math.round(clamp(d + 0.25, 0.4, 2) * 100) / 100,
    colour: "#f2efe9",
    vitrine: h <= 0.6,
  };
}

/** The nearest wall to a floor point, and the pose that hangs an image flat on it, facing in. */
export function wallPose(room: Room, x: number, z: number): { wall: WallSide; position: Vec3; rotation: Vec3 } {
  const hw = room.size.w / 2;
  const hd = room.size.d / 2;
  const gaps: [WallSide, number][] = [
    ["north", z + hd],
    ["south", hd - z],
    ["west", x + hw],
    ["east", hw - x],
  ];
  gaps.sort((a, b) => a[1] - b[1]);
  const wall = gaps[0]![0];
  const along = (v: number, half: number) => Math.max(-half + 0.5, Math.min(half - 0.5, v));
  switch (wall) {
    case "north":
      return { wall, position: [along(x, hw), IMAGE_CENTRE_HEIGHT, -hd + WALL_GAP], rotation: [0, 0, 0] };
    case "south":
      return { wall, position: [along(x, hw), IMAGE_CENTRE_HEIGHT, hd - WALL_GAP], rotation: [0, Math.PI, 0] };
    case "west":
      return { wall, position: [-hw + WALL_GAP, IMAGE_CENTRE_HEIGHT, along(z, hd)], rotation: [0, Math.PI / 2, 0] };
    case "east":
      return { wall, position: [hw - WALL_GAP, IMAGE_CENTRE_HEIGHT, along(z, hd)], rotation: [0, -Math.PI / 2, 0] };
  }
}

/** A floor coordinate on the studio's 25 cm grid. */
export const snap = (v: number) => Math.round(v / GRID) * GRID;
/** A floor coordinate kept 30 cm inside a wall `half` metres from the centre. */
export const keepInside = (v: number, half: number) => Math.max(-half + 0.3, Math.min(half - 0.3, v));

/** Space kept between two objects' footprints, and between a footprint and a wall (m). */
const CLEARANCE = 0.3;
/** Depth of the floor kept clear in front of a doorway, so that nobody has to squeeze past a plinth (m). */
const DOORWAY_CLEAR = 1.2;
/** A drop this close to a free template spot lands on the spot (m). */
const SPOT_REACH = 1.2;

/** The radius of the floor an object takes (m): its plinth's half-diagonal, 40 cm without one; none on a wall. */
export function footprintRadius(p: Pick<Placement, "mount" | "plinth">): number {
  if (p.mount === "wall") return 0;
  return p.plinth ? Math.hypot(p.plinth.width, p.plinth.depth) / 2 : 0.4;
}

/**
 * Where a new object with a footprint of radius `radius` goes in a room without overlapping any
 * object already there, leaving doorways clear and standing off the walls. The one rule for
 * where things go when placed, so a teacher's third object never lands inside the second.
 *
 * - `how: "drop"` (dropped at `at`): a free template spot within 1.2 m of `at`, else `at` itself
 *   if it is free, else the free point of the 25 cm grid nearest `at`.
 * - `how: "next"` (the Place button): the room's first free template spot in the template's
 *   order, else the free grid point nearest `at` (the floor in front of the camera).
 *
 * Returns null when no free floor is left in the room.
 */
export function freeFloorPoint(room: Room, others: Pick<Placement, "position" | "mount" | "plinth">[], radius: number, at: [number, number], how: "drop" | "next"): [number, number] | null {
  const hw = room.size.w / 2;
  const hd = room.size.d / 2;
  const free = floorTest(room, others, radius);
  const spots = (room.spots ?? []).filter(([x, z]) => free(x, z));
  if (how === "next" && spots.length > 0) return spots[0]!;
  if (how === "drop") {
    let best: [number, number] | null = null;
    let bestD = SPOT_REACH;
    for (const s of spots) {
      const d = Math.hypot(s[0] - at[0], s[1] - at[1]);
      if (d < bestD) [best, bestD] = [s, d];
    }
    if (best) return best;
    if (free(at[0], at[1])) return at;
  }
  let best: [number, number] | null = null;
  let bestD = Infinity;
  for (let x = -Math.floor(hw / GRID) * GRID; x <= hw; x += GRID) {
    for (let z = -Math.floor(hd / GRID) * GRID; z <= hd; z += GRID) {
      const d = Math.hypot(x - at[0], z - at[1]);
      if (d < bestD && free(x, z)) [best, bestD] = [[x, z], d];
    }
  }
  return best;
}

/** A test of whether an object of footprint `radius` fits at a floor point: clear of the walls, the other objects and the doorways. */
function floorTest(room: Room, others: Pick<Placement, "position" | "mount" | "plinth">[], radius: number): (x: number, z: number) => boolean {
  const hw = room.size.w / 2;
  const hd = room.size.d / 2;
  const onFloor = others.filter((o) => o.mount !== "wall");
  const ways = doorways(room).map((w) => ({ x: w.center[0], z: w.center[1], half: w.door.width / 2 }));
  const wallGap = Math.max(CLEARANCE, radius);
  return (x, z) => {
    if (Math.abs(x) > hw - wallGap + 1e-9 || Math.abs(z) > hd - wallGap + 1e-9) return false;
    for (const o of onFloor) if (Math.hypot(o.position[0] - x, o.position[2] - z) < radius + footprintRadius(o) + CLEARANCE - 1e-9) return false;
    for (const d of ways) if (Math.hypot(x - d.x, z - d.z) < DOORWAY_CLEAR + d.half + radius) return false;
    return true;
  };
}

/** The footprint of the smallest plinth Atrium gives an object (40 cm square). */
const SMALLEST_FOOTPRINT = Math.hypot(0.4, 0.4) / 2;

/**
 * The room's template spots where an object still fits (by {@link freeFloorPoint}'s rule, for
 * the smallest plinth): the studio draws them as ghost plinths.
 */
export function freeTemplateSpots(room: Room, others: Pick<Placement, "position" | "mount" | "plinth">[]): [number, number][] {
  const free = floorTest(room, others, SMALLEST_FOOTPRINT);
  return (room.spots ?? []).filter(([x, z]) => free(x, z));
}

/** The floor rectangle of a doorway and the direction that leads out through it. */
export interface Doorway {
  door: Door;
  /** Centre of the opening, on the inner face of the wall. */
  center: [number, number];
  /** Unit vector (x, z) pointing out of the room. */
  outward: [number, number];
}

/** Where each doorway of a room opens and which way leads out. */
export function doorways(room: Room): Doorway[] {
  const { w, d } = room.size;
  return room.doors.map((door) => {
    switch (door.wall) {
      case "north":
        return { door, center: [door.offset, -d / 2], outward: [0, -1] };
      case "south":
        return { door, center: [door.offset, d / 2], outward: [0, 1] };
      case "west":
        return { door, center: [-w / 2, door.offset], outward: [-1, 0] };
      case "east":
        return { door, center: [w / 2, door.offset], outward: [1, 0] };
    }
  });
}
