import { useLocalStore } from "../state/local-store";
import { pointerOwner } from "../viewer/walk-input";
import type { Studio } from "./studio-context";
import { useStudioStore } from "./studio-store";

/** A drag this short (px) is a click, not a box. */
const BOX_SLOP = 6;

/**
 * Shift-drag on the canvas draws a box; the objects of the room on show whose centre falls in it
 * are selected (added to the selection). While the box is drawn the pointer is the studio's, so
 * the view does not turn. Returns the detach function.
 */
export function attachBoxSelect(canvas: HTMLElement, studio: Studio): () => void {
  let from: { x: number; y: number; id: number } | null = null;
  let box: HTMLDivElement | null = null;
  const rect = (e: PointerEvent) => ({ left: Math.min(from!.x, e.clientX), top: Math.min(from!.y, e.clientY), right: Math.max(from!.x, e.clientX), bottom: Math.max(from!.y, e.clientY) });
  const down = (e: PointerEvent) => {
    if (!e.shiftKey || e.button !== 0 || pointerOwner.held) return;
    from = { x: e.clientX, y: e.clientY, id: e.pointerId };
    pointerOwner.held = true;
  };
  const move = (e: PointerEvent) => {
    if (!from || e.pointerId !== from.id) return;
    const r = rect(e);
    if (!box && r.right - r.left < BOX_SLOP && r.bottom - r.top < BOX_SLOP) return;
    if (!box) {
      box = document.createElement("div");
      box.className = "box-select";
      box.setAttribute("aria-hidden", "true");
      document.body.append(box);
    }
    Object.assign(box.style, { left: `${r.left}px`, top: `${r.top}px`, width: `${r.right - r.left}px`, height: `${r.bottom - r.top}px` });
  };
  const up = (e: PointerEvent) => {
    if (!from || e.pointerId !== from.id) return;
    pointerOwner.held = false;
    if (box) {
      const r = rect(e);
      const room = useLocalStore.getState().room;
      const inside: string[] = [];
      for (const [pid, p] of Object.entries(studio.editor.doc.placements)) {
        if (p.room !== room) continue;
        const y = p.mount === "wall" ? p.position[1] : (p.plinth?.height ?? 0) + 0.15;
        const at = studio.bridge.screenPoint?.(p.position[0], y, p.position[2]);
        if (at && at.x >= r.left && at.x <= r.right && at.y >= r.top && at.y <= r.bottom) inside.push(pid);
      }
      if (inside.length) useStudioStore.getState().pickMany(inside, true);
      box.remove();
      box = null;
    }
    from = null;
  };
  canvas.addEventListener("pointerdown", down);
  window.addEventListener("pointermove", move);
  window.addEventListener("pointerup", up);
  return () => {
    box?.remove();
    canvas.removeEventListener("pointerdown", down);
    window.removeEventListener("pointermove", move);
    window.removeEventListener("pointerup", up);
  };
}
