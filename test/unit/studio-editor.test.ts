import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ExhibitionStore, readExhibition, writeExhibition } from "../../src/collab";
import { exhibitionFromTemplate, OperationError, parseExhibition, type CatalogueEntry, type Exhibition } from "../../src/shared/exhibition";
import { RefusedError, StudioEditor, type EditorUser } from "../../src/studio/editor";
import { footprintRadius, wallPose } from "../../src/shared/exhibition/layout";
import { refusalMessage } from "../../src/i18n/refusals";
import { bowl, twoMuseumShow } from "../support/studio-samples";
import { clampScale, distribute, snapToNeighbours, turnAbout } from "../../src/shared/exhibition/arranging";

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

describe("several objects at once (multi-select)", () => {
  /** Four bowls in room-a, placed at known points. */
  const fourBowls = (a: StudioEditor) => {
    const spots: [number, number][] = [[-2, -1], [0.3, 0.6], [1.7, -0.4], [2.6, 1.2]];
    return spots.map(([x, z]) => {
      const pid = a.place(bowl, "room-a", [0, 0]);
      a.move(pid, { position: [x, 0, z] });
      return pid;
    });
  };
  const pos = (e: StudioEditor, pid: string) => e.doc.placements[pid]!.position;

  it("moves, turns, distributes and aligns a selection, each as one undo step of its own", () => {
    const { a, b } = twoEditors(twoMuseumShow());
    const [p1, p2, p3, p4] = fourBowls(a);
    const before = [p1, p2, p3].map((p) => pos(a, p!));
    a.moveMany([p1!, p2!, p3!], [0.5, -0.25]);
    expect([p1, p2, p3].map((p) => pos(a, p!))).toEqual(before.map(([x, y, z]) => [x + 0.5, y, z - 0.25]));
    expect(pos(b, p1!)).toEqual([-1.5, 0, -1.25]); // the other curator sees it
    expect(pos(a, p4!)).toEqual([2.6, 0, 1.2]); // not selected: stays
    a.undo(); // the whole group goes back in one step
    expect([p1, p2, p3].map((p) => pos(a, p!))).toEqual(before);
    a.redo();

    // Against the east wall (8 m room: 3.7 m from the centre is the limit) the group stops, keeping its shape.
    a.moveMany([p3!, p4!], [5, 0]);
    expect(pos(a, p4!)[0]).toBe(3.7);
    expect(pos(a, p3!)[0]).toBeCloseTo(2.2 + (3.7 - 2.6), 6);

    // Turning the group a quarter about its centre: each turns, and the group turns round the centre.
    a.moveMany([p1!], [0, 0]);
    const [q1, q2] = [pos(a, p1!), pos(a, p2!)];
    const centre = [(q1[0] + q2[0]) / 2, (q1[2] + q2[2]) / 2];
    a.turnMany([p1!, p2!], Math.PI / 2);
    expect(a.doc.placements[p1!]!.rotation[1]).toBeCloseTo(Math.PI / 2, 3);
    // Three's yaw maps +x to -z: a point east of the centre ends up north of it.
    expect(pos(a, p1!)[0]).toBeCloseTo(centre[0]! + (q1[2] - centre[1]!), 2);
    expect(pos(a, p1!)[2]).toBeCloseTo(centre[1]! - (q1[0] - centre[0]!), 2);
    a.undo();
    expect(pos(a, p1!)).toEqual(q1);
    expect(a.doc.placements[p1!]!.rotation[1]).toBe(0);

    // Distribute: the outermost two stay, the others are spread evenly between them.
    a.distribute([p1!, p2!, p3!, p4!], "x");
    const xs = [p1, p2, p3, p4].map((p) => pos(a, p!)[0]).sort((m, n) => m - n);
    expect(xs[0]).toBe(-1.5);
    expect(xs[3]).toBe(3.7);
    expect(xs[1]! - xs[0]!).toBeCloseTo(xs[2]! - xs[1]!, 2);
    expect(xs[2]! - xs[1]!).toBeCloseTo(xs[3]! - xs[2]!, 2);
    expect(() => a.distribute([p1!, p2!], "z")).toThrow(/at least three/);

    // Align a row with the first picked: one step.
    a.align([p2!, p1!, p3!], "z");
    expect([p1, p3].map((p) => pos(a, p!)[2])).toEqual([pos(a, p2!)[2], pos(a, p2!)[2]]);
    expect(valid(a.doc)).toBe("valid");
  });

  it("removes a selection as one step; an item another museum locked stays, and nothing of another room is touched", () => {
    const { a, b } = twoEditors(twoMuseumShow(), { role: "curator" }, {});
    const [p1, p2] = fourBowls(a).slice(0, 2);
    const mine = a.place(scroll, "room-a", [0, -3.5]);
    const items = Object.keys(a.doc.items).length;
    a.removeMany([p1!, mine]);
    expect(a.doc.placements[p1!]).toBeUndefined();
    expect(a.doc.placements[mine]).toBeUndefined();
    expect(a.doc.items["npm-scroll"]).toBeUndefined(); // its last placement took the item along
    expect(a.doc.items["cmoa-bowl-1"]).toBeDefined(); // still placed by p2..p4
    a.undo();
    expect(a.doc.placements[p1!]).toBeDefined();
    expect(a.doc.placements[mine]).toBeDefined();
    expect(Object.keys(a.doc.items)).toHaveLength(items);

    // Ben's museum locks the bowl: removing every bowl placement leaves its record.
    b.lockItem("cmoa-bowl-1", true);
    const bowls = Object.entries(a.doc.placements).filter(([, p]) => p.item === "cmoa-bowl-1").map(([id]) => id);
    a.removeMany(bowls);
    expect(Object.values(a.doc.placements).some((p) => p.item === "cmoa-bowl-1")).toBe(false);
    expect(a.doc.items["cmoa-bowl-1"]).toBeDefined();

    // A selection spanning two rooms is refused whole.
    const other = a.addRoom({ en: "Second" });
    const far = a.place(bowl, other, [0, 0]);
    const near = a.place(bowl, "room-a", [1, 1]);
    expect(p2).toBeDefined();
    expect(() => a.moveMany([near, far], [0.1, 0])).toThrow(/is in another room/);
    expect(() => a.removeMany([near, "p-nope"])).toThrow(/"p-nope" does not exist/);
    expect(a.doc.placements[near]).toBeDefined();
    expect(valid(a.doc)).toBe("valid");
  });

  it("turns about any axis and scales uniformly within sensible limits", () => {
    const { a } = twoEditors(twoMuseumShow());
    const pid = a.place(bowl, "room-a", [0, 0]);
    a.move(pid, { rotation: [0.3, 1.2, -0.2] }); // tilted on its plinth
    expect(a.doc.placements[pid]!.rotation).toEqual([0.3, 1.2, -0.2]);
    a.move(pid, { scale: 0.001 });
    expect(a.doc.placements[pid]!.scale).toBe(0.1);
    // The bowl is 6.7 cm tall on a 1 m plinth in a 3.6 m room: at most (3.6 - 1 - 0.1) / 0.067 ≈ 37, and never over 10.
    a.move(pid, { scale: 250 });
    expect(a.doc.placements[pid]!.scale).toBe(10);
    expect(a.scaleLimits(pid)).toEqual({ min: 0.1, max: 10 });
    const tall = a.place({ ...bowl, id: "tall", item: { ...bowl.item, sourceId: "x:tall", dimensions: { height: 180, width: 60, unit: "cm" } } }, "room-a", [2, 2]);
    const limit = a.scaleLimits(tall).max;
    const plinthTop = a.doc.placements[tall]!.plinth!.height;
    expect(limit).toBeCloseTo((3.6 - plinthTop - 0.1) / 1.8, 2);
    a.move(tall, { scale: 3 });
    expect(a.doc.placements[tall]!.scale).toBe(limit);
    expect(valid(a.doc)).toBe("valid");
  });
});

describe("arranging geometry", () => {
  it("snaps a dragged point onto another object's row or column, else onto the 5 cm grid", () => {
    const others: [number, number][] = [[1, 2], [-0.5, 0.04]];
    expect(snapToNeighbours([1.06, -1.33], others)).toEqual({ point: [1, -1.35], x: 1, z: null });
    expect(snapToNeighbours([-1.21, 0.1], others)).toEqual({ point: [-1.2, 0.04], x: null, z: 0.04 });
    expect(snapToNeighbours([0.97, 1.95], others)).toEqual({ point: [1, 2], x: 1, z: 2 });
    expect(snapToNeighbours([3.02, 3.02], others)).toEqual({ point: [3, 3], x: null, z: null });
  });

  it("turns points as the scene turns a child, spreads evenly and clamps scale", () => {
    expect(turnAbout([1, 0], [0, 0], Math.PI / 2)).toEqual([0, -1]);
    expect(turnAbout([2, 1], [1, 1], Math.PI)).toEqual([0, 1]);
    const spread = distribute([["a", { position: [0, 0, 0] }], ["b", { position: [5, 0, 0] }], ["c", { position: [1, 0, 3] }], ["d", { position: [4.5, 0, 0] }]], "x");
    expect([...spread.entries()].map(([id, p]) => [id, p[0]])).toEqual([["a", 0], ["c", 1.667], ["d", 3.333], ["b", 5]]);
    expect(distribute([["a", { position: [0, 0, 0] }], ["b", { position: [1, 0, 0] }]], "x").size).toBe(0);
    expect(clampScale(Number.NaN, { min: 0.1, max: 10 })).toBe(1);
    expect(clampScale(12, { min: 0.1, max: 10 })).toBe(10);
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
