import { useState } from "react";
import { navigate } from "../state/router";
import { useSignedIn } from "../account/session";
import { api } from "../api/client";
import { useExhibition } from "../collab";
import { pickText, type Exhibition } from "../shared/exhibition";
import { useT } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";
import { useTextFallbacks } from "../viewer/text-fallbacks";

/** The show's lesson plans (the same object while no plan changes). */
const plansOf = (d: Exhibition) => d.lessonPlans;

/**
 * "Start a class" for a signed-in teacher: starts a class session on this exhibition, running one
 * of its lesson plans if the teacher picks one, and turns the page into the teacher's view of it
 * (`?class=<session>`), with the code, QR code and roster.
 */
export function StartClassButton({ exhibition }: { exhibition: string }) {
  const t = useT();
  const { me } = useSignedIn();
  const plans = useExhibition(plansOf);
  const language = useLocalStore((s) => s.language);
  const fallbacks = useTextFallbacks();
  const [plan, setPlan] = useState("");
  const [error, setError] = useState<string | null>(null);
  if (!me) return null;
  const start = async () => {
    setError(null);
    try {
      const info = await api.startClass(exhibition, plan || undefined);
      const params = new URLSearchParams(window.location.search);
      params.set("class", info.id);
      navigate(`${window.location.pathname}?${params}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const ids = Object.keys(plans);
  return (
    <>
      {ids.length > 0 && (
        <select className="start-class-plan" aria-label={t("lessonPlan")} value={plan} onChange={(e) => setPlan(e.target.value)}>
          <option value="">{t("noLessonPlan")}</option>
          {ids.map((id) => (
            <option key={id} value={id}>
              {t("lessonPlan")}: {pickText(plans[id]!.title, language, fallbacks)}
            </option>
          ))}
        </select>
      )}
      <button className="start-class" onClick={start}>
        {t("startClass")}
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
