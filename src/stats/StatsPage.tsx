import { useEffect, useMemo, useState } from "react";
import type { ChartConfiguration } from "chart.js";
import { ChartCanvas } from "./chart-canvas";
import { SurveySection } from "./SurveySection";
import { api, ApiError } from "../api/client";
import { usePageLanguage, useT, type StringKey } from "../i18n/strings";
import { DEVICE_CLASSES, type ShownCount, type StatsAnswer } from "../shared/api/stats";
import { pickText, type Exhibition } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { navigate } from "../state/router";

/** The periods offered (days, today included). */
const PERIODS = [7, 30, 90, 365] as const;
export const ACCENT = "#a2472c";
const SECOND = "#3d6b7d";
const DEVICE_COLOURS = ["#a2472c", "#3d6b7d", "#c9a227", "#5b4a8a"];

/** A shown count as a number for a chart: "< 5" is no point (a gap), never a made-up value. */
const plotted = (c: ShownCount): number | null => (typeof c === "number" ? c : null);
const dayMs = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);


/**
 * `/stats/<id>`: a show's visit statistics for its owners and curators (issue 23): views and
 * visitors per day, the objects most looked at (close-ups and median time), devices, and every
 * figure as a table and as CSV. Counts from 1 to 4 come from the server as "< 5" and are shown
 * so (no chart point). Chart.js draws the charts; each has its table beside it for screen
 * readers and for anyone who prefers numbers.
 */
export function StatsPage({ id }: { id: string }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const params = new URLSearchParams(window.location.search);
  const period = PERIODS.find((p) => String(p) === params.get("days")) ?? 30;
  const [answer, setAnswer] = useState<StatsAnswer | null>(null);
  const [doc, setDoc] = useState<Exhibition | null>(null);
  const [error, setError] = useState<string | null>(null);

  usePageLanguage();

  useEffect(() => {
    const to = isoDay(Date.now());
    const from = isoDay(Date.parse(`${to}T00:00:00Z`) - (period - 1) * dayMs);
    setAnswer(null);
    setError(null);
    Promise.all([api.stats(id, new URLSearchParams({ from, to })), api.exhibition(id).then((r) => (r.ok ? (r.json() as Promise<Exhibition>) : null))]).then(
      ([a, d]) => {
        setAnswer(a);
        setDoc(d);
      },
      (e: unknown) => setError(e instanceof ApiError && (e.status === 403 || e.status === 404) ? t("statsRefused") : String((e as Error).message)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, period]);

  const title = doc ? pickText(doc.meta.title, language, doc.meta.languages) : id;
  useEffect(() => {
    document.title = `${t("statsTitle", { title })} · Atrium`;
  }, [t, title]);

  const titleOf = (placement: string) => {
    const item = doc?.items[doc.placements[placement]?.item ?? ""];
    return item ? pickText(item.title, language, doc!.meta.languages) : placement;
  };
  const configs = useCharts(answer, titleOf, t, language);
  const figures: [StringKey, keyof StatsAnswer["totals"]][] = [
    ["views", "views"],
    ["visitors", "visitors"],
    ["tourStarts", "tourStarts"],
    ["tourCompletions", "tourCompletions"],
    ["annotationOpens", "annotationOpens"],
    ["audioPlays", "audioPlays"],
    ["vrSessions", "vrSessions"],
    ["arSessions", "arSessions"],
  ];
  const csv = answer ? `/api/exhibitions/${encodeURIComponent(id)}/stats.csv?from=${answer.from}&to=${answer.to}&lang=${encodeURIComponent(language)}` : null;

  return (
    <main className="page stats-page" data-answered={answer ? `${answer.from}/${answer.to}` : undefined}>
      <p>
        <a href="/" onClick={(e) => (e.preventDefault(), navigate("/"))}>
          ← {t("allExhibitions")}
        </a>
      </p>
      <h1>{t("statsTitle", { title })}</h1>
      <p className="stats-privacy">{t("statsPrivacy")}</p>
      <div className="stats-controls">
        <label>
          {t("statsRange")}{" "}
          <select name="days" value={period} onChange={(e) => navigate(`/stats/${encodeURIComponent(id)}?days=${e.currentTarget.value}`)}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {t("lastDays", { n: p })}
              </option>
            ))}
          </select>
        </label>
        {csv && (
          <a className="button" href={csv} download>
            {t("downloadCsv")}
          </a>
        )}
      </div>
      {error && <p role="alert">{error}</p>}
      {answer && configs && (
        <>
          <dl className="stats-figures">
            {figures.map(([label, key]) => (
              <div key={key} data-figure={key}>
                <dt>{t(label)}</dt>
                <dd>{String(answer.totals[key])}</dd>
              </div>
            ))}
          </dl>
          {answer.totals.views === 0 && <p>{t("noVisits")}</p>}
          <section aria-labelledby="stats-days">
            <h2 id="stats-days">{t("visitsPerDay")}</h2>
            <ChartCanvas config={configs.days} label={t("visitsPerDay")} />
            <details>
              <summary>{t("showAsTable")}</summary>
              <table className="stats-table">
                <thead>
                  <tr>
                    <th scope="col">{t("day")}</th>
                    {figures.map(([label, key]) => (
                      <th key={key} scope="col">
                        {t(label)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {answer.days.map((d) => (
                    <tr key={d.day}>
                      <th scope="row">{d.day}</th>
                      {figures.map(([, key]) => (
                        <td key={key}>{String(d[key])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </section>
          <div className="stats-columns">
            <section aria-labelledby="stats-artefacts">
              <h2 id="stats-artefacts">{t("artefactsMostOpened")}</h2>
              <ChartCanvas config={configs.artefacts} label={t("artefactsMostOpened")} />
              <table className="stats-table stats-artefacts">
                <thead>
                  <tr>
                    <th scope="col" />
                    <th scope="col">{t("opens")}</th>
                    <th scope="col">{t("medianDwell")}</th>
                    <th scope="col">{t("annotationOpens")}</th>
                    <th scope="col">{t("audioPlays")}</th>
                  </tr>
                </thead>
                <tbody>
                  {answer.artefacts.map((a) => (
                    <tr key={a.placement} data-placement={a.placement}>
                      <th scope="row">{titleOf(a.placement)}</th>
                      <td>{String(a.opens)}</td>
                      <td>{a.medianDwellSeconds ?? "–"}</td>
                      <td>{String(a.annotationOpens)}</td>
                      <td>{String(a.audioPlays)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section aria-labelledby="stats-devices">
              <h2 id="stats-devices">{t("devices")}</h2>
              <ChartCanvas config={configs.devices} label={t("devices")} />
              <table className="stats-table">
                <tbody>
                  {DEVICE_CLASSES.map((c) => (
                    <tr key={c}>
                      <th scope="row">{t(`device_${c}`)}</th>
                      <td>{String(answer.totals.devices[c])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </>
      )}
      {answer && <SurveySection id={id} from={answer.from} to={answer.to} />}
    </main>
  );
}

/** The three charts' configurations, made once per answer and language. */
function useCharts(answer: StatsAnswer | null, titleOf: (placement: string) => string, t: ReturnType<typeof useT>, language: string) {
  return useMemo((): { days: ChartConfiguration; artefacts: ChartConfiguration; devices: ChartConfiguration } | null => {
    if (!answer) return null;
    // No entry animation: figures to read, not a show (and nothing moves for those who asked for less motion).
    const common = { responsive: true, maintainAspectRatio: false, animation: false as const, locale: language };
    const top = answer.artefacts.slice(0, 10);
    return {
      days: {
        type: "line",
        data: {
          labels: answer.days.map((d) => d.day.slice(5)),
          datasets: [
            { label: t("views"), data: answer.days.map((d) => plotted(d.views)), borderColor: ACCENT, backgroundColor: ACCENT, tension: 0.2 },
            { label: t("visitors"), data: answer.days.map((d) => plotted(d.visitors)), borderColor: SECOND, backgroundColor: SECOND, tension: 0.2 },
          ],
        },
        options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      },
      artefacts: {
        type: "bar",
        data: { labels: top.map((a) => titleOf(a.placement)), datasets: [{ label: t("opens"), data: top.map((a) => plotted(a.opens)), backgroundColor: ACCENT }] },
        options: { ...common, indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
      },
      devices: {
        type: "doughnut",
        data: {
          labels: DEVICE_CLASSES.map((c) => t(`device_${c}`)),
          datasets: [{ data: DEVICE_CLASSES.map((c) => plotted(answer.totals.devices[c]) ?? 0), backgroundColor: DEVICE_COLOURS }],
        },
        options: { ...common },
      },
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- titles follow the answer and language
  }, [answer, language]);
}
