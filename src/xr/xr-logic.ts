import type { Dimensions } from "../shared/exhibition";
import { BODY_RADIUS, EYE_HEIGHT, type WalkArea } from "../viewer/walk-physics";

/**
 * Pure XR logic: where a teleport may land, how the play-space origin moves so the visitor's
 * head ends up where they asked, seated height, real scale for AR, and the frame rate to ask for.
 * No three.js objects and no allocation in the per-frame functions (they write into `out`).
 */

/** The play-space origin on the floor: position and turn about the vertical axis (radians). */
export interface OriginPose {
  x: number;
  y: number;
  z: number;
  yaw: number;
}

/** Why a teleport point was refused, or null when it is a place to stand. */
export type TeleportRefusal = "outside-room" | "too-close-to-wall" | "inside-plinth" | "not-floor";

/** The floor point a visitor will stand on, or why not. */
export interface TeleportCheck {
  ok: boolean;
  refusal: TeleportRefusal | null;
}

/**
 * Whether (x, y, z) is a place a visitor may teleport to in `area`: on the floor (y near 0),
 * inside the room with a body's width from the walls, and not inside a plinth's footprint (which
 * `area.obstacles` already widens by the body radius). Walls and plinths are the same limits
 * walking obeys, so teleporting never puts a visitor where walking could not.
 */
export function checkTeleport(area: WalkArea, x: number, y: number, z: number, out: TeleportCheck = { ok: false, refusal: null }): TeleportCheck {
  out.ok = false;
  if (Math.abs(y) > 0.05) out.refusal = "not-floor";
  else if (Math.abs(x) > area.halfW || Math.abs(z) > area.halfD) out.refusal = "outside-room";
  else if (Math.abs(x) > area.halfW - BODY_RADIUS || Math.abs(z) > area.halfD - BODY_RADIUS) out.refusal = "too-close-to-wall";
  else if (area.obstacles.some((o) => x > o.minX && x < o.maxX && z > o.minZ && z < o.maxZ)) out.refusal = "inside-plinth";
  else {
    out.ok = true;
    out.refusal = null;
  }
  return out;
}

/**
 * The origin pose that puts the head (seen at `headX, headZ` in the origin's own frame) over the
 * floor point (x, z), keeping the origin's turn: teleporting moves the visitor, never turns them.
 */
export function teleportOrigin(origin: OriginPose, headX: number, headZ: number, x: number, z: number, out: OriginPose): OriginPose {
  const c = Math.cos(origin.yaw);
  const s = Math.sin(origin.yaw);
  // The head's offset from the origin in the world: R(yaw) * (headX, headZ).
  const wx = c * headX + s * headZ;
  const wz = -s * headX + c * headZ;
  out.x = x - wx;
  out.z = z - wz;
  out.y = origin.y;
  out.yaw = origin.yaw;
  return out;
}

/**
 * A snap turn by `angle` radians (positive turns left, as three's yaw does) about the visitor's
 * head, not about the origin: the head stays where it is and only the view direction changes,
 * which is what keeps snap turning comfortable when the visitor has walked away from the origin.
 */
export function snapTurn(origin: OriginPose, headX: number, headZ: number, angle: number, out: OriginPose): OriginPose {
  const c = Math.cos(origin.yaw);
  const s = Math.sin(origin.yaw);
  // Head in the world before the turn.
  const hx = origin.x + c * headX + s * headZ;
  const hz = origin.z - s * headX + c * headZ;
  const yaw = wrapAngle(origin.yaw + angle);
  const c2 = Math.cos(yaw);
  const s2 = Math.sin(yaw);
  out.x = hx - (c2 * headX + s2 * headZ);
  out.z = hz - (-s2 * headX + c2 * headZ);
  out.y = origin.y;
  out.yaw = yaw;
  return out;
}

/** An angle in (-π, π]. */
export function wrapAngle(a: number): number {
  const t = Math.PI * 2;
  let r = ((a % t) + t) % t;
  if (r > Math.PI) r -= t;
  return r;
}

/** Thumbstick travel past which a snap turn fires, and below which the stick counts as released. */
export const SNAP_FIRE = 0.6;
export const SNAP_RELEASE = 0.3;

/** A snap-turn decision: the turn to make now and whether the stick is armed for the next push. */
export interface SnapState {
  turn: number;
  armed: boolean;
}

/**
 * Snap turning from a thumbstick's x axis, one turn per push: fires once past `SNAP_FIRE`, then
 * waits for the stick to come back under `SNAP_RELEASE`. Writes the turn (radians, positive =
 * left) and whether the stick is armed for the next push into `out` (called every frame).
 */
export function snapFromStick(xAxis: number, armed: boolean, degrees: number, out: SnapState = { turn: 0, armed: true }): SnapState {
  out.turn = 0;
  if (!armed) out.armed = Math.abs(xAxis) < SNAP_RELEASE;
  else if (Math.abs(xAxis) < SNAP_FIRE) out.armed = true;
  else {
    // Stick right turns right, which is a negative yaw.
    out.turn = ((xAxis > 0 ? -1 : 1) * (degrees * Math.PI)) / 180;
    out.armed = false;
  }
  return out;
}

/** Eye height a seated visitor is lifted to (the gallery is designed for standing eyes). */
export const SEATED_EYE_TARGET = EYE_HEIGHT;

/**
 * How far to raise the origin for a seated visitor whose head is `headHeight` above the real
 * floor, so they see the gallery from a standing eye height. Never lowers anyone, and never lifts
 * by more than a metre (a head reported on the floor is a tracking glitch, not a visitor).
 */
export function seatedLift(headHeight: number, seated: boolean): number {
  if (!seated) return 0;
  return Math.min(1, Math.max(0, SEATED_EYE_TARGET - headHeight));
}

/**
 * The scale that shows a model at the size its record gives (centimetres), from the model's own
 * bounding box in metres (after its `unitsPerMeter`). Height is preferred (it is what records
 * measure first), then width, depth, diameter against the larger horizontal side. Null when the
 * record has no usable dimension, in which case the model's own metres are trusted.
 */
export function realScale(modelSize: readonly [number, number, number], dimensions: Omit<Dimensions, "unit"> | undefined): number | null {
  if (!dimensions) return null;
  const [w, h, d] = modelSize;
  const pairs: [number | undefined, number][] = [
    [dimensions.height, h],
    [dimensions.width, w],
    [dimensions.depth, d],
    [dimensions.diameter, Math.max(w, d)],
  ];
  for (const [cm, model] of pairs) if (cm && cm > 0 && model > 1e-6) return cm / 100 / model;
  return null;
}

/**
 * The display rate to request from those a headset offers: 90 Hz where offered (smooth, and what
 * the Quest budget is planned for), else 72 Hz, else the highest offered at or under 90, else the
 * lowest offered. False when the headset offers no choice.
 */
export function chooseFrameRate(supported: ArrayLike<number>): number | false {
  const rates = Array.from(supported);
  if (rates.length === 0) return false;
  if (rates.includes(90)) return 90;
  if (rates.includes(72)) return 72;
  const under = rates.filter((r) => r <= 90);
  return under.length > 0 ? Math.max(...under) : Math.min(...rates);
}
