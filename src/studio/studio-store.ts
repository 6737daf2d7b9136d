import { create } from "zustand";

/** What a click on an object does in the studio. */
export type StudioTool = "move" | "turn" | "scale" | "annotate";
export type StudioPanel = "show" | "rooms" | "tour" | "plans" | "versions" | "comments" | null;

/**
 * Local scope of the studio (this tab only, never synced): the selection, the active tool, which
 * panel is open and which language the text editors write.
 */
export interface StudioState {
  /** The selected placement the inspector shows and the gizmo sits on (the last one picked). */
  picked: string | null;
  /** Every selected placement, `picked` among them (shift-click and box select add to it). */
  selected: readonly string[];
  tool: StudioTool;
  panel: StudioPanel;
  /** Language tab of the text editors; null = the show's first language. */
  editLanguage: string | null;
  catalogueOpen: boolean;
  /** Selects one placement alone (or nothing). */
  pick(id: string | null): void;
  /** Shift-click: adds a placement to the selection (it becomes `picked`), or takes it out. */
  togglePick(id: string): void;
  /** Box select: exactly these placements (`add`: on top of the selection). */
  pickMany(ids: readonly string[], add?: boolean): void;
  setTool(tool: StudioTool): void;
  togglePanel(panel: Exclude<StudioPanel, null>): void;
  setEditLanguage(lang: string): void;
  toggleCatalogue(): void;
}

export const useStudioStore = create<StudioState>()((set) => ({
  picked: null,
  selected: [],
  tool: "move",
  panel: null,
  editLanguage: null,
  catalogueOpen: true,
  pick: (picked) => set({ picked, selected: picked ? [picked] : [] }),
  togglePick: (id) =>
    set((s) => {
      if (!s.selected.includes(id)) return { picked: id, selected: [...s.selected, id] };
      const selected = s.selected.filter((x) => x !== id);
      return { selected, picked: s.picked === id ? (selected[selected.length - 1] ?? null) : s.picked };
    }),
  pickMany: (ids, add = false) =>
    set((s) => {
      const selected = add ? [...new Set([...s.selected, ...ids])] : [...new Set(ids)];
      return { selected, picked: selected.includes(s.picked ?? "") ? s.picked : (selected[selected.length - 1] ?? null) };
    }),
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
