import { useFrame } from "@react-three/fiber";
import { useRef } from "react";
import { Vector3 } from "three";
import { useLocalStore } from "../state/local-store";
import { artefactObjects } from "./artefact-registry";
import { updateCloseSet } from "../shared/exhibition/tiers";

const CHECK_EVERY = 0.25; // seconds: a walking visitor covers ~0.3 m between checks
const position = new Vector3();

/**
 * Tells artefacts when the camera comes close, so they can swap their walking tier for the
 * detailed one. Checks four times a second rather than every frame, reuses one vector and one
 * map, and writes to the store only when the set of close artefacts changes.
 */
export function TierDirector() {
  const state = useRef({ elapsed: 0, close: new Set<string>() as ReadonlySet<string>, distances: new Map<string, number>() });
  useFrame(({ camera }, delta) => {
    const s = state.current;
    s.elapsed += delta;
    if (s.elapsed < CHECK_EVERY) return;
    s.elapsed = 0;
    s.distances.clear();
    for (const [id, object] of artefactObjects) s.distances.set(id, object.getWorldPosition(position).distanceTo(camera.position));
    const next = updateCloseSet(s.close, s.distances);
    if (next) {
      s.close = next;
      useLocalStore.getState().setCloseUp([...next]);
    }
  });
  return null;
}
