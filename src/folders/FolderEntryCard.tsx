import type { ReactNode } from "react";
import { pickTextLang, type LangMap } from "../shared/exhibition";
import { browserLanguages, contentFallbacks, useT } from "../i18n/strings";
import { useLocalStore } from "../state/local-store";
import { navigate } from "../state/router";
import { downloadUrl } from "../viewer/model-url";
import { LicenceBadges } from "../viewer/panels/LicenceBadges";
import type { FolderEntry } from "../shared/api/folders";

const text = (map: LangMap, language: string, shows: readonly string[]) => pickTextLang(map, language, contentFallbacks(shows, browserLanguages()));

/**
 * One saved show or artefact: its picture, title, maker, museums and licences, leading to the
 * show or the artefact's close-up; "no longer available" with the title it had when it was not.
 * `children`: the owner's tools (order, remove).
 */
export function FolderEntryCard({ entry, children }: { entry: FolderEntry; children?: ReactNode }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  const title = text(entry.title, language, entry.languages);
  const maker = entry.maker ? text(entry.maker, language, entry.languages) : null;
  const body = (
    <>
      {entry.picture ? <img className="folder-picture" src={downloadUrl(entry.picture)} alt="" loading="lazy" /> : <div className="folder-picture none" role="presentation" />}
      <div className="folder-text">
        <p className="badges">
          <span className="badge kind">{entry.placement ? t("artefactKind") : t("showKind")}</span>
          {!entry.available && <span className="badge gone">{t("noLongerAvailable")}</span>}
        </p>
        <h2 lang={title.lang}>{title.text}</h2>
        {maker?.text && (
          <p className="maker" lang={maker.lang}>
            {maker.text}
          </p>
        )}
        {entry.museums.length > 0 && <p className="museums">{entry.museums.map((m) => text(m, language, entry.languages).text).join(" · ")}</p>}
        {entry.licences.length > 0 && (
          <LicenceBadges licences={entry.licences} />
        )}
      </div>
    </>
  );
  return (
    <li className={`folder-entry${entry.available ? "" : " unavailable"}`} data-entry={entry.id} data-placement={entry.placement ?? ""}>
      {entry.available ? (
        <a href={entry.href} onClick={(e) => (e.preventDefault(), navigate(entry.href))}>
          {body}
        </a>
      ) : (
        <div>{body}</div>
      )}
      {children}
    </li>
  );
}
