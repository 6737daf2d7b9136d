import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { ApiSession } from "../support/api-session";
import { ROOT, startServer } from "../support/server";

/**
 * Several classrooms in one class (issue 22), in real Chromium: the teacher adds a second school
 * from the class panel, a laptop joins the first classroom's code and a phone the second's; the
 * roster is one list per classroom; "Follow me" sent to one classroom moves that classroom only,
 * "Lock" sent to all locks both.
 */
const OUT = join(ROOT, "test-results");
const TEA = "tea-and-its-vessels";

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("one teacher, two classrooms", () => {
  it("adds a classroom from the panel, shows one roster per classroom, and sends 'Follow me' to one classroom and 'Lock' to all", async () => {
    const teacher = await ApiSession.signUpOn(server, "rooms@school.test", "Ms Lin");
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    const [name, value] = teacher.cookie.split("=");
    await context.addCookies([{ name: name!, value: value!, url: server.url }]);
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error(`[teacher] ${e.message}`));
    const pages: Page[] = [page];
    try {
      await page.goto(`${server.url}/visit/${TEA}?lang=en`);
      await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
      await page.click("button.start-class");
      await page.waitForFunction(() => /^[2-9A-Z]{6}$/.test(document.querySelector(".class-code")?.textContent ?? ""), null, { timeout: 20_000 });
      const first = (await page.textContent(".class-code"))!;
      // One classroom: no "Commands go to" (nothing to choose).
      expect(await page.locator("select[data-class=to]").count()).toBe(0);

      // Another school joins the lesson: the teacher adds its classroom; the server gives it a code.
      await page.fill(".add-classroom input[name=name]", "Hualien 8A");
      await page.click(".add-classroom button");
      const second = page.locator('.class-join[data-classroom="r2"]');
      await second.waitFor({ timeout: 10_000 });
      expect(await second.locator(".classroom-name").textContent()).toBe("Hualien 8A");
      expect(await page.locator('.class-join[data-classroom="r1"] .classroom-name').textContent()).toBe("Classroom 1");
      const code2 = (await second.locator(".class-code").textContent())!;
      expect(code2).toMatch(/^[2-9A-Z]{6}$/);
      expect(code2).not.toBe(first);
      expect(await page.textContent(".class-toggle .class-code")).toBe(`${first} · ${code2}`);
      // The QR code of the second classroom is its own link's.
      expect(await second.locator("img").getAttribute("alt")).toBe(`${server.url}/join/${code2}`);

      const joinAs = async (nickname: string, code: string, phone: boolean): Promise<Page> => {
        const c = await browser.newContext(phone ? { viewport: { width: 390, height: 760 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: "en-US" } : { viewport: { width: 900, height: 560 }, locale: "en-US" });
        const p = await c.newPage();
        pages.push(p);
        p.on("pageerror", (e) => console.error(`[${nickname}] ${e.message}`));
        await p.goto(`${server.url}/join/${code}`);
        await p.fill("input[name=nickname]", nickname);
        await p.click("button[type=submit]");
        await p.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
        await p.locator(".class-bar").waitFor({ timeout: 20_000 });
        return p;
      };
      const laptop = await joinAs("Mei", first, false);
      const phone = await joinAs("Kai", code2, true);
      expect(await phone.locator(".class-bar .who").textContent()).toContain("Hualien 8A");
      expect(await laptop.locator(".class-bar .who").textContent()).not.toContain("Hualien");

      // One roster per classroom.
      const rosters = page.locator(".classroom-roster");
      await expect.poll(() => rosters.count(), { timeout: 10_000 }).toBe(2);
      await expect.poll(async () => (await rosters.locator("h3").allTextContents()).join(" | "), { timeout: 10_000 }).toBe("Classroom 1 (1/1) | Hualien 8A (1/1)");
      expect(await page.locator('.classroom-roster[data-classroom="r2"] .nick').allTextContents()).toEqual(["Kai"]);

      // "Follow me" to Hualien only.
      await page.selectOption("select[data-class=to]", "r2");
      await page.click("[data-class=follow]");
      await phone.waitForFunction(() => document.querySelector(".class-bar")?.getAttribute("data-class-mode") === "follow", null, { timeout: 10_000 });
      // The buttons show what the chosen classroom sees (the teacher's copy arrives beside the students').
      await page.waitForFunction(() => document.querySelector("[data-class=follow]")?.getAttribute("aria-pressed") === "true", null, { timeout: 10_000 });
      await page.waitForTimeout(500);
      expect(await laptop.getAttribute(".class-bar", "data-class-mode")).toBe("free");
      // Back to every classroom: the buttons show the class's own settings, and "Lock" goes to both.
      await page.selectOption("select[data-class=to]", "");
      expect(await page.getAttribute("[data-class=follow]", "aria-pressed")).toBe("false");
      await page.click("[data-class=lock]");
      for (const p of [laptop, phone]) await p.waitForFunction(() => document.querySelector(".class-bar")?.getAttribute("data-class-locked") === "true", null, { timeout: 10_000 });
      expect(await phone.getAttribute(".class-bar", "data-class-mode")).toBe("follow"); // "Lock" to all did not touch Hualien's following

      await page.locator(".class-panel").screenshot({ path: join(OUT, "classrooms-teacher.png") });
      await phone.screenshot({ path: join(OUT, "classrooms-phone.png") });
    } finally {
      for (const p of pages) await p.context().close();
    }
  }, 420_000);
});
