import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBvh, MocapError } from "../../server/mocap/bvh-check";
import { gltfIO } from "../../server/gltf/io";
import { compareFbxMotion, compareMotion } from "../../server/mocap/compare";
import { bvhToGlb, detectScale, takesToGlb } from "../../server/mocap/convert";
import { fbxToGlb, looksLikeFbx } from "../../server/mocap/fbx";
import { ApiSession } from "../support/api-session";
import { bvhToFbxAscii } from "../support/fbx-writer";
import { documentedAnswers } from "../support/openapi";
import { startServer } from "../support/server";
import { FIXTURES } from "../support/fixtures";

/**
 * Motion capture: every CMU fixture clip converts to a GLB whose figure moves as the recording
 * does (joint positions compared at sampled times through three's own loaders), damaged files are
 * refused with the line that is wrong, and uploads through the API become performances.
 */
const require = createRequire(import.meta.url);
const validator = require("gltf-validator") as { validateBytes(data: Uint8Array, options?: Record<string, unknown>): Promise<{ issues: { numErrors: number } }> };
const CMU = join(FIXTURES, "mocap/cmu");
const clips = readdirSync(CMU).filter((f) => f.endsWith(".bvh"));
const text = (f: string) => readFileSync(join(CMU, f), "utf8");

describe("BVH conversion", () => {
  it.each(clips)("converts %s into a valid GLB that preserves the motion", async (file) => {
    const source = text(file);
    const { glb, report } = await bvhToGlb(source, { name: file });
    expect((await validator.validateBytes(glb, { format: "glb" })).issues.numErrors).toBe(0);
    expect(report.summary.joints).toBe(31);
    expect(report.summary.hands).toBe(true); // finger and thumb joints are kept
    expect(report.fps).toBe(120);
    expect(report.figureHeight).toBeGreaterThan(1.2);
    expect(report.figureHeight).toBeLessThan(2.1);
    expect(glb.byteLength).toBeLessThan(report.sourceBytes * 0.6); // resampled and meshopt-compressed
    // Every joint within 2 mm of the recording at 40 times across the clip.
    const times = Array.from({ length: 40 }, (_, i) => (report.duration * i) / 39);
    const error = await compareMotion(source, glb, report.scale.metresPerUnit, times, file);
    expect(error.samples).toBe(40 * 38); // 31 joints and 7 End Sites
    expect(error.max, `worst: ${error.worst.joint} at ${error.worst.time.toFixed(2)} s`).toBeLessThan(0.002);
  });

  it("catches a conversion that does not preserve the motion", async () => {
    // The comparison itself must be able to fail: one take checked against another's motion.
    const { glb, report } = await bvhToGlb(text("131_01.bvh"));
    const error = await compareMotion(text("131_02.bvh"), glb, report.scale.metresPerUnit, [1, 2, 3]);
    expect(error.max).toBeGreaterThan(0.05);
  });

  it("animates every joint under a unique name, and keeps two takes as two clips of one figure", async () => {
    const { glb, reports } = await takesToGlb([
      { name: "take 1", text: text("131_01.bvh") },
      { name: "take 2", text: text("131_02.bvh") },
    ]);
    const doc = await (await gltfIO()).readBinary(glb);
    const animations = doc.getRoot().listAnimations();
    expect(animations.map((a) => a.getName())).toEqual(["take 1", "take 2"]);
    const joints = doc.getRoot().listSkins()[0]!.listJoints();
    expect(new Set(joints.map((j) => j.getName())).size).toBe(joints.length); // End Sites get "<parent>_end"
    for (const joint of joints.filter((j) => !j.getName().endsWith("_end")))
      expect(animations[0]!.listChannels().some((c) => c.getTargetNode() === joint && c.getTargetPath() === "rotation"), joint.getName()).toBe(true);
    expect(reports.map((r) => Math.round(r.duration))).toEqual([8, 10]);
    const error = await compareMotion(text("131_02.bvh"), glb, reports[1]!.scale.metresPerUnit, [0.5, 4, 9], "take 2");
    expect(error.max).toBeLessThan(0.002);
    await expect(takesToGlb([{ name: "a", text: text("131_01.bvh") }, { name: "b", text: text("01_01.bvh") }])).rejects.toThrow(/different skeleton/);
  });

  it("judges the unit from the rest pose, unless told", () => {
    expect(detectScale(1.7).metresPerUnit).toBe(1);
    expect(detectScale(172).metresPerUnit).toBe(0.01);
    expect(detectScale(66).metresPerUnit).toBe(0.0254);
    expect(detectScale(25.65).source).toMatch(/CMU units/);
    expect(detectScale(3, 0.5)).toEqual({ metresPerUnit: 0.5, source: "given" });
    expect(() => detectScale(7)).toThrow(/fits no known unit/);
  });
});

describe("damaged BVH files", () => {
  const good = text("131_01.bvh");
  const lines = good.split("\n");
  const motionAt = lines.findIndex((l) => l.trim() === "MOTION");
  const cases: [string, string, RegExp][] = [
    ["a joint declares more channels than it lists", good.replace("CHANNELS 3 Zrotation Yrotation Xrotation", "CHANNELS 4 Zrotation Yrotation Xrotation"), /line \d+: joint \w+ declares 4 channels but lists 3/],
    ["an unknown channel", good.replace("CHANNELS 3 Zrotation Yrotation Xrotation", "CHANNELS 3 Zrotation Yrotation Wrotation"), /unknown channel "Wrotation"/],
    ["a frame with too few values", [...lines.slice(0, motionAt + 3), lines[motionAt + 3]!.trim().split(/\s+/).slice(0, -2).join(" "), ...lines.slice(motionAt + 4)].join("\n"), /line \d+: frame 1 has 94 values; the hierarchy declares 96 channels/],
    ["a truncated MOTION block", lines.slice(0, motionAt + 103).join("\n"), /ends after 100 of 994 frames: the file is truncated/],
    ["zero frames", [...lines.slice(0, motionAt + 1), "Frames: 0", "Frame Time: 0.008333"].join("\n"), /Frames: 0 — the file holds no motion/],
    ["an absurd frame time", good.replace(/Frame Time:\s*[\d.]+/, "Frame Time: 40"), /Frame Time 40 s is not plausible/],
    ["a value that is not a number", good.replace(/(MOTION\s+Frames:\s*\d+\s+Frame Time:\s*[\d.]+\s+)(\S+)/, "$1abc"), /frame 1 has a value that is not a number: "abc"/],
    ["no hierarchy", "MOTION\nFrames: 1\n", /expected "HIERARCHY"/],
    ["an unclosed joint", lines.slice(0, 20).join("\n"), /the file ends where/],
  ];
  it.each(cases)("refuses %s, naming the problem", (_name, bad, message) => {
    expect(() => checkBvh(bad)).toThrow(MocapError);
    expect(() => checkBvh(bad)).toThrow(message);
  });

  it("answers quickly on a large file of noise (no hang)", () => {
    const noise = `HIERARCHY\nROOT Hips\n{\n OFFSET 0 0 0\n CHANNELS 6 Xposition Yposition Zposition Zrotation Yrotation Xrotation\n}\nMOTION\nFrames: 200000\nFrame Time: 0.008333\n${"1 2 3 4 5 6\n".repeat(150_000)}${"x ".repeat(1000)}`;
    const t0 = performance.now();
    expect(() => checkBvh(noise)).toThrow(/frame 150001 has 1000 values/);
    expect(performance.now() - t0).toBeLessThan(5000); // linear in the file's size
  });
});

describe("FBX conversion (animation only, three's FBXLoader)", () => {
  // No FBX file is among the shared fixtures: each CMU clip is written out as an ASCII FBX 7.4
  // skeleton with its animation stack, every joint pre-rotated (a rest pose that is not the
  // identity, as exported rigs have), by test/support/fbx-writer.ts.
  const fbx = (file: string, options?: Parameters<typeof bvhToFbxAscii>[2]) => new TextEncoder().encode(bvhToFbxAscii(text(file), file.replace(/\.bvh$/, ""), options));

  it.each(clips)("converts %s as FBX into a valid GLB that preserves the motion", async (file) => {
    const bytes = fbx(file);
    expect(looksLikeFbx(bytes)).toBe(true);
    const { glb, reports } = await fbxToGlb(bytes, { fileName: `${file}.fbx` });
    const r = reports[0]!;
    expect((await validator.validateBytes(glb, { format: "glb" })).issues.numErrors).toBe(0);
    expect(r).toMatchObject({ take: file.replace(/\.bvh$/, ""), fps: 120, summary: { format: "FBX", joints: 38, hands: true } });
    expect(r.summary.frames).toBe(checkBvh(text(file)).frames);
    expect(r.figureHeight).toBeGreaterThan(1.2);
    // Every joint within 2 mm of the FBX as three plays it, at 40 frames across the clip.
    const times = Array.from({ length: 40 }, (_, i) => Math.round(((r.summary.frames - 1) * i) / 39) * r.summary.frameTime);
    const error = await compareFbxMotion(bytes, glb, r.scale.metresPerUnit, times);
    expect(error.samples).toBe(40 * 38);
    expect(error.max, `worst: ${error.worst.joint} at ${error.worst.time.toFixed(2)} s`).toBeLessThan(0.002);
    // And it is the recorded motion: the same joints as the BVH's own conversion at the same times.
    expect((await compareMotion(text(file), glb, r.scale.metresPerUnit, times.slice(0, 10), r.take)).max).toBeLessThan(0.002);
  });

  it("folds a scaled, turned armature above the skeleton into the figure", async () => {
    const bytes = fbx("131_01.bvh", { armature: { scale: 0.01, turnDegrees: 90 } });
    const { glb, reports } = await fbxToGlb(bytes);
    const r = reports[0]!;
    const plain = (await fbxToGlb(fbx("131_01.bvh"))).reports[0]!;
    expect(r.figureHeight).toBeCloseTo(plain.figureHeight, 3); // lengths of 1/0.01 under a 0.01 armature: the same size
    expect(r.floor.size[0]).toBeCloseTo(plain.floor.size[1], 2); // and turned a quarter: the walk's extent swaps axes
    const times = [0, 200, 500, 900].map((f) => f * r.summary.frameTime);
    expect((await compareFbxMotion(bytes, glb, r.scale.metresPerUnit, times)).max).toBeLessThan(0.002);
    // The comparison can fail: another take's motion is far off.
    expect((await compareFbxMotion(fbx("131_02.bvh"), glb, r.scale.metresPerUnit, times)).max).toBeGreaterThan(0.05);
  });

  const good = bvhToFbxAscii(text("131_01.bvh"), "walk");
  const enc = (t: string) => new TextEncoder().encode(t);
  it.each<[string, () => Uint8Array, RegExp]>([
    ["an FBX 6 file", () => enc(good.replace("FBXVersion: 7400", "FBXVersion: 6100")), /walk\.fbx: FBX version not supported, FileVersion: 6100 \(FBX 7\.0 or later is needed/],
    ["a skeleton without animation", () => fbx("131_01.bvh", { motion: false }), /walk\.fbx has a skeleton but no animation/],
    ["no skeleton", () => enc(good.replace(/"LimbNode"/g, '"Null"')), /walk\.fbx has no skeleton \(no LimbNode joints\)/],
    ["a file cut in half", () => enc(good.slice(0, good.length >> 1)), /walk\.fbx is damaged or cut short/],
    ["binary noise after the FBX signature", () => new Uint8Array([...enc("Kaydara FBX Binary  \0"), 0x1a, 0, ...Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)]), /walk\.fbx is not a readable FBX file/],
    ["a key value that is not a number", () => enc(good.replace(/(KeyValueFloat: \*\d+ \{\n\t\t\ta: )[-\d.]+/, "$1nan")), /take "walk": the track Hips\.position has a value that is not a number/],
  ])("refuses %s with a clear message", async (_, bytes, message) => {
    const t0 = performance.now();
    const error = await fbxToGlb(bytes(), { fileName: "walk.fbx" }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(MocapError);
    expect((error as Error).message).toMatch(message);
    expect(performance.now() - t0).toBeLessThan(10_000); // an answer, not a hang
  });
});

describe("performances through the API", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let curator: ApiSession;
  beforeAll(async () => {
    server = await startServer();
    curator = await ApiSession.signUpOn(server, "dance@museum.test", "Dance curator");
  });
  afterAll(async () => {
    await server.jobs.idle();
    await server.close();
  });

  it("converts an uploaded BVH into a placeable performance", async () => {
    const r = await curator.upload("/api/assets?title=Forward%20jumps&licence=custom", readFileSync(join(CMU, "01_01.bvh")), "text/plain");
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.kind).toBe("motion");
    expect(r.body.entry.item.asset).toMatchObject({ kind: "motion", src: r.body.url, figureHeight: expect.any(Number), clips: [{ name: "Forward jumps", duration: expect.closeTo(22.9, 1) }] });
    expect(r.body.entry.item.capture).toEqual({ fps: 120, hands: true });
    expect(r.body.entry.placeable).toBe(true);
    (await documentedAnswers(server)).check("/api/assets", "post", "201", r.body);
    const glb = new Uint8Array(await (await curator.get(r.body.url!)).arrayBuffer());
    expect((await validator.validateBytes(glb, { format: "glb" })).issues.numErrors).toBe(0);
    const bad = await curator.upload("/api/assets?title=Broken", new TextEncoder().encode(readFileSync(join(CMU, "01_01.bvh"), "utf8").slice(0, 50_000)), "text/plain");
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatch(/the BVH file cannot be used: line \d+: frame \d+ has \d+ values/); // cut mid-line
  });

  it("converts an uploaded FBX (animation only) into a performance, one clip per animation stack", async () => {
    const bytes = new TextEncoder().encode(bvhToFbxAscii(text("131_01.bvh"), "Walk and stop", { armature: { scale: 0.01, turnDegrees: 0 } }));
    const r = await curator.upload("/api/assets?title=Walk&licence=custom", bytes, "application/octet-stream");
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.kind).toBe("motion");
    expect(r.body.entry.item.asset).toMatchObject({ kind: "motion", src: r.body.url, clips: [{ name: "Walk and stop", duration: expect.closeTo(8.28, 1) }] });
    expect(r.body.conversion.summary.format).toBe("FBX");
    (await documentedAnswers(server)).check("/api/assets", "post", "201", r.body);
    const glb = new Uint8Array(await (await curator.get(r.body.url!)).arrayBuffer());
    expect((await compareFbxMotion(bytes, glb, r.body.conversion.scale.metresPerUnit, [0, 1, 2, 4])).max).toBeLessThan(0.002);
    const bad = await curator.upload("/api/assets?title=Rig", new TextEncoder().encode(bvhToFbxAscii(text("131_01.bvh"), "x", { motion: false })), "application/octet-stream");
    expect(bad.status).toBe(422);
    expect(bad.body.error).toBe("the FBX file cannot be used: the file has a skeleton but no animation: a performance needs the recorded motion");
  });

  it("offers a skinned, animated GLB (the Fox) as a performance with its clips", async () => {
    const r = await curator.upload("/api/assets?title=Fox&licence=CC-BY-4.0", readFileSync(join(FIXTURES, "gltf/Fox/glTF-Binary/Fox.glb")));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.kind).toBe("motion");
    expect(r.body.entry.item.asset.clips.map((c: { name: string }) => c.name)).toEqual(["Survey", "Walk", "Run"]);
    expect(r.body.job).toBeUndefined(); // a performer keeps its own figure: no simplified tiers
  });
});
