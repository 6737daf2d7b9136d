import { Euler, type Camera } from "three";
import type { FloorPose } from "./room-reading";

/**
 * The camera of the 3D view on show, for the panels outside the canvas that say where things are
 * from the visitor ("on your left, 2 m"). Set once when the view mounts; read when a panel renders
 * (never per frame), so the frame loop pays nothing for it.
 */
export const viewCamera: { current: Camera | null } = { current: null };

const euler = new Euler(0, 0, 0, "YXZ");

/** The visitor's floor pose now, or null when no 3D view is on show (the 2D plan, before the first frame). */
export function currentFloorPose(): FloorPose | null {
  const c = viewCamera.current;
  if (!c) return null;
  euler.setFromQuaternion(c.quaternion, "YXZ");
  return { x: c.position.x, z: c.position.z, yaw: euler.y };
}
