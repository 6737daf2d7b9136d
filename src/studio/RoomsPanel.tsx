import { useState } from "react";
import { useExhibition } from "../collab";
import { pickText, roomsInOrder, type LightingPreset, type WallSide } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { LanguageTabs, NumberField, useEditLanguage } from "./fields";
import { attempt, usePeers } from "./studio-hooks";
import { useStudio } from "./studio-context";
import { CoTextField } from "./co-text-field";
import { useStudioT } from "./studio-strings";

const WALLS: WallSide[] = ["north", "east", "south", "west"];
const LIGHTING: LightingPreset[] = ["gallery", "warm", "daylight", "dramatic"];

/** Rooms: the current room's name, size, colours, light and doorways; adding and removing rooms. */
export function RoomsPanel() {
  const t = useStudioT();
  const studio = useStudio();
  const roomId = useLocalStore((s) => s.room);
  const rooms = useExhibition((d) => d.rooms);
  const language = useLocalStore((s) => s.language);
  const lang = useEditLanguage();
  const peers = usePeers(studio?.presence);
  const [wall, setWall] = useState<WallSide>("east");
  const [target, setTarget] = useState("");
  const room = roomId ? rooms[roomId] : undefined;
  if (!studio || !room || !roomId) return null;
  const { editor } = studio;
  const disabled = !editor.canEdit();
  const others = roomsInOrder({ rooms }).filter(([id]) => id !== roomId && !room.doors.some((d) => d.to === id));
  return (
    <aside className="studio-drawer panel rooms-panel" aria-label={t("rooms")}>
      <h2>{t("rooms")}</h2>
      <nav className="room-list">
        {roomsInOrder({ rooms }).map(([id, r]) => (
          <button key={id} className={id === roomId ? "active" : ""} onClick={() => useLocalStore.getState().enterRoom(id)}>
            {pickText(r.name, language)}
          </button>
        ))}
      </nav>
      <LanguageTabs />
      <label>
        {t("roomName")}
        <CoTextField target={{ kind: "room", id: roomId }} lang={lang} name="room-name" value={room.name[lang] ?? ""} presence={studio.presence} peers={peers} disabled={disabled} onText={(v) => attempt(() => editor.setText({ kind: "room", id: roomId }, lang, v))} />
      </label>
      <div className="row">
        <span>{t("size")}</span>
        {(["w", "d", "h"] as const).map((k) => (
          <NumberField key={k} name={`size-${k}`} label={`${t("size")} ${k}`} step={0.5} value={room.size[k]} disabled={disabled} onCommit={(v) => attempt(() => editor.resizeRoom(roomId, { ...room.size, [k]: v }))} />
        ))}
      </div>
      <div className="row">
        <label className="inline">
          {t("wallColour")} <input type="color" name="wall-colour" value={room.walls.colour} disabled={disabled} onChange={(e) => attempt(() => editor.styleRoom(roomId, { walls: { ...room.walls, colour: e.target.value } }))} />
        </label>
        <label className="inline">
          {t("floorColour")} <input type="color" name="floor-colour" value={room.floor.colour} disabled={disabled} onChange={(e) => attempt(() => editor.styleRoom(roomId, { floor: { ...room.floor, colour: e.target.value } }))} />
        </label>
        <label className="inline">
          {t("lighting")}{" "}
          <select name="lighting" value={room.lighting} disabled={disabled} onChange={(e) => attempt(() => editor.styleRoom(roomId, { lighting: e.target.value as LightingPreset }))}>
            {LIGHTING.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
      </div>
      <h3>{t("doorways")}</h3>
      <ul className="doorways">
        {room.doors.map((d) => (
          <li key={d.to}>
            {d.wall} → {pickText(rooms[d.to]?.name ?? { en: d.to }, language)}
            {!disabled && (
              <button className="icon" aria-label={t("remove")} onClick={() => attempt(() => editor.disconnectRooms(roomId, d.to))}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {!disabled && (
        <div className="row">
          <select aria-label="wall" value={wall} onChange={(e) => setWall(e.target.value as WallSide)}>
            {WALLS.map((w) => (
              <option key={w}>{w}</option>
            ))}
          </select>
          {others.length > 0 && (
            <>
              <select aria-label="room" value={target} onChange={(e) => setTarget(e.target.value)}>
                <option value="">…</option>
                {others.map(([id, r]) => (
                  <option key={id} value={id}>
                    {pickText(r.name, language)}
                  </option>
                ))}
              </select>
              <button disabled={!target} onClick={() => attempt(() => editor.connectRooms(roomId, target, wall))}>
                {t("connect")}
              </button>
            </>
          )}
          <button
            name="add-room"
            onClick={() =>
              attempt(() => {
                const n = Object.keys(rooms).length + 1;
                const id = editor.addRoom({ en: `Room ${n}`, "zh-Hant": `第${n}展廳` }, { room: roomId, wall });
                useLocalStore.getState().enterRoom(id);
              })
            }
          >
            + {t("addRoom")}
          </button>
        </div>
      )}
      {!disabled && Object.keys(rooms).length > 1 && (
        <button
          className="danger"
          onClick={() =>
            attempt(() => {
              const next = roomsInOrder({ rooms }).find(([id]) => id !== roomId)![0];
              editor.removeRoom(roomId);
              useLocalStore.getState().enterRoom(next);
            })
          }
        >
          {t("removeRoom")}
        </button>
      )}
    </aside>
  );
}
