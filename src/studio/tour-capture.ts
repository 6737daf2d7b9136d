import { pickText } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import type { Studio } from "./studio-context";

/**
 * Adds a tour step in the room on show and returns its id. With a placement, the step frames that
 * object whole (from its front, where its label faces) and shows the view; without one, it keeps the view
 * as it is, about the object in the middle of it, if any. The step's text starts as the title of
 * what it shows (else the room's name), in the language being written, so no step is ever named
 * after the show. The one capture rule of the tour editor and the inspector's "Add to tour".
 */
export function captureTourStep(studio: Studio, lang: string, placement: string | null): string | null {
  const room = useLocalStore.getState().room;
  if (!room) return null;
  const { editor, bridge } = studio;
  const doc = editor.doc;
  const framed = placement && doc.placements[placement]?.room === room ? placement : null;
  const focus = framed ?? bridge.viewedPlacement?.() ?? undefined;
  const pose = (framed && bridge.framePose?.(framed)) || bridge.cameraPose?.();
  if (!pose) return null;
  const shown = focus ? doc.items[doc.placements[focus]!.item]?.title : doc.rooms[room]?.name;
  const id = editor.captureTourStep(room, pose, { [lang]: shown ? pickText(shown, lang, doc.meta.languages) : `${doc.tour.length + 1}` }, focus);
  if (framed) useLocalStore.getState().startTour(editor.doc.tour.findIndex((s) => s.id === id)); // show the framed view
  return id;
}
