import { createContext, useContext, type ComponentType, type ReactNode } from "react";
import type { LiveExhibition } from "../collab";
import type { Role } from "../shared/exhibition/permissions";
import type { Quality } from "../shared/exhibition/tiers";
import type { LabelLine } from "./label-texture";

/** A button on a panel in VR (the headset layer draws it; a ray or a hand selects it). */
export interface VRButton {
  id: string;
  label: string;
  onSelect: () => void;
  /** Drawn as pressed (a toggle that is on). */
  active?: boolean;
  disabled?: boolean;
}

/**
 * A panel an extension shows in VR, docked by the headset layer beside its menu (which follows
 * the visitor lazily): `left` or `right` of the menu, facing the visitor.
 */
export interface VRDockedPanelProps {
  /** Unique in the scene (the XR probe finds panels by name). */
  name: string;
  slot: "left" | "right";
  lines: LabelLine[];
  buttons: VRButton[];
  width?: number;
  height?: number;
  /** Buttons to a row (4 unless said: a keyboard has more, narrower keys). */
  perRow?: number;
}

/** What the gallery is drawn from: the room on show, the tier asked for, and benchmark timing. */
export interface GalleryProps {
  roomId: string;
  quality: Quality;
  bench: boolean;
}

/**
 * What a layer built on the viewer adds to it: the studio's tools, the headset views, a class.
 * The viewer imports none of them; the page that shows it (`src/visit/VisitPage.tsx`) passes the
 * ones it needs, in order, and loads each only when it is needed. Every part is optional.
 */
export interface ViewerExtension {
  /** For keys and logs. */
  name: string;
  /**
   * Wraps scene and panels (providers: the studio's context, a class's guide). Gets the live
   * connection (null until it has synced: tools wait for it, since edits go only into the live
   * document) and the user's role. Always rendered, so the canvas is never remounted when the
   * live document arrives.
   */
  Wrapper?: ComponentType<{ id: string; live: LiveExhibition | null; role: Role; children: ReactNode }>;
  /** Wraps everything inside the 3D canvas (the XR session). */
  SceneWrapper?: ComponentType<{ children: ReactNode }>;
  /** Draws the gallery instead of the viewer's own `GalleryScene` (the headset's rig, the AR view). */
  Gallery?: ComponentType<GalleryProps>;
  /** Rendered inside the 3D canvas (gizmos, cursors, the teacher's figure). */
  SceneTools?: ComponentType;
  /** Rendered over the canvas (toolbars, drawers, the class bar). */
  Panels?: ComponentType;
  /** Buttons in the HUD's action bar (Enter VR, Start a class). */
  HudActions?: ComponentType<{ exhibition: string }>;
  /** Buttons under an inspected artefact's label (View in AR). */
  InspectActions?: ComponentType<{ placementId: string }>;
  /**
   * What the extension shows in VR (a class's hand, question and teacher's controls), drawn with
   * the headset layer's `Panel` so this extension needs nothing from it; `menuOpen` says whether
   * the visitor has the VR menu open.
   */
  VR?: ComponentType<{ menuOpen: boolean; Panel: ComponentType<VRDockedPanelProps> }>;
  /** Class added to the page, for layout. */
  className?: string;
  /** Whether the viewer's own label editing is replaced by this extension's (the studio's inspector). */
  editsLabels?: boolean;
  /**
   * Whether the page is shown to an audience (a class): the close-up panel then shows labels and
   * never edits them, so a teacher's stray keystroke cannot change the show in front of the class.
   */
  presenting?: boolean;
}

/** The extensions the viewer on this page runs with, for the panels that show their buttons. */
export const ExtensionsContext = createContext<readonly ViewerExtension[]>([]);

/** The page's extensions. */
export const useExtensions = (): readonly ViewerExtension[] => useContext(ExtensionsContext);
