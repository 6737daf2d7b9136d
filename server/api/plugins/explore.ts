import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { GalleryIndex } from "../../explore/gallery-index";
import { galleryFacets, searchGallery } from "../../explore/gallery";
import { dayOf, type VisitStats } from "../../explore/visit-stats";
import { exploreAnswer, exploreQuery } from "../../../src/shared/api/explore";
import type { ApiContext, Guards } from "../context";

/** Escapes text for XML (the sitemap). */
const xml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The public floor: the gallery of published shows (`GET /api/explore`, for anyone, no cookie
 * needed), and what search engines read: `robots.txt` and `sitemap.xml` (the gallery and every
 * published show, in each of its languages).
 */
export const explorePlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards; stats: VisitStats }> = async (app, { ctx, stats }) => {
  // "Most visited": views in the last 30 days, read with each rebuild of the index (every 30 s at most).
  const index = new GalleryIndex(ctx.accounts, ctx.documents, ctx.accessChanges, () => stats.viewsSince(dayOf(ctx.now() - 29 * 86_400_000)));

  app.get(
    "/api/explore",
    { schema: { summary: "Search the published shows (titles, texts, artefacts, makers, museums; any language, Chinese and Japanese by substring), filtered and sorted; public", tags: ["explore"], querystring: exploreQuery, response: { 200: exploreAnswer } } },
    async (request, reply) => {
      await ctx.throttles.search(ctx.addressOf(request.raw));
      const entries = await index.all();
      // The same for everyone (it names published shows only): shared caches may keep it a little.
      reply.header("cache-control", "public, max-age=30");
      return { ...searchGallery(entries, request.query), facets: galleryFacets(entries) };
    },
  );

  app.get("/robots.txt", { schema: { hide: true } }, async (request, reply) => {
    const origin = ctx.origins.publicOrigin(request.raw);
    // Pages for people: the gallery and the shows. Not the API, the studio, accounts or classes.
    const body = ["User-agent: *", "Allow: /explore", "Allow: /visit/", "Disallow: /api/", "Disallow: /studio/", "Disallow: /stats/", "Disallow: /card/", "Disallow: /folders", "Disallow: /f/", "Disallow: /join", "Disallow: /signin", "Disallow: /invite/", `Sitemap: ${origin}/sitemap.xml`, ""].join("\n");
    return reply.type("text/plain; charset=utf-8").header("cache-control", "public, max-age=3600").send(body);
  });

  app.get("/sitemap.xml", { schema: { hide: true } }, async (request, reply) => {
    const origin = ctx.origins.publicOrigin(request.raw);
    const entries = await index.all();
    const url = (loc: string, lastmod?: number) => `<url><loc>${xml(loc)}</loc>${lastmod ? `<lastmod>${new Date(lastmod).toISOString().slice(0, 10)}</lastmod>` : ""}</url>`;
    const urls = [url(`${origin}/explore`), ...entries.flatMap(({ card }) => card.languages.map((l) => url(`${origin}/visit/${encodeURIComponent(card.id)}?lang=${encodeURIComponent(l)}`, card.published)))];
    return reply
      .type("application/xml; charset=utf-8")
      .header("cache-control", "public, max-age=600")
      .send(`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`);
  });
};
