import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAdmin } from "../../server/accounts/admin";
import { PreloadCache, preloadLinks } from "../../server/http/visit-preloads";
import { parseExhibition } from "../../src/shared/exhibition";
import { roomDownloads } from "../../src/shared/exhibition/tiers";
import { ApiSession, TEST_ADMIN } from "../support/api-session";
import { ROOT, startServer } from "../support/server";
import { testAccounts } from "../support/storage-mode";

const accounts = testAccounts("preloads");
let server: Awaited<ReturnType<typeof startServer>>;
let admin: ApiSession;
function sample(id: string) {
  const r = parseExhibition(JSON.parse(readFileSync(join(ROOT, `exhibitions/${id}.json`), "utf8")), id);
  if (!r.ok) throw new Error(r.error.message);
  return r.doc;
}
const tea = sample("tea-and-its-vessels");
const contentHash = (path: string) => createHash("sha256").update(readFileSync(join(ROOT, path))).digest("base64url").slice(0, 12);
const bone = sample("bone-and-clay");

beforeAll(async () => {
  await ensureAdmin(accounts, TEST_ADMIN.email, TEST_ADMIN.password);
  server = await startServer({ accounts });
  admin = await ApiSession.admin(server);
  expect((await admin.call("POST", "/api/exhibitions", { id: "secret-draft", title: { en: "Not yet" } })).status).toBe(201);
});
afterAll(() => server?.close());

/** The preload tags of a page, as hrefs. */
async function preloads(path: string, cookie = "", plain = true, headers: Record<string, string> = {}): Promise<string[]> {
  const res = await fetch(`${server.url}${path}`, { headers: { ...headers, ...(cookie ? { cookie } : {}) } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  const html = await res.text();
  expect(html).toContain('<div id="root"></div>');
  const hrefs = [...html.matchAll(/<link rel="preload" as="fetch" crossorigin href="([^"]+)">/g)].map((m) => m[1]!);
  return plain ? hrefs.map((h) => h.replace(/\?v=[A-Za-z0-9_-]{12}$/, "")) : hrefs;
}

describe("the visit page names what its first room needs", () => {
  it("preloads the first room's models at the walking tier, each by its content version", async () => {
    const hrefs = await preloads("/visit/tea-and-its-vessels", "", false);
    const models = roomDownloads(tea, "auto");
    expect(models.length).toBe(4);
    // `?v=` is the file's own hash, worked out here from the file, not asked of the server.
    expect(hrefs).toEqual(models.map((m) => `${m}?v=${contentHash(m)}`));
  });

  it("follows ?room= and ?quality= as the viewer does", async () => {
    expect(await preloads("/visit/tea-and-its-vessels?room=brewing")).toEqual(roomDownloads(tea, "auto", "brewing"));
    // The scans' walking tier, or their detailed one when the page asks for it.
    expect(await preloads("/visit/bone-and-clay")).toEqual(roomDownloads(bone, "auto"));
    const high = await preloads("/visit/bone-and-clay?quality=high");
    expect(high).toEqual(roomDownloads(bone, "high"));
    expect(high).not.toEqual(roomDownloads(bone, "auto"));
    // A room that does not exist opens the first one, as the viewer does.
    expect(await preloads("/visit/tea-and-its-vessels?room=%22%3E%3Cscript%3E")).toEqual(roomDownloads(tea, "auto"));
  });

  it("names the light (thumb) tiers when the browser or the visitor saves data, as the viewer then loads", async () => {
    const thumbs = roomDownloads(bone, "thumb");
    expect(thumbs.every((u) => u.endsWith("_thumb.glb"))).toBe(true);
    expect(await preloads("/visit/bone-and-clay", "", true, { "save-data": "on" })).toEqual(thumbs);
    expect(await preloads("/visit/bone-and-clay", "atrium-save-data=on")).toEqual(thumbs);
    // The visitor turned it off on this device: their choice wins over the browser's hint.
    expect(await preloads("/visit/bone-and-clay", "atrium-save-data=off", true, { "save-data": "on" })).toEqual(roomDownloads(bone, "auto"));
    // A page asking for a quality gets it.
    expect(await preloads("/visit/bone-and-clay?quality=high", "atrium-save-data=on")).toEqual(roomDownloads(bone, "high"));
  });

  it("names nothing of an exhibition an anonymous visitor may not see, nor of one that does not exist", async () => {
    expect(await preloads("/visit/secret-draft")).toEqual([]);
    // Not even to its owner: the page is the same for everyone (the app then asks with its cookie).
    expect(await preloads("/visit/secret-draft", admin.cookie)).toEqual([]);
    expect(await preloads("/visit/no-such-show")).toEqual([]);
    expect(await preloads("/visit/" + "x".repeat(300))).toEqual([]);
    expect(await preloads("/visit/tea-and-its-vessels/extra")).toEqual([]);
  });

  it("escapes what it writes and names only this site's own files", () => {
    const doc = structuredClone(tea);
    const first = Object.values(doc.placements).find((p) => p.room === "bowls")!;
    const item = doc.items[first.item]!;
    if (item.asset.kind !== "model") throw new Error("the tea room's first placement is a model");
    item.asset.tiers = { low: '/models/a"><script>alert(1)</script>.glb', high: "https://other.example/x.glb" };
    const html = preloadLinks(doc, "");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&quot;&gt;&lt;script&gt;");
    item.asset.tiers = { low: "https://other.example/x.glb", high: "//other.example/y.glb" };
    expect(preloadLinks(doc, "?quality=low")).not.toContain("other.example");
  });

  it("looks an exhibition up once per few seconds, however many visitors (or a flood) open its page", async () => {
    let lookups = 0;
    let now = 0;
    const cache = new PreloadCache(
      async (id) => {
        lookups++;
        return id === tea.id ? tea : null;
      },
      5_000,
      3,
      () => now,
    );
    const pages = await Promise.all([...Array(200)].map(() => cache.links(tea.id, "")));
    expect(new Set(pages).size).toBe(1);
    expect(lookups).toBe(1);
    now += 6_000;
    await cache.links(tea.id, "?room=brewing");
    expect(lookups).toBe(2);
    // Bounded: many unknown ids never grow it past its size, and a failing lookup names nothing.
    for (let i = 0; i < 50; i++) expect(await cache.links(`nope-${i}`, "")).toBe("");
    expect((cache as unknown as { entries: Map<string, unknown> }).entries.size).toBeLessThanOrEqual(3);
    const failing = new PreloadCache(() => Promise.reject(new Error("database down")));
    expect(await failing.links(tea.id, "")).toBe("");
  });
});
