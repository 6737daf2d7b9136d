import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Exhibition } from "../../src/shared/exhibition";
import { ROOT, startServer } from "../support/server";

/**
 * Tactile copies through the real API and the real asset sandbox: the STL is read back and checked
 * as a printer's slicer would need it (closed, consistently oriented, at the asked size, on a flat
 * base); refusals for private shows, licences that forbid copies, non-models and bad sizes; a flood
 * of different sizes is refused with "busy", never an error or a stalled server.
 */
const tea = JSON.parse(readFileSync(join(ROOT, "exhibitions", "tea-and-its-vessels.json"), "utf8")) as Exhibition;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "atrium-tactile-test-"));
  const exhibitionsDir = join(dir, "exhibitions");
  mkdirSync(exhibitionsDir);
  const show = structuredClone(tea);
  show.items[show.placements["p-caddy"]!.item]!.licences.object = "CC-BY-ND-4.0";
  writeFileSync(join(exhibitionsDir, "tea-and-its-vessels.json"), JSON.stringify(show));
  const hidden = structuredClone(tea);
  hidden.id = "tea-private";
  hidden.meta.published = false;
  writeFileSync(join(exhibitionsDir, "tea-private.json"), JSON.stringify(hidden));
  server = await startServer({ exhibitionsDir, sandbox: { processes: 1, maxQueue: 2 } });
});
afterAll(async () => {
  await server?.close();
});

const url = (placement: string, query = "", show = "tea-and-its-vessels") => `${server.url}/api/exhibitions/${show}/placements/${placement}/${query}`;

/** Reads a binary STL: its triangles' corners as strings of exact coordinates, and the bounds. */
function readStl(b: Buffer) {
  const n = b.readUInt32LE(80);
  expect(b.length).toBe(84 + n * 50);
  const tris: [string, string, string][] = [];
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  let baseArea = 0;
  for (let t = 0; t < n; t++) {
    const o = 84 + t * 50;
    const corners: number[][] = [];
    for (let k = 0; k < 3; k++) {
      const v = [b.readFloatLE(o + 12 + k * 12), b.readFloatLE(o + 16 + k * 12), b.readFloatLE(o + 20 + k * 12)];
      v.forEach((c, i) => ((min[i] = Math.min(min[i]!, c)), (max[i] = Math.max(max[i]!, c))));
      corners.push(v);
    }
    tris.push(corners.map((c) => c.join(",")) as [string, string, string]);
    // Facing straight down at the bottom: part of the flat base.
    if (b.readFloatLE(o + 8) < -0.999 && corners.every((c) => Math.abs(c[2]!) < 1e-3)) {
      const [a, p, q] = corners as [number[], number[], number[]];
      baseArea += Math.abs((p[0]! - a[0]!) * (q[1]! - a[1]!) - (q[0]! - a[0]!) * (p[1]! - a[1]!)) / 2;
    }
  }
  return { n, tris, min, max, baseArea };
}

describe("tactile copies", () => {
  it("makes a closed, printable STL at the asked size with a flat base, once per size", async () => {
    const t0 = performance.now();
    const res = await fetch(url("p-tenmoku", "tactile.stl?size=100"));
    const first = performance.now() - t0;
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("model/stl");
    expect(res.headers.get("content-disposition")).toContain("p-tenmoku-100mm.stl");
    const stl = readStl(Buffer.from(await res.arrayBuffer()));
    expect(stl.n).toBeGreaterThan(1000);
    // Watertight and oriented: every edge is shared by exactly two triangles, once in each direction.
    const directed = new Map<string, number>();
    for (const [a, b, c] of stl.tris)
      for (const [p, q] of [
        [a, b],
        [b, c],
        [c, a],
      ] as const)
        directed.set(`${p}|${q}`, (directed.get(`${p}|${q}`) ?? 0) + 1);
    const faults = [...directed].filter(([edge, count]) => count !== 1 || directed.get(edge.split("|").reverse().join("|")) !== 1);
    expect(faults.length, `open or non-manifold edges: ${faults.slice(0, 3).map(([e]) => e)}`).toBe(0);
    // At the asked size (the longest side, within a cell of the solid's grid) and standing on z = 0.
    const size = stl.max.map((v, i) => v - stl.min[i]!);
    expect(Math.max(...size)).toBeGreaterThan(97);
    expect(Math.max(...size)).toBeLessThan(103);
    expect(stl.min[2]).toBeCloseTo(0, 3);
    // A bowl's foot ring is its base: a flat area to stand on (some square centimetres).
    expect(stl.baseArea).toBeGreaterThan(100);

    // Asked again (or 104 mm, which rounds to the same 100 mm): the same file, without remaking it.
    const t1 = performance.now();
    const again = await fetch(url("p-tenmoku", "tactile.stl?size=104"));
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(await (await fetch(url("p-tenmoku", "tactile.stl?size=100"))).arrayBuffer()))).toBe(true);
    expect(performance.now() - t1).toBeLessThan(first);
  }, 120_000);

  it("gives the same solid as 3MF: a valid package, indexed, in millimetres, closed, titled", async () => {
    const [mf, stlRes] = await Promise.all([fetch(url("p-tenmoku", "tactile.3mf?size=100")), fetch(url("p-tenmoku", "tactile.stl?size=100"))]);
    expect(mf.status).toBe(200);
    expect(mf.headers.get("content-type")).toBe("model/3mf");
    expect(mf.headers.get("content-disposition")).toContain("p-tenmoku-100mm.3mf");
    const files = unzipSync(new Uint8Array(await mf.arrayBuffer()));
    // The package the 3MF core specification asks for: content types, the root relationship, the model part.
    expect(Object.keys(files).sort()).toEqual(["3D/3dmodel.model", "[Content_Types].xml", "_rels/.rels"]);
    expect(strFromU8(files["[Content_Types].xml"]!)).toContain('Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"');
    expect(strFromU8(files["_rels/.rels"]!)).toMatch(/Target="\/3D\/3dmodel.model"[^>]*Type="http:\/\/schemas.microsoft.com\/3dmanufacturing\/2013\/01\/3dmodel"/);
    const model = strFromU8(files["3D/3dmodel.model"]!);
    expect(model).toContain('unit="millimeter"');
    expect(model).toContain('xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"');
    const item = tea.items[tea.placements["p-tenmoku"]!.item]!;
    expect(model).toContain(`<metadata name="Title">${item.title[tea.meta.languages[0]!]}</metadata>`);
    const vertices = [...model.matchAll(/<vertex x="([-\d.e]+)" y="([-\d.e]+)" z="([-\d.e]+)"\/>/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    const triangles = [...model.matchAll(/<triangle v1="(\d+)" v2="(\d+)" v3="(\d+)"\/>/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    // Indexed: fewer vertices than corners (about half as many as triangles for a closed surface).
    const stl = readStl(Buffer.from(await stlRes.arrayBuffer()));
    expect(triangles.length).toBe(stl.n);
    expect(vertices.length).toBeLessThan(triangles.length);
    // Closed and oriented, by index: each directed edge once, and its reverse once.
    const directed = new Map<string, number>();
    for (const [a, b, c] of triangles)
      for (const [p, q] of [
        [a, b],
        [b, c],
        [c, a],
      ])
        directed.set(`${p}|${q}`, (directed.get(`${p}|${q}`) ?? 0) + 1);
    expect([...directed].filter(([e, n]) => n !== 1 || directed.get(e.split("|").reverse().join("|")) !== 1).length).toBe(0);
    expect(triangles.every((t) => t.every((i) => i < vertices.length))).toBe(true);
    // The same size as the STL, standing on z = 0.
    for (let k = 0; k < 3; k++) {
      expect(Math.min(...vertices.map((v) => v[k]!))).toBeCloseTo(stl.min[k]!, 2);
      expect(Math.max(...vertices.map((v) => v[k]!))).toBeCloseTo(stl.max[k]!, 2);
    }
  }, 120_000);

  it("gives the label as plain text in the asked language", async () => {
    const res = await fetch(url("p-tenmoku", "tactile.txt?lang=zh-Hant"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const text = await res.text();
    const item = tea.items[tea.placements["p-tenmoku"]!.item]!;
    expect(text.split("\n")[0]).toBe(item.title["zh-Hant"]);
    expect(text).toContain("CC0 1.0");
    expect(text).toContain("卡內基");
  });

  it("refuses private shows, licences without copies, non-models and sizes out of range", async () => {
    expect((await fetch(url("p-tenmoku", "tactile.stl", "tea-private"))).status).toBe(404);
    expect((await fetch(url("p-tenmoku", "tactile.txt", "tea-private"))).status).toBe(404);
    expect((await fetch(url("p-nowhere", "tactile.stl"))).status).toBe(404);
    const nd = await fetch(url("p-caddy", "tactile.stl"));
    expect(nd.status).toBe(403);
    expect((await nd.json()).error).toContain("CC BY-ND 4.0");
    expect((await fetch(url("p-performance", "tactile.stl"))).status).toBe(422);
    for (const size of ["5", "9000", "abc", "-100"]) expect((await fetch(url("p-tenmoku", `tactile.stl?size=${size}`))).status, size).toBe(400);
    expect((await fetch(url("p-tenmoku", "tactile.txt?lang=../../x"))).status).toBe(400);
    // The 3MF follows the same rules.
    expect((await fetch(url("p-tenmoku", "tactile.3mf", "tea-private"))).status).toBe(404);
    expect((await fetch(url("p-caddy", "tactile.3mf"))).status).toBe(403);
    expect((await fetch(url("p-tenmoku", "tactile.3mf?size=9000"))).status).toBe(400);
  });

  it("lets no other site read a copy or a label through a visitor's browser", async () => {
    for (const path of ["tactile.stl?size=100", "tactile.3mf?size=100", "tactile.txt?lang=en"]) {
      const res = await fetch(url("p-tenmoku", path), { headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
      await res.arrayBuffer();
      // Served or refused, but never shared with the foreign page (no CORS grant).
      expect(res.headers.get("access-control-allow-origin"), path).toBeNull();
      expect(res.headers.get("access-control-allow-credentials"), path).toBeNull();
    }
  });

  it("answers a flood of different sizes with copies or 'busy', never an error, and stays responsive", async () => {
    const sizes = [40, 50, 60, 70, 80, 90, 110, 130];
    const answers = await Promise.all(
      sizes.map(async (s) => {
        const r = await fetch(url("p-whisk", `tactile.stl?size=${s}`));
        await r.arrayBuffer();
        return r.status;
      }),
    );
    // One runs and two wait (maxQueue 2); the rest are refused at once.
    expect(answers.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
    expect(answers.every((s) => s === 200 || s === 503)).toBe(true);
    const t = performance.now();
    expect((await fetch(`${server.url}/api/exhibitions`)).status).toBe(200);
    expect(performance.now() - t).toBeLessThan(1000);
  }, 180_000);
});
