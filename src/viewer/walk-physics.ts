import type { Placement, Room } from "../shared/exhibition";
import { doorways, obstacles, type Doorway, type Obstacle } from "./room-layout";

/** Standing eye height, in metres. */
export const EYE_HEIGHT = 1.6;

/** How close a visitor's eye may come to a wall or plinth, in metres. */
export const BODY_RADIUS = 0.3;

/** Result of one step of walking. */
export interface MoveResult {
  x: number;
  z: number;
  /** Set when the step took the visitor out through a doorway. */
  through: Doorway | null;
}

/** What walking in one room needs, computed once per room rather than per frame. */
export interface WalkArea {
  halfW: number;
  halfD: number;
  ways: Doorway[];
  obstacles: Obstacle[];
}

export function walkArea(room: Room, placements: Placement[]): WalkArea {
  return { halfW: room.size.w / 2, halfD: room.size.d / 2, ways: doorways(room), obstacles: obstacles(placements, BODY_RADIUS) };
}

/**
 * Moves a visitor from (x, z) by (dx, dz) inside `room`: walls stop them (they slide along),
 * plinths push them out, and stepping past a wall line inside a doorway's opening reports the
 * doorway so the caller can change rooms. Pure and allocation-free: it writes into `out`.
 */
export function walkStep(area: WalkArea, x: number, z: number, dx: number, dz: number, out: MoveResult = { x: 0, z: 0, through: null }): MoveResult {
  const hw = area.halfW;
  const hd = area.halfD;
  let nx = x + dx;
  let nz = z + dz;
  out.through = null;
  for (const way of area.ways) {
    const half = way.door.width / 2 - BODY_RADIUS * 0.5;
    const [cx, cz] = way.center;
    const [ox, oz] = way.outward;
    // Position along the wall and past the wall line, in the doorway's frame.
    const along = ox !== 0 ? nz - cz : nx - cx;
    const past = ox !== 0 ? (nx - cx) * ox : (nz - cz) * oz;
    const alongNow = ox !== 0 ? z - cz : x - cx;
    if (Math.abs(along) <= half && Math.abs(alongNow) <= half + 0.05 && past > 0.05) {
      out.x = nx;
      out.z = nz;
      out.through = way;
      return out;
    }
  }
  nx = Math.min(hw - BODY_RADIUS, Math.max(-hw + BODY_RADIUS, nx));
  nz = Math.min(hd - BODY_RADIUS, Math.max(-hd + BODY_RADIUS, nz));
  for (const o of area.obstacles) {
    if (nx <= o.minX || nx >= o.maxX || nz <= o.minZ || nz >= o.maxZ) continue;
    // Inside a plinth's footprint: leave by the side it was entered from (the shortest way out).
    const wasLeft = x <= o.minX;
    const wasRight = x >= o.maxX;
    const wasFront = z <= o.minZ;
    const wasBack = z >= o.maxZ;
    if (wasLeft) nx = o.minX;
    else if (wasRight) nx = o.maxX;
    else if (wasFront) nz = o.minZ;
    else if (wasBack) nz = o.maxZ;
    else {
      const left = nx - o.minX;
      const right = o.maxX - nx;
      const front = nz - o.minZ;
      const back = o.maxZ - nz;
      const least = Math.min(left, right, front, back);
      if (least === left) nx = o.minX;
      else if (least === right) nx = o.maxX;
      else if (least === front) nz = o.minZ;
      else nz = o.maxZ;
    }
  }
  out.x = nx;
  out.z = nz;
  return out;
}
