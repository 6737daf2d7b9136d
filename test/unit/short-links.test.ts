import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore } from "../../server/accounts/account-store";
import { ShortLinks, SHORT_CODE } from "../../server/explore/short-links";
import { bibtexEscape } from "../../src/shared/exhibition";
import { ApiSession } from "../support/api-session";
import { documentedAnswers } from "../support/openapi";
import { decodeQr } from "../support/qr";
import { startServer } from "../support/server";

/**
 * Short links, QR codes and citations (issue 23): every show and artefact gets one code that
 * never changes and leads there (the artefact's close-up); the QR code decodes to the link;
 * citations carry the credit line, licence and permanent link in three languages and two
 * machine formats; a private show's codes lead nowhere for others, like unknown ones.
 */
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());


describe("short links", () => {
  it("gives the show and each artefact one code, the same on every ask, leading there", async () => {
    const api = await documentedAnswers(server);
    const anyone = new ApiSession(server);
    const first = await anyone.call("GET", "/api/exhibitions/tea-and-its-vessels/links");
    expect(first.status).toBe(200);
    api.check("/api/exhibitions/{id}/links", "get", "200", first.body);
    const again = await anyone.call("GET", "/api/exhibitions/tea-and-its-vessels/links");
    expect(again.body).toEqual(first.body);
    const { show, artefacts } = first.body as { show: { code: string; url: string; qr: string }; artefacts: { placement: string; code: string; url: string }[] };
    expect(show.code).toMatch(SHORT_CODE);
    expect(show.url).toMatch(new RegExp(`^http://[^/]+/s/${show.code}$`));
    expect(artefacts.length).toBe(8);
    expect(new Set([show.code, ...artefacts.map((a) => a.code)]).size).toBe(9);

    const go = (code: string) => fetch(`${server.url}/s/${code}`, { redirect: "manual" });
    const toShow = await go(show.code);
    expect(toShow.status).toBe(302);
    expect(toShow.headers.get("location")).toBe("/visit/tea-and-its-vessels");
    const toArtefact = await go(artefacts[2]!.code);
    expect(toArtefact.headers.get("location")).toBe(`/visit/tea-and-its-vessels?artefact=${encodeURIComponent(artefacts[2]!.placement)}`);

    // The QR code (PNG) decodes to the short link itself.
    const qr = await fetch(`${server.url}${show.qr}`);
    expect(qr.headers.get("content-type")).toBe("image/png");
    expect(decodeQr(Buffer.from(await qr.arrayBuffer()))).toBe(show.url);
  });

  it("leads nowhere for an unknown, malformed or foreign-private code: the app's page with a 404, alike", async () => {
    const owner = await ApiSession.signUpOn(server, "links@school.test", "Links Owner");
    expect((await owner.call("POST", "/api/exhibitions", { id: "private-links", title: { en: "Private" }, template: "micro" })).status).toBe(201);
    const own = await owner.call("GET", "/api/exhibitions/private-links/links");
    expect(own.status).toBe(200);
    const code = own.body.show.code as string;
    // Its owner follows it; anyone else gets what an unknown code gets.
    const mine = await fetch(`${server.url}/s/${code}`, { redirect: "manual", headers: { cookie: owner.cookie } });
    expect(mine.status).toBe(302);
    const theirs = await fetch(`${server.url}/s/${code}`, { redirect: "manual" });
    const unknown = await fetch(`${server.url}/s/zzzzzzz`, { redirect: "manual" });
    const malformed = await fetch(`${server.url}/s/${"x".repeat(40)}`, { redirect: "manual" });
    for (const r of [theirs, unknown, malformed]) {
      expect(r.status).toBe(404);
      expect(r.headers.get("content-type")).toContain("text/html");
      expect(await r.text()).toContain('<div id="root">');
    }
    // An address far too long is refused before any route runs.
    expect((await fetch(`${server.url}/s/${"x".repeat(5000)}`, { redirect: "manual" })).status).toBeGreaterThanOrEqual(400);
    expect((await new ApiSession(server).call("GET", "/api/exhibitions/private-links/links")).status).toBe(404);
    expect((await fetch(`${server.url}/api/links/${code}/qr.png`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/links/${code}/qr.png`, { headers: { cookie: owner.cookie } })).status).toBe(200);
    expect((await new ApiSession(server).call("POST", "/api/exhibitions/tea-and-its-vessels/links", {})).status).toBe(405);
  });

  it("never gives two links one code, even when a drawn code is taken", async () => {
    const accounts = new AccountStore(":memory:");
    await accounts.db.run("INSERT INTO exhibitions (id, owner_kind, owner_id, published, title, created) VALUES ('a', 'person', 'p', 1, '{}', 0), ('b', 'person', 'p', 1, '{}', 0)");
    const draws = ["aaaaaaa", "aaaaaaa", "bbbbbbb", "ccccccc"];
    const links = new ShortLinks(accounts.db, () => draws.shift()!);
    expect(Object.fromEntries(await links.codes("a", []))).toEqual({ "": "aaaaaaa" });
    expect(Object.fromEntries(await links.codes("b", ["x"]))).toEqual({ "": "ccccccc", x: "bbbbbbb" }); // "aaaaaaa" was taken: the show's code drawn again
    // Asked at once from two places, one code per link.
    const racing = new ShortLinks(accounts.db);
    const [one, two] = await Promise.all([racing.codes("a", ["p1", "p2"]), racing.codes("a", ["p1", "p2"])]);
    expect(Object.fromEntries(one)).toEqual(Object.fromEntries(two));
    expect(await links.resolve("bbbbbbb")).toEqual({ exhibition: "b", placement: "x" });
    expect(await links.resolve("ccccccc")).toEqual({ exhibition: "b", placement: null });
    expect(await links.resolve("AAAAAAA")).toBeNull();
    await accounts.close();
  });
});

describe("citations", () => {
  it("cites the show and an artefact in zh-Hant, en and ja, as CSL-JSON and BibTeX, with the credit line, licence and short link", async () => {
    const api = await documentedAnswers(server);
    const s = new ApiSession(server);
    const links = (await s.call("GET", "/api/exhibitions/tea-and-its-vessels/links")).body as { show: { url: string }; artefacts: { placement: string; url: string }[] };
    const show = await s.call("GET", "/api/exhibitions/tea-and-its-vessels/cite?lang=en");
    expect(show.status).toBe(200);
    api.check("/api/exhibitions/{id}/cite", "get", "200", show.body);
    expect(show.body.text).toMatch(/^Atrium sample content\. Tea and its Vessels\. Online exhibition, Atrium, \d{4}\. http.+\/s\/[a-z0-9]{7} \(accessed \d{4}-\d\d-\d\d\)\.$/);
    expect(show.body.url).toBe(links.show.url);
    expect(show.body.csl).toMatchObject({ type: "webpage", title: "Tea and its Vessels", URL: links.show.url, "container-title": "Atrium" });
    expect(show.body.bibtex).toMatch(/^@misc\{tea-and-its-vessels,\n {2}title = \{Tea and its Vessels\},/);

    const bowl = links.artefacts[0]!;
    const zh = await s.call("GET", `/api/exhibitions/tea-and-its-vessels/cite?lang=zh-Hant&placement=${encodeURIComponent(bowl.placement)}`);
    expect(zh.status).toBe(200);
    expect(zh.body.lang).toBe("zh-Hant");
    expect(zh.body.text).toContain("〈");
    expect(zh.body.text).toContain("授權：");
    expect(zh.body.text).toContain(bowl.url);
    expect(zh.body.text).toContain("《茶與器》");
    expect(zh.body.csl).toMatchObject({ type: "document", URL: bowl.url, publisher: "Atrium" });
    expect(typeof zh.body.csl.license).toBe("string");
    const ja = await s.call("GET", `/api/exhibitions/tea-and-its-vessels/cite?lang=ja&placement=${encodeURIComponent(bowl.placement)}`);
    expect(ja.body.text).toContain("閲覧");
    expect(ja.body.text).toContain("ライセンス：");

    // Refusals name what is wrong.
    expect((await s.call("GET", "/api/exhibitions/tea-and-its-vessels/cite?placement=nope")).body.error).toContain("placement");
    expect((await s.call("GET", "/api/exhibitions/no-such-show/cite")).status).toBe(404);
    expect((await s.call("GET", `/api/exhibitions/tea-and-its-vessels/cite?lang=${"x".repeat(50)}`)).status).toBe(400);
  });

  it("escapes BibTeX's special characters", () => {
    expect(bibtexEscape("Tea & {cups} 50% #1 $_ ~^\\")).toBe("Tea \\& \\{cups\\} 50\\% \\#1 \\$\\_ \\textasciitilde{}\\textasciicircum{}\\textbackslash{}");
  });
});
