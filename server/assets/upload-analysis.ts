import { createHash, randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { getBounds } from "@gltf-transform/core";
import sharp from "sharp";
import { gltfIO } from "../gltf/io";
import { fileInZip, glbFromZip, modelInZip, PackError, readZip, ZipError } from "./zip-model";
import { bvhToGlb, type MocapReport } from "../mocap/convert";
import { fbxToGlb, looksLikeFbx } from "../mocap/fbx";
import { MocapError } from "../mocap/bvh-check";
import type { CatalogueEntry, MotionAsset } from "../../src/shared/exhibition";
import { DomainError, type ErrorCode } from "../http/errors";

const require = createRequire(import.meta.url);
interface ValidatorMessage {
  code: string;
  message: string;
  severity: number;
  pointer?: string;
}
const validator = require("gltf-validator") as {
  validateBytes(data: Uint8Array, options?: Record<string, unknown>): Promise<{ issues: { numErrors: number; messages: ValidatorMessage[] }; info?: { totalTriangleCount?: number } }>;
};

/** What an upload is, from its first bytes (never from its name or content-type). */
export type UploadKind = "model" | "image" | "audio" | "motion";
const KINDS: { kind: UploadKind; ext: string; type: string; test: (b: Uint8Array) => boolean }[] = [
  { kind: "model", ext: "glb", type: "model/gltf-binary", test: (b) => ascii(b, 0, 4) === "glTF" },
  { kind: "image", ext: "png", type: "image/png", test: (b) => b[0] === 0x89 && ascii(b, 1, 4) === "PNG" },
  { kind: "image", ext: "jpg", type: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { kind: "image", ext: "webp", type: "image/webp", test: (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP" },
  { kind: "audio", ext: "mp3", type: "audio/mpeg", test: (b) => ascii(b, 0, 3) === "ID3" || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0) },
  { kind: "audio", ext: "ogg", type: "audio/ogg", test: (b) => ascii(b, 0, 4) === "OggS" },
  { kind: "audio", ext: "wav", type: "audio/wav", test: (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WAVE" },
  // A BVH recording (text): converted to a GLB performance, which is what gets stored.
  { kind: "motion", ext: "bvh", type: "text/plain", test: (b) => /^\s*HIERARCHY\b/.test(ascii(b, 0, 32)) },
  // An FBX file (binary or ASCII): its skeleton and animation become a performance, likewise.
  { kind: "motion", ext: "fbx", type: "application/octet-stream", test: looksLikeFbx },
];
/** Files the pipeline itself writes (served, never accepted as uploads). */
const DERIVED_TYPES: Record<string, string> = { webp: "image/webp" };

/** The content type a stored file of extension `ext` is served with, or null for no file Atrium stores. */
export function storedType(ext: string): string | null {
  return KINDS.find((k) => k.ext === ext)?.type ?? DERIVED_TYPES[ext] ?? null;
}
function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/** A refused upload: a code, a plain-words reason, and the validator's findings if any. */
export class UploadError extends DomainError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly findings: { code: string; message: string; pointer?: string; file?: string }[] = [],
  ) {
    super(code, message, findings.length ? { findings } : {});
  }
}

/** What an upload turned out to be, read from its bytes: plain data, so it can cross from the sandbox process. */
export type UploadAnalysis =
  | {
      kind: "model" | "image" | "audio";
      ext: string;
      /** Bytes: the file itself, or the GLB packed from a zip (`packed`). */
      bytes: number;
      /** A temporary file holding the GLB packed from a zip, or null when the upload is stored as sent. */
      packed: string | null;
      /** SHA-256 of what is stored. */
      sha256: string | null;
      dimensions?: CatalogueEntry["item"]["dimensions"];
      /** A skinned, animated GLB: offered as a performance with its clips. */
      performance?: MotionAsset | null;
    }
  | {
      kind: "motion";
      /** A temporary file holding the converted GLB performance. */
      packed: string;
      bytes: number;
      /** SHA-256 of the recording as uploaded. */
      sourceSha256: string;
      format: "BVH" | "FBX";
      reports: MocapReport[];
    };

/**
 * Reads an uploaded file and says what it is: the type from its first bytes (never its name), a
 * zip's glTF packed into one GLB, GLBs through Khronos' glTF validator and measured, images
 * measured, BVH and FBX recordings converted to a GLB performance. Throws `UploadError` with the
 * reason (and the validator's findings). This is the part that parses untrusted files, so the
 * server runs it in a separate process with memory and time limits (`../assets/sandbox.ts`).
 * Results too large to return are written next to `path` and named in the answer.
 */
export async function analyseUpload(path: string, title: string, declaredType = ""): Promise<UploadAnalysis> {
  let bytes: Uint8Array = readFileSync(path);
  if (bytes.byteLength < 12) throw new UploadError("invalid", "the file is empty or too short to be a model, image or sound");
  let packed: string | null = null;
  if (isZip(bytes)) {
    // glTF + .bin + textures arrive as a zip: packed into one GLB, then treated like one.
    try {
      const files = await readZip(path);
      // Missing or outside files are named by the packer; then the validator reads what the
      // registrar sent (the .gltf with its buffers and textures, by their names in the zip), so
      // its findings name those files, not the GLB packed from them.
      let glb: Uint8Array;
      try {
        glb = await glbFromZip(files);
      } catch (e) {
        if (e instanceof PackError) await validateZipped(files);
        throw e;
      }
      await validateZipped(files);
      bytes = glb;
    } catch (e) {
      if (e instanceof ZipError) throw new UploadError("unprocessable", e.message);
      throw e;
    }
    packed = writeBeside(path, bytes);
  }
  const kind = KINDS.find((k) => k.test(bytes));
  if (!kind) {
    // A model whose header is broken, or a .gltf JSON file: the validator says exactly what is wrong.
    const json = bytes[0] === 0x7b; // "{"
    if (declaredType.startsWith("model/gltf") || json) {
      await validateModel(bytes, json ? "gltf" : "glb");
      throw new UploadError("unsupported-type", "a .gltf file refers to separate buffers and textures: upload it as a zip with them, or as one GLB");
    }
    throw new UploadError("unsupported-type", "this is not a GLB model, a zip with a glTF, a PNG or JPEG image, a BVH or FBX motion recording or an MP3/OGG/WAV sound (judged from its content, not its name)");
  }
  if (kind.kind === "motion") return analyseMotion(bytes, path, title, kind.ext === "fbx" ? "FBX" : "BVH");
  let dimensions: CatalogueEntry["item"]["dimensions"];
  let performance: MotionAsset | null = null;
  if (kind.kind === "model") {
    const checked = await checkModel(bytes);
    dimensions = checked.dimensions;
    performance = checked.performance;
  }
  if (kind.kind === "image") dimensions = await imageDimensions(bytes);
  const sha256 = packed ? createHash("sha256").update(bytes).digest("hex") : null;
  return { kind: kind.kind, ext: kind.ext, bytes: bytes.byteLength, packed, sha256, ...(dimensions ? { dimensions } : {}), ...(kind.kind === "model" ? { performance } : {}) };
}

/** A motion recording (BVH, or FBX animation): checked and converted to a GLB performance (one clip per FBX animation stack). */
async function analyseMotion(bytes: Uint8Array, path: string, title: string, format: "BVH" | "FBX"): Promise<UploadAnalysis> {
  let converted: { glb: Uint8Array; reports: MocapReport[] };
  try {
    if (format === "BVH") {
      const one = await bvhToGlb(new TextDecoder().decode(bytes), { name: title.slice(0, 120) });
      converted = { glb: one.glb, reports: [one.report] };
    } else converted = await fbxToGlb(bytes, { fileName: "the file" });
  } catch (e) {
    if (e instanceof MocapError) throw new UploadError("unprocessable", `the ${format} file cannot be used: ${e.message}`);
    throw e;
  }
  return {
    kind: "motion",
    packed: writeBeside(path, converted.glb),
    bytes: converted.glb.byteLength,
    sourceSha256: createHash("sha256").update(bytes).digest("hex"),
    format,
    reports: converted.reports,
  };
}

/** Writes bytes to a new temporary file next to `path` (same folder, so a rename later is atomic). */
function writeBeside(path: string, bytes: Uint8Array): string {
  const out = join(path, "..", `${randomBytes(12).toString("hex")}.part`);
  writeFileSync(`${out}.tmp`, bytes);
  renameSync(`${out}.tmp`, out);
  return out;
}

/** A zip's local file header ("PK\x03\x04"). */
function isZip(b: Uint8Array): boolean {
  return b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

/**
 * Runs Khronos' glTF validator; throws `UploadError` (422) with its findings when it reports
 * errors. `file` names the file in a zip (its findings then name it too); `resources` reads the
 * files a .gltf refers to (inside the zip only).
 */
async function validateModel(bytes: Uint8Array, format: "glb" | "gltf", file?: string, resources?: (uri: string) => Promise<Uint8Array>): Promise<void> {
  let report;
  const what = file ?? (format === "glb" ? "the GLB" : "the glTF");
  try {
    report = await validator.validateBytes(bytes, { format, maxIssues: 30, ...(file ? { uri: file } : {}), ...(resources ? { externalResourceFunction: resources } : {}) });
  } catch (e) {
    // The validator throws (rather than reports) on files it cannot read at all.
    throw new UploadError("unprocessable", `${what} could not be read: ${String((e as Error).message ?? e).slice(0, 200)}`);
  }
  const errors = report.issues.messages.filter((m) => m.severity === 0);
  if (report.issues.numErrors > 0 || errors.length > 0)
    throw new UploadError(
      "unprocessable",
      `the glTF validator found ${report.issues.numErrors} error(s)${file ? ` in ${file}` : ""}, for example: ${errors[0]?.code ?? "?"}: ${errors[0]?.message ?? ""}${errors[0]?.pointer ? ` (at ${errors[0].pointer})` : ""}`,
      errors.slice(0, 10).map((m) => ({ code: m.code, message: m.message, ...(m.pointer ? { pointer: m.pointer } : {}), ...(file ? { file } : {}) })),
    );
}

/**
 * Validates the model in a zip as sent: its one .gltf with the buffers and images it names (read
 * from the zip; a name outside it is left to `glbFromZip` to refuse), or its one GLB.
 */
async function validateZipped(files: Map<string, Buffer>): Promise<void> {
  const model = modelInZip(files);
  const main = model.name;
  // A copy: the validator reads a view's whole underlying memory, and zip entries may share it.
  if (model.kind === "glb") return validateModel(new Uint8Array(files.get(main)!), "glb", main);
  const resources = async (uri: string): Promise<Uint8Array> => new Uint8Array(fileInZip(files, main, uri, uri).bytes);
  await validateModel(new Uint8Array(files.get(main)!), "gltf", main, resources);
}

/**
 * Validates a GLB and measures it; throws `UploadError` with the findings. A GLB with a skin and
 * animations (a performer, like Khronos' Fox) is offered as a performance, its clips listed.
 */
async function checkModel(bytes: Uint8Array): Promise<{ dimensions: CatalogueEntry["item"]["dimensions"]; performance: MotionAsset | null }> {
  await validateModel(bytes, "glb");
  const doc = await (await gltfIO()).readBinary(bytes);
  const scene = doc.getRoot().getDefaultScene() ?? doc.getRoot().listScenes()[0];
  if (!scene || scene.listChildren().length === 0) throw new UploadError("unprocessable", "the GLB holds no scene, so there is nothing to show");
  const { min, max } = getBounds(scene);
  const cm = (v: number) => Math.round(v * 1000) / 10;
  const h = cm(max[1] - min[1]);
  if (!Number.isFinite(h) || h <= 0) throw new UploadError("unprocessable", "the model has no visible geometry");
  const dimensions = { height: h, width: cm(max[0] - min[0]), depth: cm(max[2] - min[2]), unit: "cm" as const };
  const animations = doc.getRoot().listAnimations();
  if (animations.length === 0 || doc.getRoot().listSkins().length === 0) return { dimensions, performance: null };
  const clips = animations.map((a, i) => {
    let end = 0;
    for (const s of a.listSamplers()) end = Math.max(end, s.getInput()?.getMax([0])[0] ?? 0);
    return { name: a.getName() || `clip ${i + 1}`, duration: Math.max(0.01, Math.round(end * 1000) / 1000) };
  });
  return { dimensions, performance: { kind: "motion", src: "", clips, figureHeight: Math.max(0.01, h / 100), playback: { speed: 1, autoplay: true } } };
}

/** Hung size of an image: 60 cm wide, height from the picture's aspect ratio (read by sharp). */
async function imageDimensions(b: Uint8Array): Promise<CatalogueEntry["item"]["dimensions"]> {
  let w = 0;
  let h = 0;
  try {
    const meta = await sharp(b).metadata();
    w = meta.width ?? 0;
    h = meta.height ?? 0;
  } catch {
    /* unreadable: reported below */
  }
  if (!w || !h) throw new UploadError("unprocessable", "the image's size could not be read: is the file complete?");
  return { width: 60, height: Math.round(((60 * h) / w) * 10) / 10, unit: "cm" };
}
