import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ExhibitionStore, readExhibition } from "../../src/collab";
import { movePlacement } from "../../src/shared/exhibition";
import { CLOSE } from "../../server/sync/messages";
import { CLASS_CLOSE } from "../../src/shared/class-protocol";
import { ApiSession } from "../support/api-session";
import { openSocket, closedWithin } from "../support/hostile";
import { startServer } from "../support/server";
import { RawClient, waitFor } from "../support/sync-clients";
import { testAccounts } from "../support/storage-mode";

/**
 * Access is checked at the upgrade and again whenever it changes (issue 16, item 5): sign-out,
 * removal, a lower role, unpublishing, a class that ends or removes a student. Each affected
 * socket closes within a second; its next edit never reaches the document.
 */
const accounts = testAccounts("recheck");
let server: Awaited<ReturnType<typeof startServer>>;
let owner: ApiSession;
const raws: RawClient[] = [];

async function joined(s: ApiSession, doc: string, query = ""): Promise<RawClient> {
  const r = new RawClient(`${server.ws}/sync/${doc}${query}`, s.cookie ? { cookie: s.cookie } : {});
  raws.push(r);
  await r.opened;
  r.hello();
  await waitFor(() => r.synced, 5000, "sync");
  return r;
}
const move = (r: RawClient, x: number) => {
  const store = new ExhibitionStore(r.doc);
  r.edit(() => store.apply((d) => movePlacement(d, Object.keys(d.placements)[0]!, { position: [x, 0, 0] })));
  store.destroy();
};
async function closedSoon(r: RawClient): Promise<{ code: number; ms: number }> {
  const t = performance.now();
  await waitFor(() => r.closed !== null, 1000, "closed within a second");
  return { code: r.closed!.code, ms: performance.now() - t };
}

beforeAll(async () => {
  server = await startServer({ accounts });
  owner = await ApiSession.signUpOn(server, "owner@museum.test", "Owner");
  expect((await owner.call("POST", "/api/exhibitions", { id: "shared-show", title: { en: "Shared" }, template: "micro" })).status).toBe(201);
  // A placement to move.
  const o = await joined(owner, "shared-show");
  const store = new ExhibitionStore(o.doc);
  o.edit(() =>
    store.apply((d) => ({
      ...d,
      placements: { ...d.placements, "p-1": { room: Object.keys(d.rooms)[0]!, item: "x", position: [0, 0, 0], rotation: [0, 0, 0], scale: 1, mount: "floor" as const } },
    })),
  );
  store.destroy();
  await new Promise((r) => setTimeout(r, 100));
});
afterEach(() => {
  for (const r of raws.splice(0)) r.close();
});
afterAll(async () => {
  await server.close();
  await accounts.close();
});

describe("access is re-checked when it changes", () => {
  it("closes a removed curator's socket at once; nothing they send after is stored", async () => {
    const bo = await ApiSession.signUpOn(server, "bo@museum.test", "Bo");
    await owner.call("POST", "/api/exhibitions/shared-show/members", { email: "bo@museum.test", role: "curator" });
    const b = await joined(bo, "shared-show");
    move(b, 1);
    const watcher = await joined(owner, "shared-show");
    await waitFor(() => readExhibition(watcher.doc).placements["p-1"]!.position[0] === 1, 5000, "curator's edit");
    const me = (await bo.call("GET", "/api/me")).body.user.id;
    expect((await owner.call("DELETE", `/api/exhibitions/shared-show/members/${me}`)).status).toBe(200);
    const { code } = await closedSoon(b);
    expect(code).toBe(CLOSE.ACCESS_ENDED);
    expect(b.closed!.reason).toMatch(/access .* has ended/);
    await expect(joined(bo, "shared-show")).rejects.toThrow("HTTP 403");
    expect(readExhibition(watcher.doc).placements["p-1"]!.position[0]).toBe(1);
  });

  it("closes a socket of a draft when its user signs out; a lower role reconnects read-only", async () => {
    const cy = await ApiSession.signUpOn(server, "cy@museum.test", "Cy");
    await owner.call("POST", "/api/exhibitions/shared-show/members", { email: "cy@museum.test", role: "curator" });
    const c = await joined(cy, "shared-show");
    await owner.call("POST", "/api/exhibitions/shared-show/members", { email: "cy@museum.test", role: "viewer" });
    expect((await closedSoon(c)).code).toBe(CLOSE.ACCESS_CHANGED);
    const again = await joined(cy, "shared-show");
    move(again, 7);
    await waitFor(() => again.closed !== null, 5000, "refused");
    expect(again.closed!.code).toBe(CLOSE.READ_ONLY);

    const third = await joined(cy, "shared-show");
    expect((await cy.call("DELETE", "/api/sessions")).status).toBe(200);
    expect((await closedSoon(third)).code).toBe(CLOSE.ACCESS_ENDED);
  });

  it("closes anonymous visitors' sockets when a show is unpublished", async () => {
    expect((await owner.call("POST", "/api/exhibitions/shared-show/publish")).status).toBe(200);
    const visitor = await joined(new ApiSession(server), "shared-show");
    const ownerSocket = await joined(owner, "shared-show");
    expect((await owner.call("POST", "/api/exhibitions/shared-show/unpublish")).status).toBe(200);
    expect((await closedSoon(visitor)).code).toBe(CLOSE.ACCESS_ENDED);
    await new Promise((r) => setTimeout(r, 200));
    expect(ownerSocket.closed).toBeNull();
  });

  it("closes a student's exhibition socket when the teacher removes them or ends the class, and the teacher's when they sign out", async () => {
    const teacher = await ApiSession.signUpOn(server, "lin@school.test", "Teacher Lin");
    await owner.call("POST", "/api/exhibitions/shared-show/members", { email: "lin@school.test", role: "viewer" });
    const cls = (await teacher.call("POST", "/api/classes", { exhibition: "shared-show" })).body;
    const seat = async (nickname: string) => (await new ApiSession(server).call("POST", "/api/classes/join", { code: cls.code, nickname })).body;
    const [amy, ben] = [await seat("Amy"), await seat("Ben")];
    const amySync = await joined(new ApiSession(server), "shared-show", `?seat=${amy.token}`);
    const benSync = await joined(new ApiSession(server), "shared-show", `?seat=${ben.token}`);
    // Listening from the start: the welcome and the roster may arrive with the upgrade's answer.
    const teacherSocket = new WebSocket(`${server.ws}/class/${cls.id}`, { headers: { cookie: teacher.cookie } });
    const roster = await new Promise<{ students: { id: string; nickname: string }[] }>((ok) =>
      teacherSocket.on("message", (d) => {
        const m = JSON.parse(String(d));
        if (m.t === "roster" && m.students.length === 2) ok(m);
      }),
    );
    teacherSocket.send(JSON.stringify({ t: "remove", student: roster.students.find((s) => s.nickname === "Amy")!.id }));
    expect((await closedSoon(amySync)).code).toBe(CLOSE.ACCESS_ENDED);
    expect(benSync.closed).toBeNull();
    teacherSocket.send(JSON.stringify({ t: "end" }));
    expect((await closedSoon(benSync)).code).toBe(CLOSE.ACCESS_ENDED);

    const second = (await teacher.call("POST", "/api/classes", { exhibition: "shared-show" })).body;
    const lead = await openSocket(`${server.ws}/class/${second.id}`, { cookie: teacher.cookie });
    await teacher.call("DELETE", "/api/sessions");
    expect(await closedWithin(lead as WebSocket, 1000)).toBe(CLASS_CLOSE.SIGNED_OUT);
  });
});
