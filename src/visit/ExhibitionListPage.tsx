import { useEffect, useState, type FormEvent } from "react";
import { useSession } from "../account/session";
import { api, ApiError, type ExhibitionProblem as Problem, type ExhibitionSummary as Summary } from "../api/client";
import { navigate } from "../state/router";
import { addressFromTitle, pickText, type TemplateId } from "../shared/exhibition";
import { LANGUAGE_NAMES, TEMPLATE_CHOICES, UI_LANGUAGES, browserLanguages, chooseLanguage, contentFallbacks, useT, type StringKey } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";

/** `/`: the exhibitions this visitor may see (all published ones, plus their own), and broken files. */
export function ExhibitionListPage() {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const { me } = useSession();
  const [list, setList] = useState<{ exhibitions: Summary[]; problems: Problem[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [invites, setInvites] = useState<Record<string, string>>({});

  const load = () =>
    api.exhibitions().then(setList, (e: Error) => setError(e.message));
  useEffect(() => {
    const s = useLocalStore.getState();
    const wanted = chooseLanguage(UI_LANGUAGES, s.language, navigator.languages ?? []);
    if (wanted !== s.language) useLocalStore.setState({ language: wanted });
    document.title = "Atrium";
    void useSession.getState().refresh();
    void load();
  }, []);

  const invite = async (id: string, role: "curator" | "commenter") => {
    try {
      const r = await api.invite(id, { role });
      setInvites((m) => ({ ...m, [id]: `${location.origin}/invite/${r.token}` }));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <main className="page home">
      <header className="home-header">
        <div>
          <p className="brand">Atrium</p>
          <p className="tagline">{t("appTagline")}</p>
        </div>
        <div className="home-actions">
          <InterfaceLanguages />
          <a className="explore-link" href="/explore" onClick={(e) => (e.preventDefault(), navigate("/explore"))}>
            {t("explore")}
          </a>
          {me && (
            <a className="folders-link" href="/folders" onClick={(e) => (e.preventDefault(), navigate("/folders"))}>
              {t("myFolders")}
            </a>
          )}
          {me ? (
            <p className="account">
              <span className="account-name">{me.user.name}</span>
              <button className="link" onClick={() => useSession.getState().signOut().then(load)}>
                {t("signOut")}
              </button>
            </p>
          ) : (
            <a className="signin-link" href="/signin" onClick={(e) => (e.preventDefault(), navigate("/signin"))}>
              {t("signIn")}
            </a>
          )}
        </div>
      </header>
      {me && <NewExhibitionForm museums={me.museums} onCreated={(id) => navigate(`/studio/${id}`)} />}
      <h1>{t("exhibitions")}</h1>
      {error && <p role="alert" className="form-error">{error}</p>}
      {!list && !error && <p>{t("loading")}…</p>}
      <ul className="exhibition-list">
        {list?.exhibitions.map((e) => {
          const fallbacks = contentFallbacks(e.languages, browserLanguages());
          return (
          <li key={e.id} className="exhibition-card" data-exhibition={e.id}>
            <a
              href={`/visit/${e.id}`}
              onClick={(ev) => {
                ev.preventDefault();
                navigate(`/visit/${e.id}`);
              }}
            >
              <p className="badges">
                {!e.published && <span className="badge draft">{t("draft")}</span>}
                {e.role !== "viewer" && <span className="badge role">{t(`role_${e.role}` as StringKey)}</span>}
              </p>
              <h2>{pickText(e.title, language, fallbacks)}</h2>
              <p className="museums">{e.museums.map((m) => pickText(m.name, language, fallbacks)).join(" · ")}</p>
              <p className="intro">{pickText(e.intro, language, fallbacks)}</p>
              <p className="counts">
                {e.rooms} {t("roomsCount")} · {e.artefacts} {t("artefacts")}
              </p>
              <span className="enter">{t("open")} →</span>
            </a>
            <p className="open-data">
              <a href={`/api/exhibitions/${e.id}/iiif`} target="_blank" rel="noreferrer" title="IIIF Presentation 3">
                IIIF
              </a>
              <a href={`/api/exhibitions/${e.id}/export`} download={`${e.id}.json`}>
                JSON
              </a>
            </p>
            {e.role !== "viewer" && (
              <a
                className="studio-link"
                href={`/studio/${e.id}`}
                onClick={(ev) => {
                  ev.preventDefault();
                  navigate(`/studio/${e.id}`);
                }}
              >
                ✎ {t("openStudio")}
              </a>
            )}
            {(e.role === "owner" || e.role === "curator") && (
              <a
                className="stats-link"
                href={`/stats/${e.id}`}
                onClick={(ev) => {
                  ev.preventDefault();
                  navigate(`/stats/${e.id}`);
                }}
              >
                {t("statistics")}
              </a>
            )}
            {e.role === "owner" && (
              <div className="owner-tools">
                <span>{t("invite")}:</span>
                <button className="link invite-curator" onClick={() => invite(e.id, "curator")}>
                  {t("asCurator")}
                </button>
                <button className="link invite-commenter" onClick={() => invite(e.id, "commenter")}>
                  {t("asCommenter")}
                </button>
                {invites[e.id] && (
                  <input className="invite-link" readOnly value={invites[e.id]} aria-label={t("inviteLink")} onFocus={(ev) => ev.currentTarget.select()} />
                )}
              </div>
            )}
          </li>
          );
        })}
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

/**
 * Starts an exhibition, personal or owned by one of the user's museums: a title (in the interface's
 * language, the other one optional) and a template; the server makes the address from the title
 * (it can be chosen under "Address"). Sits at the top of the page, where a new teacher looks first.
 */
function NewExhibitionForm({ museums, onCreated }: { museums: { id: string; name: Record<string, string> }[]; onCreated: (id: string) => void }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [titles, setTitles] = useState<Record<string, string>>({});
  // The interface's language first: a teacher using Atrium in English names the show in English.
  const order = language === "en" ? ["en", "zh-Hant"] : ["zh-Hant", "en"];
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const title: Record<string, string> = {};
    for (const tag of order) {
      const v = String(f.get(`title-${tag}`) ?? "").trim();
      if (v) title[tag] = v;
    }
    if (Object.keys(title).length === 0) return setError(t("titleNeeded"));
    const museum = String(f.get("museum") ?? "");
    const id = String(f.get("id") ?? "").trim();
    setBusy(true);
    try {
      const r = await api.createExhibition({ ...(id ? { id } : {}), title, languages: order, template: String(f.get("template") ?? "micro") as TemplateId, ...(museum ? { museum } : {}) });
      onCreated(r.exhibition.id);
    } catch (err) {
      // Name the field in words the form uses, never the schema's path.
      setError(err instanceof ApiError && err.answer.field === "id" ? `${t("address")}: ${err.status === 409 ? t("addressTaken") : t("addressRule")}` : (err as Error).message);
      setBusy(false);
    }
  };
  return (
    <section className="new-exhibition" aria-labelledby="new-exhibition-title">
      <h2 id="new-exhibition-title">{t("newExhibition")}</h2>
      <form onSubmit={submit} className="account-form inline" noValidate>
        {order.map((tag, i) => (
          <label key={tag} lang={tag}>
            <span>
              {t("titleIn")} · {LANGUAGE_NAMES[tag]}
              {i > 0 && <span className="optional"> ({t("optional")})</span>}
            </span>
            <input name={`title-${tag}`} required={i === 0} autoFocus={i === 0} value={titles[tag] ?? ""} onChange={(e) => setTitles((m) => ({ ...m, [tag]: e.target.value }))} />
          </label>
        ))}
        <label>
          {t("template")}
          <select name="template" defaultValue="micro">
            {TEMPLATE_CHOICES.map(([id, label]) => (
              <option key={id} value={id}>
                {t(label)}
              </option>
            ))}
          </select>
        </label>
        {museums.length > 0 && (
          <label>
            {t("owner")}
            <select name="museum" defaultValue={museums[0]!.id}>
              <option value="">{t("personal")}</option>
              {museums.map((m) => (
                <option key={m.id} value={m.id}>
                  {pickText(m.name, language)}
                </option>
              ))}
            </select>
          </label>
        )}
        <details className="address">
          <summary>
            {t("address")}: <code>/visit/{addressFromTitle(titles)}</code>
          </summary>
          <label>
            {t("exhibitionId")}
            {/* Escaped "-": Chromium reads `pattern` with the v flag, where a bare "-" in a class is an error. */}
            <input name="id" pattern="[a-z0-9][a-z0-9\-]{0,63}" placeholder={addressFromTitle(titles)} />
          </label>
        </details>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {t("create")}
        </button>
      </form>
    </section>
  );
}

/** The interface languages as a row of buttons (the home and explore pages). */
export function InterfaceLanguages() {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  return (
    <div className="language-switch" role="group" aria-label={t("language")}>
      {UI_LANGUAGES.map((tag) => (
        <button key={tag} lang={tag} aria-pressed={tag === language} onClick={() => useLocalStore.getState().setLanguage(tag)}>
          {LANGUAGE_NAMES[tag] ?? tag}
        </button>
      ))}
    </div>
  );
}
