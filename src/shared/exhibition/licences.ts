import { z } from "zod";
import { lookupText, type TextTables } from "../translator";

/**
 * Licences Atrium knows how to display and reason about. Identifiers follow SPDX where SPDX has one.
 * `custom` means the terms are in the item's `rightsNote` (e.g. the CMU mocap database terms).
 */
export const LICENCE_IDS = [
  "CC0-1.0",
  "PDM-1.0",
  "CC-BY-3.0",
  "CC-BY-4.0",
  "CC-BY-SA-4.0",
  "CC-BY-NC-4.0",
  "CC-BY-NC-SA-4.0",
  "CC-BY-ND-4.0",
  "OGDL-Taiwan-1.0",
  "All-Rights-Reserved",
  "custom",
] as const;

export const licenceId = z.enum(LICENCE_IDS);
export type LicenceId = z.infer<typeof licenceId>;

/** Short labels in English, as open-data exports name licences (`licenceLabel` for a page). */
export const LICENCE_LABELS: Record<LicenceId, string> = {
  "CC0-1.0": "CC0 1.0",
  "PDM-1.0": "Public Domain Mark 1.0",
  "CC-BY-3.0": "CC BY 3.0",
  "CC-BY-4.0": "CC BY 4.0",
  "CC-BY-SA-4.0": "CC BY-SA 4.0",
  "CC-BY-NC-4.0": "CC BY-NC 4.0",
  "CC-BY-NC-SA-4.0": "CC BY-NC-SA 4.0",
  "CC-BY-ND-4.0": "CC BY-ND 4.0",
  "OGDL-Taiwan-1.0": "OGDL-Taiwan 1.0",
  "All-Rights-Reserved": "All rights reserved",
  custom: "Custom terms",
};

/**
 * The labels that are words rather than names, per interface language (a Creative Commons
 * licence's name is the same everywhere; "All rights reserved" is not).
 */
const LABEL_WORDS: TextTables<"All-Rights-Reserved" | "custom" | "PDM-1.0" | "OGDL-Taiwan-1.0"> = {
  en: { "All-Rights-Reserved": LICENCE_LABELS["All-Rights-Reserved"], custom: LICENCE_LABELS.custom, "PDM-1.0": LICENCE_LABELS["PDM-1.0"], "OGDL-Taiwan-1.0": LICENCE_LABELS["OGDL-Taiwan-1.0"] },
  "zh-Hant": { "All-Rights-Reserved": "保留所有權利", custom: "自訂條款", "PDM-1.0": "公眾領域標章 1.0", "OGDL-Taiwan-1.0": "政府資料開放授權條款第 1 版" },
  ja: { "All-Rights-Reserved": "全権利留保", custom: "個別の利用条件", "PDM-1.0": "パブリック・ドメイン・マーク 1.0" },
};

/** A licence's label in the interface language `lang` (the English label where there is no other). */
export function licenceLabel(id: LicenceId, lang: string): string {
  return id in LABEL_WORDS.en ? lookupText(LABEL_WORDS, lang, id as keyof typeof LABEL_WORDS.en) : LICENCE_LABELS[id];
}

/** Canonical deed URLs, for links next to credit lines. */
export const LICENCE_URLS: Partial<Record<LicenceId, string>> = {
  "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
  "PDM-1.0": "https://creativecommons.org/publicdomain/mark/1.0/",
  "CC-BY-3.0": "https://creativecommons.org/licenses/by/3.0/",
  "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
  "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
  "CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
  "CC-BY-NC-SA-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
  "CC-BY-ND-4.0": "https://creativecommons.org/licenses/by-nd/4.0/",
  "OGDL-Taiwan-1.0": "https://data.gov.tw/license",
};

/**
 * Reads a licence from the words or URL a museum's data uses ("CC0", "Public Domain",
 * "https://creativecommons.org/licenses/by-nc/4.0/", "Attribution-NonCommercial 4.0
 * International (CC BY-NC 4.0)", "In Copyright"...); null when it is not recognisable.
 */
export function parseLicence(text: string | null | undefined): LicenceId | null {
  const t = (text ?? "").trim().toLowerCase();
  if (!t) return null;
  for (const id of LICENCE_IDS) if (t === id.toLowerCase()) return id;
  if (/publicdomain\/zero|\bcc0\b|cc-zero|cc zero/.test(t)) return "CC0-1.0";
  if (/publicdomain\/mark|public domain/.test(t)) return "PDM-1.0";
  if (/ogdl|政府資料開放授權|open government data license.*taiwan/.test(t)) return "OGDL-Taiwan-1.0";
  if (/rightsstatements\.org\/vocab\/inc|in copyright|all rights reserved|©|copyright/.test(t)) return "All-Rights-Reserved";
  const url = /creativecommons\.org\/licenses\/([a-z-]+)\/(\d\.\d)/.exec(t);
  const words = /\bcc[ -]?(by(?:[ -](?:nc|sa|nd))*)\b[ -]?(\d\.\d)?/.exec(t);
  const long = /attribution(-noncommercial)?(-sharealike)?(-noderivatives|-noderivs)?\s*(\d\.\d)?/.exec(t);
  let kind: string | null = null;
  let version: string | undefined;
  if (url) [kind, version] = [url[1]!, url[2]];
  else if (words) [kind, version] = [words[1]!.replace(/ /g, "-"), words[2]];
  else if (long) [kind, version] = [["by", long[1] && "nc", long[2] && "sa", long[3] && "nd"].filter(Boolean).join("-"), long[4]];
  if (!kind) return null;
  const id = `CC-${kind.toUpperCase()}-${version ?? "4.0"}`;
  return (LICENCE_IDS as readonly string[]).includes(id) ? (id as LicenceId) : null;
}

/**
 * Whether a tactile copy (a 3D print of the object's model, remeshed and scaled) may be offered
 * under the object licence: open licences that allow adaptations. No-derivatives, all rights
 * reserved and custom terms are left to the rights holder. One rule for the button and the server.
 */
export function allowsTactileCopy(licence: LicenceId): boolean {
  return licence !== "CC-BY-ND-4.0" && licence !== "All-Rights-Reserved" && licence !== "custom";
}
