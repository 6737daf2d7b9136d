import { useContext, useEffect, useMemo, useRef } from "react";
import { Box3, Vector3, type Object3D } from "three";
import { useExhibition } from "../../collab";
import { pickText } from "../../shared/exhibition";
import { placementsIn } from "../../shared/exhibition/tiers";
import { useT } from "../../i18n/strings";
import { useLocalStore } from "../../state/local-store";
import { ArtefactClickContext, modelTopPoint } from "../artefact-interaction";
import { artefactObjects, doorObjects, placementObjects } from "../artefact-registry";
import { useMayMove } from "../guide";
import { arrivalPose } from "../room-layout";
import { exits, walkingOrder } from "../room-reading";
import { useTextFallbacks } from "../text-fallbacks";
import { viewCamera } from "../view-camera";

const box = new Box3();
const centre = new Vector3();

/**
 * Keeps a focused hotspot's ring on its object: while a hotspot has focus, each animation frame
 * projects the object's centre with the view's camera and moves the button there (a style write,
 * no React state, no allocation); nothing runs while none is focused.
 */
function follow(button: HTMLElement, target: () => Object3D | undefined): () => void {
  let frame = 0;
  const canvas = document.querySelector<HTMLCanvasElement>(".gallery-canvas canvas");
  const step = () => {
    const object = target();
    const camera = viewCamera.current;
    if (object && camera && canvas) {
      box.setFromObject(object).getCenter(centre).project(camera);
      const r = canvas.getBoundingClientRect();
      const visible = centre.z < 1 && Math.abs(centre.x) <= 1.05 && Math.abs(centre.y) <= 1.05;
      const x = Math.min(r.right - 8, Math.max(r.left + 8, r.left + ((centre.x + 1) / 2) * r.width));
      const y = Math.min(r.bottom - 8, Math.max(r.top + 8, r.top + ((1 - centre.y) / 2) * r.height));
      button.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px)`;
      button.dataset.onScreen = visible ? "true" : "false";
    }
    frame = requestAnimationFrame(step);
  };
  step();
  return () => cancelAnimationFrame(frame);
}

/**
 * The 3D view's hotspots as Tab stops, right after the view: the room's artefacts (performers
 * included) in walking order, then its doorways. Each is a real button, out of sight until it has
 * focus; then it shows as a ring with the object's name on the object itself (following it as the
 * camera moves) and the object is highlighted as if hovered. Enter or Space does what a click on the
 * object does (inspect; in the studio, select), or walks through the doorway. Annotation pins are
 * the close-up's own buttons (`Artefact.tsx`); Esc leaves a close-up.
 */
export function Hotspots({ roomId }: { roomId: string }) {
  const t = useT();
  const mode = useLocalStore((s) => s.mode);
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  const mayMove = useMayMove();
  const onArtefactClick = useContext(ArtefactClickContext);
  const placements = useExhibition((d) => d.placements);
  const items = useExhibition((d) => d.items);
  const room = useExhibition((d) => d.rooms[roomId]);
  const rooms = useExhibition((d) => d.rooms);
  const ordered = useMemo(() => (room ? walkingOrder(placementsIn({ placements }, roomId), arrivalPose(room, null)) : []), [placements, room, roomId]);
  const stop = useRef<(() => void) | null>(null);
  useEffect(() => () => stop.current?.(), []);
  if (!room) return null;
  const text = (m: Parameters<typeof pickText>[0]) => pickText(m, language, fallbacks);
  const onFocus = (el: HTMLElement, target: () => Object3D | undefined, hovered: string | null) => {
    stop.current?.();
    stop.current = follow(el, target);
    useLocalStore.getState().setHovered(hovered);
  };
  const onBlur = () => {
    stop.current?.();
    stop.current = null;
    useLocalStore.getState().setHovered(null);
  };
  return (
    // Hidden, not removed, during a close-up or a tour: the panel gives focus back to the hotspot that opened it.
    <ul className="hotspots" aria-label={t("inThisRoom")} hidden={mode !== "walk"}>
      {ordered.map(([id, p]) => {
        const item = items[p.item];
        if (!item) return null;
        return (
          <li key={id}>
            <button
              className="hotspot"
              data-hotspot={id}
              onFocus={(e) => onFocus(e.currentTarget, () => artefactObjects.get(id) ?? placementObjects.get(id), id)}
              onBlur={onBlur}
              onClick={(e) => {
                const object = artefactObjects.get(id) ?? placementObjects.get(id);
                const point = object ? box.setFromObject(object).getCenter(new Vector3()) : new Vector3(...p.position);
                // Enter stands for a click on the model: a note pinned by keyboard goes on its top;
                // Shift+Enter adds to a selection as Shift+click does.
                onArtefactClick(id, { point, modelPoint: modelTopPoint(artefactObjects.get(id)), additive: e.shiftKey });
              }}
            >
              {text(item.title)}
            </button>
          </li>
        );
      })}
      {exits(room).map((e) => {
        const to = rooms[e.to];
        if (!to) return null;
        return (
          <li key={`door-${e.to}`}>
            <button
              className="hotspot"
              data-hotspot-door={e.to}
              disabled={!mayMove}
              onFocus={(ev) => onFocus(ev.currentTarget, () => doorObjects.get(e.to), null)}
              onBlur={onBlur}
              onClick={() => useLocalStore.getState().enterRoom(e.to)}
            >
              {t("doorTo", { room: text(to.name) })}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
