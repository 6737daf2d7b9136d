import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { request } from "node:http";
import { join } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compressModels } from "../../scripts/compress-dist";
import { ROOT, startServer } from "../support/server";

/** A GET as the bytes on the wire (fetch() would decode them transparently). */
function rawGet(url: string, acceptEncoding: string): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => ok({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", fail);
    req.end();
  });
}

/** The built app as `npm start` serves it: deep links, compression, caching. */
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

describe("serving the built app", () => {
  it("answers deep links with the app page", async () => {
    const res = await fetch(`${server.url}/visit/tea-and-its-vessels?room=brewing`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root"></div>');
  });

  it("sends the app bundle Brotli-compressed, immutable, and identical once decompressed", async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    // The page's entry and the chunks it preloads: the largest of them is the bulk of the app.
    const scripts = [...html.matchAll(/<(?:script type="module" crossorigin src|link rel="modulepreload" crossorigin href)="([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.some((s) => /^\/assets\/index-.*\.js$/.test(s))).toBe(true);
    const sizes = await Promise.all(scripts.map(async (s) => (await rawGet(`${server.url}${s}`, "identity")).body.length));
    const src = scripts[sizes.indexOf(Math.max(...sizes))]!;
    expect(Math.max(...sizes)).toBeGreaterThan(100_000);
    const plain = (await rawGet(`${server.url}${src}`, "identity")).body;
    const compressed = await rawGet(`${server.url}${src}`, "br");
    expect(compressed.headers["content-encoding"]).toBe("br");
    expect(compressed.headers["cache-control"]).toMatch(/immutable/);
    expect(compressed.body.length).toBeLessThan(plain.length / 3);
    expect(brotliDecompressSync(compressed.body).equals(plain)).toBe(true);
  });

  it("sends the sample models Brotli-compressed where it pays, identical once decompressed", async () => {
    for (const [file, atMost] of [
      ["tea/tenmoku-bowl.glb", 0.3], // a lathe model: mostly geometry, a fifth of its size
      ["smithsonian/whale_cranium_low.glb", 0.9], // a scan's walking tier: WebP textures barely shrink
    ] as const) {
      const original = readFileSync(join(ROOT, "models", file));
      const plain = await rawGet(`${server.url}/models/${file}`, "identity");
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.body.equals(original)).toBe(true);
      const compressed = await rawGet(`${server.url}/models/${file}`, "gzip, deflate, br");
      expect(compressed.headers["content-encoding"]).toBe("br");
      expect(compressed.headers["content-type"]).toBe("model/gltf-binary");
      expect(compressed.headers["vary"]).toMatch(/accept-encoding/i);
      expect(compressed.body.length).toBeLessThan(original.length * atMost);
      expect(brotliDecompressSync(compressed.body).equals(original)).toBe(true);
    }
  });

  it("makes a model's Brotli copy only when it saves a tenth, and remakes a stale one", () => {
    const dir = mkdtempSync(join(tmpdir(), "atrium-models-"));
    writeFileSync(join(dir, "noise.glb"), randomBytes(50_000)); // does not compress
    writeFileSync(join(dir, "plain.gltf"), JSON.stringify({ asset: { version: "2.0" }, nodes: [...Array(500)].map((_, i) => ({ name: `node ${i}` })) }));
    writeFileSync(join(dir, "notes.txt"), "not a model ".repeat(500));
    compressModels(dir);
    expect(existsSync(join(dir, "noise.glb.br"))).toBe(false);
    expect(existsSync(join(dir, "notes.txt.br"))).toBe(false);
    expect(brotliDecompressSync(readFileSync(join(dir, "plain.gltf.br"))).equals(readFileSync(join(dir, "plain.gltf")))).toBe(true);
    // The model changed after its copy was made: the copy is made again, never sent stale.
    writeFileSync(join(dir, "plain.gltf"), JSON.stringify({ asset: { version: "2.0" }, nodes: [...Array(600)].map((_, i) => ({ name: `changed ${i}` })) }));
    utimesSync(join(dir, "plain.gltf.br"), new Date(2000, 0, 1), new Date(2000, 0, 1));
    compressModels(dir);
    expect(brotliDecompressSync(readFileSync(join(dir, "plain.gltf.br"))).equals(readFileSync(join(dir, "plain.gltf")))).toBe(true);
  });

  it("serves the vendored Draco decoder locally", async () => {
    const res = await fetch(`${server.url}/vendor/draco/draco_decoder.wasm`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/wasm");
  });
});
