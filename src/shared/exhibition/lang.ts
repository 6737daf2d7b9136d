import { z } from "zod";

/**
 * BCP-47 language tag, as used for the keys of every multilingual text
 * (`zh-Hant`, `en`, `ja`, `pt-BR`...). Checked by shape only: a curator may add
 * any language, and the UI falls back when a translation is missing.
 */
export const languageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a BCP-47 language tag such as \"zh-Hant\" or \"en\"");

/** Longest text in one language: a long catalogue essay fits; a document stuffed with megabytes does not. */
export const MAX_TEXT_LENGTH = 20_000;

/** A text in several languages, keyed by BCP-47 tag. Empty strings are allowed (a draft). */
export const langMap = z.record(languageTag, z.string().max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`));
export type LangMap = z.infer<typeof langMap>;

/** A language map that must have at least one non-empty text. */
export const requiredLangMap = langMap.refine(
  (m) => Object.values(m).some((s) => s.trim().length > 0),
  "needs text in at least one language",
);

/**
 * Picks the best text for `lang`: the exact tag, then its base language
 * (`zh-Hant-TW` -> `zh-Hant` -> `zh`), then each fallback in order, then any text.
 * Returns "" for an absent map so callers can render without null checks.
 */
export function pickText(map: LangMap | undefined, lang: string, fallbacks: readonly string[] = []): string {
  return pickTextLang(map, lang, fallbacks).text;
}

/**
 * {@link pickText} with the language of the text it picked (undefined when it found none), for the
 * `lang` attribute of a passage shown in a page of another language: a screen reader then reads a
 * Chinese label in a Japanese page with a Chinese voice.
 */
export function pickTextLang(map: LangMap | undefined, lang: string, fallbacks: readonly string[] = []): { text: string; lang: string | undefined } {
  if (!map) return { text: "", lang: undefined };
  const tried = new Set<string>();
  const candidates: string[] = [];
  const parts = lang.split("-");
  for (let i = parts.length; i > 0; i--) candidates.push(parts.slice(0, i).join("-"));
  candidates.push(...fallbacks);
  for (const tag of candidates) {
    if (tried.has(tag)) continue;
    tried.add(tag);
    const text = map[tag];
    if (text !== undefined && text.trim() !== "") return { text, lang: tag };
  }
  for (const [tag, text] of Object.entries(map)) if (text.trim() !== "") return { text, lang: tag };
  return { text: "", lang: undefined };
}
