import { useExhibition } from "../../collab";
import { pickText } from "../../shared/exhibition";
import { useT } from "../../i18n/strings";
import { useLocalStore } from "../../state/local-store";

/** Moves the tour to step `index`, changing rooms when the step is in another one. */
export function goToTourStep(index: number, stepRoom: string): void {
  const s = useLocalStore.getState();
  if (s.room !== stepRoom) useLocalStore.setState({ room: stepRoom, hovered: null });
  useLocalStore.setState({ mode: "tour", tourIndex: index, selected: null });
}

/** The guided tour: the step's text, where we are, and previous / next. */
export function TourPanel() {
  const t = useT();
  const tour = useExhibition((d) => d.tour);
  const fallbacks = useExhibition((d) => d.meta.languages);
  const language = useLocalStore((s) => s.language);
  const index = useLocalStore((s) => s.tourIndex);
  const step = tour[index];
  if (!step) return null;
  const go = (i: number) => {
    const next = tour[i];
    if (next) goToTourStep(i, next.room);
  };
  return (
    <section className="panel tour-panel" aria-live="polite" data-step={step.id}>
      <p className="tour-count">
        {index + 1} / {tour.length}
      </p>
      <p className="tour-text">{pickText(step.text, language, fallbacks)}</p>
      <div className="tour-buttons">
        <button onClick={() => go(index - 1)} disabled={index === 0}>
          ← {t("previous")}
        </button>
        <button onClick={() => useLocalStore.getState().walk()}>{t("endTour")}</button>
        <button className="primary" onClick={() => go(index + 1)} disabled={index >= tour.length - 1}>
          {t("next")} →
        </button>
      </div>
    </section>
  );
}
