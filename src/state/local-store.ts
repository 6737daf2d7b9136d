import { create } from "zustand";

/** How the camera is driven: walking, orbiting one artefact, or following the tour. */
export type ViewMode = "walk" | "inspect" | "tour";

/** Loading state of one model URL. */
export interface ModelLoad {
  fraction: number;
  status: "loading" | "loaded" | "failed";
  error?: string;
}

/**
 * Local scope: state of this tab only (never synced, never persisted, except the language, which
 * is remembered between visits). Per-frame values such as the camera pose live in refs inside the
 * scene, not here, so the frame loop never causes a React update.
 */
export interface LocalState {
  language: string;
  mode: ViewMode;
  room: string | null;
  /** Placement being inspected (mode "inspect") or focused by the tour. */
  selected: string | null;
  /** Placement under the pointer, for the hover card. */
  hovered: string | null;
  tourIndex: number;
  models: Record<string, ModelLoad>;
  /** Placements the camera is close to (they show their detailed tier on desktops). */
  closeUp: Record<string, true>;
  /** The immersive session on show, if any (mirrored from the XR store for non-XR components). */
  immersive: "vr" | "ar" | null;
  /** Whether the room on show has been drawn with its models: the loading bar stays until then. */
  sceneReady: boolean;
  setLanguage(language: string): void;
  enterRoom(room: string): void;
  inspect(placement: string): void;
  walk(): void;
  startTour(index?: number): void;
  setHovered(placement: string | null): void;
  modelProgress(url: string, update: ModelLoad): void;
  setCloseUp(placements: string[]): void;
  setImmersive(immersive: "vr" | "ar" | null): void;
  reset(room: string | null): void;
}

const LANGUAGE_KEY = "atrium.language";

function rememberedLanguage(): string {
  try {
    return globalThis.localStorage?.getItem(LANGUAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

export const useLocalStore = create<LocalState>()((set) => ({
  language: rememberedLanguage(),
  mode: "walk",
  room: null,
  selected: null,
  hovered: null,
  tourIndex: 0,
  models: {},
  closeUp: {},
  immersive: null,
  sceneReady: false,
  setLanguage: (language) => {
    try {
      globalThis.localStorage?.setItem(LANGUAGE_KEY, language);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
    set({ language });
  },
  enterRoom: (room) => set({ room, mode: "walk", selected: null, hovered: null }),
  inspect: (placement) => set({ mode: "inspect", selected: placement }),
  walk: () => set({ mode: "walk", selected: null }),
  startTour: (index = 0) => set({ mode: "tour", tourIndex: index }),
  setHovered: (hovered) => set({ hovered }),
  modelProgress: (url, update) => set((s) => ({ models: { ...s.models, [url]: update } })),
  setCloseUp: (placements) => set({ closeUp: Object.fromEntries(placements.map((p) => [p, true as const])) }),
  setImmersive: (immersive) => set({ immersive }),
  reset: (room) => set({ room, mode: "walk", selected: null, hovered: null, tourIndex: 0, closeUp: {}, sceneReady: false }),
}));
