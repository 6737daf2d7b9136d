import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiSession } from "../support/api-session";
import { documentedAnswers } from "../support/openapi";
import { startServer } from "../support/server";

/**
 * The API description cannot drift (issue 17): every registered route is documented in
 * /api/openapi.json and every documented route exists, each with its error answer; and real
 * answers, good and refused, satisfy the schemas documented for them.
 */
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("the API description", () => {
  it("documents exactly the routes the server registers, each with its error answer", async () => {
    const api = await documentedAnswers(server);
    const registered = server.routes.map((r) => `${r.method.toLowerCase()} ${r.path}`).sort();
    const documented = Object.entries(api.doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
      .sort();
    expect(registered.length).toBeGreaterThan(35);
    expect(documented).toEqual(registered);
    for (const [path, ops] of Object.entries(api.doc.paths as Record<string, Record<string, { responses: Record<string, unknown>; summary?: string }>>))
      for (const [method, op] of Object.entries(ops)) {
        expect(op.responses["4XX"], `${method} ${path} documents its errors`).toBeDefined();
        expect(op.summary, `${method} ${path} says what it does`).toBeTruthy();
      }
  });

  it("answers as documented: account, me, catalogue, an exhibition, its export, and refusals", async () => {
    const api = await documentedAnswers(server);
    const s = new ApiSession(server);
    const signup = await s.call("POST", "/api/accounts", { email: "docs@museum.test", name: "Docs", password: "a long enough password" });
    api.check("/api/accounts", "post", "201", signup.body);
    api.check("/api/me", "get", "200", (await s.call("GET", "/api/me")).body);
    api.check("/api/session", "get", "200", (await s.call("GET", "/api/session")).body);
    api.check("/api/session", "get", "200", (await new ApiSession(server).call("GET", "/api/session")).body);
    const search = (await s.call("GET", "/api/catalogue?q=bowl&limit=5")).body;
    api.check("/api/catalogue", "get", "200", search);
    api.check("/api/catalogue/{id}", "get", "200", (await s.call("GET", `/api/catalogue/${encodeURIComponent(search.entries[0].id)}`)).body);
    api.check("/api/exhibitions/{id}", "get", "200", (await s.call("GET", "/api/exhibitions/tea-and-its-vessels")).body);
    api.check("/api/exhibitions/{id}/export", "get", "200", (await s.call("GET", "/api/exhibitions/tea-and-its-vessels/export")).body);
    const missing = await s.call("GET", "/api/exhibitions/no-such-show");
    expect(missing.status).toBe(404);
    api.check("/api/exhibitions/{id}", "get", "4XX", missing.body);
    const invalid = await s.call("POST", "/api/exhibitions", { id: "Bad Id", title: { en: "x" } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.field).toBe("id");
    api.check("/api/exhibitions", "post", "4XX", invalid.body);
    // An answer that breaks the documented shape is caught by the check (it cannot pass vacuously).
    expect(api.accepts("/api/me", "get", "200", { user: { id: 1 } })).toBe(false);
  });
});
