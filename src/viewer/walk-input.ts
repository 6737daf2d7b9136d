/**
 * Raw visitor input, accumulated between frames: keys held, look drag (px), pinch travel and
 * wheel travel. The frame loop reads and clears the accumulators, so input events never
 * cause React renders.
 */
export interface WalkInput {
  keys: Set<string>;
  lookX: number;
  lookY: number;
  /** Metres to move forward (pinch out / wheel up), consumed by the frame loop. */
  push: number;
  /** True while a pointer is held down on the canvas. */
  dragging: boolean;
}

const MOVE_KEYS = new Set(["KeyW", "KeyA", "KeyS", "KeyD", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "KeyQ", "KeyE", "ShiftLeft", "ShiftRight"]);

function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  // Keys belong to the reading panel a keyboard user is in (the text version scrolled with the
  // arrows, the settings' radio groups); a button elsewhere (the HUD, a class's controls) still walks.
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable || !!el.closest?.(".text-version, .preferences-panel"));
}

/**
 * Set while another tool owns the pointer (the studio's move gizmo): drags then move the object,
 * not the visitor's gaze.
 */
export const pointerOwner = { held: false };

/** Listens on the canvas and window; returns the input state and a cleanup function. */
export function attachWalkInput(canvas: HTMLElement): { input: WalkInput; dispose: () => void } {
  const input: WalkInput = { keys: new Set(), lookX: 0, lookY: 0, push: 0, dragging: false };
  const pointers = new Map<number, { x: number; y: number }>();
  let pinchDistance = 0;

  const distance = () => {
    const [a, b] = [...pointers.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  };
  const onDown = (e: PointerEvent) => {
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    input.dragging = true;
    if (pointers.size === 2) pinchDistance = distance();
  };
  const onMove = (e: PointerEvent) => {
    const p = pointers.get(e.pointerId);
    if (!p) return;
    if (pointers.size === 1 && !pointerOwner.held) {
      input.lookX += e.clientX - p.x;
      input.lookY += e.clientY - p.y;
    }
    p.x = e.clientX;
    p.y = e.clientY;
    if (pointers.size === 2) {
      const d = distance();
      input.push += (d - pinchDistance) * 0.012;
      pinchDistance = d;
    }
  };
  const onUp = (e: PointerEvent) => {
    pointers.delete(e.pointerId);
    input.dragging = pointers.size > 0;
  };
  const onWheel = (e: WheelEvent) => {
    input.push += -Math.sign(e.deltaY) * 0.35;
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (typingInto(e.target) || e.metaKey || e.ctrlKey || e.altKey) return;
    if (MOVE_KEYS.has(e.code)) {
      input.keys.add(e.code);
      if (e.code.startsWith("Arrow")) e.preventDefault();
    }
  };
  const onKeyUp = (e: KeyboardEvent) => input.keys.delete(e.code);
  const onBlur = () => {
    input.keys.clear();
    pointers.clear();
    input.dragging = false;
  };

  canvas.addEventListener("pointerdown", onDown);
  window.addEventListener("pointermove", onMove);
  window.addEventListener("pointerup", onUp);
  window.addEventListener("pointercancel", onUp);
  canvas.addEventListener("wheel", onWheel, { passive: true });
  window.addEventListener("keydown", onKeyDown);
  window.addEventListener("keyup", onKeyUp);
  window.addEventListener("blur", onBlur);
  return {
    input,
    dispose: () => {
      canvas.removeEventListener("pointerdown", onDown);
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
      window.removeEventListener("pointercancel", onUp);
      canvas.removeEventListener("wheel", onWheel);
      window.removeEventListener("keydown", onKeyDown);
      window.removeEventListener("keyup", onKeyUp);
      window.removeEventListener("blur", onBlur);
    },
  };
}

/** Forward (-1..1), strafe (-1..1) and turn (-1..1) from the keys held. */
export function keyAxes(keys: ReadonlySet<string>, out: { forward: number; strafe: number; turn: number; fast: boolean }) {
  out.forward = (keys.has("KeyW") || keys.has("ArrowUp") ? 1 : 0) - (keys.has("KeyS") || keys.has("ArrowDown") ? 1 : 0);
  out.strafe = (keys.has("KeyD") ? 1 : 0) - (keys.has("KeyA") ? 1 : 0);
  out.turn = (keys.has("ArrowLeft") || keys.has("KeyQ") ? 1 : 0) - (keys.has("ArrowRight") || keys.has("KeyE") ? 1 : 0);
  out.fast = keys.has("ShiftLeft") || keys.has("ShiftRight");
  return out;
}
