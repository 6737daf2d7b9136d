import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { brokenPromise, makeTiers, TIER_PROMISES } from "../../server/assets/tiers";
import { gltfIO } from "../../server/gltf/io";
import { FIXTURES } from "../support/fixtures";
import { ApiSession } from "../support/api-session";
import { startServer } from "../support/server";
import { stubbornModel } from "../support/stubborn-model";

describe("quality tiers keep their promises", () => {
  it("a model the first try cannot thin gets a stronger fallback, and its stats say which", { timeout: 120_000 }, async () => {
    const glb = await stubbornModel();
    const tiers = await makeTiers(glb);
    expect(tiers.stats.high.triangles).toBe(12_000);
    for (const tier of ["thumb", "low"] as const) expect(brokenPromise(tier, tiers.stats[tier]), tier).toBeNull();
    expect(tiers.stats.thumb.triangles).toBeLessThanOrEqual(TIER_PROMISES.thumb.triangles);
    expect(tiers.stats.thumb.bytes).toBeLessThanOrEqual(TIER_PROMISES.thumb.bytes);
    expect(tiers.stats.thumb.fallback).toMatch(/simplification/);
    // Never a "lighter" tier heavier than the upload: its noise textures compress worse as WebP,
    // so the low tier is the original itself (already within the low tier's limits).
    for (const tier of ["thumb", "low"] as const) expect(tiers.stats[tier].bytes, tier).toBeLessThanOrEqual(tiers.stats.high.bytes);
    expect(tiers.stats.low.fallback).toMatch(/the original/);
    // The stored thumb is what the stats say (read back, not taken on trust).
    const back = await (await gltfIO()).readBinary(tiers.files.thumb);
    const triangles = back
      .getRoot()
      .listMeshes()
      .flatMap((m) => m.listPrimitives())
      .reduce((a, p) => a + (p.getIndices()?.getCount() ?? p.getAttribute("POSITION")!.getCount()) / 3, 0);
    expect(triangles).toBe(tiers.stats.thumb.triangles);
    expect(tiers.files.thumb.byteLength).toBe(tiers.stats.thumb.bytes);
  });

  it("the real scans keep them at the first try", { timeout: 120_000 }, async () => {
    for (const file of ["museum-3d/whale/whale_mandible_draco.glb", "museum-3d/astronaut/astronaut.glb"]) {
      const tiers = await makeTiers(new Uint8Array(readFileSync(join(FIXTURES, file))));
      for (const tier of ["thumb", "low"] as const) {
        expect(brokenPromise(tier, tiers.stats[tier]), `${file} ${tier}`).toBeNull();
        expect(tiers.stats[tier].fallback, `${file} ${tier}`).toBeUndefined();
      }
    }
  });

  it("an upload whose tiers needed the fallback reports it in its job; the catalogue names the thinner tiers", { timeout: 120_000 }, async () => {
    const server = await startServer();
    try {
      const uploader = await ApiSession.signUpOn(server, "registrar@museum.test", "Registrar");
      const r = await uploader.upload("/api/assets?title=Many%20fragments&licence=CC0-1.0", await stubbornModel());
      expect(r.status).toBe(201);
      await server.jobs.idle();
      const job = (await uploader.call("GET", r.body.job)).body;
      expect(job.status).toBe("done");
      expect(job.result.tiers.thumb.fallback).toMatch(/simplification/);
      expect(job.result.tiers.thumb.bytes).toBeLessThanOrEqual(TIER_PROMISES.thumb.bytes);
    } finally {
      await server.close();
    }
  });
});
