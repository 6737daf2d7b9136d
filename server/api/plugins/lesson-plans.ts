import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { recordId } from "../../../src/shared/exhibition";
import { DomainError } from "../../http/errors";
import { lessonPlanHtml } from "../../print/lesson-plan";
import type { ApiContext, Guards } from "../context";

const params = z.object({ id: z.string().min(1).max(64), plan: recordId });

/**
 * `/api/exhibitions/<id>/lesson-plans/<plan>`: a lesson plan of the show as a printable page, for
 * whoever may see the show (the plan is part of its document; the studio edits it like any record).
 */
export const lessonPlansPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { g }) => {
  app.get(
    "/api/exhibitions/:id/lesson-plans/:plan",
    { schema: { summary: "A lesson plan of the show as a printable A4 page (HTML): objectives, ages, length, materials, steps with their tour stops and questions", tags: ["classes"], params, querystring: z.object({ lang: z.string().max(35).optional() }) } },
    async (request, reply) => {
      const { id, plan } = request.params;
      await g.requireRole(id, g.userOf(request), "viewer");
      const doc = await g.requireDocument(id);
      const found = doc.lessonPlans[plan];
      if (!found) throw new DomainError("not-found", `the exhibition has no lesson plan "${plan}"`);
      const lang = request.query.lang ?? doc.meta.languages[0] ?? "en";
      return reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(lessonPlanHtml(doc, found, lang));
    },
  );
};
