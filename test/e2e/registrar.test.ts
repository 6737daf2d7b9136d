import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { zipSync, type Zippable } from "fflate";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore } from "../../server/accounts/account-store";
import { ensureAdmin } from "../../server/accounts/admin";
import { ApiSession } from "../support/api-session";
import { launchChromium } from "../support/browser";
import { cmoaCsv } from "../support/cmoa-csv";
import { ROOT, startServer } from "../support/server";
import { FIXTURES } from "../support/fixtures";

/**
 * A museum registrar in the studio, by hand in Chromium: imports 200 open-data records from a CSV
 * through the column-mapping step, re-licenses one, imports a IIIF image manifest, and uploads a
 * multi-file glTF as a zip, watching its progress, tiers and poster arrive.
 */
const OUT = join(ROOT, "test-results");
const accounts = new AccountStore(":memory:");
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  await ensureAdmin(accounts, "admin@atrium.test", "correct horse battery");
  server = await startServer({ accounts });
  const admin = new ApiSession(server);
  await admin.call("POST", "/api/sessions", { email: "admin@atrium.test", password: "correct horse battery" });
  const registrar = await ApiSession.signUpOn(server, "mei@pgh.test", "Mei");
  expect((await admin.call("POST", "/api/museums", { id: "pgh", name: { en: "Pittsburgh test museum", "zh-Hant": "匹茲堡測試博物館" } })).status).toBe(201);
  expect((await admin.call("POST", "/api/museums/pgh/members", { email: "mei@pgh.test", role: "curator" })).status).toBe(200);
  expect((await registrar.call("POST", "/api/exhibitions", { id: "pgh-tea", title: { en: "Tea wares", "zh-Hant": "茶器" }, museum: "pgh", template: "micro" })).status).toBe(201);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "en-GB" });
  const [name, value] = registrar.cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  page = await context.newPage();
  page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
  await page.goto(`${server.url}/studio/pgh-tea`);
  await page.waitForFunction(() => document.body.dataset.studioReady === "true", null, { timeout: 150_000, polling: 250 });
});
afterAll(async () => {
  await browser?.close();
  await server?.jobs.idle();
  await server?.close();
});

describe("a registrar fills the catalogue", () => {
  it("imports 200 records from a CSV after mapping its columns", async () => {
    const csv = join(OUT, "cmoa-records.csv");
    writeFileSync(csv, cmoaCsv());
    await page.click('button[name="import-records"]');
    await page.setInputFiles('.import-dialog input[name="records-file"]', csv);
    // "Object Title" is not guessed: the registrar maps it, and gives the size unit.
    const title = page.locator('.import-dialog select[name="map-title"]');
    await title.waitFor({ timeout: 10_000 });
    expect(await title.inputValue()).toBe("");
    await title.selectOption("Object Title");
    await page.selectOption('.import-dialog select[name="map-id"]', "Object Number");
    await page.selectOption('.import-dialog select[name="map-height"]', "Height (in)");
    await page.selectOption('.import-dialog select[name="import-units"]', "in");
    await page.locator(".import-sample li", { hasText: "Covered vase" }).first().waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector(".import-sample")?.textContent?.includes("H 48.3 cm"), null, { timeout: 10_000, polling: 100 });
    await page.click(".import-dialog details summary");
    await page.screenshot({ path: join(OUT, "registrar-import-mapping.png") });
    expect(await page.locator(".import-warnings").textContent()).toContain('"about 7" is not a size');
    await page.click('.import-dialog button[name="run-import"]');
    const done = page.locator(".import-done");
    await done.waitFor({ timeout: 20_000 });
    expect(await done.textContent()).toMatch(/200 records imported \(\d+ placeable\), \d+ warnings/);
    await page.click('.import-dialog button:has-text("Close")');
  });

  it("finds an imported record and changes its object licence", async () => {
    await page.selectOption('select[aria-label="All institutions"]', "pgh");
    await page.fill('input[name="catalogue-search"]', "covered vase");
    const first = page.locator('.catalogue-results li[data-entry^="pgh-"]', { hasText: "Covered vase" }).first();
    await first.waitFor({ timeout: 10_000 });
    // One record by its id: the list may still re-order while the search settles.
    const entry = page.locator(`.catalogue-results li[data-entry="${await first.getAttribute("data-entry")}"]`);
    await entry.locator('button[name="edit-rights"]').click();
    await entry.locator('select[name="entry-licence-object"]').selectOption("CC-BY-NC-4.0");
    await entry.locator('button[name="save-rights"]').click();
    await entry.locator(".muted", { hasText: "CC BY-NC 4.0" }).waitFor({ timeout: 10_000 });
  });

  it("imports a IIIF image manifest as wall-hung images", async () => {
    await page.click('button[name="import-records"]');
    await page.setInputFiles('.import-dialog input[name="records-file"]', join(FIXTURES, "iiif/presentation-3/cookbook/0029-metadata-anywhere/manifest.json"));
    await page.locator(".import-dialog", { hasText: "IIIF manifest with 2 canvas(es)" }).waitFor();
    await page.click('.import-dialog button[name="run-import"]');
    await page.locator(".import-done", { hasText: "2 image(s) imported" }).waitFor({ timeout: 10_000 });
    await page.click('.import-dialog button:has-text("Close")');
    await page.selectOption('select[aria-label="All institutions"]', "");
    await page.fill('input[name="catalogue-search"]', "John Dee");
    await page.locator(".catalogue-results li", { hasText: "Painting under natural light" }).waitFor({ timeout: 10_000 });
  });

  it("uploads a glTF with its textures as a zip, with progress, tiers and a poster", async () => {
    const files: Zippable = {};
    const dir = join(FIXTURES, "gltf/FlightHelmet/glTF");
    for (const f of readdirSync(dir)) files[`FlightHelmet/${relative(dir, join(dir, f))}`] = readFileSync(join(dir, f));
    const zip = join(OUT, "flight-helmet.zip");
    writeFileSync(zip, zipSync(files));
    await page.click(".upload summary");
    await page.setInputFiles('.upload input[name="file"]', zip);
    await page.fill('.upload input[name="title"]', "Flight helmet");
    await page.selectOption('.upload select[name="licence"]', "CC0-1.0");
    await page.click(".upload button");
    const report = page.locator(".upload-message", { hasText: "quality tiers and picture ready" });
    await report.waitFor({ timeout: 90_000 });
    expect(await report.textContent()).toMatch(/high \d+ kB \(\d+ triangles\), low \d+ kB, thumb \d+ kB/);
    await page.fill('input[name="catalogue-search"]', "flight helmet");
    const picture = page.locator('.catalogue-results li[data-entry^="upload-"] img.entry-picture');
    await picture.waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('.catalogue-results li[data-entry^="upload-"] img.entry-picture')?.naturalWidth ?? 0) === 256, null, { timeout: 10_000, polling: 100 });
    await page.screenshot({ path: join(OUT, "registrar-catalogue.png") });
    // Placed, its inspector shows the four-part credit line and the rights it can change.
    await page.locator('.catalogue-results li[data-entry^="upload-"] button[name=place]').click();
    await page.locator(".inspector .credit-line .credit-licence").waitFor({ timeout: 10_000 });
    expect(await page.locator(".inspector .credit-line").textContent()).toMatch(/^Pittsburgh test museum · .*Licence: CC0 1\.0/);
    expect(await page.locator('.inspector select[name="licence-object"]').inputValue()).toBe("CC0-1.0");
    await page.screenshot({ path: join(OUT, "registrar-inspector.png") });
  });
});
