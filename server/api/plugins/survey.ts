import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { DomainError } from "../../http/errors";
import type { Surveys } from "../../explore/surveys";
import type { VisitStats } from "../../explore/visit-stats";
import { statsQuery } from "../../../src/shared/api/stats";
import { surveyAnswer, surveyConfig, surveyResults, SURVEY_QUESTIONS, teacherSurvey, type SurveyAnswer } from "../../../src/shared/api/survey";
import type { ApiContext, Guards } from "../context";
import { csvCell } from "../../explore/visit-stats";
import { checkedRange } from "./stats";

const idParams = z.object({ id: z.string() });
/** A survey answer body is small: three answers, one of them at most 500 characters. */
const ANSWER_BYTES = 4 * 1024;

/**
 * The visitor survey (issue 23): owners and curators turn it on and choose its questions; anyone
 * who may see the show reads it and answers it (throttled per address; the answers carry no
 * identity); owners and curators read the answers per day, as JSON and CSV.
 */
export const surveyPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards; surveys: Surveys; stats: VisitStats }> = async (app, { ctx, g, surveys, stats }) => {

  app.get("/api/exhibitions/:id/survey", { schema: { summary: "The show's exit survey, as a visitor's page shows it (off unless its owner turned it on)", tags: ["statistics"], params: idParams, response: { 200: surveyConfig } } }, async (request) => {
    await g.requireViewer(request.params.id, request);
    return (await surveys.config(request.params.id)) ?? { enabled: false, questions: [...SURVEY_QUESTIONS] };
  });

  app.put("/api/exhibitions/:id/survey", { schema: { summary: "Turn the exit survey on or off and choose its one to three questions (owners and curators)", tags: ["statistics"], params: idParams, body: surveyConfig, response: { 200: surveyConfig } } }, async (request) => {
    await g.requireRole(request.params.id, g.userOf(request), "curator");
    await surveys.setConfig(request.params.id, request.body);
    return request.body;
  });

  app.post(
    "/api/exhibitions/:id/survey/answers",
    { bodyLimit: ANSWER_BYTES, schema: { summary: "Answer the show's exit survey (once per visitor: the page remembers; throttled per address)", tags: ["statistics"], params: idParams, body: surveyAnswer, response: { 204: z.null() } } },
    async (request, reply) => {
      const { id } = request.params;
      await ctx.throttles.surveyAnswer(ctx.addressOf(request.raw));
      await g.requireViewer(id, request);
      const config = await surveys.config(id);
      if (!config?.enabled) throw new DomainError("conflict", "this exhibition asks no survey questions now");
      // Only the questions asked are kept.
      const asked = new Set(config.questions);
      const body = request.body as SurveyAnswer;
      const kept: SurveyAnswer = {};
      if (asked.has("enjoy") && body.enjoy !== undefined) kept.enjoy = body.enjoy;
      if (asked.has("learned") && body.learned !== undefined) kept.learned = body.learned;
      if (asked.has("recommend") && body.recommend !== undefined) kept.recommend = body.recommend;
      if (Object.keys(kept).length === 0) throw new DomainError("invalid", "answer at least one of the questions asked");
      await surveys.answer(id, kept);
      return reply.code(204).send(null);
    },
  );

  /** An ended class of this teacher's (404 for anyone else, 409 while it runs). */
  const endedClassOf = async (id: string, request: Parameters<typeof g.requireUser>[0]) => {
    const u = g.requireUser(request);
    const s = await ctx.classes.load(id);
    if (!s || s.teacherId !== u.id) throw new DomainError("not-found", `no class "${id}" of yours`);
    if (!s.state.ended) throw new DomainError("conflict", "the class is still running: answer once it has ended");
    return s;
  };

  app.get("/api/classes/:id/survey", { schema: { summary: "Whether the teacher has answered the end-of-class survey (its teacher)", tags: ["classes"], params: idParams, response: { 200: z.object({ answered: z.boolean() }) } } }, async (request) => {
    const s = await endedClassOf(request.params.id, request);
    return { answered: await surveys.teacherAnswered(s.id) };
  });

  app.post(
    "/api/classes/:id/survey",
    { bodyLimit: ANSWER_BYTES, schema: { summary: "The teacher's answer after class: how it went (1-5) and a comment for the museum; once per class (its teacher, once it ended)", tags: ["classes"], params: idParams, body: teacherSurvey, response: { 204: z.null() } } },
    async (request, reply) => {
      const s = await endedClassOf(request.params.id, request);
      if (!(await surveys.teacherAnswer(s.id, s.exhibition, request.body, s.state.plan?.id ?? null))) throw new DomainError("conflict", "this class's survey was answered already");
      return reply.code(204).send(null);
    },
  );

  const resultsOf = async (id: string, query: { from?: string; to?: string }) => {
    const { from, to } = checkedRange(stats, query);
    const doc = await ctx.documents.read(id);
    return surveys.results(id, from, to, (plan) => doc?.lessonPlans[plan]?.title ?? null);
  };

  app.get("/api/exhibitions/:id/survey/results", { schema: { summary: "The survey's answers per day, with the share of positive ones (owners and curators)", tags: ["statistics"], params: idParams, querystring: statsQuery, response: { 200: surveyResults } } }, async (request) => {
    await g.requireRole(request.params.id, g.userOf(request), "curator");
    return resultsOf(request.params.id, request.query);
  });

  app.get("/api/exhibitions/:id/survey.csv", { schema: { summary: "The survey's answers per day as CSV, then what visitors learned (owners and curators)", tags: ["statistics"], params: idParams, querystring: statsQuery } }, async (request, reply) => {
    const { id } = request.params;
    await g.requireRole(id, g.userOf(request), "curator");
    const r = await resultsOf(id, request.query);
    const rows: (string | number | null)[][] = [["day", "answers", "enjoy_1", "enjoy_2", "enjoy_3", "enjoy_4", "enjoy_5", "recommend_yes", "recommend_no", "positive_share"]];
    for (const d of r.days) rows.push([d.day, d.answers, ...d.enjoy, d.recommendYes, d.recommendNo, d.positiveShare]);
    rows.push([], ["day", "learned"]);
    for (const l of r.learned) rows.push([l.day, l.text]);
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${id}-survey-${r.from}-${r.to}.csv"`)
      .send(`\uFEFF${rows.map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`);
  });
};
