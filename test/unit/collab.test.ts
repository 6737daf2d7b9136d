import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ExhibitionStore, readExhibition } from "../../src/collab";
import { addPlacement, movePlacement, moveTourStep, parseExhibition, removePlacement, setText, type Exhibition } from "../../src/shared/exhibition";
import { ROOT } from "../support/server";

let doc: Exhibition;
beforeEach(() => {
  const r = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")), "tea");
  if (!r.ok) throw r.error;
  doc = r.doc;
});

/** Connects two stores like a sync server would: every update of one is applied to the other. */
function connect(a: ExhibitionStore, b: ExhibitionStore) {
  a.ydoc.on("update", (u: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(b.ydoc, u, "remote"));
  b.ydoc.on("update", (u: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(a.ydoc, u, "remote"));
}

function replica(store: ExhibitionStore): ExhibitionStore {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(store.ydoc));
  return new ExhibitionStore(ydoc);
}

describe("exhibition in a Y.Doc", () => {
  it("round-trips the document exactly", () => {
    const store = ExhibitionStore.fromDocument(doc);
    expect(store.getSnapshot()).toEqual(doc);
    expect(readExhibition(replica(store).ydoc)).toEqual(doc);
  });

  it("returns the same snapshot until the document changes, and unchanged records keep identity", () => {
    const store = ExhibitionStore.fromDocument(doc);
    const first = store.getSnapshot();
    expect(store.getSnapshot()).toBe(first);
    store.apply((d) => movePlacement(d, "p-teapot", { scale: 1.5 }));
    const second = store.getSnapshot();
    expect(second).not.toBe(first);
    expect(second.placements["p-teapot"]!.scale).toBe(1.5);
    expect(second.placements["p-caddy"]).toBe(first.placements["p-caddy"]);
    expect(second.items["teapot"]).toBe(first.items["teapot"]);
  });

  it("writes only what an operation changed: one small update", () => {
    const store = ExhibitionStore.fromDocument(doc);
    const updates: Uint8Array[] = [];
    store.ydoc.on("update", (u: Uint8Array) => updates.push(u));
    store.apply((d) => movePlacement(d, "p-teapot", { position: [0.2, 0, -1] }));
    expect(updates.length).toBe(1);
    const whole = Y.encodeStateAsUpdate(store.ydoc).byteLength;
    expect(updates[0]!.byteLength).toBeLessThan(whole / 20);
  });

  it("notifies subscribers on local and remote changes", () => {
    const a = ExhibitionStore.fromDocument(doc);
    const b = replica(a);
    connect(a, b);
    let calls = 0;
    b.subscribe(() => calls++);
    a.apply((d) => setText(d, { kind: "room", id: "bowls" }, "en", "Bowls"));
    expect(calls).toBe(1);
    expect(b.getSnapshot().rooms["bowls"]!.name.en).toBe("Bowls");
  });

  it("leaves the Y.Doc untouched when an operation refuses", () => {
    const store = ExhibitionStore.fromDocument(doc);
    const before = Y.encodeStateVector(store.ydoc);
    expect(() => store.apply((d) => removePlacement(d, "p-none"))).toThrow('placement "p-none" does not exist');
    expect(Y.encodeStateVector(store.ydoc)).toEqual(before);
  });

  it("merges concurrent edits of different records from two curators", () => {
    const a = ExhibitionStore.fromDocument(doc);
    const b = replica(a);
    a.apply((d) => movePlacement(d, "p-teapot", { position: [1, 0, 1] }));
    b.apply((d) => addPlacement(d, "p-extra", { room: "bowls", item: "teapot", position: [-1, 0, 1], mount: "floor" }));
    b.apply((d) => removePlacement(d, "p-caddy"));
    connect(a, b);
    Y.applyUpdate(a.ydoc, Y.encodeStateAsUpdate(b.ydoc), "remote");
    Y.applyUpdate(b.ydoc, Y.encodeStateAsUpdate(a.ydoc), "remote");
    const merged = a.getSnapshot();
    expect(b.getSnapshot()).toEqual(merged);
    expect(merged.placements["p-teapot"]!.position).toEqual([1, 0, 1]);
    expect(merged.placements["p-extra"]).toBeDefined();
    expect(merged.placements["p-caddy"]).toBeUndefined();
    expect(parseExhibition(merged, "merged").ok).toBe(true);
  });

  it("keeps a step's text edit when someone else reorders the tour at the same time", () => {
    const a = ExhibitionStore.fromDocument(doc);
    const b = replica(a);
    a.apply((d) => moveTourStep(d, "t5", 0));
    b.apply((d) => setText(d, { kind: "tour", id: "t5" }, "en", "Water matters."));
    Y.applyUpdate(a.ydoc, Y.encodeStateAsUpdate(b.ydoc));
    Y.applyUpdate(b.ydoc, Y.encodeStateAsUpdate(a.ydoc));
    for (const s of [a, b]) {
      const tour = s.getSnapshot().tour;
      expect(tour.map((t) => t.id)).toEqual(["t5", "t1", "t2", "t3", "t4"]);
      expect(tour[0]!.text.en).toBe("Water matters.");
    }
  });

  it("never duplicates or loses a step when two people reorder at once", () => {
    const a = ExhibitionStore.fromDocument(doc);
    const b = replica(a);
    a.apply((d) => moveTourStep(d, "t1", 4));
    b.apply((d) => moveTourStep(d, "t1", 2));
    Y.applyUpdate(a.ydoc, Y.encodeStateAsUpdate(b.ydoc));
    Y.applyUpdate(b.ydoc, Y.encodeStateAsUpdate(a.ydoc));
    const ids = a.getSnapshot().tour.map((t) => t.id);
    expect(b.getSnapshot().tour.map((t) => t.id)).toEqual(ids);
    expect([...ids].sort()).toEqual(["t1", "t2", "t3", "t4", "t5"]);
  });
});
