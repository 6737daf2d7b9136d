import { createServer, type Server } from "node:http";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { ROOT, startServer } from "../support/server";

/**
 * The embeddable viewer from another origin (issue 23): a museum's page (served here by a second
 * HTTP server on another port) loads `/embed.js` from Atrium, places `<atrium-viewer>`, and
 * drives it through its JS API; forged and malformed messages change nothing.
 */
const OUT = join(ROOT, "test-results");
mkdirSync(OUT, { recursive: true });
let atrium: Awaited<ReturnType<typeof startServer>>;
let museum: Server;
let museumUrl: string;
let browser: Browser;

const tea = JSON.parse(readFileSync(join(ROOT, "exhibitions", "tea-and-its-vessels.json"), "utf8")) as { placements: Record<string, { room: string; item: string }>; items: Record<string, { title: Record<string, string> }> };

beforeAll(async () => {
  atrium = await startServer();
  // The museum's own site: another origin (localhost, another port), its own strict CSP.
  museum = createServer((req, res) => {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.setHeader("content-security-policy", `default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline' ${atrium.url}; frame-src ${atrium.url}`);
    res.end(`<!doctype html><html lang="en"><head><title>A museum's page</title>
<script src="${atrium.url}/embed.js"></script></head>
<body style="margin:0;font-family:sans-serif"><h1 style="font-size:18px;margin:8px">Our tea collection, in 3D</h1>
<atrium-viewer id="show" exhibition="tea-and-its-vessels" lang="en" style="height:620px"></atrium-viewer>
<script>
  window.events = [];
  for (const type of ["ready", "artefact-opened", "artefact-closed", "step", "language"])
    document.addEventListener("atrium-" + type, (e) => window.events.push(e.detail));
</script></body></html>`);
  });
  await new Promise<void>((ok) => museum.listen(0, "127.0.0.1", ok));
  museumUrl = `http://localhost:${(museum.address() as AddressInfo).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((ok) => museum?.close(ok));
  await atrium?.close();
});

type Told = { type: string; placement?: string; step?: number; lang?: string; artefacts?: string[]; steps?: number; title?: string };
const events = (page: Page) => page.evaluate(() => (window as unknown as { events: Told[] }).events);
/** Waits until the page heard an event with these fields (a function, not a string: the museum's CSP forbids eval). */
const heard = (page: Page, want: Told) =>
  page.waitForFunction((w) => (window as unknown as { events: Told[] }).events.some((e) => Object.entries(w).every(([k, v]) => (e as Record<string, unknown>)[k] === v)), want, { timeout: 60_000 });

describe("the embeddable viewer", () => {
  it("shows a show in another site's page and is driven by its JS API: language, artefact, tour step", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
    try {
      await page.goto(museumUrl);
      await page.waitForFunction(() => (window as unknown as { events: Told[] }).events.some((e) => e.type === "ready"), null, { timeout: 150_000 });
      const ready = (await events(page)).find((e) => e.type === "ready")!;
      expect(ready.artefacts!.sort()).toEqual(Object.keys(tea.placements).sort());
      expect(ready.steps).toBeGreaterThan(1);
      const frame = page.frames().find((f) => f.url().includes("/embed/tea-and-its-vessels")) as Frame;
      expect(new URL(frame.url()).origin).toBe(atrium.url);
      expect(await frame.evaluate(() => document.querySelector(".hud-top .back")?.checkVisibility())).toBe(false);
      expect(await frame.locator(".open-in-atrium").getAttribute("target")).toBe("_blank");

      // Open an artefact in the second room: the viewer goes there and opens its close-up.
      const [placement, where] = Object.entries(tea.placements).find(([, p]) => p.room !== tea.placements[ready.artefacts![0]!]!.room)!;
      await page.evaluate((p) => (document.getElementById("show") as unknown as { openArtefact(p: string): void }).openArtefact(p), placement);
      await heard(page, { type: "artefact-opened", placement });
      expect((await events(page)).find((e) => e.type === "artefact-opened")!.title).toBe(tea.items[where.item]!.title.en);
      await frame.locator(".inspect-panel").waitFor();
      expect(await frame.locator(".inspect-panel h2").first().textContent()).toContain(tea.items[where.item]!.title.en);
      // The frame fills the element the page sized.
      expect(await page.evaluate(() => document.querySelector("iframe")!.getBoundingClientRect().height)).toBe(620);
      await page.waitForTimeout(500); // the framed page (another process) composited into the screenshot
      await page.screenshot({ path: join(OUT, "embed-artefact.png") });

      // Language: the frame's texts and lang change, and the page hears it.
      await page.evaluate(() => (document.getElementById("show") as unknown as { setLanguage(l: string): void }).setLanguage("zh-Hant"));
      await heard(page, { type: "language", lang: "zh-Hant" });
      await frame.waitForFunction(() => document.documentElement.lang === "zh-Hant");

      // A tour step.
      await page.evaluate(() => (document.getElementById("show") as unknown as { goToStep(n: number): void }).goToStep(1));
      await heard(page, { type: "step", step: 1 });
      await frame.locator(".tour-panel").waitFor();
      await page.screenshot({ path: join(OUT, "embed-tour.png") });

      // Forged and malformed: a message the page makes up as if from the viewer is not an event;
      // malformed commands sent to the frame change nothing.
      const before = (await events(page)).length;
      await page.evaluate(() => window.postMessage({ source: "atrium-embed", type: "artefact-opened", placement: "forged", title: "x" }, "*"));
      await page.evaluate((origin) => {
        const w = document.querySelector("iframe")!.contentWindow!;
        for (const bad of [{ source: "atrium-embed", type: "go-to-step", step: -3 }, { source: "atrium-embed", type: "go-to-step", step: 999 }, { source: "atrium-embed", type: "open-artefact", placement: "nope" }, { source: "atrium-embed", type: "set-language", lang: "xx" }, "junk", null])
          w.postMessage(bad, origin);
      }, atrium.url);
      await page.waitForTimeout(1000);
      expect((await events(page)).slice(before)).toEqual([]);
      expect(await frame.evaluate(() => document.documentElement.lang)).toBe("zh-Hant");
      expect(await frame.locator(".tour-panel").count()).toBe(1);
    } finally {
      await context.close();
    }
  }, 250_000);
});
