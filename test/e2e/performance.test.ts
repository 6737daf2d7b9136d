import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { AnimationMixer, Euler, Vector3, type Object3D } from "three";
import { MeshoptDecoder } from "three/examples/jsm/libs/meshopt_decoder.module.js";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Exhibition, MotionAsset } from "../../src/shared/exhibition";
import { launchChromium } from "../support/browser";
import { ROOT, startServer } from "../support/server";

/**
 * A visitor plays the sample performance in Chromium: the figure's pose after scrubbing matches
 * the converted clip sampled independently in Node; slow motion, a loop range, the second take
 * and the hand's path all work from the timeline.
 */
const OUT = join(ROOT, "test-results");
const tea = JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")) as Exhibition;
const PID = "p-performance";
const placement = tea.placements[PID]!;
const asset = tea.items[placement.item]!.asset as MotionAsset;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;

/** The vector from the hips to the right hand at `t` in clip `clip`, sampled in Node, in room axes. */
async function expectedHand(clip: string, t: number): Promise<Vector3> {
  const bytes = readFileSync(join(ROOT, asset.src.replace(/^\//, "")));
  const gltf = await new GLTFLoader().setMeshoptDecoder(MeshoptDecoder).parseAsync(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, "");
  const mixer = new AnimationMixer(gltf.scene);
  mixer.clipAction(gltf.animations.find((a) => a.name === clip)!).play();
  mixer.setTime(t);
  gltf.scene.updateWorldMatrix(true, true);
  const at = (name: string) => (gltf.scene.getObjectByName(name) as Object3D).getWorldPosition(new Vector3());
  return at("rhand").sub(at("Hips")).applyEuler(new Euler(...placement.rotation));
}
/** Waits (SwiftShader frames can take a while) until the figure's hand is where `expected` says. */
async function handReaches(expected: Vector3): Promise<number> {
  await page
    .waitForFunction(
      ([id, e]) => {
        const hand = window.atrium!.performerJoint(id!, "rhand");
        const hips = window.atrium!.performerJoint(id!, "Hips");
        if (!hand || !hips) return false;
        return Math.hypot(hand[0] - hips[0] - e![0]!, hand[1] - hips[1] - e![1]!, hand[2] - hips[2] - e![2]!) < 0.01;
      },
      [PID, expected.toArray()] as const,
      { timeout: 15_000, polling: 100 },
    )
    .catch(() => {});
  return (await shownHand()).distanceTo(expected);
}
async function shownHand(): Promise<Vector3> {
  const [hand, hips] = await page.evaluate((id) => [window.atrium!.performerJoint(id, "rhand"), window.atrium!.performerJoint(id, "Hips")], PID);
  return new Vector3(...hand!).sub(new Vector3(...hips!));
}
const clockTime = async () => Number((await page.locator(".performance-timeline input[name=performance-scrub]").inputValue()));

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
  await page.goto(`${server.url}/visit/tea-and-its-vessels?lang=en`);
  await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
  await page.click('.room-nav button[data-room="brewing"]');
  await page.waitForFunction((id) => window.atrium!.artefactIds().includes(id), PID, { timeout: 60_000 });
  await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("a performance in the visitor view", () => {
  it("plays on arrival, and the timeline opens when the visitor clicks the figure", async () => {
    // Moving on its own (autoplay): the hand leaves where it was. A loaded machine may draw only a
    // frame or two a second just after arrival (shaders compiling), so wait for it, up to 15 s.
    const before = await shownHand();
    await page
      .waitForFunction(
        ([id, b]) => {
          const hand = window.atrium!.performerJoint(id!, "rhand");
          const hips = window.atrium!.performerJoint(id!, "Hips");
          return !!hand && !!hips && Math.hypot(hand[0] - hips[0] - b![0]!, hand[1] - hips[1] - b![1]!, hand[2] - hips[2] - b![2]!) > 0.005;
        },
        [PID, before.toArray()] as const,
        { timeout: 15_000, polling: 100 },
      )
      .catch(() => {});
    expect((await shownHand()).distanceTo(before)).toBeGreaterThan(0.005);
    const p = await page.evaluate((id) => window.atrium!.artefactScreenPoint(id), PID);
    await page.mouse.click(p!.x, p!.y);
    await page.locator(".performance-timeline button[name=performance-play]").waitFor({ timeout: 20_000 });
    expect(await page.locator(".inspect-panel .credit-line").textContent()).toContain("mocap.cs.cmu.edu");
  });

  it("poses the figure as the clip says at the scrubbed time", async () => {
    await page.click(".performance-timeline button[name=performance-play]"); // pause
    expect(await page.locator(".performance-timeline button[name=performance-play]").getAttribute("aria-pressed")).toBe("false");
    for (const t of [2, 6.5]) {
      await page.locator(".performance-timeline input[name=performance-scrub]").fill(String(t));
      expect(await handReaches(await expectedHand("131_01", t)), `at ${t} s`).toBeLessThan(0.01);
    }
    // The two times are different poses: the check above compared something that moves.
    expect((await expectedHand("131_01", 2)).distanceTo(await expectedHand("131_01", 6.5))).toBeGreaterThan(0.1);
  });

  it("slows to a quarter, loops a section, switches take and draws the hand's path", async () => {
    await page.locator(".performance-timeline input[name=performance-scrub]").fill("3");
    await page.click(".performance-timeline button[name=loop-from]");
    await page.locator(".performance-timeline input[name=performance-scrub]").fill("3.6");
    await page.click(".performance-timeline button[name=loop-to]");
    await page.locator(".performance-timeline .loop-band").waitFor();
    await page.selectOption(".performance-timeline select[name=performance-speed]", "0.25");
    await page.click(".performance-timeline button[name=performance-play]");
    // Sample the clock until it has wrapped back to the loop's start (at 0.25x the 0.6 s section
    // lasts 2.4 s; a loaded machine draws fewer frames, so sample for up to 30 s, not a fixed time).
    const seen: number[] = [];
    const until = Date.now() + 30_000;
    while (Date.now() < until && !(seen.length > 4 && seen.some((t, i) => i > 0 && t < seen[i - 1]!))) {
      await page.waitForTimeout(250);
      seen.push(await clockTime());
    }
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(2.99);
    expect(Math.max(...seen)).toBeLessThanOrEqual(3.61);
    expect(seen.some((t, i) => i > 0 && t < seen[i - 1]!)).toBe(true);
    const calls = (await page.evaluate(() => window.atrium!.stats())).drawCalls;
    await page.check(".performance-timeline input[name=performance-trail]");
    await page.waitForFunction((n) => window.atrium!.stats().drawCalls > n, calls, { timeout: 10_000, polling: 100 });
    await page.screenshot({ path: join(OUT, "performance-loop-trail.png") });
    await page.click(".performance-timeline button[name=loop-clear]");
    await page.selectOption(".performance-timeline select[name=performance-clip]", "131_02");
    await page.click(".performance-timeline button[name=performance-play]"); // pause
    await page.locator(".performance-timeline input[name=performance-scrub]").fill("9");
    expect(await handReaches(await expectedHand("131_02", 9))).toBeLessThan(0.01);
    expect(await page.locator(".performance-timeline .time").textContent()).toMatch(/\/ 0:10\.4$/);
  });
});
