import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { zipSync, type Zippable } from "fflate";
import { makeTiers, THUMB_LIMIT, type TierName } from "../server/assets/tiers";
import { glbFromZip, readZip } from "../server/assets/zip-model";

/** Fixture models (real third-party scans and samples) and the shipped illustrative models. */
const MODELS: [string, string][] = [
  ["Smithsonian whale cranium (scan)", "test/fixtures/third-party/museum-3d/whale/whale_cranium.glb"],
  ["Smithsonian whale mandible (scan, Draco)", "test/fixtures/third-party/museum-3d/whale/whale_mandible_draco.glb"],
  ["Smithsonian astronaut suit (scan)", "test/fixtures/third-party/museum-3d/astronaut/astronaut.glb"],
  ["Khronos Fox (skinned, animated)", "test/fixtures/third-party/gltf/Fox/glTF-Binary/Fox.glb"],
  ["Atrium tenmoku bowl (lathe model)", "models/tea/tenmoku-bowl.glb"],
  ["Khronos FlightHelmet (glTF + .bin + 15 PNGs, zipped)", "zip:test/fixtures/third-party/gltf/FlightHelmet/glTF"],
];

/** A folder zipped the way a registrar would, then unpacked and packed into one GLB as an upload is. */
async function packed(root: string, dir: string): Promise<{ glb: Uint8Array; zipBytes: number; packMs: number }> {
  const files: Zippable = {};
  const base = join(root, dir);
  for (const f of readdirSync(base, { recursive: true, encoding: "utf8" })) if (statSync(join(base, f)).isFile()) files[`model/${relative(base, join(base, f))}`] = readFileSync(join(base, f));
  const tmp = mkdtempSync(join(tmpdir(), "atrium-bench-"));
  const zipPath = join(tmp, "model.zip");
  const zip = zipSync(files);
  writeFileSync(zipPath, zip);
  const t0 = performance.now();
  const glb = await glbFromZip(await readZip(zipPath));
  const packMs = Math.round(performance.now() - t0);
  rmSync(tmp, { recursive: true, force: true });
  return { glb, zipBytes: zip.byteLength, packMs };
}

export interface AssetResult {
  model: string;
  originalBytes: number;
  ms: number;
  tiers: Record<TierName, { bytes: number; ratio: number; triangles: number; textures: number; maxTexture: number }>;
  thumbUnderLimit: boolean;
  /** The poster picture's size. */
  posterBytes: number;
  /** For zipped glTF uploads: the zip's size and the time to unpack it into one GLB (gltf-pipeline). */
  zip?: { bytes: number; packMs: number };
}

/**
 * Quality tiers of each fixture model: bytes of each tier as a ratio of the original upload,
 * triangles, largest texture, and the processing time (median of 3 runs, one core).
 */
export async function runAssetsBench(root: string): Promise<AssetResult[]> {
  const out: AssetResult[] = [];
  for (const [model, path] of MODELS) {
    const zipped = path.startsWith("zip:") ? await packed(root, path.slice(4)) : null;
    const bytes = zipped ? zipped.glb : new Uint8Array(readFileSync(join(root, path)));
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await makeTiers(bytes));
    const times = runs.map((r) => r.ms).sort((a, b) => a - b);
    const t = runs[0]!;
    const tiers = Object.fromEntries(
      (["high", "low", "thumb"] as const).map((name) => [name, { ...t.stats[name], ratio: Math.round((t.stats[name].bytes / bytes.byteLength) * 1000) / 1000 }]),
    ) as AssetResult["tiers"];
    const r: AssetResult = { model, originalBytes: bytes.byteLength, ms: times[1]!, tiers, thumbUnderLimit: t.stats.thumb.bytes < THUMB_LIMIT, posterBytes: t.poster.byteLength, ...(zipped ? { zip: { bytes: zipped.zipBytes, packMs: zipped.packMs } } : {}) };
    console.log(`[bench]   ${model}: ${JSON.stringify(r)}`);
    out.push(r);
  }
  return out;
}

/** The BENCHMARKS.md table of the asset tiers. */
export function assetsTable(generated: string, results: AssetResult[]): string {
  const mb = (n: number) => (n / 1e6).toFixed(2);
  const kb = (n: number) => `${Math.round(n / 1024)} kB`;
  const rows = results.map(
    (r) =>
      `| ${r.model} | ${mb(r.originalBytes)} MB | ${mb(r.tiers.low.bytes)} MB (${r.tiers.low.ratio}×) · ${r.tiers.low.triangles.toLocaleString("en")} tris · ${r.tiers.low.maxTexture || "–"} px | ${kb(r.tiers.thumb.bytes)} (${r.tiers.thumb.ratio}×) · ${r.tiers.thumb.triangles.toLocaleString("en")} tris | ${r.tiers.high.triangles.toLocaleString("en")} tris · ${r.tiers.high.maxTexture || "–"} px | ${kb(r.posterBytes)} | ${(r.ms / 1000).toFixed(2)} s${r.zip ? ` (+ ${(r.zip.packMs / 1000).toFixed(2)} s to pack the ${mb(r.zip.bytes)} MB zip)` : ""} |`,
  );
  return [
    `Generated ${generated}. Tiers from \`server/assets/tiers.ts\` (\`high\` is the upload itself).`,
    "",
    "| model | original | low (bytes, ratio to original, triangles, largest texture) | thumb | high | poster (256 px WebP) | time (tiers + poster) |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
