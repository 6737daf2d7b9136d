import { keepInside } from "./layout";
import type { Dimensions, Placement, Room, Vec3 } from "./schema";

/**
 * Arranging several objects at once, as pure geometry: the studio's multi-selection commands
 * (move, turn, distribute as one step), the gizmo's scale limits and the snapping it shows while
 * dragging. No document changes here: `StudioEditor` turns the results into operations, so the
 * rules exist once and the tests drive them without a page.
 */

/** Scale never goes below this (a tenth of the model's real size) nor above {@link MAX_SCALE}. */
export const MIN_SCALE = 0.1;
export const MAX_SCALE = 10;
/** Headroom kept between a scaled object's top and the ceiling (metres). */
const CEILING_GAP = 0.1;

/**
 * The scales an object may take in its room: between a tenth and ten times its real size, and never
 * taller than the room above its plinth (an item without a known height gets the fixed range).
 */
export function scaleLimits(dimensions: Dimensions | undefined, room: Room | undefined, placement: Pick<Placement, "mount" | "plinth">): { min: number; max: number } {
  let max = MAX_SCALE;
  const heightM = (dimensions?.height ?? 0) / 100;
  if (room && heightM > 0 && placement.mount !== "wall") {
    const above = room.size.h - (placement.plinth?.height ?? 0) - CEILING_GAP;
    max = Math.min(max, Math.max(MIN_SCALE, above / heightM));
  }
  return { min: MIN_SCALE, max: round3(max) };
}

/** `scale` kept inside {@link scaleLimits}, to three decimals. */
export function clampScale(scale: number, limits: { min: number; max: number }): number {
  if (!Number.isFinite(scale)) return 1;
  return round3(Math.min(limits.max, Math.max(limits.min, scale)));
}

/** A point turned by `angle` radians about the vertical axis through `pivot` (both [x, z]), as the scene turns a child (three's yaw). */
export function turnAbout(point: readonly [number, number], pivot: readonly [number, number], angle: number): [number, number] {
  const dx = point[0] - pivot[0];
  const dz = point[1] - pivot[1];
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  // A yaw of `angle` maps local +x to (cos, -sin) in x/z and local +z to (sin, cos).
  return [round3(pivot[0] + c * dx + s * dz), round3(pivot[1] - s * dx + c * dz)];
}

/** The centre of several placements' floor positions ([x, z]). */
export function centreOf(placements: readonly Pick<Placement, "position">[]): [number, number] {
  if (placements.length === 0) return [0, 0];
  let x = 0;
  let z = 0;
  for (const p of placements) {
    x += p.position[0];
    z += p.position[2];
  }
  return [round3(x / placements.length), round3(z / placements.length)];
}

/**
 * Even spacing along `axis`: the first and last (by that coordinate) stay where they are and the
 * others are spread between them in their order. Returns each placement's new position; fewer
 * than three leaves everything where it is.
 */
export function distribute(placements: readonly (readonly [string, Pick<Placement, "position">])[], axis: "x" | "z"): Map<string, Vec3> {
  const i = axis === "x" ? 0 : 2;
  const sorted = [...placements].sort((a, b) => a[1].position[i] - b[1].position[i] || (a[0] < b[0] ? -1 : 1));
  const out = new Map<string, Vec3>();
  if (sorted.length < 3) return out;
  const first = sorted[0]![1].position[i];
  const step = (sorted[sorted.length - 1]![1].position[i] - first) / (sorted.length - 1);
  sorted.forEach(([id, p], k) => {
    const next: Vec3 = [...p.position];
    next[i] = round3(first + step * k);
    out.set(id, next);
  });
  return out;
}

/** What the drag snapped to: the other object whose line it sits on, per axis, or null. */
export interface SnapGuides {
  /** The snapped floor point ([x, z]). */
  point: [number, number];
  /** The x of the object it lines up with (a line along z is drawn there), or null. */
  x: number | null;
  /** The z of the object it lines up with, or null. */
  z: number | null;
}

/** How close (metres) a dragged object must come to another's line to snap onto it. */
export const SNAP_TOLERANCE = 0.08;

/**
 * Snaps a dragged object's floor point onto the row or column of the nearest other object within
 * {@link SNAP_TOLERANCE} on each axis (the guides the gizmo draws), otherwise onto the 5 cm grid the
 * gizmo steps by.
 */
export function snapToNeighbours(point: readonly [number, number], others: readonly (readonly [number, number])[], tolerance = SNAP_TOLERANCE): SnapGuides {
  let bestX: number | null = null;
  let bestZ: number | null = null;
  for (const [ox, oz] of others) {
    if (Math.abs(ox - point[0]) <= tolerance && (bestX === null || Math.abs(ox - point[0]) < Math.abs(bestX - point[0]))) bestX = ox;
    if (Math.abs(oz - point[1]) <= tolerance && (bestZ === null || Math.abs(oz - point[1]) < Math.abs(bestZ - point[1]))) bestZ = oz;
  }
  const grid = (v: number) => round3(Math.round(v / 0.05) * 0.05);
  return { point: [bestX ?? grid(point[0]), bestZ ?? grid(point[1])], x: bestX, z: bestZ };
}

/** A length or angle to three decimals (millimetres, milliradians), as the studio stores them. */
export const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * The part of `offset` that keeps `from + offset` inside the walls (as keepInside does); an object
 * already nearer a wall than that is not pulled in, only kept from going further.
 */
export function clampOffset(from: number, offset: number, half: number): number {
  const lo = Math.min(0, keepInside(-Infinity, half) - from);
  const hi = Math.max(0, keepInside(Infinity, half) - from);
  return round3(Math.max(lo, Math.min(hi, offset)));
}

/** An angle in (-π, π]. */
export function normaliseAngle(a: number): number {
  const turn = 2 * Math.PI;
  const out = a - turn * Math.floor((a + Math.PI) / turn);
  return round3(out === -Math.PI ? Math.PI : out);
}

/** A wall image moved by a floor offset: only the part along its wall, kept on the wall. */
export function slideOnWall(p: Placement, dx: number, dz: number, room: Room): Vec3 {
  const alongX = Math.abs(Math.sin(p.rotation[1])) < 0.5; // north or south wall: slides along x
  const half = (alongX ? room.size.w : room.size.d) / 2 - 0.5;
  const clampTo = (v: number) => round3(Math.max(-half, Math.min(half, v)));
  return alongX ? [clampTo(p.position[0] + dx), p.position[1], p.position[2]] : [p.position[0], p.position[1], clampTo(p.position[2] + dz)];
}
