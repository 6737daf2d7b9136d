import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exhibitionFromTemplate, footprintRadius, parseExhibition, type Exhibition } from "../../src/shared/exhibition";
import { placeAll, placeItem, type PlaceableItem } from "../../src/shared/exhibition/placing";
import { ROOT } from "../support/server";

/**
 * The one placing rule (src/shared/exhibition/placing.ts) the studio's catalogue and a show started
 * from a collection folder share: items copied once with their museums, objects on plinths that
 * never overlap, images side by side on the walls, the room grown to hold them all.
 */
const large = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions/large-show.json"), "utf8")), "large");
if (!large.ok) throw large.error;
const source = large.doc;
const entries: PlaceableItem[] = Object.entries(source.items).map(([id, item]) => ({ id: `large-show-${id}`, item, museums: source.meta.museums.filter((m) => m.id === item.institution || m.id === item.lockedBy) }));
const empty = (): Exhibition => exhibitionFromTemplate("empty", { id: "from-folder", title: { en: "From a folder" }, languages: ["en"], owner: { kind: "person", id: "p" }, museums: [] });

describe("placing", () => {
  it("lays out every item of a 40-artefact show in one room: nothing overlaps, everything inside, images on walls", () => {
    const doc = placeAll(empty(), "main", entries, (i) => `p${i + 1}`);
    const check = parseExhibition(doc, "placed");
    expect(check.ok ? "" : check.error.message).toBe("");
    const room = doc.rooms.main!;
    expect(Object.keys(doc.placements)).toHaveLength(entries.length);
    // Items of one catalogue record (the same sourceId) are copied once.
    const distinct = new Set(entries.map((e, i) => e.item.sourceId ?? `own-${i}`)).size;
    expect(distinct).toBeLessThan(entries.length);
    expect(Object.keys(doc.items)).toHaveLength(distinct);
    // Each item keeps its museum: every institution is listed, with its credit-line location.
    for (const item of Object.values(doc.items)) expect(doc.meta.museums.find((m) => m.id === item.institution)).toEqual(source.meta.museums.find((m) => m.id === item.institution));
    const floor = Object.values(doc.placements).filter((p) => p.mount !== "wall");
    for (const [i, a] of floor.entries()) {
      const ra = footprintRadius(a);
      expect(Math.abs(a.position[0]) + ra).toBeLessThanOrEqual(room.size.w / 2);
      expect(Math.abs(a.position[2]) + ra).toBeLessThanOrEqual(room.size.d / 2);
      for (const b of floor.slice(i + 1)) expect(Math.hypot(a.position[0] - b.position[0], a.position[2] - b.position[2])).toBeGreaterThanOrEqual(ra + footprintRadius(b));
    }
    const walls = Object.values(doc.placements).filter((p) => p.mount === "wall");
    expect(walls.length).toBe(entries.filter((e) => e.item.asset.kind === "image").length);
    const spots = new Set(walls.map((p) => p.position.map((v) => v.toFixed(2)).join(",")));
    expect(spots.size).toBe(walls.length);
  });

  it("reuses an item placed twice by its catalogue id, and refuses a full room by name", () => {
    const withSource = entries.find((e) => e.item.sourceId && e.item.asset.kind === "model")!;
    let doc = placeItem(empty(), withSource, "main", "a");
    doc = placeItem(doc, withSource, "main", "b", [2, 2]);
    expect(Object.keys(doc.items)).toHaveLength(1);
    expect(doc.placements.a!.item).toBe(doc.placements.b!.item);
    const tiny: Exhibition = { ...doc, rooms: { main: { ...doc.rooms.main!, size: { w: 2, d: 2, h: 3 } } }, placements: {} };
    const objects = entries.filter((e) => e.item.asset.kind === "model");
    expect(() => objects.reduce((d, e, i) => placeItem(d, e, "main", `x${i}`, [0, 0], "next"), tiny)).toThrow(/no free floor left/);
    expect(() => placeItem(doc, withSource, "nowhere", "c")).toThrow(/room "nowhere" does not exist/);
  });
});
