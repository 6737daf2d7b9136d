import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addComment, ExhibitionStore, restoreExhibition, writeExhibition } from "../../src/collab";
import { withoutProse } from "../../src/shared/collab/exhibition-ydoc";
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
} from "../../src/shared/exhibition";
import { DOCUMENT_LAYOUT, judgeUpdate, refusalOf } from "../../server/sync/write-policy";
import { DeleteIndex, readUpdate, type Touched } from "../../server/sync/update-shape";
import { ROOT } from "../support/server";

/** The structural reader's answer for `update` (what it touches), or its refusal. */
function touchedKeys(doc: Y.Doc, update: Uint8Array): Touched | null {
  const r = readUpdate(doc, update, DOCUMENT_LAYOUT, new DeleteIndex(doc));
  return r.ok ? r.touched : null;
}

/**
 * The reference: apply the update to a copy of the document and see which keys of which top-level
 * types changed. Costs a copy of the document, which is why the server never does it.
 */
function touchedByCopy(doc: Y.Doc, update: Uint8Array): Touched {
  const copy = new Y.Doc({ gc: false });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const changed = new Map<unknown, Set<string | null>>();
  copy.on("afterTransaction", (tr: Y.Transaction) => {
    for (const [type, keys] of tr.changed) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking up to the top-level type
      let top: Y.AbstractType<any> = type;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      while (top._item !== null) top = top._item.parent as Y.AbstractType<any>;
      const set = changed.get(top) ?? new Set();
      for (const k of top === type ? keys : [null]) set.add(k);
      changed.set(top, set);
    }
  });
  Y.applyUpdate(copy, update);
  const out: Touched = new Map();
  for (const [name, type] of copy.share) {
    const keys = changed.get(type);
    if (keys) out.set(name, new Map([...keys].map((k) => [k, []])));
  }
  copy.destroy();
  return out;
}

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
  /** An update proposed by a new client that has exactly what the room has (nothing pending in between). */
  const propose = (fn: (store: ExhibitionStore, doc: Y.Doc) => void): Uint8Array => {
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(room));
    const otherStore = new ExhibitionStore(other);
    const updates: Uint8Array[] = [];
    other.on("update", (u: Uint8Array) => updates.push(u));
    fn(otherStore, other);
    otherStore.destroy();
    return Y.mergeUpdates(updates);
  };
  return { room, client, store, edit, propose };
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

  it("refuses what an exhibition document never holds: nested types, other top-level types, gaps", () => {
    const { room, edit, client } = pair();
    const curator = { role: "curator" as const, user: "u1", museums: [] };
    const nestedMap = edit(() => client.getMap("items").set("x", new Y.Map()));
    expect(refusalOf(room, curator, nestedMap)).toMatch(/not part of an exhibition document/);
    expect(refusalOf(room, { role: "commenter", user: "u1", museums: [] }, nestedMap)).toMatch(/not part of an exhibition document/);
    const fresh = pair();
    expect(refusalOf(fresh.room, curator, fresh.propose((_s, d) => d.getMap("junk").set("a", 1)))).toMatch(/"junk" is not part of an exhibition document/);
    expect(refusalOf(fresh.room, curator, fresh.propose((_s, d) => d.getMap("comments").set("x", new Y.Text("hi"))))).toMatch(/not part of an exhibition document/);
    // An update that depends on one the server never got: Yjs would keep it pending in memory.
    const later = pair();
    later.edit(() => later.store.apply((d) => movePlacement(d, "p-teapot", { position: [1, 0, 1] })));
    const second = later.edit(() => later.store.apply((d) => movePlacement(d, "p-teapot", { position: [2, 0, 1] })));
    expect(refusalOf(later.room, curator, second)).toMatch(/has not received/);
  });

  it("enforces a museum's lock: its curators change the item, others only move it", () => {
    const { room, store, edit, propose } = pair();
    Y.applyUpdate(room, edit(() => store.apply((d) => updateItem(d, "teapot", { lockedBy: "cmoa" }))));
    const retitle = propose((s) => s.apply((d) => setText(d, { kind: "item", id: "teapot", field: "title" }, "en", "Mine")));
    const move = propose((s) => s.apply((d) => movePlacement(d, "p-teapot", { position: [0, 0, 0] })));
    const remove = propose((s) => s.apply((d) => removeItem(d, "teapot")));
    const other = { role: "curator" as const, user: "u2", museums: ["atrium"] };
    expect(refusalOf(room, other, retitle)).toMatch(/locked by cmoa/);
    expect(refusalOf(room, other, remove)).toMatch(/locked by cmoa/);
    expect(refusalOf(room, other, move)).toBeNull();
    expect(refusalOf(room, { ...other, museums: ["cmoa"] }, retitle)).toBeNull();
    expect(refusalOf(room, { ...other, role: "owner" }, retitle)).toBeNull();
  });
});

describe("what a writer may write", () => {
  const curator = { role: "curator" as const, user: "u2", museums: ["atrium"], name: "Bo" };
  const owner = { role: "owner" as const, user: "u1", museums: ["atrium"], name: "Ana" };

  it("refuses values that break the schema, naming the field, and stores nothing", () => {
    const { room, propose } = pair();
    const before = Y.encodeStateAsUpdate(room);
    const cases: [string, Uint8Array, RegExp][] = [
      ["museums not a list", propose((_s, d) => d.getMap("meta").set("museums", "everyone")), /meta\.museums/],
      ["title without text", propose((_s, d) => d.getMap("meta").set("title", {})), /meta\.title/],
      ["a placement without a position", propose((_s, d) => d.getMap("placements").set("p-x", { room: "tea-room", item: "teapot" })), /placements\.p-x\.position/],
      ["a room 1 km wide", propose((_s, d) => d.getMap("rooms").set("huge", { name: { en: "Huge" }, size: { w: 1000, d: 10, h: 3 }, walls: { colour: "#ffffff" }, floor: { colour: "#000000" } })), /rooms\.huge\.size\.w/],
      ["a bad record id", propose((_s, d) => d.getMap("placements").set("../x", { room: "tea-room", item: "teapot", position: [0, 0, 0] })), /malformed record id/],
      ["a tour step under another key", propose((_s, d) => d.getMap("tourSteps").set("s-a", { id: "s-b", room: "tea-room", camera: { position: [0, 1, 0], target: [0, 1, 1] } })), /its id must be its key/],
      ["a label of 30,000 characters", propose((_s, d) => d.getMap("meta").set("intro", { en: "x".repeat(30_000) })), /meta\.intro/],
      ["a removed list of languages", propose((_s, d) => d.getMap("meta").delete("languages")), /cannot be removed/],
      ["a title inside the header (an older page)", propose((_s, d) => d.getMap("meta").set("title", { en: "Old way" })), /meta\.title: written as text/],
      ["a room's name inside its record", propose((_s, d) => d.getMap("rooms").set("bowls", { ...(d.getMap("rooms").get("bowls") as object), name: { en: "X" } })), /rooms\.bowls\.name: written as text/],
      ["a text of 30,000 characters", propose((_s, d) => d.getText("text:items:teapot:description:en").insert(0, "x".repeat(30_000))), /items\.teapot\.description \(en\): must be at most 20000/],
      ["a text of a record that does not exist", propose((_s, d) => d.getText("text:items:ghost:title:en").insert(0, "Boo")), /items\.ghost\.title \(en\): no such record/],
      ["a text of a field that is not prose", propose((_s, d) => d.getText("text:items:teapot:creditLine:en").insert(0, "Gift of Mallory")), /not part of an exhibition document/],
      ["formatted text", propose((_s, d) => d.getText("text:items:teapot:title:en").format(0, 2, { bold: true })), /ContentFormat/],
      ["an embed in a text", propose((_s, d) => d.getText("text:items:teapot:title:en").insertEmbed(0, { img: "x" })), /ContentEmbed/],
      ["a theme with markup", propose((_s, d) => d.getMap("meta").set("themes", ["<b>tea</b>"])), /meta\.themes\.0/],
      ["thirteen themes", propose((_s, d) => d.getMap("meta").set("themes", Array.from({ length: 13 }, (_, i) => `t${i}`))), /meta\.themes: at most 12/],
      ["a lesson flag that is not yes or no", propose((_s, d) => d.getMap("meta").set("lesson", "yes")), /meta\.lesson/],
    ];
    for (const [what, u, reason] of cases) expect(refusalOf(room, owner, u), what).toMatch(reason);
    expect(Y.encodeStateAsUpdate(room)).toEqual(before);
  });

  it("keeps identity, ownership and publication to the server, and the museum list to the owner", () => {
    const { room, propose } = pair();
    for (const key of ["owner", "published", "id", "version", "type"])
      expect(refusalOf(room, owner, propose((_s, d) => d.getMap("meta").set(key, d.getMap("meta").get(key) === true ? false : { kind: "person", id: "mallory" }))), key).toMatch(/set by the server only/);
    const museums = tea().meta.museums;
    const dropped = propose((_s, d) => d.getMap("meta").set("museums", museums.slice(1)));
    const renamed = propose((_s, d) => d.getMap("meta").set("museums", [{ ...museums[0]!, name: { en: "Mallory's museum" } }, ...museums.slice(1)]));
    const added = propose((_s, d) => d.getMap("meta").set("museums", [...museums, { id: "smk", name: { en: "SMK" } }]));
    expect(refusalOf(room, curator, dropped)).toMatch(/only its owner may change or remove one/);
    expect(refusalOf(room, curator, renamed)).toMatch(/only its owner may change or remove one/);
    expect(refusalOf(room, curator, added)).toBeNull();
    expect(refusalOf(room, owner, dropped)).toBeNull();
  });

  it("leaves an item's credit, licences and lock to its institution's people, owner included", () => {
    const { room, propose } = pair();
    const institution = tea().items.teapot!.institution;
    const recredit = propose((s) => s.apply((d) => updateItem(d, "teapot", { creditLine: { en: "Gift of Mallory" } })));
    const relicense = propose((s) => s.apply((d) => updateItem(d, "teapot", { licences: { metadata: "CC0-1.0", thumbnail: "CC0-1.0", object: "All-Rights-Reserved" } })));
    const move = propose((_s, d) => d.getMap("items").set("teapot", { ...withoutProse("items", tea().items.teapot!), institution: "atrium" }));
    const lock = propose((s) => s.apply((d) => updateItem(d, "teapot", { lockedBy: institution })));
    for (const u of [recredit, relicense, lock]) {
      expect(refusalOf(room, curator, u)).toMatch(new RegExp(`belong to ${institution}`));
      expect(refusalOf(room, owner, u)).toMatch(new RegExp(`belong to ${institution}`));
      expect(refusalOf(room, { ...curator, museums: [institution] }, u)).toBeNull();
    }
    expect(refusalOf(room, { ...owner, museums: [institution] }, move)).toMatch(/keeps its institution/);
    // Texts stay the curators' to write.
    expect(refusalOf(room, curator, propose((s) => s.apply((d) => setText(d, { kind: "item", id: "teapot", field: "title" }, "en", "Teapot (Yixing)"))))).toBeNull();
  });

  it("signs comments with the account's own id and name; a commenter writes nothing else", () => {
    const { room, propose } = pair();
    const teacher = { role: "commenter" as const, user: "u3", museums: [], name: "Teacher Lin" };
    const mine = propose((_s, d) => addComment(d, { id: "c1", item: "teapot", author: "u3", authorName: "Teacher Lin", text: "Can students hold this?", at: 1 }));
    const official = propose((_s, d) => addComment(d, { id: "c2", item: "teapot", author: "u3", authorName: "Atrium (official)", text: "Closing soon", at: 1 }));
    const forged = propose((_s, d) => addComment(d, { id: "c3", item: "teapot", author: "u1", authorName: "Ana", text: "forged", at: 1 }));
    expect(refusalOf(room, teacher, mine)).toBeNull();
    expect(refusalOf(room, teacher, official)).toMatch(/account name/);
    expect(refusalOf(room, teacher, forged)).toMatch(/signed by its author/);
    expect(refusalOf(room, teacher, propose((s) => s.apply((d) => movePlacement(d, "p-teapot", { position: [0, 0, 0] }))))).toMatch(/may only comment/);
  });

  it("a reader's echo of what the room has is ignored, not refused; a reader's change is refused", () => {
    const { room, propose } = pair();
    const viewer = { role: "viewer" as const, user: null, museums: [] };
    const echo = Y.encodeStateAsUpdate(room);
    expect(judgeUpdate(room, viewer, echo).action).toBe("ignore");
    const deletion = propose((s) => s.apply((d) => removeItem(d, "teapot")));
    expect(judgeUpdate(room, viewer, deletion)).toMatchObject({ action: "refuse", reason: expect.stringMatching(/read-only/) });
  });
});
