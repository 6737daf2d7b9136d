import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { Quaternion, Vector3 } from "three";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Exhibition } from "../../src/shared/exhibition";
import type { XRProbeState } from "../../src/xr/xr-probe";
import { launchChromium } from "../support/browser";
import { wav } from "../support/audio";
import { ROOT, startServer } from "../support/server";
import { installXREmulator } from "../support/xr-emulator";
import { aim, bothEyes as bothEyesAt, centreOf, frames, holdAt, look, press, probe } from "../support/xr-driver";

const bothEyes = (page: Page, file: string) => bothEyesAt(page, join(OUT, file));

/**
 * WebXR in headless Chromium with Meta's IWER emulating a Quest 3 (forced over Chromium's stub
 * `navigator.xr`): a visitor enters VR, stands at eye height, teleports and snap-turns with the
 * controllers, selects an artefact and reads its label panel (in two languages), hears its audio
 * guide from where it stands, holds and turns it and sees it go back to its plinth, follows the
 * tour with the controller buttons, and sits down. On the AR side, an artefact is placed on a
 * surface of IWER's synthetic office by hit-testing, at the size its record gives.
 */
const OUT = join(ROOT, "test-results");
const SHOW = JSON.parse(readFileSync(join(ROOT, "exhibitions/bone-and-clay.json"), "utf8")) as Exhibition;
const GUIDE_URL = "/models/audio-test/cranium-guide.wav";
/** The guide's one caption (zh-Hant, the page's language), shown on the label panel while it plays. */
const GUIDE_CAPTION = "這是鯨魚頭骨的語音導覽。";
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;


/**
 * The sample shows, with an audio guide on the whale cranium, served from a models folder that
 * links the real model folders and adds the recording.
 */
function showWithAudioGuide(): { exhibitionsDir: string; modelsDir: string } {
  const base = mkdtempSync(join(tmpdir(), "atrium-xr-"));
  const modelsDir = join(base, "models");
  mkdirSync(join(modelsDir, "audio-test"), { recursive: true });
  for (const entry of readdirSync(join(ROOT, "models"))) symlinkSync(join(ROOT, "models", entry), join(modelsDir, entry));
  writeFileSync(join(modelsDir, "audio-test/cranium-guide.wav"), wav(30)); // long enough not to end mid-test
  const exhibitionsDir = join(base, "exhibitions");
  mkdirSync(exhibitionsDir);
  for (const f of readdirSync(join(ROOT, "exhibitions"))) symlinkSync(join(ROOT, "exhibitions", f), join(exhibitionsDir, f));
  rmSync(join(exhibitionsDir, "bone-and-clay.json"));
  const show = structuredClone(SHOW);
  show.items["whale-cranium"]!.audioGuide = { en: GUIDE_URL, "zh-Hant": GUIDE_URL };
  show.items["whale-cranium"]!.audioCaptions = { "zh-Hant": `WEBVTT\n\n00:00.000 --> 00:30.000\n${GUIDE_CAPTION}\n` };
  writeFileSync(join(exhibitionsDir, "bone-and-clay.json"), JSON.stringify(show));
  return { exhibitionsDir, modelsDir };
}

/** A fresh page with IWER installed (a Quest 3; with `ar`, its synthetic office), showing `path` once its room is ready. */
async function openVisit(path: string, options: { ar?: boolean } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 960, height: 540 }, locale: "en-US" });
  page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
  await installXREmulator(page, options);
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
  return page;
}

beforeAll(async () => {
  server = await startServer(showWithAudioGuide());
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("a visitor in a VR headset (IWER, Quest 3)", () => {
  let page: Page;
  beforeAll(async () => {
    page = await openVisit("/visit/bone-and-clay?lang=en");
  });
  afterAll(async () => {
    await page?.close();
  });

  it("offers Enter VR, and enters at standing eye height where the visitor stood, at 90 Hz with foveation", async () => {
    const before = await page.evaluate(() => window.atrium!.cameraPosition());
    await page.click("button[name=enter-vr]");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState | null)?.inputs.length === 2, null, { timeout: 60_000 });
    await frames(page, 5);
    const camera = await page.evaluate(() => window.atrium!.cameraPosition());
    expect(camera[1]).toBeGreaterThan(1.5);
    expect(camera[1]).toBeLessThan(1.75);
    expect(Math.hypot(camera[0] - before[0], camera[2] - before[2])).toBeLessThan(0.1);
    const stats = await page.evaluate(() => window.atrium!.stats());
    expect(stats.xr).toEqual({ presenting: true, frameRate: 90, foveation: 0.5, multiview: false });
    expect(stats.budget.within).toBe(true);
    expect((await probe(page)).inputs.map((i) => i.profiles[0])).toEqual(["meta-quest-touch-plus", "meta-quest-touch-plus"]);
    // The 2D page's buttons are gone while the headset shows the room.
    expect(await page.locator("button[name=enter-vr]").count()).toBe(0);
  });

  it("teleports to the floor point the controller's ray selects, with the comfort fade", async () => {
    const before = await probe(page);
    const target: [number, number, number] = [before.headWorld.x + 0.4, 0, before.headWorld.z - 2.2];
    await aim(page, "right", [0.2, 1.1, -0.2], target);
    await press(page, "right", "trigger");
    await page.waitForFunction((m) => (window.atrium!.xr() as XRProbeState).moves > m, before.moves, { timeout: 20_000, polling: 50 });
    await frames(page, 2);
    const after = await probe(page);
    expect(after.lastTeleport.ok).toBe(true);
    expect(Math.hypot(after.lastTeleport.x - target[0], after.lastTeleport.z - target[2])).toBeLessThan(0.02); // where the ray met the floor
    expect(Math.hypot(after.headWorld.x - target[0], after.headWorld.z - target[2])).toBeLessThan(0.02);
    expect(after.headWorld.yaw).toBeCloseTo(before.headWorld.yaw, 5); // a teleport never turns the visitor
    const camera = await page.evaluate(() => window.atrium!.cameraPosition());
    expect(Math.hypot(camera[0] - after.headWorld.x, camera[2] - after.headWorld.z)).toBeLessThan(0.05);
  });

  it("snap-turns 30 degrees once per push of the right stick, about the head", async () => {
    const before = await probe(page);
    await page.evaluate(() => window.xrDevice!.controllers.right.updateAxes("thumbstick", 1, 0));
    await frames(page, 6); // held over several frames: still one turn
    await page.evaluate(() => window.xrDevice!.controllers.right.updateAxes("thumbstick", 0, 0));
    await frames(page, 3);
    const after = await probe(page);
    const turned = Math.atan2(Math.sin(after.origin.yaw - before.origin.yaw), Math.cos(after.origin.yaw - before.origin.yaw));
    expect(turned).toBeCloseTo(-Math.PI / 6, 5); // stick right turns right
    expect(Math.hypot(after.headWorld.x - before.headWorld.x, after.headWorld.z - before.headWorld.z)).toBeLessThan(0.001);
  });

  it("selects an artefact with the ray and shows its label panel, in the visitor's language", async () => {
    await aim(page, "right", [0.2, 1.3, -0.2], await centreOf(page, "p-cranium"));
    await press(page, "right", "trigger");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).panels.includes("vr-label:p-cranium"), null, { timeout: 20_000 });
    const panel = await page.evaluate(() => window.atrium!.xrPanel("vr-label:p-cranium"));
    expect(panel!.text[0]).toBe("Pilot whale skull (cranium)");
    expect(panel!.text.some((t) => t.includes("CC0"))).toBe(true); // the credit line is on the panel
    expect(Object.keys(panel!.buttons)).toEqual(["audio", "close"]);
    const panelAt = await page.evaluate(() => window.atrium!.xrPanel("vr-label:p-cranium"));
    await look(page, panelAt!.buttons.close!.map((v, i) => (i === 1 ? v + 0.2 : v)) as [number, number, number]);
    await bothEyes(page, "xr-vr-label-panel.png");
    await look(page, null);

    // The menu (left X) switches the language; the open label follows.
    await press(page, "left", "x-button");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).panels.includes("vr-menu"), null, { timeout: 20_000 });
    const menu = await page.evaluate(() => window.atrium!.xrPanel("vr-menu"));
    await aim(page, "right", [0.2, 1.2, -0.2], menu!.buttons.language!);
    await press(page, "right", "trigger");
    await page.waitForFunction(() => window.atrium!.xrPanel("vr-label:p-cranium")?.text[0] === "長肢領航鯨頭骨（顱骨）", null, { timeout: 20_000 });
    await press(page, "left", "x-button"); // close the menu
  });

  it("plays the audio guide from the artefact itself", async () => {
    const panel = await page.evaluate(() => window.atrium!.xrPanel("vr-label:p-cranium"));
    await aim(page, "right", [0.2, 1.2, -0.2], panel!.buttons.audio!);
    await press(page, "right", "trigger");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).audio?.playing === true, null, { timeout: 20_000 });
    const audio = (await probe(page)).audio!;
    expect(audio.src).toBe(GUIDE_URL);
    const centre = await centreOf(page, "p-cranium");
    expect(Math.hypot(audio.position[0] - centre[0], audio.position[1] - centre[1], audio.position[2] - centre[2])).toBeLessThan(0.05);
    // Its caption is on the label panel while it plays.
    await page.waitForFunction((c) => window.atrium!.xrPanel("vr-label:p-cranium")?.text.includes(c) ?? false, GUIDE_CAPTION, { timeout: 20_000 });
    // Stop, then play again: the second time plays too (the shared audio context is not left suspended).
    await press(page, "right", "trigger");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).audio === null, null, { timeout: 20_000 });
    expect((await page.evaluate(() => window.atrium!.xrPanel("vr-label:p-cranium")))!.text).not.toContain(GUIDE_CAPTION);
    await press(page, "right", "trigger");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).audio?.playing === true, null, { timeout: 20_000 });
  });

  it("holds an artefact with a squeezed controller, turns it, and lets it glide back to its plinth", async () => {
    const home = await page.evaluate(() => window.atrium!.artefactPose("p-cranium"));
    const centre = await centreOf(page, "p-cranium");
    await holdAt(page, "left", centre);
    await page.evaluate(() => window.xrDevice!.controllers.left.updateButtonValue("squeeze", 1));
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).held === "p-cranium", null, { timeout: 20_000 });
    // Lift it 25 cm and turn the hand a quarter turn: the artefact goes with the hand.
    await holdAt(page, "left", [centre[0], centre[1] + 0.25, centre[2]], Math.PI / 2);
    await frames(page, 3);
    const held = await page.evaluate(() => window.atrium!.artefactPose("p-cranium"));
    expect(held!.position[1] - home!.position[1]).toBeCloseTo(0.25, 2);
    const turn = new Quaternion(...home!.quaternion).angleTo(new Quaternion(...held!.quaternion));
    expect(turn).toBeCloseTo(Math.PI / 2, 2);
    expect(held!.size.map((v, i) => v / home!.size[i]!).every((r) => r > 0.5)).toBe(true); // same object, not rescaled away
    await bothEyes(page, "xr-vr-holding.png");
    await page.evaluate(() => window.xrDevice!.controllers.left.updateButtonValue("squeeze", 0));
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).held === null, null, { timeout: 20_000 });
    const back = await page.evaluate(() => window.atrium!.artefactPose("p-cranium"));
    for (let i = 0; i < 3; i++) expect(back!.position[i]).toBeCloseTo(home!.position[i]!, 4);
    expect(new Quaternion(...home!.quaternion).angleTo(new Quaternion(...back!.quaternion))).toBeLessThan(1e-4);
  });

  it("follows the tour with the A button: each step moves the visitor (they allowed it) and shows its text", async () => {
    await press(page, "right", "trigger"); // nothing under the ray now: harmless
    await press(page, "right", "a-button");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).panels.includes("vr-tour:j1"), null, { timeout: 20_000 });
    await press(page, "right", "a-button");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).panels.includes("vr-tour:j2"), null, { timeout: 20_000 });
    await page.waitForFunction(() => !(window.atrium!.xr() as XRProbeState).fading, null, { timeout: 20_000 });
    const step = SHOW.tour[1]!;
    const at = await probe(page);
    expect(Math.hypot(at.headWorld.x - step.camera.position[0], at.headWorld.z - step.camera.position[2])).toBeLessThan(0.02);
    const tourPanel = await page.evaluate(() => window.atrium!.xrPanel("vr-tour:j2"));
    expect(tourPanel!.text[1]).toBe(step.text["zh-Hant"]);
    await bothEyes(page, "xr-vr-tour.png");
  });

  it("lifts a seated visitor to a standing eye height", async () => {
    await page.evaluate(() => window.xrDevice!.position.set(0, 1.15, 0)); // sitting down
    await frames(page, 4);
    await press(page, "left", "x-button");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).panels.includes("vr-menu"), null, { timeout: 20_000 });
    const menu = await page.evaluate(() => window.atrium!.xrPanel("vr-menu"));
    await aim(page, "right", [0.2, 0.9, -0.2], menu!.buttons.seated!);
    await press(page, "right", "trigger");
    await frames(page, 4);
    const camera = await page.evaluate(() => window.atrium!.cameraPosition());
    expect(camera[1]).toBeCloseTo(1.6, 1);
    await press(page, "left", "x-button"); // close the menu
  });

  it("works with tracked hands: a pinch at the floor teleports, a pinch at an artefact selects it", async () => {
    await page.evaluate(() => {
      window.xrDevice!.primaryInputMode = "hand";
    });
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).inputs.filter((i) => i.type === "hand").length === 2, null, { timeout: 60_000 });
    // Hands are drawn with the vendored generic hand, whatever the headset calls them (IWER: oculus-hand).
    expect((await probe(page)).inputs.every((i) => i.profiles.includes("generic-hand"))).toBe(true);
    const before = await probe(page);
    const target: [number, number, number] = [before.headWorld.x - 0.3, 0, before.headWorld.z + 1.2];
    await aim(page, "right", [0.2, 1.1, -0.2], target, "hands");
    await press(page, "right", "pinch");
    await page.waitForFunction((m) => (window.atrium!.xr() as XRProbeState).moves > m, before.moves, { timeout: 20_000, polling: 50 });
    await page.waitForFunction(() => !(window.atrium!.xr() as XRProbeState).fading, null, { timeout: 20_000 });
    const after = await probe(page);
    expect(Math.hypot(after.headWorld.x - target[0], after.headWorld.z - target[2])).toBeLessThan(0.03);
    await aim(page, "right", [0.2, 1.3, -0.2], await centreOf(page, "p-mandible"), "hands");
    await press(page, "right", "pinch");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).panels.includes("vr-label:p-mandible"), null, { timeout: 20_000 });
  });
});

describe("an artefact placed in AR (IWER synthetic office)", () => {
  let page: Page;
  beforeAll(async () => {
    page = await openVisit("/visit/bone-and-clay?lang=en&room=clay", { ar: true });
  });
  afterAll(async () => {
    await page?.close();
  });

  it("puts the teapot on a surface at the height its record gives, facing the viewer, and turns it by dragging", async () => {
    const p = await page.evaluate(() => window.atrium!.artefactScreenPoint("p-teapot"));
    await page.mouse.click(p!.x, p!.y);
    await page.locator("button[name=view-in-ar]").click({ timeout: 20_000 });
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState | null)?.mode === "immersive-ar", null, { timeout: 60_000 });
    // Look down at the floor in front, then wait for the hit test to find it.
    await page.evaluate(() => window.xrDevice!.quaternion.set(-0.5, 0, 0, 0.866));
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).ar.surface, null, { timeout: 60_000 });
    await page.evaluate(() => window.xrDevice!.controllers.right.updateButtonValue("trigger", 1));
    await page.waitForTimeout(300);
    await page.evaluate(() => window.xrDevice!.controllers.right.updateButtonValue("trigger", 0));
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).ar.placed, null, { timeout: 20_000 });
    const ar = (await probe(page)).ar;
    expect(ar.placement).toBe("p-teapot");
    expect(ar.height).toBeCloseTo(0.079, 3); // 7.9 cm, from the record, not the model's own units
    const viewer = await page.evaluate(() => window.atrium!.cameraPosition());
    expect(ar.position[1]).toBeLessThan(viewer[1] - 0.3); // on a surface below the eyes
    await page.screenshot({ path: join(OUT, "xr-ar-placed.png") });
    // The label over the camera view names it and credits it.
    expect(await page.locator(".ar-label strong").textContent()).toBe("Teapot");
    expect(await page.locator(".ar-label small").textContent()).toContain("CC0");

    // A sideways drag (the pointer turns 0.2 rad while pressed) turns it about its own vertical
    // by four times that, where it stands; it is not moved.
    await page.evaluate(() => window.xrDevice!.controllers.right.quaternion.set(0, 0, 0, 1));
    await page.waitForTimeout(400);
    await page.evaluate(() => window.xrDevice!.controllers.right.updateButtonValue("trigger", 1));
    await page.waitForTimeout(400);
    await page.evaluate(() => window.xrDevice!.controllers.right.quaternion.set(0, Math.sin(-0.1), 0, Math.cos(-0.1)));
    await page.waitForFunction((y) => Math.abs((window.atrium!.xr() as XRProbeState).ar.yaw - y) > 0.5, ar.yaw, { timeout: 20_000 });
    await page.waitForTimeout(400);
    await page.evaluate(() => window.xrDevice!.controllers.right.updateButtonValue("trigger", 0));
    await page.waitForTimeout(600);
    const turned = (await probe(page)).ar;
    expect(Math.atan2(Math.sin(turned.yaw - ar.yaw), Math.cos(turned.yaw - ar.yaw))).toBeCloseTo(-0.8, 1);
    expect(turned.position).toEqual(ar.position);
  });
});

describe("a performance in VR (issue 6)", () => {
  let page: Page;
  beforeAll(async () => {
    page = await openVisit("/visit/tea-and-its-vessels?lang=en&room=brewing");
  });
  afterAll(async () => {
    await page?.close();
  });

  it("stands at life size, and its label panel plays, slows, pauses and loops a section", async () => {
    await page.click("button[name=enter-vr]");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState | null)?.inputs.length === 2, null, { timeout: 60_000 });
    // Life size: the captured performer's head is at a standing person's height above the stage.
    const head = await page.evaluate(() => window.atrium!.performerJoint("p-performance", "Head"));
    expect(head![1]).toBeGreaterThan(1.0); // figure height 1.37 m, on a low stage
    expect(head![1]).toBeLessThan(2.0);
    await aim(page, "right", [0.2, 1.3, -0.2], await centreOf(page, "p-performance"));
    await press(page, "right", "trigger");
    await page.waitForFunction(() => (window.atrium!.xr() as XRProbeState).panels.includes("vr-label:p-performance"), null, { timeout: 20_000 });
    let panel = await page.evaluate(() => window.atrium!.xrPanel("vr-label:p-performance"));
    expect(Object.keys(panel!.buttons)).toEqual(["play", "slower", "faster", "close", "loop-from", "loop-to", "loop-clear"]);
    expect(panel!.text.at(-1)).toMatch(/· 1×$/);
    await aim(page, "right", [0.2, 1.2, -0.2], panel!.buttons.slower!);
    await press(page, "right", "trigger");
    await page.waitForFunction(() => /· 0\.5×$/.test(window.atrium!.xrPanel("vr-label:p-performance")!.text.at(-1) ?? ""), null, { timeout: 20_000 });
    panel = await page.evaluate(() => window.atrium!.xrPanel("vr-label:p-performance"));
    await aim(page, "right", [0.2, 1.2, -0.2], panel!.buttons.play!);
    await press(page, "right", "trigger");
    // Paused: the figure holds its pose.
    await frames(page, 3);
    const a = await page.evaluate(() => window.atrium!.performerJoint("p-performance", "rhand"));
    await frames(page, 5);
    const b = await page.evaluate(() => window.atrium!.performerJoint("p-performance", "rhand"));
    expect(Math.hypot(a![0] - b![0], a![1] - b![1], a![2] - b![2])).toBeLessThan(1e-6);

    // A loop range from the panel's second row, as on the 2D timeline: from here, play on, to here.
    const status = async () => {
      const line = (await page.evaluate(() => window.atrium!.xrPanel("vr-label:p-performance")!.text.at(-1) ?? ""))!;
      const s = (m: string, sec: string) => Number(m) * 60 + Number(sec);
      const at = /(\d+):(\d+\.\d) \//.exec(line)!;
      const range = /\((\d+):(\d+\.\d)–(\d+):(\d+\.\d)\)/.exec(line);
      return { time: s(at[1]!, at[2]!), loop: range ? [s(range[1]!, range[2]!), s(range[3]!, range[4]!)] : null };
    };
    const select = async (button: string) => {
      await aim(page, "right", [0.2, 1.2, -0.2], panel!.buttons[button]!);
      await press(page, "right", "trigger");
    };
    await page.waitForTimeout(300); // the panel shows the clock's time 4 times a second
    let from = (await status()).time;
    if (from > 7) {
      // Too near the end of the 8.3 s take to play on 0.4 s: let it wrap round to its start first.
      await select("play");
      await page.waitForFunction(() => Number(/:(\d+\.\d) \//.exec(window.atrium!.xrPanel("vr-label:p-performance")!.text.at(-1) ?? "")?.[1] ?? 9) < 3, null, { timeout: 60_000, polling: 100 });
      await select("play");
      await page.waitForTimeout(300);
      from = (await status()).time;
    }
    await select("loop-from");
    await page.waitForFunction(() => /\(\d+:\d+\.\d–/.test(window.atrium!.xrPanel("vr-label:p-performance")!.text.at(-1) ?? ""), null, { timeout: 20_000 });
    expect((await status()).loop).toEqual([from, expect.any(Number)]);
    await select("play");
    await page.waitForFunction((f) => {
      const m = /(\d+):(\d+\.\d) \//.exec(window.atrium!.xrPanel("vr-label:p-performance")!.text.at(-1) ?? "");
      return !!m && Number(m[1]) * 60 + Number(m[2]) >= f + 0.4;
    }, from, { timeout: 60_000, polling: 100 });
    await select("loop-to");
    await page.waitForFunction(() => /\(\d+:\d+\.\d–\d+:\d+\.\d\)/.test(window.atrium!.xrPanel("vr-label:p-performance")!.text.at(-1) ?? "") && !/–0:08\.3\)/.test(window.atrium!.xrPanel("vr-label:p-performance")!.text.at(-1) ?? ""), null, { timeout: 20_000 });
    const { loop } = await status();
    expect(loop![0]).toBe(from);
    expect(loop![1]).toBeGreaterThanOrEqual(from + 0.3);
    // Playing on inside the range: every reading of the clock lies within it (0.1 s display steps).
    for (let i = 0; i < 8; i++) {
      await frames(page, 3);
      const { time } = await status();
      expect(time).toBeGreaterThanOrEqual(loop![0]! - 0.05);
      expect(time).toBeLessThanOrEqual(loop![1]! + 0.05);
    }
    await select("loop-clear");
    await page.waitForFunction(() => !/\(\d+:\d+\.\d–/.test(window.atrium!.xrPanel("vr-label:p-performance")!.text.at(-1) ?? ""), null, { timeout: 20_000 });
    await select("play"); // pause for the pictures
    await look(page, (await centreOf(page, "p-performance")) as [number, number, number]);
    await bothEyes(page, "xr-vr-performance.png");
    // The panel close up (the visitor steps to 0.7 m from it): both rows of buttons readable.
    const spots = Object.values(panel!.buttons);
    const centre = [0, 1, 2].map((k) => spots.reduce((n, p) => n + p[k]!, 0) / spots.length) as [number, number, number];
    const seen = await probe(page);
    const local = new Vector3(centre[0] - seen.origin.x, centre[1] - seen.origin.y, centre[2] - seen.origin.z).applyAxisAngle(new Vector3(0, 1, 0), -seen.origin.yaw);
    const away = new Vector3(seen.head.x - local.x, 0, seen.head.z - local.z).normalize().multiplyScalar(0.7);
    await page.evaluate(([x, z]) => window.xrDevice!.position.set(x!, 1.8, z!), [local.x + away.x, local.z + away.z]); // above the nearby plinth
    await frames(page, 3);
    await look(page, [centre[0], centre[1] + 0.1, centre[2]]);
    await bothEyes(page, "xr-vr-performance-panel.png");
  });
});
