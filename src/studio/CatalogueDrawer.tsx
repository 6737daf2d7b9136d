import { useEffect, useRef, useState } from "react";
import { catalogueResult, LICENCE_LABELS, licenceLabel, pickText, type CatalogueEntry, type CatalogueResult, type LicenceId } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { reportRefusal } from "./studio-hooks";
import { useStudioNotice } from "./studio-store";
import { useStudio } from "./studio-context";
import { useStudioStore } from "./studio-store";
import { studioText, useStudioT, type StudioStringKey } from "./studio-strings";
import { uploadWithProgress } from "./upload-request";
import { LicenceOptions } from "./fields";
import { RecordImportDialog } from "./RecordImportDialog";
import { api } from "../api/client";

/** Entries shown in the drawer, by id: a drop on the canvas looks its entry up here. */
export const shownEntries = new Map<string, CatalogueEntry>();
/** The drag payload type of a catalogue entry. */
export const ENTRY_MIME = "application/x-atrium-catalogue-entry";

const FACET_LABELS: [string, StudioStringKey][] = [
  ["institution", "allInstitutions"],
  ["material", "allMaterials"],
  ["period", "allPeriods"],
  ["licence", "allLicences"],
];

/**
 * The catalogue drawer: search and facets over `/api/catalogue` (museum open data, sample shows,
 * the user's uploads), results to drag into the room or place with a button, and an upload form.
 * Answers are validated before use, like every network boundary.
 */
export function CatalogueDrawer() {
  const t = useStudioT();
  const studio = useStudio();
  const language = useLocalStore((s) => s.language);
  const [q, setQ] = useState("");
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [result, setResult] = useState<CatalogueResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [importing, setImporting] = useState(false);
  const [rightsOf, setRightsOf] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    const params = new URLSearchParams({ q, limit: "40", ...filters });
    const timer = setTimeout(() => {
      api
        .catalogue(params, abort.signal)
        .then((json) => {
          const r = catalogueResult.safeParse(json);
          if (!r.success) throw new Error(`the catalogue answered unexpectedly (${r.error.issues[0]!.path.join(".")}: ${r.error.issues[0]!.message})`);
          for (const e of r.data.entries) shownEntries.set(e.id, e);
          setResult(r.data);
          setError(null);
        })
        .catch((e: Error) => !abort.signal.aborted && setError(e.message));
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [q, filters, reload]);

  const place = (entry: CatalogueEntry) => {
    if (!studio) return;
    const room = useLocalStore.getState().room!;
    const canvas = document.querySelector(".gallery-canvas")?.getBoundingClientRect();
    // In front of the camera: the floor point a little below the middle of the view.
    const at = canvas ? studio.bridge.floorPointAt?.(canvas.left + canvas.width / 2, canvas.top + canvas.height * 0.8) : null;
    try {
      const pid = studio.editor.place(entry, room, at ?? [0, 0], "next");
      useStudioStore.getState().pick(pid);
    } catch (e) {
      reportRefusal(e);
    }
  };

  const canEdit = studio?.editor.canEdit() ?? false;
  return (
    <aside className="studio-drawer catalogue" aria-label={t("catalogue")}>
      <h2>{t("catalogue")}</h2>
      <input type="search" name="catalogue-search" placeholder={t("searchCatalogue")} value={q} onChange={(e) => setQ(e.target.value)} />
      <div className="facets">
        {FACET_LABELS.map(([facet, all]) => (
          <select key={facet} aria-label={t(all)} value={filters[facet] ?? ""} onChange={(e) => setFilters((f) => (e.target.value ? { ...f, [facet]: e.target.value } : Object.fromEntries(Object.entries(f).filter(([k]) => k !== facet))))}>
            <option value="">{t(all)}</option>
            {Object.entries(result?.facets[facet] ?? {})
              .sort((a, b) => b[1] - a[1])
              .map(([v, n]) => (
                <option key={v} value={v}>
                  {facet === "licence" ? (v in LICENCE_LABELS ? licenceLabel(v as LicenceId, language) : v) : result?.labels[facet]?.[v] ? pickText(result.labels[facet][v], language) : v} ({n})
                </option>
              ))}
          </select>
        ))}
      </div>
      {error && <p className="error">{error}</p>}
      {result && (
        <p className="muted">
          {result.total} {t("results")} · {t("dragHint")}
        </p>
      )}
      <ul className="catalogue-results">
        {result?.entries.map((e) => (
          <li
            key={e.id}
            data-entry={e.id}
            draggable={canEdit && e.placeable}
            onDragStart={(ev) => {
              ev.dataTransfer.setData(ENTRY_MIME, e.id);
              ev.dataTransfer.effectAllowed = "copy";
            }}
            className={e.placeable ? "" : "unplaceable"}
          >
            <EntryPicture entry={e} />
            <div className="entry-text">
              <strong>{pickText(e.item.title, language)}</strong>
              <span className="entry-facts">{entryFacts(e, language)}</span>
              <span className="muted">
                {pickText(e.museum.name, language)}
                {e.item.accession ? ` · ${e.item.accession}` : ""} · {licenceLabel(e.item.licences.object, language)}
                {e.uploadedBy ? " · ⬆" : ""}
              </span>
              {!e.placeable && <span className="muted note">{e.note}</span>}
            </div>
            <div className="entry-actions">
              <button name="place" disabled={!canEdit || !e.placeable} title={e.placeable ? "" : e.note} onClick={() => place(e)}>
                {e.placeable ? t("place") : t("notPlaceable")}
              </button>
              {e.editable && (
                <button name="edit-rights" onClick={() => setRightsOf(rightsOf === e.id ? null : e.id)}>
                  {t("editRights")}
                </button>
              )}
            </div>
            {rightsOf === e.id && <EntryRights entry={e} onSaved={() => { setRightsOf(null); setReload((n) => n + 1); }} />}
          </li>
        ))}
      </ul>
      {canEdit && <UploadForm onUploaded={() => setReload((n) => n + 1)} />}
      <button name="import-records" className="link-button" onClick={() => setImporting(true)}>
        {t("importRecords")}…
      </button>
      {importing && <RecordImportDialog onClose={() => setImporting(false)} onImported={() => setReload((n) => n + 1)} />}
    </aside>
  );
}

/** A registrar's change of a catalogue record's three licences (their upload or their museum's import). */
function EntryRights({ entry, onSaved }: { entry: CatalogueEntry; onSaved: () => void }) {
  const t = useStudioT();
  const [licences, setLicences] = useState(entry.item.licences);
  const [error, setError] = useState<string | null>(null);
  const kinds = [
    ["metadata", "licenceRecord"],
    ["thumbnail", "licenceImage"],
    ["object", "licenceModel"],
  ] as const;
  return (
    <form
      className="entry-rights"
      onSubmit={async (ev) => {
        ev.preventDefault();
        const custom = Object.values(licences).includes("custom");
        await api.setEntryRights(entry.id, { licences, ...(custom && !entry.item.rightsNote ? { rightsNote: t("customTermsPlaceholder") } : {}) }).then(onSaved, (e: Error) => setError(e.message));
      }}
    >
      {kinds.map(([kind, label]) => (
        <label key={kind}>
          {t(label)}
          <select name={`entry-licence-${kind}`} value={licences[kind]} onChange={(e) => setLicences({ ...licences, [kind]: e.target.value as LicenceId })}>
            <LicenceOptions />
          </select>
        </label>
      ))}
      {error && <p className="error">{error}</p>}
      <button name="save-rights">{t("saveRights")}</button>
    </form>
  );
}

/** The entry's picture: a model's poster or an image's thumbnail; nothing when there is none. */
/**
 * What tells one entry from its neighbours with the same title (eight "Tea bowl"s): date, maker
 * or culture, material and height, as short as the card allows.
 */
function entryFacts(e: CatalogueEntry, language: string): string {
  const it = e.item;
  const text = (m: Record<string, string> | undefined) => (m ? pickText(m, language) : "");
  const material = text(it.material).split(/[,;(]| with /)[0]!.trim();
  const height = it.dimensions?.height ? `H ${it.dimensions.height} cm` : "";
  return [text(it.date), text(it.maker) || text(it.culture), material, height].filter(Boolean).join(" · ");
}

function EntryPicture({ entry }: { entry: CatalogueEntry }) {
  const a = entry.item.asset;
  const src = a.kind === "model" ? a.poster : a.kind === "image" ? (a.thumb ?? a.src) : undefined;
  if (src) return <img className="entry-picture" src={src} alt="" loading="lazy" width={56} height={56} />;
  // No picture (a performance, a record without an open image): say what kind of thing it is.
  return (
    <span className="entry-picture glyph" aria-hidden="true">
      {a.kind === "motion" ? "mocap" : a.kind === "image" ? "image" : "3D"}
    </span>
  );
}

/** Polls a processing job and reports its progress in words, in the interface language (quality tiers of an uploaded model). */
async function followJob(url: string, name: string, say: (message: string) => void): Promise<void> {
  const kb = (n: number) => `${Math.round(n / 1024)} kB`;
  // The language when each report is written: one changed during a long job is followed.
  const t = (key: StudioStringKey, params?: Record<string, string | number>) => studioText(useLocalStore.getState().language, key, params);
  for (let i = 0; i < 600; i++) {
    const job = await api.job(url);
    if (job.status === "done") {
      const { tiers, ms } = job.result;
      return say(`✓ ${name}\n${t("jobDone", { s: (ms / 1000).toFixed(1), high: kb(tiers.high!.bytes), triangles: tiers.high!.triangles, low: kb(tiers.low!.bytes), thumb: kb(tiers.thumb!.bytes) })}`);
    }
    if (job.status === "failed") return say(`✓ ${name}\n${t("jobFailed", { error: job.error })}`);
    say(`✓ ${name}\n${t(job.status === "queued" ? "jobMaking_queued" : "jobMaking")}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** How many uploads' reports the form keeps in view, newest last. */
const UPLOAD_REPORTS = 3;

/** Upload of a model (GLB, or a zip of glTF + buffers + textures) or an image into the user's own collection, with byte progress. */
function UploadForm({ onUploaded }: { onUploaded: () => void }) {
  const t = useStudioT();
  const [busy, setBusy] = useState(false);
  // One report per upload: a model's quality tiers are still being made when the next file goes
  // up, and its progress must not overwrite what the later upload says (nor the other way round).
  const [reports, setReports] = useState<readonly { key: number; text: string }[]>([]);
  const nextReport = useRef(0);
  const [progress, setProgress] = useState<[number, number] | null>(null);
  const museums = useStudio()?.museums ?? [];
  const language = useLocalStore((s) => s.language);
  const form = useRef<HTMLFormElement>(null);
  return (
    <details className="upload">
      <summary>{t("upload")}</summary>
      <form
        ref={form}
        onSubmit={async (ev) => {
          ev.preventDefault();
          const f = new FormData(ev.currentTarget);
          const file = f.get("file") as File | null;
          if (!file || file.size === 0) return;
          setBusy(true);
          const key = nextReport.current++;
          let shown = false; // once shown, a report only changes in place (it never comes back after scrolling out)
          const setMessage = (text: string) => {
            const first = !shown;
            shown = true;
            setReports((all) => (first ? [...all, { key, text }].slice(-UPLOAD_REPORTS) : all.map((r) => (r.key === key ? { key, text } : r))));
          };
          try {
            const params = new URLSearchParams({ title: String(f.get("title") || file.name), lang: useLocalStore.getState().language || "en", licence: String(f.get("licence")) });
            if (f.get("museum")) params.set("museum", String(f.get("museum")));
            setProgress([0, file.size]);
            const res = await uploadWithProgress(`/api/assets?${params}`, file, (sent, total) => setProgress([sent, total]));
            const body = res.body as { error?: string; findings?: { code: string; message: string }[]; entry?: { item: { title: Record<string, string> } }; job?: string };
            if (res.status >= 300) throw new Error([body.error, ...(body.findings ?? []).slice(0, 3).map((x) => `${x.code}: ${x.message}`)].filter(Boolean).join("\n"));
            const name = body.entry ? Object.values(body.entry.item.title)[0] : file.name;
            setMessage(`✓ ${name}`);
            if (body.job) void followJob(body.job, name ?? file.name, (m) => setMessage(m));
            useStudioNotice.getState().show(`✓ ${file.name}`);
            form.current?.reset();
            onUploaded();
          } catch (e) {
            setMessage((e as Error).message);
          } finally {
            setBusy(false);
            setProgress(null);
          }
        }}
      >
        <input type="file" name="file" accept=".glb,.zip,.bvh,.fbx,model/gltf-binary,application/zip,image/png,image/jpeg,image/webp" required />
        <span className="muted">{t("uploadKinds")}</span>
        <input name="title" placeholder={t("uploadTitle")} />
        {museums.length > 0 && (
          <label>
            {t("importInto")}{" "}
            <select name="museum" defaultValue={museums[0]!.id}>
              {museums.map((m) => (
                <option key={m.id} value={m.id}>
                  {pickText(m.name, language)}
                </option>
              ))}
              <option value="">{t("ownCollection")}</option>
            </select>
          </label>
        )}
        <label>
          {t("licence")}{" "}
          <select name="licence" defaultValue="CC-BY-4.0">
            <LicenceOptions custom={false} />
          </select>
        </label>
        <button disabled={busy}>{busy ? t("uploading") : t("uploadButton")}</button>
        {progress && (
          <label className="upload-progress">
            <progress max={progress[1] || 1} value={progress[0]} />
            <span>
              {Math.round((100 * progress[0]) / (progress[1] || 1))} % · {(progress[0] / 1048576).toFixed(1)} / {(progress[1] / 1048576).toFixed(1)} MB
            </span>
          </label>
        )}
        {reports.map((r) => (
          <pre key={r.key} className="upload-message">
            {r.text}
          </pre>
        ))}
      </form>
    </details>
  );
}
