import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { ApiSession } from "../support/api-session";
import { decodeQr } from "../support/qr";
import { ROOT, startServer } from "../support/server";

/**
 * The public gallery in real Chromium (issue 23): a show imported and published by a teacher is
 * found by a Chinese word from one of its artefact labels, the filters narrow the cards, a card
 * opens the show and Back returns to the same search; axe finds nothing serious in three languages.
 */
const OUT = join(ROOT, "test-results");
mkdirSync(OUT, { recursive: true });
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string, locale = "en-US"): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
  const page = await context.newPage();
  page.on("close", () => void context.close().catch(() => {}));
  page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
  await page.goto(`${server.url}${path}`);
  return page;
}
const cards = (page: Page) => page.locator(".explore-card").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.exhibition));
/** The cards shown are those of the address in the location bar, and nothing is loading. */
const settled = (page: Page) =>
  page.waitForFunction(() => {
    const list = document.querySelector<HTMLElement>(".explore-cards");
    return list?.dataset.answered === location.pathname + location.search && list.getAttribute("aria-busy") === "false";
  });

describe("the public gallery", () => {
  it("finds a newly published show by a Chinese word from an artefact's label, filters, opens it and comes back", async () => {
    // A teacher imports a show (a copy of a sample, one label rewritten) and publishes it.
    const teacher = await ApiSession.signUpOn(server, "gallery@school.test", "Teacher Lin");
    const doc = JSON.parse(readFileSync(join(ROOT, "exhibitions", "bone-and-clay.json"), "utf8"));
    const first = Object.keys(doc.items)[0]!;
    doc.items[first].title["zh-Hant"] = "鯨魚骨骼與潮汐";
    doc.meta.title = { en: "Whales and tides", "zh-Hant": "鯨與潮" };
    const imported = await teacher.call("POST", "/api/exhibitions/import", { document: doc, id: "whales-and-tides" });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect((await teacher.call("POST", "/api/exhibitions/whales-and-tides/publish")).status).toBe(200);

    const page = await open("/explore?lang=zh-Hant", "zh-TW");
    try {
      await settled(page);
      expect((await cards(page)).sort()).toEqual(["bone-and-clay", "large-show", "tea-and-its-vessels", "whales-and-tides"]);
      expect((await cards(page))[0]).toBe("whales-and-tides"); // the newest first
      // Each card has a picture that loaded, its museums and its licences.
      await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>(".explore-card img.explore-picture")].every((i) => i.complete && i.naturalWidth > 0));
      expect(await page.locator('[data-exhibition="tea-and-its-vessels"] .explore-picture.panorama').count()).toBe(1);
      expect(await page.locator('[data-exhibition="bone-and-clay"] .badge.licence').allTextContents()).toContain("CC0 1.0");
      await page.screenshot({ path: join(OUT, "explore-all.png") });

      // Search by keyboard: a word inside the rewritten label (never a title), Enter.
      await page.getByRole("searchbox").fill("潮汐");
      await page.keyboard.press("Enter");
      await page.waitForURL(/q=%E6%BD%AE%E6%B1%90/);
      await settled(page);
      expect(await cards(page)).toEqual(["whales-and-tides"]);
      expect(await page.locator(".explore-count").textContent()).toBe("1 個展覽");

      // A word in both copies of the sample; then the kind filter keeps the personal ones only.
      await page.getByRole("searchbox").fill("領航鯨");
      await page.keyboard.press("Enter");
      await page.waitForURL(/q=%E9%A0%98/);
      await settled(page);
      expect((await cards(page)).sort()).toEqual(["bone-and-clay", "large-show", "whales-and-tides"]);
      await page.selectOption('select[name="kind"]', "personal");
      await page.waitForURL(/kind=personal/);
      await settled(page);
      expect((await cards(page)).sort()).toEqual(["bone-and-clay", "whales-and-tides"]);
      await page.screenshot({ path: join(OUT, "explore-search.png") });

      // Nothing found: said so, in words.
      await page.getByRole("searchbox").fill("不存在的詞語");
      await page.keyboard.press("Enter");
      await settled(page);
      expect(await cards(page)).toEqual([]);
      expect(await page.locator(".explore-count").textContent()).toContain("沒有符合");

      // Back to the last search, open a card, and Back again to the same search and filter.
      await page.goBack();
      await settled(page);
      expect((await cards(page)).sort()).toEqual(["bone-and-clay", "whales-and-tides"]);
      await page.click('[data-exhibition="whales-and-tides"] a');
      await page.waitForURL(/\/visit\/whales-and-tides/);
      await page.goBack();
      await page.waitForURL(/\/explore\?/);
      await settled(page);
      expect((await cards(page)).sort()).toEqual(["bone-and-clay", "whales-and-tides"]);
      expect(await page.getByRole("searchbox").inputValue()).toBe("領航鯨");
      expect(await page.locator('select[name="kind"]').inputValue()).toBe("personal");
    } finally {
      await page.close();
    }
    // Unpublished, it leaves the gallery.
    expect((await teacher.call("POST", "/api/exhibitions/whales-and-tides/unpublish")).status).toBe(200);
    const after = await open("/explore?q=%E6%BD%AE%E6%B1%90");
    try {
      await settled(after);
      expect(await cards(after)).toEqual([]);
    } finally {
      await after.close();
    }
  }, 200_000);

  it("has no serious or critical axe violations, in English, Chinese and Japanese; the home page links to it", async () => {
    const found: string[] = [];
    const report: unknown[] = [];
    for (const [lang, locale] of [["en", "en-US"], ["zh-Hant", "zh-TW"], ["ja", "ja-JP"]] as const) {
      const page = await open(`/explore?lang=${lang}`, locale);
      try {
        await settled(page);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
        const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
        report.push({ page: "explore", lang, violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })) });
        found.push(...result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${lang}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
        if (lang === "ja") {
          await page.screenshot({ path: join(OUT, "explore-ja.png") });
          // On a phone: one column, nothing wider than the screen.
          await page.setViewportSize({ width: 390, height: 844 });
          await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth);
          await page.screenshot({ path: join(OUT, "explore-phone.png") });
        }
      } finally {
        await page.close();
      }
    }
    writeFileSync(join(OUT, "a11y-explore.json"), JSON.stringify(report, null, 2));
    expect(found).toEqual([]);
    const home = await open("/?lang=en");
    try {
      await home.getByRole("link", { name: "Explore" }).click();
      await home.waitForURL(/\/explore$/);
      await settled(home);
      expect((await cards(home)).length).toBe(3);
    } finally {
      await home.close();
    }
  }, 200_000);
});

describe("short links, QR codes and citations in the app", () => {
  it("opens an artefact's close-up from its short link; Share and cite gives its link, QR code and citation", async () => {
    const links = (await new ApiSession(server).call("GET", "/api/exhibitions/tea-and-its-vessels/links")).body as { show: { code: string }; artefacts: { placement: string; code: string; url: string }[] };
    const bowl = links.artefacts[1]!;
    const page = await open(`/s/${bowl.code}`, "zh-TW");
    try {
      await page.waitForURL(/\/visit\/tea-and-its-vessels\?artefact=/);
      await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
      // The close-up of that artefact opens by itself.
      await page.locator(".inspect-panel").waitFor({ timeout: 90_000 });
      const title = JSON.parse(readFileSync(join(ROOT, "exhibitions", "tea-and-its-vessels.json"), "utf8")) as { placements: Record<string, { item: string }>; items: Record<string, { title: Record<string, string> }> };
      const expected = title.items[title.placements[bowl.placement]!.item]!.title["zh-Hant"]!;
      expect(await page.locator(".inspect-panel h2").first().textContent()).toContain(expected);

      const cite = page.locator(".inspect-panel .share-toggle");
      await cite.click();
      const panel = page.locator(".share-panel");
      await panel.locator(".share-citation").waitFor();
      expect(await panel.locator("input").inputValue()).toBe(bowl.url);
      expect(await panel.locator(".share-citation").textContent()).toContain(bowl.url);
      expect(await panel.locator(".share-citation").textContent()).toContain("授權：");
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>(".share-qr img");
        return !!img && img.complete && img.naturalWidth === 600;
      });
      const bib = await panel.getByRole("link", { name: "BibTeX" }).getAttribute("download");
      expect(bib).toBe(`tea-and-its-vessels-${bowl.placement}.bib`);
      await page.screenshot({ path: join(OUT, "share-artefact.png") });
      // The printable QR card (A6): the object's title, its QR code (which scans to its short link),
      // the short link and the credit line with its licence; printed, one A6 page.
      const cardPath = await panel.locator("a.print-card").getAttribute("href");
      expect(cardPath).toBe(`/card/tea-and-its-vessels?artefact=${bowl.placement}&lang=zh-Hant`);
      const card = await open(cardPath!, "zh-TW");
      try {
        await card.waitForFunction(() => {
          const img = document.querySelector<HTMLImageElement>(".qr-card img");
          return !!img && img.complete && img.naturalWidth === 600;
        });
        expect(await card.locator(".qr-card h1").textContent()).toBe(expected);
        expect(await card.locator(".qr-card-url").textContent()).toBe(bowl.url.replace(/^https?:\/\//, ""));
        expect(await card.locator(".qr-card-credit").textContent()).toContain("授權：");
        const qrSrc = (await card.locator(".qr-card img").getAttribute("src"))!;
        expect(decodeQr(Buffer.from(await (await fetch(`${server.url}${qrSrc}`)).arrayBuffer()))).toBe(bowl.url);
        await card.screenshot({ path: join(OUT, "qr-card-zh-Hant.png") });
        const pdf = (await card.pdf({ preferCSSPageSize: true, printBackground: true })).toString("latin1");
        expect(pdf.startsWith("%PDF")).toBe(true);
        expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length, "one printed page").toBe(1);
        const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf)!;
        expect(Math.abs(Number(box[1]) - (105 / 25.4) * 72)).toBeLessThan(2); // 105 x 148 mm, in points
        expect(Math.abs(Number(box[2]) - (148 / 25.4) * 72)).toBeLessThan(2);
      } finally {
        await card.close();
      }
      // Esc closes it; focus returns to the button that opened it.
      await page.keyboard.press("Escape");
      await panel.waitFor({ state: "detached" });
      expect(await page.evaluate(() => document.activeElement?.classList.contains("share-toggle"))).toBe(true);
    } finally {
      await page.close();
    }
    // An unknown code: the app says the link leads nowhere, with a 404.
    const lost = await open("/s/zzzzzzz", "en-US");
    try {
      await lost.getByRole("heading", { name: "This link leads nowhere" }).waitFor();
      await lost.screenshot({ path: join(OUT, "short-link-missing.png") });
    } finally {
      await lost.close();
    }
  }, 250_000);
});

describe("theme tags and lessons, from the studio to the gallery", () => {
  it("a teacher tags a show in the studio (a suggested theme and their own) and marks it a lesson; the gallery filters by both", async () => {
    const teacher = await ApiSession.signUpOn(server, "themes@school.test", "Teacher Chen");
    const made = await teacher.call("POST", "/api/exhibitions", { id: "tea-lesson", title: { en: "A tea lesson", "zh-Hant": "茶的一課" }, languages: ["en", "zh-Hant"], template: "micro" });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    const [name, value] = teacher.cookie.split("=");
    await context.addCookies([{ name: name!, value: value!, url: server.url }]);
    try {
      const page = await context.newPage();
      page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
      await page.goto(`${server.url}/studio/tea-lesson?lang=en`);
      await page.waitForFunction(() => document.body.dataset.studioReady === "true" && document.body.dataset.sceneReady === "true", null, { timeout: 150_000, polling: 100 });
      await page.locator('button[name="panel-show"]').click();
      const panel = page.locator(".show-panel");
      await panel.getByRole("checkbox", { name: "Tea", exact: true }).check();
      await panel.locator('input[name="own-theme"]').fill("  茶道 ");
      await panel.getByRole("button", { name: "Add" }).click();
      await panel.getByRole("checkbox", { name: "Made for teaching a class" }).check();
      await expect.poll(() => panel.locator(".own-themes .badge").allTextContents()).toEqual(["茶道"]);
      await page.screenshot({ path: join(OUT, "studio-show-themes.png") });
      // The edits reach the stored document (synced), as operations any other edit is.
      await expect
        .poll(async () => {
          const doc = (await teacher.call("GET", "/api/exhibitions/tea-lesson")).body;
          return [doc.meta.themes, doc.meta.lesson];
        }, { timeout: 20_000 })
        .toEqual([["tea", "茶道"], true]);
      expect((await teacher.call("POST", "/api/exhibitions/tea-lesson/publish")).status).toBe(200);

      // The gallery: the theme filter (in Chinese) and the kind "class" each find it.
      await page.goto(`${server.url}/explore?lang=zh-Hant`);
      await settled(page);
      const themes = await page.locator('select[name="theme"] option').allTextContents();
      expect(themes).toContain("茶道 (1)");
      expect(themes.some((t) => t.startsWith("茶 ("))).toBe(true);
      await page.locator('select[name="theme"]').selectOption("茶道");
      await page.waitForURL(/theme=/);
      await settled(page);
      expect(await cards(page)).toEqual(["tea-lesson"]);
      expect(await page.locator('[data-exhibition="tea-lesson"] .badge.theme').allTextContents()).toEqual(["茶", "茶道"]);
      expect(await page.locator('[data-exhibition="tea-lesson"] .badge.kind').textContent()).toBe("課堂教材");
      await page.screenshot({ path: join(OUT, "explore-theme-filter.png") });
      await page.goto(`${server.url}/explore?kind=class`);
      await settled(page);
      expect(await cards(page)).toEqual(["tea-lesson"]);
    } finally {
      await context.close();
    }
  }, 300_000);
});
