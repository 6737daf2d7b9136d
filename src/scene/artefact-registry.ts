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
