import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import QRCode from "qrcode";
import { z } from "zod";
import { DomainError } from "../../http/errors";
import { ShortLinks } from "../../explore/short-links";
import { artefactCitation, pickText, showCitation, type Exhibition } from "../../../src/shared/exhibition";
import { placementsInVisitingOrder } from "../../../src/shared/exhibition/tiers";
import { citationAnswer, citeQuery, linksAnswer } from "../../../src/shared/api/links";
import { resolveUser, type ApiContext, type Guards } from "../context";

const idParams = z.object({ id: z.string() });
const codeParams = z.object({ code: z.string().max(32) });


/**
 * Short links, QR codes and citations (issue 23). `/s/<code>` leads to a show or to one artefact
 * in it (`/visit/<id>?artefact=<placement>`, which opens its close-up) for whoever may see it;
 * anyone else, and any unknown code, gets the app's "no such link" page with a 404, the same for
 * both (a code never tells whether a private show exists).
 */
export const linksPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards; notFoundPage: () => Promise<string> }> = async (app, { ctx, g, notFoundPage }) => {
  const links = new ShortLinks(ctx.accounts.db);
  const origin = (request: { raw: import("node:http").IncomingMessage }) => ctx.origins.publicOrigin(request.raw);

  app.get("/api/exhibitions/:id/links", { schema: { summary: "Short links (/s/{code}) of the show and of each artefact in it, made on first ask and never changed, with their QR codes (anyone who may see the show)", tags: ["explore"], params: idParams, response: { 200: linksAnswer } } }, async (request) => {
    const { id } = request.params;
    await g.requireRole(id, g.userOf(request), "viewer");
    const doc = await g.requireDocument(id);
    const order = placementsInVisitingOrder(doc);
    const codes = await links.codes(id, order);
    const link = (code: string) => ({ code, url: `${origin(request)}/s/${code}`, qr: `/api/links/${code}/qr.png` });
    return { show: link(codes.get("")!), artefacts: order.map((placement) => ({ placement, ...link(codes.get(placement)!) })) };
  });

  app.get(
    "/api/exhibitions/:id/cite",
    { schema: { summary: "A citation of the show or of one artefact (?placement=): plain text in zh-Hant, en or ja, CSL-JSON and BibTeX, with the licence, the credit line and the permanent link", tags: ["explore"], params: idParams, querystring: citeQuery, response: { 200: citationAnswer } } },
    async (request) => {
      const { id } = request.params;
      const { lang, placement } = request.query;
      await g.requireRole(id, g.userOf(request), "viewer");
      const doc = await g.requireDocument(id);
      if (placement !== undefined && !doc.placements[placement]) throw new DomainError("not-found", `placement: no artefact "${placement}" in ${id}`);
      const codes = await links.codes(id, placement ? [placement] : []);
      const url = `${origin(request)}/s/${codes.get(placement ?? "")!}`;
      const published = (await ctx.accounts.publishedExhibitions()).find((p) => p.id === id)?.published ?? Date.now();
      const ctxt = { url, author: await authorOf(doc, lang), published, accessed: Date.now() };
      const citation = placement ? artefactCitation(doc, placement, ctxt, lang)! : showCitation(doc, ctxt, lang);
      return { ...citation, url };
    },
  );

  /** Who made the show, as a citation names them: its museum, or the person's account name. */
  const authorOf = async (doc: Exhibition, lang: string): Promise<string> => {
    const { owner, museums, languages } = doc.meta;
    if (owner.kind === "museum") {
      const m = museums.find((x) => x.id === owner.id);
      if (m) return pickText(m.name, lang, languages);
      const named = await ctx.accounts.museum(owner.id);
      return named ? pickText(named.name, lang) : "";
    }
    return (await ctx.accounts.user(owner.id))?.name ?? "";
  };

  /** Where a code leads, for this requester: null when unknown or not theirs to see. */
  const target = async (code: string, request: Parameters<typeof resolveUser>[1]) => {
    const t = await links.resolve(code);
    if (!t) return null;
    await resolveUser(ctx.accounts, request);
    return (await ctx.accounts.roleOf(t.exhibition, g.userOf(request))) ? t : null;
  };

  app.get("/api/links/:code/qr.png", { schema: { summary: "A short link as a QR code (PNG, 600 px, for print), for whoever may see where it leads", tags: ["explore"], params: codeParams } }, async (request, reply) => {
    const t = await target(request.params.code, request);
    if (!t) throw new DomainError("not-found", `no short link "${request.params.code}"`);
    const png = await QRCode.toBuffer(`${origin(request)}/s/${request.params.code}`, { type: "png", width: 600, margin: 2, errorCorrectionLevel: "M" });
    return reply.type("image/png").header("cache-control", "private, max-age=86400").send(png);
  });

  app.get<{ Params: { code: string } }>("/s/:code", { schema: { hide: true } }, async (request, reply) => {
    const t = request.params.code.length <= 32 ? await target(request.params.code, request) : null;
    if (!t) return reply.code(404).header("cache-control", "no-cache").type("text/html; charset=utf-8").send(await notFoundPage());
    const to = `/visit/${encodeURIComponent(t.exhibition)}${t.placement ? `?artefact=${encodeURIComponent(t.placement)}` : ""}`;
    return reply.header("cache-control", "no-cache").redirect(to, 302);
  });
};
