import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as decoding from "lib0/decoding";
import { Attribution, readExhibition } from "../../src/collab";
import { parseExhibition } from "../../src/shared/exhibition";
import { ensureAdmin } from "../../server/accounts/admin";
import { CLOSE, MESSAGE_AWARENESS } from "../../server/sync/messages";
import { ApiSession, TEST_ADMIN } from "../support/api-session";
import { awarenessMessage, closedWithin } from "../support/hostile";
import { startServer } from "../support/server";
import { RawClient, waitFor } from "../support/sync-clients";
import { testAccounts } from "../support/storage-mode";

/**
 * What writers and visitors may put into a shared show (issue 16, items 2 and 7): protected
 * fields, another museum's credit, signatures, and presence.
 */
const accounts = testAccounts("writes");
let server: Awaited<ReturnType<typeof startServer>>;
let ana: ApiSession; // owner, museum "palace"
let bo: ApiSession; // co-curator, museum "cmoa"
let anaId = "";
let boId = "";
const raws: RawClient[] = [];
const sockets: WebSocket[] = [];

async function joined(s: ApiSession, doc = "joint"): Promise<RawClient> {
  const r = new RawClient(`${server.ws}/sync/${doc}`, s.cookie ? { cookie: s.cookie } : {});
  raws.push(r);
  await r.opened;
  r.hello();
  await waitFor(() => r.synced, 5000, "sync");
  return r;
}

/** A socket that records every presence state it is sent, by client id. */
function presenceWatcher(s: ApiSession | null, doc = "joint") {
  const seen = new Map<number, unknown>();
  const ws = new WebSocket(`${server.ws}/sync/${doc}`, { headers: s?.cookie ? { cookie: s.cookie } : {} });
  sockets.push(ws);
  ws.on("message", (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(d) !== MESSAGE_AWARENESS) return;
    const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
    const n = decoding.readVarUint(inner);
    for (let i = 0; i < n; i++) {
      const id = decoding.readVarUint(inner);
      decoding.readVarUint(inner);
      seen.set(id, JSON.parse(decoding.readVarString(inner)));
    }
  });
  return { ws, seen, opened: new Promise<void>((ok) => ws.once("open", () => ok())) };
}

beforeAll(async () => {
  await ensureAdmin(accounts, TEST_ADMIN.email, TEST_ADMIN.password);
  // Review reads: a limit the polling waits below stay under, the flood test goes over.
  server = await startServer({ accounts, throttles: { reviewReadsPerUserPerMinute: 400 } });
  const admin = await ApiSession.admin(server);
  ana = await ApiSession.signUpOn(server, "ana@palace.test", "Ana");
  bo = await ApiSession.signUpOn(server, "bo@cmoa.test", "Bo");
  anaId = (await ana.call("GET", "/api/me")).body.user.id;
  boId = (await bo.call("GET", "/api/me")).body.user.id;
  for (const [id, en] of [["palace", "Palace Museum (sample)"], ["cmoa", "Carnegie Museum of Art"]]) await admin.call("POST", "/api/museums", { id, name: { en } });
  await admin.call("POST", "/api/museums/palace/members", { email: "ana@palace.test", role: "admin" });
  await admin.call("POST", "/api/museums/cmoa/members", { email: "bo@cmoa.test", role: "curator" });
  expect((await ana.call("POST", "/api/exhibitions", { id: "joint", title: { en: "Joint show" }, museum: "palace", template: "two-museum" })).status).toBe(201);
  const invite = (await ana.call("POST", "/api/exhibitions/joint/invites", { role: "curator" })).body;
  await bo.call("POST", `/api/invites/${invite.token}/accept`);
  // Ana puts a palace object in the show.
  const a = await joined(ana);
  a.edit((d) => {
    const meta = d.getMap("meta");
    meta.set("museums", [...(meta.get("museums") as unknown[]), { id: "palace", name: { en: "Palace Museum (sample)" } }]);
    // A raw client writes the layout as a page does: the record's JSON, and its title as a text.
    d.getText("text:items:vase:title:en").insert(0, "Vase");
    d.getMap("items").set("vase", { institution: "palace", creditLine: { en: "Palace Museum (sample)" }, licences: { metadata: "CC0-1.0", thumbnail: "CC0-1.0", object: "CC0-1.0" }, asset: { kind: "model", tiers: { high: "/models/tea/teapot.glb" } } });
  });
  await new Promise((r) => setTimeout(r, 100));
  a.close();
});
afterEach(() => {
  for (const r of raws.splice(0)) r.close();
  for (const s of sockets.splice(0)) s.terminate();
});
afterAll(async () => {
  await server.close();
  await accounts.close();
});

describe("writes another museum's curator may not make", () => {
  it("refuses a curator's rewrite of the show's museums (which left it unreadable before), and the show still opens for its owner", async () => {
    const b = await joined(bo);
    b.edit((d) => d.getMap("meta").set("museums", "nobody"));
    await waitFor(() => b.closed !== null, 5000, "refused");
    expect(b.closed!.code).toBe(CLOSE.READ_ONLY);
    expect(b.closed!.reason).toMatch(/meta\.museums/);
    const b2 = await joined(bo);
    b2.edit((d) => d.getMap("meta").set("museums", [{ id: "cmoa", name: { en: "Carnegie Museum of Art" } }]));
    await waitFor(() => b2.closed !== null, 5000, "refused");
    expect(b2.closed!.reason).toMatch(/only its owner may change or remove one/);
    const doc = (await ana.call("GET", "/api/exhibitions/joint")).body;
    expect(parseExhibition(doc, "joint").ok).toBe(true);
    expect(doc.meta.museums.map((m: { id: string }) => m.id)).toContain("palace");
  });

  it("refuses a curator's change of another museum's credit line, institution or lock, and publication over sync", async () => {
    for (const change of [
      (item: Record<string, unknown>) => ({ ...item, creditLine: { en: "Gift of Bo" } }),
      (item: Record<string, unknown>) => ({ ...item, institution: "cmoa" }),
      (item: Record<string, unknown>) => ({ ...item, lockedBy: "cmoa" }),
    ]) {
      const b = await joined(bo);
      b.edit((d) => d.getMap("items").set("vase", change(d.getMap("items").get("vase") as Record<string, unknown>)));
      await waitFor(() => b.closed !== null, 5000, "refused");
      expect(b.closed!.code).toBe(CLOSE.READ_ONLY);
    }
    const owner = await joined(ana);
    owner.edit((d) => d.getMap("meta").set("published", true));
    await waitFor(() => owner.closed !== null, 5000, "refused");
    expect(owner.closed!.reason).toMatch(/set by the server only/);
    const doc = (await ana.call("GET", "/api/exhibitions/joint")).body;
    expect(doc.items.vase.creditLine.en).toBe("Palace Museum (sample)");
    expect(doc.items.vase.institution).toBe("palace");
    expect(doc.meta.published).toBe(false);
  });

  it("refuses a comment signed with another name than the account's", async () => {
    const b = await joined(bo);
    b.edit((d) => d.getMap("comments").set("c-1", { id: "c-1", item: "vase", author: boId, authorName: "Atrium (official)", text: "This show closes today", at: Date.now() }));
    await waitFor(() => b.closed !== null, 5000, "refused");
    expect(b.closed!.reason).toMatch(/account name/);
    const ok = await joined(bo);
    ok.edit((d) => d.getMap("comments").set("c-2", { id: "c-2", item: "vase", author: boId, authorName: "Bo", text: "Lovely glaze", at: Date.now() }));
    const watcher = await joined(ana);
    await waitFor(() => watcher.doc.getMap("comments").has("c-2"), 5000, "own comment stored");
    expect(watcher.doc.getMap("comments").has("c-1")).toBe(false);
    expect(readExhibition(watcher.doc).items["vase"]).toBeDefined();
  });
});

describe("comment threads from a hostile client, and their API", () => {
  it("refuses editing another's comment, moving one's own in time, and a thread state signed by someone else; lists the threads for members only", async () => {
    const a = await joined(ana);
    const at = Date.now();
    a.edit((d) => d.getMap("comments").set("c-ana", { id: "c-ana", item: "vase", author: anaId, authorName: "Ana", text: "@Bo is the glaze right?", at, mentions: [boId] }));
    await waitFor(async () => ((await bo.call("GET", "/api/exhibitions/joint/comments")).body.threads ?? []).length > 0, 5000, "listed");
    const cases: [string, (d: import("yjs").Doc) => void, RegExp][] = [
      ["an edit of Ana's comment", (d) => d.getMap("comments").set("c-ana", { id: "c-ana", item: "vase", author: anaId, authorName: "Ana", text: "Bo wrote this", at }), /changed by its author/],
      ["a thread resolved in Ana's name", (d) => d.getMap("comments").set("thread-vase", { kind: "thread", item: "vase", resolved: true, by: anaId, byName: "Ana", at }), /signed by whoever resolves/],
      ["a thread state under another item's key", (d) => d.getMap("comments").set("thread-vase", { kind: "thread", item: "teapot", resolved: true, by: boId, byName: "Bo", at }), /its key must name its item/],
    ];
    for (const [what, edit, reason] of cases) {
      const b = await joined(bo);
      b.edit(edit);
      await waitFor(() => b.closed !== null, 5000, what);
      expect(b.closed!.reason, what).toMatch(reason);
    }
    // Bo's own comment: he edits it (taken), then tries to date it back (refused).
    const b = await joined(bo);
    b.edit((d) => d.getMap("comments").set("c-bo", { id: "c-bo", item: "vase", author: boId, authorName: "Bo", text: "Yes", at: at + 1 }));
    b.edit((d) => d.getMap("comments").set("c-bo", { id: "c-bo", item: "vase", author: boId, authorName: "Bo", text: "Yes, celadon", at: at + 1, edited: at + 2 }));
    b.edit((d) => d.getMap("comments").set("thread-vase", { kind: "thread", item: "vase", resolved: true, by: boId, byName: "Bo", at: at + 3 }));
    await waitFor(async () => ((await ana.call("GET", "/api/exhibitions/joint/comments")).body.threads?.[0]?.resolved ?? false) === true, 5000, "resolved by Bo");
    b.edit((d) => d.getMap("comments").set("c-bo", { id: "c-bo", item: "vase", author: boId, authorName: "Bo", text: "Yes, celadon", at: 1, edited: at + 4 }));
    await waitFor(() => b.closed !== null, 5000, "backdated");
    expect(b.closed!.reason).toMatch(/keeps its item and time/);
    const b2 = await joined(bo);
    b2.edit((d) => d.getMap("comments").delete("thread-vase"));
    await waitFor(() => b2.closed !== null, 5000, "thread state removed");
    expect(b2.closed!.reason).toMatch(/only be removed by the show's owner/);

    const list = (await bo.call("GET", "/api/exhibitions/joint/comments?since=0")).body;
    const vase = list.threads.find((t: { item: string }) => t.item === "vase");
    expect(vase).toMatchObject({ resolved: true, resolvedBy: { name: "Bo" }, mentionsMe: 1, unread: 1 });
    expect(vase.comments.map((c: { text: string }) => c.text).slice(-2)).toEqual(["@Bo is the glaze right?", "Yes, celadon"]);
    expect((await bo.call("GET", `/api/exhibitions/joint/comments?since=${at + 10}`)).body.threads[0].unread).toBe(0);
    expect((await bo.call("GET", "/api/exhibitions/joint/comments?open=1")).body.threads).toEqual([]);
    expect((await bo.call("GET", "/api/exhibitions/joint/comments?since=-5")).status).toBe(400);
    expect((await new ApiSession(server).call("GET", "/api/exhibitions/joint/comments")).status).toBe(401);
    const stranger = await ApiSession.signUpOn(server, "eve@elsewhere.test", "Eve");
    expect([403, 404]).toContain((await stranger.call("GET", "/api/exhibitions/joint/comments")).status);
    a.close();
  });
});

describe("co-written texts from a hostile client", () => {
  it("refuses another museum's keystrokes in a locked item's texts, in any language; the locking museum keeps writing", async () => {
    const a = await joined(ana);
    a.edit((d) => d.getMap("items").set("vase", { ...(d.getMap("items").get("vase") as object), lockedBy: "palace" }));
    await waitFor(async () => (await ana.call("GET", "/api/exhibitions/joint")).body.items.vase.lockedBy === "palace", 5000, "locked");
    for (const [lang, field, words] of [["en", "description", "Bo was here"], ["zh-Hant", "title", "花瓶"], ["en", "title", "!"]] as const) {
      const b = await joined(bo);
      b.edit((d) => d.getText(`text:items:vase:${field}:${lang}`).insert(0, words));
      await waitFor(() => b.closed !== null, 5000, "refused");
      expect(b.closed!.code).toBe(CLOSE.READ_ONLY);
      expect(b.closed!.reason).toMatch(new RegExp(`items\\.vase\\.${field} \\(${lang}\\): item "vase" is locked by palace`));
    }
    // Deleting the title's letters is an edit too.
    const b = await joined(bo);
    b.edit((d) => d.getText("text:items:vase:title:en").delete(0, 2));
    await waitFor(() => b.closed !== null, 5000, "refused");
    expect(b.closed!.reason).toMatch(/locked by palace/);
    a.edit((d) => d.getText("text:items:vase:description:en").insert(0, "Qing dynasty."));
    await waitFor(async () => (await ana.call("GET", "/api/exhibitions/joint")).body.items.vase.description.en === "Qing dynasty.", 5000, "the lock's museum writes");
    const doc = (await ana.call("GET", "/api/exhibitions/joint")).body;
    expect(doc.items.vase.title).toEqual({ en: "Vase" });
    a.edit((d) => {
      const rec = { ...(d.getMap("items").get("vase") as Record<string, unknown>) };
      delete rec.lockedBy;
      d.getMap("items").set("vase", rec);
    });
    await waitFor(async () => (await ana.call("GET", "/api/exhibitions/joint")).body.items.vase.lockedBy === undefined, 5000, "unlocked");
    a.close();
  });
});

describe("review mode: who wrote what, and named versions' documents", () => {
  it("records the account behind each change (never what a page claims), refuses a client writing or removing it, and serves a version's document to the show's curators only", async () => {
    const room = (d: import("yjs").Doc) => [...d.getMap("rooms").keys()][0]!;
    const a = await joined(ana);
    const saved = await ana.call("POST", "/api/exhibitions/joint/versions", { name: "before Bo" });
    expect(saved.status).toBe(201);
    const b = await joined(bo);
    b.edit((d) => d.getText("text:items:vase:description:en").insert(0, "Celadon. "));
    b.edit((d) => d.getMap("rooms").set(room(d), { ...(d.getMap("rooms").get(room(d)) as object), lighting: "warm" }));
    // The notes are the server's, read over HTTP by the show's curators (never synced to pages).
    const notes = async (doc: import("yjs").Doc, who = ana) => Attribution.fromUpdate(doc, Buffer.from((await who.call("GET", "/api/exhibitions/joint/attribution")).body.update, "base64"));
    await waitFor(async () => (await notes(a.doc)).ofRecord("rooms", room(a.doc))?.name === "Bo", 5000, "Bo's room change attributed");
    const seen = await notes(a.doc);
    expect(seen.ofRecord("rooms", room(a.doc))).toEqual({ id: boId, name: "Bo" });
    expect(seen.ofText("items", "vase", "description", "en", 0, 9, false)).toEqual([{ id: boId, name: "Bo" }]);
    expect(a.doc.share.has("users")).toBe(false);
    // Ana takes Bo's words out again: the deletion is hers.
    a.edit((d) => d.getText("text:items:vase:description:en").delete(0, 9));
    await waitFor(async () => (await notes(b.doc, bo)).ofText("items", "vase", "description", "en", 0, 0, true).some((x) => x.name === "Ana"), 5000, "Ana's deletion attributed");
    expect((await new ApiSession(server).call("GET", "/api/exhibitions/joint/attribution")).status).toBe(401);
    const outsider = await ApiSession.signUpOn(server, "trudy@elsewhere.test", "Trudy");
    expect([403, 404]).toContain((await outsider.call("GET", "/api/exhibitions/joint/attribution")).status);

    // A page may not write attribution into the show, under any name.
    const forger = await joined(bo);
    forger.edit((d) => d.getMap("users").set(JSON.stringify([boId, "Ana"]), 1));
    await waitFor(() => forger.closed !== null, 5000, "forged attribution");
    expect(forger.closed!.reason).toMatch(/"users" is not part of an exhibition document/);
    // The version's document, for the review: curators of the show only.
    const version = saved.body.id as number;
    const got = await bo.call("GET", `/api/exhibitions/joint/versions/${version}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: version, name: "before Bo", author: "Ana" });
    expect(got.body.document.items.vase.description?.en ?? "").not.toContain("Celadon");
    expect(parseExhibition(got.body.document, "version").ok).toBe(true);
    expect((await new ApiSession(server).call("GET", `/api/exhibitions/joint/versions/${version}`)).status).toBe(401);
    const stranger = await ApiSession.signUpOn(server, "mallory@elsewhere.test", "Mallory");
    expect([403, 404]).toContain((await stranger.call("GET", `/api/exhibitions/joint/versions/${version}`)).status);
    expect((await bo.call("GET", "/api/exhibitions/joint/versions/x")).status).toBe(400);
    expect((await bo.call("GET", "/api/exhibitions/joint/versions/-1")).status).toBe(400);
    expect((await bo.call("GET", `/api/exhibitions/joint/versions/${version + 1000}`)).status).toBe(404);
    a.close();
    b.close();
  });

  it("answers a flood of review reads with 429 and Retry-After before doing the work, for that account only", async () => {
    // Each read merges the stored notes or parses a document; a curator's script in a loop gets refused.
    const paths = ["/api/exhibitions/joint/attribution", "/api/exhibitions/joint/comments", "/api/exhibitions/joint/versions/1"];
    let refused: Response | null = null;
    for (let sent = 0; sent < 450 && !refused; sent += 25) {
      const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => bo.get(paths[i % 3]!)));
      refused = answers.find((r) => r.status === 429) ?? null;
      for (const r of answers) expect([200, 404, 429]).toContain(r.status);
    }
    expect(refused, "a 429 within 450 reads").not.toBeNull();
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused!.json()).error).toMatch(/review material/);
    // Another curator of the same show reads on.
    expect((await ana.call("GET", "/api/exhibitions/joint/attribution")).status).toBe(200);
    expect((await ana.call("GET", "/api/exhibitions/joint/comments")).status).toBe(200);
  });
});

describe("presence", () => {
  it("relays a curator's presence, but never an anonymous visitor's, nor one claiming another's client id", async () => {
    expect((await ana.call("POST", "/api/exhibitions/joint/publish")).status).toBe(200);
    const third = presenceWatcher(ana);
    await third.opened;
    const owner = presenceWatcher(ana);
    await owner.opened;
    const state = (name: string, id = anaId) => ({ user: { id, name, colour: "#1971c2" }, room: null, selection: null });
    owner.ws.send(awarenessMessage([{ id: 4242, clock: 1, state: state("Ana") }]));
    await waitFor(() => (third.seen.get(4242) as { user?: { name: string } } | undefined)?.user?.name === "Ana", 5000, "owner's presence relayed");

    // Bo claims Ana's client id with a later clock and another name: dropped, not relayed.
    const mallory = presenceWatcher(bo);
    await mallory.opened;
    mallory.ws.send(awarenessMessage([{ id: 4242, clock: 5, state: state("Ana (renamed)") }]));
    // Bo's own state may not name Ana either.
    mallory.ws.send(awarenessMessage([{ id: 777, clock: 1, state: state("Ana", anaId) }]));
    // An anonymous visitor's state is not relayed at all.
    const visitor = presenceWatcher(null);
    await visitor.opened;
    visitor.ws.send(awarenessMessage([{ id: 999, clock: 1, state: state("Visitor", "anon") }]));
    await new Promise((r) => setTimeout(r, 300));
    expect((third.seen.get(4242) as { user: { name: string } }).user.name).toBe("Ana");
    expect(third.seen.has(777)).toBe(false);
    expect(third.seen.has(999)).toBe(false);
    expect((await ana.call("POST", "/api/exhibitions/joint/unpublish")).status).toBe(200);
  });

  it("closes a connection that sends a 900 KB presence message, and relays nothing of it", async () => {
    const third = presenceWatcher(ana);
    await third.opened;
    const b = presenceWatcher(bo);
    await b.opened;
    b.ws.send(awarenessMessage([{ id: 5151, clock: 1, state: { user: { id: boId, name: "Bo", colour: "#2f9e44" }, junk: "x".repeat(900_000) } }]));
    expect(await closedWithin(b.ws, 2000)).toBe(CLOSE.TOO_LARGE);
    await new Promise((r) => setTimeout(r, 200));
    expect(third.seen.has(5151)).toBe(false);
  });
});
