import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAdmin } from "../../server/accounts/admin";
import { importedEntryId } from "../../server/catalogue/record-import";
import { ApiSession, TEST_ADMIN } from "../support/api-session";
import { startServer } from "../support/server";
import { testAccounts } from "../support/storage-mode";

/**
 * Accounts, roles and the API's small doors (issue 16, items 8 and 9): password guessing,
 * weak passwords, who-has-an-account probing, role changes on record, invites, class joins
 * behind one school router, catalogue ids of two museums, upload quotas.
 */
const accounts = testAccounts("abuse");
let server: Awaited<ReturnType<typeof startServer>>;
let admin: ApiSession;

beforeAll(async () => {
  await ensureAdmin(accounts, TEST_ADMIN.email, TEST_ADMIN.password);
  server = await startServer({ accounts, throttles: { uploadsPerUserPerHour: 2, signupsPerAddressPerHour: 100 } });
  admin = await ApiSession.admin(server);
  for (const [id, en] of [["pgh", "Pittsburgh test museum"], ["pgh-2", "Another museum"]]) expect((await admin.call("POST", "/api/museums", { id, name: { en } })).status).toBe(201);
});
afterAll(async () => {
  await server.close();
  await accounts.close();
});

describe("signing in", () => {
  it("slows down password guessing with 429 and Retry-After, even for the right password, until the back-off ends", async () => {
    await ApiSession.signUpOn(server, "guessed@museum.test", "Guessed");
    const guesser = new ApiSession(server);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await guesser.call("POST", "/api/sessions", { email: "guessed@museum.test", password: `wrong guess ${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(6)).toEqual([429, 429]);
    const right = await fetch(`${server.url}/api/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "guessed@museum.test", password: "a long enough password" }) });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another account from the same address is not blocked by this one's back-off.
    await ApiSession.signUpOn(server, "other@museum.test", "Other");
    expect((await guesser.call("POST", "/api/sessions", { email: "other@museum.test", password: "a long enough password" })).status).toBe(200);
  });

  it("refuses weak passwords by name, with the reason", async () => {
    for (const password of ["aaaaaaaaaaaa", "password123", "qwertyuiop1", "weak@museum.test1"]) {
      const r = await new ApiSession(server).call("POST", "/api/accounts", { email: "weak@museum.test", name: "Weak", password });
      expect([password, r.status, r.body.field]).toEqual([password, 400, "password"]);
      expect(r.body.error).toMatch(/^password: /);
    }
  });
});

describe("who has an account stays private", () => {
  it("answers the same when adding a member by e-mail whether or not the account exists, and never says who administers the site", async () => {
    const owner = await ApiSession.signUpOn(server, "curator@pgh.test", "Curator");
    expect((await owner.call("POST", "/api/exhibitions", { id: "members-show", title: { en: "Members" }, template: "micro" })).status).toBe(201);
    const existing = await owner.call("POST", "/api/exhibitions/members-show/members", { email: "admin@atrium.test", role: "viewer" });
    const unknown = await owner.call("POST", "/api/exhibitions/members-show/members", { email: "nobody-yet@school.test", role: "curator" });
    expect(existing.status).toBe(unknown.status);
    expect(Object.keys(existing.body).sort()).toEqual(Object.keys(unknown.body).sort());
    expect(JSON.stringify(existing.body)).not.toMatch(/isAdmin|"id"|Admin/);
    const list = (await owner.call("GET", "/api/exhibitions/members-show/members")).body;
    expect(JSON.stringify(list)).not.toMatch(/isAdmin/);
    // The e-mail without an account joins when it signs up.
    expect(list.pending).toEqual([{ email: "nobody-yet@school.test", role: "curator" }]);
    const newcomer = await ApiSession.signUpOn(server, "nobody-yet@school.test", "Newcomer");
    expect((await newcomer.call("GET", "/api/exhibitions")).body.exhibitions.find((e: { id: string }) => e.id === "members-show")?.role).toBe("curator");
    // Every role change is on record for the owner.
    const log = (await owner.call("GET", "/api/exhibitions/members-show/audit")).body.entries.map((e: { action: string }) => e.action);
    expect(log).toEqual(expect.arrayContaining(["exhibition-member-set", "exhibition-member-joined"]));
    expect((await newcomer.call("GET", "/api/exhibitions/members-show/audit")).status).toBe(403);
  });

  it("never lowers a role with an invite: a museum's administrator who accepts a viewer invite stays owner", async () => {
    const museumAdmin = await ApiSession.signUpOn(server, "director@pgh.test", "Director");
    await admin.call("POST", "/api/museums/pgh/members", { email: "director@pgh.test", role: "admin" });
    const registrar = await ApiSession.signUpOn(server, "registrar@pgh.test", "Registrar");
    await admin.call("POST", "/api/museums/pgh/members", { email: "registrar@pgh.test", role: "curator" });
    expect((await registrar.call("POST", "/api/exhibitions", { id: "pgh-show", title: { en: "PGH" }, museum: "pgh", template: "micro" })).status).toBe(201);
    const invite = (await museumAdmin.call("POST", "/api/exhibitions/pgh-show/invites", { role: "viewer" })).body;
    expect((await museumAdmin.call("POST", `/api/invites/${invite.token}/accept`)).body.role).toBe("owner");
    expect((await museumAdmin.call("POST", "/api/exhibitions/pgh-show/publish")).status).toBe(200);
  });
});

describe("class joins", () => {
  it("seats a whole class of 60 from one school address, and stops code guessing from it", async () => {
    const teacher = await ApiSession.signUpOn(server, "teacher@school.test", "Teacher");
    const cls = (await teacher.call("POST", "/api/classes", { exhibition: "tea-and-its-vessels" })).body;
    const joins = await Promise.all(Array.from({ length: 60 }, (_, i) => new ApiSession(server).call("POST", "/api/classes/join", { code: cls.code, nickname: `Student ${i + 1}` })));
    expect(joins.map((j) => j.status)).toEqual(Array(60).fill(201));
    const guesses: number[] = [];
    for (let i = 0; i < 32; i++) guesses.push((await new ApiSession(server).call("POST", "/api/classes/join", { code: "AAAAA" + "BCDEFGHJKMNPQRSTUVWXYZ23456789"[i % 30], nickname: "Guesser" })).status);
    expect(guesses.slice(0, 30).every((s) => s === 404 || s === 409)).toBe(true);
    expect(guesses.slice(30)).toEqual([429, 429]);
  });
});

describe("catalogue and uploads", () => {
  it("keeps two museums' imported records apart when their ids look alike", async () => {
    const a = await ApiSession.signUpOn(server, "a@pgh.test", "A");
    const b = await ApiSession.signUpOn(server, "b@pgh2.test", "B");
    await admin.call("POST", "/api/museums/pgh/members", { email: "a@pgh.test", role: "curator" });
    await admin.call("POST", "/api/museums/pgh-2/members", { email: "b@pgh2.test", role: "curator" });
    // "pgh" + "2-1" and "pgh-2" + "1" made the same id before.
    const first = await a.call("POST", "/api/catalogue/imports", { format: "json", text: JSON.stringify([{ id: "2-1", title: "A's bowl" }]), museum: "pgh" });
    const second = await b.call("POST", "/api/catalogue/imports", { format: "json", text: JSON.stringify([{ id: "1", title: "B's jar" }]), museum: "pgh-2" });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(first.body.ids[0]).toBe(importedEntryId("pgh", "2-1"));
    expect(first.body.ids[0]).not.toBe(second.body.ids[0]);
    expect((await a.call("GET", `/api/catalogue/${first.body.ids[0]}`)).body.item.title.en).toBe("A's bowl");
  });

  it("limits uploads per account per hour (429 with Retry-After)", async () => {
    const u = await ApiSession.signUpOn(server, "uploader@school.test", "Uploader");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await u.upload("/api/assets?title=x", png)).status);
    expect(statuses[2]).toBe(429);
    expect(statuses.slice(0, 2).every((s) => s !== 429)).toBe(true);
  });
});
