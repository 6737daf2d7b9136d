import { z } from "zod";
import { pickText, type LangMap } from "./lang";

/**
 * Theme tags of a show (`meta.themes`, issue 23): what the public gallery filters by. A theme is
 * either one of the suggested ones below, stored by its English key and shown in the reader's
 * language, or the curator's own word in any script (a museum's "茶道" or "Kintsugi"), shown as
 * written. Stored folded (see {@link normalizeTheme}) so "Tea" and "tea " are one theme.
 */

/** Themes offered in the studio, with their names in the interface's languages. */
export const THEME_SUGGESTIONS: Record<string, LangMap> = {
  tea: { en: "Tea", "zh-Hant": "茶", ja: "茶" },
  ceramics: { en: "Ceramics", "zh-Hant": "陶瓷", ja: "陶磁器" },
  dance: { en: "Dance", "zh-Hant": "舞蹈", ja: "舞踊" },
  craft: { en: "Craft", "zh-Hant": "工藝", ja: "工芸" },
  ritual: { en: "Ritual", "zh-Hant": "儀式", ja: "儀礼" },
  "daily life": { en: "Daily life", "zh-Hant": "日常生活", ja: "暮らし" },
  "natural history": { en: "Natural history", "zh-Hant": "自然史", ja: "自然史" },
  archaeology: { en: "Archaeology", "zh-Hant": "考古", ja: "考古学" },
  painting: { en: "Painting", "zh-Hant": "繪畫", ja: "絵画" },
  textiles: { en: "Textiles", "zh-Hant": "織品", ja: "染織" },
  music: { en: "Music", "zh-Hant": "音樂", ja: "音楽" },
  calligraphy: { en: "Calligraphy", "zh-Hant": "書法", ja: "書" },
};

/** Most themes one show may carry. */
export const MAX_THEMES = 12;

/** A theme as typed folded for storing and matching: NFKC (full-width to ASCII), lower case, spaces collapsed. */
export function normalizeTheme(theme: string): string {
  return theme.normalize("NFKC").toLocaleLowerCase("en").replace(/\s+/g, " ").trim();
}

/** One stored theme: letters (any script), digits, spaces, "-", "'" and "&", at most 40 characters, already folded. */
export const themeTag = z
  .string()
  .min(1, "must not be empty")
  .max(40, "must be at most 40 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}\p{M} '&-]*$/u, "must be letters, digits, spaces, '-', \"'\" or '&'")
  .refine((t) => t === normalizeTheme(t), "must be stored folded (lower case, single spaces)");

/** The theme's name for a reader of `lang`: a suggested theme's translation, else the curator's word as written. */
export function themeLabel(theme: string, lang: string): string {
  const known = THEME_SUGGESTIONS[theme];
  return known ? pickText(known, lang, ["en"]) : theme;
}
