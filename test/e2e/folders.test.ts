import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { ApiSession } from "../support/api-session";
import { ROOT, startServer } from "../support/server";

/**
 * Collection folders in real Chromium (issue 23): a signed-in visitor saves two artefacts from
 * their close-ups into a new folder, orders the folder, shares it (an anonymous reader opens the
 * link) and starts a show from it, which opens in the studio with both artefacts, their credit
 * lines and licences.
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

const tea = JSON.parse(readFileSync(join(ROOT, "exhibitions", "tea-and-its-vessels.json"), "utf8")) as {
  placements: Record<string, { item: string }>;
  items: Record<string, { title: Record<string, string>; licences: Record<string, string>; institution: string }>;
};
const titleOf = (placement: string) => tea.items[tea.placements[placement]!.item]!.title.en!;

async function context(cookie?: string): Promise<BrowserContext> {
  const c = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  if (cookie) {
    const [name, value] = cookie.split("=");
    await c.addCookies([{ name: name!, value: value!, url: server.url }]);
  }
  return c;
}
async function open(c: BrowserContext, path: string): Promise<Page> {
  const page = await c.newPage();
  page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
  await page.goto(`${server.url}${path}`);
  return page;
}
/** Serious or critical accessibility problems axe finds on the page (WCAG 2.2 AA and best practice). */
async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
/** The order of the entries a folder page shows (their placements). */
const order = (page: Page) => page.locator(".folder-entry").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.placement));

describe("collection folders in the app", () => {
  it("saves two artefacts to a folder, orders and shares it, and starts a show from it", async () => {
    const me = await ApiSession.signUpOn(server, "folder-visitor@school.test", "Wang Fang");
    const [first, second] = Object.keys(tea.placements).sort().slice(0, 2) as [string, string];
    const c = await context(me.cookie);
    try {
      // The first artefact's close-up: "Save to folder", a new folder made and the artefact in it.
      const page = await open(c, `/visit/tea-and-its-vessels?artefact=${first}&lang=en`);
      await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
      const panel = page.locator(".inspect-panel");
      await panel.waitFor({ timeout: 90_000 });
      await panel.locator(".save-to-folder").click();
      const menu = panel.locator(".folder-menu");
      await menu.locator('input[name="folder-name"]').fill("茶碗 Tea bowls");
      await menu.locator('input[name="folder-name"]').press("Enter");
      const box = menu.getByRole("checkbox", { name: /茶碗 Tea bowls/ });
      await expect.poll(() => box.isChecked().catch(() => false), { timeout: 15_000 }).toBe(true);
      expect(await panel.locator(".save-to-folder").textContent()).toContain("★");
      await page.screenshot({ path: join(OUT, "folders-save-menu.png") });

      // The second artefact: ticked into the same folder.
      await page.goto(`${server.url}/visit/tea-and-its-vessels?artefact=${second}&lang=en`);
      await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
      await panel.waitFor({ timeout: 90_000 });
      await panel.locator(".save-to-folder").click();
      const box2 = menu.getByRole("checkbox", { name: /茶碗 Tea bowls/ });
      await box2.waitFor();
      expect(await box2.isChecked()).toBe(false);
      await box2.click();
      await expect.poll(() => box2.isChecked(), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => menu.locator(".count").first().textContent(), { timeout: 15_000 }).toBe("2 saved");

      // The folder: both, in the order saved; the second moved up by keyboard-reachable buttons.
      await page.goto(`${server.url}/folders`);
      await page.getByRole("link", { name: /茶碗 Tea bowls/ }).click();
      await page.waitForURL(/\/folders\/[a-z0-9]+$/);
      await expect.poll(() => order(page), { timeout: 15_000 }).toEqual([first, second]);
      expect(await page.locator(".folder-entry h2").allTextContents()).toEqual([titleOf(first), titleOf(second)]);
      await page.locator(".folder-entry").nth(1).getByRole("button", { name: "Move up" }).click();
      await expect.poll(() => order(page), { timeout: 15_000 }).toEqual([second, first]);
      await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>(".folder-picture")].every((i) => i.complete && i.naturalWidth > 0));

      // Shared: an anonymous reader sees it, read-only, in that order.
      await page.getByRole("button", { name: "Share a read-only link" }).click();
      const link = await page.locator(".shared-link input").inputValue();
      expect(link).toMatch(/\/f\/[a-z0-9]{10}$/);
      await page.screenshot({ path: join(OUT, "folders-page.png") });
      expect(await axeProblems(page)).toEqual([]);
      const reader = await context();
      try {
        const shared = await open(reader, new URL(link).pathname);
        await shared.locator(".folder-entry").nth(1).waitFor();
        expect(await order(shared)).toEqual([second, first]);
        expect(await shared.locator(".folder-owner").textContent()).toBe("A collection folder by Wang Fang");
        expect(await shared.locator(".entry-tools, .move-up, .remove-entry, .start-show").count()).toBe(0);
        await shared.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>(".folder-picture")].every((i) => i.complete && i.naturalWidth > 0));
        await shared.screenshot({ path: join(OUT, "folders-shared.png") });
        expect(await axeProblems(shared)).toEqual([]);
        // Its cards lead to the artefact's close-up.
        expect(await shared.locator(".folder-entry a").first().getAttribute("href")).toBe(`/visit/tea-and-its-vessels?artefact=${second}`);
      } finally {
        await reader.close();
      }

      // A show from the folder, opened in the studio.
      await page.getByRole("button", { name: "Start an exhibition from this folder" }).click();
      await page.waitForURL(/\/studio\/tea-bowls$/, { timeout: 30_000 });
      await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
      await page.screenshot({ path: join(OUT, "folders-new-show-studio.png") });
      const show = (await me.call("GET", "/api/exhibitions/tea-bowls")).body as typeof tea & { meta: { title: Record<string, string>; published: boolean } };
      expect(show.meta).toMatchObject({ title: { en: "茶碗 Tea bowls" }, published: false });
      const placed = Object.values(show.placements).map((p) => show.items[p.item]!);
      expect(placed.map((i) => i.title.en).sort()).toEqual([titleOf(first), titleOf(second)].sort());
      for (const i of placed) {
        const source = Object.values(tea.items).find((s) => s.title.en === i.title.en)!;
        expect(i.licences).toEqual(source.licences);
        expect(i.institution).toBe(source.institution);
      }
    } finally {
      await c.close();
    }
  }, 420_000);
});
