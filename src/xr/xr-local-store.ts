import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";

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
 * The XR layer's local state (never synced): the comfort choices, remembered on this device
 * (a visitor who sits, or who is made unwell by smooth moves, should not have to say so again),
 * and the artefact chosen for AR (this tab only). It lives with the XR layer, so the viewer's own
 * store knows only whether an immersive session is on show.
 */
export interface XRLocalState {
  comfort: XRComfort;
  /** The artefact placed in the room in AR. */
  arPlacement: string | null;
  setComfort(change: Partial<XRComfort>): void;
  setArPlacement(placement: string | null): void;
}

export const DEFAULT_COMFORT: XRComfort = { seated: false, fade: true, tourMoves: true, snapDegrees: 30 };
const SNAP_STEPS = [15, 30, 45, 90];

/** Comfort choices read back from storage: only well-formed values are kept (the rest are the defaults). */
export function parseComfort(stored: unknown): XRComfort {
  const out = { ...DEFAULT_COMFORT };
  const c = (stored as { comfort?: Record<string, unknown> } | null)?.comfort;
  if (!c || typeof c !== "object") return out;
  for (const key of ["seated", "fade", "tourMoves"] as const) if (typeof c[key] === "boolean") out[key] = c[key];
  if (typeof c.snapDegrees === "number" && SNAP_STEPS.includes(c.snapDegrees)) out.snapDegrees = c.snapDegrees;
  return out;
}

export const useXRLocal = create<XRLocalState>()(
  persist(
    (set) => ({
      comfort: DEFAULT_COMFORT,
      arPlacement: null,
      setComfort: (change) => set((s) => ({ comfort: { ...s.comfort, ...change } })),
      setArPlacement: (arPlacement) => set({ arPlacement }),
    }),
    {
      name: "atrium.xr-comfort",
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ comfort: s.comfort }),
      merge: (stored, current) => ({ ...current, comfort: parseComfort(stored) }),
    },
  ),
);
