import { useEffect, useState } from "react";
import { api } from "../api/client";
import { usePageLanguage, useT } from "../i18n/strings";
import { navigate } from "../state/router";
import { FolderEntryCard } from "./FolderEntryCard";
import { FoldersHeader } from "./folder-parts";
import type { SharedFolderAnswer } from "../shared/api/folders";

/** `/f/<code>`: a collection folder someone shared, read-only: what it holds that the reader may see, in its owner's order. */
export function SharedFolderPage({ code }: { code: string }) {
  const t = useT();
  const [folder, setFolder] = useState<SharedFolderAnswer | null>(null);
  const [missing, setMissing] = useState(false);

  usePageLanguage();
  useEffect(() => {
    let live = true;
    api.sharedFolder(code).then(
      (f) => live && setFolder(f),
      () => live && setMissing(true),
    );
    return () => void (live = false);
  }, [code]);
  useEffect(() => {
    document.title = `${folder?.name ?? t("folders")} · Atrium`;
  }, [t, folder]);

  if (missing)
    return (
      <main className="page error-page">
        <h1>{t("noSuchFolder")}</h1>
        <p>{t("noSuchLinkWhy")}</p>
        <a href="/explore" onClick={(e) => (e.preventDefault(), navigate("/explore"))}>
          {t("exploreTitle")} →
        </a>
      </main>
    );
  return (
    <main className="page folders-page shared-folder" aria-busy={!folder}>
      <FoldersHeader />
      {!folder && <p>{t("loading")}…</p>}
      {folder && (
        <>
          <h1>{folder.name}</h1>
          <p className="folder-owner">{t("sharedFolderBy", { name: folder.owner })}</p>
          {folder.items.length === 0 && <p className="hint">{t("folderEmpty")}</p>}
          <ol className="folder-entries">
            {folder.items.map((entry) => (
              <FolderEntryCard key={entry.id} entry={entry} />
            ))}
          </ol>
        </>
      )}
    </main>
  );
}
