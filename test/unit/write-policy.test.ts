import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addComment, ExhibitionStore, restoreExhibition, writeExhibition } from "../../src/collab";
import {
  addAnnotation,
  moveTourStep,
  movePlacement,
  parseExhibition,
  removeItem,
  removeRoom,
  setText,
  updateItem,
  type Exhibition,
} from "../../src/exhibition";
import { refusalOf, touchedByCopy, touchedKeys } from "../../server/sync/write-policy";
import { ROOT } from "../support/server";

function tea(): Exhibition {
  const r = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")), "tea");
  if (!r.ok) throw r.error;
  return r.doc;
}

/** A server room and a client, joined; `edit` returns the client's update without sending it. */
function pair() {
  const room = new Y.Doc();
  writeExhibition(room, tea());
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(room));
  const store = new ExhibitionStore(client);
  const edit = (fn: () => void): Uint8Array => {
    const updates: Uint8Array[] = [];
    const on = (u: Uint8Array) => updates.push(u);
    client.on("update", on);
    fn();
    client.off("update", on);
    return Y.mergeUpdates(updates);
  };
  return { room, client, store, edit };
}

const keysOf = (t: Map<string, Map<string | null, unknown[]>>) =>
  Object.fromEntries([...t].map(([name, keys]) => [name, [...keys.keys()].sort()]));

describe("reading which records an update touches, without applying it", () => {
  it("agrees with applying the update to a copy, for every kind of edit", () => {
    const { room, store, client, edit } = pair();
    const ops: [string, () => void][] = [
      ["move", () => store.apply((d) => movePlacement(d, "p-teapot", { position: [1, 0, 1] }))],
      ["move again", () => store.apply((d) => movePlacement(d, "p-teapot", { position: [2, 0, 1] }))],
      ["retitle", () => store.apply((d) => setText(d, { kind: "item", id: "teapot", field: "title" }, "en", "Pot"))],
      ["annotate", () => store.apply((d) => addAnnotation(d, "a-new", { item: "teapot", point: [0, 0.1, 0], text: { en: "Spout" } }))],
      ["lock", () => store.apply((d) => updateItem(d, "teapot", { lockedBy: "cmoa" }))],
      ["reorder tour", () => store.apply((d) => moveTourStep(d, d.tour[3]!.id, 0))],
      ["comment", () => addComment(client, { id: "c1", item: "teapot", author: "u1", authorName: "U", text: "hi", at: 1 })],
      ["remove item", () => store.apply((d) => removeItem(d, "teapot"))],
      ["remove room", () => store.apply((d) => removeRoom(d, "brewing"))],
      ["restore", () => restoreExhibition(client, tea())],
    ];
    for (const [what, op] of ops) {
      const u = edit(op);
      const touched = touchedKeys(room, u);
      expect(touched, what).not.toBeNull();
      expect(keysOf(touched!), what).toEqual(keysOf(touchedByCopy(room, u)));
      Y.applyUpdate(room, u);
    }
  });

  it("gives up (and the policy falls back to the copy) on types Atrium never writes", () => {
    const { room, edit, client } = pair();
    const u = edit(() => client.getMap("items").set("x", new Y.Map()));
    const nested = edit(() => (client.getMap("items").get("x") as Y.Map<unknown>).set("title", "sneaky"));
    Y.applyUpdate(room, u);
    expect(touchedKeys(room, nested)).toBeNull();
    expect(refusalOf(room, { role: "commenter", user: "u1", museums: [] }, nested)).toMatch(/commenter may only comment/);
  });

  it("refuses the same things either way", () => {
    const { room, store, edit } = pair();
    Y.applyUpdate(room, edit(() => store.apply((d) => updateItem(d, "teapot", { lockedBy: "atrium" }))));
    const retitle = edit(() => store.apply((d) => setText(d, { kind: "item", id: "teapot", field: "title" }, "en", "Mine")));
    const move = edit(() => store.apply((d) => movePlacement(d, "p-teapot", { position: [0, 0, 0] })));
    const other = { role: "curator" as const, user: "u2", museums: ["cmoa"] };
    expect(refusalOf(room, other, retitle)).toMatch(/locked by atrium/);
    expect(refusalOf(room, other, move)).toBeNull();
    expect(refusalOf(room, { ...other, museums: ["atrium"] }, retitle)).toBeNull();
  });
});
