import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAdmin } from "../../server/accounts/admin";
import type { VisitReport } from "../../src/shared/api/stats";
import { launchChromium } from "../support/browser";
import { ApiSession, TEST_ADMIN } from "../support/api-session";
import { ROOT, startServer } from "../support/server";

/**
 * Visit statistics in real Chromium (issue 23): a visit page reports its view at once and the rest
 * when the visitor leaves, stores no cookie and no identifier, and sends nothing at all under
 * Global Privacy Control; the show's owner reads the charts (Chart.js), the tables and the CSV.
 */
const OUT = join(ROOT, "test-results");
mkdirSync(OUT, { recursive: true });
const SHOW = "tea-and-its-vessels";
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

beforeAll(async () => {
  // One trusted proxy: the scripted visitors below come from their own addresses; the browser's from its socket.
  server = await startServer({ trustProxy: 1 });
  await ensureAdmin(server.accounts, TEST_ADMIN.email, TEST_ADMIN.password);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string, options: BrowserContextOptions = {}): Promise<{ page: Page; reports: VisitReport[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", ...options });
  const page = await context.newPage();
  page.on("close", () => void context.close().catch(() => {}));
  page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
  const reports: VisitReport[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/api/visits")) reports.push(JSON.parse(r.postData() ?? "null") as VisitReport);
  });
  await page.goto(`${server.url}${path}`);
  return { page, reports };
}
const sceneReady = (page: Page) => page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
/** Today's raw counts of the show (the API shows 1-4 as "< 5"; the test reads what was stored). */
const counts = async () =>
  Object.fromEntries(
    (await server.accounts.db.all<{ placement: string; metric: string; n: number | string }>("SELECT placement, metric, n FROM visit_counts WHERE exhibition_id = ?", [SHOW])).map((r) => [`${r.placement}/${r.metric}`, Number(r.n)]),
  );

describe("visit statistics", () => {
  it("counts a visit (view, close-up and its time, a tour to its end) without a cookie or identifier, and nothing under Global Privacy Control", async () => {
    const { page, reports } = await open(`/visit/${SHOW}?lang=en&artefact=p-tenmoku`);
    const context = page.context();
    await sceneReady(page);
    await page.locator(".inspect-panel").waitFor({ timeout: 60_000 });
    await expect.poll(() => reports.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1); // the view, at once
    await page.waitForTimeout(2000);
    expect(reports, JSON.stringify(reports)).toHaveLength(1);
    expect(reports[0]).toMatchObject({ exhibition: SHOW, view: true, device: "desktop" });
    await page.waitForTimeout(3000);
    await page.keyboard.press("Escape");
    await page.click(".tour-start");
    for (let i = 0; i < 12 && !(await page.locator('button[name="tour-finish"]').count()); i++) await page.click(".tour-buttons .primary");
    await page.locator('button[name="tour-finish"]').waitFor();
    expect(reports.length, "nothing more is sent within the minute").toBe(1);
    // What the page keeps: no cookie, no identifier in any storage.
    expect(await context.cookies()).toEqual([]);
    const storage = await page.evaluate(async () => ({
      local: Object.keys(localStorage),
      session: Object.keys(sessionStorage),
      databases: ((await indexedDB.databases?.()) ?? []).map((d) => d.name),
    }));
    expect(storage.session).toEqual([]);
    expect(storage.databases).toEqual([]);
    for (const key of storage.local) expect(key, "only the visitor's own settings").toMatch(/^atrium[.:-](language|preferences|xr)/);
    // Leaving (back to the list, within the app): the rest goes in one last report. (Closing the tab
    // or hiding it sends it too, from pagehide and visibilitychange, as far as the browser lets a
    // closing page send anything: a test cannot count on that.)
    await page.click("a.back");
    await page.waitForSelector(".exhibition-list, main.page", { timeout: 20_000 });
    const left = { "/views": 1, "/device:desktop": 1, "p-tenmoku/opens": 1, "/tour_starts": 1, "/tour_completions": 1 };
    for (let i = 0; i < 100 && (await counts())["p-tenmoku/opens"] !== 1; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await counts()).toEqual(left);
    expect(reports.length).toBe(2);
    expect(reports[1]).toMatchObject({ view: false, tourStarts: 1, tourCompletions: 1, artefacts: [{ placement: "p-tenmoku", opens: 1 }] });
    expect(reports[1]!.artefacts[0]!.dwellMs[0]).toBeGreaterThanOrEqual(3000);
    const dwell = await server.accounts.db.all<{ placement: string; bucket: number }>("SELECT placement, bucket FROM visit_dwell WHERE exhibition_id = ?", [SHOW]);
    expect(dwell.map((d) => d.placement)).toEqual(["p-tenmoku"]);
    expect(await server.accounts.db.all("SELECT visitor FROM visit_visitors WHERE exhibition_id = ?", [SHOW])).toHaveLength(1);
    await page.close();

    // Global Privacy Control (the header, and navigator.globalPrivacyControl): nothing is sent.
    const before = await counts();
    const gpc = await open(`/visit/${SHOW}?lang=en&artefact=p-qingbai`, { extraHTTPHeaders: { "Sec-GPC": "1" } });
    await gpc.page.addInitScript(() => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true }));
    await gpc.page.reload();
    await sceneReady(gpc.page);
    await gpc.page.locator(".inspect-panel").waitFor({ timeout: 60_000 });
    await gpc.page.keyboard.press("Escape");
    await gpc.page.click("a.back");
    await gpc.page.waitForTimeout(1000);
    expect(gpc.reports).toEqual([]);
    expect(await counts()).toEqual(before);
    await gpc.page.close();
  });

  it("shows the owner charts, tables and a CSV of the visits, in English and Chinese", async () => {
    // Eleven more visitors (scripted, each from its own address) so the charts have something to draw.
    for (let v = 1; v <= 11; v++) {
      const r = await fetch(`${server.url}/api/visits`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `10.4.0.${v}`, origin: server.url },
        body: JSON.stringify({
          exhibition: SHOW,
          view: true,
          device: v <= 6 ? "desktop" : v <= 10 ? "phone" : "headset",
          tourStarts: v <= 7 ? 1 : 0,
          tourCompletions: v <= 5 ? 1 : 0,
          audioPlays: 0,
          vrSessions: v === 11 ? 1 : 0,
          arSessions: 0,
          artefacts: [
            { placement: "p-tenmoku", opens: 1, annotationOpens: v % 2, audioPlays: 0, dwellMs: [5000 + v * 1000] },
            ...(v <= 8 ? [{ placement: "p-teapot", opens: 1, annotationOpens: 0, audioPlays: 1, dwellMs: [12_000] }] : []),
          ],
        } satisfies VisitReport),
      });
      expect(r.status).toBe(204);
    }
    // The visit of the test above, if it ran: what was stored decides what the page must show.
    const views = (await counts())["/views"]!;
    const tenmoku = (await counts())["p-tenmoku/opens"]!;
    const admin = await ApiSession.admin(server);
    const [name, value] = admin.cookie.split("=");
    for (const [lang, locale] of [
      ["en", "en-US"],
      ["zh-Hant", "zh-TW"],
    ] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1100 }, locale });
      await context.addCookies([{ name: name!, value: value!, url: server.url }]);
      const page = await context.newPage();
      page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
      try {
        await page.goto(`${server.url}/stats/${SHOW}?lang=${lang}`);
        await page.waitForSelector(".stats-page[data-answered]", { timeout: 30_000 });
        expect(await page.locator('[data-figure="views"] dd').textContent()).toBe(String(views));
        expect(await page.locator('[data-figure="vrSessions"] dd').textContent()).toBe("< 5");
        expect(await page.locator('.stats-artefacts tr[data-placement="p-tenmoku"] td').first().textContent()).toBe(String(tenmoku));
        expect(await page.locator('.stats-artefacts tr[data-placement="p-teapot"] td').nth(1).textContent()).toBe("12"); // median close-up (s)
        // Three charts drawn by Chart.js: each canvas has coloured pixels.
        const drawn = await page.locator(":not(.stats-survey) > .stats-chart canvas").evaluateAll((canvases) =>
          canvases.map((c) => {
            const cv = c as HTMLCanvasElement;
            const data = cv.getContext("2d")!.getImageData(0, 0, cv.width, cv.height).data;
            let coloured = 0;
            for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && Math.abs(data[i]! - data[i + 2]!) > 40) coloured++;
            return coloured;
          }),
        );
        expect(drawn.length).toBe(3);
        for (const n of drawn) expect(n).toBeGreaterThan(200);
        if (lang === "zh-Hant") expect(await page.locator("h1").textContent()).toContain("參觀統計");
        await page.screenshot({ path: join(OUT, `stats-${lang}.png`), fullPage: true });
        const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
        expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes[0]?.target}`)).toEqual([]);
        // The CSV link downloads the same figures.
        const href = await page.locator(".stats-controls a.button").getAttribute("href");
        const csv = await (await fetch(`${server.url}${href}`, { headers: { cookie: admin.cookie } })).text();
        expect(csv).toContain("p-tenmoku");
        expect(csv.split("\r\n")[0]).toContain("median_dwell_s");
      } finally {
        await context.close();
      }
    }
    // Anyone else is told the statistics are not theirs to see.
    const page = (await open(`/stats/${SHOW}`)).page;
    await expect.poll(() => page.locator('[role="alert"]').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator(".stats-chart").count()).toBe(0);
    await page.close();
  });
  it("asks the exit survey once, in the visitor's language, when the owner turned it on, and shows the owner the answers", async () => {
    const admin = await ApiSession.admin(server);
    const [name, value] = admin.cookie.split("=");
    // The owner turns the survey on from the statistics page.
    const ownerContext = await browser.newContext({ viewport: { width: 1280, height: 1100 }, locale: "en-US" });
    await ownerContext.addCookies([{ name: name!, value: value!, url: server.url }]);
    const ownerPage = await ownerContext.newPage();
    try {
      await ownerPage.goto(`${server.url}/stats/${SHOW}?lang=en`);
      await ownerPage.waitForSelector(".stats-survey");
      await ownerPage.check('input[name="survey-enabled"]');
      await ownerPage.uncheck('input[name="survey-recommend"]');
      await ownerPage.click('button[name="survey-save"]');
      await ownerPage.waitForFunction(() => document.querySelector(".survey-settings [role=status]")?.textContent === "Saved");
      expect((await admin.call("GET", `/api/exhibitions/${SHOW}/survey`)).body).toEqual({ enabled: true, questions: ["enjoy", "learned"] });

      // A visitor in a Chinese browser follows the tour to its end: the survey asks, in Chinese.
      const visitor = await open(`/visit/${SHOW}`, { locale: "zh-TW" });
      const page = visitor.page;
      await sceneReady(page);
      await page.click(".tour-start");
      for (let i = 0; i < 12 && !(await page.locator('button[name="tour-finish"]').count()); i++) await page.click(".tour-buttons .primary");
      const card = page.locator(".survey-card");
      await card.waitFor({ timeout: 20_000 });
      expect(await card.locator("h2").textContent()).toBe("離開前");
      expect(await card.locator("legend").first().textContent()).toBe("您有多喜歡這個展覽？");
      expect(await card.locator('button[type="submit"]').isDisabled()).toBe(true); // nothing answered yet
      await card.locator('.survey-scale label:has-text("5")').click();
      await card.locator("textarea").fill("建盞的兔毫紋是釉裡的鐵結晶");
      await page.screenshot({ path: join(OUT, "survey-visitor-zh-Hant.png") });
      await card.locator('button[type="submit"]').click();
      await page.locator(".survey-thanks").waitFor();
      // Asked once: after a reload and another tour, no card.
      await page.reload();
      await sceneReady(page);
      await page.click(".tour-start");
      for (let i = 0; i < 12 && !(await page.locator('button[name="tour-finish"]').count()); i++) await page.click(".tour-buttons .primary");
      await page.waitForTimeout(1500);
      expect(await page.locator(".survey-card").count()).toBe(0);
      expect(await page.evaluate(() => localStorage.getItem("atrium.survey.tea-and-its-vessels"))).toBe("answered");
      await page.close();

      // Five more visitors (scripted), then the owner reads the answers.
      for (const [i, enjoy] of [4, 5, 2, 5, 3].entries()) {
        const r = await fetch(`${server.url}/api/exhibitions/${SHOW}/survey/answers`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": `10.7.0.${i}`, origin: server.url }, body: JSON.stringify({ enjoy }) });
        expect(r.status).toBe(204);
      }
      await ownerPage.reload();
      await ownerPage.waitForSelector('.stats-survey [data-figure="answers"]');
      expect(await ownerPage.locator('.stats-survey [data-figure="answers"] dd').textContent()).toBe("6");
      expect(await ownerPage.locator('.stats-survey [data-figure="positive"] dd').textContent()).toBe("67 %"); // 4 of 6
      expect(await ownerPage.locator(".survey-learned-answers").textContent()).toContain("建盞的兔毫紋是釉裡的鐵結晶");
      await ownerPage.locator(".stats-survey").screenshot({ path: join(OUT, "survey-owner-en.png") });
    } finally {
      await ownerContext.close();
    }
  });
});
