import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { connectClass } from "../../src/session/class-connection";
import { CLASS_CLOSE, CODE_ALPHABET, type ClassInfo, type JoinAnswer } from "../../src/shared/class-protocol";
import { ApiSession } from "../support/api-session";
import { RawClassClient } from "../support/class-clients";
import { startServer } from "../support/server";

type Server = Awaited<ReturnType<typeof startServer>>;
const TEA = "tea-and-its-vessels";

/** Joins a class the way the join page does (no cookie, no account). */
async function join(server: Server, code: string, nickname: string) {
  const res = await fetch(`${server.url}/api/classes/join`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code, nickname }) });
  return { status: res.status, body: (await res.json()) as JoinAnswer & { error?: string; field?: string } };
}

/** A real WebSocket upgrade that the server refuses: its HTTP status and text. */
function refusedUpgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => reject(new Error("the upgrade was accepted")));
    ws.once("unexpected-response", (_q, res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}

describe("class sessions on the real server", () => {
  let server: Server;
  let teacher: ApiSession;
  let info: ClassInfo;
  let t: RawClassClient;

  beforeAll(async () => {
    server = await startServer();
    teacher = await ApiSession.signUpOn(server, "lin@school.test", "Ms Lin");
    const r = await teacher.call("POST", "/api/classes", { exhibition: TEA });
    expect(r.status).toBe(201);
    info = r.body;
    t = await RawClassClient.open(server.ws, info.id, { cookie: teacher.cookie });
    await t.next("welcome");
  });
  afterAll(async () => {
    t?.close();
    await server.close();
  });

  it("starts a class with a 6-character code, a link, an expiry and a QR code of the link; only for signed-in users", async () => {
    expect(info.code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{6}$`));
    expect(info.link).toBe(`${server.url}/join/${info.code}`);
    expect(Date.parse(info.codeExpiresAt) - Date.now()).toBeGreaterThan(2.9 * 3600_000);
    expect(info.maxStudents).toBe(60);
    const anonymous = new ApiSession(server);
    expect((await anonymous.call("POST", "/api/classes", { exhibition: TEA })).status).toBe(401);
    expect((await teacher.call("POST", "/api/classes", { exhibition: "no-such-show" })).status).toBe(404);
    const qr = await fetch(`${server.url}/api/classes/${info.id}/qr.svg`, { headers: { cookie: teacher.cookie } });
    expect(qr.headers.get("content-type")).toBe("image/svg+xml");
    const svg = await qr.text();
    expect(svg).toMatch(/^<svg[^>]+viewBox="0 0 (\d+) \1"/);
    // Another user gets nothing about this class.
    const other = await ApiSession.signUpOn(server, "other@school.test");
    expect((await other.call("GET", `/api/classes/${info.id}`)).status).toBe(404);
  });

  it("admits students by code and nickname only, and names the field that is wrong", async () => {
    const a = await join(server, info.code.toLowerCase().replace(/^(...)/, "$1-"), "  Mei  ");
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ session: info.id, exhibition: TEA, nickname: "Mei", teacher: "Ms Lin" });
    expect(a.body.token.length).toBeGreaterThanOrEqual(32);
    expect((await join(server, info.code, "mei")).body.nickname).toBe("mei 2");
    const empty = await join(server, info.code, "   ");
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ field: "nickname", error: "nickname: type a nickname" });
    const bad = await join(server, "ABC", "Kai");
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe("code");
    const unknown = await join(server, "ZZZZZZ", "Kai");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/No class has the code ZZZZZZ/);
  });

  it("forwards the teacher's pose and commands to students, at most 10 poses a second", async () => {
    const seat = (await join(server, info.code, "Ari")).body;
    const s = await RawClassClient.open(server.ws, info.id, { seat: seat.token });
    const welcome = await s.next("welcome");
    expect(welcome).toMatchObject({ role: "student", you: { nickname: "Ari" }, state: { mode: "free", locked: false, ended: false } });
    const pose = { room: "tea-room", p: [1, 1.6, -2], q: [0, 0.3826834, 0, 0.9238795] };
    await new Promise((r) => setTimeout(r, 120));
    t.send({ t: "pose", pose });
    expect((await s.next("pose")).pose).toEqual(pose);
    for (const [cmd, expected] of [
      [{ t: "mode", mode: "follow" }, { mode: "follow" }],
      [{ t: "lock", locked: true }, { locked: true }],
      [{ t: "highlight", placement: "p-tenmoku" }, { highlight: "p-tenmoku" }],
      [{ t: "tour", index: 2 }, { tour: 2 }],
      [{ t: "gather" }, { gather: 1 }],
    ] as const) {
      t.send(cmd);
      expect((await s.next("state", (m) => Object.entries(expected).every(([k, v]) => m.state[k as keyof typeof m.state] === v))).state).toMatchObject(expected);
    }
    // The teacher's access settings reach every student in the state; a malformed profile is refused and changes nothing.
    const profile = { reducedMotion: true, textSize: 1.5, highContrast: false, captions: true };
    t.send({ t: "access", profile });
    expect((await s.next("state", (m) => m.state.access != null)).state.access).toEqual(profile);
    t.send({ t: "access", profile: { ...profile, textSize: 9 } });
    expect((await t.next("refused")).reason).toMatch(/^not a class command/);
    t.send({ t: "access", profile: null });
    expect((await s.next("state", (m) => m.state.access === null)).state.access).toBeNull();
    // A burst of 30 poses within ~30 ms: the students get one or two, not thirty.
    s.received.length = 0;
    await new Promise((r) => setTimeout(r, 120));
    for (let i = 0; i < 30; i++) t.send({ t: "pose", pose: { ...pose, p: [i, 1.6, 0] } });
    await new Promise((r) => setTimeout(r, 300));
    const poses = s.received.filter((m) => m.t === "pose");
    expect(poses.length).toBeGreaterThanOrEqual(1);
    expect(poses.length).toBeLessThanOrEqual(2);
    s.close();
  });

  it("refuses teacher commands from a student's raw client; the class state does not change", async () => {
    const seat = (await join(server, info.code, "Bo")).body;
    const s = await RawClassClient.open(server.ws, info.id, { seat: seat.token });
    await s.next("welcome");
    const before = { ...server.classes.registry.session(info.id)!.state };
    for (const cmd of [{ t: "mode", mode: "free" }, { t: "lock", locked: false }, { t: "end" }, { t: "remove", student: seat.token }, { t: "access", profile: null }, { t: "pose", pose: { room: "tea-room", p: [0, 0, 0], q: [0, 0, 0, 1] } }]) {
      s.send(cmd);
      expect((await s.next("refused")).reason).toBe(`only the teacher can send "${cmd.t}"`);
    }
    expect(server.classes.registry.session(info.id)!.state).toEqual(before);
    // Not a teacher by cookie either: a student's upgrade without a seat is refused before any socket exists.
    expect(await refusedUpgrade(`${server.ws}/class/${info.id}`)).toEqual({ status: 401, body: "sign in as the teacher, or join with a class code" });
    const other = await ApiSession.signUpOn(server, "mallory@school.test");
    expect((await refusedUpgrade(`${server.ws}/class/${info.id}`, { cookie: other.cookie })).status).toBe(403);
    expect((await refusedUpgrade(`${server.ws}/class/${info.id}?seat=not-a-seat`)).status).toBe(403);
    s.close();
  });

  it("shows raised hands, device, idle time and (only while the map is open) where students are", async () => {
    const seat = (await join(server, info.code, "Chen")).body;
    const s = await RawClassClient.open(server.ws, info.id, { seat: seat.token });
    await s.next("welcome");
    s.send({ t: "status", device: "headset", immersive: true, idleSeconds: 75, fps: 72 });
    s.send({ t: "hand", raised: true });
    const row = (await t.next("roster", (m) => m.students.some((x) => x.nickname === "Chen" && x.handRaised))).students.find((x) => x.nickname === "Chen")!;
    expect(row).toMatchObject({ connected: true, device: "headset", immersive: true, idleSeconds: 75, fps: 72, where: null });
    // Where a student is goes to the teacher only while the teacher watches.
    s.send({ t: "where", room: "tea-room", x: 1, z: 2 });
    t.send({ t: "watch", on: true });
    expect(await s.next("watch")).toEqual({ t: "watch", on: true });
    s.send({ t: "where", room: "tea-room", x: 1.5, z: -2 });
    const seen = await t.next("roster", (m) => m.students.some((x) => x.nickname === "Chen" && x.where !== null));
    expect(seen.students.find((x) => x.nickname === "Chen")!.where).toEqual({ room: "tea-room", x: 1.5, z: -2 });
    t.send({ t: "watch", on: false });
    await s.next("watch", (m) => !m.on);
    t.send({ t: "lower-hand", student: row.id });
    expect(await s.next("hand")).toEqual({ t: "hand", raised: false });
    s.close();
  });

  it("lets the teacher remove a student: their seat stops working at once", async () => {
    const seat = (await join(server, info.code, "Dana")).body;
    const s = await RawClassClient.open(server.ws, info.id, { seat: seat.token });
    await s.next("welcome");
    const id = (await t.next("roster", (m) => m.students.some((x) => x.nickname === "Dana" && x.connected))).students.find((x) => x.nickname === "Dana")!.id;
    t.send({ t: "remove", student: id });
    await s.next("removed");
    expect((await s.whenClosed()).code).toBe(CLASS_CLOSE.GONE);
    expect((await refusedUpgrade(`${server.ws}/class/${info.id}?seat=${seat.token}`)).status).toBe(403);
    await t.next("roster", (m) => !m.students.some((x) => x.nickname === "Dana"));
  });

  it("asks a question at the tour stop: students answer from their devices, the teacher sees the spread live, names never", { timeout: 20_000 }, async () => {
    const seats = await Promise.all(["Gu", "Hana", "Ivo"].map(async (n) => (await join(server, info.code, n)).body));
    const students = await Promise.all(seats.map((x) => RawClassClient.open(server.ws, info.id, { seat: x.token })));
    await Promise.all(students.map((s) => s.next("welcome")));
    const [gu, hana, ivo] = students as [RawClassClient, RawClassClient, RawClassClient];
    t.send({ t: "tour", index: 1 });
    await gu.next("state", (m) => m.state.tour === 1);
    // Malformed questions are refused with the field named; nothing reaches the students.
    for (const [question, reason] of [
      [{ kind: "choice", prompt: "Which bowl?", options: ["Tenmoku"] }, "question.options: a multiple-choice question needs at least 2 choices"],
      [{ kind: "text", prompt: "   ", options: [] }, "question.prompt: type the question"],
      [{ kind: "text", prompt: "Why?", options: ["a", "b"] }, "question.options: a short-answer question has no choices"],
      [{ kind: "choice", prompt: "x".repeat(301), options: ["a", "b"] }, "question.prompt: a question has at most 300 characters"],
      [{ kind: "choice", prompt: "Which?", options: ["a", "b", "c", "d", "e", "f", "g"] }, "question.options: at most 6 choices"],
      [{ kind: "choice", prompt: "Which?", options: ["a", "b"], correct: 0 }, "question: Unrecognized key"],
    ] as const) {
      t.send({ t: "ask", question });
      expect((await t.next("refused")).reason).toContain(`not a class command: ${reason}`);
    }
    t.send({ t: "ask", question: { kind: "choice", prompt: " What was the  tea bowl used for? ", options: ["Drinking whisked tea", "Storing rice", "Washing brushes"] } });
    const asked = (await gu.next("state", (m) => m.state.question != null)).state.question!;
    expect(asked).toEqual({ id: "q1", kind: "choice", prompt: "What was the tea bowl used for?", options: ["Drinking whisked tea", "Storing rice", "Washing brushes"], step: 1 });
    // A student cannot ask, and cannot answer a question not asked or with a choice it does not have.
    gu.send({ t: "ask", question: { kind: "text", prompt: "Homework?", options: [] } });
    expect((await gu.next("refused")).reason).toBe('only the teacher can send "ask"');
    gu.send({ t: "answer", question: "q7", choice: 0 });
    expect((await gu.next("refused")).reason).toBe("that question is no longer asked");
    gu.send({ t: "answer", question: "q1", choice: 4 });
    expect((await gu.next("refused")).reason).toBe("not an answer to this question");
    gu.send({ t: "answer-text", question: "q1", text: "rice" });
    expect((await gu.next("refused")).reason).toBe("not an answer to this question");
    gu.send({ t: "answer", question: "q1", choice: 0, nickname: "Ivo" });
    expect((await gu.next("refused")).reason).toMatch(/^not a student message/);
    // All three answer; Gu's change of mind straight after is refused (one answer a second).
    gu.send({ t: "answer", question: "q1", choice: 1 });
    gu.send({ t: "answer", question: "q1", choice: 0 });
    expect((await gu.next("refused")).reason).toBe("one answer a second");
    hana.send({ t: "answer", question: "q1", choice: 0 });
    ivo.send({ t: "answer", question: "q1", choice: 0 });
    expect(await gu.next("answered")).toEqual({ t: "answered", question: "q1", answer: { choice: 1 } });
    let spread = (await t.next("answers", (m) => m.result.answered === 3)).result;
    expect(spread.counts).toEqual([2, 1, 0]);
    // A second later, a new answer replaces the first.
    await new Promise((r) => setTimeout(r, 1050));
    gu.send({ t: "answer", question: "q1", choice: 0 });
    spread = (await t.next("answers", (m) => m.result.counts[0] === 3)).result;
    expect(spread).toMatchObject({ answered: 3, counts: [3, 0, 0], texts: [] });
    expect(JSON.stringify(spread)).not.toMatch(/Gu|Hana|Ivo/);
    // A short-answer question replaces it on every screen; answers come back as texts without names.
    t.send({ t: "ask", question: { kind: "text", prompt: "What does the glaze remind you of?", options: [] } });
    await hana.next("state", (m) => m.state.question?.id === "q2");
    await new Promise((r) => setTimeout(r, 1050));
    hana.send({ t: "answer-text", question: "q2", text: "  the night   sky " });
    ivo.send({ t: "answer-text", question: "q2", text: "x".repeat(281) });
    expect((await ivo.next("refused")).reason).toMatch(/at most 280 characters/);
    spread = (await t.next("answers", (m) => m.result.question.id === "q2" && m.result.answered === 1)).result;
    expect(spread.texts).toEqual(["the night sky"]);
    // A teacher who reloads gets the spread of the question asked now at once.
    const again = await RawClassClient.open(server.ws, info.id, { cookie: teacher.cookie });
    expect((await again.next("answers")).result).toMatchObject({ answered: 1, texts: ["the night sky"] });
    again.close();
    ivo.received.length = 0; // the states from before the first question had none either
    t.send({ t: "close-question" });
    await ivo.next("state", (m) => m.state.question === null);
    ivo.send({ t: "answer-text", question: "q2", text: "late" });
    expect((await ivo.next("refused")).reason).toBe("that question is no longer asked");
    for (const s of students) s.close();
  });

  it("ends the class: students are told and disconnected, their nicknames forgotten, the code refused, the lesson sheet ready", async () => {
    const seat = (await join(server, info.code, "Eli")).body;
    const s = await RawClassClient.open(server.ws, info.id, { seat: seat.token });
    await s.next("welcome");
    t.send({ t: "end" });
    await s.next("ended");
    expect((await s.whenClosed()).code).toBe(CLASS_CLOSE.GONE);
    await t.next("ended");
    const session = server.classes.registry.session(info.id)!;
    expect(session.state.ended).toBe(true);
    expect(session.seats.size).toBe(0);
    const again = await join(server, info.code, "Fay");
    expect(again.status).toBe(410);
    expect(again.body.error).toBe(`The class with the code ${info.code} has ended.`);
    const sheet = await fetch(`${server.url}/api/classes/${info.id}/lesson-sheet?lang=en`, { headers: { cookie: teacher.cookie } });
    expect(sheet.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await sheet.text();
    expect(html).toContain("<h1>Tea and its Vessels</h1>");
    expect(html).toContain("Teacher: Ms Lin");
    expect(html).toMatch(/Students: \d+/);
    expect(html).toContain("Welcome to Tea and its Vessels.");
    expect(html.match(/<li><span class="room">/g)).toHaveLength(5);
    expect(html).toContain("Licence: CC0 1.0");
    // The questions asked, with their spread and short answers, and no student's name.
    expect(html).toContain("<h2>Questions asked</h2>");
    expect(html).toContain("<strong>What was the tea bowl used for?</strong> <span class=\"room\">(tour stop 2)</span> · 3 answered");
    expect(html).toContain('<span class="choice">Drinking whisked tea</span> <strong>3</strong> (100%)');
    expect(html).toContain('<span class="choice">Storing rice</span> <strong>0</strong> (0%)');
    expect(html).toContain("<li>the night sky</li>");
    for (const nick of ["Mei", "Ari", "Bo", "Chen", "Dana", "Eli", "Gu", "Hana", "Ivo"]) expect(html).not.toMatch(new RegExp(`\\b${nick}\\b`));
    const zh = await (await fetch(`${server.url}/api/classes/${info.id}/lesson-sheet?lang=zh-Hant`, { headers: { cookie: teacher.cookie } })).text();
    expect(zh).toContain("<h1>茶與器</h1>");
    expect(zh).toContain("授權：");
  });
});

describe("a class that runs a lesson plan", () => {
  let server: Server;
  afterAll(() => server?.close());

  it("starts with a plan of the show, moves through its steps asking their questions, and prints it on the lesson sheet", { timeout: 20_000 }, async () => {
    server = await startServer();
    const teacher = await ApiSession.signUpOn(server, "tan@school.test", "Mr Tan");
    // Only a plan the show has; the field is named.
    for (const [body, status, message] of [
      [{ exhibition: TEA, lessonPlan: "no-such-plan" }, 400, 'lessonPlan: the exhibition has no lesson plan "no-such-plan"'],
      [{ exhibition: TEA, lessonPlan: "../vessels" }, 400, "lessonPlan"],
      [{ exhibition: TEA, lessonPlan: "vessels", steps: 99 }, 400, "steps"],
    ] as const) {
      const r = await teacher.call("POST", "/api/classes", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error).toContain(message);
    }
    const plain: ClassInfo = (await teacher.call("POST", "/api/classes", { exhibition: TEA })).body;
    const p = await RawClassClient.open(server.ws, plain.id, { cookie: teacher.cookie });
    expect((await p.next("welcome")).state.plan).toBeNull();
    p.send({ t: "plan-step", index: 0 });
    expect((await p.next("refused")).reason).toBe("plan-step: this class runs no lesson plan");
    p.close();

    const started = await teacher.call("POST", "/api/classes", { exhibition: TEA, lessonPlan: "vessels" });
    expect(started.status).toBe(201);
    const info: ClassInfo = started.body;
    const t = await RawClassClient.open(server.ws, info.id, { cookie: teacher.cookie });
    expect((await t.next("welcome")).state).toMatchObject({ plan: { id: "vessels", steps: 5 }, planStep: null });
    const seat = (await join(server, info.code, "Wen")).body;
    const s = await RawClassClient.open(server.ws, info.id, { seat: seat.token });
    expect((await s.next("welcome")).state.plan).toEqual({ id: "vessels", steps: 5 });
    // A student cannot move the plan; the teacher cannot go past its end.
    s.send({ t: "plan-step", index: 1 });
    expect((await s.next("refused")).reason).toBe('only the teacher can send "plan-step"');
    t.send({ t: "plan-step", index: 5 });
    expect((await t.next("refused")).reason).toBe("plan-step.index: the lesson plan has 5 steps");
    t.send({ t: "plan-step", index: 100 });
    expect((await t.next("refused")).reason).toMatch(/^not a class command: index/);
    t.send({ t: "plan-step", index: 1, question: { kind: "choice", prompt: "x", options: ["only"] } });
    expect((await t.next("refused")).reason).toContain("question.options: a multiple-choice question needs at least 2 choices");
    // Step 2 shows tour stop 2 (the teacher's tour, as the teacher's page sends it) and asks its question.
    t.send({ t: "tour", index: 1 });
    t.send({ t: "plan-step", index: 1, question: { kind: "choice", prompt: "為什麼鬥茶時喜歡用黑色的茶碗？", options: ["白色茶沫在黑釉上最顯眼", "黑碗讓茶更久保溫", "黑碗最便宜"] } });
    const state = (await s.next("state", (m) => m.state.question != null)).state;
    expect(state).toMatchObject({ planStep: 1, tour: 1, question: { id: "q1", step: 1, prompt: "為什麼鬥茶時喜歡用黑色的茶碗？" } });
    s.send({ t: "answer", question: "q1", choice: 0 });
    expect((await t.next("answers", (m) => m.result.answered === 1)).result.counts).toEqual([1, 0, 0]);
    // A step without a question moves the plan and keeps the question asked.
    t.send({ t: "plan-step", index: 2 });
    expect((await s.next("state", (m) => m.state.planStep === 2)).state.question?.id).toBe("q1");
    t.send({ t: "end" });
    await t.next("ended");
    t.close();
    s.close();
    const sheet = await (await fetch(`${server.url}/api/classes/${info.id}/lesson-sheet?lang=en`, { headers: { cookie: teacher.cookie } })).text();
    expect(sheet).toContain('<h2 class="plan-title">What the vessels tell us</h2>');
    expect(sheet).toContain("<h3>Objectives</h3>");
    expect(sheet).toContain("Tell whisked tea from steeped tea.");
    expect(sheet.match(/<li class="plan-step">/g)).toHaveLength(5);
    expect(sheet).toContain("為什麼鬥茶時喜歡用黑色的茶碗？"); // the question as asked, in the spread
    expect(sheet).not.toContain("Wen");
  });

  it("prints a plan for anyone who may see the show, in the language asked, and nothing for others", async () => {
    const zh = await fetch(`${server.url}/api/exhibitions/${TEA}/lesson-plans/gesture?lang=zh-Hant`);
    expect(zh.status).toBe(200);
    expect(zh.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await zh.text();
    expect(html).toContain('<h1 class="plan-title">沏茶是一種動作</h1>');
    expect(html).toContain("適合年齡: 8–12");
    expect(html).toContain("時長: 35 分鐘");
    expect(html.match(/<div class="plan-question">/g)).toHaveLength(2);
    expect(html).toContain("導覽站 4");
    const en = await (await fetch(`${server.url}/api/exhibitions/${TEA}/lesson-plans/make-your-own?lang=en`)).text();
    expect(en).toContain("Make your own micro-exhibition");
    expect(en).toContain("Length: 60 min");
    expect((await fetch(`${server.url}/api/exhibitions/${TEA}/lesson-plans/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/exhibitions/${TEA}/lesson-plans/${"x".repeat(65)}`)).status).toBe(400);
    // A private show's plans: only for those who may see it.
    const owner = await ApiSession.signUpOn(server, "plans@school.test", "Ms Plan");
    const doc = JSON.parse(JSON.stringify((await new ApiSession(server).call("GET", `/api/exhibitions/${TEA}`)).body));
    const imported = await owner.call("POST", "/api/exhibitions/import", { document: doc, id: "private-tea" });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect((await fetch(`${server.url}/api/exhibitions/private-tea/lesson-plans/vessels`)).status).toBe(404);
    const mine = await fetch(`${server.url}/api/exhibitions/private-tea/lesson-plans/vessels?lang=en`, { headers: { cookie: owner.cookie } });
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain("What the vessels tell us");
  });
});

describe("class limits and access", () => {
  let server: Server;
  afterAll(() => server?.close());

  it("refuses an expired code with a clear message, and a full class", async () => {
    server = await startServer({ classLimits: { maxStudents: 2, codeTtlMs: 400 } });
    const teacher = await ApiSession.signUpOn(server, "wu@school.test", "Mr Wu");
    const info: ClassInfo = (await teacher.call("POST", "/api/classes", { exhibition: TEA })).body;
    expect((await join(server, info.code, "One")).status).toBe(201);
    expect((await join(server, info.code, "Two")).status).toBe(201);
    const full = await join(server, info.code, "Three");
    expect(full.status).toBe(409);
    expect(full.body.error).toBe("The class is full (2 students).");
    const second: ClassInfo = (await teacher.call("POST", "/api/classes", { exhibition: TEA })).body;
    await new Promise((r) => setTimeout(r, 450));
    const late = await join(server, second.code, "Late");
    expect(late.status).toBe(410);
    expect(late.body).toMatchObject({ field: "code" });
    expect(late.body.error).toMatch(new RegExp(`^The class code ${second.code} has expired\\b.*Ask your teacher for a new code\\.$`));
  });

  it("lets a class's students read an unpublished exhibition with their seat, read-only, and nobody else", async () => {
    const teacher = await ApiSession.signUpOn(server, "ho@school.test", "Ms Ho");
    const made = await teacher.call("POST", "/api/exhibitions", { id: "my-tea-lesson", title: { en: "My tea lesson" }, template: "micro" });
    expect(made.status).toBe(201);
    const info: ClassInfo = (await teacher.call("POST", "/api/classes", { exhibition: "my-tea-lesson" })).body;
    const seat = (await join(server, info.code, "Gu")).body;
    expect((await fetch(`${server.url}/api/exhibitions/my-tea-lesson`)).status).toBe(404);
    const read = await fetch(`${server.url}/api/exhibitions/my-tea-lesson`, { headers: { "x-atrium-seat": seat.token } });
    expect(read.status).toBe(200);
    expect(read.headers.get("x-atrium-role")).toBe("viewer");
    expect((await fetch(`${server.url}/api/exhibitions/${TEA}`, { headers: { "x-atrium-seat": "forged" } })).status).toBe(200); // published anyway
    // The live document over /sync: the seat opens it read-only; without the seat, refused.
    expect((await refusedUpgrade(`${server.ws}/sync/my-tea-lesson`)).status).toBe(403);
    const ws = new WebSocket(`${server.ws}/sync/my-tea-lesson?seat=${seat.token}`);
    await new Promise((ok, fail) => (ws.once("open", ok), ws.once("error", fail)));
    ws.close();
    // Once the class ends the seat opens nothing.
    const t = await RawClassClient.open(server.ws, info.id, { cookie: teacher.cookie });
    t.send({ t: "end" });
    await t.next("ended");
    expect((await fetch(`${server.url}/api/exhibitions/my-tea-lesson`, { headers: { "x-atrium-seat": seat.token } })).status).toBe(404);
    expect((await refusedUpgrade(`${server.ws}/sync/my-tea-lesson?seat=${seat.token}`)).status).toBe(403);
    t.close();
  });
});

describe("a class that is gone is final for its clients, never an endless 'reconnecting'", () => {
  it("answers whether a class still runs for a seat or its teacher, and 410 once it is gone", async () => {
    const server = await startServer();
    try {
      const teacher = await ApiSession.signUpOn(server, "lin@school.test", "Ms Lin");
      const info = (await teacher.call("POST", "/api/classes", { exhibition: TEA })).body as ClassInfo;
      const mei = (await join(server, info.code, "Mei")).body;
      const kai = (await join(server, info.code, "Kai")).body;
      const status = async (id: string, seat?: string, cookie = "") => {
        const r = await fetch(`${server.url}/api/classes/${encodeURIComponent(id)}/status${seat !== undefined ? `?seat=${encodeURIComponent(seat)}` : ""}`, { headers: cookie ? { cookie } : {} });
        return { status: r.status, body: (await r.json()) as { live?: boolean; error?: string } };
      };
      expect(await status(info.id, mei.token)).toEqual({ status: 200, body: { live: true } });
      expect((await status(info.id, undefined, teacher.cookie)).status).toBe(200);
      // Hostile or lost callers learn nothing beyond "gone" or "not yours".
      expect((await status(info.id)).status).toBe(404);
      expect((await status(info.id, "a-made-up-token")).body.error).toBe("You are no longer in this class.");
      expect((await status("class-nonexistent", mei.token)).status).toBe(410);
      expect((await status(info.id, "x".repeat(5000))).status).toBe(400);
      // The teacher removes Kai over the channel: Kai's seat is gone, Mei's is not.
      const t = await RawClassClient.open(server.ws, info.id, { cookie: teacher.cookie });
      await t.next("welcome");
      const kaiSeat = [...server.classes.registry.session(info.id)!.seats.values()].find((s) => s.nickname === "Kai")!;
      t.send({ t: "remove", student: kaiSeat.id });
      await expect.poll(async () => (await status(info.id, kai.token)).status).toBe(410);
      expect((await status(info.id, mei.token)).status).toBe(200);
      t.send({ t: "end" });
      await expect.poll(async () => (await status(info.id, mei.token)).body.error).toBe("This class has ended.");
      t.close();
    } finally {
      await server.close();
    }
  });

  it("a student's page stops reconnecting, with the reason, when the class was lost in a server restart", async () => {
    const first = await startServer();
    const port = Number(new URL(first.url).port);
    const teacher = await ApiSession.signUpOn(first, "lin@school.test", "Ms Lin");
    const info = (await teacher.call("POST", "/api/classes", { exhibition: TEA })).body as ClassInfo;
    const mei = (await join(first, info.code, "Mei")).body;
    // The browser's class connection, on Node's `ws` in place of the browser's WebSocket.
    const g = globalThis as { WebSocket?: unknown };
    const had = g.WebSocket;
    g.WebSocket = WebSocket;
    const statuses: { status: string; reason?: string }[] = [];
    const link = connectClass({ session: info.id, seat: mei.token, serverUrl: first.ws, onMessage: () => {}, onStatus: (status, reason) => statuses.push({ status, reason }) });
    let second: Server | null = null;
    try {
      await expect.poll(() => statuses.at(-1)?.status, { timeout: 10_000 }).toBe("online");
      await first.close();
      // The same address comes back without the class (classes live in one process's memory).
      second = await startServer({ listen: { port } });
      await expect.poll(() => statuses.at(-1), { timeout: 20_000 }).toEqual({ status: "closed", reason: "This class is no longer running: it ended, or it was lost when the server restarted." });
      expect(statuses.map((s) => s.status)).toContain("reconnecting");
    } finally {
      link.close();
      g.WebSocket = had;
      await second?.close();
    }
  }, 40_000);
});
