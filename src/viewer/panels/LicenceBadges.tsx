import { licenceLabel, type LicenceId } from "../../shared/exhibition";
import { useLocalStore } from "../../state/local-store";
import { useT } from "../../i18n/strings";

/** Licences as badges (a gallery card, a saved artefact): each by its short name. */
export function LicenceBadges({ licences }: { licences: readonly LicenceId[] }) {
  const t = useT();
  const language = useLocalStore((s) => s.language);
  return (
    <p className="licences" aria-label={t("licence")}>
      {licences.map((l) => (
        <span key={l} className="badge licence">
          {licenceLabel(l, language)}
        </span>
      ))}
    </p>
  );
}
