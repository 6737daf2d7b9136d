import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { MocapError } from "../server/mocap/bvh-check";
import { compareFbxMotion, compareMotion } from "../server/mocap/compare";
import { takesToGlb, type MocapReport } from "../server/mocap/convert";
import { fbxToGlb, looksLikeFbx } from "../server/mocap/fbx";

/**
 * `npm run mocap -- <take.bvh> [<take2.bvh> ...] [--out performer.glb] [--metres-per-unit 0.01]`
 * `npm run mocap -- <performance.fbx> [--out performer.glb] [--metres-per-unit 0.01]`
 *
 * Converts BVH takes of one performer (or an FBX file's skeleton and animation stacks) into one
 * GLB (figure + one animation per take), checks the converted motion against the recording at 24
 * sampled times, and prints what it made.
 */
async function main() {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const out = flag("--out");
  const mpu = flag("--metres-per-unit");
  if (args.length === 0) {
    console.error("usage: npm run mocap -- <take.bvh> [more takes of the same performer] | <performance.fbx>  [--out file.glb] [--metres-per-unit n]");
    process.exit(2);
  }
  const files = args.map((f) => ({ path: f, bytes: new Uint8Array(readFileSync(f)) }));
  const fbx = files.filter((f) => looksLikeFbx(f.bytes));
  if (fbx.length > 0 && files.length > 1) throw new MocapError("convert one FBX file at a time (its animation stacks are its takes), or BVH files only");
  const options = mpu ? { metresPerUnit: Number(mpu) } : {};
  let glb: Uint8Array;
  let reports: MocapReport[];
  let check: (take: string, times: number[], metresPerUnit: number) => Promise<{ max: number }>;
  const stem = basename(args[0]!).replace(/\.(bvh|fbx)$/i, "");
  if (fbx.length === 1) {
    ({ glb, reports } = await fbxToGlb(fbx[0]!.bytes, { fileName: basename(fbx[0]!.path), ...options }));
    check = (take, times, k) => compareFbxMotion(fbx[0]!.bytes, glb, k, times, take);
  } else {
    const takes = files.map((f) => ({ name: basename(f.path).replace(/\.bvh$/i, ""), text: new TextDecoder().decode(f.bytes) }));
    ({ glb, reports } = await takesToGlb(takes, options));
    check = (take, times, k) => compareMotion(takes.find((t) => t.name === take)!.text, glb, k, times, take);
  }
  const target = out ?? join(dirname(args[0]!), `${stem}.glb`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, glb);
  for (const r of reports) {
    const times = Array.from({ length: 24 }, (_, k) => (r.duration * k) / 23);
    const err = await check(r.take, times, r.scale.metresPerUnit);
    console.log(
      `${r.take}: ${r.summary.joints} joints${r.summary.hands ? " (hands included)" : ""}, ${r.summary.frames} frames at ${r.fps} fps (${r.duration.toFixed(1)} s); scale ${r.scale.source}; largest joint error ${(err.max * 1000).toFixed(2)} mm`,
    );
  }
  console.log(`wrote ${target}: ${(glb.byteLength / 1024).toFixed(0)} kB from ${(reports.reduce((n, r) => n + r.sourceBytes, 0) / 1024).toFixed(0)} kB of ${reports[0]!.summary.format} in ${reports[0]!.ms} ms; figure ${reports[0]!.figureHeight} m tall at rest`);
}

main().catch((e) => {
  console.error(e instanceof MocapError ? `mocap: ${e.message}` : e);
  process.exit(1);
});
