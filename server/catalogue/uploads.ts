import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { getBounds } from "@gltf-transform/core";
import sharp from "sharp";
import { gltfIO } from "../assets/tiers";
import type { Received } from "../assets/receive";
import { glbFromZip, readZip, ZipError } from "../assets/zip-model";
import { bvhToGlb, type MocapReport } from "../mocap/convert";
import { fbxToGlb, looksLikeFbx } from "../mocap/fbx";
import { MocapError } from "../../src/mocap/bvh-check";
import { catalogueEntry, type CatalogueEntry, type LicenceId, type MotionAsset, type Museum } from "../../src/exhibition";

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
function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/** A refused upload: HTTP status, a plain-words reason, and the validator's findings if any. */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly findings: { code: string; message: string; pointer?: string }[] = [],
  ) {
    super(message);
  }
}

export interface UploadInput {
  /** The body, already streamed to a temporary file. */
  file: Received;
  title: string;
  /** Language of the title (BCP 47). */
  lang: string;
  licence: LicenceId;
  /** Who uploads, and the collection the item is credited to. */
  user: { id: string; name: string };
  museum: Museum;
  /** The client's Content-Type: only used to explain a file whose bytes say nothing (a GLB with a broken header). */
  declaredType?: string;
}

export interface UploadResult {
  url: string;
  /** For motion uploads (BVH, FBX): what the conversion found and made (the first take). */
  conversion?: MocapReport;
  /** The stored GLB for models (a zip's glTF is packed into one). */
  glb?: Uint8Array;
  kind: UploadKind;
  bytes: number;
  /** The catalogue entry (models and images); audio is referenced by URL only. */
  entry?: CatalogueEntry;
}

/**
 * Users' own files, stored content-addressed (`<sha256>.<ext>`) under the data dir and served at
 * `/uploads/`. The file type is read from the bytes; GLBs must pass Khronos' glTF validator
 * without errors and contain a scene (a zip with a glTF, its buffers and textures is packed into
 * one GLB first); PNG/JPEG sizes are read from their headers. Each model or image upload becomes a
 * catalogue entry visible to its uploader and their museum; quality tiers and a thumbnail image
 * are made afterwards by a background job.
 */
export class UploadStore {
  private readonly entriesDir: string;
  /** Ids of the stored entries, so searches need not ask the disk about every result. */
  private readonly stored = new Set<string>();

  constructor(readonly dir: string) {
    this.entriesDir = join(dir, "entries");
    mkdirSync(this.entriesDir, { recursive: true });
    for (const f of readdirSync(this.entriesDir)) if (f.endsWith(".json")) this.stored.add(f.slice(0, -".json".length));
  }

  /** Every stored catalogue entry (read at start-up). */
  entries(log: (l: string) => void = () => {}): CatalogueEntry[] {
    const out: CatalogueEntry[] = [];
    for (const f of readdirSync(this.entriesDir).filter((n) => n.endsWith(".json"))) {
      const r = catalogueEntry.safeParse(JSON.parse(readFileSync(join(this.entriesDir, f), "utf8")));
      if (r.success) out.push(r.data);
      else log(`[uploads] ignored ${f}: ${r.error.issues[0]!.message}`);
    }
    return out;
  }

  /** The stored file for `/uploads/<name>`, or null (names are only ever `<sha256>.<ext>`). */
  file(name: string): { path: string; type: string } | null {
    const m = /^([0-9a-f]{64})\.([a-z0-9]{2,4})$/.exec(name);
    const type = m && (KINDS.find((k) => k.ext === m[2])?.type ?? DERIVED_TYPES[m[2]!]);
    if (!m || !type) return null;
    const path = join(this.dir, name);
    return existsSync(path) ? { path, type } : null;
  }

  async accept(input: UploadInput): Promise<UploadResult> {
    let bytes: Uint8Array = readFileSync(input.file.path);
    if (bytes.byteLength < 12) throw new UploadError(400, "the file is empty or too short to be a model, image or sound");
    let fromZip = false;
    if (isZip(bytes)) {
      // glTF + .bin + textures arrive as a zip: packed into one GLB, then treated like one.
      try {
        bytes = await glbFromZip(await readZip(input.file.path));
      } catch (e) {
        if (e instanceof ZipError) throw new UploadError(422, e.message);
        throw e;
      }
      fromZip = true;
    }
    const kind = KINDS.find((k) => k.test(bytes));
    if (!kind) {
      // A model whose header is broken, or a .gltf JSON file: the validator says exactly what is wrong.
      const declared = input.declaredType ?? "";
      const json = bytes[0] === 0x7b; // "{"
      if (declared.startsWith("model/gltf") || json) {
        await validateModel(bytes, json ? "gltf" : "glb");
        throw new UploadError(415, "a .gltf file refers to separate buffers and textures: upload it as a zip with them, or as one GLB");
      }
      throw new UploadError(415, "this is not a GLB model, a zip with a glTF, a PNG or JPEG image, a BVH or FBX motion recording or an MP3/OGG/WAV sound (judged from its content, not its name)");
    }
    if (kind.kind === "motion") return this.acceptMotion(bytes, input, kind.ext === "fbx" ? "FBX" : "BVH");
    let dimensions: CatalogueEntry["item"]["dimensions"];
    let performance: MotionAsset | null = null;
    if (kind.kind === "model") {
      const checked = await checkModel(bytes);
      dimensions = checked.dimensions;
      performance = checked.performance;
    }
    if (kind.kind === "image") dimensions = await imageDimensions(bytes);
    const sha = fromZip ? createHash("sha256").update(bytes).digest("hex") : input.file.sha256;
    const url = fromZip ? this.store(bytes, kind.ext) : this.keep(input.file, kind.ext);
    const size = bytes.byteLength;
    if (kind.kind === "audio") return { url, kind: kind.kind, bytes: size };
    const asset: CatalogueEntry["item"]["asset"] = performance ? { ...performance, src: url } : kind.kind === "model" ? { kind: "model", tiers: { high: url }, unitsPerMeter: 1 } : { kind: "image", src: url };
    const checked = this.saveEntry(uploadEntry(input, sha, asset, dimensions ? { dimensions } : {}));
    // Performances keep their own figure: no simplified tiers (they would lose the skin's detail).
    return { url, kind: performance ? "motion" : kind.kind, bytes: size, entry: checked, ...(kind.kind === "model" && !performance ? { glb: bytes } : {}) };
  }

  /**
   * A motion recording (BVH, or FBX animation): checked, converted to a GLB performance (figure +
   * motion, one clip per FBX animation stack), catalogued.
   */
  private async acceptMotion(bytes: Uint8Array, input: UploadInput, format: "BVH" | "FBX"): Promise<UploadResult> {
    let converted: { glb: Uint8Array; reports: MocapReport[] };
    const title = input.title.slice(0, 120);
    try {
      if (format === "BVH") {
        const one = await bvhToGlb(new TextDecoder().decode(bytes), { name: title });
        converted = { glb: one.glb, reports: [one.report] };
      } else converted = await fbxToGlb(bytes, { fileName: "the file" });
    } catch (e) {
      if (e instanceof MocapError) throw new UploadError(422, `the ${format} file cannot be used: ${e.message}`);
      throw e;
    }
    const { glb, reports } = converted;
    const report = reports[0]!;
    const clips = format === "BVH" ? [{ name: title, duration: report.duration }] : reports.map((r) => ({ name: r.take, duration: r.duration }));
    const url = this.store(glb, "glb");
    const sha = createHash("sha256").update(bytes).digest("hex");
    input.file.discard();
    const entry = uploadEntry(
      input,
      sha,
      { kind: "motion", src: url, clips: clips.map((c) => ({ name: c.name, duration: Math.round(c.duration * 1000) / 1000 })), figureHeight: report.figureHeight, floor: report.floor, playback: { speed: 1, autoplay: true } },
      { dimensions: { height: Math.round(report.figureHeight * 100), unit: "cm" }, capture: { fps: report.fps, hands: report.summary.hands } },
    );
    return { url, kind: "motion", bytes: glb.byteLength, entry: this.saveEntry(entry), conversion: report };
  }

  /** Moves a received file to its content address (once) and returns its URL. */
  private keep(file: Received, ext: string): string {
    const name = `${file.sha256}.${ext}`;
    const path = join(this.dir, name);
    if (existsSync(path)) file.discard();
    else renameSync(file.path, path);
    return `/uploads/${name}`;
  }

  /** Stores bytes under their SHA-256 (once) and returns their URL. */
  store(bytes: Uint8Array, ext: string): string {
    const name = `${createHash("sha256").update(bytes).digest("hex")}.${ext}`;
    const path = join(this.dir, name);
    if (!existsSync(path)) {
      // Write then rename: a crash never leaves a half file under the content's name.
      writeFileSync(`${path}.part`, bytes);
      renameSync(`${path}.part`, path);
    }
    return `/uploads/${name}`;
  }

  /** Whether this store holds the entry (an upload or an import, as opposed to built-in data). */
  hasEntry(id: string): boolean {
    return this.stored.has(id);
  }

  /** Validates and stores a catalogue entry (replacing an earlier version of it). */
  saveEntry(entry: CatalogueEntry): CatalogueEntry {
    const checked = catalogueEntry.parse(entry);
    writeFileSync(join(this.entriesDir, `${checked.id}.json`), JSON.stringify(checked, null, 1));
    this.stored.add(checked.id);
    return checked;
  }
}

/** A zip's local file header ("PK\x03\x04"). */
function isZip(b: Uint8Array): boolean {
  return b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

/** The catalogue entry of a user's upload: credited to them, in their museum or own collection. */
function uploadEntry(input: UploadInput, sha: string, asset: CatalogueEntry["item"]["asset"], extra: Partial<CatalogueEntry["item"]>): CatalogueEntry {
  return {
    id: `upload-${sha.slice(0, 16)}-${input.user.id.replace(/[^A-Za-z0-9]/g, "").slice(0, 12)}`,
    museum: input.museum,
    item: {
      title: { [input.lang]: input.title },
      description: {},
      ...extra,
      institution: input.museum.id,
      creditLine: { en: `Uploaded by ${input.user.name}`, "zh-Hant": `由 ${input.user.name} 上傳` },
      licences: { metadata: input.licence, thumbnail: input.licence, object: input.licence },
      rightsHolder: input.user.name,
      ...(input.licence === "custom" ? { rightsNote: "Terms as agreed with the uploader." } : {}),
      sourceId: `upload:${sha}`,
      asset,
    },
    facets: { institution: input.museum.id, licence: input.licence, kind: asset.kind },
    placeable: true,
    uploadedBy: input.user.id,
  };
}

/** Runs Khronos' glTF validator; throws `UploadError` (422) with its findings when it reports errors. */
async function validateModel(bytes: Uint8Array, format: "glb" | "gltf"): Promise<void> {
  let report;
  try {
    report = await validator.validateBytes(bytes, { format, maxIssues: 30 });
  } catch (e) {
    // The validator throws (rather than reports) on files it cannot read at all.
    throw new UploadError(422, `the ${format === "glb" ? "GLB" : "glTF"} could not be read: ${String((e as Error).message ?? e).slice(0, 200)}`);
  }
  const errors = report.issues.messages.filter((m) => m.severity === 0);
  if (report.issues.numErrors > 0 || errors.length > 0)
    throw new UploadError(
      422,
      `the glTF validator found ${report.issues.numErrors} error(s), for example: ${errors[0]?.code ?? "?"}: ${errors[0]?.message ?? ""}`,
      errors.slice(0, 10).map((m) => ({ code: m.code, message: m.message, ...(m.pointer ? { pointer: m.pointer } : {}) })),
    );
}

/**
 * Validates a GLB and measures it; throws `UploadError` with the findings. A GLB with a skin and
 * animations (a performer, like Khronos' Fox) is offered as a performance, its clips listed.
 */
async function checkModel(bytes: Uint8Array): Promise<{ dimensions: CatalogueEntry["item"]["dimensions"]; performance: MotionAsset | null }> {
  await validateModel(bytes, "glb");
  const doc = await (await gltfIO()).readBinary(bytes);
  const scene = doc.getRoot().getDefaultScene() ?? doc.getRoot().listScenes()[0];
  if (!scene || scene.listChildren().length === 0) throw new UploadError(422, "the GLB holds no scene, so there is nothing to show");
  const { min, max } = getBounds(scene);
  const cm = (v: number) => Math.round(v * 1000) / 10;
  const h = cm(max[1] - min[1]);
  if (!Number.isFinite(h) || h <= 0) throw new UploadError(422, "the model has no visible geometry");
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
  if (!w || !h) throw new UploadError(422, "the image's size could not be read: is the file complete?");
  return { width: 60, height: Math.round(((60 * h) / w) * 10) / 10, unit: "cm" };
}
