import { useState, type FormEvent } from "react";
import { useExhibition } from "../collab";
import { THEME_SUGGESTIONS, themeLabel } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { attempt } from "./studio-hooks";
import { useStudio } from "./studio-context";
import { useStudioT } from "./studio-strings";

const NO_THEMES: readonly string[] = [];

/**
 * The show as a whole: its theme tags (the suggested ones, ticked on and off, and the curator's
 * own words) and whether it was made for teaching a class, both of which the public gallery
 * filters by. Changes are document operations, synced and undoable like any other.
 */
export function ShowPanel() {
  const t = useStudioT();
  const studio = useStudio();
  const language = useLocalStore((s) => s.language);
  const themes = useExhibition((d) => d.meta.themes ?? NO_THEMES);
  const lesson = useExhibition((d) => d.meta.lesson ?? false);
  const [own, setOwn] = useState("");
  if (!studio) return null;
  const { editor } = studio;
  const disabled = !editor.canEdit();
  const toggle = (theme: string) => attempt(() => editor.setThemes(themes.includes(theme) ? themes.filter((x) => x !== theme) : [...themes, theme]));
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!own.trim()) return;
    attempt(() => {
      editor.setThemes([...themes, own]);
      setOwn("");
    });
  };
  const custom = themes.filter((x) => !(x in THEME_SUGGESTIONS));
  return (
    <aside className="studio-drawer panel show-panel" aria-label={t("showPanel")}>
      <h2>{t("showPanel")}</h2>
      <fieldset className="themes" disabled={disabled}>
        <legend>{t("themes")}</legend>
        <p className="hint">{t("themesHint")}</p>
        <ul className="theme-choices">
          {Object.keys(THEME_SUGGESTIONS).map((theme) => (
            <li key={theme}>
              <label>
                <input type="checkbox" name={`theme-${theme}`} checked={themes.includes(theme)} onChange={() => toggle(theme)} /> {themeLabel(theme, language)}
              </label>
            </li>
          ))}
        </ul>
        {custom.length > 0 && (
          <ul className="own-themes">
            {custom.map((theme) => (
              <li key={theme}>
                <span className="badge theme">{theme}</span>
                <button type="button" className="link" aria-label={`${t("removeTheme")}: ${theme}`} onClick={() => toggle(theme)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <form className="own-theme" onSubmit={add}>
          <input name="own-theme" aria-label={t("ownTheme")} placeholder={t("ownTheme")} maxLength={40} value={own} onChange={(e) => setOwn(e.target.value)} />
          <button disabled={disabled || !own.trim()}>{t("addTheme")}</button>
        </form>
      </fieldset>
      <label className="lesson">
        <input type="checkbox" name="lesson" checked={lesson} disabled={disabled} onChange={(e) => attempt(() => editor.setLesson(e.target.checked))} /> {t("lessonForClass")}
      </label>
      <p className="hint">{t("lessonHint")}</p>
    </aside>
  );
}
