import { useEffect, useState } from "react";
import { navigate } from "../app/router";
import { pickText, type FieldProblem, type LangMap } from "../exhibition";
import { LANGUAGE_NAMES, UI_LANGUAGES, chooseLanguage, useT } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";

interface Summary {
  id: string;
  title: LangMap;
  intro: LangMap;
  languages: string[];
  museums: { id: string; name: LangMap }[];
  rooms: number;
  artefacts: number;
}
interface Problem {
  id: string;
  file: string;
  message: string;
  problems: FieldProblem[];
}

/** `/`: the exhibitions this server shows, and any exhibition file it could not load. */
export function ExhibitionListPage() {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const [list, setList] = useState<{ exhibitions: Summary[]; problems: Problem[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const s = useLocalStore.getState();
    const wanted = chooseLanguage(UI_LANGUAGES, s.language, navigator.languages ?? []);
    if (wanted !== s.language) useLocalStore.setState({ language: wanted });
    document.title = "Atrium";
    fetch("/api/exhibitions")
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then(setList, (e: Error) => setError(e.message));
  }, []);

  return (
    <main className="page home">
      <header className="home-header">
        <div>
          <p className="brand">Atrium</p>
          <p className="tagline">{t("appTagline")}</p>
        </div>
        <div className="language-switch" role="group" aria-label={t("language")}>
          {UI_LANGUAGES.map((tag) => (
            <button key={tag} lang={tag} aria-pressed={tag === language} onClick={() => useLocalStore.getState().setLanguage(tag)}>
              {LANGUAGE_NAMES[tag] ?? tag}
            </button>
          ))}
        </div>
      </header>
      <h1>{t("exhibitions")}</h1>
      {error && <p role="alert">{error}</p>}
      {!list && !error && <p>{t("loading")}…</p>}
      <ul className="exhibition-list">
        {list?.exhibitions.map((e) => (
          <li key={e.id} className="exhibition-card" data-exhibition={e.id}>
            <a
              href={`/visit/${e.id}`}
              onClick={(ev) => {
                ev.preventDefault();
                navigate(`/visit/${e.id}`);
              }}
            >
              <h2>{pickText(e.title, language, e.languages)}</h2>
              <p className="museums">{e.museums.map((m) => pickText(m.name, language, e.languages)).join(" · ")}</p>
              <p className="intro">{pickText(e.intro, language, e.languages)}</p>
              <p className="counts">
                {e.rooms} {t("roomsCount")} · {e.artefacts} {t("artefacts")}
              </p>
              <span className="enter">{t("open")} →</span>
            </a>
          </li>
        ))}
      </ul>
      {list && list.problems.length > 0 && (
        <section className="broken" role="alert">
          <h2>{t("brokenExhibitions")}</h2>
          <ul>
            {list.problems.map((p) => (
              <li key={p.file} data-broken={p.id}>
                <code>{p.file}</code>
                <ul>
                  {(p.problems.length ? p.problems : [{ field: "", message: p.message }]).slice(0, 5).map((f, i) => (
                    <li key={i}>
                      <code className="error-field">{f.field || "(document)"}</code> {f.message}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
