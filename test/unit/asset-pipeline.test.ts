import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { strToU8, zipSync, type Zippable } from "fflate";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiSession } from "../support/api-session";
import { documentedAnswers } from "../support/openapi";
import { startServer } from "../support/server";
import { FIXTURES } from "../support/fixtures";

/**
 * The asset pipeline through the real HTTP API: models as zips of glTF + buffers + textures
 * (Khronos samples, packed by gltf-pipeline), Draco scans, zip bombs and hostile names, the
 * streaming size limit, and the poster picture the processing job draws.
 */
const require = createRequire(import.meta.url);
const validator = require("gltf-validator") as { validateBytes(data: Uint8Array, options?: Record<string, unknown>): Promise<{ issues: { numErrors: number }; info: { totalTriangleCount?: number } }> };
let server: Awaited<ReturnType<typeof startServer>>;
let registrar: ApiSession;
const uploadsDir = mkdtempSync(join(tmpdir(), "atrium-assets-"));

/** A zip of every file in a fixture folder, under a top folder as people zip things. */
function zipFolder(dir: string, top = "model"): Uint8Array {
  const files: Zippable = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const path = join(dir, f);
    try {
      files[`${top}/${relative(dir, path)}`] = readFileSync(path);
    } catch {
      /* a folder */
    }
  }
  return zipSync(files);
}

/** Overwrites the uncompressed size of the zip's first entry, in its local and central headers. */
function lieAboutSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  view.setUint32(22, size, true); // local file header: uncompressed size
  for (let i = out.length - 22; i >= 0; i--)
    if (view.getUint32(i, true) === 0x06054b50) {
      const central = view.getUint32(i + 16, true);
      view.setUint32(central + 24, size, true); // central directory: uncompressed size
      break;
    }
  return out;
}

let big: Uint8Array, dense: Uint8Array;
beforeAll(async () => {
  // The bombs are built before any request: zipping 300 MB blocks this process (and the in-process
  // server) for seconds, which would race the HTTP client's idle keep-alive sockets.
  // 300 MB of zeros deflates to about 300 kB: over the 160 MB unpacked limit.
  big = zipSync({ "m.gltf": strToU8("{}"), "zeros.bin": new Uint8Array(300 * 1024 * 1024) }, { level: 1 });
  dense = zipSync({ "m.gltf": strToU8("{}"), "zeros.bin": new Uint8Array(20 * 1024 * 1024) });
  server = await startServer({ uploadsDir });
  registrar = await ApiSession.signUpOn(server, "registrar@museum.test", "Registrar");
}, 60_000);
afterAll(async () => {
  await server.jobs.idle();
  await server.close();
});

describe("zip uploads", () => {
  it("packs a glTF with its .bin and texture into one valid GLB (BoxTextured)", async () => {
    const r = await registrar.upload("/api/assets?title=Textured%20box&licence=CC-BY-4.0", zipFolder(join(FIXTURES, "gltf/BoxTextured/glTF")), "application/zip");
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.url).toMatch(/^\/uploads\/[0-9a-f]{64}\.glb$/);
    const glb = new Uint8Array(await (await registrar.get(r.body.url!)).arrayBuffer());
    expect(new TextDecoder().decode(glb.subarray(0, 4))).toBe("glTF");
    const report = await validator.validateBytes(glb, { format: "glb" });
    expect(report.issues.numErrors).toBe(0);
    expect(report.info.totalTriangleCount).toBe(12);
    // The texture travelled inside the GLB: the zip's PNG bytes are in it.
    const png = readFileSync(join(FIXTURES, "gltf/BoxTextured/glTF/CesiumLogoFlat.png"));
    expect(Buffer.from(glb).indexOf(png.subarray(0, 64))).toBeGreaterThan(0);
  });

  it("packs a PBR model with fifteen textures (FlightHelmet) and makes its tiers and poster", async () => {
    const r = await registrar.upload("/api/assets?title=Flight%20helmet&licence=CC0-1.0", zipFolder(join(FIXTURES, "gltf/FlightHelmet/glTF"), "FlightHelmet"), "application/zip");
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.job).toBe(`/api/assets/jobs/${r.body.entry.id}`);
    await server.jobs.idle();
    const job = (await registrar.call("GET", r.body.job)).body;
    expect(job.status, job.error).toBe("done");
    const api = await documentedAnswers(server);
    api.check("/api/assets", "post", "201", r.body);
    api.check("/api/assets/jobs/{id}", "get", "200", job);
    expect(job.result.tiers.high.textures).toBe(15);
    expect(job.result.tiers.thumb.bytes).toBeLessThan(200 * 1024);
    const entry = (await registrar.call("GET", `/api/catalogue/${r.body.entry.id}`)).body;
    expect(entry.item.asset.poster).toMatch(/^\/uploads\/[0-9a-f]{64}\.webp$/);
    const poster = await registrar.get(entry.item.asset.poster!);
    expect(poster.headers.get("content-type")).toBe("image/webp");
    const { data, info } = await sharp(Buffer.from(await poster.arrayBuffer())).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([256, 256]);
    // A picture of something: a good share of opaque pixels, with more than one shade among them.
    let opaque = 0;
    const shades = new Set<number>();
    for (let i = 0; i < data.length; i += 4)
      if (data[i + 3]! > 200) {
        opaque++;
        shades.add(data[i]! >> 4);
      }
    expect(opaque / (256 * 256)).toBeGreaterThan(0.1);
    expect(shades.size).toBeGreaterThan(3);
  }, 60_000);

  it("accepts a Draco-compressed glTF in a zip and a Draco GLB scan", async () => {
    const engine = await registrar.upload("/api/assets?title=Engine&licence=CC-BY-4.0", zipFolder(join(FIXTURES, "gltf/2CylinderEngine/glTF-Draco")), "application/zip");
    expect(engine.status, JSON.stringify(engine.body)).toBe(201);
    const whale = await registrar.upload("/api/assets?title=Whale%20cranium&licence=CC0-1.0", readFileSync(join(FIXTURES, "museum-3d/whale/whale_cranium_draco.glb")));
    expect(whale.status, JSON.stringify(whale.body)).toBe(201);
    expect(whale.body.entry.item.dimensions.height).toBeGreaterThan(10);
  }, 60_000);

  it("refuses a zip whose glTF refers to a file it does not contain, or to the network", async () => {
    const dir = join(FIXTURES, "gltf/BoxTextured/glTF");
    const gltf = readFileSync(join(dir, "BoxTextured.gltf"));
    const missing = await registrar.upload("/api/assets?title=Missing", zipSync({ "BoxTextured.gltf": gltf, "BoxTextured0.bin": readFileSync(join(dir, "BoxTextured0.bin")) }), "application/zip");
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatch(/CesiumLogoFlat\.png.*not in the zip/);
    const remote = JSON.parse(gltf.toString("utf8"));
    remote.images[0].uri = "https://example.org/logo.png";
    const r = await registrar.upload("/api/assets?title=Remote", zipSync({ "m.gltf": strToU8(JSON.stringify(remote)), "BoxTextured0.bin": readFileSync(join(dir, "BoxTextured0.bin")) }), "application/zip");
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/https:\/\/example\.org\/logo\.png: only files inside the zip are used/);
    const none = await registrar.upload("/api/assets?title=Nothing", zipSync({ "readme.txt": strToU8("hello") }), "application/zip");
    expect(none.body.error).toMatch(/no \.gltf file/);
  });

  it("reports the validator's findings about the files in the zip, named as the registrar named them", async () => {
    // Khronos' invalid-asset sample, zipped as a registrar would: the findings are those of its
    // expected report, with the file they are about, not those of a GLB packed from it.
    const dir = join(FIXTURES, "gltf-invalid/asset");
    const expected = JSON.parse(readFileSync(join(dir, "invalid_version.gltf.report.json"), "utf8")).issues.messages.filter((m: { severity: number }) => m.severity === 0);
    const r = await registrar.upload("/api/assets?title=Invalid%20version", zipSync({ "scan/invalid_version.gltf": readFileSync(join(dir, "invalid_version.gltf")) }), "application/zip");
    expect(r.status).toBe(422);
    expect(r.body.error).toContain("in scan/invalid_version.gltf");
    expect(r.body.findings.map((f: { code: string; pointer?: string; file?: string }) => [f.code, f.pointer, f.file])).toEqual(expected.map((m: { code: string; pointer: string }) => [m.code, m.pointer, "scan/invalid_version.gltf"]));
    // A GLB in a zip: the findings of that GLB, named.
    const glbDir = join(FIXTURES, "gltf-invalid/glb");
    const glbExpected = JSON.parse(readFileSync(join(glbDir, "invalid_json_chunk.glb.report.json"), "utf8")).issues.messages.filter((m: { severity: number }) => m.severity === 0);
    const g = await registrar.upload("/api/assets?title=Broken%20GLB", zipSync({ "broken.glb": readFileSync(join(glbDir, "invalid_json_chunk.glb")) }), "application/zip");
    expect(g.status).toBe(422);
    expect(g.body.findings[0]).toMatchObject({ code: glbExpected[0].code, file: "broken.glb" });
    (await documentedAnswers(server)).check("/api/assets", "post", "422", g.body);
  });

  it("refuses names that climb out of the archive", async () => {
    const traversal = zipSync({ "model.gltf": strToU8("{}"), "x/../../etc/passwd": strToU8("root") });
    const r = await registrar.upload("/api/assets?title=Traversal", traversal, "application/zip");
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/path|relative/i);
    const viaUri = readFileSync(join(FIXTURES, "gltf/BoxTextured/glTF/BoxTextured.gltf"), "utf8").replace("BoxTextured0.bin", "../../secret.bin");
    const r2 = await registrar.upload("/api/assets?title=Traversal", zipSync({ "a/m.gltf": strToU8(viaUri) }), "application/zip");
    expect(r2.status).toBe(422);
    expect(r2.body.error).toMatch(/not in the zip/);
  });

  it("refuses zip bombs: by declared size, by compression ratio, and when an entry lies about its size", async () => {
    expect(big.byteLength).toBeLessThan(2 * 1024 * 1024);
    const r = await registrar.upload("/api/assets?title=Bomb", big, "application/zip");
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/more than 160 MB/);
    const r2 = await registrar.upload("/api/assets?title=Dense", dense, "application/zip");
    expect(r2.status).toBe(422);
    expect(r2.body.error).toMatch(/zip bomb/);
    // An entry that says 100 bytes but inflates to 1 MB is stopped while inflating.
    const liar = lieAboutSize(zipSync({ "sevens.bin": new Uint8Array(1024 * 1024).fill(7) }, { level: 6 }), 100);
    const r3 = await registrar.upload("/api/assets?title=Liar", liar, "application/zip");
    expect(r3.status).toBe(422);
    expect(r3.body.error).toMatch(/more than it declares|too many bytes/);
  });
});

describe("streaming uploads", () => {
  it("streams a 60 MB body to disk and refuses one over the limit without buffering it", async () => {
    // Real scan + padding is not a valid GLB; what is checked here is the size rule on a streamed body.
    const over = new Uint8Array(65 * 1024 * 1024);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < over.length; i += 1024 * 1024) c.enqueue(over.subarray(i, i + 1024 * 1024));
        c.close();
      },
    });
    // Waiting for the disk 64 times must not pile up listeners on the file stream (it did: a
    // MaxListenersExceededWarning, and a leak, on every large upload).
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    // No content-length (chunked): the limit is enforced while the bytes arrive.
    const res = await fetch(`${server.url}/api/assets?title=Huge`, { method: "POST", headers: { cookie: registrar.cookie }, body: stream, duplex: "half" } as RequestInit);
    process.off("warning", onWarning);
    expect(warnings.filter((w) => w === "MaxListenersExceededWarning")).toEqual([]);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/larger than 64 MB/);
    // Nothing is left behind in the incoming folder.
    expect(readdirSync(join(uploadsDir, "incoming"))).toEqual([]);
  });
});
