import { createContext } from "react";
import type { Vector3 } from "three";
import type { Vec3 } from "../exhibition";
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
