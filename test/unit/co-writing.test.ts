import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ExhibitionStore, UndoHistory } from "../../src/collab";
import { coTextName, mapThroughSplice, parseCoTextName, textSplice } from "../../src/shared/collab/co-texts";
import { layoutMigration, readExhibition, writeExhibition } from "../../src/shared/collab/exhibition-ydoc";
import { EXHIBITION_VERSION, parseExhibitionText, setText, type Exhibition } from "../../src/shared/exhibition";
import { ROOT } from "../support/server";

const V2_YDOC = join(ROOT, "test/fixtures/exhibitions/v2-ydoc-tea.bin");
const V2_JSON = join(ROOT, "test/fixtures/exhibitions/v2-ydoc-tea.json");

function tea(): Exhibition {
  const r = parseExhibitionText(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8"), "tea");
  if (!r.ok) throw new Error(r.error.message);
  return r.doc;
}

/** A seeded random number generator (mulberry32), so a failing interleaving can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("text splices", () => {
  it("finds the one edit between two texts", () => {
    expect(textSplice("tea bowl", "tea bowl")).toBeNull();
    expect(textSplice("tea bowl", "tea  bowl")).toEqual({ index: 4, remove: 0, insert: " " });
    expect(textSplice("茶碗", "天目茶碗")).toEqual({ index: 0, remove: 0, insert: "天目" });
    expect(textSplice("a kettle", "a pot")).toEqual({ index: 2, remove: 6, insert: "pot" });
  });

  it("never splits a surrogate pair", () => {
    // U+2A6A5 and U+2A6A6 share their high surrogate: the splice takes the whole character.
    const s = textSplice("x\u{2A6A5}y", "x\u{2A6A6}y")!;
    expect(s).toEqual({ index: 1, remove: 2, insert: "\u{2A6A6}" });
    const e = textSplice("🍵", "🍵🍵")!;
    expect(e.insert).toBe("🍵");
  });

  it("carries a caret over a splice", () => {
    const s = { index: 2, remove: 1, insert: "abc" };
    expect(mapThroughSplice(1, s)).toBe(1);
    expect(mapThroughSplice(5, s)).toBe(7);
    expect(mapThroughSplice(3, s)).toBe(5);
  });

  it("names texts so the server can read what they belong to", () => {
    expect(parseCoTextName(coTextName("items", "bowl", "description", "zh-Hant"))).toEqual({ map: "items", id: "bowl", field: "description", lang: "zh-Hant" });
    expect(parseCoTextName("text:items:bowl:creditLine:en")).toBeNull();
    expect(parseCoTextName("text:meta:other:title:en")).toBeNull();
    expect(parseCoTextName("text:items:../x:title:en")).toBeNull();
  });
});

describe("document layout, version 3", () => {
  it("writes prose as Y.Texts and reads the same document back", () => {
    const doc = tea();
    const ydoc = new Y.Doc();
    writeExhibition(ydoc, doc);
    expect(readExhibition(ydoc)).toEqual(doc);
    const bowl = Object.keys(doc.items)[0]!;
    expect(ydoc.getMap("items").get(bowl)).not.toHaveProperty("title");
    expect(ydoc.getText(coTextName("items", bowl, "title", "en")).toString()).toBe(doc.items[bowl]!.title.en);
    expect(ydoc.getMap("meta").get("version")).toBe(3);
  });

  it("keeps the frozen version-2 Y.Doc (add a new fixture for a new version; never edit this one)", () => {
    const sha = createHash("sha256").update(readFileSync(V2_YDOC)).digest("hex");
    expect(sha).toBe(FROZEN_V2_SHA);
  });

  it("migrates a stored version-2 Y.Doc: the same document, its texts in Y.Texts, the same update from two processes", () => {
    const stored = new Uint8Array(readFileSync(V2_YDOC));
    const expected = JSON.parse(readFileSync(V2_JSON, "utf8")) as Exhibition;
    const a = new Y.Doc();
    Y.applyUpdate(a, stored);
    expect(a.getMap("meta").get("version")).toBe(2);
    expect(a.getMap("items").get("tenmoku-bowl")).toHaveProperty("title");
    const before = Y.encodeStateAsUpdate(a);
    const m1 = layoutMigration(a, "tea-and-its-vessels")!;
    expect(Y.encodeStateAsUpdate(a)).toEqual(before); // pure: the document is not changed
    const b = new Y.Doc();
    Y.applyUpdate(b, stored);
    const m2 = layoutMigration(b, "tea-and-its-vessels")!;
    expect(m2).toEqual(m1);
    Y.applyUpdate(a, m1);
    Y.applyUpdate(a, m2); // a second process's copy: applied once
    expect(readExhibition(a)).toEqual({ ...expected, version: EXHIBITION_VERSION });
    for (const [id, rec] of a.getMap("items").entries()) {
      expect(rec, id).not.toHaveProperty("title");
      expect(rec, id).not.toHaveProperty("description");
    }
    expect(a.getMap("meta").has("title")).toBe(false);
    expect(a.getText(coTextName("meta", "show", "title", "zh-Hant")).toString()).toBe(expected.meta.title["zh-Hant"]);
    expect(layoutMigration(a, "tea-and-its-vessels")).toBeNull();
  });

  it("migrates a version-2 file as the same JSON", () => {
    const r = parseExhibitionText(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8"), "tea");
    expect(r.ok && r.migratedFrom).toBe(2);
  });
});

describe("co-writing", () => {
  /** Two (or more) pages of one show, exchanging updates only when told to. */
  function pages(n: number) {
    const base = new Y.Doc();
    writeExhibition(base, tea());
    const state = Y.encodeStateAsUpdate(base);
    return Array.from({ length: n }, () => {
      const ydoc = new Y.Doc();
      Y.applyUpdate(ydoc, state);
      const store = new ExhibitionStore(ydoc);
      const outbox: Uint8Array[] = [];
      ydoc.on("update", (u: Uint8Array, origin: unknown) => origin !== "remote" && outbox.push(u));
      return { store, outbox };
    });
  }

  it("two people typing into the same description at once both keep every character, in any interleaving", () => {
    for (let seed = 1; seed <= 25; seed++) {
      const rnd = random(seed);
      const [a, b] = pages(2);
      const target = { kind: "item" as const, id: "tenmoku-bowl", field: "description" as const };
      const words = { a: "Hare's fur glaze.", b: "兔毫釉，黑釉茶碗。" };
      const typed = { a: 0, b: 0 };
      // Each types at the end of their own words: A after the English text, B at the start (a different spot).
      const deliver = (from: typeof a, to: typeof a) => {
        for (const u of from!.outbox.splice(0)) Y.applyUpdate(to!.store.ydoc, u, "remote");
      };
      while (typed.a < words.a.length || typed.b < words.b.length) {
        const r = rnd();
        if (r < 0.35 && typed.a < words.a.length) {
          const now = a!.store.getSnapshot().items["tenmoku-bowl"]!.description.en ?? "";
          a!.store.apply((d) => setText(d, target, "en", now + words.a[typed.a++]));
        } else if (r < 0.7 && typed.b < words.b.length) {
          const now = b!.store.getSnapshot().items["tenmoku-bowl"]!.description.en ?? "";
          const at = [...words.b.slice(0, typed.b)].join("").length; // B's caret: after what B typed so far
          b!.store.apply((d) => setText(d, target, "en", now.slice(0, at) + words.b[typed.b++] + now.slice(at)));
        } else if (r < 0.85) deliver(a, b);
        else deliver(b, a);
      }
      deliver(a, b);
      deliver(b, a);
      const textA = a!.store.getSnapshot().items["tenmoku-bowl"]!.description.en!;
      const textB = b!.store.getSnapshot().items["tenmoku-bowl"]!.description.en!;
      expect(textA, `seed ${seed}`).toBe(textB);
      expect(textA.startsWith(words.b), `seed ${seed}: ${textA}`).toBe(true);
      expect(textA.includes(words.a), `seed ${seed}: ${textA}`).toBe(true);
    }
  });

  it("two languages of one label are separate texts: writing zh-Hant never touches en", () => {
    const [a, b] = pages(2);
    const target = { kind: "item" as const, id: "tenmoku-bowl", field: "title" as const };
    const en = a!.store.getSnapshot().items["tenmoku-bowl"]!.title.en!;
    a!.store.apply((d) => setText(d, target, "en", en + " (Song)"));
    b!.store.apply((d) => setText(d, target, "zh-Hant", "建窯兔毫盞"));
    for (const u of a!.outbox.splice(0)) Y.applyUpdate(b!.store.ydoc, u, "remote");
    for (const u of b!.outbox.splice(0)) Y.applyUpdate(a!.store.ydoc, u, "remote");
    for (const p of [a!, b!]) expect(p.store.getSnapshot().items["tenmoku-bowl"]!.title).toMatchObject({ en: en + " (Song)", "zh-Hant": "建窯兔毫盞" });
  });

  it("a typed character is a small update, and records not typed in keep their identity", () => {
    const [a] = pages(1);
    const before = a!.store.getSnapshot();
    const target = { kind: "item" as const, id: "tenmoku-bowl", field: "description" as const };
    a!.store.apply((d) => setText(d, target, "en", (d.items["tenmoku-bowl"]!.description.en ?? "") + "x"));
    const update = a!.outbox.at(-1)!;
    expect(update.byteLength).toBeLessThan(80);
    const after = a!.store.getSnapshot();
    expect(after.items["tenmoku-bowl"]).not.toBe(before.items["tenmoku-bowl"]);
    for (const id of Object.keys(before.items)) if (id !== "tenmoku-bowl") expect(after.items[id], id).toBe(before.items[id]);
    expect(after.rooms).toEqual(before.rooms);
    expect(after.meta).toBe(before.meta);
  });

  it("a keystroke never rewrites a record whose fields were stored with their keys in another order than the schema's", () => {
    // As a record imported or written by another build may be: the same values, keys reversed.
    const doc = tea();
    const bowl = doc.items["tenmoku-bowl"]!;
    const reversed = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).reverse()) as T;
    const shuffled = { ...doc, items: { ...doc.items, "tenmoku-bowl": reversed({ ...bowl, licences: reversed(bowl.licences), asset: reversed(bowl.asset) }) } };
    const ydoc = new Y.Doc();
    writeExhibition(ydoc, shuffled);
    const store = new ExhibitionStore(ydoc);
    const sent: Uint8Array[] = [];
    ydoc.on("update", (u: Uint8Array) => sent.push(u));
    const target = { kind: "item" as const, id: "tenmoku-bowl", field: "description" as const };
    store.apply((d) => setText(d, target, "en", (d.items["tenmoku-bowl"]!.description.en ?? "") + "x"));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.byteLength).toBeLessThan(80); // the character, not the record again
  });

  it("undo is per user: undoing my typing leaves my co-writer's words", () => {
    const [a, b] = pages(2);
    const undoA = new UndoHistory(a!.store, "a", 0);
    const target = { kind: "annotation" as const, id: Object.keys(a!.store.getSnapshot().annotations)[0]! };
    const start = a!.store.getSnapshot().annotations[target.id]!.text.en!;
    a!.store.apply((d) => setText(d, target, "en", start + " A"), "a");
    for (const u of a!.outbox.splice(0)) Y.applyUpdate(b!.store.ydoc, u, "remote");
    b!.store.apply((d) => setText(d, target, "en", "B " + d.annotations[target.id]!.text.en), "b");
    for (const u of b!.outbox.splice(0)) Y.applyUpdate(a!.store.ydoc, u, "remote");
    expect(a!.store.getSnapshot().annotations[target.id]!.text.en).toBe(`B ${start} A`);
    expect(undoA.undo()).toBe(true);
    expect(a!.store.getSnapshot().annotations[target.id]!.text.en).toBe(`B ${start}`);
    // A text made by A's first write (a new language) is in A's undo too.
    a!.store.apply((d) => setText(d, target, "ja", "天目"), "a");
    expect(undoA.undo()).toBe(true);
    expect(a!.store.getSnapshot().annotations[target.id]!.text.ja).toBeUndefined();
  });
});

const FROZEN_V2_SHA = "9b505f7ecce96acc31954fe0cce1be73fce492bab792ace85b7d50ee328ffba0";
