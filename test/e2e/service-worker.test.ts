import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildVersion } from "../../scripts/finish-build";
import { cacheStrategy } from "../../src/sw/service-worker";
import { launchChromium } from "../support/browser";
import { ROOT, startServer } from "../support/server";

/**
 * The service worker (src/sw/service-worker.ts) in real Chromium against the real server: what a
 * class's second lesson on the same devices downloads, and what the worker must never keep.
 */
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
const reached: string[] = [];

beforeAll(async () => {
  server = await startServer();
  server.server.on("request", (req: IncomingMessage) => reached.push(req.url ?? ""));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const sceneReady = (page: Page) => page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });

describe("the service worker", () => {
  it("serves a second visit's app, decoders and models from its cache: only the page and the live document reach the server", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
    await page.goto(`${server.url}/visit/tea-and-its-vessels?lang=en`);
    await sceneReady(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    const firstVisit = reached.filter((u) => u.startsWith("/models/"));
    expect(firstVisit.length).toBeGreaterThanOrEqual(4); // the room's four models, preloaded or asked
    // Each asked for by its content version (cacheable for good), and once: the page's preload
    // and the viewer's download are the same URL.
    for (const u of firstVisit) expect(u).toMatch(/\?v=[A-Za-z0-9_-]{12}$/);
    expect(new Set(firstVisit).size).toBe(firstVisit.length);
    // The worker adopts what the page fetched before it was in control (the app, the models).
    await page.waitForFunction(
      async () => {
        const urls: string[] = [];
        for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
        return urls.some((u) => u.startsWith("/assets/index-")) && urls.filter((u) => u.startsWith("/models/tea/")).length >= 4;
      },
      null,
      { timeout: 30_000, polling: 250 },
    );
    // Empty the browser's HTTP cache: whatever does not reach the server now came from the worker.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.clearBrowserCache");
    reached.length = 0;
    await page.reload();
    await sceneReady(page);
    expect(reached.filter((u) => /^\/(assets|models|vendor)\//.test(u))).toEqual([]);
    expect(reached.some((u) => u.startsWith("/visit/tea-and-its-vessels"))).toBe(true); // the page: network first
    expect(reached.some((u) => u.startsWith("/api/exhibitions/tea-and-its-vessels"))).toBe(true); // live, never kept
    const kept = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const name of names) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
      return { names, urls };
    });
    expect(kept.names).toHaveLength(1);
    expect(kept.urls.some((u) => u.startsWith("/models/tea/"))).toBe(true);
    expect(kept.urls.filter((u) => u.startsWith("/api/") || u.startsWith("/uploads/"))).toEqual([]);

    // Offline (the school's link dropped): the page still opens from the worker's copy and says
    // what is missing, instead of the browser's error page.
    await context.setOffline(true);
    await page.reload();
    await page.getByText(/Could not reach the server/).waitFor({ timeout: 30_000 });
    await context.close();
  });

  it("keeps only what changes with a build; never the API, uploads or live connections", () => {
    for (const path of ["/assets/index-abc123.js", "/models/tea/tenmoku-bowl.glb", "/vendor/draco/draco_decoder.wasm", "/favicon.svg"]) expect(cacheStrategy(path, "cors")).toBe("cache-first");
    expect(cacheStrategy("/visit/tea-and-its-vessels", "navigate")).toBe("network-first");
    for (const path of ["/api/exhibitions/tea", "/api/sessions", "/uploads/u/abc/model.glb", "/sync/tea", "/class/abc"]) {
      expect(cacheStrategy(path, "cors")).toBeNull();
      expect(cacheStrategy(path, "navigate")).toBeNull();
    }
    expect(cacheStrategy("/api/openapi.json", "navigate")).toBeNull();
  });

  it("names its cache after the build: a changed model starts a new cache", () => {
    const root = mkdtempSync(join(tmpdir(), "atrium-build-"));
    cpSync(join(ROOT, "models", "tea"), join(root, "models", "tea"), { recursive: true });
    cpSync(join(ROOT, "dist", "vendor"), join(root, "dist", "vendor"), { recursive: true });
    copyFileSync(join(ROOT, "dist", "index.html"), join(root, "dist", "index.html"));
    const before = buildVersion(root);
    expect(buildVersion(root)).toBe(before);
    const bowl = join(root, "models", "tea", "tenmoku-bowl.glb");
    const bytes = readFileSync(bowl);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    writeFileSync(bowl, bytes);
    expect(buildVersion(root)).not.toBe(before);
    // The built worker carries its version.
    expect(readFileSync(join(ROOT, "dist", "sw.js"), "utf8")).toContain(`"${buildVersion(ROOT)}"`);
  });
});
