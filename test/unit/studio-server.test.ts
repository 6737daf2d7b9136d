import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ExhibitionStore, readExhibition } from "../../src/collab";
import { movePlacement, removeItem, setText, updateItem } from "../../src/shared/exhibition";
import { ensureAdmin } from "../../server/accounts/admin";
import { CLOSE } from "../../server/sync/messages";
import { ApiSession } from "../support/api-session";
import { startServer, ROOT } from "../support/server";
import { waitFor, type RawClient } from "../support/sync-clients";
import { FIXTURES } from "../support/fixtures";
import { testAccounts } from "../support/storage-mode";

/**
 * The studio's server side through the real HTTP API and the real sync endpoint: catalogue,
 * uploads, templates, named versions, and the write rules for commenters and museum locks.
 */
const require = createRequire(import.meta.url);
const validator = require("gltf-validator") as { validateBytes(data: Uint8Array, options?: Record<string, unknown>): Promise<{ issues: { numErrors: number } }> };
const accounts = testAccounts("studio");
let server: Awaited<ReturnType<typeof startServer>>;
const sessions: ApiSession[] = [];
const raws: RawClient[] = [];
let admin: ApiSession, ana: ApiSession, bo: ApiSession, teacher: ApiSession;

const session = async (email: string, name: string) => {
  const s = await ApiSession.signUpOn(server, email, name);
  sessions.push(s);
  return s;
};
const raw = (s: ApiSession, doc: string) => {
  const r = s.raw(doc);
  raws.push(r);
  return r;
};
/** A raw client that has the document. */
async function joined(s: ApiSession, doc: string) {
  const r = raw(s, doc);
  await r.opened;
  r.hello();
  await waitFor(() => r.synced, 5000, "sync");
  return r;
}
/** Applies a pure operation to a raw client's copy and sends it, as the studio would. */
function apply(r: RawClient, op: Parameters<ExhibitionStore["apply"]>[0]) {
  const store = new ExhibitionStore(r.doc);
  r.edit(() => store.apply(op));
  store.destroy();
}

beforeAll(async () => {
  await ensureAdmin(accounts, "admin@atrium.test", "correct horse battery");
  server = await startServer({ accounts });
  admin = new ApiSession(server);
  expect((await admin.call("POST", "/api/sessions", { email: "admin@atrium.test", password: "correct horse battery" })).status).toBe(200);
  ana = await session("ana@palace.test", "Ana");
  bo = await session("bo@cmoa.test", "Bo");
  teacher = await session("lin@school.test", "Teacher Lin");
  for (const [id, en] of [["palace", "Palace Museum (sample)"], ["cmoa", "Carnegie Museum of Art"]]) expect((await admin.call("POST", "/api/museums", { id, name: { en } })).status).toBe(201);
  await admin.call("POST", "/api/museums/palace/members", { email: "ana@palace.test", role: "admin" });
  await admin.call("POST", "/api/museums/cmoa/members", { email: "bo@cmoa.test", role: "curator" });
});
afterEach(() => {
  for (const r of raws.splice(0)) r.close();
  for (const s of sessions) s.closeAll();
});
afterAll(async () => {
  await server.close();
  await accounts.close();
});

describe("catalogue", () => {
  it("searches the CMOA records and the sample shows' items with facets", async () => {
    const r = await teacher.call("GET", "/api/catalogue?q=tea%20bowl");
    expect(r.status).toBe(200);
    expect(r.body.total).toBeGreaterThanOrEqual(3);
    for (const e of r.body.entries) expect(JSON.stringify(e.item.title).toLowerCase()).toMatch(/tea|bowl/);
    // The tea show's tea bowl is listed once, from the show (with its Chinese label).
    const bowls = r.body.entries.filter((e: { item: { sourceId?: string } }) => e.item.sourceId === "cmoa:things/4bd7f86a-7102-4b5e-84ef-8d1aa2f0a949");
    expect(bowls).toHaveLength(1);
    expect(bowls[0].item.title["zh-Hant"]).toBe("黑釉茶碗");
    expect(r.body.facets.institution.cmoa).toBeGreaterThan(0);

    const all = (await teacher.call("GET", "/api/catalogue?limit=100")).body;
    expect(all.total).toBeGreaterThanOrEqual(200); // 200 CMOA records (less the ones shows present) + show items
    const porcelain = (await teacher.call("GET", "/api/catalogue?material=porcelain&limit=100")).body;
    expect(porcelain.total).toBe(all.facets.material.porcelain);
    for (const e of porcelain.entries) expect(e.facets.material).toBe("porcelain");
    const c17 = (await teacher.call("GET", "/api/catalogue?period=17th%20century")).body;
    expect(c17.total).toBeGreaterThan(0);
  });

  it("lists each object once: copies in other shows, and the reference show's uncurated records, add no entry", async () => {
    type Row = { id: string; item: { sourceId?: string; asset: { tiers?: { high?: string }; src?: string } } };
    const all = { entries: [] as Row[] };
    for (let offset = 0, total = 1; offset < total; offset += 100) {
      const page = (await teacher.call("GET", `/api/catalogue?limit=100&offset=${offset}`)).body as { total: number; entries: Row[] };
      total = page.total;
      all.entries.push(...page.entries);
    }
    expect(all.entries.length).toBeGreaterThan(200);
    const keys = all.entries.map((e) => `${e.item.sourceId ?? e.id}|${e.item.asset.tiers?.high ?? e.item.asset.src ?? ""}`);
    expect(new Set(keys).size).toBe(keys.length);
    // The reference show copies 30 records without curated text: the records stay, listed as records.
    expect(all.entries.filter((e) => e.id.startsWith("large-show--cmoa-"))).toEqual([]);
    expect(all.entries.some((e) => e.id === "cmoa-0113021b-0376-4893-839c-6d9d4886f2d4")).toBe(true);
    // One specimen, two scanned parts: both listed.
    expect(all.entries.filter((e) => e.item.sourceId === "si:a8ab02ba-bcae-470a-9df4-db1265b25905")).toHaveLength(2);
  });

  it("sizes stand-in models from the record and refuses to place prints it has no image for", async () => {
    const vase = (await teacher.call("GET", "/api/catalogue/cmoa-0113021b-0376-4893-839c-6d9d4886f2d4")).body;
    expect(vase.item.dimensions.height).toBeCloseTo(48.3, 1); // 19 in
    expect(vase.item.asset.tiers.high).toBe("/models/tea/water-jar.glb");
    expect(vase.item.modelNote.en).toMatch(/Illustrative stand-in/);
    expect(vase.placeable).toBe(true);
    const prints = (await teacher.call("GET", "/api/catalogue?material=woodblock%20print&limit=50")).body;
    expect(prints.total).toBeGreaterThan(0);
    for (const p of prints.entries) {
      expect(p.placeable).toBe(false);
      expect(p.note).toMatch(/not CC0/);
    }
  });
});

describe("uploads", () => {
  it("stores a valid GLB, catalogues it for its uploader only, and serves it", async () => {
    const glb = readFileSync(join(ROOT, "models/tea/tea-caddy.glb"));
    expect((await new ApiSession(server).upload("/api/uploads?title=x", glb)).status).toBe(401);
    const r = await teacher.upload("/api/uploads?title=My%20tea%20caddy&licence=CC-BY-4.0", glb);
    expect(r.status).toBe(201);
    expect(r.body.url).toMatch(/^\/uploads\/[0-9a-f]{64}\.glb$/);
    expect(r.body.entry.item.licences.object).toBe("CC-BY-4.0");
    expect(r.body.entry.item.dimensions.height).toBeGreaterThan(5);
    const served = await teacher.get(r.body.url!);
    expect(served.headers.get("content-type")).toBe("model/gltf-binary");
    expect(Buffer.from(await served.arrayBuffer()).equals(glb)).toBe(true);
    expect(served.headers.get("cache-control")).toMatch(/^private/);
    // Nobody else reads a private upload, whoever knows its hash (the same 404 as for no file).
    expect((await bo.get(r.body.url)).status).toBe(404);
    expect((await fetch(`${server.url}${r.body.url}`)).status).toBe(404);
    const mine = (await teacher.call("GET", "/api/catalogue?q=caddy")).body.entries.map((e: { id: string }) => e.id);
    expect(mine).toContain(r.body.entry.id);
    const others = (await bo.call("GET", "/api/catalogue?q=caddy")).body.entries.map((e: { id: string }) => e.id);
    expect(others).not.toContain(r.body.entry.id);
  });

  it("makes quality tiers of an uploaded scan off the request path", async () => {
    const scan = readFileSync(join(FIXTURES, "museum-3d/astronaut/astronaut.glb"));
    const r = await teacher.upload("/api/uploads?title=Space%20suit%20(scan)&licence=CC0-1.0", scan);
    expect(r.status).toBe(201);
    expect(r.body.job).toBe(`/api/assets/jobs/${r.body.entry.id}`);
    await server.jobs.idle();
    const job = (await teacher.call("GET", r.body.job)).body;
    expect(job.status).toBe("done");
    expect(job.result.tiers.thumb.bytes).toBeLessThan(200 * 1024);
    expect(job.result.tiers.low.bytes).toBeLessThan(job.result.tiers.high.bytes);
    expect(job.result.tiers.low.maxTexture).toBeLessThanOrEqual(1024);
    const entry = (await teacher.call("GET", `/api/catalogue/${r.body.entry.id}`)).body;
    expect(entry.item.asset.tiers.high).toBe(r.body.url);
    for (const tier of ["low", "thumb"] as const) {
      const bytes = new Uint8Array(await (await teacher.get(entry.item.asset.tiers[tier]!)).arrayBuffer());
      const report = await validator.validateBytes(bytes, { format: "glb" });
      expect(report.issues.numErrors, tier).toBe(0);
    }
  });

  it("refuses invalid models with the validator's findings, and files that are not what Atrium shows", async () => {
    const bad = readFileSync(join(FIXTURES, "gltf-invalid/glb/truncated_chunk_data.glb"));
    const r = await teacher.upload("/api/uploads?title=Broken", bad);
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/GLB|validator|read/);
    const text = await teacher.upload("/api/uploads?title=Notes", new TextEncoder().encode("just some text, not a model at all"));
    expect(text.status).toBe(415);
    expect(text.body.error).toMatch(/not a GLB model, a zip with a glTF, a PNG or JPEG image, a BVH or FBX motion recording/);
    expect((await teacher.upload("/api/uploads?title=X&licence=WTFPL", readFileSync(join(ROOT, "models/tea/tea-caddy.glb")))).body.field).toBe("licence");
  });

  it("refuses every file of the invalid-glTF corpus with the error its validator report names", async () => {
    const dir = join(FIXTURES, "gltf-invalid");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /\.(glb|gltf)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const report = JSON.parse(readFileSync(join(dir, `${f}.report.json`), "utf8")) as { issues: { messages: { code: string; severity: number }[] } };
      const expected = report.issues.messages.filter((m) => m.severity === 0).map((m) => m.code);
      const r = await teacher.upload("/api/uploads?title=Corpus", readFileSync(join(dir, f)), f.endsWith(".gltf") ? "model/gltf+json" : "model/gltf-binary");
      expect(r.status, f).toBeGreaterThanOrEqual(400);
      if (expected.length > 0) expect(r.body.findings.map((x: { code: string }) => x.code), f).toEqual(expect.arrayContaining(expected));
      else expect(r.body.error, f).toMatch(/no scene/); // valid.glb is valid glTF with nothing to show
    }
  });

  it("hangs an uploaded PNG at a size from its aspect ratio", async () => {
    const png = readFileSync(join(FIXTURES, "gltf/BoxTextured/glTF/CesiumLogoFlat.png"));
    const r = await teacher.upload("/api/uploads?title=Logo&licence=CC-BY-4.0", png);
    expect(r.status).toBe(201);
    expect(r.body.entry.item.asset).toEqual({ kind: "image", src: r.body.url });
    expect(r.body.entry.item.dimensions.width).toBe(60);
  });
});

describe("templates, versions and write rules", () => {
  it("creates a micro-exhibition from its template", async () => {
    const r = await teacher.call("POST", "/api/exhibitions", { id: "lin-tea", title: { en: "Tea at school" }, template: "micro" });
    expect(r.status).toBe(201);
    const doc = (await teacher.call("GET", "/api/exhibitions/lin-tea")).body;
    expect(doc.rooms.main.spots).toHaveLength(3);
    expect((await teacher.call("POST", "/api/exhibitions", { id: "lin-x", title: { en: "x" }, template: "palace" })).body.field).toBe("template");
  });

  it("makes a new show's address from its title, and the next free one when it is taken", async () => {
    const made = async (title: Record<string, string>) => {
      const r = await teacher.call("POST", "/api/exhibitions", { title, template: "micro" });
      expect(r.status).toBe(201);
      return r.body.exhibition.id as string;
    };
    expect(await made({ en: "Tea vessels for class 5", "zh-Hant": "五年級茶器小展" })).toBe("tea-vessels-for-class-5");
    expect(await made({ en: "Tea vessels for class 5!" })).toBe("tea-vessels-for-class-5-2");
    expect(await made({ "zh-Hant": "茶與器" })).toBe("exhibition"); // no Latin letters to make one from
    expect(await made({ "zh-Hant": "茶與器" })).toBe("exhibition-2");
    expect(await made({ fr: "Thé à l'école" })).toBe("the-a-l-ecole");
    // A chosen address still has to follow the rule and be free; the answer names the field.
    const bad = await teacher.call("POST", "/api/exhibitions", { id: "Tea Show", title: { en: "x" } });
    expect([bad.status, bad.body.field]).toEqual([400, "id"]);
    const taken = await teacher.call("POST", "/api/exhibitions", { id: "tea-vessels-for-class-5", title: { en: "x" } });
    expect([taken.status, taken.body.field]).toEqual([409, "id"]);
    // Anonymous callers make nothing, with or without an address.
    expect((await new ApiSession(server).call("POST", "/api/exhibitions", { title: { en: "Sneaky" } })).status).toBe(401);
  });

  it("keeps a show private while an item's licences do not allow public display, and says which", async () => {
    const up = await teacher.upload("/api/uploads?title=Borrowed%20scan&licence=All-Rights-Reserved", readFileSync(join(ROOT, "models/tea/water-jar.glb")));
    expect(up.status).toBe(201);
    const t = await joined(teacher, "lin-tea");
    apply(t, (d) => ({ ...d, meta: { ...d.meta, museums: [...d.meta.museums, up.body.entry.museum] }, items: { ...d.items, borrowed: up.body.entry.item } }));
    await waitFor(() => readExhibition(t.doc).items["borrowed"] !== undefined, 5000, "item added");
    const refused = await teacher.call("POST", "/api/exhibitions/lin-tea/publish");
    expect(refused.status).toBe(409);
    expect(refused.body.problems).toEqual([{ item: "borrowed", title: "Borrowed scan", reason: expect.stringMatching(/All rights reserved/) }]);
    expect(refused.body.error).toMatch(/^cannot publish: 1 item\(s\) may not be shown publicly: Borrowed scan \(borrowed\)/);
    expect((await new ApiSession(server).call("GET", "/api/exhibitions/lin-tea")).status).toBe(404); // still private

    apply(t, (d) => updateItem(d, "borrowed", { licences: { metadata: "CC0-1.0", thumbnail: "CC0-1.0", object: "CC-BY-4.0" } }));
    const watcher = await joined(teacher, "lin-tea");
    await waitFor(() => readExhibition(watcher.doc).items["borrowed"]?.licences.object === "CC-BY-4.0", 5000, "licence changed");
    expect((await teacher.call("POST", "/api/exhibitions/lin-tea/publish")).status).toBe(200);
    expect((await new ApiSession(server).call("GET", "/api/exhibitions/lin-tea")).status).toBe(200);
  });

  it("saves a named version and restores it as a live edit", async () => {
    expect((await ana.call("POST", "/api/exhibitions", { id: "joint", title: { en: "Joint show" }, museum: "palace", template: "two-museum" })).status).toBe(201);
    const a = await joined(ana, "joint");
    const watcher = await joined(ana, "joint");
    // The Yixing teapot (shown in two sample shows and the reference show, listed once).
    const teapots = (await ana.call("GET", "/api/catalogue?q=teapot&limit=100")).body.entries.filter((e: { item: { sourceId?: string } }) => e.item.sourceId === "cmoa:things/0f34ac1d-ff34-499e-960f-e9751418ce7b");
    expect(teapots).toHaveLength(1);
    const entry = teapots[0];
    apply(a, (d) => ({ ...d, meta: { ...d.meta, museums: [...d.meta.museums, entry.museum] }, items: { ...d.items, teapot: entry.item } }));
    apply(a, (d) => ({ ...d, placements: { ...d.placements, "p-pot": { room: "room-a", item: "teapot", position: [0, 0, 0], rotation: [0, 0, 0], scale: 1, mount: "floor" } } }));
    await waitFor(() => readExhibition(watcher.doc).placements["p-pot"] !== undefined, 5000, "placement seen");

    const saved = await ana.call("POST", "/api/exhibitions/joint/versions", { name: "before review" });
    expect(saved.status).toBe(201);
    expect((await ana.call("POST", "/api/exhibitions/joint/versions", { name: " " })).body.field).toBe("name");
    apply(a, (d) => removeItem(d, "teapot"));
    await waitFor(() => readExhibition(watcher.doc).placements["p-pot"] === undefined, 5000, "removal seen");
    const list = (await ana.call("GET", "/api/exhibitions/joint/versions")).body.versions;
    expect(list[0]).toMatchObject({ name: "before review", author: "Ana" });
    expect((await teacher.call("GET", "/api/exhibitions/joint/versions")).status).toBe(404);

    expect((await ana.call("POST", `/api/exhibitions/joint/versions/${list[0].id}/restore`)).status).toBe(200);
    await waitFor(() => readExhibition(watcher.doc).placements["p-pot"] !== undefined, 5000, "restore seen live");
    expect((await ana.call("GET", "/api/exhibitions/joint")).body.placements["p-pot"].item).toBe("teapot");
  });

  it("lets a commenter comment, and nothing else, even through a raw client", async () => {
    const invite = (await ana.call("POST", "/api/exhibitions/joint/invites", { role: "commenter" })).body;
    expect((await teacher.call("POST", `/api/invites/${invite.token}/accept`)).status).toBe(200);
    const editor = await joined(ana, "joint");
    const c = await joined(teacher, "joint");
    const me = (await teacher.call("GET", "/api/me")).body.user.id;
    c.edit((d) => d.getMap("comments").set("c-1", { id: "c-1", item: "teapot", author: me, authorName: "Teacher Lin", text: "Can students hold this in VR?", at: Date.now() }));
    await waitFor(() => editor.doc.getMap("comments").has("c-1"), 5000, "comment relayed");
    expect(c.closed).toBeNull();

    const forger = await joined(teacher, "joint");
    forger.edit((d) => d.getMap("comments").set("c-2", { id: "c-2", item: "teapot", author: "someone-else", authorName: "Ana", text: "forged", at: Date.now() }));
    await waitFor(() => forger.closed !== null, 5000, "forger closed");
    expect(forger.closed).toEqual({ code: CLOSE.READ_ONLY, reason: "a comment must be signed by its author" });

    const mover = await joined(teacher, "joint");
    apply(mover, (d) => movePlacement(d, "p-pot", { position: [2, 0, 2] }));
    await waitFor(() => mover.closed !== null, 5000, "mover closed");
    expect(mover.closed!.code).toBe(CLOSE.READ_ONLY);
    expect(mover.closed!.reason).toMatch(/commenter may only comment/);
    expect(readExhibition(editor.doc).placements["p-pot"]!.position).toEqual([0, 0, 0]);
    expect(editor.doc.getMap("comments").has("c-2")).toBe(false);
  });

  it("enforces a museum's lock on its items for other museums' curators, who may still move them", async () => {
    const invite = (await ana.call("POST", "/api/exhibitions/joint/invites", { role: "curator" })).body;
    expect((await bo.call("POST", `/api/invites/${invite.token}/accept`)).status).toBe(200);
    const a = await joined(ana, "joint");
    // Ana's museum (palace) adds one of its own objects and locks it; only its institution may.
    apply(a, (d) => ({ ...d, meta: { ...d.meta, museums: [...d.meta.museums, { id: "cmoa", name: { en: "Carnegie Museum of Art" } }] } }));
    apply(a, (d) => ({ ...d, items: { ...d.items, vase: { ...d.items["teapot"]!, title: { en: "Vase" }, institution: "palace", creditLine: { en: "Palace Museum (sample)" }, lockedBy: "palace" } } }));
    apply(a, (d) => ({ ...d, placements: { ...d.placements, "p-vase": { room: "room-a", item: "vase", position: [1, 0, 1], rotation: [0, 0, 0], scale: 1, mount: "floor" } } }));
    const b = await joined(bo, "joint");
    await waitFor(() => readExhibition(b.doc).items["vase"]?.lockedBy === "palace", 5000, "lock seen");

    apply(b, (d) => movePlacement(d, "p-vase", { position: [1, 0, -1] }));
    await waitFor(() => readExhibition(a.doc).placements["p-vase"]!.position[2] === -1, 5000, "move accepted");
    expect(b.closed).toBeNull();

    apply(b, (d) => setText(d, { kind: "item", id: "vase", field: "title" }, "en", "Bo's vase"));
    await waitFor(() => b.closed !== null, 5000, "refused");
    expect(b.closed!.code).toBe(CLOSE.READ_ONLY);
    expect(b.closed!.reason).toMatch(/item "vase" is locked by palace/);
    expect(readExhibition(a.doc).items["vase"]!.title.en).not.toBe("Bo's vase");

    // Nor may Bo restore a version that would change the locked item.
    const v = (await bo.call("POST", "/api/exhibitions/joint/versions", { name: "locked vase" })).body;
    apply(a, (d) => setText(d, { kind: "item", id: "vase", field: "title" }, "en", "Vase, revised by its museum"));
    const watcher = await joined(ana, "joint");
    await waitFor(() => readExhibition(watcher.doc).items["vase"]?.title.en === "Vase, revised by its museum", 5000, "revision stored");
    const refused = await bo.call("POST", `/api/exhibitions/joint/versions/${v.id}/restore`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/item "vase" is locked by palace/);

    // Unlocked, the same edit goes through.
    apply(a, (d) => updateItem(d, "vase", { lockedBy: undefined }));
    const b2 = await joined(bo, "joint");
    await waitFor(() => readExhibition(b2.doc).items["vase"]!.lockedBy === undefined, 5000, "unlock seen");
    apply(b2, (d) => setText(d, { kind: "item", id: "vase", field: "title" }, "en", "Palace vase"));
    await waitFor(() => readExhibition(a.doc).items["vase"]!.title.en === "Palace vase", 5000, "edit accepted");
  });
});
