import { brotliDecompressSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../support/server";

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
    const src = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    expect(src).toMatch(/^\/assets\/index-.*\.js$/);
    const plain = Buffer.from(await (await fetch(`${server.url}${src}`, { headers: { "accept-encoding": "identity" } })).arrayBuffer());
    // fetch() would decode transparently; ask node:http semantics via a raw request instead.
    const { request } = await import("node:http");
    const compressed = await new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((ok, fail) => {
      const req = request(`${server.url}${src}`, { headers: { "accept-encoding": "br" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => ok({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on("error", fail);
      req.end();
    });
    expect(compressed.headers["content-encoding"]).toBe("br");
    expect(compressed.headers["cache-control"]).toMatch(/immutable/);
    expect(compressed.body.length).toBeLessThan(plain.length / 3);
    expect(brotliDecompressSync(compressed.body).equals(plain)).toBe(true);
  });

  it("serves the vendored Draco decoder locally", async () => {
    const res = await fetch(`${server.url}/vendor/draco/draco_decoder.wasm`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/wasm");
  });
});
