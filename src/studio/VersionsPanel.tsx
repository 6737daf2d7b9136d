import { useEffect, useState } from "react";
import { postJson } from "../account/session";
import { reportRefusal } from "./StudioPage";
import { useStudio } from "./studio-context";
import { useStudioT } from "./studio-strings";

interface VersionInfo {
  id: number;
  name: string;
  author: string;
  at: number;
}

/** Named versions: save the show as it is now under a name; restore one later (a new, undoable edit). */
export function VersionsPanel() {
  const t = useStudioT();
  const studio = useStudio();
  const [versions, setVersions] = useState<VersionInfo[]>([]);
  const [name, setName] = useState("");
  const [reload, setReload] = useState(0);
  useEffect(() => {
    if (!studio) return;
    fetch(`/api/exhibitions/${studio.id}/versions`)
      .then((r) => r.json())
      .then((b: { versions?: VersionInfo[]; error?: string }) => (b.versions ? setVersions(b.versions) : reportRefusal(new Error(b.error))))
      .catch(reportRefusal);
  }, [studio, reload]);
  if (!studio) return null;
  const disabled = !studio.editor.canEdit();
  return (
    <aside className="studio-drawer panel versions-panel" aria-label={t("versions")}>
      <h2>{t("versions")}</h2>
      {!disabled && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            postJson(`/api/exhibitions/${studio.id}/versions`, { name })
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
            {!disabled && (
              <button onClick={() => postJson(`/api/exhibitions/${studio.id}/versions/${v.id}/restore`).catch(reportRefusal)} name="restore">
                {t("restore")}
              </button>
            )}
          </li>
        ))}
      </ol>
    </aside>
  );
}
