import type { ThreeEvent } from "@react-three/fiber";
import { createContext } from "react";
import type { Vector3 } from "three";
import type { Vec3 } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";

/** Where a click landed on an artefact. */
export interface ArtefactHit {
  /** World (room) coordinates. */
  point: Vector3;
  /** The same point in the model's own space, as annotations store it (null on plinths, frames). */
  modelPoint: Vec3 | null;
}

/** What clicking an artefact does. */
export type ArtefactClick = (placementId: string, hit: ArtefactHit) => void;

/** The visitor's default: inspect the artefact. */
export const inspectOnClick: ArtefactClick = (id) => useLocalStore.getState().inspect(id);

/**
 * The page decides what a click on an artefact means: the visitor view inspects, the studio
 * selects or pins an annotation. The scene components stay the same.
 */
export const ArtefactClickContext = createContext<ArtefactClick>(inspectOnClick);

/**
 * The artefact the last press on the canvas began on (null when it began elsewhere). R3F fires a
 * click on what is under the pointer at release; while the camera glides (a tour step, a tap to
 * walk, a slow frame) the artefact can slide out from under a quick click, which would then land on
 * the floor behind it and walk. The scene remembers the press so that such a click still inspects.
 */
export interface PressMemory {
  id: string | null;
  /** Where the press began (client pixels), to tell a click from a drag. */
  x: number;
  y: number;
}
export const PressContext = createContext<PressMemory | null>(null);

/** Pointer travel (px) above which a press is a drag (looking around), not a click. */
export const CLICK_SLOP = 6;

/**
 * Whether a click was really the end of a drag (the visitor looking around with the mouse or a
 * finger). XR pointers (controller rays, hands) have no screen travel and always click: their
 * events carry the pointer's pose and no `delta`, which they refuse to report.
 */
export function wasDrag(e: ThreeEvent<MouseEvent>): boolean {
  if (!fromScreen(e)) return false;
  return e.delta > CLICK_SLOP;
}

/**
 * Whether an event comes from a screen's pointer (mouse, touch, pen) rather than an XR pointer,
 * whose events carry the pointer's pose. Only screen presses are remembered in `PressMemory`: an
 * XR pointer makes no DOM events, so nothing would ever clear its press.
 */
export function fromScreen(e: ThreeEvent<MouseEvent | PointerEvent>): boolean {
  return !("pointerPosition" in e);
}

/**
 * What a VR hand does to an artefact: pointer down/move/up from a grab pointer (a squeezed
 * controller or a pinching hand near it), with the pointer's world pose. Given by the VR layer;
 * null outside VR, so the scene components never depend on XR code.
 */
export interface ArtefactGrabHandlers {
  down(placementId: string, e: ThreeEvent<PointerEvent>): void;
  move(placementId: string, e: ThreeEvent<PointerEvent>): void;
  up(placementId: string, e: ThreeEvent<PointerEvent>): void;
}

export const ArtefactGrabContext = createContext<ArtefactGrabHandlers | null>(null);
