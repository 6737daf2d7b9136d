import { useMemo } from "react";
import { useExhibition } from "../collab";
import { browserLanguages, contentFallbacks } from "../i18n/strings";
import { pickTextLang, type LangMap } from "../shared/exhibition";
import { useLocalStore } from "../state/local-store";

/** The order the show's texts fall back in for this visitor ({@link contentFallbacks}): one rule for every panel, label and page. */
export function useTextFallbacks(): string[] {
  const languages = useExhibition((d) => d.meta.languages);
  return useMemo(() => contentFallbacks(languages, browserLanguages()), [languages]);
}

/**
 * Props for an element showing a show text in the visitor's language, or the fallback it got:
 * the text and, where it differs from the page's language, its own `lang`.
 */
export function useShowText(): (map: LangMap | undefined) => { children: string; lang: string | undefined } {
  const fallbacks = useTextFallbacks();
  const language = useLocalStore((s) => s.language);
  return (map) => {
    const picked = pickTextLang(map, language, fallbacks);
    return { children: picked.text, lang: picked.lang && picked.lang !== language ? picked.lang : undefined };
  };
}
