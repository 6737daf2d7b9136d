import { useEffect, useState } from "react";
import { api } from "../api/client";
import { useSignedIn } from "../account/session";
import { useT } from "../i18n/strings";
import { navigate } from "../state/router";
import type { FolderSummary } from "../shared/api/folders";
import { NewFolderForm } from "./folder-parts";

/**
 * "Save to folder" for a signed-in visitor: a menu of their collection folders, each ticked when
 * it holds this show or artefact (untick to take it out), and a field to make a new folder that
 * saves it at once. Nothing is shown to a visitor who is not signed in.
 */
export function SaveToFolder({ exhibition, placement, label }: { exhibition: string; placement?: string; label: string }) {
  const t = useT();
  const { me } = useSignedIn();
  const [open, setOpen] = useState(false);
  const [folders, setFolders] = useState<FolderSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const target = placement ? { exhibition, placement } : { exhibition };

  useEffect(() => {
    if (!open) return;
    let live = true;
    api.folders(target).then(
      (a) => live && setFolders(a.folders),
      (e: Error) => live && setError(e.message),
    );
    return () => void (live = false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `target` is made of these two
  }, [open, exhibition, placement]);
  if (!me) return null;

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      setFolders((await api.folders(target)).folders);
    } catch (e) {
      setError((e as Error).message);
    }
    setBusy(false);
  };
  const toggle = (f: FolderSummary) =>
    run(async () => {
      if (!f.holds) return api.saveToFolder(f.id, exhibition, placement);
      const entry = (await api.folder(f.id)).items.find((i) => i.exhibition === exhibition && i.placement === (placement ?? null));
      if (entry) await api.removeFromFolder(f.id, entry.id);
    });
  /** Makes a folder and saves this show or artefact in it. */
  const create = (name: string) =>
    run(async () => {
      const f = await api.createFolder(name);
      await api.saveToFolder(f.id, exhibition, placement);
    });
  const saved = folders?.some((f) => f.holds) ?? false;

  return (
    <div className="save-folder">
      <button className={`save-to-folder${saved ? " saved" : ""}`} aria-expanded={open} onClick={() => setOpen(!open)}>
        {saved ? "★" : "☆"} {label}
      </button>
      {open && (
        <div className="folder-menu" role="group" aria-label={label} aria-busy={busy || folders === null}>
          {folders && folders.length > 0 && (
            <ul>
              {folders.map((f) => (
                <li key={f.id}>
                  <label>
                    <input type="checkbox" checked={!!f.holds} disabled={busy} onChange={() => void toggle(f)} /> <span className="folder-name">{f.name}</span>{" "}
                    <span className="count">{t("savedCount", { n: f.entries })}</span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          <NewFolderForm busy={busy} onCreate={create} />
          <a className="my-folders" href="/folders" onClick={(e) => (e.preventDefault(), navigate("/folders"))}>
            {t("myFolders")} →
          </a>
          {error && (
            <p role="alert" className="form-error">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
