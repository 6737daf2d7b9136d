import { z } from "zod";
import { parseLicence, type LicenceId } from "./licences";
import type { Item } from "./schema";

/** A IIIF language map as manifests carry it (`{"en": ["..."]}`), or a plain string. */
const lngValue = z.union([z.record(z.string(), z.array(z.union([z.string(), z.number()]))), z.string()]);
const labelValue = z.object({ label: lngValue.optional(), value: lngValue.optional() });
const service = z.object({ id: z.string().optional(), "@id": z.string().optional(), type: z.string().optional(), "@type": z.string().optional(), profile: z.union([z.string(), z.array(z.unknown())]).optional() });
const imageBody = z.object({
  id: z.string(),
  type: z.string(),
  format: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  service: z.array(service).optional(),
});
const canvas = z
  .object({
    id: z.string(),
    type: z.literal("Canvas"),
    label: lngValue.optional(),
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
    metadata: z.array(labelValue).optional(),
    items: z.array(z.object({ items: z.array(z.object({ motivation: z.union([z.string(), z.array(z.string())]).optional(), body: z.unknown() })).optional() })).optional(),
  })
  // Presentation 3: a Canvas with spatial extent has both, never one of them.
  .superRefine((c, ctx) => {
    if ((c.width === undefined) !== (c.height === undefined))
      ctx.addIssue({ code: "custom", path: [c.width === undefined ? "width" : "height"], message: `is missing: a Canvas with a ${c.width === undefined ? "height" : "width"} must have a ${c.width === undefined ? "width" : "height"} too` });
  });
/** A zod issue path as a JSON pointer (`/items/0/height`). */
function pointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/** The parts of a IIIF Presentation 3 manifest Atrium reads (everything else is ignored). */
export const iiifManifest = z.object({
  "@context": z.union([z.string(), z.array(z.unknown())]),
  id: z.string(),
  type: z.literal("Manifest", { message: "must be \"Manifest\" (a IIIF Presentation 3 manifest)" }),
  label: lngValue,
  summary: lngValue.optional(),
  metadata: z.array(labelValue).optional(),
  requiredStatement: labelValue.optional(),
  rights: z.string().optional(),
  homepage: z.array(z.object({ id: z.string() })).optional(),
  items: z.array(canvas).min(1, "has no canvases"),
});
export type IiifManifest = z.infer<typeof iiifManifest>;

/** One wall-hung image read from a manifest, ready to become a catalogue item of a museum. */
export interface IiifImageRecord {
  /** The canvas id (stable across re-imports). */
  key: string;
  item: Omit<Item, "institution" | "creditLine"> & { creditLine?: Record<string, string> };
}

function textOf(v: z.infer<typeof lngValue> | undefined): Record<string, string> {
  if (!v) return {};
  if (typeof v === "string") return { en: v };
  const out: Record<string, string> = {};
  for (const [lang, values] of Object.entries(v)) {
    const text = values.map(String).join("; ").replace(/<[^>]+>/g, "").trim();
    if (text) out[lang === "none" ? "en" : lang] = text;
  }
  return out;
}
const firstText = (v: z.infer<typeof lngValue> | undefined) => Object.values(textOf(v))[0] ?? "";

/** "canvas 152 x 244.4 cm" -> height 152, width 244.4 (cm); the first "H x W unit" found. */
function physicalSize(texts: string[]): { height: number; width: number } | null {
  for (const t of texts) {
    const m = /(\d+(?:[.,]\d+)?)\s*[x×]\s*(\d+(?:[.,]\d+)?)\s*(cm|mm|in)\b/i.exec(t);
    if (m) {
      const k = m[3]!.toLowerCase() === "mm" ? 0.1 : m[3]!.toLowerCase() === "in" ? 2.54 : 1;
      return { height: Math.round(Number(m[1]!.replace(",", ".")) * k * 10) / 10, width: Math.round(Number(m[2]!.replace(",", ".")) * k * 10) / 10 };
    }
  }
  return null;
}

/**
 * Wall-hung images from a IIIF Presentation 3 image manifest: one per canvas painted with an
 * image. Labels (canvas label, else the manifest's), the manifest's metadata and summary become
 * the label text; `rights` (or the words of the required statement) the licences; the required
 * statement the museum's credit; a "W x H cm" in the metadata the hung size (else 60 cm wide at
 * the canvas' aspect ratio). A level 1+ image service gives a 256 px thumbnail URL.
 */
export function iiifImages(input: unknown, fallbackLicence: LicenceId): { records: IiifImageRecord[]; warnings: string[] } {
  const parsed = iiifManifest.safeParse(input);
  if (!parsed.success) {
    // Named by JSON pointer into what was sent (as the IIIF validator names them).
    const issue = parsed.error.issues[0]!;
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : "";
    throw new Error(`not a IIIF Presentation 3 manifest: ${pointer(issue.path) || "(top)"} ${issue.message}${more}`);
  }
  const m = parsed.data;
  const warnings: string[] = [];
  const licence = parseLicence(m.rights) ?? parseLicence(firstText(m.requiredStatement?.value));
  if (!licence) warnings.push(`the manifest states no licence Atrium recognises (rights: ${m.rights ?? "none"}): ${fallbackLicence} used`);
  const licences = { metadata: licence ?? fallbackLicence, thumbnail: licence ?? fallbackLicence, object: licence ?? fallbackLicence };
  const meta = (m.metadata ?? []).map((e) => `${firstText(e.label)}: ${firstText(e.value)}`);
  const field = (name: RegExp) => (m.metadata ?? []).find((e) => name.test(firstText(e.label)))?.value;
  const credit = textOf(m.requiredStatement?.value);
  const records: IiifImageRecord[] = [];
  m.items.forEach((c, i) => {
    const annotations = (c.items ?? []).flatMap((p) => p.items ?? []);
    const painting = annotations.find((a) => [a.motivation].flat().includes("painting"));
    const body = imageBody.safeParse(painting?.body);
    if (!body.success || body.data.type !== "Image") {
      const at = painting ? `/items/${i}/items/${(c.items ?? []).findIndex((p) => (p.items ?? []).includes(painting))}/items/${(c.items ?? []).flatMap((p) => p.items ?? []).indexOf(painting)}/body` : `/items/${i}/items`;
      const why = !painting ? "has no painting annotation" : !body.success ? `${pointer(body.error.issues[0]!.path) || ""} ${body.error.issues[0]!.message}`.trim() : `is a ${body.data.type}, not an Image`;
      warnings.push(`canvas ${i + 1} (${c.id}) is not painted with an image (${at}: ${why}): skipped`);
      return;
    }
    const b = body.data;
    const svc = b.service?.find((s) => /ImageService|level[12]/.test(`${s.type ?? s["@type"] ?? ""} ${JSON.stringify(s.profile ?? "")}`));
    const svcId = svc?.id ?? svc?.["@id"];
    const canvasText = (c.metadata ?? []).map((e) => `${firstText(e.label)}: ${firstText(e.value)}`);
    const size = physicalSize([...canvasText, ...meta]);
    const w = b.width ?? c.width;
    const h = b.height ?? c.height;
    if (!size && !(w && h)) warnings.push(`canvas ${i + 1} gives no size: hung 60 cm wide and square`);
    const manifestTitle = textOf(m.label);
    const canvasTitle = textOf(c.label);
    const title = m.items.length > 1 && Object.keys(canvasTitle).length ? Object.fromEntries(Object.entries(manifestTitle).map(([l, t]) => [l, `${t} — ${canvasTitle[l] ?? Object.values(canvasTitle)[0]}`])) : manifestTitle;
    const description = { ...textOf(m.summary), ...textOf((c.metadata ?? []).find((e) => /description/i.test(firstText(e.label)))?.value) };
    const homepage = m.homepage?.[0]?.id;
    records.push({
      key: c.id,
      item: {
        title: Object.keys(title).length ? title : { en: `Image ${i + 1}` },
        description,
        ...(field(/creator|artist|maker/i) ? { maker: textOf(field(/creator|artist|maker/i)) } : {}),
        ...(field(/^date/i) ? { date: textOf(field(/^date/i)) } : {}),
        dimensions: size ? { ...size, unit: "cm" } : { width: 60, height: w && h ? Math.round(((60 * h) / w) * 10) / 10 : 60, unit: "cm" },
        ...(Object.keys(credit).length ? { creditLine: credit } : {}),
        licences,
        sourceId: c.id,
        ...(homepage && /^https?:\/\//.test(homepage) ? { sourceUrl: homepage } : /^https?:\/\//.test(m.id) ? { sourceUrl: m.id } : {}),
        asset: { kind: "image", src: b.id, ...(svcId ? { thumb: `${svcId.replace(/\/$/, "")}/full/256,/0/default.jpg` } : {}) },
      },
    });
  });
  if (records.length === 0) throw new Error(`the manifest has no canvas painted with an image: ${warnings.filter((w) => w.startsWith("canvas ")).slice(0, 3).join("; ")}`);
  return { records, warnings };
}
