import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore } from "../../server/accounts/account-store";
import { ensureAdmin } from "../../server/accounts/admin";
import { launchChromium } from "../support/browser";
import { ROOT, startServer } from "../support/server";
import { coveredText } from "../support/layout";

/**
 * Two people in two browsers, everything through the UI: the owner signs in and creates an
 * invite link; a colleague creates an account, accepts it, and edits a label; the owner sees it
 * live, and the colleague is told it is saved.
 */
const OUT = join(ROOT, "test-results");
const accounts = new AccountStore(":memory:");
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

beforeAll(async () => {
  await ensureAdmin(accounts, "owner@atrium.test", "owner password 123", "Mei (owner)");
  server = await startServer({ accounts });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
  return page;
}

describe("co-editing in two browsers", () => {
  it("invites a co-curator by link and shows their edits to the owner live", async () => {
    // The owner signs in.
    const owner = await newPage();
    await owner.goto(`${server.url}/signin`);
    await owner.fill('input[name="email"]', "owner@atrium.test");
    await owner.fill('input[name="password"]', "owner password 123");
    await owner.click('button[type="submit"]');
    await owner.locator(".account-name").waitFor();
    expect(await owner.locator(".account-name").textContent()).toBe("Mei (owner)");
    const card = owner.locator('[data-exhibition="tea-and-its-vessels"]');
    expect(await card.locator(".badge.role").textContent()).toBe("Owner");
    await card.locator(".invite-curator").click();
    const link = await card.locator(".invite-link").inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/invite/[\\w-]{43}$`));
    await owner.screenshot({ path: join(OUT, "home-signed-in.png") });

    // A colleague creates an account and accepts the invitation.
    const colleague = await newPage();
    await colleague.goto(link);
    await colleague.click("main button.primary");
    await colleague.click("button.link");
    await colleague.fill('input[name="name"]', "Bo (co-curator)");
    await colleague.fill('input[name="email"]', "bo@museum-b.test");
    await colleague.fill('input[name="password"]', "colleague password");
    await colleague.click('button[type="submit"]');
    await colleague.click(".accept-invite");
    await colleague.waitForURL(`${server.url}/visit/tea-and-its-vessels`);

    // Both in the exhibition, following the live document.
    await owner.goto(`${server.url}/visit/tea-and-its-vessels?lang=en`);
    for (const page of [owner, colleague]) {
      await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
      await page.locator('.live-status[data-status="online"]').waitFor({ timeout: 30_000 });
    }
    await colleague.click('button[data-lang="en"]');
    for (const page of [owner, colleague]) {
      const p = await page.evaluate(() => window.atrium!.artefactScreenPoint("p-qingbai"));
      await page.mouse.click(p!.x, p!.y);
      await page.locator(".inspect-title-input").waitFor();
    }
    await colleague.locator(".inspect-title-input").fill("Qingbai Cup (Song dynasty)");
    await owner.waitForFunction(() => (document.querySelector(".inspect-title-input") as HTMLInputElement | null)?.value === "Qingbai Cup (Song dynasty)", null, { timeout: 30_000 });
    await colleague.locator('.live-status[data-saved="true"]').waitFor({ timeout: 30_000 });
    expect(await colleague.locator(".live-status").textContent()).toContain("All changes saved");
    await colleague.screenshot({ path: join(OUT, "coedit-colleague.png") });
    await owner.screenshot({ path: join(OUT, "coedit-owner.png") });

    // The edit is stored: a visitor who signs in later reads it from the server.
    const stored = await (await fetch(`${server.url}/api/exhibitions/tea-and-its-vessels`)).json();
    expect(stored.items["qingbai-cup"].title.en).toBe("Qingbai Cup (Song dynasty)");

    // The colleague loses the network, keeps editing, and the edit arrives when they are back.
    await colleague.context().setOffline(true);
    await colleague.locator('.live-status:not([data-status="online"])').waitFor({ timeout: 60_000 });
    // The status sits under the header: it hides none of the show's or the room's name.
    for (const words of [".hud-top .exhibition-title", ".hud-top .room-name"]) expect(await coveredText(colleague, ".live-status", words), `live status over ${words}`).toBe(0);
    await colleague.locator(".inspect-title-input").fill("Qingbai Cup, written offline");
    await owner.waitForTimeout(1000);
    expect(await owner.locator(".inspect-title-input").inputValue()).toBe("Qingbai Cup (Song dynasty)");
    await colleague.context().setOffline(false);
    await colleague.locator('.live-status[data-status="online"][data-saved="true"]').waitFor({ timeout: 60_000 });
    await owner.waitForFunction(() => (document.querySelector(".inspect-title-input") as HTMLInputElement | null)?.value === "Qingbai Cup, written offline", null, { timeout: 30_000 });
  });
});
