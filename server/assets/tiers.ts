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
async function derive(source: Uint8Array, target: number, texture: number, quality: number): Promise<{ bytes: Uint8Array; stats: TierStats }> {
  const rw = await gltfIO();
  const doc = await readPlain(source);
  const before = statsOf(doc, source.byteLength).triangles;
  const ratio = Math.min(1, target / Math.max(1, before));
  await doc.transform(
    dedup(),
    weld(),
    ...(ratio < 1 ? [simplify({ simplifier: MeshoptSimplifier, ratio, error: 0.01 })] : []),
    textureCompress({ encoder: sharp, targetFormat: "webp", resize: [texture, texture], quality }),
    prune(),
    meshopt({ encoder: MeshoptEncoder, level: "medium" }),
  );
  const bytes = await rw.writeBinary(doc);
  return { bytes, stats: statsOf(doc, bytes.byteLength) };
}

/**
 * Quality tiers of a model (after dpo-voyager's derivatives), all loadable by three's GLTFLoader
 * with the Meshopt decoder the viewer bundles:
 * - `high`: the upload itself, byte for byte (already validated);
 * - `low`: at most 60 k triangles, textures at most 1024 px WebP, meshopt-compressed — for walking
 *   and phones;
 * - `thumb`: at most 3 k triangles, 128-256 px textures, under 200 KB — for lists and far away;
 * and a poster image drawn from the thumb tier.
 */
export async function makeTiers(glb: Uint8Array): Promise<Tiers> {
  const t0 = performance.now();
  const doc = await readPlain(glb);
  const low = await derive(glb, 60_000, 1024, 80);
  let thumb = await derive(glb, 3_000, 256, 70);
  if (thumb.bytes.byteLength > THUMB_LIMIT) thumb = await derive(glb, 1_500, 128, 50);
  const poster = await renderPoster(await (await gltfIO()).readBinary(thumb.bytes));
  return {
    files: { high: glb, low: low.bytes, thumb: thumb.bytes },
    poster,
    stats: { high: statsOf(doc, glb.byteLength), low: low.stats, thumb: thumb.stats },
    ms: Math.round(performance.now() - t0),
  };
}
