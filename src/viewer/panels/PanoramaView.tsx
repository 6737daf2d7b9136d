import { useEffect, useLayoutEffect, useRef } from "react";
import { useT } from "../../i18n/strings";
import { PANORAMA_FACES } from "../panorama";
import { projectPanorama } from "../panorama-projection";
import { useFocusOnOpen } from "./focus";

/** Degrees turned per key press, and per pixel dragged. */
const KEY_STEP = 15;
const DRAG_STEP = 0.25;

/** The widest view drawn (pixels): wider stages are scaled up by the browser. */
const MAX_WIDTH = 720;

/**
 * A room's 360° panorama (`Room.panorama`, six cube faces in one picture) to look around without
 * WebGL: a 2D canvas redrawn from the faces for the direction looked at (`projectPanorama`, 90°
 * across), at most once a frame and only when the direction changes. Drag (mouse or finger) or
 * use the arrow keys to turn; a phone's motion sensors turn it too where the browser offers them
 * without asking. (CSS 3D cubes were tried first: Chromium's software compositor left parts of
 * turned faces undrawn.)
 */
export function PanoramaView({ src, roomName, onClose }: { src: string; roomName: string; onClose: () => void }) {
  const t = useT();
  const panel = useRef<HTMLElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const look = useRef({ yaw: 0, pitch: 0 });
  const pixels = useRef<{ data: Uint8ClampedArray; face: number } | null>(null);
  const frame = useRef(0);
  useFocusOnOpen(panel, [".plan-look-around", ".room-nav [aria-current=true]"]);

  const draw = () => {
    frame.current = 0;
    const c = canvas.current;
    const p = pixels.current;
    const ctx = c?.getContext("2d");
    if (!c || !p || !ctx || c.width === 0 || c.height === 0) return;
    const image = ctx.createImageData(c.width, c.height);
    projectPanorama(p.data, p.face, image.data, c.width, c.height, look.current.yaw, look.current.pitch);
    ctx.putImageData(image, 0, 0);
    if (stage.current) {
      stage.current.dataset.yaw = String(Math.round(((look.current.yaw % 360) + 360) % 360));
      stage.current.dataset.pitch = String(Math.round(look.current.pitch));
      stage.current.dataset.ready = "true";
    }
  };
  const apply = () => {
    frame.current ||= requestAnimationFrame(draw);
  };
  const turn = (dYaw: number, dPitch: number) => {
    const l = look.current;
    l.yaw += dYaw;
    l.pitch = Math.max(-85, Math.min(85, l.pitch + dPitch));
    apply();
  };

  // The picture's pixels, once loaded; the canvas follows the stage's size.
  useEffect(() => {
    let live = true;
    const image = new Image();
    image.decoding = "async";
    image.onload = () => {
      if (!live) return;
      const face = image.naturalHeight;
      const scratch = document.createElement("canvas");
      scratch.width = face * PANORAMA_FACES.length;
      scratch.height = face;
      const ctx = scratch.getContext("2d", { willReadFrequently: true });
      if (!ctx) return;
      ctx.drawImage(image, 0, 0, scratch.width, scratch.height);
      pixels.current = { data: ctx.getImageData(0, 0, scratch.width, scratch.height).data, face };
      apply();
    };
    image.src = src;
    return () => {
      live = false;
      cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [src]);

  useLayoutEffect(() => {
    const el = stage.current;
    const c = canvas.current;
    if (!el || !c) return;
    const measure = () => {
      const width = Math.min(MAX_WIDTH, el.clientWidth);
      c.width = width;
      c.height = Math.max(1, Math.round((width * el.clientHeight) / Math.max(1, el.clientWidth)));
      apply();
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener("keydown", onKey, { capture: true });
    // A phone held up: its compass heading and tilt turn the view (relative to how it was held at first).
    let start: { alpha: number; beta: number } | null = null;
    const onOrientation = (e: DeviceOrientationEvent) => {
      if (e.alpha === null || e.beta === null) return;
      start ??= { alpha: e.alpha, beta: e.beta };
      look.current.yaw = -(e.alpha - start.alpha);
      look.current.pitch = Math.max(-85, Math.min(85, e.beta - 90));
      apply();
    };
    window.addEventListener("deviceorientation", onOrientation);
    return () => {
      window.removeEventListener("keydown", onKey, { capture: true });
      window.removeEventListener("deviceorientation", onOrientation);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const drag = useRef<{ x: number; y: number } | null>(null);
  return (
    <section
      className="panel panorama-view"
      aria-labelledby="panorama-title"
      ref={panel}
      tabIndex={-1}
      // The arrow keys turn the view wherever focus is in the panel.
      onKeyDown={(e) => {
        const step: Record<string, [number, number]> = { ArrowLeft: [-KEY_STEP, 0], ArrowRight: [KEY_STEP, 0], ArrowUp: [0, KEY_STEP], ArrowDown: [0, -KEY_STEP] };
        const s = step[e.key];
        if (!s) return;
        e.preventDefault();
        turn(s[0], s[1]);
      }}
    >
      <header>
        <h2 id="panorama-title">{t("panoramaOf", { room: roomName })}</h2>
        <button className="close" onClick={onClose} aria-label={t("close")}>
          ×
        </button>
      </header>
      <div
        className="panorama-stage"
        ref={stage}
        tabIndex={0}
        role="img"
        aria-roledescription={t("panorama360")}
        aria-label={t("panoramaLabel", { room: roomName })}
        onPointerDown={(e) => {
          drag.current = { x: e.clientX, y: e.clientY };
          e.currentTarget.setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          if (!drag.current) return;
          // Grab the room: dragging to the right turns the view to the left.
          turn(-(e.clientX - drag.current.x) * DRAG_STEP, (e.clientY - drag.current.y) * DRAG_STEP);
          drag.current = { x: e.clientX, y: e.clientY };
        }}
        onPointerUp={() => (drag.current = null)}
        onPointerCancel={() => (drag.current = null)}
      >
        <canvas ref={canvas} className="panorama-canvas" />
      </div>
      <p className="hint">{t("panoramaHint")}</p>
    </section>
  );
}
