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

/** Walking speed (m/s); twice that with Shift. */
export const WALK_SPEED = 1.4;
/** Turning speed with the arrow keys or Q/E (rad/s). */
export const TURN_SPEED = 1.6;
/** Longest frame walked in full (s): a phone drawing one frame a second still walks at 1.4 m/s; a longer gap (a tab in the background) is not walked through. */
export const MAX_WALK_FRAME = 1;
/** Longest single walking step (s), so that one slow frame cannot jump through a plinth. */
export const WALK_SUBSTEP = 0.1;

/** Where a walking visitor stands and looks, and a floor point they asked to walk to. */
export interface WalkerState {
  x: number;
  z: number;
  yaw: number;
  walkTo: { x: number; z: number } | null;
}

/** What moves the walker this frame: key axes (-1..1), Shift, pinch/wheel travel still to walk (m), a drag in progress. */
export interface WalkerInput {
  forward: number;
  strafe: number;
  turn: number;
  fast: boolean;
  push: number;
  dragging: boolean;
}

/**
 * Walks one frame of `frameDt` seconds: metres per second at any frame rate. A slow frame (an
 * old phone, SwiftShader at 3 fps) walks its whole time in steps of at most 0.1 s, so walls,
 * plinths and doorways are still checked on the way; at 60 fps and at 2 fps a visitor holding W
 * for three seconds covers the same floor. Returns the doorway walked through, if any (then
 * stops). Mutates `rig` and `input.push`; allocation-free.
 */
export function walkFrame(area: WalkArea, rig: WalkerState, input: WalkerInput, frameDt: number, scratch: MoveResult): Doorway | null {
  for (let left = Math.min(frameDt, MAX_WALK_FRAME); left > 1e-6; left -= WALK_SUBSTEP) {
    const through = walkSubstep(area, rig, input, Math.min(left, WALK_SUBSTEP), scratch);
    if (through) return through;
  }
  return null;
}

function walkSubstep(area: WalkArea, rig: WalkerState, input: WalkerInput, dt: number, scratch: MoveResult): Doorway | null {
  rig.yaw += input.turn * TURN_SPEED * dt;
  const speed = WALK_SPEED * (input.fast ? 2 : 1);
  const sin = Math.sin(rig.yaw);
  const cos = Math.cos(rig.yaw);
  // yaw 0 looks down -z; forward = (-sin, -cos), right = (cos, -sin)
  let dx = (-sin * input.forward + cos * input.strafe) * speed * dt;
  let dz = (-cos * input.forward - sin * input.strafe) * speed * dt;
  if (input.push !== 0) {
    const step = Math.sign(input.push) * Math.min(Math.abs(input.push), speed * 2 * dt);
    dx += -sin * step;
    dz += -cos * step;
    input.push -= step;
  }
  if (dx !== 0 || dz !== 0 || input.dragging) rig.walkTo = null;
  if (rig.walkTo) {
    const tx = rig.walkTo.x - rig.x;
    const tz = rig.walkTo.z - rig.z;
    const dist = Math.hypot(tx, tz);
    if (dist < 0.05) rig.walkTo = null;
    else {
      const step = Math.min(dist, speed * dt);
      dx = (tx / dist) * step;
      dz = (tz / dist) * step;
    }
  }
  if (dx === 0 && dz === 0) return null;
  const r = walkStep(area, rig.x, rig.z, dx, dz, scratch);
  if (r.through) {
    rig.walkTo = null;
    return r.through;
  }
  // Tapped a point behind a plinth: stop instead of pushing against it.
  if (rig.walkTo && Math.hypot(r.x - rig.x, r.z - rig.z) < 1e-4) rig.walkTo = null;
  rig.x = r.x;
  rig.z = r.z;
  return null;
}
