import { useEffect, type ReactNode } from "react";
import { useExhibitionStore } from "../collab";
import { useT, UI_LANGUAGES } from "../i18n/strings";
import { pickText } from "../shared/exhibition";
import { EMBED_SOURCE, parseEmbedCommand, type EmbedEvent } from "../shared/embed-protocol";
import { useLocalStore } from "../state/local-store";
import type { ViewerExtension } from "../viewer/extension";
import { inspectWhenReady } from "../viewer/inspect-when-ready";
import { goToTourStep } from "../viewer/panels/TourPanel";

/** Tells the embedding page (the window above this frame); the show is public, so any page may hear it. */
type Told = EmbedEvent extends infer E ? (E extends EmbedEvent ? Omit<E, "source"> : never) : never;
function tell(event: Told): void {
  if (window.parent !== window) window.parent.postMessage({ source: EMBED_SOURCE, ...event }, "*");
}

/**
 * The viewer in another site's page (`/embed/<id>`, issue 23): the embedding page drives it with
 * `postMessage` (language, tour step, open or close an artefact; `src/shared/embed-protocol.ts`)
 * and hears when it is ready and what the visitor opens. Commands come only from the window
 * that embeds this one, are checked before use, and can do nothing a visitor's own clicks could
 * not: the show is public and nothing is changed.
 */
function EmbedBridge({ id, children }: { id: string; children: ReactNode }) {
  const store = useExhibitionStore();
  useEffect(() => {
    const abort = new AbortController();
    const doc = () => store.getSnapshot();
    const onMessage = (e: MessageEvent) => {
      if (e.source !== window.parent || window.parent === window) return;
      const command = parseEmbedCommand(e.data);
      if (!command) return;
      const d = doc();
      const local = useLocalStore.getState();
      switch (command.type) {
        case "set-language":
          if (d.meta.languages.includes(command.lang) || (UI_LANGUAGES as readonly string[]).includes(command.lang)) local.setLanguage(command.lang);
          return;
        case "go-to-step": {
          const step = d.tour[command.step];
          if (step) goToTourStep(command.step, step.room);
          return;
        }
        case "open-artefact": {
          const placement = d.placements[command.placement];
          if (!placement) return;
          if (placement.room !== local.room) local.enterRoom(placement.room);
          inspectWhenReady(command.placement, abort.signal);
          return;
        }
        case "close-artefact":
          local.walk();
          return;
      }
    };
    window.addEventListener("message", onMessage);

    // What the page hears: ready once, then openings, closings, steps and languages as they happen.
    let readySent = false;
    let last = { mode: "", selected: null as string | null, tourIndex: -1, language: useLocalStore.getState().language };
    const stop = useLocalStore.subscribe((s) => {
      if (s.sceneReady && !readySent) {
        readySent = true;
        const d = doc();
        tell({ type: "ready", exhibition: id, languages: d.meta.languages, steps: d.tour.length, artefacts: Object.keys(d.placements) });
      }
      if (s.mode === "inspect" && s.selected && (last.mode !== "inspect" || last.selected !== s.selected)) {
        const d = doc();
        const item = d.items[d.placements[s.selected]?.item ?? ""];
        tell({ type: "artefact-opened", placement: s.selected, title: item ? pickText(item.title, s.language, d.meta.languages) : "" });
      } else if (last.mode === "inspect" && s.mode !== "inspect") tell({ type: "artefact-closed" });
      if (s.mode === "tour" && (last.mode !== "tour" || last.tourIndex !== s.tourIndex)) tell({ type: "step", step: s.tourIndex });
      if (s.language !== last.language) tell({ type: "language", lang: s.language });
      last = { mode: s.mode, selected: s.selected, tourIndex: s.tourIndex, language: s.language };
    });
    return () => {
      abort.abort();
      stop();
      window.removeEventListener("message", onMessage);
    };
  }, [id, store]);
  return <>{children}</>;
}

/** In the bar: the show on Atrium itself, in a new tab (the embedded page has no list to go back to). */
function OpenInAtrium({ exhibition }: { exhibition: string }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  return (
    <a className="button open-in-atrium" href={`/visit/${encodeURIComponent(exhibition)}?lang=${encodeURIComponent(language)}`} target="_blank" rel="noopener">
      {t("openInAtrium")} ↗
    </a>
  );
}

/** The embedded viewer's extension (added by the `/embed/<id>` route). */
export const embedExtension: ViewerExtension = { name: "embed", Wrapper: EmbedBridge, HudActions: OpenInAtrium, className: "embedded" };
