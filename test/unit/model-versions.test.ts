import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelVersionTable } from "../../server/http/model-versions";
import { MODEL_VERSIONS_ELEMENT, versionedUrl } from "../../src/shared/model-versions";
import { ROOT, startServer } from "../support/server";

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

/** The hash a model's URL must carry, worked out here from the file itself. */
const contentHash = (file: string) => createHash("sha256").update(readFileSync(file)).digest("base64url").slice(0, 12);
const IMMUTABLE = "public, max-age=31536000, immutable";

function conditionalGet(url: string, etag: string): Promise<{ status: number; cacheControl: string | undefined }> {
  return new Promise((ok, fail) => {
    const req = request(url, { headers: { "if-none-match": etag, "accept-encoding": "identity" } }, (res) => {
      res.resume();
      res.on("end", () => ok({ status: res.statusCode ?? 0, cacheControl: res.headers["cache-control"] }));
    });
    req.on("error", fail);
    req.end();
  });
}

async function pageTable(path: string): Promise<Record<string, string>> {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  const m = new RegExp(`<meta name="${MODEL_VERSIONS_ELEMENT}" content="([^"]*)">`).exec(html);
  expect(m, `the page ${path} carries the models' versions`).not.toBeNull();
  const json = m![1]!.replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
  return JSON.parse(json) as Record<string, string>;
}

describe("sample models are cached for good by their content version", () => {
  it("hands every page of the app the hash of every shipped model and poster", async () => {
    const shipped = execFileSync("git", ["ls-files", "models"], { cwd: ROOT, encoding: "utf8" })
      .split("\n")
      .filter((f) => f && !f.endsWith(".br"));
    const table = await pageTable("/visit/tea-and-its-vessels");
    for (const f of shipped) expect(table[`/${f}`], f).toBe(contentHash(join(ROOT, f)));
    expect(Object.keys(table).filter((k) => k.endsWith(".br"))).toEqual([]); // Brotli copies are the same content
    expect(table["/models/tea/tenmoku-bowl.glb"]).toMatch(/^[A-Za-z0-9_-]{12}$/);
    // The studio, the home page and a deep link get the same table.
    for (const path of ["/", "/studio/tea-and-its-vessels", "/account"]) expect(await pageTable(path)).toEqual(table);
  });

  it("answers a model asked for by its current hash as immutable, with the file's bytes (also compressed, and when revalidated)", async () => {
    const file = join(ROOT, "models/tea/tenmoku-bowl.glb");
    const url = `${server.url}/models/tea/tenmoku-bowl.glb?v=${contentHash(file)}`;
    const plain = await fetch(url, { headers: { "accept-encoding": "identity" } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("cache-control")).toBe(IMMUTABLE);
    expect(Buffer.from(await plain.arrayBuffer()).equals(readFileSync(file))).toBe(true);
    const br = await fetch(url, { headers: { "accept-encoding": "br" } });
    expect(br.headers.get("content-encoding")).toBe("br"); // the build's Brotli copy, same promise
    expect(br.headers.get("cache-control")).toBe(IMMUTABLE);
    expect(Buffer.from(await br.arrayBuffer()).equals(readFileSync(file))).toBe(true); // decoded by fetch
    const head = await fetch(url, { method: "HEAD" });
    expect(head.headers.get("cache-control")).toBe(IMMUTABLE);
    // (With node:http: fetch() adds `cache-control: no-cache` to a conditional request.)
    const again = await conditionalGet(url, plain.headers.get("etag")!);
    expect(again.status).toBe(304);
    expect(again.cacheControl).toBe(IMMUTABLE);
  });

  it("never marks immutable a model asked for without its hash, with an old or a made-up one", async () => {
    const base = `${server.url}/models/tea/tenmoku-bowl.glb`;
    expect((await fetch(base)).headers.get("cache-control")).toBe("public, max-age=3600");
    for (const v of ["AAAAAAAAAAAA", "", "../../../etc/passwd", "x".repeat(8_000), "%00", "a&v=b"]) {
      const res = await fetch(`${base}?v=${encodeURIComponent(v)}`);
      expect(res.status, v.slice(0, 20)).toBe(200);
      expect(res.headers.get("cache-control"), v.slice(0, 20)).toBe("no-cache");
    }
    // A hash of another model does not make this one immutable.
    const other = contentHash(join(ROOT, "models/tea/celadon-bowl.glb"));
    expect((await fetch(`${base}?v=${other}`)).headers.get("cache-control")).toBe("no-cache");
    // Two versions in one URL: the first counts, as URLSearchParams reads it.
    expect((await fetch(`${base}?v=AAAAAAAAAAAA&v=${contentHash(join(ROOT, "models/tea/tenmoku-bowl.glb"))}`)).headers.get("cache-control")).toBe("no-cache");
    // Nothing there, or a path no file has: an error, not a crash, and never cached for good.
    const missing = await fetch(`${server.url}/models/tea/no-such.glb?v=AAAAAAAAAAAA`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).not.toBe(IMMUTABLE);
    const bad = await fetch(`${server.url}/models/%E0%A4%A.glb?v=AAAAAAAAAAAA`);
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    // A hidden file stays hidden whatever is asked.
    expect((await fetch(`${server.url}/models/.git?v=AAAAAAAAAAAA`)).status).toBe(404);
  });
});

describe("the version table", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "atrium-versions-"));
    mkdirSync(join(dir, "tea"));
    writeFileSync(join(dir, "tea/bowl.glb"), "bowl one");
    writeFileSync(join(dir, "tea/bowl.glb.br"), "compressed");
    writeFileSync(join(dir, ".hidden"), "secret");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("hashes each file once, looks again only after its interval, and then sees a replaced model", async () => {
    let now = 0;
    const table = new ModelVersionTable(dir, 5_000, () => now);
    const first = await table.versions();
    expect(Object.keys(first)).toEqual(["/models/tea/bowl.glb"]);
    const v1 = first["/models/tea/bowl.glb"]!;
    expect(v1).toBe(contentHash(join(dir, "tea/bowl.glb")));
    expect(await table.isCurrent("/models/tea/bowl.glb", v1)).toBe(true);
    // Replaced with the same size (a different modification time): unseen until the interval
    // is over, so a flood of requests does not rescan the folder each time...
    writeFileSync(join(dir, "tea/bowl.glb"), "bowl two");
    utimesSync(join(dir, "tea/bowl.glb"), new Date(), new Date(Date.now() + 10_000));
    const flood = await Promise.all([...Array(500)].map(() => table.isCurrent("/models/tea/bowl.glb", v1)));
    expect(flood.every(Boolean)).toBe(true);
    // ...then the old hash is no longer current and the new one is.
    now += 5_000;
    const v2 = (await table.versions())["/models/tea/bowl.glb"]!;
    expect(v2).toBe(contentHash(join(dir, "tea/bowl.glb")));
    expect(v2).not.toBe(v1);
    expect(await table.isCurrent("/models/tea/bowl.glb", v1)).toBe(false);
    expect(await table.isCurrent("/models/tea/bowl.glb", v2)).toBe(true);
    // A removed model leaves the table.
    rmSync(join(dir, "tea/bowl.glb"));
    now += 5_000;
    expect(await table.versions()).toEqual({});
    expect(await table.isCurrent("/models/tea/bowl.glb", v2)).toBe(false);
  });

  it("is empty, not an error, without a models folder", async () => {
    const table = new ModelVersionTable(join(dir, "nothing-here"));
    expect(await table.versions()).toEqual({});
    expect(await table.isCurrent("/models/x.glb", "AAAAAAAAAAAA")).toBe(false);
  });

  it("versions only this site's sample models, the one rule both sides use", () => {
    const versions = { "/models/tea/bowl.glb": "abcdefghijkl" };
    expect(versionedUrl("/models/tea/bowl.glb", versions)).toBe("/models/tea/bowl.glb?v=abcdefghijkl");
    expect(versionedUrl("/models/tea/cup.glb", versions)).toBe("/models/tea/cup.glb");
    expect(versionedUrl("/uploads/abc.glb", versions)).toBe("/uploads/abc.glb");
    expect(versionedUrl("https://museum.example/models/tea/bowl.glb", versions)).toBe("https://museum.example/models/tea/bowl.glb");
    expect(versionedUrl("/models/tea/bowl.glb?v=old", versions)).toBe("/models/tea/bowl.glb?v=old");
  });
});
