import { useEffect, useState, type FormEvent } from "react";
import { useSession } from "../account/session";
import { api, type ExhibitionProblem as Problem, type ExhibitionSummary as Summary } from "../api/client";
import { navigate } from "../state/router";
import { pickText, type TemplateId } from "../shared/exhibition";
import { LANGUAGE_NAMES, UI_LANGUAGES, chooseLanguage, useT, type StringKey } from "../i18n/strings";
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
          <div className="language-switch" role="group" aria-label={t("language")}>
            {UI_LANGUAGES.map((tag) => (
              <button key={tag} lang={tag} aria-pressed={tag === language} onClick={() => useLocalStore.getState().setLanguage(tag)}>
                {LANGUAGE_NAMES[tag] ?? tag}
              </button>
            ))}
          </div>
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
      <h1>{t("exhibitions")}</h1>
      {error && <p role="alert" className="form-error">{error}</p>}
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
              <p className="badges">
                {!e.published && <span className="badge draft">{t("draft")}</span>}
                {e.role !== "viewer" && <span className="badge role">{t(`role_${e.role}` as StringKey)}</span>}
              </p>
              <h2>{pickText(e.title, language, e.languages)}</h2>
              <p className="museums">{e.museums.map((m) => pickText(m.name, language, e.languages)).join(" · ")}</p>
              <p className="intro">{pickText(e.intro, language, e.languages)}</p>
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
        ))}
      </ul>
      {me && <NewExhibitionForm museums={me.museums} onCreated={(id) => navigate(`/studio/${id}`)} />}
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

/** Starts an exhibition, personal or owned by one of the user's museums. */
function NewExhibitionForm({ museums, onCreated }: { museums: { id: string }[]; onCreated: (id: string) => void }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const title: Record<string, string> = {};
    for (const tag of ["zh-Hant", "en"]) {
      const v = String(f.get(`title-${tag}`) ?? "").trim();
      if (v) title[tag] = v;
    }
    const museum = String(f.get("museum") ?? "");
    try {
      await api.createExhibition({ id: String(f.get("id") ?? ""), title, template: String(f.get("template") ?? "empty") as TemplateId, ...(museum ? { museum } : {}) });
      onCreated(String(f.get("id")));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section className="new-exhibition">
      <h2>{t("newExhibition")}</h2>
      <form onSubmit={submit} className="account-form inline">
        <label>
          {t("exhibitionId")}
          <input name="id" required pattern="[a-z0-9][a-z0-9-]{0,63}" />
        </label>
        <label lang="zh-Hant">
          {t("titleIn")} (繁體中文)
          <input name="title-zh-Hant" />
        </label>
        <label lang="en">
          {t("titleIn")} (English)
          <input name="title-en" />
        </label>
        <label>
          {t("owner")}
          <select name="museum" defaultValue={museums[0]?.id ?? ""}>
            <option value="">{t("personal")}</option>
            {museums.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("template")}
          <select name="template" defaultValue="micro">
            <option value="micro">{t("templateMicro")}</option>
            <option value="empty">{t("templateEmpty")}</option>
            <option value="two-museum">{t("templateTwoMuseum")}</option>
          </select>
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit">
          {t("create")}
        </button>
      </form>
    </section>
  );
}
