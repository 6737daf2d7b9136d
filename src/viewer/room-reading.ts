import type { Placement, Room } from "../shared/exhibition";
import { doorways } from "./room-layout";

/** A visitor's place on the floor and the way they face (yaw 0 looks down -z, as the camera's). */
export interface FloorPose {
  x: number;
  z: number;
  yaw: number;
}

/** Where something stands as a visitor would be told it: a direction in the visitor's own frame and a distance. */
export interface Whereabouts {
  side: "ahead" | "left" | "right" | "behind" | "here";
  /** Metres, rounded to the half metre (a visitor cannot use more precision than that). */
  metres: number;
}

/**
 * Where the floor point (x, z) is from `pose`: ahead within 30° either way, behind beyond 135°,
 * left or right between; "here" within half a metre. Pure, so the text version, the 2D plan and
 * their tests read it the same way.
 */
export function whereFrom(pose: FloorPose, x: number, z: number): Whereabouts {
  const dx = x - pose.x;
  const dz = z - pose.z;
  const d = Math.hypot(dx, dz);
  const metres = Math.round(d * 2) / 2;
  if (d < 0.5) return { side: "here", metres };
  // The camera's forward is (-sin yaw, -cos yaw); its right is (cos yaw, -sin yaw).
  const forward = (-Math.sin(pose.yaw) * dx - Math.cos(pose.yaw) * dz) / d;
  const right = (Math.cos(pose.yaw) * dx - Math.sin(pose.yaw) * dz) / d;
  const angle = Math.atan2(right, forward); // 0 ahead, +π/2 right
  const a = Math.abs(angle);
  if (a <= Math.PI / 6) return { side: "ahead", metres };
  if (a >= (Math.PI * 3) / 4) return { side: "behind", metres };
  return { side: angle > 0 ? "right" : "left", metres };
}

/**
 * The placements of a room in walking order: as a visitor standing at `from` (the room's entrance)
 * sweeps the room from their left to their right, the way a gallery is read along its walls; ties
 * (one behind the other) nearest first. Pure and stable, so the text version, the keyboard's Tab
 * order over the artefacts and the 2D plan's numbering agree.
 */
export function walkingOrder<T extends Pick<Placement, "position">>(entries: readonly (readonly [string, T])[], from: FloorPose): [string, T][] {
  const key = (p: T) => {
    const dx = p.position[0] - from.x;
    const dz = p.position[2] - from.z;
    const forward = -Math.sin(from.yaw) * dx - Math.cos(from.yaw) * dz;
    const right = Math.cos(from.yaw) * dx - Math.sin(from.yaw) * dz;
    // From the left (-π/2 and beyond, behind-left first) round to the right.
    let angle = Math.atan2(right, forward);
    if (angle < -Math.PI * 0.75) angle += Math.PI * 2; // behind-right sorts last, behind-left first
    return { angle: Math.round(angle * 100) / 100, distance: Math.hypot(dx, dz) };
  };
  return entries
    .map(([id, p]) => ({ id, p, k: key(p) }))
    .sort((a, b) => a.k.angle - b.k.angle || a.k.distance - b.k.distance || a.id.localeCompare(b.id))
    .map(({ id, p }) => [id, p]);
}

/** A room's doorways with where each leads, their floor centres, for the text version and the plan. */
export function exits(room: Room): { to: string; x: number; z: number }[] {
  return doorways(room).map((w) => ({ to: w.door.to, x: w.center[0], z: w.center[1] }));
}
