import { useEffect, useState } from "react";
import { useExhibitionStore } from "../../collab";
import { pickText } from "../../shared/exhibition";
import { placementsIn } from "../../shared/exhibition/tiers";
import { translate } from "../../i18n/strings";
import { useLocalStore, type LocalState } from "../../state/local-store";
import { useTextFallbacks } from "../text-fallbacks";

/**
 * What a screen reader is told when the view changes without the visitor's focus moving: entering
 * a room, a close-up, a tour step, back to walking. One polite live region for the whole viewer,
 * so announcements never talk over each other; the message is worded from the document at the
 * moment of the change.
 */
export function Announcer() {
  const store = useExhibitionStore();
  const fallbacks = useTextFallbacks();
  const [message, setMessage] = useState("");
  useEffect(() => {
    const say = (s: LocalState, before: LocalState) => {
      const doc = store.getSnapshot();
      const lang = s.language;
      const text = (m: Parameters<typeof pickText>[0]) => pickText(m, lang, fallbacks);
      const room = s.room ? doc.rooms[s.room] : undefined;
      const roomName = room ? text(room.name) : "";
      if (s.mode === "tour" && (before.mode !== "tour" || before.tourIndex !== s.tourIndex)) {
        const step = doc.tour[s.tourIndex];
        if (step) setMessage(translate(lang, "announceTour", { i: s.tourIndex + 1, n: doc.tour.length, text: text(step.text) }));
      } else if (s.mode === "inspect" && s.selected && (before.mode !== "inspect" || before.selected !== s.selected)) {
        const p = doc.placements[s.selected];
        const item = p ? doc.items[p.item] : undefined;
        if (item) setMessage(translate(lang, "announceInspect", { title: text(item.title) }));
      } else if (s.room !== before.room && s.room) {
        setMessage(translate(lang, "announceRoom", { room: roomName, n: placementsIn(doc, s.room).length }));
      } else if (s.mode === "walk" && before.mode !== "walk") {
        setMessage(translate(lang, "announceWalk", { room: roomName }));
      }
    };
    return useLocalStore.subscribe(say);
  }, [store, fallbacks]);
  return (
    <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-announcer="">
      {message}
    </div>
  );
}
