import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { DomainError } from "../../http/errors";
import type { ApiContext, Guards } from "../context";
import { museumBody, museumMemberBody } from "../../../src/shared/api/schemas";

/** Museums and their members (site administrators add museums; a museum's administrators its members). */
export const museumsPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { ctx, g }) => {
  const { accounts, throttles, accessChanges } = ctx;

  app.post("/api/museums", { schema: { summary: "Add a museum (site administrators)", tags: ["museums"], body: museumBody } }, async (request, reply) => {
    const u = g.requireUser(request);
    if (!u.isAdmin) throw new DomainError("forbidden", "only a site administrator may add a museum");
    const body = request.body;
    await accounts.createMuseum(body.id, body.name);
    await accounts.audit(u.id, "museum-created", body.id);
    return reply.code(201).send({ museum: { id: body.id, name: body.name } });
  });

  app.post(
    "/api/museums/:id/members",
    { schema: { summary: "Add or change a museum member by e-mail (the same answer whether or not the account exists yet)", tags: ["museums"], params: z.object({ id: z.string() }), body: museumMemberBody } },
    async (request) => {
      const u = g.requireUser(request);
      const { id } = request.params;
      if (!await accounts.museum(id)) throw new DomainError("not-found", `no museum with id "${id}"`);
      if (!u.isAdmin && await accounts.museumRole(id, u.id) !== "admin") throw new DomainError("forbidden", "only the museum's administrators may add members");
      await throttles.memberAdd(u.id);
      // The same answer whether or not the e-mail has an account (it joins at sign-up).
      const member = await accounts.addMemberByEmail("museum", id, request.body.email, request.body.role, u.id);
      if (member) accessChanges.emit({ kind: "user", userId: member });
      return { museum: id, email: request.body.email.trim().toLowerCase(), role: request.body.role };
    },
  );
};
