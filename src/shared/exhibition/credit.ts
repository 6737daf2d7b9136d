import { pickText } from "./lang";
import { LICENCE_URLS, licenceLabel } from "./licences";
import type { Item, Museum } from "./schema";
import { lookupText, type TextTables } from "../translator";

/** The languages every credit line is generated in, whatever the show is written in. */
export const CREDIT_LANGUAGES = ["zh-Hant", "en"] as const;

/**
 * The four parts of a credit line (after the Taiwanese open-data practice Atrium's museums follow):
 * who holds the object, under which licence, where its record lives, and where the institution is.
 * `credit` is the museum's own line for the object (donor, accession number) when it has one.
 */
export interface CreditParts {
  institution: string;
  credit?: string;
  licence: string;
  licenceUrl?: string;
  link?: string;
  location?: string;
}

const WORDS: TextTables<"licence" | "custom"> = {
  en: { licence: "Licence", custom: "see the terms" },
  "zh-Hant": { licence: "授權", custom: "詳見條款" },
  ja: { licence: "ライセンス", custom: "条件を参照" },
};

/** The credit line's parts for an item, in a language (falling back as `pickText` does). */
export function creditParts(item: Item, museum: Museum | undefined, lang: string): CreditParts {
  const id = item.licences.object;
  const [colon, open, close] = lang === "zh-Hant" || lang === "ja" ? ["：", "（", "）"] : [": ", " (", ")"];
  const terms = id === "custom" ? `${open}${lookupText(WORDS, lang, "custom")}${close}` : "";
  const licence = `${lookupText(WORDS, lang, "licence")}${colon}${licenceLabel(id, lang)}${terms}`;
  const institution = museum ? pickText(museum.name, lang) : item.institution;
  // A line that only repeats the institution's name adds nothing.
  const credit = pickText(item.creditLine, lang).trim() === institution ? "" : pickText(item.creditLine, lang);
  const location = museum?.location ? pickText(museum.location, lang) : "";
  const link = item.sourceUrl ?? museum?.url;
  const licenceUrl = LICENCE_URLS[id];
  return {
    institution,
    ...(credit ? { credit } : {}),
    licence,
    ...(licenceUrl ? { licenceUrl } : {}),
    ...(link ? { link } : {}),
    ...(location ? { location } : {}),
  };
}

/** The credit line as one line of text: institution · credit · licence · link · location. */
export function creditText(item: Item, museum: Museum | undefined, lang: string): string {
  const p = creditParts(item, museum, lang);
  return [p.institution, p.credit, p.licence, p.link, p.location].filter(Boolean).join(" · ");
}

/** The credit line in every credit language (zh-Hant and en), for exports. */
export function creditTexts(item: Item, museum: Museum | undefined): Record<string, string> {
  return Object.fromEntries(CREDIT_LANGUAGES.map((l) => [l, creditText(item, museum, l)]));
}
