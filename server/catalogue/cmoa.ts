import type { CatalogueEntry, Museum } from "../../src/shared/exhibition";
import { STAND_INS, standInFor, type StandIn } from "./stand-ins";

/** One record of the Carnegie Museum of Art open-data collection (github.com/cmoa/collection). */
export interface CmoaRecord {
  id: string;
  title: string | null;
  creation_date: string | null;
  creation_date_earliest: string | null;
  medium: string | null;
  accession_number: string | null;
  credit_line: string | null;
  classification: string | null;
  item_width: number | null;
  item_height: number | null;
  item_depth: number | null;
  item_diameter: number | null;
  web_url: string | null;
  creator?: { full_name?: string | null; nationality?: string | null }[];
}

export const CMOA: Museum = {
  id: "cmoa",
  name: { en: "Carnegie Museum of Art", "zh-Hant": "卡內基藝術博物館" },
  url: "https://carnegieart.org/",
  location: { en: "Pittsburgh, Pennsylvania, USA", "zh-Hant": "美國賓夕法尼亞州匹茲堡" },
};

const RIGHTS_NOTE =
  "Record: Carnegie Museum of Art open data (github.com/cmoa/collection), CC0 1.0. The museum's photographs are not CC0 and are not used. 3D model: an illustrative stand-in made by Atrium, CC0 1.0; it is not a scan of the object.";
const MODEL_NOTE = {
  en: "Illustrative stand-in model made by Atrium; not a scan of the object.",
  "zh-Hant": "此模型為 Atrium 製作的示意替代模型，並非文物掃描。",
};

/** "1662-01-01" -> "17th century" (facet value); null when the record gives no date. */
export function centuryOf(isoDate: string | null): string | undefined {
  const m = /^(-?\d{1,4})/.exec(isoDate ?? "");
  if (!m) return undefined;
  const year = Number(m[1]);
  const c = Math.floor((year - 1) / 100) + 1;
  if (c <= 0) return "BCE";
  const suffix = c % 10 === 1 && c !== 11 ? "st" : c % 10 === 2 && c !== 12 ? "nd" : c % 10 === 3 && c !== 13 ? "rd" : "th";
  return `${c}${suffix} century`;
}

/** "porcelain with enamel and gilded decoration" -> "porcelain" (facet value). */
export function materialOf(medium: string | null): string | undefined {
  const m = (medium ?? "").toLowerCase();
  for (const k of ["porcelain", "stoneware", "earthenware", "celadon", "woodblock print", "lacquer", "bronze", "iron", "ceramic"]) if (m.includes(k)) return k;
  return m.trim() ? m.split(/[,;(]| with /)[0]!.trim() : undefined;
}

/**
 * A catalogue entry for a CMOA record. The record's text is CC0 and shown as given (English);
 * sizes are converted from inches. Ceramics get an illustrative stand-in model of a matching shape,
 * sized from the record's height; prints and records with no suitable shape are listed but not
 * placeable, because the museum's images are not openly licensed.
 */
export function cmoaEntry(rec: CmoaRecord, standInHeights: Record<StandIn, number>): CatalogueEntry {
  const inch = (v: number | null) => (v && v > 0 ? Math.round(v * 2.54 * 10) / 10 : undefined);
  const title = rec.title?.trim() || "Untitled";
  const dimensions = { height: inch(rec.item_height), width: inch(rec.item_width), depth: inch(rec.item_depth), diameter: inch(rec.item_diameter), unit: "cm" as const };
  const isPrint = /print/i.test(rec.classification ?? "") || /print on paper/i.test(rec.medium ?? "");
  const shape = isPrint ? null : standInFor(title);
  const heightM = dimensions.height ? dimensions.height / 100 : null;
  const creator = rec.creator?.[0];
  const guid = rec.id.replace(/^cmoa:things\//, "");
  // The museum's own line (donor, accession number) is given in English; the zh-Hant line names the
  // museum in Chinese and keeps donors' names as written.
  const credit = ["Carnegie Museum of Art, Pittsburgh", rec.credit_line?.trim(), rec.accession_number?.trim()].filter(Boolean).join(". ");
  const creditZh = ["匹茲堡卡內基藝術博物館", rec.credit_line?.trim(), rec.accession_number?.trim()].filter(Boolean).join("。");
  const material = materialOf(rec.medium);
  const period = centuryOf(rec.creation_date_earliest);
  return {
    id: `cmoa-${guid}`,
    museum: CMOA,
    item: {
      title: { en: title },
      description: {},
      ...(creator?.full_name ? { maker: { en: creator.full_name } } : {}),
      ...(rec.creation_date ? { date: { en: rec.creation_date } } : {}),
      ...(creator?.nationality ? { culture: { en: creator.nationality } } : {}),
      ...(rec.medium ? { material: { en: rec.medium } } : {}),
      dimensions,
      institution: CMOA.id,
      creditLine: { en: credit, "zh-Hant": creditZh },
      licences: { metadata: "CC0-1.0", thumbnail: "All-Rights-Reserved", object: "CC0-1.0" },
      rightsHolder: "Carnegie Museum of Art (record); Atrium contributors (stand-in model)",
      rightsNote: RIGHTS_NOTE,
      sourceId: rec.id,
      ...(rec.accession_number?.trim() ? { accession: rec.accession_number.trim().slice(0, 60) } : {}),
      ...(rec.web_url && /^https?:\/\//.test(rec.web_url) ? { sourceUrl: rec.web_url } : {}),
      modelNote: MODEL_NOTE,
      asset: {
        kind: "model",
        tiers: { high: STAND_INS[shape ?? "jar"] },
        // glTF is in metres: scale the stand-in so it is as tall as the record says.
        unitsPerMeter: shape && heightM ? Math.round((standInHeights[shape] / heightM) * 1000) / 1000 : 1,
      },
    },
    facets: { institution: CMOA.id, ...(material ? { material } : {}), ...(period ? { period } : {}), licence: "CC0-1.0", kind: "model" },
    placeable: shape !== null,
    ...(shape === null
      ? { note: isPrint ? "No openly licensed image of this print: the museum's photographs are not CC0." : "No 3D model or openly licensed image of this object yet." }
      : {}),
  };
}
