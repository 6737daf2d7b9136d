import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXHIBITION_VERSION, MIGRATIONS, migrateToCurrent, parseExhibition } from "../../src/shared/exhibition";
import { ROOT } from "../support/server";

const FIXTURE = join(ROOT, "test/fixtures/exhibitions/v1-tea-room.json");

describe("migrations", () => {
  it("keeps the v1 fixture frozen (add a new fixture for a new version; never edit this one)", () => {
    const sha = createHash("sha256").update(readFileSync(FIXTURE)).digest("hex");
    expect(sha).toBe("9d6bc34628cd9b1130dd16bb612313c9a0eab8cc41f3b5319939eb635c97768b");
  });

  it("has a migration for every older version", () => {
    for (let v = 1; v < EXHIBITION_VERSION; v++) expect(typeof MIGRATIONS[v]).toBe("function");
  });

  it("reads a v1 document as the current version", () => {
    const raw = JSON.parse(readFileSync(FIXTURE, "utf8"));
    const r = parseExhibition(raw, "v1-tea-room.json");
    expect(r.ok ? r.migratedFrom : r.error.message).toBe(1);
    if (!r.ok) return;
    expect(r.doc.version).toBe(EXHIBITION_VERSION);
    expect(r.doc.items["bowl"]!.licences).toEqual({ metadata: "CC0-1.0", thumbnail: "CC0-1.0", object: "CC0-1.0" });
    expect(r.doc.items["bowl"]!.asset).toEqual({ kind: "model", tiers: { high: "/models/tea/tenmoku-bowl.glb" }, unitsPerMeter: 1 });
    expect(r.doc.placements["p1"]!.rotation).toEqual([0, 1.5, 0]);
    expect("rotationY" in r.doc.placements["p1"]!).toBe(false);
    expect("licence" in r.doc.items["bowl"]!).toBe(false);
  });

  it("is pure: the input is not modified", () => {
    const raw = JSON.parse(readFileSync(FIXTURE, "utf8"));
    const before = structuredClone(raw);
    migrateToCurrent(raw);
    expect(raw).toEqual(before);
  });

  it("says a field problem found after migrating came from an old version", () => {
    const raw = JSON.parse(readFileSync(FIXTURE, "utf8"));
    raw.items.bowl.licence = "free";
    const r = parseExhibition(raw, "old.json");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.problems[0]!.field).toBe("items.bowl.licences.metadata");
    if (!r.ok) expect(r.error.problems[0]!.message).toMatch(/\(after migrating from version 1\)$/);
  });
});
