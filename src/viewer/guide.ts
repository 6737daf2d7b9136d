import { createContext, useContext, useSyncExternalStore } from "react";
import type { WalkArea } from "./walk-physics";

/**
 * What a guide asks of the visitor's viewpoint this frame (written into a reused object):
 * - `none`: nothing, the visitor moves on their own;
 * - `view`: take the guide's view exactly (`p`, `q`: "follow me" on a screen);
 * - `stand`: go and stand at `x`, `z` (facing `yaw` on a screen; a headset keeps the head's own
 *   turn): gathered beside the guide, or following it in a headset, where copying a view would
 *   make the visitor sick.
 */
export interface GuideMove {
  kind: "none" | "view" | "stand";
  p: [number, number, number];
  q: [number, number, number, number];
  x: number;
  z: number;
  yaw: number;
}

/** A reusable `GuideMove` (one per rig, so asking each frame allocates nothing). */
export function createGuideMove(): GuideMove {
  return { kind: "none", p: [0, 0, 0], q: [0, 0, 0, 1], x: 0, z: 0, yaw: 0 };
}

/**
 * The one movement seam between the viewer and whatever leads a visit (a class's teacher). The
 * screen camera and the VR rig both ask it, so "may the visitor move?" and "where does the
 * guide want them?" are answered in one place (the provider's), never re-derived by a rig.
 */
export interface Guide {
  /** May the visitor move on their own now: walk, teleport, change rooms? */
  mayMove(): boolean;
  /** Does the guide lead the tour? Then its steps move this visitor, and their own tour buttons do nothing. */
  leadsTour(): boolean;
  /**
   * What the guide asks this frame, for a visitor in `room` of walkable `area`; `headset` is
   * where a headset wearer's head stands (null on a screen). A gathering is answered once.
   */
  move(now: number, room: string, area: WalkArea, headset: { x: number; z: number } | null, out: GuideMove): GuideMove;
  /** Told when `mayMove` or `leadsTour` change (React re-renders on it; per-frame readers just ask). */
  subscribe(listener: () => void): () => void;
}

/** No guide: the visitor goes where they like. */
export const freeGuide: Guide = {
  mayMove: () => true,
  leadsTour: () => false,
  move: (_now, _room, _area, _headset, out) => {
    out.kind = "none";
    return out;
  },
  subscribe: () => () => {},
};

/** The guide of this visit (an extension provides one; the viewer alone has `freeGuide`). */
export const GuideContext = createContext<Guide>(freeGuide);

/** The visit's guide, for per-frame code that asks it directly. */
export const useGuide = (): Guide => useContext(GuideContext);

/** Whether the visitor may move on their own, re-rendering when that changes. */
export function useMayMove(): boolean {
  const guide = useGuide();
  return useSyncExternalStore(guide.subscribe, guide.mayMove);
}
