import { useRef } from "react";
import { useT } from "../../i18n/strings";
import { useClosesOnEscape } from "./focus";
import { TEXT_SIZES, browserSavesData, chooseView, hasWebGL, isWeakDevice, useReducedMotion, usePreferences, type TextSize } from "../../state/preferences";

/**
 * The visitor's access and display settings, remembered on this device: reduced motion, text size,
 * high contrast, captions, mono audio, saving data (light models), and the 3D or 2D view. A non-modal panel: focus moves into it when it
 * opens and back to its button when it closes (Esc or the close button).
 */
export function PreferencesPanel({ onClose }: { onClose: () => void }) {
  const t = useT();
  const prefs = usePreferences();
  const reduced = useReducedMotion();
  const heading = useRef<HTMLHeadingElement>(null);
  useClosesOnEscape(heading, onClose);
  const sizeNames: Record<TextSize, string> = { 1: t("textSizeNormal"), 1.25: t("textSizeLarge"), 1.5: t("textSizeLarger") };
  const can3d = hasWebGL();
  return (
    <section className="panel preferences-panel" aria-labelledby="preferences-title">
      <header>
        <h2 id="preferences-title" tabIndex={-1} ref={heading}>
          {t("preferences")}
        </h2>
        <button className="close" onClick={onClose} aria-label={t("close")}>
          ×
        </button>
      </header>
      <label className="check">
        <input type="checkbox" name="reduced-motion" checked={reduced} onChange={(e) => prefs.set({ reducedMotion: e.currentTarget.checked })} />
        {t("reduceMotion")}
      </label>
      <label className="check">
        <input type="checkbox" name="high-contrast" checked={prefs.highContrast} onChange={(e) => prefs.set({ highContrast: e.currentTarget.checked })} />
        {t("highContrast")}
      </label>
      <label className="check">
        <input type="checkbox" name="captions" checked={prefs.captions} onChange={(e) => prefs.set({ captions: e.currentTarget.checked })} />
        {t("captionsPref")}
      </label>
      <label className="check">
        <input type="checkbox" name="mono-audio" checked={prefs.monoAudio} onChange={(e) => prefs.set({ monoAudio: e.currentTarget.checked })} />
        {t("monoAudio")}
      </label>
      <label className="check">
        <input type="checkbox" name="data-saver" checked={prefs.dataSaver ?? browserSavesData()} onChange={(e) => prefs.set({ dataSaver: e.currentTarget.checked })} />
        {t("dataSaver")}
      </label>
      <fieldset>
        <legend>{t("textSize")}</legend>
        {TEXT_SIZES.map((size) => (
          <label key={size} className="radio">
            <input type="radio" name="text-size" value={size} checked={prefs.textSize === size} onChange={() => prefs.set({ textSize: size })} />
            {sizeNames[size]}
          </label>
        ))}
      </fieldset>
      {can3d && (
        <fieldset>
          <legend>{t("viewMode")}</legend>
          {(["3d", "2d"] as const).map((v) => (
            <label key={v} className="radio">
              <input type="radio" name="view" value={v} checked={chooseView(window.location.search, prefs.view, can3d, isWeakDevice()) === v} onChange={() => prefs.set({ view: v })} />
              {v === "3d" ? t("view3d") : t("view2d")}
            </label>
          ))}
        </fieldset>
      )}
    </section>
  );
}
