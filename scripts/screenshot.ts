/**
 * Takes screenshots of pages of a running Atrium, for looking at what we build:
 *   npx tsx scripts/screenshot.ts http://localhost:8080/visit/tea-and-its-vessels out.png [width] [height]
 */
import { launchChromium } from "../test/support/browser";

const [url, out, w = "1280", h = "800"] = process.argv.slice(2);
if (!url || !out) throw new Error("usage: screenshot.ts URL OUT.png [width] [height]");
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) } });
page.on("console", (m) => console.log(`[page ${m.type()}] ${m.text()}`));
page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
await page.goto(url);
if (url.includes("/visit/")) await page.waitForFunction(() => document.body.dataset.sceneReady === "true" || document.body.dataset.sceneError, null, { timeout: 90_000 });
else await page.waitForTimeout(1000);
await page.screenshot({ path: out });
console.log(await page.evaluate(() => JSON.stringify(window.atrium?.stats?.() ?? null)));
await browser.close();
