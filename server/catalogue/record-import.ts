import { createHash } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";
import { assetUrl, licenceId, parseLicence, type CatalogueEntry, type LicenceId, type Museum } from "../../src/shared/exhibition";
import { centuryOf, materialOf } from "./cmoa";
import { STAND_INS, standInFor, type StandIn } from "./stand-ins";

/** Fields an imported record can fill, in the order the mapping step shows them. */
export const IMPORT_FIELDS = [
  "id",
  "title",
  "description",
  "maker",
  "date",
  "dateEarliest",
  "culture",
  "material",
  "classification",
  "height",
  "width",
  "depth",
  "diameter",
  "accessionNumber",
  "creditLine",
  "sourceUrl",
  "licenceMetadata",
  "licenceThumbnail",
  "licenceObject",
  "rightsHolder",
  "modelUrl",
  "imageUrl",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Column names (lower case, after flattening) each field is guessed from, best first. */
const GUESSES: Record<ImportField, string[]> = {
  id: ["id", "identifier", "object_id", "objectid", "record_id", "uuid"],
  title: ["title", "object_title", "name", "object_name", "名稱", "品名"],
  description: ["description", "label", "label_text", "說明", "描述"],
  maker: ["creator.0.full_name", "creator.0.cited_name", "maker", "artist", "creator", "作者"],
  date: ["creation_date", "date", "dated", "object_date", "年代"],
  dateEarliest: ["creation_date_earliest", "date_earliest", "begin_date", "year"],
  culture: ["creator.0.nationality", "culture", "nationality", "origin", "文化"],
  material: ["medium", "material", "materials", "材質"],
  classification: ["classification", "object_type", "type", "category"],
  height: ["item_height", "height", "height_cm", "高"],
  width: ["item_width", "width", "width_cm", "寬"],
  depth: ["item_depth", "depth", "depth_cm", "深"],
  diameter: ["item_diameter", "diameter", "diameter_cm", "徑"],
  accessionNumber: ["accession_number", "object_number", "accession", "inventory_number", "典藏號"],
  creditLine: ["credit_line", "credit", "creditline"],
  sourceUrl: ["web_url", "url", "link", "object_url", "source_url"],
  licenceMetadata: ["metadata_licence", "metadata_license", "record_licence", "record_license"],
  licenceThumbnail: ["image_licence", "image_license", "thumbnail_licence", "thumbnail_license", "image_rights"],
  licenceObject: ["licence", "license", "rights", "object_licence", "object_license", "授權"],
  rightsHolder: ["rights_holder", "copyright_holder", "rightsholder"],
  modelUrl: ["model_url", "glb", "model", "3d_model"],
  imageUrl: ["image_url", "images.0.image_url", "image", "primary_image"],
};

/** A column-mapping step's answer: field -> source column (flattened path). */
export const importMapping = z.partialRecord(z.enum(IMPORT_FIELDS), z.string().max(200));
export type ImportMapping = z.infer<typeof importMapping>;

/** Options of an import, given by the registrar beside the mapping. */
export const importOptions = z.object({
  format: z.enum(["json", "csv"]),
  /** The file's text (JSON array of records, or CSV with a header row). */
  text: z.string().min(1, "is empty").max(16 * 1024 * 1024, "is larger than 16 MB"),
  mapping: importMapping.optional(),
  /** Language of the records' text. */
  lang: z.string().min(2).max(20).default("en"),
  /** Unit of the size columns. */
  units: z.enum(["cm", "mm", "in", "m"]).default("cm"),
  /** Licences used when a record names none (each use is reported). */
  defaults: z.object({ metadata: licenceId, thumbnail: licenceId, object: licenceId }).default({ metadata: "CC0-1.0", thumbnail: "All-Rights-Reserved", object: "All-Rights-Reserved" }),
  museum: z.string().min(1).max(64),
});
export type ImportOptions = z.infer<typeof importOptions>;

/** Something a registrar should look at: the record (row number from 1, and id) and the field. */
export interface ImportWarning {
  row: number;
  id: string;
  field: string;
  message: string;
}

/** Records as flat rows (nested JSON becomes dotted paths: `creator.0.full_name`). */
export interface RecordTable {
  columns: string[];
  rows: Record<string, string>[];
}

/** The file could not be read as records at all. */
export class ImportError extends Error {}

function flatten(value: unknown, prefix: string, out: Record<string, string>, depth: number): void {
  if (value === null || value === undefined) return;
  if (typeof value !== "object") {
    out[prefix] = String(value);
    return;
  }
  if (depth > 3) return; // deeper structures are not label data
  const entries = Array.isArray(value) ? value.slice(0, 3).map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
}

/** Parses a JSON array of records (or `{records|items|data: [...]}`) or a CSV with a header row. */
export function readRecords(text: string, format: "json" | "csv"): RecordTable {
  let records: unknown[];
  if (format === "json") {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new ImportError(`the file is not valid JSON: ${(e as Error).message}`);
    }
    const list = Array.isArray(data) ? data : ["records", "items", "data", "objects"].map((k) => (data as Record<string, unknown>)?.[k]).find(Array.isArray);
    if (!Array.isArray(list)) throw new ImportError("the JSON holds no list of records (expected an array, or an object with a 'records' array)");
    records = list;
  } else {
    try {
      records = parseCsv(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown[];
    } catch (e) {
      throw new ImportError(`the CSV could not be read: ${(e as Error).message}`);
    }
  }
  if (records.length === 0) throw new ImportError("the file holds no records");
  if (records.length > 20_000) throw new ImportError(`the file holds ${records.length} records; import at most 20,000 at a time`);
  const columns = new Set<string>();
  const rows = records.map((r) => {
    const row: Record<string, string> = {};
    flatten(r, "", row, 0);
    for (const k of Object.keys(row)) columns.add(k);
    return row;
  });
  return { columns: [...columns], rows };
}

/** A first guess of the mapping from the column names (the registrar confirms or changes it). */
export function suggestMapping(columns: string[]): ImportMapping {
  const byLower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const used = new Set<string>();
  const out: ImportMapping = {};
  for (const field of IMPORT_FIELDS)
    for (const guess of GUESSES[field]) {
      const col = byLower.get(guess);
      if (col && !used.has(col)) {
        out[field] = col;
        used.add(col);
        break;
      }
    }
  return out;
}

const UNIT_TO_CM = { cm: 1, mm: 0.1, in: 2.54, m: 100 } as const;

/**
 * Turns rows into catalogue entries of `museum`. No record is ever dropped: a record without a
 * title is imported as "Untitled" with a warning, an unreadable size or licence is left out or
 * replaced by the default with a warning, and a record with nothing to show (no model, image or
 * stand-in shape) is listed but not placeable, with the reason.
 */
export function mapRecords(table: RecordTable, options: Omit<ImportOptions, "text" | "format">, museum: Museum, standInHeights: Record<StandIn, number>): { entries: CatalogueEntry[]; warnings: ImportWarning[] } {
  const mapping = options.mapping ?? suggestMapping(table.columns);
  const warnings: ImportWarning[] = [];
  const lang = options.lang;
  const seen = new Set<string>();
  const entries = table.rows.map((row, i): CatalogueEntry => {
    const n = i + 1;
    const get = (f: ImportField) => {
      const col = mapping[f];
      const v = col ? row[col]?.trim() : undefined;
      return v ? v : undefined;
    };
    let localId = get("id") ?? get("accessionNumber");
    const warn = (field: string, message: string) => warnings.push({ row: n, id: localId ?? `row ${n}`, field, message });
    if (!localId) {
      localId = `row-${n}`;
      warn("id", "no id or accession number: identified by its row number, so a re-import of a re-ordered file makes new entries");
    }
    let entryId = importedEntryId(museum.id, localId);
    if (seen.has(entryId)) {
      const again = createHash("sha256").update(`${museum.id}\n${localId}\n${n}`).digest("hex").slice(0, 6);
      warn("id", `the id "${localId}" is used by an earlier record too: this one is kept as ${entryId}-${again}`);
      entryId = `${entryId}-${again}`;
    }
    seen.add(entryId);
    let title = get("title");
    if (!title) {
      title = "Untitled";
      warn("title", "no title: imported as \"Untitled\"");
    }
    const size = (f: "height" | "width" | "depth" | "diameter") => {
      const raw = get(f);
      if (raw === undefined) return undefined;
      const v = Number(raw.replace(",", "."));
      if (!Number.isFinite(v) || v < 0) {
        warn(f, `"${raw}" is not a size: left out`);
        return undefined;
      }
      return v > 0 ? Math.round(v * UNIT_TO_CM[options.units] * 10) / 10 : undefined;
    };
    const dimensions = { height: size("height"), width: size("width"), depth: size("depth"), diameter: size("diameter"), unit: "cm" as const };
    if (!dimensions.height && !dimensions.width && !dimensions.diameter) warn("height", "no size: the object is shown at its model's own size");
    const licence = (f: "licenceMetadata" | "licenceThumbnail" | "licenceObject", fallback: LicenceId) => {
      const raw = get(f);
      const id = parseLicence(raw);
      if (id) return id;
      warn(f, raw ? `"${raw}" is not a licence Atrium knows: ${fallback} used` : `no licence given: ${fallback} used`);
      return fallback;
    };
    const licences = { metadata: licence("licenceMetadata", options.defaults.metadata), thumbnail: licence("licenceThumbnail", options.defaults.thumbnail), object: licence("licenceObject", options.defaults.object) };
    const url = (f: "sourceUrl" | "modelUrl" | "imageUrl", test: (u: string) => boolean) => {
      const raw = get(f);
      if (raw === undefined) return undefined;
      if (!/^https?:\/\//.test(raw) && !raw.startsWith("/")) return warn(f, `"${raw.slice(0, 80)}" is not a web address: left out`), undefined;
      if (!test(raw)) return warn(f, `"${raw.slice(0, 80)}" is not a supported file: left out`), undefined;
      return assetUrl.safeParse(raw).success ? raw : (warn(f, "not a usable address: left out"), undefined);
    };
    const sourceUrl = url("sourceUrl", () => true);
    const modelUrl = url("modelUrl", (u) => /\.(glb|gltf)(\?|$)/i.test(u));
    const imageUrl = url("imageUrl", () => true);
    const classification = get("classification") ?? "";
    const material = get("material");
    const isFlat = /print|painting|drawing|photograph|scroll|textile/i.test(`${classification} ${material ?? ""}`);
    const shape = modelUrl || isFlat ? null : standInFor(title);
    // A flat work is hung from its image only if its image may be shown publicly.
    const showImage = !modelUrl && isFlat && imageUrl && licences.thumbnail !== "All-Rights-Reserved";
    const heightM = dimensions.height ? dimensions.height / 100 : null;
    const accession = get("accessionNumber");
    const ownCredit = [get("creditLine"), accession].filter(Boolean);
    const text = (v: string | undefined) => (v ? { [lang]: v } : undefined);
    const placeable = Boolean(modelUrl || showImage || shape);
    if (!placeable) warn("modelUrl", isFlat ? "a flat work with no openly licensed image: listed, not placeable" : "no model, image or matching stand-in shape: listed, not placeable");
    const period = centuryOf(get("dateEarliest") ?? get("date") ?? null);
    const facetMaterial = materialOf(material ?? null);
    const asset: CatalogueEntry["item"]["asset"] = showImage
      ? { kind: "image", src: imageUrl! }
      : { kind: "model", tiers: { high: modelUrl ?? STAND_INS[shape ?? "jar"] }, unitsPerMeter: !modelUrl && shape && heightM ? Math.round((standInHeights[shape] / heightM) * 1000) / 1000 : 1 };
    return {
      id: entryId,
      museum,
      item: {
        title: { [lang]: title },
        description: text(get("description")) ?? {},
        ...(get("maker") ? { maker: text(get("maker")) } : {}),
        ...(get("date") ? { date: text(get("date")) } : {}),
        ...(get("culture") ? { culture: text(get("culture")) } : {}),
        ...(material ? { material: text(material) } : {}),
        dimensions,
        institution: museum.id,
        // The museum's own line; the institution itself is the credit line's first part already.
        creditLine: { [lang]: ownCredit.length ? ownCredit.join(". ") : (museum.name[lang] ?? museum.name.en ?? Object.values(museum.name)[0]!) },
        licences,
        ...(get("rightsHolder") ? { rightsHolder: get("rightsHolder") } : {}),
        ...(Object.values(licences).includes("custom") ? { rightsNote: "Terms as given in the museum's open-data record." } : {}),
        sourceId: `${museum.id}:${localId}`,
        ...(sourceUrl && /^https?:/.test(sourceUrl) ? { sourceUrl } : {}),
        ...(!modelUrl && shape ? { modelNote: { en: "Illustrative stand-in model made by Atrium; not a scan of the object.", "zh-Hant": "此模型為 Atrium 製作的示意替代模型，並非文物掃描。" } } : {}),
        asset,
      },
      facets: { institution: museum.id, ...(facetMaterial ? { material: facetMaterial } : {}), ...(period ? { period } : {}), licence: licences.object, kind: asset.kind },
      placeable,
      ...(!placeable ? { note: isFlat ? "No openly licensed image of this work." : "No 3D model or openly licensed image of this object yet." } : {}),
    };
  });
  return { entries, warnings };
}

/**
 * The catalogue id of a museum's imported record: namespaced by museum, with a hash of (museum,
 * record id), so two museums' records never share an entry id, however their ids look ("a" +
 * "b-1" and "a-b" + "1" differ by the hash), and a re-import of the same record replaces it.
 */
export function importedEntryId(museumId: string, localId: string): string {
  const hash = createHash("sha256").update(`${museumId}\n${localId}`).digest("hex").slice(0, 8);
  return `${museumId}-${localId.replace(/^[a-z]+:things\//, "").replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 40)}-${hash}`;
}
