import { useEffect, useState } from "react";
import { useExhibition } from "../../collab";
import { pickText, roomsInOrder, type Exhibition } from "../../shared/exhibition";
import { placementsIn } from "../../shared/exhibition/tiers";
import { useT } from "../../i18n/strings";
import { useLocalStore } from "../../state/local-store";
import { useGuide } from "../guide";
import { arrivalPose } from "../room-layout";
import { exits, walkingOrder, whereFrom, type FloorPose, type Whereabouts } from "../room-reading";
import { useShowText, useTextFallbacks } from "../text-fallbacks";
import { currentFloorPose } from "../view-camera";
import { CreditLine } from "./CreditLine";
import { formatDimensions } from "./InspectPanel";

/** The id of the text version's section, for the skip link and the HUD toggle's `aria-controls`. */
export const TEXT_VERSION_ID = "text-version";

/**
 * Shows a placement close up: in the room on show at once; in another room the visitor is taken
 * there and the camera frames it once its model has loaded (CameraDirector waits for it).
 */
export function inspectFromText(room: string, placement: string): void {
  const s = useLocalStore.getState();
  if (s.room !== room) useLocalStore.setState({ room, hovered: null, tourIndex: 0, closeUp: {} });
  useLocalStore.setState({ mode: "inspect", selected: placement });
}

function useSayWhere(): (w: Whereabouts) => string {
  const t = useT();
  return (w) => {
    const m = String(w.metres);
    switch (w.side) {
      case "ahead":
        return t("sideAhead", { m });
      case "left":
        return t("sideLeft", { m });
      case "right":
        return t("sideRight", { m });
      case "behind":
        return t("sideBehind", { m });
      case "here":
        return t("sideHere");
    }
  };
}

/** The visitor's pose in the room on show, re-read every second while the list is open (never per frame). */
function useVisitorPose(fallback: FloorPose | null): { pose: FloorPose | null; measured: boolean } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const live = currentFloorPose();
  return live ? { pose: live, measured: true } : { pose: fallback, measured: false };
}

/**
 * One room in words: its artefacts in walking order, each with its label, description, notes and
 * credit line, and where it stands from the visitor (only for the room they are in). "Look closer"
 * inspects it in 3D too; focusing that button highlights the artefact in the scene, so keyboard
 * users see where Tab has taken them.
 */
function RoomInWords({ doc, roomId, here, headingLevel }: { doc: Exhibition; roomId: string; here: boolean; headingLevel: 3 | 4 }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  const guide = useGuide();
  const sayWhere = useSayWhere();
  const show = useShowText();
  const room = doc.rooms[roomId];
  const entrance = room ? arrivalPose(room, null) : null;
  const { pose } = useVisitorPose(entrance);
  if (!room || !entrance) return null;
  const text = (m: Parameters<typeof pickText>[0]) => pickText(m, language, fallbacks);
  const ordered = walkingOrder(placementsIn(doc, roomId), entrance);
  const H = `h${headingLevel}` as const;
  const Item = `h${headingLevel + 1}` as "h4" | "h5";
  return (
    <section className="room-words" data-room={roomId} aria-labelledby={`words-${roomId}`}>
      <H id={`words-${roomId}`}>
        <span {...show(room.name)} /> <span className="count">· {t("objectsCount", { n: ordered.length })}</span>
      </H>
      <ol className="artefact-words">
        {ordered.map(([id, p]) => {
          const item = doc.items[p.item];
          if (!item) return null;
          const museum = doc.meta.museums.find((m) => m.id === item.institution);
          const facts = [text(item.maker), text(item.date), text(item.culture), text(item.material), formatDimensions(item.dimensions)].filter(Boolean).join(" · ");
          const notes = Object.values(doc.annotations).filter((a) => a.item === p.item);
          return (
            <li key={id} data-placement={id}>
              <Item className="artefact-name" {...show(item.title)} />
              {here && pose && <p className="whereabouts">{sayWhere(whereFrom(pose, p.position[0], p.position[2]))}</p>}
              {facts && <p className="facts-line">{facts}</p>}
              {text(item.description) && <p className="description" {...show(item.description)} />}
              {notes.length > 0 && (
                <ul className="notes" aria-label={t("annotations")}>
                  {notes.map((a, i) => (
                    <li key={i} {...show(a.text)} />
                  ))}
                </ul>
              )}
              <CreditLine item={item} museum={museum} lang={language} />
              <button
                className="look-closer"
                aria-label={t("lookCloserAt", { title: text(item.title) })}
                onFocus={() => here && useLocalStore.getState().setHovered(id)}
                onBlur={() => useLocalStore.getState().setHovered(null)}
                onClick={() => inspectFromText(roomId, id)}
              >
                {t("lookCloser")}
              </button>
            </li>
          );
        })}
      </ol>
      {here && room.doors.length > 0 && (
        <ul className="doorway-words" aria-label={t("doorways")}>
          {exits(room).map((e) => {
            const to = doc.rooms[e.to];
            if (!to) return null;
            return (
              <li key={e.to}>
                <button data-door={e.to} disabled={!guide.mayMove()} onClick={() => useLocalStore.getState().enterRoom(e.to)}>
                  {t("doorTo", { room: text(to.name) })}
                  {pose && <span className="whereabouts"> · {sayWhere(whereFrom(pose, e.x, e.z))}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * The text version of the exhibition: what a screen reader, a keyboard user or a visitor without
 * 3D gets instead of the picture, for the room on show or the whole show. A landmark with a heading
 * per room and per artefact, so it can be read by headings.
 */
export function TextVersion({ roomId, onClose }: { roomId: string; onClose?: () => void }) {
  const t = useT();
  const [scope, setScope] = useState<"room" | "show">("room");
  const doc = useExhibition((d) => d);
  const rooms = scope === "room" ? [roomId] : roomsInOrder(doc).map(([id]) => id);
  return (
    <section id={TEXT_VERSION_ID} className="panel text-version" aria-labelledby="text-version-title" tabIndex={-1}>
      <header>
        <h2 id="text-version-title">{t("textVersion")}</h2>
        <div className="scope" role="group" aria-label={t("textVersionOf")}>
          <button aria-pressed={scope === "room"} onClick={() => setScope("room")}>
            {t("thisRoom")}
          </button>
          <button aria-pressed={scope === "show"} onClick={() => setScope("show")}>
            {t("wholeShow")}
          </button>
        </div>
        {onClose && (
          <button className="close" onClick={onClose} aria-label={t("close")}>
            ×
          </button>
        )}
      </header>
      {rooms.map((id) => (
        <RoomInWords key={id} doc={doc} roomId={id} here={id === roomId} headingLevel={3} />
      ))}
    </section>
  );
}
