import { useState } from "react";
import { useT } from "../../i18n/strings";
import { usePreferences } from "../../state/preferences";
import { PreferencesPanel } from "./PreferencesPanel";
import { TEXT_VERSION_ID } from "./TextVersion";

/** The HUD's two access buttons: the text version of the rooms, and the access and display settings. */
export function AccessButtons({ textAlwaysOpen }: { textAlwaysOpen: boolean }) {
  const t = useT();
  const textVersion = usePreferences((s) => s.textVersion);
  const [settings, setSettings] = useState(false);
  return (
    <>
      {!textAlwaysOpen && (
        <button className="text-version-toggle" aria-expanded={textVersion} aria-controls={TEXT_VERSION_ID} onClick={() => usePreferences.getState().set({ textVersion: !textVersion })}>
          {t("textVersion")}
        </button>
      )}
      <button className="preferences-toggle" aria-expanded={settings} aria-label={t("preferences")} title={t("preferences")} onClick={() => setSettings(!settings)}>
        <span aria-hidden="true">Aa</span>
      </button>
      {settings && <PreferencesPanel onClose={() => setSettings(false)} />}
    </>
  );
}
