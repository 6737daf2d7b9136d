import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { passwordProblem } from "../../accounts/password-policy";
import { DomainError, fieldError } from "../../http/errors";
import { cookies } from "../../http/http-util";
import { SESSION_COOKIE, publicUser, type ApiContext, type Guards } from "../context";
import { loginBody, meAnswer, registerBody, sessionAnswer, userAnswer } from "../../../src/shared/api/schemas";

/** Accounts and sessions: sign up, sign in (throttled), sign out, who am I (`/api/me` for callers that need a user, `/api/session` for pages). */
export const accountsPlugin: FastifyPluginAsyncZod<{ ctx: ApiContext; g: Guards }> = async (app, { ctx, g }) => {
  const { accounts, throttles, accessChanges } = ctx;
  const thirtyDays = 30 * 86400;

  app.post("/api/accounts", { schema: { summary: "Create an account and sign in (throttled per network; the password must not be easy to guess)", tags: ["accounts"], body: registerBody, response: { 201: userAnswer } } }, async (request, reply) => {
    await throttles.signup(ctx.addressOf(request.raw));
    const body = request.body;
    const weak = passwordProblem(body.password, [body.email, body.name]);
    if (weak) throw fieldError("invalid", "password", weak);
    let user;
    try {
      user = await accounts.createUser(body);
    } catch (e) {
      // Without an e-mail channel, sign-up must say the address is taken; it is throttled per
      // network (ThrottleOptions.signupsPerAddressPerHour) so nobody can list who has an account.
      if (e instanceof DomainError && e.code === "conflict") throw fieldError("conflict", "email", "this e-mail cannot be used for a new account: sign in instead, or use another");
      throw e;
    }
    reply.header("set-cookie", g.sessionCookie(await accounts.startSession(user.id), thirtyDays));
    return reply.code(201).send({ user: publicUser(user) });
  });

  app.post("/api/sessions", { schema: { summary: "Sign in (wrong passwords back off per account and per network: 429 with Retry-After)", tags: ["accounts"], body: loginBody, response: { 200: userAnswer } } }, async (request, reply) => {
    const email = request.body.email.trim().toLowerCase();
    const address = ctx.addressOf(request.raw);
    await throttles.beforeLogin(email, address);
    const user = await accounts.checkPassword(email, request.body.password);
    if (!user) {
      await throttles.loginFailed(email, address);
      throw new DomainError("not-signed-in", "wrong email or password");
    }
    await throttles.loginSucceeded(email);
    if (user.isAdmin) await accounts.audit(user.id, "admin-signed-in", "site", { address });
    reply.header("set-cookie", g.sessionCookie(await accounts.startSession(user.id), thirtyDays));
    return { user: publicUser(user) };
  });

  app.delete("/api/sessions", { schema: { summary: "Sign out", tags: ["accounts"] } }, async (request, reply) => {
    const user = g.userOf(request);
    const token = cookies(request.raw)[SESSION_COOKIE];
    if (token) await accounts.endSession(token);
    // Sockets opened with this sign-in re-check now: drafts close, published shows stay read-only.
    if (user) accessChanges.emit({ kind: "user", userId: user.id });
    reply.header("set-cookie", g.sessionCookie("", 0));
    return { signedOut: true };
  });

  const museumsOf = async (userId: string) => Promise.all((await accounts.museumsOf(userId)).map(async (m) => ({ ...m, name: (await accounts.museum(m.id))?.name ?? { en: m.id } })));

  app.get("/api/me", { schema: { summary: "The signed-in user and their museums (401 when nobody is signed in)", tags: ["accounts"], response: { 200: meAnswer } } }, async (request) => {
    const u = g.requireUser(request);
    return { user: publicUser(u), museums: await museumsOf(u.id) };
  });

  // Pages ask this one: an anonymous visitor is an answer, not an error (no 401 in their console).
  app.get("/api/session", { schema: { summary: "Who is signed in: the user and their museums, or a null user for an anonymous visitor", tags: ["accounts"], response: { 200: sessionAnswer } } }, async (request) => {
    const u = g.userOf(request);
    return u ? { user: publicUser(u), museums: await museumsOf(u.id) } : { user: null, museums: [] };
  });
};
