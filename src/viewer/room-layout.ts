import type { Door, Placement, Room, WallSide } from "../shared/exhibition";

/** Height of every doorway opening, in metres. */
export const DOOR_HEIGHT = 2.4;
/** Wall thickness, in metres. */
export const WALL_THICKNESS = 0.2;

/** A solid box in room coordinates: centre and full size. */
export interface Box {
  center: [number, number, number];
  size: [number, number, number];
}

/** Where a wall runs: its axis along the wall and its fixed coordinate. */
function wallFrame(room: Room, wall: WallSide) {
  const { w, d } = room.size;
  switch (wall) {
    case "north":
      return { along: "x" as const, length: w, fixed: -d / 2 - WALL_THICKNESS / 2 };
    case "south":
      return { along: "x" as const, length: w, fixed: d / 2 + WALL_THICKNESS / 2 };
    case "west":
      return { along: "z" as const, length: d, fixed: -w / 2 - WALL_THICKNESS / 2 };
    case "east":
      return { along: "z" as const, length: d, fixed: w / 2 + WALL_THICKNESS / 2 };
  }
}

/**
 * The wall boxes of a room, with openings cut for its doorways (and a lintel over each).
 * Walls sit outside the room's inner size so the floor area is exactly `w` x `d`.
 */
export function wallBoxes(room: Room): Box[] {
  const boxes: Box[] = [];
  const h = room.size.h;
  for (const wall of ["north", "east", "south", "west"] as const) {
    const frame = wallFrame(room, wall);
    // Extend north/south walls over the corners so the corners are closed.
    const extra = frame.along === "x" ? WALL_THICKNESS : 0;
    const half = frame.length / 2 + extra;
    const openings = room.doors
      .filter((door) => door.wall === wall)
      .map((door) => [door.offset - door.width / 2, door.offset + door.width / 2] as const)
      .sort((a, b) => a[0] - b[0]);
    const push = (from: number, to: number, y0: number, y1: number) => {
      if (to - from < 1e-3 || y1 - y0 < 1e-3) return;
      const mid = (from + to) / 2;
      const len = to - from;
      boxes.push(
        frame.along === "x"
          ? { center: [mid, (y0 + y1) / 2, frame.fixed], size: [len, y1 - y0, WALL_THICKNESS] }
          : { center: [frame.fixed, (y0 + y1) / 2, mid], size: [WALL_THICKNESS, y1 - y0, len] },
      );
    };
    let cursor = -half;
    for (const [a, b] of openings) {
      push(cursor, a, 0, h);
      push(a, b, Math.min(DOOR_HEIGHT, h), h);
      cursor = b;
    }
    push(cursor, half, 0, h);
  }
  return boxes;
}

// Doorways are shared with the document's layout rules (where new objects may stand).
import { doorways } from "../shared/exhibition/layout";
export { doorways };
export type { Doorway } from "../shared/exhibition/layout";

/** A rectangle on the floor that visitors cannot walk into (a plinth, with a margin). */
export interface Obstacle {
  minX: number;
  maxX: number;
  minZ: number;
  maxZ: number;
}

/** Footprints of the room's plinths, rotated plinths approximated by their bounding square. */
export function obstacles(placements: Placement[], margin: number): Obstacle[] {
  return placements
    .filter((p) => p.mount === "plinth" && p.plinth)
    .map((p) => {
      const { width, depth } = p.plinth!;
      const yaw = p.rotation[1];
      const c = Math.abs(Math.cos(yaw));
      const s = Math.abs(Math.sin(yaw));
      const hx = (width * c + depth * s) / 2 + margin;
      const hz = (width * s + depth * c) / 2 + margin;
      return { minX: p.position[0] - hx, maxX: p.position[0] + hx, minZ: p.position[2] - hz, maxZ: p.position[2] + hz };
    });
}

/** Where a visitor arriving through `door` of `room` stands, and the yaw that faces into the room. */
export function arrivalPose(room: Room, viaDoorTo: string | null): { x: number; z: number; yaw: number } {
  const way = viaDoorTo ? doorways(room).find((d) => d.door.to === viaDoorTo) : undefined;
  if (way) {
    const inset = 1.2;
    const x = way.center[0] - way.outward[0] * inset;
    const z = way.center[1] - way.outward[1] * inset;
    return { x, z, yaw: yawFacing(-way.outward[0], -way.outward[1]) };
  }
  // No doorway: stand near the south wall looking north, the way galleries are usually entered.
  return { x: 0, z: room.size.d / 2 - 1.5, yaw: 0 };
}

/** Yaw (rotation about +y) of a camera looking along (dx, dz); yaw 0 looks down -z. */
export function yawFacing(dx: number, dz: number): number {
  return Math.atan2(-dx, -dz);
}
