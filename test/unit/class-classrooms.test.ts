import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyClassroomCommand, classroomView } from "../../src/shared/class-classrooms";
import { CLASSROOM_LIMITS, CODE_ALPHABET, type ClassInfo, type ClassState, type JoinAnswer } from "../../src/shared/class-protocol";
import { ApiSession } from "../support/api-session";
import { RawClassClient } from "../support/class-clients";
import { startServer } from "../support/server";

type Server = Awaited<ReturnType<typeof startServer>>;
const TEA = "tea-and-its-vessels";

async function join(server: Server, code: string, nickname: string) {
  const res = await fetch(`${server.url}/api/classes/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code, nickname }) });
  return { status: res.status, body: (await res.json()) as JoinAnswer & { error?: string; field?: string } };
}

describe("what each classroom is shown (one pure rule, used by the server and the teacher's console)", () => {
  const base: ClassState = {
    id: "class-x",
    exhibition: TEA,
    teacher: "Ms Lin",
    mode: "free",
    locked: false,
    highlight: null,
    tour: 2,
    gather: 3,
    ended: false,
    classrooms: [
      { id: "r1", name: "Lanyu 7B", code: "7KQ2MX", codeExpiresAt: 1 },
      { id: "r2", name: "Hualien 8A", code: "P3XH9W", codeExpiresAt: 1 },
    ],
    settings: {},
  };

  it("a command to one classroom changes that classroom only; a command to all drops every classroom's own value", () => {
    const one = applyClassroomCommand(base, { mode: "follow" }, "r2")!;
    expect(classroomView(one, "r2").mode).toBe("follow");
    expect(classroomView(one, "r1").mode).toBe("free");
    const locked = applyClassroomCommand(one, { locked: true }, "r1")!;
    const all = applyClassroomCommand(locked, { mode: "free" })!;
    expect(classroomView(all, "r2").mode).toBe("free");
    expect(classroomView(all, "r1").locked).toBe(true); // only the mode was said to everyone
    expect(all.settings).toEqual({ r1: { locked: true } });
    // Gathering adds up: a classroom's count never goes back when the class gathers.
    const g = applyClassroomCommand(applyClassroomCommand(all, { gather: true }, "r1")!, { gather: true })!;
    expect([classroomView(g, "r1").gather, classroomView(g, "r2").gather]).toEqual([5, 4]);
    // A highlight of one classroom, then cleared for it alone (null is a value of its own, not "as the class").
    const h = applyClassroomCommand(applyClassroomCommand(g, { highlight: "p-bowl" })!, { highlight: null }, "r2")!;
    expect([classroomView(h, "r1").highlight, classroomView(h, "r2").highlight]).toEqual(["p-bowl", null]);
    expect(applyClassroomCommand(base, { locked: true }, "r3")).toBeNull();
  });

  it("a student's view has their classroom's name only, no code of any classroom, no other classroom's settings", () => {
    const view = classroomView(applyClassroomCommand(base, { locked: true }, "r1")!, "r2");
    expect(view.classrooms).toEqual([{ id: "r2", name: "Hualien 8A" }]);
    expect(view.settings).toBeUndefined();
    expect(JSON.stringify(view)).not.toMatch(/7KQ2MX|P3XH9W|codeExpiresAt/);
    expect(view.locked).toBe(false);
    // A class started before there were several classrooms: everyone is in "r1", as the class.
    const old = { ...base, classrooms: undefined, settings: undefined };
    expect(classroomView(old, "r1")).toMatchObject({ mode: "free", gather: 3, classrooms: [{ id: "r1", name: "" }] });
  });
});

describe("one teacher, several classrooms, on the real server", () => {
  let server: Server;
  let teacher: ApiSession;
  let info: ClassInfo;
  let t: RawClassClient;
  /** A student of Hualien 8A, connected (from the commands test on). */
  let hualien: RawClassClient;
  const clients: RawClassClient[] = [];
  const open = async (who: { seat: string } | { cookie: string }) => {
    const c = await RawClassClient.open(server.ws, info.id, who);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startServer({ classLimits: { maxStudents: 3 } });
    teacher = await ApiSession.signUpOn(server, "lin@school.test", "Ms Lin");
    const r = await teacher.call("POST", "/api/classes", { exhibition: TEA, classrooms: ["Lanyu 7B", "  Hualien   8A "] });
    expect(r.status).toBe(201);
    info = r.body;
    t = await open({ cookie: teacher.cookie });
    await t.next("welcome");
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  it("gives each classroom its own code, link, QR code and expiry; the first is the class's code", async () => {
    expect(info.classrooms.map((c) => [c.id, c.name])).toEqual([
      ["r1", "Lanyu 7B"],
      ["r2", "Hualien 8A"],
    ]);
    const [a, b] = info.classrooms as [ClassInfo["classrooms"][0], ClassInfo["classrooms"][0]];
    expect(a.code).toBe(info.code);
    expect(b.code).not.toBe(a.code);
    for (const c of info.classrooms) {
      expect(c.code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{6}$`));
      expect(c.link).toBe(`${server.url}/join/${c.code}`);
      expect(Date.parse(c.codeExpiresAt) - Date.now()).toBeGreaterThan(2.9 * 3600_000);
      const qr = await fetch(`${server.url}${c.qr}`, { headers: { cookie: teacher.cookie } });
      expect(qr.status).toBe(200);
      expect(await qr.text()).toMatch(/^<svg/);
    }
    const none = await fetch(`${server.url}/api/classes/${info.id}/qr.svg?classroom=r7`, { headers: { cookie: teacher.cookie } });
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: string }).error).toContain("classroom");
  });

  it("refuses a class of too many classrooms, a name too long, and anyone but its teacher adding one", async () => {
    const many = await teacher.call("POST", "/api/classes", { exhibition: TEA, classrooms: Array.from({ length: CLASSROOM_LIMITS.perClass + 1 }, (_, i) => `School ${i}`) });
    expect(many.status).toBe(400);
    expect(many.body.field).toBe("classrooms");
    const long = await teacher.call("POST", "/api/classes", { exhibition: TEA, classrooms: ["x".repeat(CLASSROOM_LIMITS.name + 1)] });
    expect(long.status).toBe(400);
    expect(long.body.error).toContain("classrooms.0");
    expect((await teacher.call("POST", "/api/classes", { exhibition: TEA, classrooms: [] })).status).toBe(400);
    expect((await teacher.call("POST", `/api/classes/${info.id}/classrooms`, { name: "A", code: "AAAAAA" })).status).toBe(400); // no choosing a code
    expect((await new ApiSession(server).call("POST", `/api/classes/${info.id}/classrooms`, { name: "A" })).status).toBe(401);
    const other = await ApiSession.signUpOn(server, "other@school.test", "Mr Other");
    expect((await other.call("POST", `/api/classes/${info.id}/classrooms`, { name: "A" })).status).toBe(404);
  });

  it("admits each classroom by its code, shows the teacher one roster with classrooms, and counts 'full' per classroom", async () => {
    const [a, b] = info.classrooms as [ClassInfo["classrooms"][0], ClassInfo["classrooms"][0]];
    for (const n of ["Mei", "Kai", "Ana"]) expect((await join(server, a.code, n)).status).toBe(201);
    const full = await join(server, a.code, "Lu");
    expect(full.status).toBe(409);
    expect(full.body.error).toContain("Lanyu 7B");
    // The other classroom still has room; nicknames are one set for the whole class (one roster).
    const mei = await join(server, b.code, "Mei");
    expect(mei.status).toBe(201);
    expect(mei.body.nickname).toBe("Mei 2");
    const roster = await t.next("roster", (m) => m.students.length === 4);
    expect(roster.students.map((s) => [s.nickname, s.classroom])).toEqual([
      ["Mei", "r1"],
      ["Kai", "r1"],
      ["Ana", "r1"],
      ["Mei 2", "r2"],
    ]);
  });

  it("sends a command to one classroom or to all; a student sees their classroom's settings and never another's code", async () => {
    const [a, b] = info.classrooms as [ClassInfo["classrooms"][0], ClassInfo["classrooms"][0]];
    const ja = await join(server, a.code.replace(/^(...)/, "$1-").toLowerCase(), "Wen");
    expect(ja.status).toBe(409); // still full: the code with a dash and in lower case is the same classroom's
    const jb = await join(server, b.code, "Wen");
    const yu = await join(server, b.code, "Yu");
    const sb = await open({ seat: jb.body.token });
    const sb2 = await open({ seat: yu.body.token });
    hualien = sb;
    const welcome = await sb.next("welcome");
    expect(welcome.state.classrooms).toEqual([{ id: "r2", name: "Hualien 8A" }]);
    expect(JSON.stringify(welcome)).not.toContain(a.code);
    expect(JSON.stringify(welcome)).not.toContain(b.code);
    await sb2.next("welcome");

    // A student of Lanyu: take the seat of a student who joined there (the teacher removes one to make room).
    const roster = (await t.next("roster", (m) => m.students.length === 6)).students;
    t.send({ t: "remove", student: roster.find((s) => s.nickname === "Ana")!.id });
    await t.next("roster", (m) => m.students.length === 5);
    const lu = await join(server, a.code, "Lu");
    expect(lu.status).toBe(201);
    const sa = await open({ seat: lu.body.token });
    expect((await sa.next("welcome")).state.classrooms).toEqual([{ id: "r1", name: "Lanyu 7B" }]);

    t.send({ t: "mode", mode: "follow", to: "r2" });
    const followed = JSON.stringify(await sb.next("state", (m) => m.state.mode === "follow"));
    await sb2.next("state", (m) => m.state.mode === "follow");
    const teacherCopy = await t.next("state", (m) => m.state.settings?.r2?.mode === "follow");
    expect(teacherCopy.state.mode).toBe("free");
    expect(teacherCopy.state.classrooms?.map((c) => c.code)).toEqual([a.code, b.code]);
    expect(followed).not.toContain(a.code);
    expect(followed).not.toContain("settings");
    t.send({ t: "gather", to: "r1" });
    const gathered = await sa.next("state", (m) => m.state.gather === 1);
    expect(gathered.state.mode).toBe("free"); // Lanyu was never told to follow
    expect(sa.received.some((m) => m.t === "state" && m.state.mode === "follow")).toBe(false);
    t.send({ t: "lock", locked: true }); // everyone
    for (const s of [sa, sb, sb2]) await s.next("state", (m) => m.state.locked);
    t.send({ t: "mode", mode: "free" }); // everyone: Hualien's own "follow" is dropped
    await sb.next("state", (m) => m.state.mode === "free" && m.state.locked);
    expect(sb.received.filter((m) => m.t === "state").every((m) => m.t === "state" && m.state.gather === 0)).toBe(true);
    // Wrong classroom, malformed target, a student's try: refused, nothing changes.
    t.send({ t: "lock", locked: false, to: "r5" });
    expect((await t.next("refused")).reason).toContain('no classroom "r5"');
    t.send({ t: "highlight", placement: null, to: "5" });
    expect((await t.next("refused")).reason).toContain("to:");
    sb.send({ t: "mode", mode: "follow", to: "r2" });
    expect((await sb.next("refused")).reason).toContain("only the teacher");
  });

  it("adds a classroom while the class runs; its code admits; the teacher's copy lists it; at most eight", async () => {
    const added = await teacher.call("POST", `/api/classes/${info.id}/classrooms`, { name: "Taitung 6C" });
    expect(added.status).toBe(201);
    const room = (added.body as ClassInfo).classrooms[2]!;
    expect(room).toMatchObject({ id: "r3", name: "Taitung 6C" });
    await t.next("state", (m) => m.state.classrooms?.length === 3);
    const s = await join(server, room.code, "Pei");
    expect(s.status).toBe(201);
    await t.next("roster", (m) => m.students.some((r) => r.nickname === "Pei" && r.classroom === "r3"));
    for (let i = 4; i <= CLASSROOM_LIMITS.perClass; i++) expect((await teacher.call("POST", `/api/classes/${info.id}/classrooms`, { name: `School ${i}` })).status).toBe(201);
    const over = await teacher.call("POST", `/api/classes/${info.id}/classrooms`, { name: "One too many" });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ field: "classrooms" });
    const codes = ((await teacher.call("GET", `/api/classes/${info.id}`)).body as ClassInfo).classrooms.map((c) => c.code);
    expect(new Set(codes).size).toBe(CLASSROOM_LIMITS.perClass);
  });

  it("keeps answers per classroom, without names, on the lesson sheet", async () => {
    const a = await join(server, ((await teacher.call("GET", `/api/classes/${info.id}`)).body as ClassInfo).classrooms[3]!.code, "Hsu");
    const sa = await open({ seat: a.body.token });
    await sa.next("welcome");
    t.send({ t: "ask", question: { kind: "choice", prompt: "Which glaze is darker?", options: ["Jian", "Celadon"] } });
    await sa.next("state", (m) => m.state.question?.id === "q1");
    sa.send({ t: "answer", question: "q1", choice: 0 });
    await sa.next("answered");
    // A Hualien student answers the other way.
    hualien.send({ t: "answer", question: "q1", choice: 1 });
    const spread = await t.next("answers", (m) => m.result.answered === 2);
    expect(spread.result.counts).toEqual([1, 1]);
    t.send({ t: "end" });
    await t.next("ended");
    const sheet = await fetch(`${server.url}/api/classes/${info.id}/lesson-sheet?lang=en`, { headers: { cookie: teacher.cookie } });
    const html = await sheet.text();
    expect(html).toContain("By classroom");
    const rows = [...html.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>(\d+) answered<\/td><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => [m[1], Number(m[2]), Number(m[3]), Number(m[4])]);
    expect(rows).toContainEqual(["Hualien 8A", 1, 0, 1]);
    expect(rows).toContainEqual(["School 4", 1, 1, 0]);
    expect(rows).toContainEqual(["Lanyu 7B", 0, 0, 0]);
    for (const n of ["Hsu", "Wen", "Yu", "Mei"]) expect(html).not.toContain(n);
  });
});
