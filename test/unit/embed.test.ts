import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMBED_SOURCE, parseEmbedCommand } from "../../src/shared/embed-protocol";
import { ApiSession } from "../support/api-session";
import { startServer } from "../support/server";

/**
 * The embeddable viewer's server side and message checks (issue 23): only a public show's
 * `/embed/<id>` page may be framed by other sites; every other page still refuses to be framed;
 * the embed script may be loaded by other sites; commands of the wrong shape are dropped.
 */
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("embed messages", () => {
  it("takes only well-formed commands of this protocol", () => {
    expect(parseEmbedCommand({ source: EMBED_SOURCE, type: "go-to-step", step: 2 })).toEqual({ source: EMBED_SOURCE, type: "go-to-step", step: 2 });
    expect(parseEmbedCommand({ source: EMBED_SOURCE, type: "open-artefact", placement: "p-1" })).toMatchObject({ placement: "p-1" });
    for (const bad of [
      null,
      "go-to-step",
      { type: "go-to-step", step: 1 }, // no source
      { source: "other", type: "go-to-step", step: 1 },
      { source: EMBED_SOURCE, type: "go-to-step", step: -1 },
      { source: EMBED_SOURCE, type: "go-to-step", step: 1.5 },
      { source: EMBED_SOURCE, type: "go-to-step", step: "1" },
      { source: EMBED_SOURCE, type: "set-language", lang: "" },
      { source: EMBED_SOURCE, type: "set-language", lang: "x".repeat(36) },
      { source: EMBED_SOURCE, type: "open-artefact", placement: "p".repeat(201) },
      { source: EMBED_SOURCE, type: "publish" },
    ])
      expect(parseEmbedCommand(bad), JSON.stringify(bad)).toBeNull();
  });
});

describe("/embed/<id> and /embed.js", () => {
  it("lets any site frame a public show's embed page, and nothing else", async () => {
    const embed = await fetch(`${server.url}/embed/tea-and-its-vessels?lang=en`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get("content-security-policy")).toContain("frame-ancestors *");
    expect(embed.headers.get("x-frame-options")).toBeNull();
    expect(await embed.text()).toContain('<meta property="og:title" content="Tea and its Vessels">');

    const visit = await fetch(`${server.url}/visit/tea-and-its-vessels`);
    expect(visit.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(visit.headers.get("x-frame-options")).toBe("DENY");

    const owner = await ApiSession.signUpOn(server, "embed@school.test", "Embed Owner");
    expect((await owner.call("POST", "/api/exhibitions", { id: "not-public", title: { en: "Not public" }, template: "micro" })).status).toBe(201);
    for (const path of ["/embed/not-public", "/embed/no-such-show", "/embed/%E0%A4%A"]) {
      const r = await fetch(`${server.url}${path}`, { headers: { cookie: owner.cookie } });
      expect([400, 404], path).toContain(r.status); // a broken %-escape is refused before routing
      // (the 400 is a JSON error from the router, with nothing to frame)
      if (r.status === 404) expect(r.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(await r.text()).not.toContain("og:title");
    }
  });

  it("serves the embed script to other sites' pages", async () => {
    const script = await fetch(`${server.url}/embed.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(script.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const text = await script.text();
    expect(text).toContain("atrium-viewer");
    expect(text).toContain(EMBED_SOURCE);
    // The app's own files stay same-origin.
    const page = await fetch(`${server.url}/sw.js`);
    expect(page.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  });
});
