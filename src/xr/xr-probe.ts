import { probeExtensions } from "../viewer/SceneProbe";
import type { ArtefactGrab } from "./artefact-grab";
import { describePanel, vrPanels } from "./VRPanel";
import { vrPanelState } from "./VRPanels";
import type { VRLocomotion } from "./vr-locomotion";
import { arState } from "./ar-placement";
import { xrStore } from "./xr-store";

/** What `window.atrium.xr()` reports: the session and the VR visitor, for tests and support. */
export interface XRProbeState {
  mode: XRSessionMode | null;
  frameRate: number | null;
  origin: { x: number; y: number; z: number; yaw: number };
  /** Head in the play space (origin frame). */
  head: { x: number; y: number; z: number; yaw: number };
  /** Head in the room (world): x, z and facing. */
  headWorld: { x: number; z: number; yaw: number };
  lastTeleport: VRLocomotion["lastTeleport"];
  moves: number;
  frames: number;
  fading: boolean;
  held: string | null;
  audio: typeof vrPanelState.audio;
  ar: typeof arState;
  inputs: { type: string; handedness: string; profiles: string[] }[];
  /** Names of the VR panels shown (label, tour, menu). */
  panels: string[];
}

/** Adds `xr()` to `window.atrium`; returns the function that removes it. */
export function installXRProbe({ loco, grab }: { loco: VRLocomotion; grab: ArtefactGrab }): () => void {
  probeExtensions.xr = (): XRProbeState => {
    const s = xrStore().getState();
    return {
      mode: s.mode,
      frameRate: s.session?.frameRate ?? null,
      origin: { ...loco.pose },
      head: { ...loco.head },
      headWorld: loco.headInWorld({ x: 0, z: 0, yaw: 0 }),
      lastTeleport: { ...loco.lastTeleport },
      moves: loco.moves,
      frames: loco.frames,
      fading: loco.moving,
      held: grab.placement,
      audio: vrPanelState.audio,
      ar: { ...arState },
      panels: [...vrPanels.keys()].sort(),
      inputs: s.inputSourceStates.map((i) => ({ type: i.type, handedness: i.inputSource.handedness, profiles: [...i.inputSource.profiles] })),
    };
  };
  probeExtensions.xrPanel = describePanel;
  return () => {
    delete probeExtensions.xrPanel;
    delete probeExtensions.xr;
  };
}
