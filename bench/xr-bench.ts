import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { parseExhibition, roomsInOrder, type Exhibition } from "../src/shared/exhibition";
import { QUEST_BUDGET } from "../src/viewer/SceneProbe";
import { installXREmulator } from "../test/support/xr-emulator";

/** One room of a sample exhibition, on screen and in an emulated Quest 3 (both eyes). */
export interface XRResult {
  exhibition: string;
  room: string;
  drawCalls: number;
  triangles: number;
  /** The larger of draw calls ÷ 100 and triangles ÷ 400 k: under 1 is within the Quest budget. */
  budgetUse: number;
  frameRate: number | null;
  foveation: number | null;
  screenMs: number;
  vrMs: number;
  /** CPU of a VR frame (both eyes, controllers, panels) ÷ a screen frame of the same room, same run. */
  ratio: number;
}

const FRAMES = 40;
const VIEWPORT = { width: 960, height: 540 };
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The last `n` frame times after `after` more frames have been drawn. */
async function framesAfter(page: Page, after: number, n: number): Promise<number[]> {
  const start = await page.evaluate(() => window.atrium!.frameTimes().length);
  await page.waitForFunction(([s, k]) => window.atrium!.frameTimes().length >= Math.min(600, s! + k!), [start, after] as const, { timeout: 600_000, polling: 500 });
  return (await page.evaluate(() => window.atrium!.frameTimes())).slice(-n);
}

/** The sample exhibitions in `root/exhibitions`, parsed and validated, in file order. */
export function sampleExhibitions(root: string): Exhibition[] {
  return readdirSync(join(root, "exhibitions"))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const r = parseExhibition(JSON.parse(readFileSync(join(root, "exhibitions", f), "utf8")), f);
      if (!r.ok) throw r.error;
      return r.doc;
    });
}

/**
 * Every room of every sample exhibition, entered in VR through IWER (a Quest 3 drawing both
 * eyes) with the benchmark's own frame timing: draw calls and triangles against the Quest budget,
 * and the CPU cost of a VR frame as a ratio to a screen frame of the same room in the same page.
 */
export async function runXRBench(root: string, browser: Browser, baseUrl: string): Promise<XRResult[]> {
  const results: XRResult[] = [];
  for (const doc of sampleExhibitions(root)) {
    for (const [roomId] of roomsInOrder(doc)) {
      console.log(`[bench] xr ${doc.id} / ${roomId}`);
      const page = await browser.newPage({ viewport: VIEWPORT });
      await installXREmulator(page);
      await page.goto(`${baseUrl}/visit/${doc.id}?bench=1&lang=en&room=${roomId}`);
      await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 300_000 });
      const screen = await framesAfter(page, FRAMES + 10, FRAMES);
      await page.evaluate(() => ((window.xrDevice as unknown as { stereoEnabled: boolean }).stereoEnabled = true));
      await page.click("button[name=enter-vr]");
      await page.waitForFunction(() => ((window.atrium!.xr() as { inputs: unknown[] } | null)?.inputs.length ?? 0) === 2, null, { timeout: 120_000 });
      const vr = await framesAfter(page, FRAMES + 10, FRAMES);
      const stats = await page.evaluate(() => window.atrium!.stats());
      await page.close();
      const screenMs = median(screen);
      const vrMs = median(vr);
      results.push({
        exhibition: doc.id,
        room: roomId,
        drawCalls: stats.drawCalls,
        triangles: stats.triangles,
        budgetUse: Math.round(Math.max(stats.drawCalls / QUEST_BUDGET.drawCalls, stats.triangles / QUEST_BUDGET.triangles) * 100) / 100,
        frameRate: stats.xr.frameRate,
        foveation: stats.xr.foveation,
        screenMs: Math.round(screenMs * 1000) / 1000,
        vrMs: Math.round(vrMs * 1000) / 1000,
        ratio: Math.round((vrMs / screenMs) * 100) / 100,
      });
      console.log(`[bench]   ${JSON.stringify(results.at(-1))}`);
    }
  }
  return results;
}

export function xrTable(generated: string, results: XRResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.exhibition} / ${r.room} | ${r.drawCalls} | ${r.triangles.toLocaleString("en")} | **${r.budgetUse}** | ${r.frameRate ?? "n/a"} Hz, ${r.foveation ?? "n/a"} | ${r.screenMs} ms | ${r.vrMs} ms | **${r.ratio}×** |`,
  );
  return [
    `Measured ${generated.slice(0, 10)} with IWER emulating a Quest 3 (both eyes drawn) in headless Chromium on SwiftShader.`,
    "",
    "| exhibition / room | draw calls (both eyes) | triangles (both eyes) | budget use | display asked | screen frame CPU (median) | VR frame CPU (median) | VR ÷ screen |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
