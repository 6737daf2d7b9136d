import type { Browser } from "playwright-core";
import { launchChromium } from "../test/support/browser";

/** The school link the target is set for: 10 Mbit/s down, 40 ms round trip (issue 24). */
export const LINK = { downBitsPerSecond: 10_000_000, upBitsPerSecond: 5_000_000, rttMs: 40 } as const;

export interface FirstRoomResult {
  exhibition: string;
  /** First contentful paint (the page's own text and buttons), ms from navigation. */
  firstPaintMs: number;
  /** The 3D view drew its first frame (`window.atrium` published), ms. */
  firstFrameMs: number;
  /** Every artefact of the first room shown at its walking tier (`sceneReady`), ms. */
  roomReadyMs: number;
  /** Bytes the server sent (compressed, as on the wire: HTTP and the sync socket) until the room was ready. */
  bytes: number;
  /** What the link allows at best: those bytes at 10 Mbit/s, plus one round trip. */
  physicalLimitMs: number;
  /** roomReadyMs ÷ physicalLimitMs (target ≤ 1.3). */
  ratio: number;
  /** The same visitor opening the page again (a class's second lesson): time to the ready room, ms. */
  secondVisitMs: number;
  /** Bytes transferred on that second visit (what HTTP caching did not spare). */
  secondVisitBytes: number;
}

/**
 * Time to a usable first room for a first-time visitor (empty cache) on a throttled school link,
 * with Chromium's own network emulation (DevTools protocol), for each exhibition given. The page
 * renders on SwiftShader on this machine's CPU, so decoding and shader compilation count too, as
 * they would on a slow device.
 */
export async function runFirstRoomBench(baseUrl: string, exhibitions: string[], bytesSent: () => number): Promise<FirstRoomResult[]> {
  const browser: Browser = await launchChromium();
  const out: FirstRoomResult[] = [];
  try {
    for (const id of exhibitions) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      // A fresh context: an empty cache, as on a first visit (kept for the second visit).
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: LINK.rttMs,
        downloadThroughput: LINK.downBitsPerSecond / 8,
        uploadThroughput: LINK.upBitsPerSecond / 8,
      });
      const visit = async () => {
        await page.goto(`${baseUrl}/visit/${id}?lang=en`, { timeout: 300_000 });
        await page.waitForFunction(() => window.atrium !== undefined, null, { timeout: 300_000, polling: 20 });
        const firstFrameMs = await page.evaluate(() => performance.now());
        await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 300_000, polling: 20 });
        return { firstFrameMs, roomReadyMs: await page.evaluate(() => performance.now()) };
      };
      console.log(`[bench] first room over ${LINK.downBitsPerSecond / 1e6} Mbit/s: ${id}`);
      let start = bytesSent();
      const { firstFrameMs, roomReadyMs } = await visit();
      const firstBytes = bytesSent() - start;
      const firstPaintMs = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN);
      // The service worker has had the page's load event to install; the next lesson comes later.
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 30_000 }).catch(() => console.log("[bench]   (no service worker in control)"));
      start = bytesSent();
      const second = await visit();
      const secondBytes = bytesSent() - start;
      const physicalLimitMs = (firstBytes * 8 * 1000) / LINK.downBitsPerSecond + LINK.rttMs;
      const r: FirstRoomResult = {
        exhibition: id,
        firstPaintMs: Math.round(firstPaintMs),
        firstFrameMs: Math.round(firstFrameMs),
        roomReadyMs: Math.round(roomReadyMs),
        bytes: firstBytes,
        physicalLimitMs: Math.round(physicalLimitMs),
        ratio: +(roomReadyMs / physicalLimitMs).toFixed(2),
        secondVisitMs: Math.round(second.roomReadyMs),
        secondVisitBytes: secondBytes,
      };
      console.log(`[bench]   ${JSON.stringify(r)}`);
      out.push(r);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return out;
}
