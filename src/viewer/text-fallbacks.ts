import { useMemo } from "react";
import { useExhibition } from "../collab";
import { browserLanguages, contentFallbacks } from "../i18n/strings";

/** The order the show's texts fall back in for this visitor ({@link contentFallbacks}): one rule for every panel, label and page. */
export function useTextFallbacks(): string[] {
  const languages = useExhibition((d) => d.meta.languages);
  return useMemo(() => contentFallbacks(languages, browserLanguages()), [languages]);
}
