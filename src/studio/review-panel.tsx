import { useEffect, useMemo, useRef, useState } from "react";
import { Attribution, useExhibition, type Author } from "../collab";
import { textSplice } from "../shared/collab/co-texts";
import { changesSince, parseExhibition, pickText, type Exhibition, type ReviewChange } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { api, type VersionInfo } from "../api/client";
import { reportRefusal } from "./studio-hooks";
import type { Studio } from "./studio-context";
import { useStudioStore } from "./studio-store";
import { useStudioT, type StudioStringKey } from "./studio-strings";

/** How long the review waits after a change before asking the server again who made it. */
const REFRESH_MS = 600;

/**
 * Who wrote what, as the server noted it, read again a moment after the show changes (so that a
 * change made while reviewing gets its name too). Null until the first answer.
 */
function useAttribution(studio: Studio, current: Exhibition): Attribution | null {
  const [attribution, setAttribution] = useState<Attribution | null>(null);
  const asked = useRef(false);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api
        .attribution(studio.id)
        .then((answer) => {
          const bytes = Uint8Array.from(atob(answer.update), (c) => c.charCodeAt(0));
          if (live) setAttribution(Attribution.fromUpdate(studio.editor.store.ydoc, bytes));
        })
        .catch(reportRefusal);
    }, asked.current ? REFRESH_MS : 0);
    asked.current = true;
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [studio, current]);
  return attribution;
}

/** Who made a change, as the server recorded it (see `src/shared/collab/attribution.ts`). */
function authorsOf(attribution: Attribution | null, change: ReviewChange): Author[] {
  if (!attribution) return [];
  switch (change.kind) {
    case "added":
    case "removed":
    case "moved": {
      const a = attribution.ofRecord("placements", change.placement);
      return a ? [a] : [];
    }
    case "record": {
      const a = attribution.ofRecord(change.map, change.id);
      return a ? [a] : [];
    }
    case "text": {
      const splice = textSplice(change.before, change.after);
      if (!splice) return [];
      return attribution.ofText(change.map, change.id, change.field, change.lang, splice.index, splice.index + splice.insert.length, splice.remove > 0);
    }
  }
}

/**
 * Review mode: the show now against a named version, so a museum can approve a co-curator's work
 * before publishing. Objects added, removed and moved (with what moved), every text that reads
 * differently (per language, the changed words marked), other records added, removed or changed;
 * each with who made it. Follows the live document: a change made while reviewing shows at once.
 */
export function ReviewPanel({ studio, version, onBack }: { studio: Studio; version: VersionInfo; onBack: () => void }) {
  const t = useStudioT();
  const language = useLocalStore((s) => s.language);
  const [base, setBase] = useState<Exhibition | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api
      .versionDocument(studio.id, version.id)
      .then((answer) => {
        // Checked at the boundary like any document from the network.
        const parsed = parseExhibition(answer.document, `version "${version.name}"`);
        if (!live) return;
        if (parsed.ok) setBase(parsed.doc);
        else setProblem(parsed.error.message);
      })
      .catch(reportRefusal);
    return () => {
      live = false;
    };
  }, [studio, version]);
  const current = useExhibition((d) => d);
  const changes = useMemo(() => (base ? changesSince(base, current) : []), [base, current]);
  const attribution = useAttribution(studio, current);
  const title = (map: string, id: string, doc: Exhibition): string => {
    if (map === "items") return pickText(doc.items[id]?.title ?? base?.items[id]?.title, language) || id;
    if (map === "rooms") return pickText(doc.rooms[id]?.name ?? base?.rooms[id]?.name, language) || id;
    if (map === "meta") return pickText(doc.meta.title, language);
    if (map === "lessonPlans") return pickText(doc.lessonPlans[id]?.title ?? base?.lessonPlans[id]?.title, language) || id;
    return id;
  };
  const by = (change: ReviewChange) => {
    const names = authorsOf(attribution, change).map((a) => a.name);
    return names.length ? <span className="review-by">{t("reviewBy").replace("{names}", names.join(", "))}</span> : null;
  };
  const show = (placement: string) => useStudioStore.setState({ panel: null, picked: placement, selected: [placement] });
  const groups: [StudioStringKey, ReviewChange[]][] = [
    ["reviewAdded", changes.filter((c) => c.kind === "added")],
    ["reviewMoved", changes.filter((c) => c.kind === "moved")],
    ["reviewRemoved", changes.filter((c) => c.kind === "removed")],
    ["reviewTexts", changes.filter((c) => c.kind === "text")],
    // An item record comes and goes with its first placement (listed above): its rights or lock changing is news.
    ["reviewOther", changes.filter((c) => c.kind === "record" && !(c.map === "items" && c.change !== "changed"))],
  ];
  return (
    <section className="review" aria-label={t("reviewTitle").replace("{name}", version.name)} data-review={version.name}>
      <button name="review-back" onClick={onBack}>
        ← {t("reviewBack")}
      </button>
      <h3>{t("reviewTitle").replace("{name}", version.name)}</h3>
      <p className="muted">
        {version.author} · {new Date(version.at).toLocaleString(language)}
      </p>
      {problem && <p className="lock-note">{problem}</p>}
      {base && changes.length === 0 && <p>{t("reviewNone")}</p>}
      {groups.map(([label, list]) =>
        list.length === 0 ? null : (
          <div key={label} className="review-group" data-group={label}>
            <h4>
              {t(label)} ({list.length})
            </h4>
            <ul>
              {list.map((c) => (
                <li key={changeKey(c)} data-change={changeKey(c)}>
                  {c.kind === "text" ? (
                    <>
                      <strong>
                        {t(`reviewMap_${c.map}`)} · {title(c.map, c.id, current)}
                      </strong>{" "}
                      <span className="muted">
                        {c.field} ({c.lang})
                      </span>{" "}
                      {by(c)}
                      <TextDiff before={c.before} after={c.after} />
                    </>
                  ) : c.kind === "record" ? (
                    <>
                      <strong>
                        {t(`reviewMap_${c.map}`)} · {title(c.map, c.id, current)}
                      </strong>{" "}
                      {t(c.change === "added" ? "reviewNewRecord" : c.change === "removed" ? "reviewGone" : "reviewChanged")} {by(c)}
                    </>
                  ) : (
                    <>
                      <strong>{title("items", c.item, current)}</strong> <span className="muted">{title("rooms", c.room, current)}</span>
                      {c.fields && <span className="muted"> · {c.fields.map((f) => t(`reviewField_${f}`)).join(", ")}</span>} {by(c)}
                      {c.kind !== "removed" && current.placements[c.placement] && (
                        <button name="review-show" onClick={() => show(c.placement)}>
                          {t("reviewShow")}
                        </button>
                      )}
                    </>
                  )}
                </li>
              ))}
            </ul>
          </div>
        ),
      )}
    </section>
  );
}

function changeKey(c: ReviewChange): string {
  if (c.kind === "text") return `text:${c.map}:${c.id}:${c.field}:${c.lang}`;
  if (c.kind === "record") return `${c.map}:${c.id}`;
  return `${c.kind}:${c.placement}`;
}

/** A text before and after, with the words that changed marked (removed struck through, added underlined). */
function TextDiff({ before, after }: { before: string; after: string }) {
  const s = textSplice(before, after);
  if (!s) return null;
  const removed = before.slice(s.index, s.index + s.remove);
  const clip = (text: string, from: "start" | "end") => (text.length <= 60 ? text : from === "end" ? `…${text.slice(-60)}` : `${text.slice(0, 60)}…`);
  return (
    <p className="text-diff">
      {clip(before.slice(0, s.index), "end")}
      {removed && <del>{removed}</del>}
      {s.insert && <ins>{s.insert}</ins>}
      {clip(before.slice(s.index + s.remove), "start")}
    </p>
  );
}
