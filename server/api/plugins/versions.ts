import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { DomainError } from "../../http/errors";
import { parseExhibition, type Exhibition } from "../../../src/shared/exhibition";
import { itemChangeRefusal, refusalText } from "../../../src/shared/exhibition/permissions";
import type { ApiContext, Guards } from "../context";
import { versionBody } from "../../../src/shared/api/schemas";

const idParams = z.object({ id: z.string() });

/** Named versions of an exhibition: save one, list them, restore one as a new edit. */
export const versionsPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { ctx, g }) => {
  const { persistence, documents } = ctx;

  app.get("/api/exhibitions/:id/versions", { schema: { summary: "Named versions (curators)", tags: ["versions"], params: idParams } }, async (request) => {
    const { id } = request.params;
    await g.requireRole(id, g.requireUser(request), "curator");
    return { versions: await persistence.versions(id) };
  });

  app.post("/api/exhibitions/:id/versions", { schema: { summary: "Save a named version (curators)", tags: ["versions"], params: idParams, body: versionBody } }, async (request, reply) => {
    const { id } = request.params;
    const u = g.requireUser(request);
    await g.requireRole(id, u, "curator");
    const doc = await g.requireDocument(id);
    const at = Date.now();
    const versionId = await persistence.saveVersion(id, { name: request.body.name, author: u.name, at, content: JSON.stringify(doc) });
    return reply.code(201).send({ id: versionId, name: request.body.name, author: u.name, at });
  });

  app.get(
    "/api/exhibitions/:id/versions/:version",
    { schema: { summary: "One named version's document, for review mode (curators; throttled per account)", tags: ["versions"], params: z.object({ id: z.string(), version: z.coerce.number().int().min(0) }) } },
    async (request) => {
      const { id, version } = request.params;
      const u = g.requireUser(request);
      await g.requireRole(id, u, "curator");
      await ctx.throttles.reviewRead(u.id);
      const info = (await persistence.versions(id)).find((v) => v.id === version);
      const content = info ? await persistence.versionContent(id, version) : null;
      if (!info || content === null) throw new DomainError("not-found", `no version ${version} of "${id}"`);
      // An older version is moved to today's schema, as a restore would read it.
      const parsed = parseExhibition(JSON.parse(content), `version ${version}`);
      if (!parsed.ok) throw new DomainError("unprocessable", parsed.error.message);
      return { ...info, document: parsed.doc };
    },
  );

  app.get(
    "/api/exhibitions/:id/attribution",
    { schema: { summary: "Who wrote what, as the sync server noted it, for review mode (curators; throttled per account)", tags: ["versions"], params: idParams } },
    async (request) => {
      const { id } = request.params;
      const u = g.requireUser(request);
      await g.requireRole(id, u, "curator");
      await ctx.throttles.reviewRead(u.id);
      // One Yjs update (base64) of the notes: accounts with their client ids and delete sets.
      return { update: Buffer.from(await documents.attribution(id)).toString("base64") };
    },
  );

  app.post(
    "/api/exhibitions/:id/versions/:version/restore",
    { schema: { summary: "Restore a named version as a new edit (curators; only what they could change over sync)", tags: ["versions"], params: z.object({ id: z.string(), version: z.coerce.number().int() }) } },
    async (request) => {
      const { id, version } = request.params;
      const u = g.requireUser(request);
      const role = await g.requireRole(id, u, "curator");
      const content = await persistence.versionContent(id, version);
      if (content === null) throw new DomainError("not-found", `no version ${version} of "${id}"`);
      const parsed = parseExhibition(JSON.parse(content), `version ${version}`);
      if (!parsed.ok) throw new DomainError("unprocessable", parsed.error.message);
      // A restore may change only what its author could change over sync: the same rules
      // (locks, the rights of each item's institution), item by item; ownership and publication stay.
      const current = await documents.read(id);
      const actor = { role, user: u.id, museums: await g.collectionsOf(u) };
      const target: Exhibition = current ? { ...parsed.doc, meta: { ...parsed.doc.meta, owner: current.meta.owner, published: current.meta.published } } : parsed.doc;
      if (current) {
        const blocked = Object.keys({ ...current.items, ...target.items })
          .filter((itemId) => JSON.stringify(current.items[itemId]) !== JSON.stringify(target.items[itemId]))
          .map((itemId) => itemChangeRefusal(itemId, current.items[itemId], target.items[itemId], actor))
          .filter((r) => r !== null);
        if (blocked.length > 0) throw new DomainError("forbidden", `restoring this version would change what you may not: ${blocked.map(refusalText).join("; ")}`);
      }
      // A forward edit through the live room: everyone sees it at once, and it can be undone.
      await documents.restore(id, target);
      return { restored: version };
    },
  );
};
