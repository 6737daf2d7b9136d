import { useEffect, useMemo, useRef } from "react";
import { navigate } from "../../state/router";
import { useExhibition } from "../../collab";
import { pickText, roomsInOrder } from "../../shared/exhibition";
import { ShareButton } from "./SharePanel";
import { LANGUAGE_NAMES, useT } from "../../i18n/strings";
import { sameEntries } from "../GalleryScene";
import { modelUrls, placementsIn, type Quality } from "../../shared/exhibition/tiers";
import { useLocalStore } from "../../state/local-store";
import { useExtensions } from "../extension";
import { useMayMove } from "../guide";
import { goToTourStep } from "./TourPanel";
import { useShowText, useTextFallbacks } from "../text-fallbacks";
import { AccessButtons } from "./AccessButtons";

const coarsePointer = typeof matchMedia !== "undefined" && matchMedia("(pointer: coarse)").matches;

/** The room's loading progress: the mean download fraction of its models. */
function useRoomProgress(roomId: string, quality: Quality) {
  const placements = useExhibition((d) => placementsIn(d, roomId), sameEntries);
  const items = useExhibition((d) => d.items);
  const models = useLocalStore((s) => s.models);
  return useMemo(() => {
    const urls = modelUrls(placements, items, quality);
    if (urls.length === 0) return { fraction: 1, failed: [] as string[] };
    let sum = 0;
    const failed: string[] = [];
    for (const u of urls) {
      const m = models[u];
      sum += m ? m.fraction : 0;
      if (m?.status === "failed") failed.push(m.error ?? u);
    }
    return { fraction: sum / urls.length, failed };
  }, [placements, items, models, quality]);
}

/**
 * Keeps `--hud-bottom` on the page at the header's lower edge, so that when the header grows and
 * wraps (larger text; a phone, where it takes three rows) the class bar and the side panels start
 * below it. Measured on resize only.
 */
function useHudBottom() {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = ref.current;
    const page = el?.closest<HTMLElement>(".visit");
    if (!el || !page) return;
    const observer = new ResizeObserver(() => page.style.setProperty("--hud-bottom", `${Math.round(el.getBoundingClientRect().bottom)}px`));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return ref;
}

/** The visitor's controls over the 3D view: where they are, language, rooms, tour, and hints. */
export function Hud({ roomId, quality, exhibition, plan = false }: { roomId: string; quality: Quality; exhibition: string; plan?: boolean }) {
  const t = useT();
  // A guided visitor (a class student whose teacher locked moving or leads with "follow me")
  // stays in the room, and is not told how to walk.
  const roomsLocked = !useMayMove();
  const extensions = useExtensions();
  const language = useLocalStore((s) => s.language);
  const mode = useLocalStore((s) => s.mode);
  const hovered = useLocalStore((s) => s.hovered);
  const meta = useExhibition((d) => d.meta);
  const rooms = useExhibition((d) => d.rooms);
  const tour = useExhibition((d) => d.tour);
  const hoveredTitle = useExhibition((d) => {
    const p = hovered ? d.placements[hovered] : undefined;
    return p ? d.items[p.item]?.title : undefined;
  });
  const progress = useRoomProgress(roomId, quality);
  const sceneReady = useLocalStore((s) => s.sceneReady);
  const fallbacks = useTextFallbacks();
  const show = useShowText();
  const text = (m: Parameters<typeof pickText>[0]) => pickText(m, language, fallbacks);
  const room = rooms[roomId];
  const ordered = roomsInOrder({ rooms });
  const header = useHudBottom();

  return (
    <>
      <header className="hud-top" ref={header}>
        <a className="back" href="/" onClick={(e) => (e.preventDefault(), navigate("/"))} aria-label={t("backToList")}>
          ←
        </a>
        <div className="where">
          <h1 className="exhibition-title" {...show(meta.title)} />
          <p className="room-name" {...show(room?.name)} />
        </div>
        <div className="hud-actions">
          <div className="language-switch" role="group" aria-label={t("language")}>
            {(meta.languages.includes(language) ? meta.languages : [...meta.languages, language]).map((tag) => (
              <button key={tag} lang={tag} aria-pressed={tag === language} data-lang={tag} onClick={() => useLocalStore.getState().setLanguage(tag)}>
                {LANGUAGE_NAMES[tag] ?? tag}
              </button>
            ))}
          </div>
          <AccessButtons textAlwaysOpen={plan} />
          <ShareButton exhibition={exhibition} />
          {extensions.map((e) => e.HudActions && <e.HudActions key={e.name} exhibition={exhibition} />)}
          {tour.length > 0 && mode !== "tour" && (
            <button className="primary tour-start" onClick={() => goToTourStep(0, tour[0]!.room)}>
              {t("startTour")}
            </button>
          )}
        </div>
      </header>
      {/* Until the room can be walked: downloading, then preparing (decoding, first frames). */}
      {/* The 2D plan (`plan`) downloads no models: nothing to wait for, nothing to walk. */}
      {!plan && !sceneReady && progress.failed.length === 0 && (
        <div className={`progress${progress.fraction < 1 ? "" : " preparing"}`} role="progressbar" aria-label={t("loadingRoom")} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress.fraction * 100)} aria-valuetext={progress.fraction < 1 ? undefined : t("preparingRoom")}>
          <div className="progress-bar" style={{ width: `${Math.round(progress.fraction * 100)}%` }} />
          <span>{progress.fraction < 1 ? `${t("loadingRoom")} ${Math.round(progress.fraction * 100)}%` : t("preparingRoom")}</span>
        </div>
      )}
      {progress.failed.length > 0 && (
        <div className="notice model-errors" role="alert">
          <strong>{t("modelFailed")}</strong>
          <ul>
            {progress.failed.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </div>
      )}
      <nav className="room-nav" aria-label={t("rooms")}>
        {ordered.map(([id, r]) => (
          <button key={id} aria-current={id === roomId ? "true" : undefined} data-room={id} disabled={roomsLocked && id !== roomId} onClick={() => useLocalStore.getState().enterRoom(id)}>
            <span {...show(r.name)} />
          </button>
        ))}
      </nav>
      {mode === "walk" && hoveredTitle && (
        <div className="hover-card" aria-hidden="true">
          <strong>{text(hoveredTitle)}</strong>
          <span>{t("clickToInspect")}</span>
        </div>
      )}
      {mode === "walk" && !hoveredTitle && !roomsLocked && !plan && <p className="hint walk-hint">{coarsePointer ? t("walkHintTouch") : t("walkHintDesktop")}</p>}
    </>
  );
}
