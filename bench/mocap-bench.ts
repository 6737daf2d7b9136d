import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AnimationMixer, type SkinnedMesh } from "three";
import { MeshoptDecoder } from "three/examples/jsm/libs/meshopt_decoder.module.js";
import { BVHLoader } from "three/examples/jsm/loaders/BVHLoader.js";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { clone as cloneSkinned } from "three/examples/jsm/utils/SkeletonUtils.js";
import { PerformanceClock } from "../src/viewer/performance-clock";
import { compareMotion } from "../server/mocap/compare";
import { bvhToGlb } from "../server/mocap/convert";

export interface MocapResult {
  clip: string;
  frames: number;
  joints: number;
  bvhBytes: number;
  glbBytes: number;
  ratio: number;
  convertMs: number;
  maxErrorMm: number;
  /** CPU per performer per frame (µs): the viewer's work (clock, pose, bone and skin matrices). */
  playUs: number;
  /** The same clip played straight from the BVH through three (baseline in the same run). */
  baselineUs: number;
  playRatio: number;
}

const FRAMES = 2000;

/** Median µs per frame of `step` over `FRAMES` frames, best of 5 rounds (after a warm-up). */
function perFrame(step: (i: number) => void): number {
  for (let i = 0; i < 200; i++) step(i);
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < FRAMES; i++) step(i);
    rounds.push(((performance.now() - t0) * 1000) / FRAMES);
  }
  return Math.round(Math.min(...rounds) * 10) / 10;
}

/**
 * Each CMU fixture clip: converted bytes / BVH bytes, conversion time (median of 3), the largest
 * joint error after conversion, and the CPU one performer costs per frame in the viewer's loop —
 * against playing the unconverted BVH through three in the same run.
 */
export async function runMocapBench(root: string): Promise<MocapResult[]> {
  const dir = join(root, "test/fixtures/third-party/mocap/cmu");
  const out: MocapResult[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".bvh")).sort()) {
    const text = readFileSync(join(dir, file), "utf8");
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await bvhToGlb(text, { name: file }));
    const { glb, report } = runs[0]!;
    const convertMs = runs.map((r) => r.report.ms).sort((a, b) => a - b)[1]!;
    const times = Array.from({ length: 40 }, (_, i) => (report.duration * i) / 39);
    const error = await compareMotion(text, glb, report.scale.metresPerUnit, times, file);

    // The viewer's loop: advance the clock, pose at its time, update world and bone matrices.
    const gltf = await new GLTFLoader().setMeshoptDecoder(MeshoptDecoder).parseAsync(glb.buffer.slice(glb.byteOffset, glb.byteOffset + glb.byteLength) as ArrayBuffer, "");
    const figure = cloneSkinned(gltf.scene);
    let skinned: SkinnedMesh | null = null;
    figure.traverse((o) => {
      if ((o as SkinnedMesh).isSkinnedMesh) skinned = o as SkinnedMesh;
    });
    const mixer = new AnimationMixer(figure);
    const action = mixer.clipAction(gltf.animations[0]!).play();
    const clock = new PerformanceClock({ clip: file, duration: report.duration });
    const playUs = perFrame(() => {
      clock.advance(1 / 72);
      action.time = clock.time;
      mixer.update(0);
      figure.updateMatrixWorld(true);
      (skinned as SkinnedMesh | null)?.skeleton.update();
    });
    const source = new BVHLoader().parse(text);
    const root0 = source.skeleton.bones[0]!;
    const sourceMixer = new AnimationMixer(root0);
    sourceMixer.clipAction(source.clip).play();
    const baselineUs = perFrame(() => {
      sourceMixer.update(1 / 72);
      root0.updateMatrixWorld(true);
      source.skeleton.update();
    });
    const r: MocapResult = {
      clip: file,
      frames: report.summary.frames,
      joints: report.summary.joints,
      bvhBytes: report.sourceBytes,
      glbBytes: glb.byteLength,
      ratio: Math.round((glb.byteLength / report.sourceBytes) * 1000) / 1000,
      convertMs,
      maxErrorMm: Math.round(error.max * 1e5) / 100,
      playUs,
      baselineUs,
      playRatio: Math.round((playUs / baselineUs) * 100) / 100,
    };
    console.log(`[bench]   ${file}: ${JSON.stringify(r)}`);
    out.push(r);
  }
  return out;
}

/** The BENCHMARKS.md table of the mocap conversion and playback. */
export function mocapTable(generated: string, results: MocapResult[]): string {
  const kb = (n: number) => `${Math.round(n / 1024)} kB`;
  return [
    `Generated ${generated}. \`server/mocap/convert.ts\` (the code \`npm run mocap\` and BVH uploads run); playback as the viewer's frame loop does it, ${FRAMES} frames, best of 5.`,
    "",
    "| clip | frames × joints | BVH | GLB (figure + clip) | GLB / BVH | conversion | largest joint error | playback per performer per frame | BVH through three (baseline) | ratio |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...results.map((r) => `| ${r.clip} | ${r.frames} × ${r.joints} | ${kb(r.bvhBytes)} | ${kb(r.glbBytes)} | **${r.ratio}×** | ${(r.convertMs / 1000).toFixed(2)} s | ${r.maxErrorMm} mm | ${r.playUs} µs | ${r.baselineUs} µs | **${r.playRatio}×** |`),
  ].join("\n");
}
