import { api } from "../api/client";
import { roomsInOrder } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { arrivalPose } from "../viewer/room-layout";
import type { Studio } from "./studio-context";

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** Shows `room` in the studio's view and resolves once its models are loaded and drawn (or after `timeoutMs`). */
async function showRoom(room: string, timeoutMs = 60_000): Promise<void> {
  if (useLocalStore.getState().room !== room) useLocalStore.getState().enterRoom(room);
  // The probe marks the scene not ready when the new room's downloads begin, ready two frames after they end.
  await nextFrame();
  await nextFrame();
  const until = performance.now() + timeoutMs;
  while (!useLocalStore.getState().sceneReady && performance.now() < until) await nextFrame();
  await nextFrame();
}

/**
 * Makes the 360° panorama of every room of the show (`Room.panorama`), as publishing does: each
 * room is shown in the studio's view in turn, drawn from where visitors arrive
 * (`renderPanorama`, through the scene bridge), uploaded as a room panorama (a picture, no
 * catalogue entry) and named in the document by the usual room operation, so it is synced,
 * versioned and undoable like any edit. The view returns to the room the curator was in.
 * `onProgress` is told each room as it starts.
 */
export async function makeRoomPanoramas(studio: Studio, onProgress: (done: number, total: number) => void = () => {}): Promise<void> {
  const rooms = roomsInOrder(studio.editor.doc);
  const back = useLocalStore.getState().room;
  try {
    for (const [i, [id, room]] of rooms.entries()) {
      onProgress(i, rooms.length);
      await showRoom(id);
      const render = studio.bridge.panorama;
      if (!render) throw new Error("the 3D view is not ready to draw the room's panorama");
      const picture = await render(arrivalPose(room, null));
      const stored = await api.upload(new URLSearchParams({ title: `Panorama of room ${id}`, purpose: "room-panorama" }), picture);
      studio.editor.styleRoom(id, { panorama: stored.url });
    }
    onProgress(rooms.length, rooms.length);
  } finally {
    if (back && useLocalStore.getState().room !== back) useLocalStore.getState().enterRoom(back);
  }
}
