import { useExhibition, useExhibitionStore } from "../../collab";
import { ShareButton } from "./SharePanel";
import { allowsTactileCopy, licenceLabel, LICENCE_URLS, OperationError, pickText, pickTextLang, setText, type Dimensions, type Item, type LicenceId } from "../../shared/exhibition";
import { useT } from "../../i18n/strings";
import { useLocalStore } from "../../state/local-store";
import { CreditLine } from "./CreditLine";
import { CaptionedAudio } from "./CaptionedAudio";
import { posterOf } from "./PlanView";
import { useExtensions } from "../extension";
import { PerformanceTimeline } from "./PerformanceTimeline";
import { useShowText, useTextFallbacks } from "../text-fallbacks";
import { useRef, useState } from "react";
import { useFocusOnOpen } from "./focus";

/** An item's dimensions as a museum label writes them ("H 9 cm × W 14 cm"). */
export function formatDimensions(d: Dimensions | undefined): string {
  if (!d) return "";
  const parts: string[] = [];
  if (d.height) parts.push(`H ${d.height} cm`);
  if (d.width) parts.push(`W ${d.width} cm`);
  if (d.depth) parts.push(`D ${d.depth} cm`);
  if (d.diameter) parts.push(`Ø ${d.diameter} cm`);
  return parts.join(" × ");
}

function Licence({ id }: { id: LicenceId }) {
  const url = LICENCE_URLS[id];
  const label = licenceLabel(id, useLocalStore((s) => s.language));
  return url ? (
    <a href={url} target="_blank" rel="noreferrer license">
      {label}
    </a>
  ) : (
    <span>{label}</span>
  );
}

/** The item's recorded audio guide in the visitor's language (or the nearest one), with its captions, if it has one. */
function AudioGuide({ item, language, fallbacks, placement }: { item: Item; language: string; fallbacks: string[]; placement: string }) {
  const t = useT();
  if (!item.audioGuide) return null;
  const picked = item.audioGuide[language] ? { text: item.audioGuide[language], lang: language } : pickTextLang(item.audioGuide, language, fallbacks);
  if (!picked.text) return null;
  return (
    <section className="audio-guide">
      <h3>{t("audioGuide")}</h3>
      <CaptionedAudio src={picked.text} captions={picked.lang ? item.audioCaptions?.[picked.lang] : undefined} lang={picked.lang} placement={placement} />
    </section>
  );
}

/** Sizes offered for a tactile copy (mm, the longest side): in the hand, on a table, life-size for most vessels. */
const PRINT_SIZES = [60, 120, 200] as const;

/** "Download for 3D printing": a watertight STL or 3MF at a chosen size and the label as text (server/api/plugins/tactile.ts). */
function TactileCopy({ exhibition, placementId, language }: { exhibition: string; placementId: string; language: string }) {
  const t = useT();
  const [size, setSize] = useState<number>(120);
  const base = `/api/exhibitions/${encodeURIComponent(exhibition)}/placements/${encodeURIComponent(placementId)}`;
  return (
    <section className="tactile-copy">
      <h3>{t("tactileCopy")}</h3>
      <p className="hint">{t("tactileHint")}</p>
      <label>
        {t("printSize")}{" "}
        <select name="print-size" value={size} onChange={(e) => setSize(Number(e.currentTarget.value))}>
          {PRINT_SIZES.map((s) => (
            <option key={s} value={s}>
              {s} mm
            </option>
          ))}
        </select>
      </label>
      <p className="downloads">
        <a href={`${base}/tactile.stl?size=${size}`} download>
          {t("stlFile")}
        </a>
        {" · "}
        <a href={`${base}/tactile.3mf?size=${size}`} download>
          {t("threeMfFile")}
        </a>
        {" · "}
        <a href={`${base}/tactile.txt?lang=${encodeURIComponent(language)}`} download>
          {t("labelFile")}
        </a>
      </p>
    </section>
  );
}

/**
 * Everything a museum says about the artefact being inspected: label data, description, the
 * notes pinned to the model, and its credit line and licences (always shown, never optional).
 */
export function InspectPanel({ placementId, canEdit = false }: { placementId: string; canEdit?: boolean }) {
  const t = useT();
  const store = useExhibitionStore();
  const language = useLocalStore((s) => s.language);
  const placement = useExhibition((d) => d.placements[placementId]);
  const item = useExhibition((d) => (placement ? d.items[placement.item] : undefined));
  const museums = useExhibition((d) => d.meta.museums);
  const fallbacks = useTextFallbacks();
  const annotations = useExhibition((d) => d.annotations);
  const exhibitionId = useExhibition((d) => d.id);
  const extensions = useExtensions();
  const panel = useRef<HTMLElement>(null);
  const show = useShowText();
  useFocusOnOpen(panel, [`#text-version [data-placement="${placementId}"] .look-closer`, `.hotspot[data-hotspot="${placementId}"]`, `.plan-artefact[data-placement="${placementId}"]`, ".gallery-view"], placementId);
  if (!placement || !item) return null;
  const text = (m: Parameters<typeof pickText>[0]) => pickText(m, language, fallbacks);
  const museum = museums.find((m) => m.id === item.institution);
  const poster = posterOf(item);
  const notes = Object.entries(annotations).filter(([, a]) => a.item === placement.item);
  const rows: [string, string][] = [
    [t("maker"), text(item.maker)],
    [t("date"), text(item.date)],
    [t("culture"), text(item.culture)],
    [t("material"), text(item.material)],
    [t("dimensions"), formatDimensions(item.dimensions)],
    [t("capturePlace"), [text(item.capture?.place), item.capture?.date].filter(Boolean).join(", ")],
    [t("captureSystem"), item.capture?.system ?? ""],
    [t("captureRate"), item.capture?.fps ? `${item.capture.fps} fps` : ""],
    [t("captureHands"), item.capture?.hands ? t("yes") : ""],
  ];
  return (
    <aside className="panel inspect-panel" aria-label={text(item.title)} data-placement={placementId} ref={panel} tabIndex={-1}>
      <header>
        {canEdit ? (
          // Curators edit the label in the language shown; other languages keep theirs.
          <h2 className="inspect-title editing">
            <input
              className="inspect-title-input"
              lang={language}
              value={item.title[language] ?? ""}
              placeholder={text(item.title)}
              aria-label={t("titleIn")}
              onChange={(e) => {
                const value = e.currentTarget.value;
                try {
                  store.apply((d) => setText(d, { kind: "item", id: placement.item, field: "title" }, language, value));
                } catch (err) {
                  if (!(err instanceof OperationError)) throw err; // e.g. clearing the only title
                }
              }}
            />
          </h2>
        ) : (
          <h2 className="inspect-title" {...show(item.title)} />
        )}
        <button className="close" onClick={() => useLocalStore.getState().walk()} aria-label={t("close")}>
          ×
        </button>
      </header>
      <p className="hint">{t("inspectHint")}</p>
      {/* The picture, for the 2D view (hidden, so never loaded, beside the 3D model). */}
      {poster && <img className="inspect-poster" src={poster} alt={text(item.title)} loading="lazy" />}
      <dl className="facts">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
      {text(item.description) && <p className="description" {...show(item.description)} />}
      {extensions.some((e) => e.InspectActions) && <div className="inspect-actions">{extensions.map((e) => e.InspectActions && <e.InspectActions key={e.name} placementId={placementId} />)}</div>}
      <AudioGuide item={item} language={language} fallbacks={fallbacks} placement={placementId} />
      {item.asset.kind === "motion" && <PerformanceTimeline placementId={placementId} asset={item.asset} language={language} />}
      {notes.length > 0 && (
        <section className="annotations">
          <h3>{t("annotations")}</h3>
          <ol>
            {notes.map(([id, a]) => (
              <li key={id} data-annotation={id} tabIndex={-1} {...show(a.text)} />
            ))}
          </ol>
        </section>
      )}
      {item.asset.kind === "model" && allowsTactileCopy(item.licences.object) && <TactileCopy exhibition={exhibitionId} placementId={placementId} language={language} />}
      <section className="rights">
        <h3>{t("credit")}</h3>
        <CreditLine item={item} museum={museum} lang={language} />
        <p className="licences">
          {t("licenceMetadata")}: <Licence id={item.licences.metadata} /> · {t("licenceThumbnail")}: <Licence id={item.licences.thumbnail} /> · {t("licenceObject")}: <Licence id={item.licences.object} />
        </p>
        {item.modelNote && <p className="model-note">{text(item.modelNote)}</p>}
        {item.sourceUrl && (
          <p>
            <a href={item.sourceUrl} target="_blank" rel="noreferrer">
              {t("source")} ↗
            </a>
          </p>
        )}
        <ShareButton exhibition={exhibitionId} placement={placementId} />
      </section>
    </aside>
  );
}
