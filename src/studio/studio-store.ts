import { create } from "zustand";

/** What a click on an object does in the studio. */
export type StudioTool = "move" | "turn" | "annotate";
export type StudioPanel = "show" | "rooms" | "tour" | "plans" | "versions" | "comments" | null;

/**
 * Local scope of the studio (this tab only, never synced): the selection, the active tool, which
 * panel is open and which language the text editors write.
 */
export interface StudioState {
  picked: string | null;
  tool: StudioTool;
  panel: StudioPanel;
  /** Language tab of the text editors; null = the show's first language. */
  editLanguage: string | null;
  catalogueOpen: boolean;
  pick(id: string | null): void;
  setTool(tool: StudioTool): void;
  togglePanel(panel: Exclude<StudioPanel, null>): void;
  setEditLanguage(lang: string): void;
  toggleCatalogue(): void;
}

export const useStudioStore = create<StudioState>()((set) => ({
  picked: null,
  tool: "move",
  panel: null,
  editLanguage: null,
  catalogueOpen: true,
  pick: (picked) => set({ picked }),
  setTool: (tool) => set({ tool }),
  togglePanel: (panel) => set((s) => ({ panel: s.panel === panel ? null : panel })),
  setEditLanguage: (editLanguage) => set({ editLanguage }),
  toggleCatalogue: () => set((s) => ({ catalogueOpen: !s.catalogueOpen })),
}));

/** How long a notice stays in the studio's status line. */
const NOTICE_MS = 8000;
let noticeTimer: ReturnType<typeof setTimeout> | undefined;

/** The studio's one-line notice (refusals, upload results), cleared after a few seconds. */
export const useStudioNotice = create<{ text: string | null; show(text: string | null): void }>()((set) => ({
  text: null,
  show: (text) => {
    clearTimeout(noticeTimer);
    if (text) noticeTimer = setTimeout(() => set({ text: null }), NOTICE_MS);
    set({ text });
  },
}));
