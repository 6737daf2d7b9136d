import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { checkGltfBytes } from "../../src/viewer/gltf-check";
import { ROOT } from "../support/server";
import { FIXTURES } from "../support/fixtures";

const require = createRequire(import.meta.url);
const validator = require("gltf-validator") as {
  validateBytes(data: Uint8Array, options?: Record<string, unknown>): Promise<{ issues: { numErrors: number; messages: { code: string }[] } }>;
};

const INVALID = join(FIXTURES, "gltf-invalid");
const cases = readdirSync(INVALID, { recursive: true, encoding: "utf8" })
  .filter((f) => /\.(glb|gltf)$/.test(f))
  .sort();

/** Khronos' validator, which throws instead of reporting on some unreadable files. */
async function validate(bytes: Uint8Array, name: string): Promise<string[]> {
  try {
    // Without a format hint the validator sniffs the bytes and throws on a bad GLB magic.
    const report = await validator.validateBytes(bytes, { maxIssues: 20, format: name.endsWith(".gltf") ? "gltf" : "glb" });
    return report.issues.messages.filter((m) => (m as { severity?: number }).severity === 0).map((m) => m.code);
  } catch (e) {
    return [`THROWN: ${String(e)}`];
  }
}

describe("invalid glTF fixtures", () => {
  it("finds every fixture", () => {
    expect(cases).toEqual(["asset/invalid_version.gltf", "glb/invalid_json_chunk.glb", "glb/invalid_magic.glb", "glb/truncated_chunk_data.glb", "glb/valid.glb"]);
  });

  it.each(cases)("%s: the Khronos validator reports what its .report.json names", async (file) => {
    const expected = JSON.parse(readFileSync(join(INVALID, `${file}.report.json`), "utf8"));
    const codes = await validate(new Uint8Array(readFileSync(join(INVALID, file))), file);
    expect(codes).toEqual(expected.issues.messages.filter((m: { severity: number }) => m.severity === 0).map((m: { code: string }) => m.code));
  });

  const messages: Record<string, RegExp> = {
    "asset/invalid_version.gltf": /asset\.version "1\.0\.1-dev" is not a version like "2\.0"/,
    "glb/invalid_json_chunk.glb": /its JSON cannot be read/,
    "glb/invalid_magic.glb": /this is not a glTF file/,
    "glb/truncated_chunk_data.glb": /truncated/,
  };
  it.each(Object.keys(messages))("%s: Atrium's loader check refuses it in plain words", (file) => {
    const r = checkGltfBytes(readFileSync(join(INVALID, file)));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(messages[file]!);
  });

  it("accepts the valid control and every model the product ships", () => {
    expect(checkGltfBytes(readFileSync(join(INVALID, "glb/valid.glb")))).toEqual({ ok: true, container: "glb" });
    const models = readdirSync(join(ROOT, "models"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".glb"));
    expect(models.length).toBeGreaterThanOrEqual(9);
    for (const m of models) expect([m, checkGltfBytes(readFileSync(join(ROOT, "models", m)))]).toEqual([m, { ok: true, container: "glb" }]);
  });

  it("refuses empty and tiny files", () => {
    expect(checkGltfBytes(new Uint8Array())).toEqual({ ok: false, message: "the file is empty" });
    expect(checkGltfBytes(new Uint8Array([0x67, 0x6c]))).toMatchObject({ ok: false });
  });
});

describe("shipped models pass the Khronos validator", () => {
  const models = readdirSync(join(ROOT, "models"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".glb"));
  it.each(models)("%s has no validation errors", async (m) => {
    expect(await validate(new Uint8Array(readFileSync(join(ROOT, "models", m))), m)).toEqual([]);
  });
});
