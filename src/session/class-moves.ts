import { walkStep, type MoveResult, type WalkArea } from "../viewer/walk-physics";

/**
 * Where students stand when the teacher gathers them (teacher-local metres: right, behind).
 * Beside the teacher and a little behind, never in front and never straight behind: each spot is
 * at least 0.75 m to one side, so the teacher's figure (0.2 m in radius) never stands between a
 * student and what the teacher shows ahead of them; and none is more than 1.44 m from the teacher, so
 * a headset student on "follow me" (moved when 1.5 m away) is never moved again for standing on
 * their own spot. Students do not see each other, so seats may share a spot in a large class.
 */
export const GATHER_SPOTS: readonly (readonly [number, number])[] = [
  [-0.8, 0.3],
  [0.8, 0.3],
  [-1.2, 0.05],
  [1.2, 0.05],
  [-0.75, 0.9],
  [0.75, 0.9],
  [-1.2, 0.6],
  [1.2, 0.6],
  [-0.9, 1.1],
];

/** A stable gathering spot for a seat (students keep their place each time). */
export function slotFor(seatId: string): number {
  let h = 0;
  for (let i = 0; i < seatId.length; i++) h = (h * 31 + seatId.charCodeAt(i)) >>> 0;
  return h % GATHER_SPOTS.length;
}

/** The yaw (three's convention: 0 looks down -z) of a pose quaternion's view direction. */
export function yawOf(q: readonly number[]): number {
  const [x, y, z, w] = q as [number, number, number, number];
  // Forward = q · (0, 0, -1).
  const fx = -2 * (x * z + w * y);
  const fz = -(1 - 2 * (x * x + y * y));
  return Math.atan2(-fx, -fz);
}

/**
 * Where a student goes when gathered (or, in VR, when following): their spot beside or behind
 * the teacher, walked to from the teacher's position so walls and plinths stop it exactly as they
 * stop a walking visitor; facing the teacher's way. Writes into `out`.
 */
export function gatherSpot(
  area: WalkArea,
  teacher: { x: number; z: number; yaw: number },
  slot: number,
  out: { x: number; z: number; yaw: number },
  scratch: MoveResult = { x: 0, z: 0, through: null },
): { x: number; z: number; yaw: number } {
  const [right, back] = GATHER_SPOTS[slot % GATHER_SPOTS.length]!;
  const s = Math.sin(teacher.yaw);
  const c = Math.cos(teacher.yaw);
  // Teacher's right = (cos, -sin), behind = (sin, cos) for yaw 0 looking down -z.
  const dx = c * right + s * back;
  const dz = -s * right + c * back;
  // From the teacher's place (itself kept inside the room) out to the spot, stopped by walls.
  const start = walkStep(area, teacher.x, teacher.z, 0, 0, scratch);
  const sx = start.x;
  const sz = start.z;
  const r = walkStep(area, sx, sz, dx, dz, scratch);
  out.x = r.through ? sx : r.x;
  out.z = r.through ? sz : r.z;
  out.yaw = teacher.yaw;
  return out;
}
