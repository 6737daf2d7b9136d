import { LICENCE_LABELS, type LicenceId } from "../../shared/exhibition";
import { useT } from "../../i18n/strings";

/** Licences as badges (a gallery card, a saved artefact): each by its short name. */
export function LicenceBadges({ licences }: { licences: readonly LicenceId[] }) {
  const t = useT();
  return (
    <p className="licences" aria-label={t("licence")}>
      {licences.map((l) => (
        <span key={l} className="badge licence">
          {LICENCE_LABELS[l]}
        </span>
      ))}
    </p>
  );
}
