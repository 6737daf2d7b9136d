import { LICENCE_LABELS, type LicenceId } from "./licences";
import { creditTexts } from "./credit";
import { roomsInOrder, type Exhibition } from "./schema";

/** A IIIF language map: every value is a list of strings. */
type LngString = Record<string, string[]>;
const lng = (m: Record<string, string> | undefined): LngString | undefined => {
  if (!m) return undefined;
  const out: LngString = {};
  for (const [lang, text] of Object.entries(m)) if (text.trim()) out[lang] = [text];
  return Object.keys(out).length ? out : undefined;
};

/**
 * Licence URIs as IIIF Presentation 3 accepts them in `rights` (Creative Commons or
 * RightsStatements.org, http scheme). Licences without one (OGDL-Taiwan, custom terms) are
 * named in the required statement instead.
 */
const RIGHTS_URI: Partial<Record<LicenceId, string>> = {
  "CC0-1.0": "http://creativecommons.org/publicdomain/zero/1.0/",
  "PDM-1.0": "http://creativecommons.org/publicdomain/mark/1.0/",
  "CC-BY-3.0": "http://creativecommons.org/licenses/by/3.0/",
  "CC-BY-4.0": "http://creativecommons.org/licenses/by/4.0/",
  "CC-BY-SA-4.0": "http://creativecommons.org/licenses/by-sa/4.0/",
  "CC-BY-NC-4.0": "http://creativecommons.org/licenses/by-nc/4.0/",
  "CC-BY-NC-SA-4.0": "http://creativecommons.org/licenses/by-nc-sa/4.0/",
  "CC-BY-ND-4.0": "http://creativecommons.org/licenses/by-nd/4.0/",
  "All-Rights-Reserved": "http://rightsstatements.org/vocab/InC/1.0/",
};

const MEDIA: Record<string, string> = { glb: "model/gltf-binary", gltf: "model/gltf+json", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp" };

/**
 * The exhibition as a IIIF Presentation 3 manifest: one Canvas per placed item, in room order,
 * painted with the item's 3D model (a `Model` resource, glTF) or its image, each carrying its own
 * label, `rights` and a `requiredStatement` with its credit line. Room, maker, date, material and
 * size go into `metadata`. Asset URLs are made absolute against `baseUrl`.
 */
export function exhibitionToIiif(doc: Exhibition, baseUrl: string): Record<string, unknown> {
  const base = baseUrl.replace(/\/$/, "");
  const manifestId = `${base}/api/exhibitions/${doc.id}/iiif`;
  const abs = (url: string) => (/^https?:\/\//.test(url) ? url : `${base}${url}`);
  const museumOf = (id: string) => doc.meta.museums.find((x) => x.id === id);
  const museumName = (id: string) => {
    const m = museumOf(id);
    return m ? (m.name.en ?? Object.values(m.name)[0]) : undefined;
  };
  const canvases = roomsInOrder(doc).flatMap(([roomId, room]) =>
    Object.entries(doc.placements)
      .filter(([, p]) => p.room === roomId && doc.items[p.item])
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([pid, p]) => {
        const item = doc.items[p.item]!;
        const canvasId = `${manifestId}/canvas/${pid}`;
        const url = item.asset.kind === "model" ? (item.asset.tiers.high ?? item.asset.tiers.low)! : item.asset.src;
        const ext = /\.([a-z0-9]+)(?:$|\?)/i.exec(url)?.[1]?.toLowerCase() ?? "";
        const dims = item.dimensions;
        // Canvas size in millimetres of the object's width and height (a 2D frame for the 3D scene).
        const mm = (cm: number | undefined, fallback: number) => Math.max(1, Math.round((cm || fallback) * 10));
        const rights = RIGHTS_URI[item.licences.object];
        const metadata = [
          { label: { en: ["Room"], "zh-Hant": ["展廳"] }, value: lng(room.name) },
          { label: { en: ["Institution"], "zh-Hant": ["典藏機構"] }, value: { none: [museumName(item.institution) ?? item.institution] } },
          { label: { en: ["Maker"], "zh-Hant": ["作者"] }, value: lng(item.maker) },
          { label: { en: ["Date"], "zh-Hant": ["年代"] }, value: lng(item.date) },
          { label: { en: ["Material"], "zh-Hant": ["材質"] }, value: lng(item.material) },
          { label: { en: ["Licences"], "zh-Hant": ["授權"] }, value: { en: [`object: ${LICENCE_LABELS[item.licences.object]}; record: ${LICENCE_LABELS[item.licences.metadata]}; thumbnail: ${LICENCE_LABELS[item.licences.thumbnail]}`] } },
          ...(item.modelNote ? [{ label: { en: ["About the model"], "zh-Hant": ["關於模型"] }, value: lng(item.modelNote) }] : []),
        ].filter((m) => m.value !== undefined);
        return {
          id: canvasId,
          type: "Canvas",
          label: lng(item.title)!,
          ...(lng(item.description) ? { summary: lng(item.description) } : {}),
          width: mm(dims?.width ?? dims?.diameter, 30),
          height: mm(dims?.height, 30),
          metadata,
          requiredStatement: { label: { en: ["Attribution"], "zh-Hant": ["出處"] }, value: Object.fromEntries(Object.entries(creditTexts(item, museumOf(item.institution))).map(([l, t]) => [l, [t]])) },
          ...(rights ? { rights } : {}),
          ...(item.sourceUrl ? { homepage: [{ id: item.sourceUrl, type: "Text", label: lng(item.title)!, format: "text/html" }] } : {}),
          items: [
            {
              id: `${canvasId}/page`,
              type: "AnnotationPage",
              items: [
                {
                  id: `${canvasId}/page/painting`,
                  type: "Annotation",
                  motivation: "painting",
                  target: canvasId,
                  body: {
                    id: abs(url),
                    type: item.asset.kind === "image" ? "Image" : "Model",
                    ...(MEDIA[ext] ? { format: MEDIA[ext] } : {}),
                    label: lng(item.title)!,
                  },
                },
              ],
            },
          ],
        };
      }),
  );
  const institutions = doc.meta.museums.map((m) => m.name.en ?? Object.values(m.name)[0]).filter(Boolean);
  return {
    "@context": "http://iiif.io/api/presentation/3/context.json",
    id: manifestId,
    type: "Manifest",
    label: lng(doc.meta.title)!,
    ...(lng(doc.meta.intro) ? { summary: lng(doc.meta.intro) } : {}),
    metadata: [
      { label: { en: ["Institutions"], "zh-Hant": ["參與機構"] }, value: { none: [institutions.join(" · ") || "—"] } },
      { label: { en: ["Rooms"], "zh-Hant": ["展廳"] }, value: { none: [String(Object.keys(doc.rooms).length)] } },
    ],
    requiredStatement: {
      label: { en: ["Attribution"], "zh-Hant": ["出處"] },
      value: { en: ["Each object carries its own institution, credit line and licence."], "zh-Hant": ["每件展品各自標示其典藏機構、出處與授權。"] },
    },
    homepage: [{ id: `${base}/visit/${doc.id}`, type: "Text", label: lng(doc.meta.title)!, format: "text/html" }],
    items: canvases,
  };
}
