import { exhibitionFromTemplate, type CatalogueEntry } from "../../src/shared/exhibition";

/** Samples the studio's headless tests share: a show to start from and a catalogue entry to place. */
/** A two-museum show of the Palace Museum (owner), in zh-Hant and English, with no objects yet. */
export const twoMuseumShow = () =>
  exhibitionFromTemplate("two-museum", {
    id: "joint",
    title: { en: "Joint show" },
    languages: ["zh-Hant", "en"],
    owner: { kind: "museum", id: "npm-tw" },
    museums: [{ id: "npm-tw", name: { en: "Palace Museum (sample)" } }],
  });

/** A Carnegie Museum of Art tea bowl from the catalogue (CC0 record and model). */
export const bowl: CatalogueEntry = {
  id: "cmoa-bowl-1",
  museum: { id: "cmoa", name: { en: "Carnegie Museum of Art" } },
  item: {
    title: { en: "Tea Bowl" },
    description: {},
    dimensions: { height: 6.7, width: 15.9, depth: 15.9, unit: "cm" },
    institution: "cmoa",
    creditLine: { en: "Carnegie Museum of Art, Pittsburgh" },
    licences: { metadata: "CC0-1.0", thumbnail: "All-Rights-Reserved", object: "CC0-1.0" },
    sourceId: "cmoa:things/bowl-1",
    asset: { kind: "model", tiers: { high: "/models/tea/tenmoku-bowl.glb" }, unitsPerMeter: 1 },
  },
  facets: { institution: "cmoa", licence: "CC0-1.0", kind: "model" },
  placeable: true,
};
