import { create } from "zustand";
import { DATA_SAVER_COOKIE } from "../shared/exhibition/tiers";

/** How large reading text is drawn, as a factor of the page's base size. */
export const TEXT_SIZES = [1, 1.25, 1.5] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

/** Which view of a room is shown: the 3D gallery, or its plan and text (no WebGL, a weak device, `?mode=2d`). */
export type ViewKind = "3d" | "2d";

/**
 * A visitor's access preferences, remembered on this device (local scope, never synced).
 * `reducedMotion: null` follows the system setting (`prefers-reduced-motion`); true or false is the
 * visitor's own choice, which wins over it.
 */
export interface Preferences {
  reducedMotion: boolean | null;
  textSize: TextSize;
  highContrast: boolean;
  captions: boolean;
  /** Whether the text version of the room is open beside the view. */
  textVersion: boolean;
  /** The visitor's chosen view; null: 3D where WebGL works and the device is not weak. */
  view: ViewKind | null;
  /** Both ears hear the same sound: recordings and the headset's spatial audio mixed down to one channel. */
  monoAudio: boolean;
  /**
   * Light 3D models only (each artefact's `thumb` tier, else its lightest): for a slow or metered
   * link. null follows the browser's data-saver hint (`navigator.connection.saveData`).
   */
  dataSaver: boolean | null;
}

export const DEFAULT_PREFERENCES: Preferences = { reducedMotion: null, textSize: 1, highContrast: false, captions: true, textVersion: false, view: null, monoAudio: false, dataSaver: null };

const KEY = "atrium.preferences";

/**
 * Reads stored preferences, keeping only well-formed values: the store is the visitor's own, but a
 * stale or hand-edited entry must not break the page.
 */
export function parsePreferences(raw: string | null): Preferences {
  const out = { ...DEFAULT_PREFERENCES };
  if (!raw) return out;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return out;
  }
  if (!v || typeof v !== "object") return out;
  const o = v as Record<string, unknown>;
  if (o.reducedMotion === null || typeof o.reducedMotion === "boolean") out.reducedMotion = o.reducedMotion;
  if (TEXT_SIZES.includes(o.textSize as TextSize)) out.textSize = o.textSize as TextSize;
  if (typeof o.highContrast === "boolean") out.highContrast = o.highContrast;
  if (typeof o.captions === "boolean") out.captions = o.captions;
  if (typeof o.textVersion === "boolean") out.textVersion = o.textVersion;
  if (o.view === "3d" || o.view === "2d" || o.view === null) out.view = o.view;
  if (typeof o.monoAudio === "boolean") out.monoAudio = o.monoAudio;
  if (o.dataSaver === null || typeof o.dataSaver === "boolean") out.dataSaver = o.dataSaver;
  return out;
}

function stored(): Preferences {
  try {
    return parsePreferences(globalThis.localStorage?.getItem(KEY) ?? null);
  } catch {
    return { ...DEFAULT_PREFERENCES };
  }
}

/**
 * The server picks what a visit page preloads before any script runs, so it must know the
 * visitor's choice: a first-party cookie holding only "on" or "off" (no identifier), removed when
 * the visitor goes back to following the browser's hint (`Save-Data`).
 */
function tellServerDataSaver(choice: boolean | null): void {
  if (typeof document === "undefined") return;
  document.cookie = choice === null ? `${DATA_SAVER_COOKIE}=; path=/; max-age=0; samesite=lax` : `${DATA_SAVER_COOKIE}=${choice ? "on" : "off"}; path=/; max-age=31536000; samesite=lax`;
}

/** Preferences of this device, and the one way to change them (each change is stored at once). */
export const usePreferences = create<Preferences & { set(change: Partial<Preferences>): void }>()((set, get) => ({
  ...stored(),
  set: (change) => {
    set(change);
    if ("dataSaver" in change) tellServerDataSaver(change.dataSaver ?? null);
    const { set: _, ...prefs } = get();
    try {
      globalThis.localStorage?.setItem(KEY, JSON.stringify(prefs));
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  },
}));

const systemReducedMotion = () => typeof matchMedia !== "undefined" && matchMedia("(prefers-reduced-motion: reduce)").matches;

/**
 * Whether motion is reduced now: the visitor's choice, else the system's. Camera moves then cut
 * instead of gliding and nothing starts playing by itself. Read when a move starts, not per frame.
 */
export function reducedMotion(): boolean {
  const choice = usePreferences.getState().reducedMotion;
  return choice ?? systemReducedMotion();
}

/** Hook form of {@link reducedMotion}, for components that render differently. */
export function useReducedMotion(): boolean {
  const choice = usePreferences((s) => s.reducedMotion);
  return choice ?? systemReducedMotion();
}

/** Whether this browser can draw WebGL at all (asked once). */
let webgl: boolean | undefined;
export function hasWebGL(): boolean {
  if (webgl === undefined) {
    try {
      const c = document.createElement("canvas");
      webgl = !!(c.getContext("webgl2") ?? c.getContext("webgl"));
    } catch {
      webgl = false;
    }
  }
  return webgl;
}

/**
 * Whether this device is too weak to draw a room in 3D: under 1 GB of memory as the browser
 * reports it (`navigator.deviceMemory`, Chromium's rounded figure: 0.25, 0.5, 1, 2, ...). A
 * gallery room with its textures needs a few hundred MB of it; such phones crash the tab instead
 * of showing it. Browsers that do not report it are not judged weak.
 */
export function isWeakDevice(nav: { deviceMemory?: number } | undefined = globalThis.navigator as { deviceMemory?: number } | undefined): boolean {
  const memory = nav?.deviceMemory;
  return typeof memory === "number" && memory < 1;
}

/** Whether the browser asks to save data (Save-Data: Chromium's data saver, or a metered link the visitor marked so). */
export function browserSavesData(nav: unknown = globalThis.navigator): boolean {
  return (nav as { connection?: { saveData?: boolean } } | undefined)?.connection?.saveData === true;
}

/**
 * The view to show: `?mode=2d|3d` for this page, else the visitor's choice, else 3D where WebGL
 * works and the device is not weak. A device without WebGL always gets the 2D view.
 */
export function chooseView(search: string, chosen: ViewKind | null, canDraw3d: boolean, weak = false): ViewKind {
  if (!canDraw3d) return "2d";
  const asked = new URLSearchParams(search).get("mode");
  if (asked === "2d" || asked === "3d") return asked;
  return chosen ?? (weak ? "2d" : "3d");
}

// A choice stored before the cookie existed (or after it was cleared) is told to the server again.
if (usePreferences.getState().dataSaver !== null) tellServerDataSaver(usePreferences.getState().dataSaver);
