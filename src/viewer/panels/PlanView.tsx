import { useState } from "react";
import { useExhibition } from "../../collab";
import { pickText, type Item } from "../../shared/exhibition";
import { placementsIn, posterFileOf } from "../../shared/exhibition/tiers";
import { downloadUrl } from "../model-url";
import { PanoramaView } from "./PanoramaView";
import { useT } from "../../i18n/strings";
import { useLocalStore } from "../../state/local-store";
import { useGuide } from "../guide";
import { arrivalPose } from "../room-layout";
import { exits, walkingOrder } from "../room-reading";
import { useShowText, useTextFallbacks } from "../text-fallbacks";

/**
 * A picture of an item for the plan: its own poster or thumbnail, the poster shipped beside a
 * shipped model (`npm run posters`), else none (the plan shows the item's number alone).
 */
export function posterOf(item: Item): string | null {
  const a = item.asset;
  if (a.kind === "image") return a.thumb ?? a.src;
  if (a.kind !== "model") return null;
  if (a.poster) return downloadUrl(a.poster);
  const model = a.tiers.high ?? a.tiers.low;
  return model?.startsWith("/models/") ? downloadUrl(posterFileOf(model)) : null;
}

/**
 * The 2D view of a room, for devices that cannot draw 3D (or visitors who ask for it): the floor
 * plan to scale with each artefact's picture where it stands, numbered in walking order (the text
 * version's order), and the doorways. Choosing an artefact opens the same close-up panel as in 3D.
 */
export function PlanView({ roomId }: { roomId: string }) {
  const t = useT();
  const guide = useGuide();
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  const doc = useExhibition((d) => d);
  const selected = useLocalStore((s) => s.selected);
  const show = useShowText();
  const room = doc.rooms[roomId];
  const [looking, setLooking] = useState<string | null>(null);
  if (!room) return null;
  const text = (m: Parameters<typeof pickText>[0]) => pickText(m, language, fallbacks);
  const { w, d } = room.size;
  const entrance = arrivalPose(room, null);
  const ordered = walkingOrder(placementsIn(doc, roomId), entrance);
  // Room coordinates to percentages of the plan box (x right, z down the page: north is up).
  const left = (x: number) => `${((x + w / 2) / w) * 100}%`;
  const top = (z: number) => `${((z + d / 2) / d) * 100}%`;
  return (
    <div className="plan-view" role="group" aria-label={t("planOf", { room: text(room.name) })}>
      {room.panorama && (
        <button className="plan-look-around" onClick={() => setLooking(roomId)}>
          {t("lookAround")}
        </button>
      )}
      {room.panorama && looking === roomId && <PanoramaView src={downloadUrl(room.panorama)} roomName={text(room.name)} onClose={() => setLooking(null)} />}
      <div className="plan-room" style={{ aspectRatio: `${w} / ${d}`, width: `min(100%, calc((100dvh - ${room.panorama ? 250 : 200}px) * ${w / d}))`, background: room.floor.colour }}>
        {ordered.map(([id, p], i) => {
          const item = doc.items[p.item];
          if (!item) return null;
          const poster = posterOf(item);
          return (
            <button
              key={id}
              className="plan-artefact"
              data-placement={id}
              aria-current={selected === id ? "true" : undefined}
              style={{ left: left(p.position[0]), top: top(p.position[2]) }}
              onClick={() => useLocalStore.getState().inspect(id)}
            >
              {poster ? <img src={poster} alt="" loading="lazy" width={96} height={96} /> : <span className="plan-initial" aria-hidden="true">{item.asset.kind === "motion" ? "▶" : text(item.title).slice(0, 1)}</span>}
              {/* Named by what it shows: "1 Tea Whisk", the number of the walking order. */}
              <span className="plan-number">{i + 1}</span> <span className="plan-title" {...show(item.title)} />
            </button>
          );
        })}
        {exits(room).map((e) => {
          const to = doc.rooms[e.to];
          if (!to) return null;
          return (
            <button key={e.to} className="plan-door" data-door={e.to} style={{ left: left(e.x), top: top(e.z) }} disabled={!guide.mayMove()} onClick={() => useLocalStore.getState().enterRoom(e.to)}>
              {t("doorTo", { room: text(to.name) })}
            </button>
          );
        })}
        <span className="plan-you" style={{ left: left(entrance.x), top: top(entrance.z) }} aria-hidden="true">
          ▲
        </span>
      </div>
    </div>
  );
}
