import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { getBounds, NodeIO } from "@gltf-transform/core";
import { catalogueEntry, type CatalogueEntry, type LicenceId, type Museum } from "../../src/exhibition";

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
export type UploadKind = "model" | "image" | "audio";
const KINDS: { kind: UploadKind; ext: string; type: string; test: (b: Uint8Array) => boolean }[] = [
  { kind: "model", ext: "glb", type: "model/gltf-binary", test: (b) => ascii(b, 0, 4) === "glTF" },
  { kind: "image", ext: "png", type: "image/png", test: (b) => b[0] === 0x89 && ascii(b, 1, 4) === "PNG" },
  { kind: "image", ext: "jpg", type: "image/jpeg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { kind: "audio", ext: "mp3", type: "audio/mpeg", test: (b) => ascii(b, 0, 3) === "ID3" || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0) },
  { kind: "audio", ext: "ogg", type: "audio/ogg", test: (b) => ascii(b, 0, 4) === "OggS" },
  { kind: "audio", ext: "wav", type: "audio/wav", test: (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WAVE" },
];
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
  bytes: Uint8Array;
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
  kind: UploadKind;
  bytes: number;
  /** The catalogue entry (models and images); audio is referenced by URL only. */
  entry?: CatalogueEntry;
}

/**
 * Users' own files, stored content-addressed (`<sha256>.<ext>`) under the data dir and served at
 * `/uploads/`. The file type is read from the bytes; GLBs must pass Khronos' glTF validator
 * without errors and contain a scene; PNG/JPEG sizes are read from their headers. Each model or
 * image upload becomes a catalogue entry visible to its uploader and their museum. (The full
 * pipeline, with quality tiers and thumbnails, is a later step.)
 */
export class UploadStore {
  private readonly entriesDir: string;

  constructor(readonly dir: string) {
    this.entriesDir = join(dir, "entries");
    mkdirSync(this.entriesDir, { recursive: true });
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
    const kind = m && KINDS.find((k) => k.ext === m[2]);
    if (!m || !kind) return null;
    const path = join(this.dir, name);
    return existsSync(path) ? { path, type: kind.type } : null;
  }

  async accept(input: UploadInput): Promise<UploadResult> {
    const { bytes } = input;
    if (bytes.byteLength < 12) throw new UploadError(400, "the file is empty or too short to be a model, image or sound");
    const kind = KINDS.find((k) => k.test(bytes));
    if (!kind) {
      // A model whose header is broken, or a .gltf JSON file: the validator says exactly what is wrong.
      const declared = input.declaredType ?? "";
      const json = bytes[0] === 0x7b; // "{"
      if (declared.startsWith("model/gltf") || json) {
        await validateModel(bytes, json ? "gltf" : "glb");
        throw new UploadError(415, "a .gltf file refers to separate buffers and textures: upload it as one GLB (zip uploads are not supported yet)");
      }
      throw new UploadError(415, "this is not a GLB model, PNG or JPEG image, or MP3/OGG/WAV sound (judged from its content, not its name)");
    }
    let dimensions: CatalogueEntry["item"]["dimensions"];
    if (kind.kind === "model") dimensions = await checkModel(bytes);
    if (kind.kind === "image") dimensions = imageDimensions(bytes, kind.ext);
    const sha = createHash("sha256").update(bytes).digest("hex");
    const url = this.store(bytes, kind.ext);
    if (kind.kind === "audio") return { url, kind: kind.kind, bytes: bytes.byteLength };
    const entry: CatalogueEntry = {
      id: `upload-${sha.slice(0, 16)}-${input.user.id.replace(/[^A-Za-z0-9]/g, "").slice(0, 12)}`,
      museum: input.museum,
      item: {
        title: { [input.lang]: input.title },
        description: {},
        ...(dimensions ? { dimensions } : {}),
        institution: input.museum.id,
        creditLine: { en: `${pickName(input.museum)}. Uploaded by ${input.user.name}` },
        licences: { metadata: input.licence, thumbnail: input.licence, object: input.licence },
        rightsHolder: input.user.name,
        ...(input.licence === "custom" ? { rightsNote: "Terms as agreed with the uploader." } : {}),
        sourceId: `upload:${sha}`,
        asset: kind.kind === "model" ? { kind: "model", tiers: { high: url }, unitsPerMeter: 1 } : { kind: "image", src: url },
      },
      facets: { institution: input.museum.id, licence: input.licence, kind: kind.kind },
      placeable: true,
      uploadedBy: input.user.id,
    };
    const checked = this.saveEntry(entry);
    return { url, kind: kind.kind, bytes: bytes.byteLength, entry: checked };
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

  /** Validates and stores a catalogue entry (replacing an earlier version of it). */
  saveEntry(entry: CatalogueEntry): CatalogueEntry {
    const checked = catalogueEntry.parse(entry);
    writeFileSync(join(this.entriesDir, `${checked.id}.json`), JSON.stringify(checked, null, 1));
    return checked;
  }
}

function pickName(m: Museum): string {
  return m.name.en ?? Object.values(m.name)[0] ?? m.id;
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

/** Validates a GLB and measures it; throws `UploadError` with the findings. */
async function checkModel(bytes: Uint8Array): Promise<CatalogueEntry["item"]["dimensions"]> {
  await validateModel(bytes, "glb");
  const doc = await new NodeIO().readBinary(bytes);
  const scene = doc.getRoot().getDefaultScene() ?? doc.getRoot().listScenes()[0];
  if (!scene || scene.listChildren().length === 0) throw new UploadError(422, "the GLB holds no scene, so there is nothing to show");
  const { min, max } = getBounds(scene);
  const cm = (v: number) => Math.round(v * 1000) / 10;
  const h = cm(max[1] - min[1]);
  if (!Number.isFinite(h) || h <= 0) throw new UploadError(422, "the model has no visible geometry");
  return { height: h, width: cm(max[0] - min[0]), depth: cm(max[2] - min[2]), unit: "cm" };
}

/** Hung size of an image: 60 cm wide, height from the picture's aspect ratio (read from its header). */
function imageDimensions(b: Uint8Array, ext: string): CatalogueEntry["item"]["dimensions"] {
  let w = 0;
  let h = 0;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (ext === "png" && b.byteLength >= 24) {
    w = view.getUint32(16);
    h = view.getUint32(20);
  } else if (ext === "jpg") {
    for (let i = 2; i + 9 < b.byteLength; ) {
      if (b[i] !== 0xff) break;
      const marker = b[i + 1]!;
      const len = view.getUint16(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        h = view.getUint16(i + 5);
        w = view.getUint16(i + 7);
        break;
      }
      i += 2 + len;
    }
  }
  if (!w || !h) throw new UploadError(422, "the image's size could not be read: is the file complete?");
  return { width: 60, height: Math.round((60 * h) / w * 10) / 10, unit: "cm" };
}
