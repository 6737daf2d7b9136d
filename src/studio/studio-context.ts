import { createContext, useContext } from "react";
import type { CameraPose } from "../shared/exhibition";
import type { LiveExhibition, Presence } from "../collab";
import type { StudioEditor } from "./editor";

/**
 * Things only the 3D canvas knows, offered to the panels outside it: set by the scene tools when
 * they mount (the canvas's camera and renderer live there).
 */
export interface SceneBridge {
  /** The floor point (x, z) under a screen point, or null when it misses the floor. */
  floorPointAt: ((clientX: number, clientY: number) => [number, number] | null) | null;
  /** Where the camera is and what it looks at, for tour steps. */
  cameraPose: (() => CameraPose) | null;
  /** A JPEG of the view, without the studio's tools: the current one, or from where a visitor arriving stands. */
  snapshot: ((from?: { x: number; z: number; yaw: number }) => string) | null;
  /** Where a room point appears on screen (client pixels), or null behind the camera. */
  screenPoint: ((x: number, y: number, z: number) => { x: number; y: number } | null) | null;
  /** A camera pose that frames one placed object for a tour step (null before its model is in the scene). */
  framePose: ((placementId: string) => CameraPose | null) | null;
  /** The placement the camera is looking at, if any (for naming a tour step after what it shows). */
  viewedPlacement: (() => string | null) | null;
  /** A 360° panorama (JPEG) of the room on show from where a visitor arriving stands, without the studio's tools. */
  panorama: ((from: { x: number; z: number; yaw: number }) => Promise<Blob>) | null;
}

/** The studio of one exhibition: its editor, presence and live connection. */
export interface Studio {
  id: string;
  editor: StudioEditor;
  presence: Presence;
  live: LiveExhibition;
  bridge: SceneBridge;
  /** The user's museums with their names, for credit and lock texts. */
  museums: { id: string; name: Record<string, string> }[];
  /** Edited from a class seat (a group's show): no account, so no catalogue, uploads, members or publishing. */
  seat: boolean;
}

export const StudioContext = createContext<Studio | null>(null);

/** The studio, or null while it connects. */
export function useStudio(): Studio | null {
  return useContext(StudioContext);
}
