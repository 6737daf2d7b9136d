import { useExhibition } from "../../collab";
import { pickTextLang, type TourStep } from "../../shared/exhibition";
import { useT } from "../../i18n/strings";
import { useLocalStore } from "../../state/local-store";
import { useShowText, useTextFallbacks } from "../text-fallbacks";
import { CaptionedAudio } from "./CaptionedAudio";
import { useRef } from "react";
import { useFocusOnOpen } from "./focus";

/** Moves the tour to step `index`, changing rooms when the step is in another one. */
export function goToTourStep(index: number, stepRoom: string): void {
  const s = useLocalStore.getState();
  if (s.room !== stepRoom) useLocalStore.setState({ room: stepRoom, hovered: null });
  useLocalStore.setState({ mode: "tour", tourIndex: index, selected: null });
}

/** The step's recording in the visitor's language (or the nearest), with its captions. */
function StepAudio({ step }: { step: TourStep }) {
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  const picked = step.audio?.[language] ? { text: step.audio[language], lang: language } : pickTextLang(step.audio, language, fallbacks);
  if (!picked.text) return null;
  return <CaptionedAudio key={step.id} className="tour-audio" src={picked.text} captions={picked.lang ? step.captions?.[picked.lang] : undefined} lang={picked.lang} />;
}

/** The guided tour: the step's text, where we are, and previous / next. */
export function TourPanel() {
  const t = useT();
  const tour = useExhibition((d) => d.tour);
  const index = useLocalStore((s) => s.tourIndex);
  const step = tour[index];
  const panel = useRef<HTMLElement>(null);
  const show = useShowText();
  useFocusOnOpen(panel, [".tour-start"]);
  if (!step) return null;
  const go = (i: number) => {
    const next = tour[i];
    if (next) goToTourStep(i, next.room);
  };
  return (
    // The step is announced by the viewer's one live region (Announcer); the panel takes focus on opening.
    <section className="panel tour-panel" data-step={step.id} ref={panel} tabIndex={-1} aria-labelledby="tour-title">
      <h2 id="tour-title" className="sr-only">
        {t("tourStepTitle")}
      </h2>
      <p className="tour-count">
        {index + 1} / {tour.length}
      </p>
      <p className="tour-text" {...show(step.text)} />
      {step.audio && <StepAudio step={step} />}
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
