import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXHIBITION_VERSION, parseExhibition, parseExhibitionText, type Exhibition } from "../../src/shared/exhibition";
import { ROOT } from "../support/server";

const samples = readdirSync(join(ROOT, "exhibitions")).filter((f) => f.endsWith(".json"));
const load = (f: string) => JSON.parse(readFileSync(join(ROOT, "exhibitions", f), "utf8")) as Exhibition;
const tea = () => structuredClone(load("tea-and-its-vessels.json"));

/** The problems reported for `doc`, as "field: message" strings. */
function problems(doc: unknown): string[] {
  const r = parseExhibition(doc, "exhibitions/test.json");
  if (r.ok) return [];
  return r.error.problems.map((p) => `${p.field}: ${p.message}`);
}

describe("exhibition schema", () => {
  it.each(samples)("accepts the sample %s", (file) => {
    const r = parseExhibition(load(file), file);
    expect(r.ok ? "ok" : r.error.message).toBe("ok");
  });

  it("ships at least two samples, one of them joining two museums", () => {
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.map(load).some((d) => d.meta.museums.length >= 2 && new Set(Object.values(d.items).map((i) => i.institution)).size >= 2)).toBe(true);
  });

  it("fills defaults a curator may leave out", () => {
    const doc = tea() as unknown as Record<string, unknown>;
    delete doc.annotations;
    delete doc.tour;
    delete doc.lessonPlans; // its steps name tour steps
    const r = parseExhibition(doc, "x");
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.doc.annotations).toEqual({});
      expect(r.doc.tour).toEqual([]);
      expect(r.doc.lessonPlans).toEqual({});
    }
  });

  it("names the field of a wrong licence", () => {
    const doc = tea();
    (doc.items["teapot"]!.licences as { object: string }).object = "CC-BY-5.0";
    expect(problems(doc)).toEqual([expect.stringMatching(/^items\.teapot\.licences\.object: Invalid option/)]);
  });

  it("names the field of a missing multilingual title", () => {
    const doc = tea();
    doc.items["teapot"]!.title = { en: " ", "zh-Hant": "" };
    expect(problems(doc)).toEqual(["items.teapot.title: needs text in at least one language"]);
  });

  it("rejects a language key that is not a BCP-47 tag", () => {
    const doc = tea();
    doc.meta.title = { "Chinese!": "茶" };
    expect(problems(doc).join("\n")).toMatch(/meta\.title\.Chinese!: .*BCP-47/);
  });

  it("checks cross-references: placements, annotations, tour steps, doors, institutions", () => {
    const doc = tea();
    doc.placements["p-teapot"]!.room = "attic";
    doc.annotations["a-teapot-spout"]!.item = "ghost";
    doc.tour[1]!.focus = "p-nothing";
    doc.rooms["bowls"]!.doors[0]!.to = "garden";
    doc.items["whisk"]!.institution = "louvre";
    expect(problems(doc).sort()).toEqual([
      'annotations.a-teapot-spout.item: names item "ghost", which does not exist',
      'items.whisk.institution: names museum "louvre", which is not listed in meta.museums',
      'placements.p-teapot.room: names room "attic", which does not exist',
      'rooms.bowls.doors.0.to: leads to room "garden", which does not exist',
      'tour.1.focus: names placement "p-nothing", which does not exist',
    ]);
  });

  it("refuses a doorway that does not fit its wall and a colour it cannot read", () => {
    const doc = tea();
    doc.rooms["bowls"]!.doors[0]!.offset = 4.5;
    doc.rooms["brewing"]!.walls.colour = "teal";
    expect(problems(doc).sort()).toEqual([
      "rooms.bowls.doors.0.offset: doorway does not fit in the east wall (10 m long)",
      "rooms.brewing.walls.colour: must be a colour like #aabbcc",
    ]);
  });

  it("requires a plinth for plinth mounts and a rights note for custom licences", () => {
    const doc = tea();
    delete doc.placements["p-caddy"]!.plinth;
    doc.items["tea-caddy"]!.licences.object = "custom";
    delete doc.items["tea-caddy"]!.rightsNote;
    expect(problems(doc).sort()).toEqual([
      'items.tea-caddy.rightsNote: is required when a licence is "custom"',
      'placements.p-caddy.plinth: is required when mount is "plinth"',
    ]);
  });

  it("refuses asset paths that climb out of the site", () => {
    const doc = tea();
    (doc.items["teapot"]!.asset as { tiers: { high: string } }).tiers.high = "/models/../../etc/passwd";
    expect(problems(doc).join()).toMatch(/^items\.teapot\.asset\.tiers\.high: must be an http\(s\) URL or a site path/);
  });

  it("reports the header before anything else", () => {
    expect(problems({ ...tea(), type: "iiif.manifest" })).toEqual(['type: must be "atrium.exhibition" (found "iiif.manifest")']);
    expect(problems({ ...tea(), version: EXHIBITION_VERSION + 1 })).toEqual([
      `version: is ${EXHIBITION_VERSION + 1}, made by a newer Atrium; this build reads up to version ${EXHIBITION_VERSION}`,
    ]);
    expect(problems({ ...tea(), version: "2" })).toEqual([`version: must be a whole number from 1 to ${EXHIBITION_VERSION} (found "2")`]);
    expect(problems([])).toEqual([": an exhibition document must be a JSON object"]);
  });

  it("reports unreadable JSON with the file name, never throwing", () => {
    const r = parseExhibitionText('{"type": "atrium.exhibition",', "exhibitions/broken.json");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^exhibitions\/broken\.json: \(document\): is not valid JSON: /);
  });

  it("prefixes every line of the message with the source, and caps a long list", () => {
    const doc = tea();
    for (const p of Object.values(doc.placements)) p.room = "nowhere";
    for (const a of Object.values(doc.annotations)) a.item = "nothing";
    const problems = Object.keys(doc.placements).length + Object.keys(doc.annotations).length;
    const r = parseExhibition(doc, "exhibitions/tea.json");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.error.message.split("\n");
    expect(lines.length).toBe(9);
    expect(lines.every((l) => l.startsWith("exhibitions/tea.json: "))).toBe(true);
    expect(lines[8]).toBe(`exhibitions/tea.json: ... and ${problems - 8} more problem(s)`);
  });
});
