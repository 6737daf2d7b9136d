import { useLayoutEffect, type DependencyList, type RefObject } from "react";
import type { Object3D } from "three";

/**
 * The loaded artefact objects of the room on show, by placement id: the camera director frames
 * them for inspection and `window.atrium.stats()` counts them. A plain map, read in the frame
 * loop without React.
 */
export const artefactObjects = new Map<string, Object3D>();

/** The doorway openings of the room on show, by the id of the room each leads to. */
export const doorObjects = new Map<string, Object3D>();

/** The placement groups (plinth + object) of the room on show, by placement id: the studio's gizmo attaches here. */
export const placementObjects = new Map<string, Object3D>();

/**
 * Keeps `ref`'s object in `registry` under `id` while it is mounted (and only if it is still the
 * one registered when it unmounts, so a quick remount never removes its successor).
 */
export function useRegistered(registry: Map<string, Object3D>, id: string, ref: RefObject<Object3D | null>, deps: DependencyList = []): void {
  useLayoutEffect(() => {
    const o = ref.current;
    if (!o) return;
    registry.set(id, o);
    return () => {
      if (registry.get(id) === o) registry.delete(id);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what remounts the object
  }, [registry, id, ...deps]);
}
