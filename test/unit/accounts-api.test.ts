import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { ExhibitionStore, readExhibition } from "../../src/collab";
import { setText } from "../../src/shared/exhibition";
import { ensureAdmin } from "../../server/accounts/admin";
import { CLOSE } from "../../server/sync/messages";
import { ApiSession } from "../support/api-session";
import { RawClient, waitFor } from "../support/sync-clients";
import { startServer } from "../support/server";
import { testAccounts } from "../support/storage-mode";

/** Accounts, museums, roles and invites through the real REST API, enforced on the real sync endpoint. */
const accounts = testAccounts("accounts");
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  await ensureAdmin(accounts, "admin@atrium.test", "correct horse battery");
  server = await startServer({ accounts });
});
afterEach(() => {
  for (const s of sessions) s.closeAll();
});
afterAll(async () => {
  await server.close();
  await accounts.close();
});

/** Sessions against this file's server; their providers are destroyed after each test. */
const sessions: ApiSession[] = [];
class Session extends ApiSession {
  constructor() {
    // The server starts in beforeAll, after some sessions are made: read its address lazily.
    super({ get url() { return server.url; }, get ws() { return server.ws; } });
    sessions.push(this);
  }
  static async signUp(email: string, name = email.split("@")[0]!) {
    const s = new Session();
    const r = await s.call("POST", "/api/accounts", { email, name, password: "a long enough password" });
    expect(r.status).toBe(201);
    return s;
  }
}

describe("accounts and sessions", () => {
  it("signs up with an HttpOnly session cookie and knows who is signed in", async () => {
    const s = new Session();
    const r = await s.call("POST", "/api/accounts", { email: "Lin@School.test", name: "Teacher Lin", password: "a long enough password" });
    expect(r.status).toBe(201);
    expect(r.setCookie).toMatch(/^atrium_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000$/);
    expect((await s.call("GET", "/api/me")).body.user).toMatchObject({ email: "lin@school.test", name: "Teacher Lin", isAdmin: false });
    expect((await s.call("DELETE", "/api/sessions")).status).toBe(200);
    expect((await s.call("GET", "/api/me")).status).toBe(401);
    // Pages ask /api/session: nobody signed in is a plain answer, not a 401 in the visitor's console.
    expect(await s.call("GET", "/api/session")).toMatchObject({ status: 200, body: { user: null, museums: [] } });
    expect((await s.call("POST", "/api/sessions", { email: "lin@school.test", password: "wrong password!" })).status).toBe(401);
    expect((await s.call("POST", "/api/sessions", { email: "lin@school.test", password: "a long enough password" })).status).toBe(200);
    expect((await s.call("GET", "/api/me")).status).toBe(200);
    expect((await s.call("GET", "/api/session")).body.user).toMatchObject({ email: "lin@school.test" });
    // A forged or stale session cookie is nobody, never someone else.
    const forged = await fetch(`${server.url}/api/session`, { headers: { cookie: "atrium_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } });
    expect(forged.status).toBe(200);
    expect((await forged.json()).user).toBeNull();
  });

  it("validates every body and names the field", async () => {
    const s = new Session();
    expect((await s.call("POST", "/api/accounts", { email: "not-an-email", name: "X", password: "a long enough password" })).body).toEqual({ error: expect.stringMatching(/^email: /), field: "email" });
    expect((await s.call("POST", "/api/accounts", { email: "x@y.test", name: "X", password: "short" })).body).toEqual({ error: "password: must be at least 10 characters", field: "password" });
    expect((await s.call("POST", "/api/accounts", { email: "lin@school.test", name: "Dup", password: "a long enough password" })).status).toBe(409);
    const raw = await fetch(`${server.url}/api/accounts`, { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    expect(raw.status).toBe(415);
    const broken = await fetch(`${server.url}/api/accounts`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toMatch(/^the body is not valid JSON/);
  });

  it("publishes an OpenAPI document built from the same schemas", async () => {
    const doc = (await new Session().call("GET", "/api/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    const register = doc.paths["/api/accounts"].post.requestBody.content["application/json"].schema;
    expect(register.properties.email.format).toBe("email");
    expect(register.required).toEqual(["email", "name", "password"]);
    expect(Object.keys(doc.paths)).toContain("/api/exhibitions/{id}/invites");
  });
});

describe("museums, exhibitions and roles", () => {
  const admin = new Session();
  let curatorA: Session, curatorB: Session, museumAdminA: Session, teacher: Session;

  beforeAll(async () => {
    expect((await admin.call("POST", "/api/sessions", { email: "admin@atrium.test", password: "correct horse battery" })).status).toBe(200);
    curatorA = await Session.signUp("ana@museum-a.test");
    museumAdminA = await Session.signUp("amy@museum-a.test");
    curatorB = await Session.signUp("bo@museum-b.test");
    teacher = await Session.signUp("tess@school.test");
    for (const [id, en] of [["museum-a", "Museum A"], ["museum-b", "Museum B"]]) expect((await admin.call("POST", "/api/museums", { id, name: { en } })).status).toBe(201);
    expect((await curatorA.call("POST", "/api/museums", { id: "museum-c", name: { en: "C" } })).status).toBe(403);
    expect((await admin.call("POST", "/api/museums/museum-a/members", { email: "ana@museum-a.test", role: "curator" })).status).toBe(200);
    expect((await admin.call("POST", "/api/museums/museum-a/members", { email: "amy@museum-a.test", role: "admin" })).status).toBe(200);
    expect((await admin.call("POST", "/api/museums/museum-b/members", { email: "bo@museum-b.test", role: "curator" })).status).toBe(200);
  });

  it("a museum curator creates a draft that only their museum can see", async () => {
    const r = await curatorA.call("POST", "/api/exhibitions", { id: "a-draft", title: { en: "Celadon", "zh-Hant": "青瓷" }, museum: "museum-a" });
    expect(r.status).toBe(201);
    expect(r.body.role).toBe("curator");
    expect((await curatorA.call("GET", "/api/exhibitions/a-draft")).body.meta.owner).toEqual({ kind: "museum", id: "museum-a" });
    expect((await museumAdminA.call("GET", "/api/exhibitions/a-draft")).status).toBe(200);
    expect((await curatorB.call("GET", "/api/exhibitions/a-draft")).status).toBe(404);
    expect((await curatorB.call("GET", "/api/exhibitions")).body.exhibitions.map((e: { id: string }) => e.id)).not.toContain("a-draft");
    expect((await new Session().call("GET", "/api/exhibitions/a-draft")).status).toBe(404);
    expect((await curatorB.call("POST", "/api/exhibitions", { id: "b-in-a", title: { en: "x" }, museum: "museum-a" })).body).toEqual({ error: "museum: you are not a member of museum-a", field: "museum" });
    expect((await curatorA.call("POST", "/api/exhibitions", { id: "a-draft", title: { en: "again" } })).status).toBe(409);
  });

  it("a curator of museum B cannot open museum A's draft over sync, even by hand", async () => {
    await expect(curatorB.raw("a-draft").opened).rejects.toThrow("HTTP 403");
    await expect(new RawClient(`${server.ws}/sync/a-draft`).opened).rejects.toThrow("HTTP 403");
  });

  it("invites a curator of another museum as co-curator and a teacher as commenter; all edit or watch live", async () => {
    expect((await curatorA.call("POST", "/api/exhibitions/a-draft/invites", { role: "curator" })).status).toBe(403);
    const invite = await museumAdminA.call("POST", "/api/exhibitions/a-draft/invites", { role: "curator" });
    expect(invite.status).toBe(201);
    expect((await new Session().call("GET", `/api/invites/${invite.body.token}`)).body).toEqual({ exhibition: "a-draft", role: "curator", title: { en: "Celadon", "zh-Hant": "青瓷" }, languages: ["zh-Hant", "en"] });
    expect((await curatorB.call("POST", `/api/invites/${invite.body.token}/accept`)).body).toEqual({ exhibition: "a-draft", role: "curator" });
    const commenter = await museumAdminA.call("POST", "/api/exhibitions/a-draft/invites", { role: "commenter" });
    expect((await teacher.call("POST", `/api/invites/${commenter.body.token}/accept`)).body.role).toBe("commenter");
    expect((await teacher.call("POST", "/api/invites/not-a-token/accept")).status).toBe(404);

    const [a, b, t] = [curatorA.provider("a-draft"), curatorB.provider("a-draft"), teacher.provider("a-draft")];
    await waitFor(() => a.synced && b.synced && t.synced);
    new ExhibitionStore(a.doc).apply((d) => setText(d, { kind: "room", id: "main" }, "en", "Celadon from A"));
    new ExhibitionStore(b.doc).apply((d) => setText(d, { kind: "meta", field: "intro" }, "en", "Written by B"));
    await waitFor(() => {
      const [da, db, dt] = [a, b, t].map((p) => readExhibition(p.doc));
      return [da, db, dt].every((d) => d!.rooms["main"]!.name.en === "Celadon from A" && d!.meta.intro.en === "Written by B");
    });
    // The teacher (commenter) reads live but cannot change the document, even by hand.
    const raw = teacher.raw("a-draft");
    await raw.opened;
    raw.hello();
    await waitFor(() => raw.synced);
    raw.edit((d) => d.getMap("meta").set("title", { en: "Hijacked" }));
    await waitFor(() => raw.closed !== null);
    expect(raw.closed!.code).toBe(CLOSE.READ_ONLY);
    expect((await curatorA.call("GET", "/api/exhibitions/a-draft")).body.meta.title.en).toBe("Celadon");
    const members = (await curatorA.call("GET", "/api/exhibitions/a-draft/members")).body.members;
    expect(members.map((m: { user: { email: string }; role: string }) => [m.user.email, m.role]).sort()).toEqual([
      ["bo@museum-b.test", "curator"],
      ["tess@school.test", "commenter"],
    ]);
  });

  it("publishing opens the exhibition to anonymous visitors, read-only; unpublishing closes it", async () => {
    const visitor = new Session();
    expect((await curatorA.call("POST", "/api/exhibitions/a-draft/publish")).status).toBe(403);
    expect((await museumAdminA.call("POST", "/api/exhibitions/a-draft/publish")).body).toEqual({ id: "a-draft", published: true });
    const seen = await visitor.call("GET", "/api/exhibitions/a-draft");
    expect(seen.status).toBe(200);
    expect(seen.body.meta.published).toBe(true);
    const anon = visitor.raw("a-draft");
    await anon.opened;
    anon.hello();
    await waitFor(() => anon.synced);
    anon.edit((d) => d.getMap("meta").set("title", { en: "Graffiti" }));
    await waitFor(() => anon.closed !== null);
    expect(anon.closed!.code).toBe(CLOSE.READ_ONLY);
    expect((await museumAdminA.call("POST", "/api/exhibitions/a-draft/unpublish")).status).toBe(200);
    expect((await visitor.call("GET", "/api/exhibitions/a-draft")).status).toBe(404);
    await expect(visitor.raw("a-draft").opened).rejects.toThrow("HTTP 403");
  });

  it("the sample exhibitions are public", async () => {
    const list = (await new Session().call("GET", "/api/exhibitions")).body.exhibitions;
    expect(list.map((e: { id: string }) => e.id).sort()).toEqual(["bone-and-clay", "large-show", "tea-and-its-vessels"]);
    expect(list.every((e: { role: string }) => e.role === "viewer")).toBe(true);
  });
});
