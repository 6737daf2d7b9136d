import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadOutcome } from "../harness/loader-harness";
import { launchChromium } from "../support/browser";
import { ROOT } from "../support/server";
import { FIXTURES } from "../support/fixtures";

/**
 * Real glTF files through the app's real loader (GLTFLoader + vendored Draco/Meshopt/KTX2
 * decoders) in real Chromium. Vite serves the harness page and, via /@fs/, the third-party fixtures.
 */
const fx = (p: string) => `/@fs${join(FIXTURES, p)}`;

let vite: ViteDevServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  vite = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: "error",
    server: { host: "127.0.0.1", port: 0, fs: { allow: [ROOT, FIXTURES] }, hmr: false },
  });
  await vite.listen();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on("pageerror", (e) => console.error(`[harness] ${e.message}`));
  await page.goto(`${vite.resolvedUrls!.local[0]}test/harness/loader.html`);
  await page.waitForFunction(() => document.body.dataset.harnessReady === "true", null, { timeout: 60_000 });
});
afterAll(async () => {
  await browser?.close();
  await vite?.close();
});

const load = (url: string) => page.evaluate((u) => (window as unknown as { loadFixture(u: string): Promise<LoadOutcome> }).loadFixture(u), url);

describe("glTF loading in the browser", () => {
  it("decodes a Draco-compressed multi-file .gltf (2CylinderEngine)", async () => {
    const r = await load(fx("gltf/2CylinderEngine/glTF-Draco/2CylinderEngine.gltf"));
    expect(r).toMatchObject({ ok: true, extensionsUsed: expect.arrayContaining(["KHR_draco_mesh_compression"]) });
    if (!r.ok) return;
    expect(r.meshes).toBeGreaterThanOrEqual(29);
    expect(r.triangles).toBeGreaterThan(60_000);
  });

  it("decodes a Draco .glb museum scan to the same triangles as its plain twin", async () => {
    const draco = await load(fx("museum-3d/whale/whale_cranium_draco.glb"));
    const plain = await load(fx("museum-3d/whale/whale_cranium.glb"));
    expect(draco.ok && plain.ok).toBe(true);
    if (!draco.ok || !plain.ok) return;
    expect(draco.triangles).toBe(plain.triangles);
    expect(draco.textures).toBe(plain.textures);
    expect(draco.extensionsUsed).toContain("KHR_draco_mesh_compression");
  });

  it("resolves the .bin and texture of a multi-file .gltf (BoxTextured)", async () => {
    expect(await load(fx("gltf/BoxTextured/glTF/BoxTextured.gltf"))).toMatchObject({ ok: true, meshes: 1, triangles: 12, textures: 1 });
  });

  it("loads a skinned, animated character with its clips (Fox)", async () => {
    expect(await load(fx("gltf/Fox/glTF-Binary/Fox.glb"))).toMatchObject({ ok: true, skinnedMeshes: 1, animations: ["Survey", "Walk", "Run"] });
  });

  it("loads morph targets (AnimatedMorphCube)", async () => {
    const r = await load(fx("gltf/AnimatedMorphCube/glTF/AnimatedMorphCube.gltf"));
    expect(r).toMatchObject({ ok: true, morphTargets: 2 });
  });

  it("loads a PBR model with many textures (FlightHelmet)", async () => {
    const r = await load(fx("gltf/FlightHelmet/glTF/FlightHelmet.gltf"));
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.textures).toBeGreaterThanOrEqual(15);
  });

  it.each([
    ["gltf-invalid/glb/invalid_magic.glb", /this is not a glTF file/],
    ["gltf-invalid/glb/truncated_chunk_data.glb", /truncated/],
    ["gltf-invalid/glb/invalid_json_chunk.glb", /its JSON cannot be read/],
    ["gltf-invalid/asset/invalid_version.gltf", /asset\.version "1\.0\.1-dev"/],
  ])("refuses %s with a clear message naming the file", async (file, reason) => {
    const r = await load(fx(file));
    expect(r).toMatchObject({ ok: false, name: "ModelLoadError" });
    if (r.ok) return;
    expect(r.message.startsWith(fx(file))).toBe(true);
    expect(r.message).toMatch(reason);
  });

  it("parses the valid control file, and says it has nothing to show (it holds only an asset header)", async () => {
    expect(await load(fx("gltf-invalid/glb/valid.glb"))).toMatchObject({
      ok: false,
      name: "ModelLoadError",
      message: expect.stringMatching(/is a valid glTF file but contains no scene to show$/),
    });
  });

  it("refuses an HTML page served in place of a model (a dev server's fallback)", async () => {
    expect(await load(fx("gltf/does-not-exist.glb"))).toMatchObject({ ok: false, name: "ModelLoadError", message: expect.stringMatching(/this is not a glTF file/) });
  });
});
