import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { fieldError } from "../../http/errors";
import { statsCsv, VisitStats } from "../../explore/visit-stats";
import { MAX_REPORT_BYTES, statsAnswer, statsQuery, visitReport } from "../../../src/shared/api/stats";
import { pickText } from "../../../src/shared/exhibition";
import type { ApiContext, Guards } from "../context";

const idParams = z.object({ id: z.string() });
const csvQuery = statsQuery.extend({ lang: z.string().max(35).optional() });
/** The longest range one answer covers (a year and a day). */
const MAX_DAYS = 366;
/** How long a show's list of artefacts is trusted for checking reports (ms). */
const PLACEMENTS_TTL = 60_000;

/** The range of days asked for (default: the last 30), checked: in order, at most a year. Statistics and survey answers alike. */
export function checkedRange(stats: VisitStats, query: { from?: string; to?: string }): { from: string; to: string } {
  const { from, to } = stats.range(query.from, query.to);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (!(days >= 1)) throw fieldError("invalid", "from", "must not be after to");
  if (days > MAX_DAYS) throw fieldError("invalid", "from", `at most ${MAX_DAYS} days at once`);
  return { from, to };
}

/** Whether the browser asked not to be tracked (Do Not Track, or Global Privacy Control). */
const optedOut = (headers: Record<string, string | string[] | undefined>) => headers["dnt"] === "1" || headers["sec-gpc"] === "1";

/**
 * Visit statistics, privacy first (issue 23): visit pages report what was done (`POST /api/visits`,
 * counts only), owners and museum staff (curators) read them per day and per artefact, as JSON for
 * the charts and as CSV. A browser that sends Do Not Track or Global Privacy Control is not counted
 * (its page sends nothing either). Reports are refused cheaply: size and shape before anything is
 * read, a per-address throttle, then whether the reporter may see the show at all.
 */
export const statsPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards; stats: VisitStats }> = async (app, { ctx, g, stats }) => {
  // Which placements each show has, to drop made-up ones: read at most once a minute per show.
  const placements = new Map<string, { at: number; ids: Set<string> }>();
  const placementsOf = async (id: string): Promise<Set<string>> => {
    const cached = placements.get(id);
    if (cached && Date.now() - cached.at < PLACEMENTS_TTL) return cached.ids;
    const ids = new Set(Object.keys((await g.requireDocument(id)).placements));
    if (placements.size > 1000) placements.clear();
    placements.set(id, { at: Date.now(), ids });
    return ids;
  };

  app.post(
    "/api/visits",
    {
      bodyLimit: MAX_REPORT_BYTES,
      schema: {
        summary: "Report what a visit did since its last report (counts only: no cookie, no identifier; at most one a minute per visit page). Not counted under Do Not Track or Global Privacy Control",
        tags: ["statistics"],
        body: visitReport,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      if (optedOut(request.headers)) return reply.code(204).send(null);
      await ctx.throttles.visitReport(ctx.addressOf(request.raw));
      const report = request.body;
      const id = report.exhibition;
      await g.requireViewer(id, request);
      const known = await placementsOf(id);
      await stats.record(report, { address: ctx.addressOf(request.raw), userAgent: String(request.headers["user-agent"] ?? "") }, (p) => known.has(p));
      return reply.code(204).send(null);
    },
  );

  const rangeOf = (query: { from?: string; to?: string }) => checkedRange(stats, query);

  app.get(
    "/api/exhibitions/:id/stats",
    { schema: { summary: "Visit statistics per day and per artefact (owners and curators; counts from 1 to 4 shown as \"< 5\")", tags: ["statistics"], params: idParams, querystring: statsQuery, response: { 200: statsAnswer } } },
    async (request) => {
      const { id } = request.params;
      await g.requireRole(id, g.userOf(request), "curator");
      const { from, to } = rangeOf(request.query);
      return stats.table(id, from, to);
    },
  );

  app.get(
    "/api/exhibitions/:id/stats.csv",
    { schema: { summary: "The same statistics as CSV: one row per day for the show, then one per artefact and day (owners and curators)", tags: ["statistics"], params: idParams, querystring: csvQuery } },
    async (request, reply) => {
      const { id } = request.params;
      await g.requireRole(id, g.userOf(request), "curator");
      const { from, to } = rangeOf(request.query);
      const doc = await g.requireDocument(id);
      const lang = request.query.lang ?? doc.meta.languages[0] ?? "en";
      const titleOf = (p: string) => {
        const item = doc.items[doc.placements[p]?.item ?? ""];
        return item ? pickText(item.title, lang, doc.meta.languages) : "";
      };
      const csv = statsCsv(await stats.table(id, from, to), titleOf);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${id}-visits-${from}-${to}.csv"`)
        .send(`\uFEFF${csv}`); // the byte-order mark: spreadsheets then read Chinese titles as UTF-8
    },
  );
};
