import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { MocapError } from "../src/mocap/bvh-check";
import { compareMotion } from "../server/mocap/compare";
import { takesToGlb } from "../server/mocap/convert";

/**
 * `npm run mocap -- <take.bvh> [<take2.bvh> ...] [--out performer.glb] [--metres-per-unit 0.01]`
 *
 * Converts BVH takes of one performer into one GLB (figure + one animation per take), checks the
 * converted motion against the recording at 24 sampled times, and prints what it made.
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
    console.error("usage: npm run mocap -- <take.bvh> [more takes of the same performer] [--out file.glb] [--metres-per-unit n]");
    process.exit(2);
  }
  const takes = args.map((f) => ({ name: basename(f).replace(/\.bvh$/i, ""), text: readFileSync(f, "utf8") }));
  const { glb, reports } = await takesToGlb(takes, mpu ? { metresPerUnit: Number(mpu) } : {});
  const target = out ?? join(dirname(args[0]!), `${takes[0]!.name}.glb`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, glb);
  for (const [i, r] of reports.entries()) {
    const times = Array.from({ length: 24 }, (_, k) => (r.duration * k) / 23);
    const err = await compareMotion(takes[i]!.text, glb, r.scale.metresPerUnit, times, takes[i]!.name);
    console.log(
      `${takes[i]!.name}: ${r.summary.joints} joints${r.summary.hands ? " (hands included)" : ""}, ${r.summary.frames} frames at ${r.fps} fps (${r.duration.toFixed(1)} s); scale ${r.scale.source}; largest joint error ${(err.max * 1000).toFixed(2)} mm`,
    );
  }
  console.log(`wrote ${target}: ${(glb.byteLength / 1024).toFixed(0)} kB from ${(reports.reduce((n, r) => n + r.sourceBytes, 0) / 1024).toFixed(0)} kB of BVH in ${reports[0]!.ms} ms; figure ${reports[0]!.figureHeight} m tall at rest`);
}

main().catch((e) => {
  console.error(e instanceof MocapError ? `mocap: ${e.message}` : e);
  process.exit(1);
});
