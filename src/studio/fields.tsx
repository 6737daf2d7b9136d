import { useState } from "react";
import { LANGUAGE_NAMES } from "../i18n/strings";
import { useExhibition } from "../collab";
import { LICENCE_IDS, licenceLabel } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";
import { useStudioStore } from "./studio-store";
import { useStudioT } from "./studio-strings";

/**
 * A number input that commits on Enter or blur (not on every keystroke, so "-" or "1." while
 * typing never reach the document). Outside typing it shows the document's value: after a commit
 * the new one when it was taken, the old one when it was refused (the notice line says why),
 * never a number the document does not hold.
 */
export function NumberField({ value, onCommit, step = 0.05, label, disabled, name }: { value: number; onCommit: (v: number) => void; step?: number; label: string; disabled?: boolean; name?: string }) {
  // The text being typed, or null when the field shows the document's value.
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const v = Number(draft);
    setDraft(null);
    if (draft.trim() !== "" && Number.isFinite(v) && v !== value) onCommit(v);
  };
  return (
    <input
      type="number"
      aria-label={label}
      name={name}
      step={step}
      value={draft ?? String(value)}
      disabled={disabled}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === "Enter" && commit()}
    />
  );
}

/**
 * The language the text editors write: the tab chosen, else the interface's language when the show
 * has it (someone using Atrium in English types English), else the show's first language.
 */
export function editLanguageOf(chosen: string | null, ui: string, languages: string[]): string {
  if (chosen && languages.includes(chosen)) return chosen;
  return languages.includes(ui) ? ui : languages[0]!;
}

/** {@link editLanguageOf} for the current show, tab and interface language. */
export function useEditLanguage(): string {
  const languages = useExhibition((d) => d.meta.languages);
  const chosen = useStudioStore((s) => s.editLanguage);
  const ui = useLocalStore((s) => s.language);
  return editLanguageOf(chosen, ui, languages);
}

/** A text field's label that says which language the field holds: "Title · English". */
export function LangLabel({ text, lang }: { text: string; lang: string }) {
  return (
    <span className="field-label">
      {text} <span className="lang-tag">{LANGUAGE_NAMES[lang] ?? lang}</span>
    </span>
  );
}

/** Tabs for the show's languages, plus "add language" for those who may edit. */
export function LanguageTabs({ onAdd }: { onAdd?: (lang: string) => void }) {
  const t = useStudioT();
  const languages = useExhibition((d) => d.meta.languages);
  const current = useEditLanguage();
  const setLang = useStudioStore((s) => s.setEditLanguage);
  const candidates = Object.keys(LANGUAGE_NAMES).filter((l) => !languages.includes(l));
  return (
    <div className="lang-tabs" role="tablist">
      {languages.map((l) => (
        <button key={l} role="tab" aria-selected={l === current} className={l === current ? "active" : ""} onClick={() => setLang(l)} data-lang={l}>
          {LANGUAGE_NAMES[l] ?? l}
        </button>
      ))}
      {onAdd && candidates.length > 0 && (
        <select aria-label={t("addLanguage")} value="" onChange={(e) => e.target.value && onAdd(e.target.value)}>
          <option value="">+ {t("addLanguage")}</option>
          {candidates.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

/** The `<option>`s of every licence Atrium knows (custom terms only where terms can be written). */
export function LicenceOptions({ custom = true }: { custom?: boolean }) {
  const language = useLocalStore((s) => s.language);
  return (
    <>
      {LICENCE_IDS.filter((l) => custom || l !== "custom").map((l) => (
        <option key={l} value={l}>
          {licenceLabel(l, language)}
        </option>
      ))}
    </>
  );
}
