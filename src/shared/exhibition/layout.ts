import type { MotionAsset, Plinth, Room, Vec3, WallSide } from "./schema";

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
