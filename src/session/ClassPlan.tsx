import { useExhibition, useExhibitionStore } from "../collab";
import { pickText, type Exhibition } from "../shared/exhibition";
import { useT } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";
import { useTextFallbacks } from "../viewer/text-fallbacks";
import { useClassChannel } from "./class-channel";
import { useClassStore } from "./class-store";
import { goToPlanStep } from "./lesson-run";

/** Moves the class to a step of its plan, from whichever panel the teacher uses. */
export function usePlanStepper(): ((index: number) => void) | null {
  const send = useClassChannel().send;
  const store = useExhibitionStore();
  const plan = useClassStore((s) => s.state?.plan ?? null);
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  if (!plan) return null;
  return (index) => void goToPlanStep(store.getSnapshot(), plan.id, index, language, fallbacks, send);
}

/**
 * The lesson plan in the teacher's class panel: which step the class is on (its title, minutes,
 * what to say, the question it asks) and previous / next, which move the tour and ask the step's
 * question for the teacher; the printable plan beside it.
 */
export function TeacherPlan() {
  const t = useT();
  const state = useClassStore((s) => s.state);
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  const go = usePlanStepper();
  const planId = state?.plan?.id ?? null;
  const plan = useExhibition((d: Exhibition) => (planId ? d.lessonPlans[planId] : undefined));
  if (!state?.plan || !go) return null;
  const text = (m: Record<string, string> | undefined) => pickText(m, language, fallbacks);
  const printHref = `/api/exhibitions/${encodeURIComponent(state.exhibition)}/lesson-plans/${encodeURIComponent(state.plan.id)}?lang=${encodeURIComponent(language)}`;
  if (!plan)
    return (
      <section className="class-plan" aria-label={t("lessonPlan")}>
        <p className="muted">{t("planGone")}</p>
      </section>
    );
  const at = state.planStep ?? null;
  const step = at !== null ? plan.steps[at] : undefined;
  return (
    <section className="class-plan" aria-labelledby="class-plan-title" data-plan-step={at ?? ""}>
      <div className="class-plan-head">
        <h2 id="class-plan-title">
          {t("lessonPlan")}: {text(plan.title)}
        </h2>
        <a className="plan-print" href={printHref} target="_blank" rel="noreferrer">
          {t("planPrint")}
        </a>
      </div>
      {step ? (
        <div className="class-plan-step" aria-live="polite">
          <p className="plan-step-head">
            <span className="muted">{t("planStepOf", { n: at! + 1, total: plan.steps.length })}</span> <strong>{text(step.title)}</strong> <span className="muted">· {t("planMinutes", { n: step.minutes })}</span>
          </p>
          {text(step.notes) && <p className="plan-notes">{text(step.notes)}</p>}
          {step.question && (
            <p className="plan-asks">
              {t("planAsks")}: {text(step.question.prompt)}
            </p>
          )}
          {at === plan.steps.length - 1 && <p className="muted">{t("planLastStep")}</p>}
        </div>
      ) : (
        <p className="muted">
          {plan.steps.length} · {t("planMinutes", { n: plan.minutes })} · {text(plan.steps[0]?.title)}
        </p>
      )}
      <div className="class-plan-nav">
        {at !== null && (
          <button data-class="plan-previous" disabled={at === 0} onClick={() => go(at - 1)}>
            ← {t("planPrevious")}
          </button>
        )}
        <button className="primary" data-class="plan-next" disabled={at !== null && at >= plan.steps.length - 1} onClick={() => go(at === null ? 0 : at + 1)}>
          {at === null ? t("planStart") : `${t("planNext")} →`}
        </button>
      </div>
    </section>
  );
}

/** The student's view of the plan: the step's title as a pill in the class bar. */
export function StudentPlanPill() {
  const t = useT();
  const state = useClassStore((s) => s.state);
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  const planId = state?.plan?.id ?? null;
  const at = state?.planStep ?? null;
  const title = useExhibition((d: Exhibition) => (planId && at !== null ? d.lessonPlans[planId]?.steps[at]?.title : undefined));
  if (!state?.plan || at === null || !title) return null;
  return (
    <span className="pill plan-pill" data-plan-step={at}>
      {t("planStepOf", { n: at + 1, total: state.plan.steps })}: {pickText(title, language, fallbacks)}
    </span>
  );
}
