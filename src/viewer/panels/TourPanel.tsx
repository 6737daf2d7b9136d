import { useExhibition } from "../../collab";
import { pickText } from "../../shared/exhibition";
import { useT } from "../../i18n/strings";
import { useLocalStore } from "../../state/local-store";
import { useTextFallbacks } from "../text-fallbacks";

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
  const fallbacks = useTextFallbacks();
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
        {index < tour.length - 1 ? (
          <>
            <button onClick={() => useLocalStore.getState().walk()}>{t("endTour")}</button>
            <button className="primary" name="tour-next" onClick={() => go(index + 1)}>
              {t("next")} →
            </button>
          </>
        ) : (
          // The last step ends the tour with a clear button instead of a greyed-out "Next".
          <button className="primary" name="tour-finish" onClick={() => useLocalStore.getState().walk()}>
            {t("finishTour")} ✓
          </button>
        )}
      </div>
    </section>
  );
}
