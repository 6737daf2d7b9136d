import type { WebGLRenderer } from "three";
import { DRACOLoader } from "three/examples/jsm/loaders/DRACOLoader.js";
import { GLTFLoader, type GLTF } from "three/examples/jsm/loaders/GLTFLoader.js";
import { KTX2Loader } from "three/examples/jsm/loaders/KTX2Loader.js";
import { MeshoptDecoder } from "three/examples/jsm/libs/meshopt_decoder.module.js";
import { checkGltfBytes } from "./gltf-check";
import { downloadUrl } from "./model-url";

/** Where the vendored decoders are served (copied from three by `scripts/vendor-decoders.ts`). */
export const DECODER_PATHS = { draco: "/vendor/draco/", basis: "/vendor/basis/" } as const;

/** A model that could not be loaded, with a message naming the file and the reason. */
export class ModelLoadError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${url}: ${reason}`);
    this.name = "ModelLoadError";
  }
}

let draco: DRACOLoader | null = null;
let ktx2: KTX2Loader | null = null;
let loader: GLTFLoader | null = null;

/**
 * The app's one GLTFLoader, with Draco, Meshopt and KTX2/Basis decoders served locally. Pass the
 * renderer once it exists so KTX2 can pick a GPU texture format.
 */
export function gltfLoader(renderer?: WebGLRenderer): GLTFLoader {
  if (!loader) {
    draco = new DRACOLoader().setDecoderPath(DECODER_PATHS.draco);
    ktx2 = new KTX2Loader().setTranscoderPath(DECODER_PATHS.basis);
    loader = new GLTFLoader().setDRACOLoader(draco).setKTX2Loader(ktx2).setMeshoptDecoder(MeshoptDecoder);
  }
  if (renderer && ktx2 && !ktx2Ready) {
    ktx2.detectSupport(renderer);
    ktx2Ready = true;
  }
  return loader;
}
let ktx2Ready = false;

/**
 * Fetches and parses one glTF/GLB. Progress is reported as a fraction of bytes; a file that is
 * not glTF, is truncated or fails to parse rejects with a `ModelLoadError` in plain words.
 * Relative URIs of multi-file .gltf assets resolve against `url`.
 */
export async function loadGltf(url: string, onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<GLTF> {
  let response: Response;
  try {
    response = await fetch(downloadUrl(url), signal ? { signal } : {});
  } catch (e) {
    throw new ModelLoadError(url, `could not be downloaded (${(e as Error).message})`);
  }
  if (!response.ok) throw new ModelLoadError(url, `could not be downloaded (HTTP ${response.status})`);
  const bytes = await readWithProgress(response, onProgress);
  const check = checkGltfBytes(bytes);
  if (!check.ok) throw new ModelLoadError(url, check.message);
  const base = url.slice(0, url.lastIndexOf("/") + 1);
  const data = check.container === "glb" ? bytes.buffer : new TextDecoder().decode(bytes);
  let gltf: GLTF;
  try {
    gltf = await gltfLoader().parseAsync(data as ArrayBuffer | string, base);
  } catch (e) {
    throw new ModelLoadError(url, `could not be read: ${(e as Error).message ?? e}`);
  }
  // A valid glTF may hold no scene at all (only an asset header): nothing to put on a plinth.
  if (!gltf.scene) throw new ModelLoadError(url, "is a valid glTF file but contains no scene to show");
  return gltf;
}

async function readWithProgress(response: Response, onProgress?: (fraction: number) => void): Promise<Uint8Array<ArrayBuffer>> {
  const total = Number(response.headers.get("content-length")) || 0;
  if (!response.body || !onProgress) {
    const buf = new Uint8Array(await response.arrayBuffer());
    onProgress?.(1);
    return buf;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    if (total) onProgress(Math.min(0.99, received / total));
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  onProgress(1);
  return out;
}

const cache = new Map<string, Promise<GLTF>>();
const listeners = new Map<string, Set<(fraction: number) => void>>();

/**
 * The cached load of `url`, shared by every artefact that shows it (for React's `use()`).
 * `watch` subscribes to its byte progress.
 */
export function cachedGltf(url: string): Promise<GLTF> {
  let p = cache.get(url);
  if (!p) {
    p = loadGltf(url, (f) => listeners.get(url)?.forEach((l) => l(f)));
    cache.set(url, p);
  }
  return p;
}

export function watchProgress(url: string, listener: (fraction: number) => void): () => void {
  let set = listeners.get(url);
  if (!set) listeners.set(url, (set = new Set()));
  set.add(listener);
  return () => set!.delete(listener);
}
