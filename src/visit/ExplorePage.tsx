import { useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "../api/client";
import { navigate, useLocationKey } from "../state/router";
import { useLocalStore } from "../state/local-store";
import { pickTextLang, themeLabel, type LangMap } from "../shared/exhibition";
import { LANGUAGE_NAMES, browserLanguages, contentFallbacks, usePageLanguage, useT, type StringKey } from "../i18n/strings";
import { downloadUrl } from "../viewer/model-url";
import { LicenceBadges } from "../viewer/panels/LicenceBadges";
import { InterfaceLanguages } from "./ExhibitionListPage";
import type { ExploreAnswer, ExploreCard } from "../shared/api/explore";

/** The page's own query parameters and the API's names for them (`lang` is the interface language everywhere else). */
const PARAMS = [
  ["q", "q"],
  ["museum", "museum"],
  ["language", "lang"],
  ["kind", "kind"],
  ["theme", "theme"],
  ["sort", "sort"],
] as const;
const KINDS = ["personal", "museum", "joint", "class"] as const;
const PAGE = 24;

/**
 * `/explore`: the public gallery. Every published show, searched on the server in any of its
 * languages (a Chinese word inside a label is found), filtered by museum, language, kind and theme,
 * newest first or by title. The search lives in the address (`/explore?q=...`), so a search can
 * be shared, bookmarked and gone back to; the form also works as a plain GET form.
 */
export function ExplorePage() {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const key = useLocationKey();
  const params = new URLSearchParams(window.location.search);
  const [answer, setAnswer] = useState<ExploreAnswer | null>(null);
  /** The address (path and search) the cards shown answer: tests and assistive tech know when they are current. */
  const [answered, setAnswered] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const facets = useRef<ExploreAnswer["facets"] | null>(null);

  usePageLanguage();
  useEffect(() => {
    document.title = `${t("exploreTitle")} · Atrium`;
  }, [t]);

  // A new search whenever the address changes (typing does not search: submitting does).
  useEffect(() => {
    const controller = new AbortController();
    setBusy(true);
    setError(null);
    api.explore(apiParams(new URLSearchParams(window.location.search), 0), controller.signal).then(
      (a) => {
        facets.current = a.facets;
        setAnswer(a);
        setAnswered(key);
        setBusy(false);
      },
      (e: Error) => {
        if (controller.signal.aborted) return;
        setError(e.message);
        setBusy(false);
      },
    );
    return () => controller.abort();
  }, [key]);

  const more = async () => {
    if (!answer) return;
    setBusy(true);
    try {
      const next = await api.explore(apiParams(params, answer.cards.length));
      setAnswer({ ...next, cards: [...answer.cards, ...next.cards] });
    } catch (e) {
      setError((e as Error).message);
    }
    setBusy(false);
  };

  const apply = (form: HTMLFormElement) => {
    const f = new FormData(form);
    const next = new URLSearchParams();
    for (const [name] of PARAMS) {
      const v = String(f.get(name) ?? "").trim();
      if (v && !(name === "sort" && v === "newest")) next.set(name, v);
    }
    const qs = next.toString();
    if (`?${qs}` !== window.location.search && !(qs === "" && window.location.search === "")) navigate(`/explore${qs ? `?${qs}` : ""}`);
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    apply(e.currentTarget);
  };
  const known = facets.current ?? answer?.facets;

  return (
    <main className="page home explore">
      <header className="home-header">
        <div>
          <a className="brand" href="/" onClick={(e) => (e.preventDefault(), navigate("/"))}>
            Atrium
          </a>
          <p className="tagline">{t("appTagline")}</p>
        </div>
        <div className="home-actions">
          <InterfaceLanguages />
          <a className="signin-link" href="/" onClick={(e) => (e.preventDefault(), navigate("/"))}>
            {t("allExhibitions")}
          </a>
        </div>
      </header>
      <h1>{t("exploreTitle")}</h1>
      <p className="explore-intro">{t("exploreIntro")}</p>
      <form role="search" className="explore-search" action="/explore" method="get" onSubmit={submit} key={key}>
        <div className="explore-query">
          <input type="search" name="q" defaultValue={params.get("q") ?? ""} aria-label={t("searchExhibitions")} placeholder={t("searchExhibitions")} maxLength={100} />
          <button className="primary" type="submit">
            {t("search")}
          </button>
        </div>
        <label>
          <span>{t("museum")}</span>
          <select name="museum" defaultValue={params.get("museum") ?? ""} onChange={(e) => apply(e.currentTarget.form!)}>
            <option value="">{t("anyMuseum")}</option>
            {known?.museums.map((m) => (
              <option key={m.id} value={m.id}>
                {text(m.name, language).text}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("language")}</span>
          <select name="language" defaultValue={params.get("language") ?? ""} onChange={(e) => apply(e.currentTarget.form!)}>
            <option value="">{t("anyLanguage")}</option>
            {known?.languages.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l] ?? l}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("kind")}</span>
          <select name="kind" defaultValue={params.get("kind") ?? ""} onChange={(e) => apply(e.currentTarget.form!)}>
            <option value="">{t("anyKind")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind_${k}` as StringKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("theme")}</span>
          <select name="theme" defaultValue={params.get("theme") ?? ""} onChange={(e) => apply(e.currentTarget.form!)}>
            <option value="">{t("anyTheme")}</option>
            {known?.themes.map(({ theme, shows }) => (
              <option key={theme} value={theme}>
                {themeLabel(theme, language)} ({shows})
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("sortBy")}</span>
          <select name="sort" defaultValue={params.get("sort") ?? "newest"} onChange={(e) => apply(e.currentTarget.form!)}>
            <option value="newest">{t("sortNewest")}</option>
            <option value="visited">{t("sortVisited")}</option>
            <option value="title">{t("sortTitle")}</option>
          </select>
        </label>
      </form>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      <p className="explore-count" aria-live="polite" data-total={answer?.total ?? ""}>
        {answer ? (answer.total === 0 ? t("noResults") : t("resultsCount", { n: answer.total })) : `${t("loading")}…`}
      </p>
      <ul className="exhibition-list explore-cards" aria-busy={busy || answered !== key} data-answered={answered}>
        {answer?.cards.map((c) => <Card key={c.id} card={c} />)}
      </ul>
      {answer && answer.cards.length < answer.total && (
        <button className="show-more" onClick={more} disabled={busy}>
          {t("showMore")}
        </button>
      )}
    </main>
  );
}

/** The API query for the page's parameters, from `offset`. */
function apiParams(page: URLSearchParams, offset: number): URLSearchParams {
  const out = new URLSearchParams();
  for (const [name, apiName] of PARAMS) {
    const v = page.get(name);
    if (v) out.set(apiName, v);
  }
  out.set("limit", String(PAGE));
  if (offset) out.set("offset", String(offset));
  return out;
}

const text = (map: LangMap, language: string, shows: readonly string[] = []) => pickTextLang(map, language, contentFallbacks(shows, browserLanguages()));

/** One show: its picture, title, museums, introduction, kind, licences and languages. */
function Card({ card }: { card: ExploreCard }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const title = text(card.title, language, card.languages);
  const intro = text(card.intro, language, card.languages);
  const href = `/visit/${encodeURIComponent(card.id)}`;
  const picture = card.picture ? downloadUrl(card.picture.url) : null;
  return (
    <li className="exhibition-card explore-card" data-exhibition={card.id}>
      <a href={href} onClick={(e) => (e.preventDefault(), navigate(href))}>
        {/* A panorama is six faces side by side: the card shows the first (the view from the entrance). */}
        {picture && card.picture?.panorama && <div className="explore-picture panorama" role="presentation" style={{ backgroundImage: `url("${picture}")` }} />}
        {picture && !card.picture?.panorama && <img className="explore-picture" src={picture} alt="" loading="lazy" />}
        <p className="badges">
          <span className="badge kind">{t(`kind_${card.kind}` as StringKey)}</span>
          {card.themes.map((th) => (
            <span key={th} className="badge theme">
              {themeLabel(th, language)}
            </span>
          ))}
          {card.languages.map((l) => (
            <span key={l} className="badge language" lang={l}>
              {LANGUAGE_NAMES[l] ?? l}
            </span>
          ))}
        </p>
        <h2 lang={title.lang}>{title.text}</h2>
        <p className="museums">{card.museums.map((m) => text(m.name, language, card.languages).text).join(" · ")}</p>
        {intro.text && (
          <p className="intro" lang={intro.lang}>
            {intro.text}
          </p>
        )}
        <p className="counts">
          {card.rooms} {t("roomsCount")} · {card.artefacts} {t("artefacts")}
        </p>
        <LicenceBadges licences={card.licences} />
      </a>
    </li>
  );
}
