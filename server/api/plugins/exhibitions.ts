import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { User } from "../../accounts/account-store";
import { summarize } from "../../exhibition-library";
import { DomainError } from "../../http/errors";
import { addressFromTitle, exhibition as exhibitionSchema, exhibitionFromTemplate, pickText, type Exhibition, type Museum } from "../../../src/shared/exhibition";
import { memberView, personOwnerId, type ApiContext, type Guards } from "../context";
import { createExhibitionBody, inviteBody, memberBody } from "../../../src/shared/api/schemas";
import { comment, isResolved, unreadIn } from "../../../src/shared/collab/comments";

/** `GET /api/exhibitions/{id}/comments`: the threads, for the caller. */
const commentThreadsAnswer = z.object({
  threads: z.array(
    z.object({
      item: z.string(),
      resolved: z.boolean(),
      resolvedBy: z.object({ id: z.string(), name: z.string(), at: z.number() }).nullable(),
      unread: z.number().int(),
      mentionsMe: z.number().int(),
      comments: z.array(comment),
    }),
  ),
  unread: z.number().int(),
});

const idParams = z.object({ id: z.string() });

/** Exhibitions: the list a caller may see, one document, creation from a template, publication, members, invites, the audit log. */
export const exhibitionsPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { ctx, g }) => {
  const { accounts, library, documents, throttles, accessChanges } = ctx;

  app.get("/api/exhibitions", { schema: { summary: "Exhibitions the caller may see, and sample files that could not be loaded", tags: ["exhibitions"] } }, async (request) => {
    const user = g.userOf(request);
    const visible = (await Promise.all((await accounts.exhibitions()).map(async (rec) => ({ rec, role: await accounts.roleOf(rec.id, user) })))).filter(({ role }) => role !== null);
    const docs = await Promise.all(visible.map(({ rec }) => documents.read(rec.id)));
    const exhibitions = visible
      .flatMap(({ rec, role }, i) => {
        const doc = docs[i];
        if (!doc) return [];
        return [{ ...summarize(doc), role, published: rec.published, owner: { kind: rec.ownerKind, id: rec.ownerId } }];
      })
      .sort((a, b) => pickText(a.title, "en").localeCompare(pickText(b.title, "en")));
    return { exhibitions, problems: [...library.broken.values()].map(({ id, file, message, problems }) => ({ id, file, message, problems })) };
  });

  app.get("/api/exhibitions/:id", { schema: { summary: "The exhibition document (a class's students: with their seat in x-atrium-seat)", tags: ["exhibitions"], params: idParams, response: { 200: exhibitionSchema } } }, async (request, reply) => {
    const { id } = request.params;
    const broken = library.broken.get(id);
    if (broken && !await accounts.exhibition(id)) throw new DomainError("unprocessable", broken.message, { problems: broken.problems, extra: { file: broken.file } });
    // A class's students see its exhibition (read-only) while the class runs, without an account.
    const role = await g.requireViewer(id, request);
    const doc = await g.requireDocument(id);
    reply.header("x-atrium-role", role);
    return doc;
  });

  app.get(
    "/api/exhibitions/:id/comments",
    {
      schema: {
        summary: "The show's comment threads (members who may comment): each item's comments, whether it is resolved and by whom; for the caller, the comments others wrote after `since` (unread) and those that mention them. Comments are written over sync (throttled per account)",
        tags: ["exhibitions"],
        params: idParams,
        querystring: z.object({ since: z.coerce.number().int().nonnegative().max(8.64e15).optional(), open: z.enum(["1", "0"]).optional() }),
        response: { 200: commentThreadsAnswer },
      },
    },
    async (request) => {
      const { id } = request.params;
      const u = g.requireUser(request);
      await g.requireRole(id, u, "commenter");
      await throttles.reviewRead(u.id);
      const threads = (await documents.threads(id)) ?? [];
      const since = request.query.since ?? 0;
      const out = threads
        .map((t) => ({
          item: t.item,
          resolved: isResolved(t),
          resolvedBy: isResolved(t) && t.state ? { id: t.state.by, name: t.state.byName, at: t.state.at } : null,
          unread: unreadIn(t, u.id, since).length,
          mentionsMe: t.comments.filter((c) => c.mentions?.includes(u.id)).length,
          comments: t.comments,
        }))
        .filter((t) => request.query.open !== "1" || !t.resolved);
      return { threads: out, unread: out.reduce((n, t) => n + (t.resolved ? 0 : t.unread), 0) };
    },
  );

  app.post("/api/exhibitions", { schema: { summary: "Create an exhibition from a template", tags: ["exhibitions"], body: createExhibitionBody } }, async (request, reply) => {
    const u = g.requireUser(request);
    const body = request.body;
    const museum = body.museum ? await g.requireMuseum(u, body.museum) : null;
    let id = body.id;
    if (id) await g.requireFreeId(id);
    else id = await g.freeAddressFor(addressFromTitle(body.title));
    const doc = newExhibition({ ...body, id }, museum, u);
    await g.storeNewExhibition(doc);
    return reply.code(201).send({ exhibition: summarize(doc), role: await accounts.roleOf(id, u) });
  });

  for (const [action, published] of [["publish", true], ["unpublish", false]] as const) {
    app.post(
      `/api/exhibitions/:id/${action}`,
      { schema: { summary: published ? "Publish (owners; refused with the blocking items while a licence forbids public display)" : "Unpublish (owners)", tags: ["exhibitions"], params: idParams } },
      async (request) => {
        const { id } = request.params;
        await g.setPublished(g.requireUser(request), id, published);
        return { id, published };
      },
    );
  }

  app.get("/api/exhibitions/:id/members", { schema: { summary: "Members, and e-mails added before they had an account (curators and owners)", tags: ["exhibitions"], params: idParams } }, async (request) => {
    const { id } = request.params;
    await g.requireRole(id, g.requireUser(request), "curator");
    return { members: (await accounts.members(id)).map((m) => ({ user: memberView(m.user), role: m.role })), pending: await accounts.pendingMembers("exhibition", id) };
  });

  app.post(
    "/api/exhibitions/:id/members",
    { schema: { summary: "Add or change a member by e-mail (owners; the same answer whether or not the account exists yet)", tags: ["exhibitions"], params: idParams, body: memberBody } },
    async (request) => {
      const { id } = request.params;
      const u = g.requireUser(request);
      await g.requireRole(id, u, "owner");
      await throttles.memberAdd(u.id);
      // The same answer whether or not the e-mail has an account (it joins at sign-up).
      const member = await accounts.addMemberByEmail("exhibition", id, request.body.email, request.body.role, u.id);
      if (member) accessChanges.emit({ kind: "user", userId: member });
      return { email: request.body.email.trim().toLowerCase(), role: request.body.role };
    },
  );

  app.delete("/api/exhibitions/:id/members/:user", { schema: { summary: "Remove a member (owners); their open sockets close at once", tags: ["exhibitions"], params: z.object({ id: z.string(), user: z.string() }) } }, async (request) => {
    const { id, user: userId } = request.params;
    const u = g.requireUser(request);
    await g.requireRole(id, u, "owner");
    if (!await accounts.removeMember(id, userId)) throw new DomainError("not-found", `user ${userId} is not a member`);
    await accounts.audit(u.id, "exhibition-member-removed", id, { user: userId });
    // Their open sockets re-check now: a removed curator stops writing within this request.
    accessChanges.emit({ kind: "user", userId });
    return { removed: userId };
  });

  app.post("/api/exhibitions/:id/invites", { schema: { summary: "Create an invite link (owners)", tags: ["exhibitions"], params: idParams, body: inviteBody } }, async (request, reply) => {
    const { id } = request.params;
    const u = g.requireUser(request);
    await g.requireRole(id, u, "owner");
    const token = await accounts.createInvite(id, request.body.role, u.id);
    await accounts.audit(u.id, "invite-created", id, { role: request.body.role });
    return reply.code(201).send({ token, role: request.body.role, accept: `/api/invites/${token}/accept` });
  });

  const tokenParams = z.object({ token: z.string() });
  app.get("/api/invites/:token", { schema: { summary: "What an invite is for", tags: ["exhibitions"], params: tokenParams } }, async (request) => {
    const info = await accounts.inviteInfo(request.params.token);
    if (!info) throw new DomainError("not-found", "this invite does not exist or has expired");
    const doc = await documents.read(info.exhibitionId);
    return { exhibition: info.exhibitionId, role: info.role, title: doc?.meta.title ?? {}, languages: doc?.meta.languages ?? [] };
  });

  app.post("/api/invites/:token/accept", { schema: { summary: "Accept an invite (never lowers a role the user has)", tags: ["exhibitions"], params: tokenParams } }, async (request) => {
    const u = g.requireUser(request);
    const accepted = await accounts.acceptInvite(request.params.token, u.id);
    if (!accepted) throw new DomainError("not-found", "this invite does not exist or has expired");
    accessChanges.emit({ kind: "user", userId: u.id });
    return { exhibition: accepted.exhibitionId, role: await accounts.roleOf(accepted.exhibitionId, u) };
  });

  app.get("/api/exhibitions/:id/audit", { schema: { summary: "Who changed whose rights on this exhibition: members, invites, publication (owners)", tags: ["exhibitions"], params: idParams } }, async (request) => {
    const { id } = request.params;
    await g.requireRole(id, g.requireUser(request), "owner");
    return { entries: await accounts.auditLog(id) };
  });

  app.get("/api/audit", { schema: { summary: "The whole audit log of role and membership changes, newest first (site administrators)", tags: ["exhibitions"] } }, async (request) => {
    const u = g.requireUser(request);
    if (!u.isAdmin) throw new DomainError("forbidden", "only a site administrator may read the whole audit log");
    return { entries: await accounts.auditLog(null) };
  });
};

/** A new exhibition from the chosen template, in the requested languages. */
function newExhibition(body: z.infer<typeof createExhibitionBody> & { id: string }, museum: Museum | null, user: User): Exhibition {
  try {
    return exhibitionFromTemplate(body.template, {
      id: body.id,
      title: body.title,
      ...(body.intro ? { intro: body.intro } : {}),
      languages: body.languages,
      owner: museum ? { kind: "museum", id: museum.id } : { kind: "person", id: personOwnerId(user) },
      museums: museum ? [{ id: museum.id, name: museum.name }] : [],
    });
  } catch (e) {
    throw new DomainError("invalid", (e as Error).message);
  }
}
