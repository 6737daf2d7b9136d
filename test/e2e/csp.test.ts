import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { ApiSession } from "../support/api-session";
import { ROOT, startServer } from "../support/server";
import { FIXTURES } from "../support/fixtures";

/**
 * The app under its own Content-Security-Policy (issue 16): every page and every loader path
 * (Draco and Meshopt scans, decoder workers, textures, the studio) works without a single
 * violation, so the policy can stay strict.
 */
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

/** Opens a page that records every CSP violation (the event, and Chromium's console report). */
async function open(path: string, cookie?: string): Promise<{ page: Page; violations: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  if (cookie) {
    const [name, value] = cookie.split("=");
    await context.addCookies([{ name: name!, value: value!, url: server.url }]);
  }
  const page = await context.newPage();
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  page.on("pageerror", (e) => {
    if (/Content Security Policy|unsafe-eval/i.test(e.message)) violations.push(e.message);
  });
  await page.exposeFunction("__cspViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  await page.goto(`${server.url}${path}`);
  return { page, violations };
}
const sceneReady = (page: Page) => page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });

describe("the app under its CSP", () => {
  it("shows the list, the join page, a sample show and a show of Draco scans (decoder worker) without a violation", async () => {
    for (const path of ["/", "/join", "/signin"]) {
      const { page, violations } = await open(path);
      await page.waitForSelector("#root *", { timeout: 30_000 });
      await page.waitForTimeout(1500);
      expect([path, violations]).toEqual([path, []]);
      await page.context().close();
    }
    // A show whose scan is a Draco GLB (an upload's detailed tier stays the file as sent).
    const owner = await ApiSession.signUpOn(server, "draco@museum.test", "Draco");
    const up = await owner.upload("/api/assets?title=Whale%20mandible&licence=CC0-1.0", readFileSync(join(FIXTURES, "museum-3d/whale/whale_mandible_draco.glb")));
    expect(up.status).toBe(201);
    const show = JSON.parse(readFileSync(join(ROOT, "exhibitions/bone-and-clay.json"), "utf8"));
    for (const item of Object.values(show.items) as { asset: { kind: string; tiers?: unknown } }[]) if (item.asset.kind === "model") item.asset.tiers = { high: up.body.url };
    expect((await owner.call("POST", "/api/exhibitions/import", { document: show, id: "draco-show" })).status).toBe(201);
    for (const [path, cookie] of [["/visit/tea-and-its-vessels?lang=en", undefined], ["/visit/draco-show?lang=en&quality=high", owner.cookie]] as const) {
      const { page, violations } = await open(path, cookie);
      await sceneReady(page);
      expect(await page.evaluate(() => window.atrium!.stats().artefacts)).toBeGreaterThan(0);
      await page.waitForTimeout(1000);
      expect([path, violations]).toEqual([path, []]);
      if (path.includes("draco-show")) {
        // Every model is the Draco scan: its decoder (WebAssembly, in a blob: worker) ran.
        const fetched = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
        expect(fetched.some((u) => /draco_decoder/i.test(u))).toBe(true);
        expect(fetched.some((u) => u.includes(up.body.url))).toBe(true);
      }
      await page.context().close();
    }
  });

  it("runs the studio (catalogue pictures, the editor's live document) without a violation", async () => {
    const owner = await ApiSession.signUpOn(server, "owner@museum.test", "Owner");
    expect((await owner.call("POST", "/api/exhibitions", { id: "csp-show", title: { en: "CSP" }, template: "micro" })).status).toBe(201);
    const { page, violations } = await open("/studio/csp-show?lang=en", owner.cookie);
    await page.waitForFunction(() => document.body.dataset.studioReady === "true", null, { timeout: 150_000 });
    await page.waitForSelector(".catalogue-results li", { timeout: 120_000 });
    await page.waitForTimeout(1000);
    expect(violations).toEqual([]);
    await page.context().close();
  });
});
