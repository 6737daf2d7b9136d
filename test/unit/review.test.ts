import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { Attribution, ExhibitionStore, recordAuthorship, writeExhibition } from "../../src/collab";
import { changesSince, type CatalogueEntry } from "../../src/shared/exhibition";
import { bowl as sampleBowl, twoMuseumShow } from "../support/studio-samples";
import { StudioEditor } from "../../src/studio/editor";

/** The shared sample show (zh-Hant and English) with its English title too. */
const show = () => {
  const doc = twoMuseumShow();
  return { ...doc, meta: { ...doc.meta, title: { en: "Joint show", "zh-Hant": "聯展" } } };
};
/** The shared bowl, with a description to review changes of. */
const bowl: CatalogueEntry = { ...sampleBowl, item: { ...sampleBowl.item, description: { en: "Hare's fur glaze." } } };

/**
 * A server and two curators' pages, joined as the sync server joins them: every update a page
 * sends is applied on the server and attributed to that page's account, and everything the
 * server holds reaches both pages.
 */
function joinedShow() {
  const server = new Y.Doc();
  const notes = new Y.Doc(); // the server's attribution, beside the show
  writeExhibition(server, show(), "load");
  const pages = (["ana", "bo"] as const).map((who) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), "server");
    doc.on("update", (u: Uint8Array, origin: unknown) => {
      if (origin === "server") return;
      Y.applyUpdate(server, u, who);
      recordAuthorship(notes, { id: `u-${who}`, name: who === "ana" ? "Ana" : "Bo" }, u, "attribution");
    });
    return doc;
  });
  server.on("update", (u: Uint8Array, origin: unknown) => {
    pages.forEach((doc, i) => origin !== (i === 0 ? "ana" : "bo") && Y.applyUpdate(doc, u, "server"));
  });
  const [a, b] = pages.map((doc, i) => new StudioEditor(new ExhibitionStore(doc), { id: i === 0 ? "u-ana" : "u-bo", name: i === 0 ? "Ana" : "Bo", museums: [i === 0 ? "npm-tw" : "cmoa"], role: i === 0 ? "owner" : "curator" }));
  editors.push(a!, b!);
  return { a: a!, b: b!, pages, notes };
}
const editors: StudioEditor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
});

describe("review mode: changes since a named version, with who", () => {
  it("lists objects added, moved and removed, each text changed per language, and other records, in a stable order", () => {
    const { a, b } = joinedShow();
    const kept = a.place(bowl, "room-a", [0, 0]);
    const gone = a.place(bowl, "room-a", [2, 2]);
    const version = structuredClone(a.doc);
    expect(changesSince(version, a.doc)).toEqual([]);

    const added = b.place(bowl, "room-a", [-2, 1]);
    b.move(kept, { position: [1, 0, 1], rotation: [0, 0.5, 0] });
    a.remove(gone);
    b.setText({ kind: "item", id: "cmoa-bowl-1", field: "description" }, "en", "Hare's fur glaze, Jian ware.");
    a.setText({ kind: "meta", field: "title" }, "zh-Hant", "兩館聯展");
    const room = a.addRoom({ en: "Second room" });
    const changes = changesSince(version, b.doc);
    const placements = changes.filter((c) => c.kind === "added" || c.kind === "moved" || c.kind === "removed");
    // Placements first, by id (stable whatever the order they changed in).
    expect(placements).toEqual(
      [
        { kind: "added", placement: added, item: "cmoa-bowl-1", room: "room-a" },
        { kind: "moved", placement: kept, item: "cmoa-bowl-1", room: "room-a", fields: ["position", "rotation"] },
        { kind: "removed", placement: gone, item: "cmoa-bowl-1", room: "room-a" },
      ].sort((x, y) => (x.placement < y.placement ? -1 : 1)),
    );
    expect(changes.slice(0, 3)).toEqual(placements);
    expect(changes.filter((c) => c.kind === "text")).toEqual([
      { kind: "text", map: "meta", id: "show", field: "title", lang: "zh-Hant", before: "聯展", after: "兩館聯展" },
      { kind: "text", map: "rooms", id: room, field: "name", lang: "en", before: "", after: "Second room" },
      { kind: "text", map: "items", id: "cmoa-bowl-1", field: "description", lang: "en", before: "Hare's fur glaze.", after: "Hare's fur glaze, Jian ware." },
    ]);
    expect(changes.filter((c) => c.kind === "record")).toEqual(expect.arrayContaining([{ kind: "record", map: "rooms", id: room, change: "added" }]));
    // A record's prose is compared as text, never as a record change too.
    expect(changes.some((c) => c.kind === "record" && c.map === "items" && c.change === "changed")).toBe(false);
    b.lockItem("cmoa-bowl-1", true);
    expect(changesSince(version, b.doc)).toContainEqual({ kind: "record", map: "items", id: "cmoa-bowl-1", change: "changed" });
  });

  it("names who made each change, as the server recorded it: the last mover, the writer of new words, the one who removed", () => {
    const { a, b, pages, notes } = joinedShow();
    const kept = a.place(bowl, "room-a", [0, 0]);
    const gone = a.place(bowl, "room-a", [2, 2]);
    b.move(kept, { position: [1, 0, 1] });
    b.setText({ kind: "item", id: "cmoa-bowl-1", field: "description" }, "en", "Hare's fur glaze, Jian ware.");
    b.setText({ kind: "item", id: "cmoa-bowl-1", field: "title" }, "en", "Tea Bowl, hare's fur");
    b.remove(gone);
    a.setText({ kind: "item", id: "cmoa-bowl-1", field: "description" }, "en", "Hare's fur, Jian ware.");
    for (const doc of pages) {
      // As a page gets the notes: one update over HTTP.
      const who = Attribution.fromUpdate(doc, Y.encodeStateAsUpdate(notes));
      expect(who.ofRecord("placements", kept)).toEqual({ id: "u-bo", name: "Bo" });
      expect(who.ofRecord("placements", gone)).toEqual({ id: "u-bo", name: "Bo" }); // removed by Bo
      // ", Jian ware" is Bo's (the new words); " glaze" was taken out by Ana.
      const text = "Hare's fur, Jian ware.";
      const at = text.indexOf(", Jian");
      expect(who.ofText("items", "cmoa-bowl-1", "description", "en", at, at + ", Jian ware".length, false)).toEqual([{ id: "u-bo", name: "Bo" }]);
      expect(who.ofText("items", "cmoa-bowl-1", "description", "en", "Hare's fur".length, "Hare's fur".length, true).map((x) => x.name)).toContain("Ana");
      // Bo's words went into the texts: the item's record is still as Ana placed it.
      expect(who.ofRecord("items", "cmoa-bowl-1")).toEqual({ id: "u-ana", name: "Ana" });
      // Before attribution (the template, written by the server): nobody.
      expect(who.ofRecord("rooms", "room-a")).toBeNull();
    }
  });
});

describe("review mode: what is not a change", () => {
  it("a record read back with its keys in another order, or a text moved to nothing from nothing, is not a change", () => {
    const doc = twoMuseumShow();
    const room = doc.rooms["room-a"]!;
    const shuffled = Object.fromEntries(Object.entries(room).reverse()) as typeof room;
    const other = { ...doc, rooms: { ...doc.rooms, "room-a": shuffled }, meta: { ...doc.meta, intro: { ...doc.meta.intro, ja: "" } } };
    expect(changesSince(doc, other)).toEqual([]);
  });
});
