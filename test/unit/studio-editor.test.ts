import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ExhibitionStore, readExhibition, writeExhibition } from "../../src/collab";
import { exhibitionFromTemplate, OperationError, parseExhibition, type CatalogueEntry, type Exhibition } from "../../src/shared/exhibition";
import { RefusedError, StudioEditor, type EditorUser } from "../../src/studio/editor";
import { footprintRadius, wallPose } from "../../src/shared/exhibition/layout";
import { refusalMessage } from "../../src/i18n/refusals";

/** Two users' Y.Docs joined in memory, as the sync server would join them. */
function twoEditors(doc: Exhibition, a: Partial<EditorUser> = {}, b: Partial<EditorUser> = {}) {
  const d1 = new Y.Doc();
  const d2 = new Y.Doc();
  writeExhibition(d1, doc, "load");
  Y.applyUpdate(d2, Y.encodeStateAsUpdate(d1), "remote");
  d1.on("update", (u: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(d2, u, "remote"));
  d2.on("update", (u: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(d1, u, "remote"));
  const ea = new StudioEditor(new ExhibitionStore(d1), { id: "u-ana", name: "Ana", museums: ["npm-tw"], role: "owner", ...a });
  const eb = new StudioEditor(new ExhibitionStore(d2), { id: "u-ben", name: "Ben", museums: ["cmoa"], role: "curator", ...b });
  editors.push(ea, eb);
  return { a: ea, b: eb };
}
const editors: StudioEditor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
});

const twoMuseumShow = () =>
  exhibitionFromTemplate("two-museum", {
    id: "joint",
    title: { en: "Joint show" },
    languages: ["zh-Hant", "en"],
    owner: { kind: "museum", id: "npm-tw" },
    museums: [{ id: "npm-tw", name: { en: "Palace Museum (sample)" } }],
  });

const bowl: CatalogueEntry = {
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
const scroll: CatalogueEntry = {
  ...bowl,
  id: "npm-scroll",
  museum: { id: "npm-tw", name: { en: "Palace Museum (sample)" } },
  item: { ...bowl.item, title: { en: "Scroll" }, institution: "npm-tw", sourceId: "npm:scroll", dimensions: { width: 60, height: 120, unit: "cm" }, asset: { kind: "image", src: "/catalogue/images/scroll.png" } },
  facets: { institution: "npm-tw", licence: "CC0-1.0", kind: "image" },
};

const valid = (d: Exhibition) => {
  const r = parseExhibition(d, "after");
  return r.ok ? "valid" : r.error.message;
};

describe("templates", () => {
  it("builds valid documents for every template", () => {
    for (const t of ["empty", "micro", "two-museum"] as const) {
      const doc = exhibitionFromTemplate(t, { id: `t-${t}`, title: { en: t }, languages: ["en"], owner: { kind: "person", id: "u1" }, museums: [] });
      expect(valid(doc)).toBe("valid");
    }
    const micro = exhibitionFromTemplate("micro", { id: "m", title: { en: "m" }, languages: ["en"], owner: { kind: "person", id: "u1" }, museums: [] });
    expect(micro.rooms["main"]!.spots).toHaveLength(3);
    expect(twoMuseumShow().rooms["room-a"]!.doors[0]!.to).toBe("room-b");
  });
});

describe("placing, moving and arranging", () => {
  it("places a catalogue item on a plinth sized for it, listing its museum once and reusing the item", () => {
    const { a } = twoEditors(twoMuseumShow());
    const p1 = a.place(bowl, "room-a", [1, 1]);
    const doc = a.doc;
    expect(doc.meta.museums.map((m) => m.id)).toEqual(["npm-tw", "cmoa"]);
    const placed = doc.placements[p1]!;
    expect(placed.mount).toBe("plinth");
    expect(placed.plinth!.height).toBe(1);
    expect(placed.plinth!.vitrine).toBe(true);
    expect(placed.position).toEqual([1, 0, 1]);
    const p2 = a.place(bowl, "room-b");
    expect(Object.keys(a.doc.items)).toHaveLength(1);
    expect(a.doc.placements[p2]!.item).toBe(placed.item);
    expect(valid(a.doc)).toBe("valid");
  });

  it("snaps a drop near a template spot onto the free spot", () => {
    const micro = exhibitionFromTemplate("micro", { id: "m", title: { en: "m" }, languages: ["en"], owner: { kind: "person", id: "u-ana" }, museums: [] });
    const { a } = twoEditors(micro);
    const p1 = a.place(bowl, "main", [0.3, -1.1]);
    expect(a.doc.placements[p1]!.position).toEqual([0, 0, -1.5]);
    const p2 = a.place(bowl, "main", [0.4, -1.2]);
    // The middle spot is taken: the next nearest free spot within reach.
    expect(a.doc.placements[p2]!.position).toEqual([1.2, 0, -0.8]);
  });

  it("Place fills the template's free spots in order, then free floor, never inside another object or a doorway", () => {
    const micro = exhibitionFromTemplate("micro", { id: "m", title: { en: "m" }, languages: ["en"], owner: { kind: "person", id: "u-ana" }, museums: [] });
    const { a } = twoEditors(micro);
    const camera: [number, number] = [0, 1.2]; // the floor in front of the camera, where a naive Place put all three
    const first = [0, 1, 2].map(() => a.place(bowl, "main", camera, "next"));
    expect(first.map((id) => a.doc.placements[id]!.position)).toEqual([[-1.2, 0, -0.8], [0, 0, -1.5], [1.2, 0, -0.8]]);
    // The spots are taken: more objects go on the free floor nearest the camera's point, then further out.
    const more = Array.from({ length: 12 }, () => a.place(bowl, "main", camera, "next"));
    expect(a.doc.placements[more[0]!]!.position).toEqual([0, 0, 1.25]);
    const all = Object.values(a.doc.placements);
    for (const p of all) {
      for (const q of all) {
        if (p === q) continue;
        const d = Math.hypot(p.position[0] - q.position[0], p.position[2] - q.position[2]);
        expect(d).toBeGreaterThanOrEqual(footprintRadius(p) + footprintRadius(q) + 0.3 - 1e-9);
      }
      expect(Math.abs(p.position[0])).toBeLessThanOrEqual(3.5 - footprintRadius(p));
    }
    // A dropped object keeps its drop point when that is free, and moves off an occupied one.
    const dropped = a.place(bowl, "main", [-2.5, 2.5]);
    expect(a.doc.placements[dropped]!.position).toEqual([-2.5, 0, 2.5]);
    const pushed = a.place(bowl, "main", [-2.5, 2.5]);
    expect(a.doc.placements[pushed]!.position).not.toEqual([-2.5, 0, 2.5]);
    // A full room says so instead of stacking.
    expect(() => {
      for (let i = 0; i < 60; i++) a.place(bowl, "main", camera, "next");
    }).toThrow(/no free floor/);
    expect(valid(a.doc)).toBe("valid");
  });

  it("keeps the floor in front of a doorway clear", () => {
    const { a } = twoEditors(twoMuseumShow());
    const pid = a.place(bowl, "room-a", [3.4, 0]); // dropped right in the east doorway to room B
    const [x, , z] = a.doc.placements[pid]!.position;
    expect(Math.hypot(4 - x, z)).toBeGreaterThanOrEqual(1.2 + 0.8);
  });

  it("hangs images flat on the nearest wall, facing into the room", () => {
    const { a } = twoEditors(twoMuseumShow());
    const pid = a.place(scroll, "room-a", [0.5, -3.6]);
    const p = a.doc.placements[pid]!;
    expect(p.mount).toBe("wall");
    expect(p.position).toEqual([0.5, 1.55, -4 + 0.06]);
    expect(p.rotation).toEqual([0, 0, 0]);
    expect(wallPose(a.doc.rooms["room-a"]!, 3.9, 0).wall).toBe("east");
    expect(wallPose(a.doc.rooms["room-a"]!, 3.9, 0).rotation[1]).toBeCloseTo(-Math.PI / 2);
  });

  it("puts a performance on a low stage sized to the floor its performer covers", () => {
    const { a } = twoEditors(twoMuseumShow());
    const dance: CatalogueEntry = {
      ...bowl,
      id: "dance-1",
      item: {
        ...bowl.item,
        title: { en: "Dance" },
        sourceId: "mocap:dance-1",
        capture: { fps: 120, hands: true },
        asset: { kind: "motion", src: "/uploads/dance.glb", clips: [{ name: "take 1", duration: 8 }], figureHeight: 1.6, floor: { centre: [0.5, -0.6], size: [0.9, 2.65] }, playback: { speed: 1, autoplay: true } },
      },
      facets: { ...bowl.facets, kind: "motion" },
    };
    const pid = a.place(dance, "room-a", [0, 0]);
    const p = a.doc.placements[pid]!;
    expect(p.mount).toBe("plinth");
    expect(p.plinth).toMatchObject({ height: 0.1, width: 2.4, depth: 3.85, vitrine: false }); // 2.65 m of walking + 1.2 m margin
    expect(valid(a.doc)).toBe("valid");
    expect(a.doc.items[p.item]!.asset.kind).toBe("motion");
  });

  it("moves on the floor, duplicates, aligns, snaps to the grid, changes mount and deletes", () => {
    const { a } = twoEditors(twoMuseumShow());
    const p1 = a.place(bowl, "room-a", [0, 0]);
    a.move(p1, { position: [1.13, 0.7, -0.61], rotation: [0, 0.7, 0] });
    expect(a.doc.placements[p1]!.position).toEqual([1.13, 0, -0.61]); // stays on the floor
    const p2 = a.duplicate(p1);
    const [r1, r2] = [a.doc.placements[p1]!, a.doc.placements[p2]!].map((p) => footprintRadius(p));
    const gap = Math.hypot(a.doc.placements[p2]!.position[0] - 1.13, a.doc.placements[p2]!.position[2] + 0.61);
    expect(gap).toBeGreaterThanOrEqual(r1! + r2! + 0.3 - 1e-9); // beside it, not inside it
    a.move(p2, { position: [-2, 0, 2] });
    a.align([p1, p2], "z");
    expect(a.doc.placements[p2]!.position).toEqual([-2, 0, -0.61]);
    a.snapToGrid(p1);
    expect(a.doc.placements[p1]!.position).toEqual([1.25, 0, -0.5]);
    expect(a.doc.placements[p1]!.rotation[1]).toBe(0); // 0.7 rad squares up to 0
    a.setMount(p1, "floor");
    expect(a.doc.placements[p1]!.plinth).toBeUndefined();
    a.setMount(p1, "plinth");
    expect(a.doc.placements[p1]!.plinth).toBeDefined();
    a.setPlinth(p1, { colour: "#223344", vitrine: false });
    expect(a.doc.placements[p1]!.plinth!.colour).toBe("#223344");
    a.remove(p2);
    expect(a.doc.items[a.doc.placements[p1]!.item]).toBeDefined(); // still placed once
    a.remove(p1);
    expect(Object.keys(a.doc.items)).toHaveLength(0); // the last placement takes its item along
    expect(valid(a.doc)).toBe("valid");
  });
});

describe("rooms", () => {
  it("adds a connected room, resizes, repaints, reconnects and removes rooms", () => {
    const { a } = twoEditors(twoMuseumShow());
    const r3 = a.addRoom({ en: "Room 3" }, { room: "room-b", wall: "north" });
    expect(a.doc.rooms["room-b"]!.doors.some((d) => d.to === r3 && d.wall === "north")).toBe(true);
    expect(a.doc.rooms[r3]!.doors).toEqual([{ wall: "south", offset: 0, width: 1.6, to: "room-b" }]);
    const pid = a.place(bowl, "room-a", [3.5, 3.5]);
    a.resizeRoom("room-a", { w: 5, d: 5, h: 3.6 });
    expect(a.doc.placements[pid]!.position).toEqual([2.2, 0, 2.2]); // pulled inside the new walls
    expect(() => a.resizeRoom("room-a", { w: 5, d: 1.5, h: 3.6 })).toThrow(OperationError);
    a.styleRoom("room-a", { walls: { colour: "#334455", material: "paint" }, lighting: "dramatic" });
    expect(a.doc.rooms["room-a"]!.walls.colour).toBe("#334455");
    a.disconnectRooms("room-a", "room-b");
    expect(a.doc.rooms["room-a"]!.doors).toEqual([]);
    a.connectRooms("room-a", "room-b", "south", 1);
    expect(a.doc.rooms["room-b"]!.doors.find((d) => d.to === "room-a")!.wall).toBe("north");
    a.removeRoom(r3);
    expect(a.doc.rooms[r3]).toBeUndefined();
    expect(valid(a.doc)).toBe("valid");
  });
});

describe("texts, annotations and tour", () => {
  it("writes labels per language, adds languages and pins annotations", () => {
    const { a } = twoEditors(twoMuseumShow());
    const pid = a.place(bowl, "room-a");
    const itemId = a.doc.placements[pid]!.item;
    a.addLanguage("ja");
    expect(a.doc.meta.languages).toEqual(["zh-Hant", "en", "ja"]);
    a.setText({ kind: "item", id: itemId, field: "title" }, "zh-Hant", "茶");
    a.setText({ kind: "item", id: itemId, field: "title" }, "zh-Hant", "茶碗");
    a.setText({ kind: "item", id: itemId, field: "description" }, "ja", "天目茶碗");
    expect(a.doc.items[itemId]!.title).toEqual({ en: "Tea Bowl", "zh-Hant": "茶碗" });
    const ann = a.annotate(itemId, [0, 0.05, 0.07], { en: "Hare's-fur streaks" });
    expect(a.doc.annotations[ann]!.item).toBe(itemId);
    a.removeAnnotation(ann);
    expect(a.doc.annotations[ann]).toBeUndefined();
  });

  it("captures, reorders, voices and removes tour steps", () => {
    const { a } = twoEditors(twoMuseumShow());
    const pid = a.place(bowl, "room-a");
    const ids = [0, 1, 2, 3, 4].map((i) => a.captureTourStep("room-a", { position: [i, 1.6, 3], target: [0, 1, 0] }, { en: `Step ${i + 1}` }, i === 0 ? pid : undefined));
    expect(a.doc.tour.map((s) => s.id)).toEqual(ids);
    a.moveTourStep(ids[4]!, 0);
    expect(a.doc.tour[0]!.id).toBe(ids[4]);
    a.setStepAudio(ids[0]!, "en", "/assets/step1.mp3");
    expect(a.doc.tour.find((s) => s.id === ids[0])!.audio).toEqual({ en: "/assets/step1.mp3" });
    // Its captions: WebVTT only, refused with the line at fault; cleared with an empty text.
    const vtt = "WEBVTT\n\n00:00.000 --> 00:03.000\nWelcome.\n";
    a.setStepCaptions(ids[0]!, "en", vtt);
    expect(a.doc.tour.find((s) => s.id === ids[0])!.captions).toEqual({ en: vtt });
    expect(() => a.setStepCaptions(ids[0]!, "en", "WEBVTT\n\n00:00.000 --> nonsense\nWelcome.\n")).toThrow(/captions \(en\): WebVTT line 3/);
    expect(() => a.setStepCaptions(ids[0]!, "en", "Welcome.")).toThrow(/first line is "WEBVTT"/);
    expect(a.doc.tour.find((s) => s.id === ids[0])!.captions).toEqual({ en: vtt });
    a.setStepCaptions(ids[0]!, "en", "");
    expect(a.doc.tour.find((s) => s.id === ids[0])!.captions).toBeUndefined();
    a.recaptureTourStep(ids[1]!, "room-b", { position: [0, 1.6, 0], target: [0, 1, -1] });
    expect(a.doc.tour.find((s) => s.id === ids[1])!.room).toBe("room-b");
    a.removeTourStep(ids[2]!);
    expect(a.doc.tour).toHaveLength(4);
    expect(valid(a.doc)).toBe("valid");
  });
});

describe("collaboration rules", () => {
  it("undoes only the user's own edits; the other user's edits stay", () => {
    const { a, b } = twoEditors(twoMuseumShow());
    const pa = a.place(bowl, "room-a", [-2, 0]);
    const pb = b.place(scroll, "room-b", [0, -3.9]);
    a.move(pa, { position: [-1, 0, 1] });
    b.setText({ kind: "item", id: b.doc.placements[pb]!.item, field: "title" }, "en", "Hanging scroll");
    expect(readExhibition(a.store.ydoc).items[b.doc.placements[pb]!.item]!.title.en).toBe("Hanging scroll");

    expect(b.undo()).toBe(true); // B's retitle
    expect(a.doc.items[a.doc.placements[pb]!.item]!.title.en).toBe("Scroll");
    expect(a.doc.placements[pa]!.position).toEqual([-1, 0, 1]); // A's move stays

    expect(a.undo()).toBe(true); // A's move
    expect(b.doc.placements[pa]!.position).toEqual([-2, 0, 0]);
    expect(b.doc.placements[pb]).toBeDefined(); // B's placement stays
    expect(a.redo()).toBe(true);
    expect(b.doc.placements[pa]!.position).toEqual([-1, 0, 1]);
    expect(valid(a.doc)).toBe("valid");
  });

  it("keeps another user's newer value when undoing an edit they have since overwritten", () => {
    const { a, b } = twoEditors(twoMuseumShow());
    const p = a.place(bowl, "room-a", [0, 0]);
    a.move(p, { position: [1, 0, 0] });
    b.move(p, { position: [2, 0, 0] });
    a.undo(); // A's move was overwritten by B: B's position stays
    expect(a.doc.placements[p]!.position).toEqual([2, 0, 0]);
  });

  it("locks an item for its museum: other museums may move it but not edit or remove it", () => {
    const { a, b } = twoEditors(twoMuseumShow(), { role: "curator" }, {});
    const pid = b.place(bowl, "room-a"); // Ben (cmoa) places a cmoa item
    const itemId = b.doc.placements[pid]!.item;
    expect(() => a.lockItem(itemId, true)).toThrow(RefusedError);
    expect(() => a.lockItem(itemId, true)).toThrow(/belong to cmoa: only its people/);
    b.lockItem(itemId, true);
    expect(a.doc.items[itemId]!.lockedBy).toBe("cmoa");
    expect(a.itemRefusal(itemId)).toEqual({ code: "item-locked", item: itemId, museum: "cmoa" });
    // The interface words the code in its language, naming the museum.
    const museums = Object.fromEntries(a.doc.meta.museums.map((m) => [m.id, m.name]));
    expect(refusalMessage("en", a.itemRefusal(itemId)!, museums)).toMatch(/^Carnegie Museum of Art has locked this item: you may place and move it/);
    expect(refusalMessage("zh-Hant", a.itemRefusal(itemId)!, museums)).toMatch(/已鎖定此物件/);
    expect(() => a.setText({ kind: "item", id: itemId, field: "title" }, "en", "Mine now")).toThrow(/locked/);
    a.move(pid, { position: [1, 0, 1] }); // placing and moving stay allowed
    a.remove(pid); // removes the placement only: the locked record stays
    expect(a.doc.items[itemId]).toBeDefined();
    expect(b.itemRefusal(itemId)).toBeNull();
  });

  it("lets a commenter comment but not change anything", () => {
    const { a, b } = twoEditors(twoMuseumShow(), {}, { role: "commenter" });
    const pid = a.place(bowl, "room-a");
    const itemId = a.doc.placements[pid]!.item;
    expect(() => b.move(pid, { position: [1, 0, 1] })).toThrow(/commenter cannot change/);
    b.comment(itemId, "Is the date right?");
    a.comment(itemId, "Yes: the record gives 960–1279.");
    expect(a.comments(itemId).map((c) => [c.authorName, c.text])).toEqual([
      ["Ben", "Is the date right?"],
      ["Ana", "Yes: the record gives 960–1279."],
    ]);
    expect(() => b.comment(itemId, "   ")).toThrow();
  });
});
