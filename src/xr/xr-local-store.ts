import { create } from "zustand";

/** A VR visitor's comfort choices (local: each headset chooses its own). */
export interface XRComfort {
  /** Seated: the view is lifted to a standing eye height. */
  seated: boolean;
  /** Fade to dark for teleports and tour moves, instead of a cut. */
  fade: boolean;
  /** Tour steps may move the visitor (with the fade); off, the visitor teleports themselves. */
  tourMoves: boolean;
  /** Snap-turn step, in degrees. */
  snapDegrees: number;
}

/**
 * The XR layer's local state (this tab only, never synced or persisted): the comfort choices and
 * the artefact chosen for AR. It lives with the XR layer, so the viewer's own store knows only
 * whether an immersive session is on show.
 */
export interface XRLocalState {
  comfort: XRComfort;
  /** The artefact placed in the room in AR. */
  arPlacement: string | null;
  setComfort(change: Partial<XRComfort>): void;
  setArPlacement(placement: string | null): void;
}

export const useXRLocal = create<XRLocalState>()((set) => ({
  comfort: { seated: false, fade: true, tourMoves: true, snapDegrees: 30 },
  arPlacement: null,
  setComfort: (change) => set((s) => ({ comfort: { ...s.comfort, ...change } })),
  setArPlacement: (arPlacement) => set({ arPlacement }),
}));
