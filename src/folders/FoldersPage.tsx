import { useEffect, useState } from "react";
import { api } from "../api/client";
import { useSignedIn } from "../account/session";
import { usePageLanguage, useT } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";
import { navigate } from "../state/router";
import { FolderEntryCard } from "./FolderEntryCard";
import { FoldersHeader, NewFolderForm } from "./folder-parts";
import type { FolderAnswer, FolderSummary } from "../shared/api/folders";

/**
 * `/folders[/<id>]`: a signed-in user's collection folders (issue 23). The list, a field to make
 * one; the folder open: rename, delete, share a read-only link (or stop), put what it holds in
 * order (buttons, so a keyboard or a screen reader can), take things out, and start a new
 * exhibition from it, which opens in the studio.
 */
export function FoldersPage({ id }: { id: string | null }) {
  const t = useT();
  const { me, known } = useSignedIn();
  const language = useLocalStore((s) => s.language);
  const [folders, setFolders] = useState<FolderSummary[] | null>(null);
  const [folder, setFolder] = useState<FolderAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  usePageLanguage();
  useEffect(() => {
    document.title = `${folder?.name ?? t("myFolders")} · Atrium`;
  }, [t, folder]);
  useEffect(() => {
    if (!me) return;
    let live = true;
    api.folders().then(
      (a) => live && setFolders(a.folders),
      (e: Error) => live && setError(e.message),
    );
    return () => void (live = false);
  }, [me]);
  useEffect(() => {
    setFolder(null);
    if (!me || !id) return;
    let live = true;
    api.folder(id).then(
      (f) => live && setFolder(f),
      (e: Error) => live && setError(e.message),
    );
    return () => void (live = false);
  }, [me, id]);

  /** Runs a change; the folder's new state (when it answers one) is shown, and the list refreshed. */
  const run = async (work: () => Promise<FolderAnswer | void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const f = await work();
      if (f) setFolder(f);
      setFolders((await api.folders()).folders);
    } catch (e) {
      setError((e as Error).message);
    }
    setBusy(false);
  };
  const create = (name: string) =>
    run(async () => {
      const f = await api.createFolder(name);
      navigate(`/folders/${f.id}`);
      return f;
    });
  const move = (index: number, by: -1 | 1) => {
    if (!folder) return;
    const ids = folder.items.map((i) => i.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + by, 0, moved!);
    void run(() => api.orderFolder(folder.id, ids));
  };
  const rename = () => {
    if (!folder) return;
    const next = window.prompt(t("folderName"), folder.name)?.trim();
    if (next && next !== folder.name) void run(() => api.renameFolder(folder.id, next));
  };
  const remove = () => {
    if (!folder || !window.confirm(`${t("deleteFolder")}: ${folder.name}?`)) return;
    void run(async () => {
      await api.deleteFolder(folder.id);
      navigate("/folders");
    });
  };
  const startShow = () => {
    if (!folder) return;
    void run(async () => {
      const made = await api.showFromFolder(folder.id, language);
      if (made.skipped > 0) setNotice(t("skippedSaved", { n: made.skipped }));
      navigate(`/studio/${made.exhibition.id}`);
    });
  };

  if (known && !me)
    return (
      <main className="page folders-page">
        <h1>{t("myFolders")}</h1>
        <p>{t("foldersSignIn")}</p>
        <a className="signin-link" href="/signin" onClick={(e) => (e.preventDefault(), navigate("/signin"))}>
          {t("signIn")}
        </a>
      </main>
    );
  return (
    <main className="page folders-page">
      <FoldersHeader />
      <div className="folders-layout">
        <nav className="folder-list" aria-label={t("myFolders")}>
          <h1>{t("myFolders")}</h1>
          {folders?.length === 0 && <p className="hint">{t("noFolders")}</p>}
          <ul>
            {folders?.map((f) => (
              <li key={f.id}>
                <a href={`/folders/${f.id}`} aria-current={f.id === id ? "page" : undefined} onClick={(e) => (e.preventDefault(), navigate(`/folders/${f.id}`))}>
                  <span className="folder-name">{f.name}</span> <span className="count">{t("savedCount", { n: f.entries })}</span>
                  {f.shared && <span className="badge shared-mark">{t("sharedMark")}</span>}
                </a>
              </li>
            ))}
          </ul>
          <NewFolderForm busy={busy} onCreate={create} />
        </nav>
        <section className="folder-view" aria-busy={busy} data-folder={folder?.id ?? ""}>
          {error && (
            <p role="alert" className="form-error">
              {error}
            </p>
          )}
          {notice && <p role="status">{notice}</p>}
          {folder && (
            <>
              <header className="folder-header">
                <h2>{folder.name}</h2>
                <div className="folder-tools">
                  <button onClick={rename} disabled={busy}>
                    {t("rename")}
                  </button>
                  <button className="share-folder" onClick={() => void run(() => api.shareFolder(folder.id, !folder.shared))} disabled={busy}>
                    {folder.shared ? t("stopSharing") : t("shareFolder")}
                  </button>
                  <button className="danger" onClick={remove} disabled={busy}>
                    {t("deleteFolder")}
                  </button>
                </div>
                {folder.shared && (
                  <p className="shared-link">
                    <input readOnly value={folder.shared} aria-label={t("shareFolder")} onFocus={(e) => e.currentTarget.select()} />
                    <button onClick={() => void navigator.clipboard?.writeText(folder.shared!).then(() => setNotice(t("linkCopied")))}>{t("copyLink")}</button>
                  </p>
                )}
                <button className="primary start-show" onClick={startShow} disabled={busy || folder.items.length === 0}>
                  {t("startShowFromFolder")}
                </button>
              </header>
              {folder.items.length === 0 && <p className="hint">{t("folderEmpty")}</p>}
              <ol className="folder-entries">
                {folder.items.map((entry, i) => (
                  <FolderEntryCard key={entry.id} entry={entry}>
                    <div className="entry-tools">
                      <button className="move-up" aria-label={t("moveUp")} title={t("moveUp")} disabled={busy || i === 0} onClick={() => move(i, -1)}>
                        ↑
                      </button>
                      <button className="move-down" aria-label={t("moveDown")} title={t("moveDown")} disabled={busy || i === folder.items.length - 1} onClick={() => move(i, 1)}>
                        ↓
                      </button>
                      <button className="remove-entry" onClick={() => void run(() => api.removeFromFolder(folder.id, entry.id))} disabled={busy}>
                        {t("removeFromFolder")}
                      </button>
                    </div>
                  </FolderEntryCard>
                ))}
              </ol>
            </>
          )}
        </section>
      </div>
    </main>
  );
}
