import { useEffect, useMemo, useState } from "react";
import type { ChartConfiguration } from "chart.js";
import { api } from "../api/client";
import { useT } from "../i18n/strings";
import { SURVEY_QUESTIONS, type SurveyConfig, type SurveyResults, type TeacherSurveyResults } from "../shared/api/survey";
import type { ShownCount } from "../shared/api/stats";
import { ChartCanvas } from "./chart-canvas";
import { pickText } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";

/**
 * The statistics page's survey part (issue 23): the owner turns the exit survey on and picks its
 * questions; the answers of the period (how many, the share of positive ones, the 1-5 scores as
 * a chart, what visitors learned) and their CSV.
 */
export function SurveySection({ id, from, to }: { id: string; from: string; to: string }) {
  const t = useT();
  const [config, setConfig] = useState<SurveyConfig | null>(null);
  const [results, setResults] = useState<SurveyResults | null>(null);
  const [saved, setSaved] = useState<"" | "saving" | "saved" | string>("");

  useEffect(() => {
    api.survey(id).then(setConfig, () => setConfig(null));
    api.surveyResults(id, new URLSearchParams({ from, to })).then(setResults, () => setResults(null));
  }, [id, from, to]);

  const chart = useMemo<ChartConfiguration | null>(
    () =>
      results && {
        type: "bar",
        data: { labels: ["1", "2", "3", "4", "5"], datasets: [{ label: t("survey_enjoy"), data: results.total.enjoy.map((c) => (typeof c === "number" ? c : null)), backgroundColor: "#a2472c" }] },
        options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
      },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [results],
  );
  if (!config) return null;

  const toggle = (q: (typeof SURVEY_QUESTIONS)[number], on: boolean) =>
    setConfig({ ...config, questions: on ? SURVEY_QUESTIONS.filter((x) => x === q || config.questions.includes(x)) : config.questions.filter((x) => x !== q) });
  const save = () => {
    setSaved("saving");
    api.setSurvey(id, config).then(
      () => setSaved("saved"),
      (e: Error) => setSaved(e.message),
    );
  };
  const share = results?.total.positiveShare;

  return (
    <section className="stats-survey" aria-labelledby="stats-survey">
      <h2 id="stats-survey">{t("survey")}</h2>
      <fieldset className="survey-settings">
        <label>
          <input type="checkbox" name="survey-enabled" checked={config.enabled} onChange={(e) => (setConfig({ ...config, enabled: e.currentTarget.checked }), setSaved(""))} /> {t("surveyAsk")}
        </label>
        <ul>
          {SURVEY_QUESTIONS.map((q) => (
            <li key={q}>
              <label>
                <input type="checkbox" name={`survey-${q}`} checked={config.questions.includes(q)} onChange={(e) => (toggle(q, e.currentTarget.checked), setSaved(""))} /> {t(`survey_${q}`)}
              </label>
            </li>
          ))}
        </ul>
        <button type="button" className="primary" name="survey-save" disabled={config.questions.length === 0 || saved === "saving"} onClick={save}>
          {t("surveySave")}
        </button>{" "}
        <span role="status">{saved === "saved" ? t("surveySaved") : saved === "saving" ? "" : saved}</span>
      </fieldset>
      {results && (
        <>
          <dl className="stats-figures">
            <div data-figure="answers">
              <dt>{t("surveyAnswers")}</dt>
              <dd>{String(results.total.answers)}</dd>
            </div>
            <div data-figure="positive">
              <dt>{t("positiveShare")}</dt>
              <dd>{share === null || share === undefined ? "–" : `${Math.round(share * 100)} %`}</dd>
            </div>
          </dl>
          {/* The 1-5 scores: a chart once any of them is shown as a number, always as a table. */}
          {chart && results.total.enjoy.some((c) => typeof c === "number" && c > 0) && <ChartCanvas config={chart} label={t("survey_enjoy")} />}
          <ScoreTable className="survey-enjoy-table" caption={t("survey_enjoy")} counts={results.total.enjoy} />
          {results.learned.length > 0 && (
            <>
              <h3>{t("learnedAnswers")}</h3>
              <ul className="survey-learned-answers">
                {results.learned.map((l, i) => (
                  <li key={i}>
                    <time dateTime={l.day}>{l.day}</time> {l.text}
                  </li>
                ))}
              </ul>
            </>
          )}
          <TeachersAfterClass results={results.teachers} />
          <p>
            <a className="button" href={`/api/exhibitions/${encodeURIComponent(id)}/survey.csv?from=${from}&to=${to}`} download>
              {t("downloadCsv")}
            </a>
          </p>
        </>
      )}
    </section>
  );
}

/** What teachers answered after their classes on this show: how many, the share of 4 and 5, the scores, their comments. */
function TeachersAfterClass({ results }: { results: TeacherSurveyResults }) {
  const t = useT();
  if (results.answers === 0) return null;
  return (
    <section className="stats-teachers" aria-labelledby="stats-teachers">
      <h3 id="stats-teachers">{t("teachersAfterClass")}</h3>
      <dl className="stats-figures">
        <div data-figure="teacher-answers">
          <dt>{t("surveyAnswers")}</dt>
          <dd>{String(results.answers)}</dd>
        </div>
        <div data-figure="teacher-positive">
          <dt>{t("positiveShare")}</dt>
          <dd>{results.positiveShare === null ? "–" : `${Math.round(results.positiveShare * 100)} %`}</dd>
        </div>
      </dl>
      <ScoreTable className="teacher-score-table" caption={t("teacherSurveyTitle")} counts={results.scores} />
      {results.plans.length > 0 && <PlanTable plans={results.plans} />}
      {results.comments.length > 0 && (
        <>
          <h4>{t("teacherComments")}</h4>
          <ul className="survey-learned-answers teacher-comments">
            {results.comments.map((c, i) => (
              <li key={i}>
                <time dateTime={c.day}>{c.day}</time> {c.text}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The teachers' answers per lesson plan their classes ran: how many, and the share of 4 and 5. */
function PlanTable({ plans }: { plans: TeacherSurveyResults["plans"] }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  return (
    <table className="stats-table teacher-plan-table">
      <caption>{t("byLessonPlan")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("lessonPlan")}</th>
          <th scope="col">{t("surveyAnswers")}</th>
          <th scope="col">{t("positiveShare")}</th>
        </tr>
      </thead>
      <tbody>
        {plans.map((p) => (
          <tr key={p.id} data-plan={p.id}>
            <th scope="row">{p.title ? pickText(p.title, language) : `${p.id} ${t("planRemoved")}`}</th>
            <td>{String(p.answers)}</td>
            <td>{p.positiveShare === null ? "–" : `${Math.round(p.positiveShare * 100)} %`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How many answered 1 to 5, as a table (the chart's text equivalent). */
function ScoreTable({ className, caption, counts }: { className: string; caption: string; counts: ShownCount[] }) {
  return (
    <table className={`stats-table ${className}`}>
      <caption>{caption}</caption>
      <tbody>
        <tr>
          {counts.map((_, i) => (
            <th key={i} scope="col">
              {i + 1}
            </th>
          ))}
        </tr>
        <tr>
          {counts.map((c, i) => (
            <td key={i}>{String(c)}</td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}
