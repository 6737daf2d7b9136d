import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fold, galleryEntry, galleryFacets, searchGallery } from "../../server/explore/gallery";
import { exploreQuery } from "../../src/shared/api/explore";
import { OperationError, parseExhibition, setLesson, setThemes, themeLabel, type Exhibition } from "../../src/shared/exhibition";
import { ApiSession } from "../support/api-session";
import { documentedAnswers } from "../support/openapi";
import { ROOT, startServer } from "../support/server";

/**
 * The public gallery (issue 23): every published show, searchable in any of its languages
 * (Chinese by substring, full-width letters as ASCII), filtered and sorted, with what search
 * engines read; private shows never appear; hostile queries are refused naming the field, and a
 * flood of searches from one address is slowed down.
 */
const sample = (id: string) => {
  const parsed = parseExhibition(JSON.parse(readFileSync(join(ROOT, "exhibitions", `${id}.json`), "utf8")), id);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.doc as Exhibition;
};

describe("the gallery's search, pure", () => {
  const tea = galleryEntry(sample("tea-and-its-vessels"), 2000);
  const bone = galleryEntry(sample("bone-and-clay"), 1000);
  const q = (query: Record<string, unknown>) => searchGallery([tea, bone], exploreQuery.parse(query)).cards.map((c) => c.id);

  it("finds a show by a Chinese word inside an artefact's label, and by words in any order and case", () => {
    expect(q({ q: "領航鯨" })).toEqual(["bone-and-clay"]); // inside 長肢領航鯨頭骨（顱骨）
    expect(q({ q: "黑釉" })).toEqual(["tea-and-its-vessels"]); // inside 黑釉茶碗
    expect(q({ q: "茶壺" }).sort()).toEqual(["bone-and-clay", "tea-and-its-vessels"]); // teapots in both
    expect(q({ q: "SKULL pilot" })).toEqual(["bone-and-clay"]);
    expect(q({ q: "ｓｋｕｌｌ" })).toEqual(["bone-and-clay"]); // full-width letters, as a CJK keyboard types them
    expect(q({ q: "skull teapot" })).toEqual(["bone-and-clay"]); // every word, anywhere in the show
    expect(q({ q: "skull 黑釉" })).toEqual([]);
    expect(q({ q: "Carnegie" }).sort()).toEqual(["bone-and-clay", "tea-and-its-vessels"]); // a museum's name
    expect(fold("  Ｔｅａ\u3000BOWL ")).toBe("tea bowl");
  });

  it("filters by museum, language and kind, and sorts newest first or by title", () => {
    expect(q({})).toEqual(["tea-and-its-vessels", "bone-and-clay"]); // published 2000 > 1000
    expect(q({ sort: "title" })).toEqual(["bone-and-clay", "tea-and-its-vessels"]);
    expect(q({ museum: "si-nmnh" })).toEqual(["bone-and-clay"]);
    expect(q({ kind: "personal" })).toEqual(["bone-and-clay"]);
    expect(q({ kind: "joint" })).toEqual(["tea-and-its-vessels"]);
    expect(q({ lang: "ja" })).toEqual([]);
    expect(searchGallery([tea, bone], exploreQuery.parse({ limit: 1, offset: 1 }))).toMatchObject({ total: 2, cards: [{ id: "bone-and-clay" }] });
  });

  it("filters by theme (folded, found by its name in any language) and lists a lesson made for a class as kind \"class\"", () => {
    const lesson = { ...sample("bone-and-clay"), id: "lesson-show" };
    const themed = galleryEntry(setLesson(setThemes(lesson, ["Calligraphy", " 茶道 ", "calligraphy"]), true), 3000);
    expect(themed.card.themes).toEqual(["calligraphy", "茶道"]);
    expect(themed.card.kind).toBe("class");
    const all = [tea, bone, themed];
    const find = (query: Record<string, unknown>) => searchGallery(all, exploreQuery.parse(query)).cards.map((c) => c.id);
    expect(find({ theme: "CALLIGRAPHY" })).toEqual(["lesson-show"]);
    expect(find({ theme: "茶道" })).toEqual(["lesson-show"]);
    expect(find({ theme: "ceramics" }).sort()).toEqual(["bone-and-clay", "tea-and-its-vessels"]); // the samples' own themes
    expect(find({ theme: "kintsugi" })).toEqual([]);
    expect(find({ kind: "class" })).toEqual(["lesson-show"]);
    expect(find({ kind: "personal" })).toEqual(["bone-and-clay"]);
    // A suggested theme is found by its name in another language too.
    expect(find({ q: "書法" })).toEqual(["lesson-show"]);
    expect(themeLabel("calligraphy", "zh-Hant")).toBe("書法");
    expect(themeLabel("茶道", "en")).toBe("茶道");
    expect(galleryFacets(all).themes).toEqual([
      { theme: "ceramics", shows: 2 },
      { theme: "calligraphy", shows: 1 },
      { theme: "natural history", shows: 1 },
      { theme: "ritual", shows: 1 },
      { theme: "tea", shows: 1 },
      { theme: "茶道", shows: 1 },
    ]);
    // Bad themes are refused naming the field; none at all removes the field.
    expect(() => setThemes(sample("bone-and-clay"), ["<script>"])).toThrow(OperationError);
    expect(() => setThemes(sample("bone-and-clay"), ["<script>"])).toThrow(/meta\.themes\.0/);
    expect(() => setThemes(sample("bone-and-clay"), Array.from({ length: 13 }, (_, i) => `t${i}`))).toThrow(/at most 12/);
    expect("themes" in setThemes(setThemes(sample("bone-and-clay"), ["tea"]), []).meta).toBe(false);
  });

  it("gives each card a picture, its museums and the licences of its objects", () => {
    expect(tea.card.picture).toEqual({ url: "/models/panoramas/tea-and-its-vessels/bowls.jpg", panorama: true });
    expect(bone.card.museums.map((m) => m.id)).toEqual(["si-nmnh", "cmoa"]);
    expect(bone.card.licences).toContain("CC0-1.0");
  });
});

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer({ throttles: { searchesPerAddressPerMinute: 40 } });
});
afterAll(() => server.close());

describe("GET /api/explore", () => {
  it("lists the published samples for anyone, with facets, as documented; a private show appears only once published, and leaves when unpublished", async () => {
    const api = await documentedAnswers(server);
    const anyone = new ApiSession(server);
    const first = await anyone.call("GET", "/api/explore");
    expect(first.status).toBe(200);
    api.check("/api/explore", "get", "200", first.body);
    expect(first.body.cards.map((c: { id: string }) => c.id).sort()).toEqual(["bone-and-clay", "large-show", "tea-and-its-vessels"]);
    expect(first.body.facets.languages).toEqual(["en", "zh-Hant"]);
    expect(first.body.facets.museums.map((m: { id: string }) => m.id)).toContain("si-nmnh");

    const owner = await ApiSession.signUpOn(server, "explorer@school.test", "Explorer");
    const made = await owner.call("POST", "/api/exhibitions", { title: { en: "Cloud and crane motifs", "zh-Hant": "雲鶴紋樣" }, template: "micro" });
    expect(made.status).toBe(201);
    const id = made.body.exhibition.id as string;
    const find = async () => (await anyone.call("GET", `/api/explore?q=${encodeURIComponent("雲鶴")}`)).body.cards.map((c: { id: string }) => c.id);
    expect(await find()).toEqual([]); // private: not even its owner's search shows it to others
    expect((await owner.call("POST", `/api/exhibitions/${id}/publish`)).status).toBe(200);
    expect(await find()).toEqual([id]); // the index is rebuilt at once after publishing
    const newest = (await anyone.call("GET", "/api/explore?sort=newest")).body.cards[0];
    expect(newest).toMatchObject({ id, kind: "personal", rooms: 1 });
    expect((await owner.call("POST", `/api/exhibitions/${id}/unpublish`)).status).toBe(200);
    expect(await find()).toEqual([]);
  });

  it("refuses bad queries naming the field, and any other method", async () => {
    const s = new ApiSession(server);
    for (const [query, field] of [
      [`q=${"茶".repeat(101)}`, "q"],
      ["kind=secret", "kind"],
      ["sort=random", "sort"],
      ["limit=1000", "limit"],
      ["limit=-1", "limit"],
      ["offset=abc", "offset"],
      ["museum=../../etc", "museum"],
      ["lang=not a language", "lang"],
    ] as const) {
      const r = await s.call("GET", `/api/explore?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error, query).toContain(field);
    }
    const post = await s.call("POST", "/api/explore", {});
    expect(post.status).toBe(405);
  });

  it("slows down a flood of searches from one address (429 with Retry-After), and stays responsive", async () => {
    const s = new ApiSession(server);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => fetch(`${server.url}/api/explore?q=${i}`)));
    const codes = answers.map((a) => a.status);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 200 || c === 429)).toBe(true);
    const refused = answers.find((a) => a.status === 429)!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error).toContain("too many searches");
    expect((await s.call("GET", "/api/exhibitions")).status).toBe(200); // the rest of the API still answers
  });
});

describe("robots.txt and sitemap.xml", () => {
  it("point search engines at the gallery and the published shows only, in each of their languages", async () => {
    const robots = await fetch(`${server.url}/robots.txt`);
    expect(robots.headers.get("content-type")).toContain("text/plain");
    const text = await robots.text();
    expect(text).toContain("Disallow: /api/");
    expect(text).toContain("Disallow: /studio/");
    expect(text).toMatch(/^Sitemap: http:\/\/.+\/sitemap\.xml$/m);
    const sitemap = await (await fetch(`${server.url}/sitemap.xml`)).text();
    expect(sitemap).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(sitemap).toMatch(/<loc>http:\/\/[^<]+\/explore<\/loc>/);
    expect(sitemap).toMatch(/<loc>http:\/\/[^<]+\/visit\/tea-and-its-vessels\?lang=zh-Hant<\/loc><lastmod>\d{4}-\d\d-\d\d<\/lastmod>/);
    expect(sitemap).toContain("/visit/bone-and-clay?lang=en");
    expect(sitemap).not.toContain("crane"); // the show unpublished above
  });
});

describe("link previews (OpenGraph)", () => {
  const head = async (path: string) => {
    const html = await (await fetch(`${server.url}${path}`)).text();
    return html.slice(0, html.indexOf("</head>"));
  };
  const meta = (html: string, property: string) => new RegExp(`<meta property="${property}" content="([^"]*)">`).exec(html)?.[1] ?? null;

  it("names a published show's title, introduction, museums and picture, in the language asked for", async () => {
    const zh = await head("/visit/tea-and-its-vessels?lang=zh-Hant");
    const title = meta(zh, "og:title");
    expect(title).toBe(sample("tea-and-its-vessels").meta.title["zh-Hant"]);
    expect(zh).toContain(`<title>${title} · Atrium</title>`);
    expect(meta(zh, "og:locale")).toBe("zh_Hant");
    expect(meta(zh, "og:url")).toMatch(/^http:\/\/.+\/visit\/tea-and-its-vessels\?lang=zh-Hant$/);
    expect(meta(zh, "og:description")!.length).toBeLessThanOrEqual(200);
    const image = meta(zh, "og:image")!;
    expect(image).toMatch(/^http:\/\/.+\/models\/.+\.(png|jpg|webp)$/);
    const picture = await fetch(image.replace(/^http:\/\/[^/]+/, server.url));
    expect(picture.status).toBe(200);
    expect(picture.headers.get("content-type")).toMatch(/^image\//);
    expect(meta(await head("/visit/tea-and-its-vessels?lang=en"), "og:title")).toBe("Tea and its Vessels");
    expect(meta(await head("/explore"), "og:url")).toMatch(/\/explore$/);
  });

  it("says nothing of a private show, and escapes what users wrote", async () => {
    const owner = await ApiSession.signUpOn(server, "preview@school.test", "Preview");
    const title = `Quote" onload="alert(1) <script>x</script>`;
    const made = await owner.call("POST", "/api/exhibitions", { id: "preview-check", title: { en: title }, languages: ["en"], template: "empty" });
    expect(made.status).toBe(201);
    const hidden = await head("/visit/preview-check");
    expect(hidden).not.toContain("og:title");
    expect(hidden).toContain("<title>Atrium</title>");
    expect((await owner.call("POST", "/api/exhibitions/preview-check/publish")).status).toBe(200);
    const shown = await head("/visit/preview-check");
    expect(shown).not.toContain("<script>x");
    expect(shown).not.toContain('" onload="');
    expect(meta(shown, "og:title")).toBe("Quote&#34; onload=&#34;alert(1) &#60;script&#62;x&#60;/script&#62;");
    // Unpublished: its page stops naming it at once (not after the page cache's few seconds).
    expect((await owner.call("POST", "/api/exhibitions/preview-check/unpublish")).status).toBe(200);
    expect(await head("/visit/preview-check")).not.toContain("og:title");
  });
});
