import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiSession } from "../support/api-session";
import { openSocket } from "../support/hostile";
import { ROOT, startServer } from "../support/server";

/**
 * The HTTP side of the public internet (issue 16, items 3, 6 and 9): files that vanish under a
 * running server, requests from other sites and other ports, a lying Host header, and the headers
 * every answer carries.
 */
let server: Awaited<ReturnType<typeof startServer>>;
let dist: string;
let owner: ApiSession;

/** A raw request with exactly the headers given (fetch would add its own Origin rules). */
function raw(method: string, path: string, headers: Record<string, string>, body = ""): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(server.url);
  return new Promise((ok, fail) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on("error", fail);
    req.end(body);
  });
}

beforeAll(async () => {
  // A copy of the built app, so the test can take files away under the running server.
  dist = mkdtempSync(join(tmpdir(), "atrium-dist-"));
  cpSync(join(ROOT, "dist"), dist, { recursive: true });
  mkdirSync(join(dist, "assets"), { recursive: true });
  writeFileSync(join(dist, "assets", "gone-soon.js"), "console.log('hello')");
  writeFileSync(join(dist, "assets", "app.js.map"), "{}");
  server = await startServer({ distDir: dist });
  owner = await ApiSession.signUpOn(server, "owner@museum.test", "Owner");
  expect((await owner.call("POST", "/api/exhibitions", { id: "draft-show", title: { en: "Draft" }, template: "micro" })).status).toBe(201);
});
afterAll(async () => {
  await server.close();
  rmSync(dist, { recursive: true, force: true });
});

describe("static files", () => {
  it("answers 404 for a file removed under the running server, and keeps serving", async () => {
    expect((await fetch(`${server.url}/assets/gone-soon.js`)).status).toBe(200);
    rmSync(join(dist, "assets", "gone-soon.js"));
    // Before, the server had indexed the file at start and died of an unhandled ENOENT here.
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/assets/gone-soon.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/visit/tea-and-its-vessels`)).status).toBe(200);
  });

  it("never serves source maps, dot files or paths outside the folder", async () => {
    for (const path of ["/assets/app.js.map", "/.env", "/assets/%2e%2e/%2e%2e/package.json", "/models/../package.json"]) expect([path, (await fetch(`${server.url}${path}`)).status]).toEqual([path, 404]);
  });
});

describe("headers", () => {
  it("puts a strict CSP, frame denial, no-referrer and nosniff on the app's pages", async () => {
    const res = await fetch(`${server.url}/visit/tea-and-its-vessels`);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline'[^;]*;?\s*script/);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    // The built page has no inline script for the CSP to need.
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe("where requests come from", () => {
  it("refuses a form post from another site or another port of this host, and stores nothing", async () => {
    const port = new URL(server.url).port;
    for (const origin of ["https://evil.example", `http://127.0.0.1:${Number(port) + 1}`, "null"]) {
      const r = await raw("POST", "/api/exhibitions/draft-show/publish", { cookie: owner.cookie, origin, "content-type": "text/plain" }, "x");
      expect([origin, r.status]).toEqual([origin, 403]);
    }
    const upload = await raw("POST", "/api/assets?title=x", { cookie: owner.cookie, origin: "https://evil.example", "content-type": "application/octet-stream" }, "glTF....");
    expect(upload.status).toBe(403);
    expect((await owner.call("GET", "/api/exhibitions")).body.exhibitions.find((e: { id: string }) => e.id === "draft-show").published).toBe(false);
  });

  it("refuses a form's body type on any state-changing API route, even without an Origin", async () => {
    const r = await raw("POST", "/api/exhibitions/draft-show/publish", { cookie: owner.cookie, "content-type": "text/plain" }, "x");
    expect(r.status).toBe(415);
    const form = await raw("POST", "/api/sessions", { "content-type": "application/x-www-form-urlencoded" }, "email=a@b.c&password=x");
    expect(form.status).toBe(415);
    // A browser that says another site sent the request, without an Origin: refused too.
    expect((await raw("POST", "/api/exhibitions/draft-show/publish", { cookie: owner.cookie, "sec-fetch-site": "cross-site" })).status).toBe(403);
  });

  it("accepts the server's own origin, and scripts that send none", async () => {
    expect((await raw("POST", "/api/exhibitions/draft-show/unpublish", { cookie: owner.cookie, origin: server.url })).status).toBe(200);
    expect((await raw("POST", "/api/exhibitions/draft-show/unpublish", { cookie: owner.cookie })).status).toBe(200);
  });

  it("refuses a WebSocket opened with a visitor's cookie from a foreign origin", async () => {
    await expect(openSocket(`${server.ws}/sync/draft-show`, { cookie: owner.cookie, origin: "https://evil.example" })).rejects.toThrow("HTTP 403");
    await expect(openSocket(`${server.ws}/sync/draft-show`, { cookie: owner.cookie, origin: "http://localhost:1" })).rejects.toThrow("HTTP 403");
    const ok = await openSocket(`${server.ws}/sync/draft-show`, { cookie: owner.cookie, origin: server.url });
    ok.terminate();
  });

  it("never echoes a client's Host header into links", async () => {
    const started = await raw("POST", "/api/classes", { cookie: owner.cookie, host: "evil.example", "content-type": "application/json" }, JSON.stringify({ exhibition: "draft-show" }));
    expect(started.status).toBe(201);
    const link = JSON.parse(started.body).link as string;
    expect(link).not.toMatch(/evil/);
    expect(link).toMatch(/^http:\/\/localhost:\d+\/join\/[A-Z0-9]{6}$/);
    const iiif = await raw("GET", "/api/exhibitions/tea-and-its-vessels/iiif", { host: "evil.example" });
    expect(iiif.body).not.toMatch(/evil\.example/);
    // The server's own names are kept (a teacher on the school network shares its address).
    const own = await raw("GET", "/api/exhibitions/tea-and-its-vessels/iiif", { host: new URL(server.url).host });
    expect(JSON.parse(own.body).id).toMatch(new RegExp(`^${server.url}/`));
  });
});
