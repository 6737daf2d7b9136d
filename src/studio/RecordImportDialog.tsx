import { useEffect, useState } from "react";
import { licenceLabel, pickText, type LicenceId } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { LicenceOptions } from "./fields";
import { useStudio } from "./studio-context";
import { useStudioT, type StudioStringKey } from "./studio-strings";
import { api, type ImportPreview } from "../api/client";

/** What the server makes of the records before importing them. */
type Preview = ImportPreview;
type Source = { kind: "records"; format: "json" | "csv"; text: string; name: string } | { kind: "iiif"; manifest: unknown; name: string; canvases: number };


/** Reads a chosen file: a IIIF manifest, a JSON list of records, or a CSV. */
async function readSource(file: File): Promise<Source> {
  const text = await file.text();
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let data: unknown = null;
    try {
      data = JSON.parse(text);
    } catch {
      /* sent as is: the server names the JSON error */
    }
    const d = data as { type?: string; items?: unknown[] } | null;
    if (d && !Array.isArray(d) && d.type === "Manifest") return { kind: "iiif", manifest: d, name: file.name, canvases: d.items?.length ?? 0 };
    return { kind: "records", format: "json", text, name: file.name };
  }
  return { kind: "records", format: "csv", text, name: file.name };
}

/**
 * A registrar's import of open-data records: choose a JSON or CSV file, check the column each
 * field comes from (guessed by the server from the column names), see what every record will look
 * like and what is missing, then import. A IIIF image manifest is recognised and imported as
 * wall-hung images. Nothing is changed until "Import" is pressed.
 */
export function RecordImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const t = useStudioT();
  const studio = useStudio();
  const language = useLocalStore((s) => s.language);
  const museums = studio?.museums ?? [];
  const [source, setSource] = useState<Source | null>(null);
  const [museum, setMuseum] = useState(museums[0]?.id ?? "");
  const [units, setUnits] = useState<"cm" | "mm" | "in" | "m">("cm");
  const [licence, setLicence] = useState<LicenceId>("CC0-1.0");
  const [mapping, setMapping] = useState<Record<string, string> | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const body = () => (source?.kind === "records" ? { format: source.format, text: source.text, museum, units, lang: language.startsWith("zh") ? "zh-Hant" : "en", defaults: { metadata: "CC0-1.0", thumbnail: licence, object: licence }, ...(mapping ? { mapping } : {}) } : null);

  useEffect(() => {
    const b = body();
    if (!b || !museum) return;
    const timer = setTimeout(() => {
      api.previewRecords(b)
        .then((p) => {
          setPreview(p);
          setError(null);
          if (!mapping) setMapping(p.mapping);
        })
        .catch((e: Error) => setError(e.message));
    }, 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- body() reads exactly these
  }, [source, museum, units, licence, mapping]);

  const runImport = async () => {
    setBusy(true);
    setError(null);
    try {
      if (source?.kind === "iiif") {
        const r = await api.importIiif({ manifest: source.manifest, licence, ...(museum ? { museum } : {}) });
        setDone(`${t("importedImages").replace("{n}", String(r.imported))}${r.warnings.length ? `\n${r.warnings.join("\n")}` : ""}`);
      } else {
        const r = await api.importRecords(body());
        setDone(t("importedRecords").replace("{n}", String(r.imported)).replace("{p}", String(r.placeable)).replace("{w}", String(r.warningCount)));
      }
      onImported();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-label={t("importRecords")}>
      <div className="dialog import-dialog">
        <h2>{t("importRecords")}</h2>
        <p className="muted">{t("importExplain")}</p>
        <div className="row wrap">
          <input
            type="file"
            name="records-file"
            accept=".json,.csv,application/json,text/csv"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              setMapping(null);
              setPreview(null);
              setDone(null);
              setSource(await readSource(f));
            }}
          />
          <label>
            {t("importInto")}{" "}
            <select name="import-museum" value={museum} onChange={(e) => setMuseum(e.target.value)}>
              {museums.map((m) => (
                <option key={m.id} value={m.id}>
                  {pickText(m.name, language)}
                </option>
              ))}
              {source?.kind === "iiif" && <option value="">{t("ownCollection")}</option>}
            </select>
          </label>
          {source?.kind === "records" && (
            <label>
              {t("sizeUnits")}{" "}
              <select name="import-units" value={units} onChange={(e) => setUnits(e.target.value as typeof units)}>
                {(["cm", "mm", "in", "m"] as const).map((u) => (
                  <option key={u}>{u}</option>
                ))}
              </select>
            </label>
          )}
          <label>
            {t("defaultLicence")}{" "}
            <select name="import-licence" value={licence} onChange={(e) => setLicence(e.target.value as LicenceId)}>
              <LicenceOptions custom={false} />
            </select>
          </label>
        </div>
        {source?.kind === "records" && !museum && <p className="lock-note">{t("importNeedsMuseum")}</p>}
        {source?.kind === "iiif" && (
          <p>
            {t("iiifManifestFound").replace("{n}", String(source.canvases))} <span className="muted">({source.name})</span>
          </p>
        )}
        {source?.kind === "records" && preview && mapping && (
          <>
            <p>
              <strong>{preview.records}</strong> {t("recordsIn")} {source.name} · {preview.warningCount} {t("warnings")}
            </p>
            <table className="mapping">
              <thead>
                <tr>
                  <th>{t("field")}</th>
                  <th>{t("column")}</th>
                  <th>{t("warnings")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.fields.map((f) => (
                  <tr key={f} data-field={f}>
                    <td>{t(`field_${f}` as StudioStringKey)}</td>
                    <td>
                      <select
                        name={`map-${f}`}
                        value={mapping[f] ?? ""}
                        onChange={(e) => setMapping((m) => {
                          const next = { ...m };
                          if (e.target.value) next[f] = e.target.value;
                          else delete next[f];
                          return next;
                        })}
                      >
                        <option value="">—</option>
                        {preview.columns.map((c) => (
                          <option key={c} value={c}>
                            {c}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="muted">{preview.warningsByField[f] ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>{t("importSample")}</h3>
            <ul className="import-sample">
              {preview.sample.map((e) => (
                <li key={e.id}>
                  <strong>{pickText(e.item.title, language)}</strong> · {pickText(e.item.material, language)} · {e.item.dimensions?.height ? `H ${e.item.dimensions.height} cm` : "—"} · {licenceLabel(e.item.licences.object, language)}
                  {!e.placeable && <span className="muted"> · {e.note}</span>}
                </li>
              ))}
            </ul>
            {preview.warnings.length > 0 && (
              <details>
                <summary>
                  {t("warnings")} ({preview.warningCount})
                </summary>
                <ol className="import-warnings">
                  {preview.warnings.slice(0, 100).map((w, i) => (
                    <li key={i}>
                      {t("row")} {w.row} ({w.id}) · {w.field}: {w.message}
                    </li>
                  ))}
                </ol>
              </details>
            )}
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {done && <pre className="upload-message import-done">{done}</pre>}
        <div className="buttons">
          <button onClick={onClose}>{done ? t("close") : t("cancel")}</button>
          <button name="run-import" className="primary" disabled={busy || !source || !!done || (source.kind === "records" && (!preview || !museum))} onClick={runImport}>
            {busy ? t("importing") : t("import")}
          </button>
        </div>
      </div>
    </div>
  );
}
