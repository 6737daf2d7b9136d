import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClassInfo } from "../../src/shared/class-protocol";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { ensureAdmin } from "../../server/accounts/admin";
import { AccountStore } from "../../server/accounts/account-store";
import { ApiSession, TEST_ADMIN } from "../support/api-session";
import { RawClassClient } from "../support/class-clients";
import { documentedAnswers } from "../support/openapi";
import { startServer } from "../support/server";

/**
 * The teacher's survey at the end of a class (issue 22): two questions (how it went, 1-5; a
 * comment for the museum), once per class, from its teacher, once it ended; the museum reads the
 * answers with the show's survey results (count, share of 4 and 5, scores, comments).
 */
const SHOW = "tea-and-its-vessels";
let clock = Date.parse("2026-06-01T09:00:00Z");
let server: Awaited<ReturnType<typeof startServer>>;
let owner: ApiSession;

beforeAll(async () => {
  server = await startServer({ clock: () => clock });
  await ensureAdmin(server.accounts, TEST_ADMIN.email, TEST_ADMIN.password);
  owner = await ApiSession.admin(server); // the site administrator owns the sample shows
});
afterAll(async () => {
  await server?.close();
});

/** A teacher starts a class on the show and ends it over the class channel, as the teacher's page does. */
async function classOf(teacher: ApiSession, end = true, lessonPlan?: string): Promise<ClassInfo> {
  const started = await teacher.call("POST", "/api/classes", { exhibition: SHOW, ...(lessonPlan ? { lessonPlan } : {}) });
  expect(started.status).toBe(201);
  const info = started.body as ClassInfo;
  if (end) await endClass(teacher, info);
  return info;
}
async function endClass(teacher: ApiSession, info: ClassInfo): Promise<void> {
  const t = await RawClassClient.open(server.ws, info.id, { cookie: teacher.cookie });
  await t.next("welcome");
  t.send({ t: "end" });
  await t.next("ended");
  t.close();
}

describe("the teacher's survey after class", () => {
  it("is answered once per ended class by its teacher only; malformed, foreign and oversized answers are refused", async () => {
    const api = await documentedAnswers(server);
    const lin = await ApiSession.signUpOn(server, "lin@school.test", "Ms Lin");
    const info = await classOf(lin, false);
    const path = `/api/classes/${info.id}/survey`;
    // Not while the class runs.
    const early = await lin.call("POST", path, { score: 5 });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatch(/still running/);
    await endClass(lin, info);
    // Nobody but its teacher: signed out 401, another teacher 404 (the class is not theirs to know of).
    expect((await new ApiSession(server).call("POST", path, { score: 5 })).status).toBe(401);
    const other = await ApiSession.signUpOn(server, "other@school.test");
    expect((await other.call("POST", path, { score: 1 })).status).toBe(404);
    expect((await other.call("GET", path)).status).toBe(404);
    expect((await lin.call("POST", "/api/classes/class-nosuchclass00/survey", { score: 5 })).status).toBe(404);
    // Malformed answers name the field.
    for (const [body, field] of [
      [{ score: 6 }, "score"],
      [{ score: 0 }, "score"],
      [{ score: "5" }, "score"],
      [{ score: 4.5 }, "score"],
      [{}, "score"],
      [{ score: 4, comment: "x".repeat(1001) }, "comment"],
      [{ score: 4, teacher: "Ms Lin" }, "teacher"],
    ] as const) {
      const r = await lin.call("POST", path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toContain(field);
    }
    const raw = (body: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json", cookie: lin.cookie, ...headers }, body });
    expect((await raw(JSON.stringify({ score: 4, comment: "x".repeat(8000) }))).status).toBe(413);
    expect((await raw("{score")).status).toBe(400);
    // A page of another site cannot answer for the teacher.
    expect((await raw(JSON.stringify({ score: 1 }), { origin: "https://elsewhere.example" })).status).toBe(403);
    expect((await lin.call("GET", path)).body).toEqual({ answered: false });
    // The answer, once.
    const ok = await lin.call("POST", path, { score: 5, comment: "  The students loved the whisk demonstration. " });
    expect(ok.status).toBe(204);
    const again = await lin.call("POST", path, { score: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/answered already/);
    const answered = await lin.call("GET", path);
    api.check("/api/classes/{id}/survey", "get", "200", answered.body);
    expect(answered.body).toEqual({ answered: true });
  });

  it("gives the museum each show's count, share of 4 and 5, scores and comments, never who said them", async () => {
    // Five more classes on the show, two of them the next day.
    for (const [i, score] of [4, 2, 5, 4, 3].entries()) {
      if (i === 3) clock = Date.parse("2026-06-02T09:00:00Z");
      const teacher = await ApiSession.signUpOn(server, `teacher${i}@school.test`, `Teacher ${i}`);
      const info = await classOf(teacher);
      expect((await teacher.call("POST", `/api/classes/${info.id}/survey`, { score, ...(i === 1 ? { comment: "=HYPERLINK(\"x\") the room was too dark on old phones" } : {}) })).status).toBe(204);
    }
    const results = await owner.call("GET", `/api/exhibitions/${SHOW}/survey/results?from=2026-06-01&to=2026-06-02`);
    expect(results.status).toBe(200);
    (await documentedAnswers(server)).check("/api/exhibitions/{id}/survey/results", "get", "200", results.body);
    // 6 answers (5, 4, 2, 5, 4, 3): 4 of them 4 or 5. Counts under 5 are shown as "< 5", as everywhere on the page.
    expect(results.body.teachers).toEqual({
      answers: 6,
      scores: [0, "< 5", "< 5", "< 5", "< 5"],
      positiveShare: 0.667,
      plans: [],
      comments: expect.arrayContaining([
        { day: "2026-06-01", text: '=HYPERLINK("x") the room was too dark on old phones' },
        { day: "2026-06-01", text: "The students loved the whisk demonstration." },
      ]),
    });
    expect(results.body.teachers.comments).toHaveLength(2);
    expect(JSON.stringify(results.body.teachers)).not.toMatch(/Ms Lin|Teacher \d|school\.test/);
    // Only the show's owners and curators read them.
    const stranger = await ApiSession.signUpOn(server, "stranger@school.test");
    expect((await stranger.call("GET", `/api/exhibitions/${SHOW}/survey/results`)).status).toBe(403);
  });

  it("gives the share of 4 and 5 per lesson plan the classes ran, with the plan's title", async () => {
    clock = Date.parse("2026-06-03T09:00:00Z");
    for (const [i, [plan, score]] of ([["vessels", 5], ["vessels", 5], ["vessels", 4], ["vessels", 2], ["vessels", 4], ["gesture", 3], [undefined, 1]] as const).entries()) {
      const teacher = await ApiSession.signUpOn(server, `planned${i}@school.test`, `Planned ${i}`);
      const info = await classOf(teacher, true, plan);
      expect((await teacher.call("POST", `/api/classes/${info.id}/survey`, { score })).status).toBe(204);
    }
    const results = await owner.call("GET", `/api/exhibitions/${SHOW}/survey/results?from=2026-06-03&to=2026-06-03`);
    (await documentedAnswers(server)).check("/api/exhibitions/{id}/survey/results", "get", "200", results.body);
    expect(results.body.teachers.answers).toBe(7);
    expect(results.body.teachers.plans).toEqual([
      { id: "gesture", title: { "zh-Hant": "沏茶是一種動作", en: "Brewing as a gesture" }, answers: "< 5", positiveShare: null },
      { id: "vessels", title: { "zh-Hant": "器物說了什麼", en: "What the vessels tell us" }, answers: 5, positiveShare: 0.8 },
    ]);
  });

  it("an embedded database file made before lesson plans gains the plan's column when it is opened, its answers kept", async () => {
    const dir = mkdtempSync(join(tmpdir(), "atrium-old-db-"));
    try {
      const file = join(dir, "atrium.db");
      const old = new Database(file);
      // The table as schema step 10 made it (its show's row is beside the point here).
      old.pragma("foreign_keys = OFF");
      old.exec(`CREATE TABLE teacher_surveys (class_id TEXT PRIMARY KEY, exhibition_id TEXT NOT NULL REFERENCES exhibitions(id) ON DELETE CASCADE, day TEXT NOT NULL, score INTEGER NOT NULL, comment TEXT);
        INSERT INTO teacher_surveys VALUES ('class-old', 'tea', '2026-05-01', 4, 'before plans');`);
      old.close();
      const store = new AccountStore(file);
      const rows = await store.db.all<{ class_id: string; lesson_plan: string | null; comment: string }>("SELECT class_id, lesson_plan, comment FROM teacher_surveys");
      expect(rows).toEqual([{ class_id: "class-old", lesson_plan: null, comment: "before plans" }]);
      await store.db.close();
      // Opened again: nothing to add, nothing lost.
      const again = new AccountStore(file);
      expect(await again.db.all("SELECT class_id FROM teacher_surveys")).toEqual([{ class_id: "class-old" }]);
      await again.db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
