import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExhibitionStore } from "../../src/collab";
import { assignToGroup, chooseGroup, classShowNow, dealIntoGroups, groupAccessChanged, groupProgress, leadsClass, lockGroups, presentGroup, seatRoleOn } from "../../src/shared/class-groups";
import { GROUP_LIMITS, type ClassInfo, type ClassState, type JoinAnswer } from "../../src/shared/class-protocol";
import type { GroupsAnswer, GroupView } from "../../src/shared/api/class-groups";
import { setText, updateItem, type Exhibition } from "../../src/shared/exhibition";
import { CLOSE } from "../../server/sync/messages";
import { ApiSession } from "../support/api-session";
import { RawClassClient } from "../support/class-clients";
import { startServer } from "../support/server";
import { RawClient, waitFor } from "../support/sync-clients";

type Server = Awaited<ReturnType<typeof startServer>>;
const TEA = "tea-and-its-vessels";

describe("what a class seat may do with a show (one pure rule: server and panels)", () => {
  const state: ClassState = {
    id: "class-x",
    exhibition: TEA,
    teacher: "Ms Lin",
    mode: "free",
    locked: false,
    highlight: null,
    tour: null,
    gather: 0,
    ended: false,
    groups: [
      { id: "g1", name: "Bowls", show: "bowls", members: ["sa", "sb"], locked: false, comment: null, task: null },
      { id: "g2", name: "Kettles", show: "kettles", members: ["sc"], locked: true, comment: null, task: null },
    ],
    groupChoice: false,
  };

  it("reads the class's show, edits its own group's show only, reads it once locked, and nothing after the class", () => {
    expect(seatRoleOn(state, "sa", TEA)).toBe("viewer");
    expect(seatRoleOn(state, "sa", "bowls")).toBe("curator");
    expect(seatRoleOn(state, "sa", "kettles")).toBeNull();
    expect(seatRoleOn(state, "sc", "kettles")).toBe("viewer");
    expect(seatRoleOn(state, "sz", "bowls")).toBeNull();
    expect(seatRoleOn(state, "sa", "some-other-show")).toBeNull();
    expect(seatRoleOn({ ...state, ended: true }, "sa", "bowls")).toBeNull();
    expect(seatRoleOn({ ...state, ended: true }, "sa", TEA)).toBeNull();
  });

  it("moves a seat between groups, refuses unknown groups, a closed choice and a locked group; says when access changed", () => {
    const moved = assignToGroup(state, "sa", "g2") as ClassState;
    expect(moved.groups!.map((g) => g.members)).toEqual([["sb"], ["sc", "sa"]]);
    expect(groupAccessChanged(state, moved)).toBe(true);
    expect(assignToGroup(state, "sa", "g9")).toMatch(/no group "g9"/);
    expect((assignToGroup(state, "sa", null) as ClassState).groups!.flatMap((g) => g.members)).toEqual(["sb", "sc"]);
    expect(chooseGroup(state, "sd", "g1")).toMatch(/teacher chooses/);
    const open = { ...state, groupChoice: true };
    expect((chooseGroup(open, "sd", "g1") as ClassState).groups![0]!.members).toEqual(["sa", "sb", "sd"]);
    expect(chooseGroup(open, "sd", "g2")).toMatch(/locked/);
    const unlocked = lockGroups(state, false) as ClassState;
    expect(unlocked.groups!.map((g) => g.locked)).toEqual([false, false]);
    expect(lockGroups(state, true, "g7")).toMatch(/no group/);
    // A comment or the choice opening changes no one's access.
    expect(groupAccessChanged(state, { ...state, groupChoice: true })).toBe(false);
  });

  it("lets a group present its show: every seat reads it, its chosen member leads, and the presentation ends with the class", () => {
    expect(presentGroup(state, "g1", "sc")).toMatch(/not in the group "Bowls"/);
    expect(presentGroup(state, "g9", null)).toMatch(/no group "g9"/);
    const presenting = presentGroup(state, "g1", "sa") as ClassState;
    expect(groupAccessChanged(state, presenting)).toBe(true);
    expect(classShowNow(state)).toBe(TEA);
    expect(classShowNow(presenting)).toBe("bowls");
    expect(seatRoleOn(presenting, "sc", "bowls")).toBe("viewer");
    expect(seatRoleOn(presenting, "sz", "bowls")).toBe("viewer"); // a seat in no group too
    expect(seatRoleOn(presenting, "sa", "bowls")).toBe("curator"); // the group keeps editing
    expect(seatRoleOn(presenting, "sc", "kettles")).toBe("viewer");
    expect(seatRoleOn(presenting, "sa", "kettles")).toBeNull(); // only the presented show opens
    expect(leadsClass(presenting, "sa")).toBe(true);
    expect(leadsClass(presenting, "sb")).toBe(false);
    expect(leadsClass({ ...presenting, ended: true }, "sa")).toBe(false);
    expect(seatRoleOn({ ...presenting, ended: true }, "sc", "bowls")).toBeNull();
    // A presenter moved to another group hands the lead back to the teacher; the group still presents.
    const moved = assignToGroup(presenting, "sa", "g2") as ClassState;
    expect(moved.presenting).toEqual({ group: "g1", seat: null });
    expect(leadsClass(moved, "sa")).toBe(false);
    const back = presentGroup(presenting, null, null) as ClassState;
    expect(classShowNow(back)).toBe(TEA);
    expect(seatRoleOn(back, "sc", "bowls")).toBeNull();
    expect(groupAccessChanged(presenting, back)).toBe(true);
  });

  it("deals seats out at random into groups whose sizes differ by one at most", () => {
    const seats = Array.from({ length: 23 }, (_, i) => `s${i}`);
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const groups = dealIntoGroups(seats, 5, random);
    expect(groups.map((g) => g.length).sort()).toEqual([4, 4, 5, 5, 5]);
    expect(groups.flat().sort()).toEqual([...seats].sort());
    expect(groups.flat()).not.toEqual(seats); // shuffled
  });
});

async function join(server: Server, code: string, nickname: string): Promise<JoinAnswer> {
  const res = await fetch(`${server.url}/api/classes/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code, nickname }) });
  expect(res.status).toBe(201);
  return (await res.json()) as JoinAnswer;
}

describe("groups curating their own shows, on the real server", () => {
  let server: Server;
  let teacher: ApiSession;
  let other: ApiSession;
  let info: ClassInfo;
  let t: RawClassClient;
  const seats: JoinAnswer[] = [];
  const students: RawClassClient[] = [];
  const raws: RawClient[] = [];
  let groups: GroupsAnswer;
  let catalogueId: string;

  const seatHeaders = (seat: JoinAnswer) => ({ "x-atrium-seat": seat.token });
  /** A raw y-websocket client on a show with a seat token (no app code between the test and the server). */
  async function syncAs(seat: JoinAnswer, show: string): Promise<RawClient> {
    const r = new RawClient(`${server.ws}/sync/${show}?seat=${encodeURIComponent(seat.token)}`);
    raws.push(r);
    await r.opened;
    r.hello();
    await waitFor(() => r.synced, 5000, "sync");
    return r;
  }
  const showOf = async (id: string) => (await teacher.call("GET", `/api/exhibitions/${id}`)).body as Exhibition;
  const groupOf = (seat: JoinAnswer) => groups.groups.find((g) => g.members.some((m) => m.id === seat.seat))!;
  const otherGroup = (seat: JoinAnswer) => groups.groups.find((g) => !g.members.some((m) => m.id === seat.seat))!;

  beforeAll(async () => {
    server = await startServer();
    teacher = await ApiSession.signUpOn(server, "lin@school.test", "Ms Lin");
    other = await ApiSession.signUpOn(server, "wu@school.test", "Mr Wu");
    const r = await teacher.call("POST", "/api/classes", { exhibition: TEA });
    expect(r.status).toBe(201);
    info = r.body;
    t = await RawClassClient.open(server.ws, info.id, { cookie: teacher.cookie });
    await t.next("welcome");
    for (const name of ["Amy", "Ben", "Chen", "Dai"]) {
      const seat = await join(server, info.code, name);
      seats.push(seat);
      const c = await RawClassClient.open(server.ws, info.id, { seat: seat.token });
      await c.next("welcome");
      students.push(c);
    }
    const search = await teacher.call("GET", "/api/catalogue?q=bowl&limit=40");
    catalogueId = (search.body.entries as { id: string; placeable: boolean; uploadedBy?: string }[]).find((e) => e.placeable && !e.id.startsWith(TEA))!.id;
  });
  afterAll(async () => {
    for (const c of [t, ...students]) c.close();
    for (const r of raws) r.close();
    await server.close();
  });

  it("refuses groups from anyone but the teacher, and malformed splits naming the field", async () => {
    const body = { groups: [{ name: "Bowls" }, { name: "Kettles" }], assign: "random", kit: { objects: ["tenmoku-bowl"] } };
    const path = `/api/classes/${info.id}/groups`;
    expect((await new ApiSession(server).call("POST", path, body)).status).toBe(401);
    expect((await other.call("POST", path, body)).status).toBe(404);
    // A student's seat is no teacher either.
    const bySeat = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...seatHeaders(seats[0]!) }, body: JSON.stringify(body) });
    expect(bySeat.status).toBe(401);
    const bad = async (b: unknown, field: RegExp) => {
      const res = await teacher.call("POST", path, b);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(`${res.body.field ?? ""} ${res.body.error}`).toMatch(field);
    };
    await bad({ ...body, groups: [{ name: "Alone" }] }, /groups/);
    await bad({ ...body, groups: Array.from({ length: GROUP_LIMITS.perClass + 1 }, (_, i) => ({ name: `G${i}` })) }, /groups/);
    await bad({ ...body, groups: [{ name: "x".repeat(GROUP_LIMITS.name + 1) }, { name: "B" }] }, /groups\.0\.name/);
    await bad({ ...body, assign: "alphabetical" }, /assign/);
    await bad({ ...body, kit: { objects: ["no-such-thing"] } }, /kit\.objects\.0/);
    await bad({ ...body, kit: { catalogue: ["no-such-entry"] } }, /kit\.catalogue\.0/);
    await bad({ ...body, kit: { objects: Array.from({ length: GROUP_LIMITS.kitItems + 1 }, () => "tenmoku-bowl") } }, /kit\.objects/);
    await bad({ ...body, kit: { objects: [], task: "x".repeat(GROUP_LIMITS.task + 1) } }, /kit\.task/);
    await bad({ ...body, members: ["a"] }, /members|unrecognized/i);
    // From another site's page: refused before anything is made.
    const foreign = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json", cookie: teacher.cookie, origin: "https://evil.example" }, body: JSON.stringify(body) });
    expect(foreign.status).toBe(403);
    expect((await teacher.call("GET", path)).body.groups).toEqual([]);
  });

  it("splits the class at random into two groups, each with a new show of the teacher's made from the kit, without label texts", async () => {
    const res = await teacher.call("POST", `/api/classes/${info.id}/groups`, {
      groups: [{ name: "Bowls" }, { name: "Kettles" }],
      assign: "random",
      kit: { objects: ["tenmoku-bowl", "teapot"], catalogue: [catalogueId], task: "Which vessel would you give a guest, and why?" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    groups = res.body;
    expect(groups.groups.map((g) => [g.id, g.name, g.members.length])).toEqual([
      ["g1", "Bowls", 2],
      ["g2", "Kettles", 2],
    ]);
    expect(groups.unassigned).toEqual([]);
    expect(new Set(groups.groups.flatMap((g) => g.members.map((m) => m.nickname)))).toEqual(new Set(["Amy", "Ben", "Chen", "Dai"]));
    const tea = await showOf(TEA);
    for (const g of groups.groups) {
      expect(g.show).not.toBe(TEA);
      expect(g.progress).toMatchObject({ placed: 3, labelled: 0, tourSteps: 0 });
      expect(g.progress!.plan!.spots).toHaveLength(3);
      const doc = await showOf(g.show);
      expect(doc.meta.published).toBe(false);
      expect(doc.meta.title.en).toBe(g.name);
      expect(doc.meta.intro.en ?? doc.meta.intro["zh-Hant"]).toContain("guest");
      const bowl = doc.items["tenmoku-bowl"]!;
      expect(bowl.description).toEqual({});
      // The museum's terms travel with the object.
      expect(bowl.creditLine).toEqual(tea.items["tenmoku-bowl"]!.creditLine);
      expect(bowl.licences).toEqual(tea.items["tenmoku-bowl"]!.licences);
      expect(doc.meta.museums.map((m) => m.id)).toContain(bowl.institution);
    }
    // Every student is told which group they are in (seat ids, no nicknames).
    for (const c of students) {
      const m = await c.next("state", (s) => (s.state.groups ?? []).length === 2);
      expect(JSON.stringify(m.state)).not.toMatch(/Amy|Ben|Chen|Dai/);
    }
    // One split per class.
    const again = await teacher.call("POST", `/api/classes/${info.id}/groups`, { groups: [{ name: "A" }, { name: "B" }], assign: "hand", kit: {} });
    expect(again.status).toBe(409);
    expect(again.body.field).toBe("groups");
  });

  it("gives every group a show of two connected rooms when the kit asks for it: the first museum's objects in one, the others' in the other", async () => {
    const second = await teacher.call("POST", "/api/classes", { exhibition: TEA });
    expect(second.status).toBe(201);
    const path = `/api/classes/${second.body.id}/groups`;
    // An object of another museum than the tea show's (Carnegie's): the catalogue's other collections.
    const all = (await teacher.call("GET", "/api/catalogue?q=whale&limit=40")).body.entries as { id: string; placeable: boolean; uploadedBy?: string; museum: { id: string } }[];
    const foreign = all.find((e) => e.placeable && !e.uploadedBy && e.museum.id !== "cmoa")!;
    expect(foreign).toBeDefined();
    const body = { groups: [{ name: "East" }, { name: "West" }], assign: "hand", kit: { objects: ["tenmoku-bowl", "teapot"], catalogue: [foreign.id], template: "two-museum" } };
    const wrong = await teacher.call("POST", path, { ...body, kit: { ...body.kit, template: "three-museum" } });
    expect(wrong.status).toBe(400);
    expect(`${wrong.body.field ?? ""} ${wrong.body.error}`).toMatch(/kit\.template/);
    const res = await teacher.call("POST", path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    for (const g of (res.body as GroupsAnswer).groups) {
      const doc = await showOf(g.show);
      expect(Object.keys(doc.rooms).sort()).toEqual(["room-a", "room-b"]);
      // p1 is the kit's first object (the tea show's bowl): its museum gets the first room.
      const first = doc.items[doc.placements["p1"]!.item]!.institution;
      for (const p of Object.values(doc.placements)) expect(p.room).toBe(doc.items[p.item]!.institution === first ? "room-a" : "room-b");
      expect(doc.placements["p1"]!.room).toBe("room-a");
      expect(Object.values(doc.placements).filter((p) => p.room === "room-b").length).toBe(1);
      expect(g.progress!.placed).toBe(3);
    }
  });

  it("lets a seat edit its group's show and no other: the other group's show does not exist for it, over sync or HTTP", async () => {
    const amy = seats[0]!;
    const mine = groupOf(amy);
    const theirs = otherGroup(amy);
    const r = await syncAs(amy, mine.show);
    const store = new ExhibitionStore(r.doc);
    r.edit(() => store.apply((d) => setText(d, { kind: "item", id: "tenmoku-bowl", field: "description" }, "en", "A black bowl for whisked tea.")));
    await waitFor(async () => (await showOf(mine.show)).items["tenmoku-bowl"]!.description.en === "A black bowl for whisked tea.", 5000, "the label stored");
    // The museum's credit line stays the museum's: a seat acts for no museum.
    r.edit(() => store.apply((d) => updateItem(d, "tenmoku-bowl", { creditLine: { en: "Ours now" } })));
    await waitFor(() => r.closed !== null, 5000, "refused");
    expect(r.closed!.code).toBe(CLOSE.READ_ONLY);
    store.destroy();
    expect((await showOf(mine.show)).items["tenmoku-bowl"]!.creditLine.en).not.toBe("Ours now");
    // The other group's show: refused at the upgrade, and not found over HTTP; a made-up token too.
    await expect(syncAs(amy, theirs.show)).rejects.toThrow(/HTTP 403/);
    await expect(syncAs({ ...amy, token: "made-up-token" }, mine.show)).rejects.toThrow(/HTTP 403/);
    expect((await fetch(`${server.url}/api/exhibitions/${theirs.show}`, { headers: seatHeaders(amy) })).status).toBe(404);
    expect((await fetch(`${server.url}/api/exhibitions/${mine.show}`, { headers: seatHeaders(amy) })).status).toBe(200);
    // The teacher's grid sees the label written.
    const grid = (await teacher.call("GET", `/api/classes/${info.id}/groups`)).body as GroupsAnswer;
    expect(grid.groups.find((g) => g.id === mine.id)!.progress).toMatchObject({ placed: 3, labelled: 1 });
    expect(grid.groups.find((g) => g.id === mine.id)!.members.every((m) => m.connected)).toBe(true);
    // Nobody else reads the grid.
    expect((await other.call("GET", `/api/classes/${info.id}/groups`)).status).toBe(404);
    expect((await new ApiSession(server).call("GET", `/api/classes/${info.id}/groups`)).status).toBe(401);
  });

  it("locks a group: its seats' sockets reconnect as readers and their edits are refused; unlocking gives editing back", async () => {
    const amy = seats[0]!;
    const mine = groupOf(amy);
    const r = await syncAs(amy, mine.show);
    t.send({ t: "group-lock", locked: true, group: mine.id });
    await waitFor(() => r.closed !== null, 2000, "closed when locked");
    expect(r.closed!.code).toBe(CLOSE.ACCESS_CHANGED);
    const reader = await syncAs(amy, mine.show);
    const store = new ExhibitionStore(reader.doc);
    reader.edit(() => store.apply((d) => setText(d, { kind: "item", id: "teapot", field: "description" }, "en", "Written after the lock")));
    await waitFor(() => reader.closed !== null, 5000, "refused");
    expect(reader.closed!.code).toBe(CLOSE.READ_ONLY);
    store.destroy();
    expect((await showOf(mine.show)).items["teapot"]!.description.en).toBeUndefined();
    // The other group still edits.
    const ben = seats.find((s) => groupOf(s).id !== mine.id)!;
    const free = await syncAs(ben, groupOf(ben).show);
    const s2 = new ExhibitionStore(free.doc);
    free.edit(() => s2.apply((d) => setText(d, { kind: "item", id: "teapot", field: "description" }, "en", "A side-handled pot.")));
    await waitFor(async () => (await showOf(groupOf(ben).show)).items["teapot"]!.description.en === "A side-handled pot.", 5000, "the other group's label");
    s2.destroy();
    t.send({ t: "group-lock", locked: false });
    await waitFor(async () => !((await teacher.call("GET", `/api/classes/${info.id}/groups`)).body as GroupsAnswer).groups.some((g) => g.locked), 5000, "unlocked");
    const again = await syncAs(amy, mine.show);
    const s3 = new ExhibitionStore(again.doc);
    again.edit(() => s3.apply((d) => setText(d, { kind: "item", id: "teapot", field: "description" }, "en", "Unlocked again")));
    await waitFor(async () => (await showOf(mine.show)).items["teapot"]!.description.en === "Unlocked again", 5000, "edit after unlocking");
    s3.destroy();
  });

  it("moves a student by hand (their access follows at once) and by their own choice while the teacher allows it", async () => {
    const amy = seats[0]!;
    const from = groupOf(amy);
    const to = otherGroup(amy);
    const r = await syncAs(amy, from.show);
    t.send({ t: "group-assign", student: amy.seat, group: to.id });
    await waitFor(() => r.closed !== null, 2000, "closed when moved");
    expect(r.closed!.code).toBe(CLOSE.ACCESS_ENDED);
    await expect(syncAs(amy, from.show)).rejects.toThrow(/HTTP 403/);
    await syncAs(amy, to.show);
    groups = (await teacher.call("GET", `/api/classes/${info.id}/groups`)).body;
    expect(groupOf(amy).id).toBe(to.id);
    // Refusals: an unknown student or group, a teacher-only command from a student, choosing while the teacher decides.
    t.send({ t: "group-assign", student: "s000000000000", group: "g1" });
    expect((await t.next("refused")).reason).toMatch(/no student/);
    t.send({ t: "group-assign", student: amy.seat, group: "g9" });
    expect((await t.next("refused")).reason).toMatch(/no group "g9"/);
    const amyClient = students[0]!;
    amyClient.send({ t: "group-lock", locked: true });
    expect((await amyClient.next("refused")).reason).toMatch(/only the teacher/);
    amyClient.send({ t: "group-choose", group: from.id });
    expect((await amyClient.next("refused")).reason).toMatch(/teacher chooses/);
    amyClient.send({ t: "group-choose", group: "g13" });
    expect((await amyClient.next("refused")).reason).toMatch(/not a student message|group id/);
    t.send({ t: "group-choice", open: true });
    await amyClient.next("state", (s) => s.state.groupChoice === true);
    amyClient.send({ t: "group-choose", group: from.id });
    // Earlier states (before the move) also had Amy in that group and may still be unread: only one sent while choosing counts.
    await amyClient.next("state", (s) => s.state.groupChoice === true && s.state.groups!.find((g) => g.id === from.id)!.members.includes(amy.seat));
    await syncAs(amy, from.show);
    // A comment reaches the group (in the class state) and is cleared with an empty one.
    t.send({ t: "group-comment", group: from.id, text: "  Write the bowl's label   first " });
    await amyClient.next("state", (s) => s.state.groups!.find((g) => g.id === from.id)!.comment === "Write the bowl's label first");
    t.send({ t: "group-comment", group: from.id, text: "x".repeat(GROUP_LIMITS.comment + 1) });
    expect((await t.next("refused")).reason).toMatch(/at most 300/);
  });

  it("lets a group present its show: every seat reads it (and cannot write it), its chosen member leads the class, and access ends with the presentation", async () => {
    groups = (await teacher.call("GET", `/api/classes/${info.id}/groups`)).body;
    const amy = seats[0]!;
    const presenting = groupOf(amy);
    const outsider = seats.find((s) => groupOf(s).id !== presenting.id)!;
    const amyClient = students[0]!;
    const outsiderClient = students[seats.indexOf(outsider)]!;
    for (const c of [t, amyClient, outsiderClient]) c.received.splice(0);
    await expect(syncAs(outsider, presenting.show)).rejects.toThrow(/HTTP 403/);
    const amyPose = { room: "main-hall", p: [1, 1.6, 2], q: [0, 0, 0, 1] };
    // Refusals: a student presenting, a presenter from another group, an unknown group, a lead nobody gave.
    amyClient.send({ t: "present", group: presenting.id, seat: amy.seat });
    expect((await amyClient.next("refused")).reason).toMatch(/only the teacher/);
    t.send({ t: "present", group: presenting.id, seat: outsider.seat });
    expect((await t.next("refused")).reason).toMatch(/not in the group/);
    t.send({ t: "present", group: "g9", seat: null });
    expect((await t.next("refused")).reason).toMatch(/no group "g9"/);
    t.send({ t: "present", group: presenting.id, seat: "s000000000000" });
    expect((await t.next("refused")).reason).toMatch(/no student/);
    amyClient.send({ t: "lead", pose: amyPose });
    expect((await amyClient.next("refused")).reason).toMatch(/leads the class/);
    amyClient.send({ t: "lead", pose: { room: "main-hall", p: [1, "x", 2], q: [0, 0, 0, 1] } });
    expect((await amyClient.next("refused")).reason).toMatch(/not a student message/);

    t.send({ t: "present", group: presenting.id, seat: amy.seat });
    await outsiderClient.next("state", (m) => m.state.presenting?.group === presenting.id && m.state.presenting.seat === amy.seat);
    // Every seat reads the presented show, and cannot write it.
    expect((await fetch(`${server.url}/api/exhibitions/${presenting.show}`, { headers: seatHeaders(outsider) })).status).toBe(200);
    const reader = await syncAs(outsider, presenting.show);
    const store = new ExhibitionStore(reader.doc);
    reader.edit(() => store.apply((d) => setText(d, { kind: "item", id: "teapot", field: "description" }, "en", "Not ours to write")));
    await waitFor(() => reader.closed !== null, 5000, "refused");
    expect(reader.closed!.code).toBe(CLOSE.READ_ONLY);
    store.destroy();
    expect((await showOf(presenting.show)).items["teapot"]!.description.en).not.toBe("Not ours to write");
    // Amy leads: her pose reaches the class; the teacher's own poses are dropped meanwhile; nobody else leads.
    outsiderClient.received.splice(0);
    t.send({ t: "pose", pose: { room: "teachers-room", p: [0, 1.6, 0], q: [0, 0, 0, 1] } });
    await new Promise((r) => setTimeout(r, 150));
    amyClient.send({ t: "lead", pose: amyPose });
    expect((await outsiderClient.next("pose")).pose).toEqual(amyPose);
    outsiderClient.send({ t: "lead", pose: amyPose });
    expect((await outsiderClient.next("refused")).reason).toMatch(/leads the class/);
    // A burst of leads is thinned to the leader's rate, not queued.
    await new Promise((r) => setTimeout(r, 120));
    outsiderClient.received.splice(0);
    for (let i = 0; i < 20; i++) amyClient.send({ t: "lead", pose: { ...amyPose, p: [i, 1.6, 2] } });
    await new Promise((r) => setTimeout(r, 400));
    const poses = outsiderClient.received.filter((m) => m.t === "pose");
    expect(poses.length).toBeGreaterThanOrEqual(1);
    expect(poses.length).toBeLessThanOrEqual(2);
    expect(poses.some((m) => m.t === "pose" && m.pose.room === "teachers-room")).toBe(false);
    // The teacher takes the lead back and the class returns to its show: the readers' access ends at once.
    const again = await syncAs(outsider, presenting.show);
    t.send({ t: "present", group: null });
    await waitFor(() => again.closed !== null, 2000, "closed when the presentation ends");
    expect(again.closed!.code).toBe(CLOSE.ACCESS_ENDED);
    await expect(syncAs(outsider, presenting.show)).rejects.toThrow(/HTTP 403/);
    await amyClient.next("state", (m) => !m.state.presenting);
    amyClient.send({ t: "lead", pose: amyPose });
    expect((await amyClient.next("refused")).reason).toMatch(/leads the class/);
  });

  it("publishes a group's show to the class gallery (a shared folder every student is shown), with the licence check of any publish", async () => {
    groups = (await teacher.call("GET", `/api/classes/${info.id}/groups`)).body;
    const [g1, g2] = groups.groups as [GroupView, GroupView];
    const path = (g: string) => `/api/classes/${info.id}/groups/${g}/publish`;
    expect((await new ApiSession(server).call("POST", path("g1"))).status).toBe(401);
    expect((await other.call("POST", path("g1"))).status).toBe(404);
    expect((await teacher.call("POST", path("g7"))).status).toBe(404);
    expect((await teacher.call("POST", path("x1"))).status).toBe(400);
    const bySeat = await fetch(`${server.url}${path("g1")}`, { method: "POST", headers: seatHeaders(seats[0]!) });
    expect(bySeat.status).toBe(401);
    const foreign = await fetch(`${server.url}${path("g1")}`, { method: "POST", headers: { cookie: teacher.cookie, origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    // A kit object whose rights holder reserved all rights keeps that show out of the gallery.
    await server.documents.change(g2.show, (d) => ({ ...d, items: { ...d.items, teapot: { ...d.items.teapot!, licences: { ...d.items.teapot!.licences, object: "All-Rights-Reserved" } } } }));
    const refused = await teacher.call("POST", path("g2"));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/may not be shown publicly/);
    expect((await showOf(g2.show)).meta.published).toBe(false);
    const ok = await teacher.call("POST", path("g1"));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.gallery).toMatch(/^\/f\/[A-Za-z0-9]+$/);
    expect((await showOf(g1.show)).meta.published).toBe(true);
    // Again (twice at once): one gallery, the show in it once.
    const again = await Promise.all([teacher.call("POST", path("g1")), teacher.call("POST", path("g1"))]);
    expect(again.map((r) => r.body.gallery)).toEqual([ok.body.gallery, ok.body.gallery]);
    // Anyone with the link reads the gallery: the published show, nothing of the other group's.
    const code = (ok.body.gallery as string).split("/").pop();
    const shared = await new ApiSession(server).call("GET", `/api/shared-folders/${code}`);
    expect(shared.status).toBe(200);
    expect(JSON.stringify(shared.body)).toContain(g1.show);
    expect(JSON.stringify(shared.body)).not.toContain(g2.show);
    expect(shared.body.items.filter((e: { exhibition: string }) => e.exhibition === g1.show)).toHaveLength(1);
    // Every student is shown the gallery's link, and which group's show is in it.
    const m = await students[1]!.next("state", (st) => st.state.gallery?.link === ok.body.gallery);
    expect(m.state.groups!.find((g) => g.id === "g1")!.published).toBe(true);
    expect((await teacher.call("GET", `/api/classes/${info.id}/groups`)).body.gallery).toBe(ok.body.gallery);
  });

  it("ends every seat's access to every group's show when the class ends; the shows stay the teacher's", async () => {
    const amy = seats[0]!;
    groups = (await teacher.call("GET", `/api/classes/${info.id}/groups`)).body;
    t.send({ t: "group-lock", locked: false });
    await waitFor(async () => !((await teacher.call("GET", `/api/classes/${info.id}/groups`)).body as GroupsAnswer).groups.some((g) => g.locked), 5000, "unlocked");
    // A seat of the group whose show stayed private: its editing socket closes for good.
    const unpublished = groups.groups.find((g) => !g.published)!;
    const member = seats.find((s) => unpublished.members.some((m) => m.id === s.seat))!;
    const r = await syncAs(member, unpublished.show);
    t.send({ t: "end" });
    await waitFor(() => r.closed !== null, 2000, "closed at the end");
    expect(r.closed!.code).toBe(CLOSE.ACCESS_ENDED);
    for (const g of groups.groups) {
      expect((await teacher.call("GET", `/api/exhibitions/${g.show}`)).status).toBe(200);
      if (g.published) {
        // Published to the gallery: anyone reads it, as a visitor; a seat's edit is refused like anyone's.
        const visitor = await syncAs(amy, g.show);
        const store = new ExhibitionStore(visitor.doc);
        visitor.edit(() => store.apply((d) => setText(d, { kind: "item", id: "teapot", field: "description" }, "en", "After the class")));
        await waitFor(() => visitor.closed !== null, 5000, "refused");
        expect(visitor.closed!.code).toBe(CLOSE.READ_ONLY);
        store.destroy();
        continue;
      }
      await expect(syncAs(amy, g.show)).rejects.toThrow(/HTTP 403/);
      expect((await fetch(`${server.url}/api/exhibitions/${g.show}`, { headers: seatHeaders(amy) })).status).toBe(404);
    }
    expect(groups.groups.filter((g) => g.published)).toHaveLength(1);
    expect((await teacher.call("POST", `/api/classes/${info.id}/groups/g2/publish`)).status).toBe(410);
  });
});
