import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { AnimationMixer, Vector3, type Object3D } from "three";
import { MeshoptDecoder } from "three/examples/jsm/libs/meshopt_decoder.module.js";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Exhibition } from "../../src/shared/exhibition";
import { bvhToGlb, type MocapReport } from "../../server/mocap/convert";
import { fbxToGlb } from "../../server/mocap/fbx";
import { launchChromium } from "../support/browser";
import { bvhToFbxAscii } from "../support/fbx-writer";
import { ROOT, startServer } from "../support/server";
import { FIXTURES } from "../support/fixtures";

/**
 * Every motion-capture fixture clip, converted from BVH and from FBX, plays in Chromium: six
 * performers, one per room (a performer's hit volume is its whole floor area: side by side they
 * would take each other's clicks); in each room the figure holds its first frame, the visitor
 * opens its timeline and scrubs, and the figure's hand (relative to its hips) is where the
 * converted clip, sampled independently in Node, says.
 */
const OUT = join(ROOT, "test-results");
const CMU = join(FIXTURES, "mocap/cmu");
const clips = readdirSync(CMU).filter((f) => f.endsWith(".bvh"));
const tea = JSON.parse(readFileSync(join(ROOT, "exhibitions/tea-and-its-vessels.json"), "utf8")) as Exhibition;

interface Performer {
  id: string;
  glb: Uint8Array;
  report: MocapReport;
  /** The right hand's and the lower back's joint names (CMU's conversions name them differently). */
  hand: string;
  back: string;
}
const named = (report: MocapReport, pattern: RegExp) => report.summary.jointNames.find((n) => pattern.test(n))!;
const performers: Performer[] = [];
let dir = "";
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;

/** Hand minus hips at `t`, from the GLB as GLTFLoader plays it in Node. */
async function expectedHand(p: Performer, t: number): Promise<Vector3> {
  const gltf = await new GLTFLoader().setMeshoptDecoder(MeshoptDecoder).parseAsync(p.glb.buffer.slice(p.glb.byteOffset, p.glb.byteOffset + p.glb.byteLength) as ArrayBuffer, "");
  const mixer = new AnimationMixer(gltf.scene);
  mixer.clipAction(gltf.animations[0]!).play();
  mixer.setTime(t);
  gltf.scene.updateWorldMatrix(true, true);
  const at = (name: string) => (gltf.scene.getObjectByName(name) as Object3D).getWorldPosition(new Vector3());
  return at(p.hand).sub(at("Hips"));
}

async function shownHand(p: Performer): Promise<Vector3 | null> {
  const [hand, hips] = await page.evaluate(([pid, h]) => [window.atrium!.performerJoint(pid!, h!), window.atrium!.performerJoint(pid!, "Hips")], [`p-${p.id}`, p.hand]);
  return hand && hips ? new Vector3(...hand).sub(new Vector3(...hips)) : null;
}

beforeAll(async () => {
  // The six performers' GLBs, converted here, served from a models folder beside the shipped ones.
  dir = mkdtempSync(join(tmpdir(), "atrium-mocap-"));
  const models = join(dir, "models");
  mkdirSync(join(models, "clips"), { recursive: true });
  for (const entry of readdirSync(join(ROOT, "models"))) symlinkSync(join(ROOT, "models", entry), join(models, entry));
  for (const file of clips) {
    const text = readFileSync(join(CMU, file), "utf8");
    const stem = file.replace(/\.bvh$/, "");
    const fromBvh = await bvhToGlb(text, { name: stem });
    const joints = { hand: named(fromBvh.report, /^(rhand|RightHand)$/), back: named(fromBvh.report, /^lowerback$/i) };
    performers.push({ id: `bvh-${stem}`, glb: fromBvh.glb, report: fromBvh.report, ...joints });
    const fromFbx = await fbxToGlb(new TextEncoder().encode(bvhToFbxAscii(text, stem, { armature: { scale: 0.01, turnDegrees: 0 } })));
    performers.push({ id: `fbx-${stem}`, glb: fromFbx.glb, report: fromFbx.reports[0]!, ...joints });
  }
  const base = tea.items["cmu-131"]!;
  const doc: Exhibition = {
    ...tea,
    id: "mocap-clips",
    meta: { ...tea.meta, title: { en: "Every fixture clip", "zh-Hant": "所有測試動作" } },
    rooms: {},
    items: {},
    placements: {},
    annotations: {},
    tour: [],
    lessonPlans: {}, // the tea show's plans name its tour steps
  };
  performers.forEach((p, i) => {
    writeFileSync(join(models, "clips", `${p.id}.glb`), p.glb);
    const title = `${p.report.take} (${p.id.slice(0, 3).toUpperCase()})`;
    doc.rooms[p.id] = { ...tea.rooms.brewing!, name: { en: title }, order: i, doors: [] };
    doc.items[p.id] = {
      ...base,
      title: { en: title },
      asset: { kind: "motion", src: `/models/clips/${p.id}.glb`, clips: [{ name: p.report.take, duration: Math.round(p.report.duration * 1000) / 1000 }], figureHeight: p.report.figureHeight, trailJoint: p.hand, floor: p.report.floor, playback: { clip: p.report.take, speed: 1, autoplay: false } },
    } as Exhibition["items"][string];
    doc.placements[`p-${p.id}`] = { room: p.id, item: p.id, position: [0, 0, -1.5], rotation: [0, 0, 0], scale: 1, mount: "floor" } as Exhibition["placements"][string];
  });
  mkdirSync(join(dir, "exhibitions"));
  writeFileSync(join(dir, "exhibitions", "mocap-clips.json"), JSON.stringify(doc, null, 2));

  server = await startServer({ modelsDir: models, exhibitionsDir: join(dir, "exhibitions") });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  page.on("pageerror", (e) => console.error(`[page] ${e.message}`));
  await page.goto(`${server.url}/visit/mocap-clips?lang=en`);
  await page.waitForFunction(() => document.body.dataset.sceneReady === "true", null, { timeout: 150_000 });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("every fixture clip plays in Chromium, from BVH and from FBX", () => {
  it.each(["bvh-01_01", "fbx-01_01", "bvh-131_01", "fbx-131_01", "bvh-131_02", "fbx-131_02"])("%s: holds its first frame, then takes the clip's pose where the visitor scrubs", async (id) => {
    const p = performers.find((x) => x.id === id)!;
    if (!(await page.evaluate((pid) => window.atrium!.artefactIds().includes(pid), `p-${id}`))) {
      await page.click(`.room-nav button[data-room="${id}"]`);
      await page.waitForFunction((pid) => window.atrium!.artefactIds().includes(pid) && document.body.dataset.sceneReady === "true", `p-${id}`, { timeout: 120_000 });
    }
    expect((await shownHand(p))!.distanceTo(await expectedHand(p, 0)), "first frame").toBeLessThan(0.01);
    if (id === "fbx-131_01") await page.screenshot({ path: join(OUT, "mocap-clips-fbx.png") });
    // Click the figure's lower back (a stick figure has little else to hit at its box's centre).
    const at = await page.evaluate(([pid, back]) => {
      const a = window.atrium!.performerJoint(pid!, "Hips")!;
      const b = window.atrium!.performerJoint(pid!, back!)!;
      return window.atrium!.worldScreenPoint([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2]);
    }, [`p-${id}`, p.back]);
    expect(at, `${id} on screen`).not.toBeNull();
    await page.mouse.click(at!.x, at!.y);
    try {
      const scrub = page.locator(".performance-timeline input[name=performance-scrub]");
      await scrub.waitFor({ timeout: 20_000 });
      const t = Math.round(p.report.duration * 0.45 * 100) / 100;
      await scrub.fill(String(t));
      const expected = await expectedHand(p, t);
      expect(expected.distanceTo(await expectedHand(p, 0)), "the pose at t differs from the first frame's").toBeGreaterThan(0.05);
      await page
        .waitForFunction(
          ([pid, h, e]) => {
            const hand = window.atrium!.performerJoint(pid as string, h as string);
            const hips = window.atrium!.performerJoint(pid as string, "Hips");
            const v = e as number[];
            return !!hand && !!hips && Math.hypot(hand[0] - hips[0] - v[0]!, hand[1] - hips[1] - v[1]!, hand[2] - hips[2] - v[2]!) < 0.01;
          },
          [`p-${id}`, p.hand, expected.toArray()] as const,
          { timeout: 15_000, polling: 100 },
        )
        .catch(() => {});
      expect((await shownHand(p))!.distanceTo(expected), `${id} at ${t} s`).toBeLessThan(0.01);
    } finally {
      await page.keyboard.press("Escape");
      await page.waitForFunction(() => document.body.dataset.camera === "still", null, { timeout: 20_000 });
    }
  });
});
