import { useEffect, useState } from "react";
import { reportRefusal } from "./studio-hooks";
import { useStudio } from "./studio-context";
import { useStudioT } from "./studio-strings";
import { api, type VersionInfo } from "../api/client";
import { ReviewPanel } from "./review-panel";

/**
 * Named versions: save the show as it is now under a name; review what changed since one (and
 * who changed it); restore one later (a new, undoable edit).
 */
export function VersionsPanel() {
  const t = useStudioT();
  const studio = useStudio();
  const [versions, setVersions] = useState<VersionInfo[]>([]);
  const [name, setName] = useState("");
  const [reload, setReload] = useState(0);
  const [reviewing, setReviewing] = useState<VersionInfo | null>(null);
  useEffect(() => {
    if (!studio) return;
    api
      .versions(studio.id)
      .then((b) => setVersions(b.versions))
      .catch(reportRefusal);
  }, [studio, reload]);
  if (!studio) return null;
  const disabled = !studio.editor.canEdit();
  if (reviewing)
    return (
      <aside className="studio-drawer panel versions-panel" aria-label={t("versions")}>
        <h2>{t("versions")}</h2>
        <ReviewPanel studio={studio} version={reviewing} onBack={() => setReviewing(null)} />
      </aside>
    );
  return (
    <aside className="studio-drawer panel versions-panel" aria-label={t("versions")}>
      <h2>{t("versions")}</h2>
      {!disabled && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            api.saveVersion(studio.id, { name })
              .then(() => {
                setName("");
                setReload((n) => n + 1);
              })
              .catch(reportRefusal);
          }}
        >
          <input name="version-name" placeholder={t("versionName")} value={name} onChange={(e) => setName(e.target.value)} />
          <button disabled={!name.trim()}>{t("saveVersion")}</button>
        </form>
      )}
      <ol className="versions">
        {versions.map((v) => (
          <li key={v.id} data-version={v.name}>
            <strong>{v.name}</strong>
            <span className="muted">
              {v.author} · {new Date(v.at).toLocaleString()}
            </span>
            <button onClick={() => setReviewing(v)} name="review">
              {t("review")}
            </button>
            {!disabled && (
              <button onClick={() => api.restoreVersion(studio.id, v.id).catch(reportRefusal)} name="restore">
                {t("restore")}
              </button>
            )}
          </li>
        ))}
      </ol>
    </aside>
  );
}
