import type { ThreeEvent } from "@react-three/fiber";
import { createContext } from "react";
import { Box3, Vector3, type Object3D } from "three";
import type { Vec3 } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";

/** Where a click landed on an artefact. */
export interface ArtefactHit {
  /** World (room) coordinates. */
  point: Vector3;
  /** The same point in the model's own space, as annotations store it (null on plinths, frames). */
  modelPoint: Vec3 | null;
  /** Shift was held: a tool that selects adds to (or takes from) its selection. */
  additive?: boolean;
}

const scratch = new Vector3();
const box = new Box3();
const round = (v: number) => Math.round(v * 10000) / 10000;

/** `point` (world) in the model space of the artefact `hit` belongs to, or null off the model. */
export function modelSpacePoint(hit: Object3D, point: Vector3): Vec3 | null {
  for (let o: Object3D | null = hit; o; o = o.parent) {
    if (o.name === "model-space") {
      const p = o.worldToLocal(scratch.copy(point));
      return [round(p.x), round(p.y), round(p.z)];
    }
  }
  return null;
}

/**
 * Where a hit without a pointer (Enter on the artefact's hotspot) lands on the model: the top of
 * its bounds, at their centre, in model space; null while the model is not in the scene. A
 * keyboard user pins a note there, as a pointer user pins it where they click.
 */
export function modelTopPoint(artefact: Object3D | undefined): Vec3 | null {
  const space = artefact?.getObjectByName("model-space");
  if (!space) return null;
  box.setFromObject(space);
  if (box.isEmpty()) return null;
  box.getCenter(scratch).setY(box.max.y);
  return modelSpacePoint(space, scratch);
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
