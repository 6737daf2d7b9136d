import { createRequire } from "node:module";
import { posix } from "node:path";
import yauzl from "yauzl";

const require = createRequire(import.meta.url);

/** Limits on what a zip may unpack to: a small zip that inflates to gigabytes is refused. */
export interface ZipLimits {
  /** Most entries (files and folders) in one zip. */
  maxEntries: number;
  /** Most bytes all entries may inflate to together. */
  maxTotalBytes: number;
  /**
   * Largest inflated size / compressed size of one entry over 1 MB (deflate tops out near
   * 1032:1). Real model files stay near 10:1 (the Khronos samples' glTF JSON 9-10:1, buffers and
   * textures 1-3:1); a 240 MB buffer of zeros zipped to 1.8 MB is 135:1.
   */
  maxRatio: number;
}
export const ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxTotalBytes: 160 * 1024 * 1024, maxRatio: 40 };

/** A zip the pipeline refuses, with the reason in plain words. */
export class ZipError extends Error {}

/** A glTF whose files are all in the zip but which gltf-pipeline could not pack (its content is at fault). */
export class PackError extends ZipError {}

/**
 * Reads every file of a zip into memory, keyed by its normalised path. Names are never used as
 * paths on disk; names that climb out of the archive (`../`), are absolute, or use backslashes
 * are refused (yauzl checks them too). Sizes are checked against the central directory before
 * anything is inflated, and again while inflating (yauzl fails an entry that inflates to more
 * bytes than it declared), so a lying header cannot get past the total limit.
 */
export function readZip(path: string, limits: ZipLimits = ZIP_LIMITS): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(new ZipError(`the zip could not be read: ${err?.message ?? "unknown error"}`));
      const files = new Map<string, Buffer>();
      if (zip.entryCount > limits.maxEntries) {
        zip.close();
        return reject(new ZipError(`the zip holds ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted`));
      }
      let total = 0;
      const fail = (e: Error) => {
        zip.close();
        reject(e instanceof ZipError ? e : new ZipError(`the zip could not be read: ${e.message}`));
      };
      zip.on("error", fail);
      zip.on("end", () => resolve(files));
      zip.on("entry", (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (name.endsWith("/")) return zip.readEntry(); // a folder
        const clean = posix.normalize(name);
        if (clean.startsWith("../") || clean.startsWith("/") || name.includes("\\") || clean === "..")
          return fail(new ZipError(`the zip contains a path outside its folder: ${JSON.stringify(name)}`));
        if (name.startsWith("__MACOSX/")) return zip.readEntry(); // Finder's resource forks
        total += entry.uncompressedSize;
        if (total > limits.maxTotalBytes)
          return fail(new ZipError(`the zip would unpack to more than ${limits.maxTotalBytes / 1024 / 1024} MB; refused`));
        if (entry.uncompressedSize > 1 << 20 && entry.compressedSize > 0 && entry.uncompressedSize / entry.compressedSize > limits.maxRatio)
          return fail(new ZipError(`${name} is compressed ${Math.round(entry.uncompressedSize / entry.compressedSize)}:1, more than a model's files ever are; refused as a possible zip bomb`));
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(e ?? new Error("no stream"));
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on("data", (c: Buffer) => {
            size += c.length;
            if (size > entry.uncompressedSize) stream.destroy(new ZipError(`${name} inflates to more than it declares; refused`));
            chunks.push(c);
          });
          stream.on("error", fail);
          stream.on("end", () => {
            files.set(clean, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

interface GltfPipeline {
  gltfToGlb(gltf: unknown, options?: Record<string, unknown>): Promise<{ glb: Buffer }>;
}
let pipeline: GltfPipeline | null = null;

/** MIME types of the resources a glTF may embed, by extension. */
const RESOURCE_TYPES: Record<string, string> = { bin: "application/octet-stream", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", ktx2: "image/ktx2" };

/** The model of a zip: its single `.glb`, or its single `.gltf`; `ZipError` saying what is wrong otherwise. */
export function modelInZip(files: Map<string, Buffer>): { name: string; kind: "glb" | "gltf" } {
  const names = [...files.keys()];
  const gltfs = names.filter((n) => n.toLowerCase().endsWith(".gltf"));
  const glbs = names.filter((n) => n.toLowerCase().endsWith(".glb"));
  if (gltfs.length === 0 && glbs.length === 1) return { name: glbs[0]!, kind: "glb" };
  if (gltfs.length === 0) throw new ZipError(`the zip holds no .gltf file (found: ${names.slice(0, 8).join(", ") || "nothing"})`);
  if (gltfs.length > 1) throw new ZipError(`the zip holds ${gltfs.length} .gltf files (${gltfs.slice(0, 4).join(", ")}); upload one model per zip`);
  return { name: gltfs[0]!, kind: "gltf" };
}

/**
 * A file that the glTF `main` refers to by `uri`, read from the zip (relative to `main`, never from
 * disk); remote and malformed URIs and missing files are a `ZipError` naming `what` refers to it.
 */
export function fileInZip(files: Map<string, Buffer>, main: string, uri: string, what: string): { path: string; bytes: Buffer } {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) throw new ZipError(`${main} refers to ${what} at ${uri}: only files inside the zip are used`);
  let rel: string;
  try {
    rel = decodeURIComponent(uri);
  } catch {
    throw new ZipError(`${main} refers to ${what} with a malformed URI: ${uri}`);
  }
  const path = posix.normalize(posix.join(posix.dirname(main), rel));
  const bytes = files.get(path);
  if (!bytes) throw new ZipError(`${main} refers to ${what} "${uri}", which is not in the zip`);
  return { path, bytes };
}

/**
 * The model in a zip as one GLB: either the zip's single `.glb`, or its single `.gltf` with the
 * buffers and images it refers to (relative URIs resolved inside the zip, never on disk; remote
 * URIs refused, since the server fetches nothing), packed by gltf-pipeline's `gltfToGlb`.
 */
export async function glbFromZip(files: Map<string, Buffer>): Promise<Uint8Array> {
  const model = modelInZip(files);
  if (model.kind === "glb") return files.get(model.name)!;
  const main = model.name;
  let gltf: { buffers?: { uri?: string }[]; images?: { uri?: string; mimeType?: string }[] };
  try {
    gltf = JSON.parse(files.get(main)!.toString("utf8"));
  } catch (e) {
    throw new ZipError(`${main} is not valid JSON: ${(e as Error).message}`);
  }
  const embed = (uri: string | undefined, what: string): string | undefined => {
    if (uri === undefined || uri.startsWith("data:")) return uri;
    const { path, bytes } = fileInZip(files, main, uri, what);
    const type = RESOURCE_TYPES[path.split(".").pop()!.toLowerCase()] ?? "application/octet-stream";
    return `data:${type};base64,${bytes.toString("base64")}`;
  };
  gltf.buffers?.forEach((b, i) => (b.uri = embed(b.uri, `buffer ${i}`)));
  gltf.images?.forEach((im, i) => (im.uri = embed(im.uri, `image ${i}`)));
  pipeline ??= require("gltf-pipeline") as GltfPipeline;
  try {
    const { glb } = await pipeline.gltfToGlb(gltf, {});
    return new Uint8Array(glb.buffer, glb.byteOffset, glb.byteLength);
  } catch (e) {
    throw new PackError(`${main} could not be packed into a GLB: ${String((e as Error).message ?? e).slice(0, 200)}`);
  }
}
