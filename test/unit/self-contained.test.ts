import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../support/fixtures";
import { ROOT } from "../support/server";

/**
 * A fresh clone, with nothing beside it, passes `npm test` (issue 17): the third-party fixtures
 * are in the repository, intact, licensed, and no test, benchmark or script reads outside it.
 */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe("self-contained tests", () => {
  it("has every third-party fixture byte for byte as SHA256SUMS lists it, and a licence for it", () => {
    const sums = readFileSync(join(FIXTURES, "SHA256SUMS"), "utf8").trim().split("\n").map((l) => l.split(/\s+/) as [string, string]);
    expect(sums.length).toBeGreaterThan(50);
    for (const [sum, name] of sums) expect([name, createHash("sha256").update(readFileSync(join(FIXTURES, name))).digest("hex")]).toEqual([name, sum]);
    const listed = new Set(sums.map(([, name]) => name.replace(/^\.\//, "")));
    const present = files(FIXTURES).map((f) => relative(FIXTURES, f)).filter((f) => f !== "SHA256SUMS" && f !== "LICENSES.md");
    expect(present.filter((f) => !listed.has(f))).toEqual([]);
    expect(readFileSync(join(FIXTURES, "LICENSES.md"), "utf8")).toMatch(/provenance and licences/);
  });

  it("reads nothing outside the repository from tests, benchmarks, scripts or CI", () => {
    const sources = ["test", "bench", "scripts", ".ci", "server", "src"].flatMap((d) => files(join(ROOT, d))).filter((f) => /\.(ts|tsx|sh|mjs|js)$|\/run$/.test(f) && !f.includes("third-party"));
    // The fixtures' old place beside the repository, or any path that climbs out of its root.
    const outside = sources.filter((f) => /shared\/fixtures|\b(ROOT|root), "\.\.\//.test(readFileSync(f, "utf8")) && !f.endsWith("self-contained.test.ts"));
    expect(outside.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
