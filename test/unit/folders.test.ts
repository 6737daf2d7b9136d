import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOLDER_LIMITS } from "../../src/shared/api/folders";
import { SHARE_CODE } from "../../server/explore/folders";
import { creditText, parseExhibition } from "../../src/shared/exhibition";
import { ApiSession } from "../support/api-session";
import { documentedAnswers } from "../support/openapi";
import { ROOT, startServer } from "../support/server";

/**
 * Collection folders (issue 23): a signed-in user saves artefacts and shows into named folders,
 * orders them, shares one read-only by link and starts a new show from it, whose items keep
 * their museums, credit lines and licences. Everything a folder does is the owner's alone; a
 * shared folder shows a reader only what they may see.
 */
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer({ throttles: { searchesPerAddressPerMinute: 40 } });
});
afterAll(() => server.close());

const TEA = "tea-and-its-vessels";
const tea = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")), "tea");
if (!tea.ok) throw tea.error;
const teaDoc = tea.doc;
/** Two artefacts of the tea show (placements) and their items. */
const [p1, p2] = Object.keys(teaDoc.placements).sort() as [string, string];

describe("collection folders", () => {
  it("saves two artefacts and a show, keeps the order given, shares it read-only and starts a show from it", async () => {
    const api = await documentedAnswers(server);
    const me = await ApiSession.signUpOn(server, "folders@school.test", "Lin Mei");
    const made = await me.call("POST", "/api/folders", { name: "茶碗 Tea bowls" });
    expect(made.status).toBe(201);
    api.check("/api/folders", "post", "201", made.body);
    const id = made.body.id as string;

    const first = await me.call("POST", `/api/folders/${id}/entries`, { exhibition: TEA, placement: p1 });
    expect(first.status).toBe(201);
    api.check("/api/folders/{id}/entries", "post", "201", first.body);
    expect((await me.call("POST", `/api/folders/${id}/entries`, { exhibition: TEA, placement: p2 })).status).toBe(201);
    // Saving the same artefact again changes nothing.
    const again = await me.call("POST", `/api/folders/${id}/entries`, { exhibition: TEA, placement: p1 });
    expect(again.status).toBe(200);
    expect(again.body.items).toHaveLength(2);
    expect((await me.call("POST", `/api/folders/${id}/entries`, { exhibition: "bone-and-clay" })).status).toBe(201);

    const folder = await me.call("GET", `/api/folders/${id}`);
    expect(folder.status).toBe(200);
    api.check("/api/folders/{id}", "get", "200", folder.body);
    const items = folder.body.items as { id: string; placement: string | null; title: Record<string, string>; href: string; licences: string[]; picture: string | null; available: boolean }[];
    expect(items.map((i) => i.placement)).toEqual([p1, p2, null]);
    const item1 = teaDoc.items[teaDoc.placements[p1]!.item]!;
    expect(items[0]).toMatchObject({ available: true, title: item1.title, href: `/visit/${TEA}?artefact=${p1}`, licences: [item1.licences.object] });
    expect(items[0]!.picture).toBeTruthy();
    expect(items[2]!.href).toBe("/visit/bone-and-clay");

    // Reordered by hand: the show first, then the artefacts the other way round.
    const order = [items[2]!.id, items[1]!.id, items[0]!.id];
    const reordered = await me.call("PUT", `/api/folders/${id}/order`, { entries: order });
    expect(reordered.status).toBe(200);
    expect(reordered.body.items.map((i: { id: string }) => i.id)).toEqual(order);
    expect((await me.call("GET", `/api/folders/${id}`)).body.items.map((i: { id: string }) => i.id)).toEqual(order);

    // The save menu asks which folders hold an artefact.
    const holds = await me.call("GET", `/api/folders?exhibition=${TEA}&placement=${p2}`);
    api.check("/api/folders", "get", "200", holds.body);
    expect(holds.body.folders).toEqual([expect.objectContaining({ id, holds: true, entries: 3 })]);

    // Shared read-only: anyone with the link sees it, nobody can change it through it.
    const shared = await me.call("PUT", `/api/folders/${id}/shared`, { shared: true });
    expect(shared.status).toBe(200);
    const link = shared.body.shared as string;
    const code = link.split("/f/")[1]!;
    expect(link).toBe(`${server.url}/f/${code}`);
    expect(code).toMatch(SHARE_CODE);
    const anyone = new ApiSession(server);
    const seen = await anyone.call("GET", `/api/shared-folders/${code}`);
    expect(seen.status).toBe(200);
    api.check("/api/shared-folders/{code}", "get", "200", seen.body);
    expect(seen.body).toMatchObject({ name: "茶碗 Tea bowls", owner: "Lin Mei" });
    expect(seen.body.items.map((i: { id: string }) => i.id)).toEqual(order);
    expect((await fetch(`${server.url}/f/${code}`)).status).toBe(200);

    // A new show from the folder: the two artefacts and every artefact of the saved show, once each.
    const started = await me.call("POST", `/api/folders/${id}/exhibition`, { language: "en" });
    expect(started.status).toBe(201);
    api.check("/api/folders/{id}/exhibition", "post", "201", started.body);
    const bone = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions/bone-and-clay.json"), "utf8")), "bone");
    if (!bone.ok) throw bone.error;
    expect(started.body).toMatchObject({ placed: 2 + Object.keys(bone.doc.placements).length, skipped: 0 });
    const newId = started.body.exhibition.id as string;
    expect(newId).toBe("tea-bowls");
    const doc = await me.call("GET", `/api/exhibitions/${newId}`);
    expect(doc.status).toBe(200);
    const check = parseExhibition(doc.body, "new show");
    expect(check.ok ? "" : check.error.message).toBe("");
    if (!check.ok) return;
    const show = check.doc;
    expect(show.meta).toMatchObject({ title: { en: "茶碗 Tea bowls" }, published: false, owner: { kind: "person" } });
    expect(show.meta.languages[0]).toBe("en");
    expect(Object.keys(show.placements)).toHaveLength(started.body.placed);
    // Each copied item keeps its museum, licences and credit line.
    const copy = Object.values(show.items).find((i) => i.title.en === item1.title.en)!;
    expect(copy.licences).toEqual(item1.licences);
    const museum = (d: typeof show, inst: string) => d.meta.museums.find((m) => m.id === inst);
    expect(creditText(copy, museum(show, copy.institution), "en")).toBe(creditText(item1, museum(teaDoc, item1.institution), "en"));
    // Nothing stands inside anything else.
    const spots = Object.values(show.placements).filter((p) => p.mount !== "wall").map((p) => [p.position[0], p.position[2]] as const);
    for (const [i, a] of spots.entries()) for (const b of spots.slice(i + 1)) expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeGreaterThan(0.5);
    expect(doc.status).toBe(200);
    const list = await me.call("GET", "/api/exhibitions");
    expect(list.body.exhibitions.find((e: { id: string }) => e.id === newId)).toMatchObject({ role: "owner", published: false });

    // Renamed, an entry taken out, unshared: the old link leads nowhere, for good.
    expect((await me.call("PATCH", `/api/folders/${id}`, { name: "Bowls" })).body.name).toBe("Bowls");
    expect((await me.call("DELETE", `/api/folders/${id}/entries/${order[0]}`)).body.items).toHaveLength(2);
    expect((await me.call("PUT", `/api/folders/${id}/shared`, { shared: false })).body.shared).toBeNull();
    expect((await anyone.call("GET", `/api/shared-folders/${code}`)).status).toBe(404);
    const reshared = await me.call("PUT", `/api/folders/${id}/shared`, { shared: true });
    expect(reshared.body.shared).not.toBe(link);
    expect((await fetch(`${server.url}/api/folders/${id}`, { method: "DELETE", headers: { cookie: me.cookie } })).status).toBe(204);
    expect((await me.call("GET", `/api/folders/${id}`)).status).toBe(404);
    // The show made from it stays.
    expect((await me.call("GET", `/api/exhibitions/${newId}`)).status).toBe(200);
  });

  it("shows a reader of a shared folder only what they may see, and its owner what is no longer there", async () => {
    const owner = await ApiSession.signUpOn(server, "showmaker@school.test", "Show Maker");
    expect((await owner.call("POST", "/api/exhibitions", { id: "soon-private", title: { en: "Soon private" }, template: "micro" })).status).toBe(201);
    const me = await ApiSession.signUpOn(server, "collector@school.test", "Collector");
    const f = (await me.call("POST", "/api/folders", { name: "Mixed" })).body.id as string;
    // A private show is not there for someone who may not see it.
    const refused = await me.call("POST", `/api/folders/${f}/entries`, { exhibition: "soon-private" });
    expect(refused.status).toBe(404);
    expect(refused.body.error).not.toContain("Soon private");
    // Made public, saved; private again: the owner of the folder sees it as no longer available, with the title it had.
    expect((await owner.call("POST", "/api/exhibitions/soon-private/publish")).status).toBe(200);
    expect((await me.call("POST", `/api/folders/${f}/entries`, { exhibition: "soon-private" })).status).toBe(201);
    expect((await me.call("POST", `/api/folders/${f}/entries`, { exhibition: TEA, placement: p1 })).status).toBe(201);
    expect((await owner.call("POST", "/api/exhibitions/soon-private/unpublish")).status).toBe(200);
    const mine = await me.call("GET", `/api/folders/${f}`);
    expect(mine.body.items.map((i: { available: boolean; title: Record<string, string> }) => [i.available, i.title.en])).toEqual([
      [false, "Soon private"],
      [true, teaDoc.items[teaDoc.placements[p1]!.item]!.title.en],
    ]);
    expect(mine.body.items[0]).toMatchObject({ picture: null, museums: [], licences: [] });
    // Shared, the private show is left out altogether (for anyone), shown to whoever may see it.
    const code = ((await me.call("PUT", `/api/folders/${f}/shared`, { shared: true })).body.shared as string).split("/f/")[1]!;
    const anonymous = await new ApiSession(server).call("GET", `/api/shared-folders/${code}`);
    expect(anonymous.body.items).toHaveLength(1);
    expect(JSON.stringify(anonymous.body)).not.toContain("soon-private");
    expect((await owner.call("GET", `/api/shared-folders/${code}`)).body.items).toHaveLength(2);
    // A show started from it leaves out what the user can no longer see.
    const started = await me.call("POST", `/api/folders/${f}/exhibition`, { title: "小展" });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ placed: 1, skipped: 1 });
    expect(started.body.exhibition.id).toBe("exhibition");
  });

  it("refuses strangers, wrong bodies, foreign origins and too much, naming the field", async () => {
    const me = await ApiSession.signUpOn(server, "hostile-folders@school.test");
    const other = await ApiSession.signUpOn(server, "other-folders@school.test");
    const anonymous = new ApiSession(server);
    const f = (await me.call("POST", "/api/folders", { name: "Mine" })).body.id as string;
    expect((await me.call("POST", `/api/folders/${f}/entries`, { exhibition: TEA, placement: p1 })).status).toBe(201);
    const entry = (await me.call("GET", `/api/folders/${f}`)).body.items[0].id as string;

    // Nobody signed in: 401 everywhere.
    for (const [method, path, body] of [
      ["GET", "/api/folders", undefined],
      ["POST", "/api/folders", { name: "x" }],
      ["GET", `/api/folders/${f}`, undefined],
      ["POST", `/api/folders/${f}/entries`, { exhibition: TEA }],
      ["POST", `/api/folders/${f}/exhibition`, {}],
    ] as const)
      expect((await anonymous.call(method, path, body)).status, `${method} ${path}`).toBe(401);
    // Someone else's folder does not exist for them, whatever they try.
    for (const [method, path, body] of [
      ["GET", `/api/folders/${f}`, undefined],
      ["PATCH", `/api/folders/${f}`, { name: "taken" }],
      ["POST", `/api/folders/${f}/entries`, { exhibition: TEA, placement: p2 }],
      ["DELETE", `/api/folders/${f}/entries/${entry}`, undefined],
      ["PUT", `/api/folders/${f}/order`, { entries: [entry] }],
      ["PUT", `/api/folders/${f}/shared`, { shared: true }],
      ["POST", `/api/folders/${f}/exhibition`, {}],
    ] as const)
      expect((await other.call(method, path, body)).status, `${method} ${path}`).toBe(404);
    expect((await fetch(`${server.url}/api/folders/${f}`, { method: "DELETE", headers: { cookie: other.cookie } })).status).toBe(404);
    expect((await me.call("GET", `/api/folders/${f}`)).body).toMatchObject({ name: "Mine", shared: null, entries: 1 });

    // Malformed: each refusal names the field.
    const bad = async (method: string, path: string, body: unknown, field: string, status = 400) => {
      const r = await me.call(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(r.body.error).toContain(field);
    };
    await bad("POST", "/api/folders", { name: "" }, "name");
    await bad("POST", "/api/folders", { name: "x".repeat(81) }, "name");
    await bad("POST", "/api/folders", { name: "ok", owner: "someone-else" }, "owner");
    await bad("POST", `/api/folders/${f}/entries`, { exhibition: TEA, placement: "../x" }, "placement");
    await bad("POST", `/api/folders/${f}/entries`, { exhibition: TEA, placement: "no-such-placement" }, "placement", 404);
    await bad("PUT", `/api/folders/${f}/order`, { entries: [entry, entry] }, "entries", 422);
    await bad("PUT", `/api/folders/${f}/order`, { entries: [] }, "entries", 422);
    await bad("PUT", `/api/folders/${f}/order`, { entries: Array.from({ length: 201 }, (_, i) => `e${i}`) }, "entries");
    await bad("POST", `/api/folders/${f}/exhibition`, { language: "not a language" }, "language");
    expect((await me.call("GET", "/api/folders/zzzzzzzzzzzz")).status).toBe(404);
    expect((await me.call("GET", `/api/folders/${"x".repeat(41)}`)).status).toBe(400);
    // Oversized and not JSON.
    const raw = (body: string) => fetch(`${server.url}/api/folders`, { method: "POST", headers: { "content-type": "application/json", cookie: me.cookie }, body });
    expect((await raw(JSON.stringify({ name: "x".repeat(2_000_000) }))).status).toBe(413);
    expect((await raw("{not json")).status).toBe(400);
    // A page of another site cannot make the user save or share anything.
    const foreign = await fetch(`${server.url}/api/folders/${f}/shared`, { method: "PUT", headers: { "content-type": "application/json", cookie: me.cookie, origin: "https://elsewhere.example" }, body: JSON.stringify({ shared: true }) });
    expect(foreign.status).toBe(403);
    expect((await me.call("GET", `/api/folders/${f}`)).body.shared).toBeNull();

    // Too much: the folder limit, and a show of more artefacts than a new show starts with.
    for (let i = (await me.call("GET", "/api/folders")).body.folders.length; i < FOLDER_LIMITS.foldersPerUser; i++) expect((await me.call("POST", "/api/folders", { name: `F${i}` })).status).toBe(201);
    const over = await me.call("POST", "/api/folders", { name: "one too many" });
    expect(over.status).toBe(409);
    expect(over.body.error).toContain(String(FOLDER_LIMITS.foldersPerUser));
    const large = JSON.parse(readFileSync(join(ROOT, "exhibitions/large-show.json"), "utf8"));
    expect((await me.call("POST", "/api/exhibitions/import", { document: large, id: "large-copy" })).status).toBe(201);
    expect((await me.call("POST", `/api/folders/${f}/entries`, { exhibition: "large-show" })).status).toBe(201);
    expect((await me.call("POST", `/api/folders/${f}/entries`, { exhibition: "large-copy" })).status).toBe(201);
    const tooMany = await me.call("POST", `/api/folders/${f}/exhibition`, {});
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error).toMatch(/^entries: .*81 artefacts.*at most 60/);
    // An empty folder starts nothing.
    const empty = (await other.call("POST", "/api/folders", { name: "Empty" })).body.id as string;
    expect((await other.call("POST", `/api/folders/${empty}/exhibition`, {})).status).toBe(422);
  });

  // Five imports of a 40-artefact show and 200 entries: seconds on a loaded CI machine in the scaled mode.
  it("keeps a folder to its limit of entries, and makes a guessed link cost as much as a search", { timeout: 60_000 }, async () => {
    const me = await ApiSession.signUpOn(server, "full-folder@school.test");
    const f = (await me.call("POST", "/api/folders", { name: "Full" })).body.id as string;
    const large = JSON.parse(readFileSync(join(ROOT, "exhibitions/large-show.json"), "utf8"));
    // 5 imported copies of the 40-artefact show give 200 different artefacts.
    const saves: Promise<{ status: number }>[] = [];
    for (let c = 0; c < 5; c++) {
      expect((await me.call("POST", "/api/exhibitions/import", { document: large, id: `full-${c}` })).status).toBe(201);
      for (const p of Object.keys(large.placements)) saves.push(me.call("POST", `/api/folders/${f}/entries`, { exhibition: `full-${c}`, placement: p }));
    }
    expect((await Promise.all(saves)).every((r) => r.status === 201)).toBe(true);
    const full = await me.call("POST", `/api/folders/${f}/entries`, { exhibition: TEA });
    expect(full.status).toBe(409);
    expect(full.body.error).toContain(`folder: this folder holds ${FOLDER_LIMITS.entriesPerFolder}`);
    const got = await me.call("GET", `/api/folders/${f}`);
    expect(got.body.entries).toBe(FOLDER_LIMITS.entriesPerFolder);
    // Positions are distinct even when saved at once.
    expect(new Set(got.body.items.map((i: { id: string }) => i.id)).size).toBe(FOLDER_LIMITS.entriesPerFolder);

    // Guessing shared links from one address is throttled like a search.
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await fetch(`${server.url}/api/shared-folders/zzzzzzzzz${i % 10}`)).status);
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
