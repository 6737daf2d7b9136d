import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { summarize } from "../../exhibition-library";
import { DomainError } from "../../http/errors";
import { exhibition as exhibitionSchema, exhibitionToIiif, parseExhibition, type Exhibition } from "../../../src/shared/exhibition";
import { personOwnerId, type ApiContext, type Guards } from "../context";
import { importBody } from "../../../src/shared/api/schemas";

const idParams = z.object({ id: z.string() });
/** A IIIF Presentation 3 manifest, as documented (its own specification describes it fully). */
const manifest = z.record(z.string(), z.unknown()).describe("A IIIF Presentation 3 Manifest (https://iiif.io/api/presentation/3.0/): one Canvas per placed object, 3D models as Model bodies");

/** Open formats: an exhibition as JSON (export and import) and as a IIIF Presentation 3 manifest. */
export const openFormatsPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { ctx, g }) => {
  const { accounts } = ctx;

  app.get("/api/exhibitions/:id/export", { schema: { summary: "The exhibition document as JSON (schema version 2), for import elsewhere", tags: ["open formats"], params: idParams, response: { 200: exhibitionSchema } } }, async (request, reply) => {
    const { id } = request.params;
    await g.requireRole(id, g.userOf(request), "viewer");
    reply.header("content-disposition", `attachment; filename="${id}.json"`);
    return await g.requireDocument(id);
  });

  app.get(
    "/api/exhibitions/:id/iiif",
    { schema: { summary: "The exhibition as a IIIF Presentation 3 manifest (one Canvas per object; 3D models as Model resources with rights and the four-part credit line in zh-Hant and en)", tags: ["open formats"], params: idParams, response: { 200: manifest } } },
    async (request, reply) => {
      const { id } = request.params;
      await g.requireRole(id, g.userOf(request), "viewer");
      const doc = await g.requireDocument(id);
      // Links name the configured public URL (or the server's own name), never whatever Host a client sent.
      reply.header("content-type", 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"').header("access-control-allow-origin", "*");
      return exhibitionToIiif(doc, ctx.origins.publicOrigin(request.raw));
    },
  );

  app.post("/api/exhibitions/import", { bodyLimit: 16 * 1024 * 1024, schema: { summary: "Import an exhibition JSON document (validated and migrated; starts private)", tags: ["open formats"], body: importBody } }, async (request, reply) => {
    const u = g.requireUser(request);
    const body = request.body;
    const parsed = parseExhibition(body.document, "imported document");
    if (!parsed.ok) throw new DomainError("invalid", parsed.error.message, { problems: parsed.error.problems });
    const id = body.id ?? parsed.doc.id;
    await g.requireFreeId(id);
    const museum = body.museum ? await g.requireMuseum(u, body.museum) : null;
    const owner = museum ? { kind: "museum" as const, id: museum.id } : { kind: "person" as const, id: personOwnerId(u) };
    const doc: Exhibition = { ...parsed.doc, id, meta: { ...parsed.doc.meta, owner, published: false } };
    await g.storeNewExhibition(doc);
    return reply.code(201).send({ exhibition: summarize(doc), role: await accounts.roleOf(id, u) });
  });
};
