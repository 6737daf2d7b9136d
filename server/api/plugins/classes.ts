import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import QRCode from "qrcode";
import { z } from "zod";
import type { ClassSession } from "../../classes/class-registry";
import { lessonSheetHtml } from "../../classes/lesson-sheet";
import { questionResult } from "../../classes/class-registry";
import { DomainError } from "../../http/errors";
import { CLASSROOM_LIMITS, classroomId, classroomName, joinCode, nickname, type ClassInfo, type JoinAnswer } from "../../../src/shared/class-protocol";
import { classroomsOf } from "../../../src/shared/class-classrooms";
import { recordId } from "../../../src/shared/exhibition";
import { SEAT_COOKIE, type ApiContext, type Guards } from "../context";

export const startClassBody = z
  .object({
    exhibition: z.string().min(1).max(64),
    lessonPlan: recordId.optional(),
    /** One name per classroom (schools joining the lesson), each then given its own code; one unnamed classroom when absent. */
    classrooms: z.array(classroomName).min(1).max(CLASSROOM_LIMITS.perClass, `a class has at most ${CLASSROOM_LIMITS.perClass} classrooms`).optional(),
  })
  .strict();
export const addClassroomBody = z.object({ name: classroomName }).strict();
export const joinClassBody = z.object({ code: joinCode, nickname });
const idParams = z.object({ id: z.string() });

/**
 * `/api/classes`: a signed-in teacher starts a class on an exhibition they can see and gets its
 * code, link and QR code; students join with code + nickname (no account) and get a seat token;
 * the teacher downloads the lesson sheet. The live class runs on the class channel.
 */
export const classesPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { ctx, g }) => {
  const registry = ctx.classes;

  const info = (request: FastifyRequest, s: ClassSession): ClassInfo => {
    // The configured public URL (or the server's own name), never a client's Host.
    const link = (code: string) => `${ctx.origins.publicOrigin(request.raw)}/join/${code}`;
    return {
      id: s.id,
      exhibition: s.exhibition,
      code: s.code,
      link: link(s.code),
      codeExpiresAt: new Date(s.codeExpiresAt).toISOString(),
      maxStudents: registry.limits.maxStudents,
      ended: s.state.ended,
      classrooms: classroomsOf(s.state, s.code).map((c) => ({
        id: c.id,
        name: c.name,
        code: c.code ?? s.code,
        link: link(c.code ?? s.code),
        qr: `/api/classes/${s.id}/qr.svg?classroom=${c.id}`,
        codeExpiresAt: new Date(c.codeExpiresAt ?? s.codeExpiresAt).toISOString(),
      })),
    };
  };
  const teachersClass = g.requireTeachersClass;

  app.post("/api/classes", { schema: { summary: "Start a class session on an exhibition (signed-in teachers who can see it): a 6-character join code, its link and expiry", tags: ["classes"], body: startClassBody } }, async (request, reply) => {
    const u = g.requireUser(request);
    await g.requireRole(request.body.exhibition, u, "viewer");
    let plan: { id: string; steps: number } | null = null;
    if (request.body.lessonPlan) {
      const doc = await ctx.documents.read(request.body.exhibition);
      const found = doc?.lessonPlans[request.body.lessonPlan];
      if (!found) throw new DomainError("invalid", `lessonPlan: the exhibition has no lesson plan "${request.body.lessonPlan}"`);
      plan = { id: request.body.lessonPlan, steps: found.steps.length };
    }
    const s = await registry.create({ id: u.id, name: u.name }, request.body.exhibition, plan, request.body.classrooms);
    return reply.code(201).send(info(request, s));
  });

  app.post(
    "/api/classes/:id/classrooms",
    { schema: { summary: "Add a classroom to a running class (its teacher): another school joins the lesson with its own code; at most 8 classrooms (409 beyond)", tags: ["classes"], params: idParams, body: addClassroomBody } },
    async (request, reply) => {
      const s = await teachersClass(request.params.id, request);
      if (s.state.ended) throw new DomainError("gone", "This class has ended.");
      const added = await registry.addClassroom(s, request.body.name);
      if (typeof added === "string") throw new DomainError("conflict", added, { field: "classrooms" });
      return reply.code(201).send(info(request, s));
    },
  );

  app.post(
    "/api/classes/join",
    { schema: { summary: "Join a class with its code and a nickname (no account): a seat token for the class channel /class/{id}?seat= and the exhibition (header x-atrium-seat). Expired codes: 410; full class: 409; wrong codes are limited per address, right ones never", tags: ["classes"], body: joinClassBody } },
    async (request, reply) => {
      // Only wrong codes count: a whole class behind one school router joins at once, but guessing
      // a code from one network stops after a few tries a minute.
      const address = ctx.addressOf(request.raw);
      await ctx.throttles.beforeJoin(address);
      const r = await registry.join(request.body.code, request.body.nickname);
      if ("error" in r) {
        if (r.code === "not-found") await ctx.throttles.joinFailed(address);
        throw new DomainError(r.code, r.error, r.code === "full" ? {} : { field: "code" });
      }
      const answer: JoinAnswer = { session: r.session.id, exhibition: r.session.exhibition, token: r.seat.token, seat: r.seat.id, nickname: r.seat.nickname, teacher: r.session.teacherName };
      // The seat also reads the class's uploaded files: a cookie scoped to /uploads/ only.
      const maxAge = Math.ceil(registry.limits.maxLengthMs / 1000);
      reply.header("set-cookie", `${SEAT_COOKIE}=${r.seat.token}; Path=/uploads/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${ctx.secureCookies ? "; Secure" : ""}`);
      return reply.code(201).send(answer);
    },
  );

  app.get(
    "/api/classes/:id/status",
    {
      schema: {
        summary: "Whether a class still runs for this seat (a student's seat token) or its teacher: 200, or 410 once it ended, the seat was removed or the server no longer has it. A client that cannot reconnect asks here, so an ended class is final, never an endless 'reconnecting'",
        tags: ["classes"],
        params: idParams,
        querystring: z.object({ seat: z.string().max(100).optional() }),
      },
    },
    async (request) => {
      const s = await registry.load(request.params.id);
      const seat = request.query.seat;
      if (!s) throw new DomainError("gone", "This class is no longer running: it ended, or it was lost when the server restarted.");
      if (s.state.ended) throw new DomainError("gone", "This class has ended.");
      if (seat) {
        if ((await registry.loadSeat(seat))?.session !== s) throw new DomainError("gone", "You are no longer in this class.");
      } else if (g.userOf(request)?.id !== s.teacherId) throw new DomainError("not-found", `no class "${request.params.id}" of yours`);
      return { live: true };
    },
  );

  app.get("/api/classes/:id", { schema: { summary: "The class's code, link and expiry (its teacher)", tags: ["classes"], params: idParams } }, async (request) => info(request, await teachersClass(request.params.id, request)));

  app.get("/api/classes/:id/qr.svg", { schema: { summary: "QR code of a classroom's join link (SVG; its teacher); the first classroom's by default", tags: ["classes"], params: idParams, querystring: z.object({ classroom: classroomId.optional() }) } }, async (request, reply) => {
    const s = await teachersClass(request.params.id, request);
    const wanted = request.query.classroom ?? "r1";
    const room = info(request, s).classrooms.find((c) => c.id === wanted);
    if (!room) throw new DomainError("not-found", `classroom: the class has no classroom "${wanted}"`);
    const svg = await QRCode.toString(room.link, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
    return reply.type("image/svg+xml").header("cache-control", "no-store").send(svg);
  });

  /** Each classroom's answers to each question (a class started before several classrooms: all are the first's). */
  const byClassroom = (s: ClassSession) =>
    classroomsOf(s.state, s.code).map((room, i) => ({
      name: room.name || `${i + 1}`,
      questions: s.questions.map((q) => questionResult(q.question, Object.fromEntries(Object.entries(q.answers).filter(([, a]) => (a.classroom ?? "r1") === room.id)))),
    }));

  app.get(
    "/api/classes/:id/lesson-sheet",
    { schema: { summary: "One-page printable lesson sheet (HTML): exhibition, tour steps, objects with credit lines; no student data (its teacher)", tags: ["classes"], params: idParams, querystring: z.object({ lang: z.string().optional() }) } },
    async (request, reply) => {
      const s = await teachersClass(request.params.id, request);
      const doc = await ctx.documents.read(s.exhibition);
      if (!doc) throw new DomainError("not-found", `the exhibition "${s.exhibition}" no longer exists`);
      const lang = request.query.lang ?? doc.meta.languages[0] ?? "en";
      const html = lessonSheetHtml(doc, { teacher: s.teacherName, startedAt: new Date(s.createdAt), endedAt: s.endedAt ? new Date(s.endedAt) : null, students: s.joined, questions: s.questions.map((q) => questionResult(q.question, q.answers)), classrooms: byClassroom(s), plan: s.state.plan ? doc.lessonPlans[s.state.plan.id] : undefined }, lang);
      return reply.type("text/html; charset=utf-8").header("cache-control", "no-store").header("content-disposition", `inline; filename="lesson-${s.exhibition}.html"`).send(html);
    },
  );
};
