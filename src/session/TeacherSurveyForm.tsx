import { useEffect, useState } from "react";
import { api } from "../api/client";
import { useT } from "../i18n/strings";
import { MAX_TEACHER_COMMENT } from "../shared/api/survey";

/**
 * The teacher's two questions once the class has ended (how it went, 1-5; a comment for the
 * museum). Answered once per class; the museum reads the answers on the show's statistics page.
 */
export function TeacherSurveyForm({ session }: { session: string }) {
  const t = useT();
  const [state, setState] = useState<"loading" | "open" | "sending" | "done" | "gone">("loading");
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [error, setError] = useState("");
  useEffect(() => {
    let live = true;
    api.classSurvey(session).then(
      (r) => live && setState(r.answered ? "done" : "open"),
      // Not the teacher's, or lost with a server restart (in the embedded mode classes live in memory): nothing to answer.
      () => live && setState("gone"),
    );
    return () => {
      live = false;
    };
  }, [session]);
  if (state === "loading" || state === "gone") return null;
  if (state === "done")
    return (
      <p className="teacher-survey-thanks" role="status">
        {t("teacherSurveyThanks")}
      </p>
    );
  return (
    <form
      className="teacher-survey"
      aria-labelledby="teacher-survey-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (score === null) return;
        setState("sending");
        api.answerClassSurvey(session, { score, ...(comment.trim() ? { comment } : {}) }).then(
          () => setState("done"),
          (err: Error) => (setError(err.message), setState("open")),
        );
      }}
    >
      <h3 id="teacher-survey-title">{t("teacherSurveyTitle")}</h3>
      <fieldset>
        <legend className="sr-only">{t("teacherSurveyTitle")}</legend>
        <div className="survey-scale">
          {[1, 2, 3, 4, 5].map((v) => (
            <label key={v}>
              <input type="radio" name="class-score" value={v} checked={score === v} onChange={() => setScore(v)} />
              <span>{v}</span>
            </label>
          ))}
        </div>
        <p className="survey-scale-hint">{t("teacherSurveyScale")}</p>
      </fieldset>
      <label className="teacher-survey-comment">
        {t("teacherSurveyComment")}
        <textarea name="class-comment" rows={3} maxLength={MAX_TEACHER_COMMENT} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
      </label>
      {error && <p role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={score === null || state === "sending"}>
        {t("surveySend")}
      </button>
    </form>
  );
}
