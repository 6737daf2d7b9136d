import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { zipSync, type Zippable } from "fflate";
import { brokenPromise, makeTiers, THUMB_LIMIT, type TierName } from "../server/assets/tiers";
import { stubbornModel } from "../test/support/stubborn-model";
import { glbFromZip, readZip } from "../server/assets/zip-model";

/** Fixture models (real third-party scans and samples) and the shipped illustrative models. */
const MODELS: [string, string][] = [
  ["Smithsonian whale cranium (scan)", "test/fixtures/third-party/museum-3d/whale/whale_cranium.glb"],
  ["Smithsonian whale mandible (scan, Draco)", "test/fixtures/third-party/museum-3d/whale/whale_mandible_draco.glb"],
  ["Smithsonian astronaut suit (scan)", "test/fixtures/third-party/museum-3d/astronaut/astronaut.glb"],
  ["Khronos Fox (skinned, animated)", "test/fixtures/third-party/gltf/Fox/glTF-Binary/Fox.glb"],
  ["Atrium tenmoku bowl (lathe model)", "models/tea/tenmoku-bowl.glb"],
  ["Khronos FlightHelmet (glTF + .bin + 15 PNGs, zipped)", "zip:test/fixtures/third-party/gltf/FlightHelmet/glTF"],
  // Made in the run: 12,000 separate triangles under four 1024 px noise textures, which the first try cannot thin.
  ["Stubborn model (generated: 12 k separate triangles, 4 noise textures)", "generated:stubborn"],
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
  /** Each derived tier against its limits: "kept", or kept with which fallback. */
  promises: Record<"low" | "thumb", string>;
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
    const bytes = zipped ? zipped.glb : path === "generated:stubborn" ? await stubbornModel() : new Uint8Array(readFileSync(join(root, path)));
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await makeTiers(bytes));
    const times = runs.map((r) => r.ms).sort((a, b) => a - b);
    const t = runs[0]!;
    const tiers = Object.fromEntries(
      (["high", "low", "thumb"] as const).map((name) => [name, { ...t.stats[name], ratio: Math.round((t.stats[name].bytes / bytes.byteLength) * 1000) / 1000 }]),
    ) as AssetResult["tiers"];
    const r: AssetResult = { model, originalBytes: bytes.byteLength, ms: times[1]!, tiers, thumbUnderLimit: t.stats.thumb.bytes < THUMB_LIMIT, promises: promisesOf(t.stats), posterBytes: t.poster.byteLength, ...(zipped ? { zip: { bytes: zipped.zipBytes, packMs: zipped.packMs } } : {}) };
    console.log(`[bench]   ${model}: ${JSON.stringify(r)}`);
    out.push(r);
  }
  return out;
}

/** Each derived tier against its promise (makeTiers throws rather than break one). */
function promisesOf(stats: Record<TierName, { triangles: number; bytes: number; maxTexture: number; textures: number; fallback?: string }>): AssetResult["promises"] {
  const one = (tier: "low" | "thumb") => brokenPromise(tier, stats[tier]) ?? (stats[tier].fallback ? `kept (${stats[tier].fallback})` : "kept");
  return { low: one("low"), thumb: one("thumb") };
}

/** The BENCHMARKS.md table of the asset tiers. */
export function assetsTable(generated: string, results: AssetResult[]): string {
  const mb = (n: number) => (n / 1e6).toFixed(2);
  const kb = (n: number) => `${Math.round(n / 1024)} kB`;
  const rows = results.map(
    (r) =>
      `| ${r.model} | ${mb(r.originalBytes)} MB | ${mb(r.tiers.low.bytes)} MB (${r.tiers.low.ratio}×) · ${r.tiers.low.triangles.toLocaleString("en")} tris · ${r.tiers.low.maxTexture || "–"} px | ${kb(r.tiers.thumb.bytes)} (${r.tiers.thumb.ratio}×) · ${r.tiers.thumb.triangles.toLocaleString("en")} tris | ${r.tiers.high.triangles.toLocaleString("en")} tris · ${r.tiers.high.maxTexture || "–"} px | ${kb(r.posterBytes)} | ${(r.ms / 1000).toFixed(2)} s${r.zip ? ` (+ ${(r.zip.packMs / 1000).toFixed(2)} s to pack the ${mb(r.zip.bytes)} MB zip)` : ""} | low ${r.promises?.low ?? "–"}; thumb ${r.promises?.thumb ?? "–"} |`,
  );
  return [
    `Generated ${generated}. Tiers from \`server/assets/tiers.ts\` (\`high\` is the upload itself). Promises: low at most 60,000 triangles and 1024 px textures; thumb at most 3,000 triangles, 256 px textures and 200 kB.`,
    "",
    "| model | original | low (bytes, ratio to original, triangles, largest texture) | thumb | high | poster (256 px WebP) | time (tiers + poster) | promises |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
