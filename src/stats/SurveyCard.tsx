import { useEffect, useState, type FormEvent } from "react";
import { useT } from "../i18n/strings";
import { MAX_ANSWER_TEXT, surveyConfig, type SurveyAnswer, type SurveyConfig } from "../shared/api/survey";
import { useExhibition } from "../collab";
import { useLocalStore } from "../state/local-store";

/** A visitor is asked after this long in the show, if they have not finished the tour before (ms). */
export const SURVEY_AFTER_MS = 3 * 60_000;
/** Where the page remembers that this browser answered or declined a show's survey (a flag, not an identifier). */
const doneKey = (id: string) => `atrium.survey.${id}`;

function alreadyDone(id: string): boolean {
  try {
    return localStorage.getItem(doneKey(id)) !== null;
  } catch {
    return false;
  }
}
function markDone(id: string, how: "answered" | "declined"): void {
  try {
    localStorage.setItem(doneKey(id), how);
  } catch {
    // Private mode without storage: asked again next time, never an error.
  }
}

/**
 * The exit survey (issue 23), when the show's owner turned it on: one to three questions in the
 * visitor's language, shown once the tour reaches its last step or after three minutes in the
 * show, once per browser (answered or declined, it is not asked again), never to the show's own
 * curators and not in a class (the teacher leads those screens). Not modal: the visit goes on around it.
 */
export function SurveyCard({ id }: { id: string }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const steps = useExhibition((d) => d.tour.length);
  const atLastStep = useLocalStore((s) => s.mode === "tour" && steps > 0 && s.tourIndex === steps - 1);
  const [config, setConfig] = useState<SurveyConfig | null>(null);
  const [due, setDue] = useState(false);
  const [state, setState] = useState<"asking" | "sending" | "thanks" | "closed">("asking");
  const [answer, setAnswer] = useState<SurveyAnswer>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (alreadyDone(id)) return;
    const controller = new AbortController();
    fetch(`/api/exhibitions/${encodeURIComponent(id)}/survey`, { signal: controller.signal })
      .then((r) => (r.ok ? r.json() : null))
      .then((body: unknown) => {
        const parsed = surveyConfig.safeParse(body);
        if (parsed.success && parsed.data.enabled) setConfig(parsed.data);
      })
      .catch(() => {});
    const timer = setTimeout(() => setDue(true), SURVEY_AFTER_MS);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [id]);
  useEffect(() => {
    if (atLastStep) setDue(true);
  }, [atLastStep]);

  if (!config || !due || state === "closed") return null;
  const decline = () => {
    markDone(id, "declined");
    setState("closed");
  };
  const send = async (e: FormEvent) => {
    e.preventDefault();
    setState("sending");
    setError(null);
    const r = await fetch(`/api/exhibitions/${encodeURIComponent(id)}/survey/answers`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(answer),
    }).catch(() => null);
    if (r?.ok) {
      markDone(id, "answered");
      setState("thanks");
      setTimeout(() => setState("closed"), 4000);
    } else {
      setState("asking");
      setError(t("surveyNotSent"));
    }
  };
  const answered = answer.enjoy !== undefined || !!answer.learned?.trim() || answer.recommend !== undefined;

  return (
    <aside className="panel survey-card" aria-labelledby="survey-title" lang={language}>
      {state === "thanks" ? (
        <p role="status" className="survey-thanks">
          {t("surveyThanks")}
        </p>
      ) : (
        <form onSubmit={send}>
          <h2 id="survey-title">{t("surveyTitle")}</h2>
          {config.questions.map((q) => {
            switch (q) {
              case "enjoy":
                return (
                  <fieldset key={q} className="survey-enjoy">
                    <legend>{t("survey_enjoy")}</legend>
                    <div className="survey-scale">
                      {[1, 2, 3, 4, 5].map((v) => (
                        <label key={v}>
                          <input type="radio" name="enjoy" value={v} checked={answer.enjoy === v} onChange={() => setAnswer({ ...answer, enjoy: v })} />
                          <span>{v}</span>
                        </label>
                      ))}
                    </div>
                    <p className="survey-scale-hint">{t("surveyScaleHint")}</p>
                  </fieldset>
                );
              case "learned":
                return (
                  <label key={q} className="survey-learned">
                    {t("survey_learned")}
                    <textarea name="learned" maxLength={MAX_ANSWER_TEXT} rows={3} value={answer.learned ?? ""} onChange={(e) => setAnswer({ ...answer, learned: e.currentTarget.value || undefined })} />
                  </label>
                );
              case "recommend":
                return (
                  <fieldset key={q} className="survey-recommend">
                    <legend>{t("survey_recommend")}</legend>
                    {([true, false] as const).map((v) => (
                      <label key={String(v)}>
                        <input type="radio" name="recommend" checked={answer.recommend === v} onChange={() => setAnswer({ ...answer, recommend: v })} /> {t(v ? "surveyYes" : "surveyNo")}
                      </label>
                    ))}
                  </fieldset>
                );
            }
          })}
          {error && <p role="alert">{error}</p>}
          <div className="survey-buttons">
            <button type="submit" className="primary" disabled={!answered || state === "sending"}>
              {t("surveySend")}
            </button>
            <button type="button" onClick={decline}>
              {t("surveyNotNow")}
            </button>
          </div>
        </form>
      )}
    </aside>
  );
}
