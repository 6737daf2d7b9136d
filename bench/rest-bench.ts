/**
 * Rest-when-still benchmark: what a gallery page left open and untouched costs the machine, with
 * the view resting when still (`src/viewer/frame-rest.ts`) next to drawing every frame (`?bench=1`,
 * which keeps the frame loop running, as every page did before), in the same run, same browser,
 * same room. Measured as the CPU time of all of Chromium's processes (the software renderer draws
 * in the GPU process) over a window after the room is ready, and the frames drawn in it.
 */
import { readFileSync, readdirSync } from "node:fs";
import { launchChromium } from "../test/support/browser";
import { startServer } from "../test/support/server";

export interface RestResult {
  seconds: number;
  /** Chromium's CPU while the page is untouched, in cores (1 = one core busy all the time). */
  cores: { rest: number; always: number; ratio: number };
  /** Frames drawn per second in the same window. */
  fps: { rest: number; always: number };
}

/** Chromium's CPU time so far (s), all its processes. */
function chromiumCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("chromium")) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(stat[11]) + Number(stat[12]);
    } catch {
      // the process ended between listing and reading
    }
  }
  return ticks / 100; // USER_HZ
}

export async function runRestBench(): Promise<RestResult> {
  const SECONDS = 10;
  const server = await startServer();
  const browser = await launchChromium();
  const measure = async (query: string) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    await page.goto(`${server.url}/visit/tea-and-its-vessels?lang=en${query}`);
    await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 300_000 });
    await page.waitForTimeout(4000); // past the wake of loading (frame-rest's REST_AFTER_MS)
    const frames0 = await page.evaluate(() => window.atrium!.rest().frames);
    const cpu0 = chromiumCpuSeconds();
    await page.waitForTimeout(SECONDS * 1000);
    const cpu1 = chromiumCpuSeconds();
    const frames1 = await page.evaluate(() => window.atrium!.rest().frames);
    await page.close();
    return { cores: (cpu1 - cpu0) / SECONDS, fps: (frames1 - frames0) / SECONDS };
  };
  try {
    console.log("[bench] an untouched gallery page: resting when still, and drawing every frame");
    const always = await measure("&bench=1");
    const rest = await measure("");
    return {
      seconds: SECONDS,
      cores: { rest: +rest.cores.toFixed(2), always: +always.cores.toFixed(2), ratio: +(rest.cores / always.cores).toFixed(2) },
      fps: { rest: +rest.fps.toFixed(2), always: +always.fps.toFixed(2) },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

export function restTable(at: string, machine: { cpus?: number }, r: RestResult): string {
  return [
    `Measured ${at.slice(0, 10)}: one gallery page (the tea show's first room, 1280 × 800, Chromium drawing WebGL in software on ${machine.cpus} cores), left untouched for ${r.seconds} s after its room was ready and the wake of loading had passed; Chromium's CPU (all its processes), the same page drawing every frame (\`?bench=1\`) as the baseline in the same run.`,
    "",
    "| untouched page | resting when still | drawing every frame | ratio |",
    "|---|---|---|---|",
    `| Chromium's CPU | ${r.cores.rest} cores | ${r.cores.always} cores | **${r.cores.ratio}×** |`,
    `| frames drawn | ${r.fps.rest} a second (heartbeat) | ${r.fps.always} a second | |`,
  ].join("\n");
}
