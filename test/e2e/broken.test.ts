import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { ROOT, startServer } from "../support/server";

/** Bad input never gives a blank page: broken documents and missing models are named, in the UI and the log. */
const OUT = join(ROOT, "test-results");
mkdirSync(OUT, { recursive: true });
const logs: string[] = [];
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "atrium-broken-"));
  const tea = JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8"));
  writeFileSync(join(dir, "broken-show.json"), JSON.stringify({ ...tea, id: "broken-show", rooms: { ...tea.rooms, bowls: { ...tea.rooms.bowls, size: { w: "wide", d: 10, h: 3.8 } } } }));
  const missing = structuredClone(tea);
  missing.id = "missing-model";
  missing.items["tenmoku-bowl"].asset.tiers.high = "/models/tea/no-such-bowl.glb";
  writeFileSync(join(dir, "missing-model.json"), JSON.stringify(missing));
  server = await startServer({ exhibitionsDir: dir, log: (l) => logs.push(l) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("bad input", () => {
  it("names the broken file and field on the list page and in the server log", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    await page.goto(`${server.url}/`);
    const broken = page.locator('[data-broken="broken-show"]');
    await broken.waitFor();
    expect(await broken.textContent()).toMatch(/broken-show\.json.*rooms\.bowls\.size\.w.*expected number/s);
    expect(await page.locator(".exhibition-card").count()).toBe(1);
    expect(logs.join("\n")).toMatch(/broken-show\.json: rooms\.bowls\.size\.w: .*expected number/);
    await page.close();
  });

  it("shows an error page naming the file and field when the broken exhibition is opened", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    await page.goto(`${server.url}/visit/broken-show`);
    const error = page.locator(".error-page");
    await error.waitFor();
    expect(await error.locator("h1").textContent()).toBe("This exhibition could not be opened");
    expect(await error.locator(".error-file").textContent()).toMatch(/broken-show\.json$/);
    expect(await error.locator(".error-field").allTextContents()).toEqual(["rooms.bowls.size.w"]);
    expect(await page.evaluate(() => document.body.dataset.sceneError)).toBe("invalid");
    await page.screenshot({ path: join(OUT, "broken-exhibition.png") });
    await page.goto(`${server.url}/visit/no-such-show`);
    await page.locator(".error-page[data-error-kind='not-found']").waitFor();
    await page.close();
  });

  it("keeps the room usable when one model is missing, and says which", async () => {
    const page = await browser.newPage({ locale: "en-US", viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/visit/missing-model?lang=en`);
    await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
    const notice = page.locator(".model-errors");
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/\/models\/tea\/no-such-bowl\.glb: could not be downloaded \(HTTP 404\)/);
    // The other two artefacts of the room are there.
    expect(await page.evaluate(() => window.atrium!.artefactIds())).toEqual(["p-korean", "p-qingbai", "p-whisk"]);
    await page.close();
  });
});
