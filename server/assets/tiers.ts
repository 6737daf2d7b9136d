import { Logger, type Document } from "@gltf-transform/core";
import { dedup, meshopt, prune, simplify, textureCompress, weld } from "@gltf-transform/functions";
import { MeshoptEncoder, MeshoptSimplifier } from "meshoptimizer";
import sharp from "sharp";
import { gltfIO } from "../gltf/io";
import { renderPoster } from "./poster";



/** What a tier contains. */
export interface TierStats {
  bytes: number;
  triangles: number;
  textures: number;
  /** Largest texture edge, in pixels (0 without textures). */
  maxTexture: number;
  /** When the first try broke the tier's promise: what was done to keep it. */
  fallback?: string;
}
export type TierName = "thumb" | "low" | "high";
export interface Tiers {
  files: Record<TierName, Uint8Array>;
  stats: Record<TierName, TierStats>;
  /** A 256 px WebP picture of the model, for lists (see `renderPoster`). */
  poster: Buffer;
  /** Processing time in milliseconds. */
  ms: number;
}

/** The thumbnail tier's byte limit (dpo-voyager's "thumb" derivative). */
export const THUMB_LIMIT = 200 * 1024;

/** What each derived tier promises the viewer (`src/shared/exhibition/tiers.ts` relies on it). */
export const TIER_PROMISES = {
  thumb: { triangles: 3_000, bytes: THUMB_LIMIT, texture: 256 },
  low: { triangles: 60_000, bytes: Infinity, texture: 1024 },
} as const;

/**
 * The tries for each tier, gentlest first: simplification allowed a larger error (0.01 of the
 * model's size, then 5 %, 20 %, then any, borders unlocked), textures smaller and coarser, and
 * last, for the thumb, no textures at all (its materials keep their colours). The first try that
 * keeps the promise is stored.
 */
const TRIES: Record<"thumb" | "low", { triangles: number; texture: number; quality: number; error: number; lockBorder?: boolean; noTextures?: boolean; note?: string }[]> = {
  thumb: [
    { triangles: 3_000, texture: 256, quality: 70, error: 0.01 },
    { triangles: 1_500, texture: 128, quality: 50, error: 0.05, note: "textures at 128 px, simplification error 5 %" },
    { triangles: 1_500, texture: 128, quality: 40, error: 0.2, note: "textures at 128 px, simplification error 20 %" },
    { triangles: 1_500, texture: 64, quality: 40, error: 1, lockBorder: false, note: "textures at 64 px, simplification without error limit" },
    { triangles: 1_000, texture: 64, quality: 40, error: 1, lockBorder: false, noTextures: true, note: "textures removed, simplification without error limit" },
  ],
  low: [
    { triangles: 60_000, texture: 1024, quality: 80, error: 0.01 },
    { triangles: 60_000, texture: 1024, quality: 80, error: 0.05, note: "simplification error 5 %" },
    { triangles: 50_000, texture: 1024, quality: 80, error: 0.2, note: "simplification error 20 %" },
    { triangles: 40_000, texture: 1024, quality: 80, error: 1, lockBorder: false, note: "simplification without error limit" },
  ],
};

/** A derived tier that cannot keep its promise: the job fails with this, the upload keeps its original. */
export class TierPromiseError extends Error {
  constructor(
    readonly tier: "thumb" | "low",
    readonly stats: TierStats,
  ) {
    const p = TIER_PROMISES[tier];
    super(
      `the ${tier} tier cannot be made within its limits (at most ${p.triangles.toLocaleString("en")} triangles` +
        (Number.isFinite(p.bytes) ? `, ${Math.round(p.bytes / 1024)} kB` : "") +
        `): the strongest simplification still left ${stats.triangles.toLocaleString("en")} triangles and ${Math.round(stats.bytes / 1024)} kB. The model is usable at its original quality; a simpler version of it uploaded as well would give visitors on phones a lighter one.`,
    );
  }
}

/** How a tier breaks its promise, or null when it keeps it. */
export function brokenPromise(tier: "thumb" | "low", s: TierStats): string | null {
  const p = TIER_PROMISES[tier];
  if (s.triangles > p.triangles) return `${s.triangles} triangles > ${p.triangles}`;
  if (s.bytes > p.bytes) return `${s.bytes} bytes > ${p.bytes}`;
  if (s.maxTexture > p.texture) return `a ${s.maxTexture} px texture > ${p.texture} px`;
  return null;
}


/**
 * Reads a GLB into a document ready to rewrite: Draco-compressed meshes are decoded and the Draco
 * extension dropped (tiers are re-encoded with Meshopt, which the viewer decodes without WASM).
 */
async function readPlain(bytes: Uint8Array): Promise<Document> {
  const doc = await (await gltfIO()).readBinary(bytes);
  doc.setLogger(new Logger(Logger.Verbosity.WARN));
  for (const ext of doc.getRoot().listExtensionsUsed()) if (ext.extensionName === "KHR_draco_mesh_compression") ext.dispose();
  return doc;
}

/** Triangles, textures and largest texture edge of a document. */
function statsOf(doc: Document, bytes: number): TierStats {
  let triangles = 0;
  for (const mesh of doc.getRoot().listMeshes())
    for (const prim of mesh.listPrimitives()) {
      if (prim.getMode() !== 4) continue; // TRIANGLES
      const indices = prim.getIndices();
      triangles += Math.floor((indices ? indices.getCount() : (prim.getAttribute("POSITION")?.getCount() ?? 0)) / 3);
    }
  const textures = doc.getRoot().listTextures();
  const maxTexture = Math.max(0, ...textures.map((t) => Math.max(...(t.getSize() ?? [0, 0]))));
  return { bytes, triangles, textures: textures.length, maxTexture };
}

/** Simplify to about `target` triangles (never more than the mesh has), then compress. */
async function derive(source: Uint8Array, t: (typeof TRIES)["thumb"][number]): Promise<{ bytes: Uint8Array; stats: TierStats }> {
  const rw = await gltfIO();
  const doc = await readPlain(source);
  const before = statsOf(doc, source.byteLength).triangles;
  const ratio = Math.min(1, t.triangles / Math.max(1, before));
  if (t.noTextures) for (const texture of doc.getRoot().listTextures()) texture.dispose();
  await doc.transform(
    dedup(),
    weld(),
    ...(ratio < 1 ? [simplify({ simplifier: MeshoptSimplifier, ratio, error: t.error, lockBorder: t.lockBorder ?? true })] : []),
    textureCompress({ encoder: sharp, targetFormat: "webp", resize: [t.texture, t.texture], quality: t.quality }),
    prune(),
    meshopt({ encoder: MeshoptEncoder, level: "medium" }),
  );
  const bytes = await rw.writeBinary(doc);
  return { bytes, stats: { ...statsOf(doc, bytes.byteLength), ...(t.note ? { fallback: t.note } : {}) } };
}

/**
 * The first try that keeps the tier's promise; `TierPromiseError` when none does. A derived copy
 * larger than the original is never stored when the original itself keeps the promise (a small
 * model, or textures that compress worse as WebP): the original is the tier then.
 */
async function keepPromise(source: Uint8Array, tier: "thumb" | "low", original: TierStats): Promise<{ bytes: Uint8Array; stats: TierStats }> {
  let last: { bytes: Uint8Array; stats: TierStats } | null = null;
  for (const t of TRIES[tier]) {
    last = await derive(source, t);
    if (brokenPromise(tier, last.stats)) continue;
    if (last.stats.bytes > source.byteLength && !brokenPromise(tier, original)) return { bytes: source, stats: { ...original, fallback: "the original (within the limits, and smaller than a derived copy)" } };
    return last;
  }
  throw new TierPromiseError(tier, last!.stats);
}

/**
 * Quality tiers of a model (after dpo-voyager's derivatives), all loadable by three's GLTFLoader
 * with the Meshopt decoder the viewer bundles:
 * - `high`: the upload itself, byte for byte (already validated);
 * - `low`: at most 60 k triangles, textures at most 1024 px WebP, meshopt-compressed — for walking
 *   and phones;
 * - `thumb`: at most 3 k triangles, 128-256 px textures, under 200 KB — for lists and far away;
 * and a poster image drawn from the thumb tier. A tier that breaks its promise at the first try is
 * made again with the stronger tries of `TRIES` (its stats say which); when none keeps it, this
 * throws `TierPromiseError`: no tier is stored that breaks its promise.
 */
export async function makeTiers(glb: Uint8Array): Promise<Tiers> {
  const t0 = performance.now();
  const doc = await readPlain(glb);
  const original = statsOf(doc, glb.byteLength);
  const low = await keepPromise(glb, "low", original);
  const thumb = await keepPromise(glb, "thumb", original);
  const poster = await renderPoster(await (await gltfIO()).readBinary(thumb.bytes));
  return {
    files: { high: glb, low: low.bytes, thumb: thumb.bytes },
    poster,
    stats: { high: original, low: low.stats, thumb: thumb.stats },
    ms: Math.round(performance.now() - t0),
  };
}
