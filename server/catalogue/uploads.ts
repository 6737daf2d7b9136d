import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Received } from "../assets/receive";
import { catalogueEntry, type CatalogueEntry, type LicenceId, type Museum } from "../../src/shared/exhibition";
import { storedType, UploadError, type UploadAnalysis, type UploadKind } from "../assets/upload-analysis";
import type { MocapReport } from "../mocap/convert";
import { FileEntryRows, type EntryRows } from "./entry-rows";
import { DomainError } from "../http/errors";

export { UploadError, type UploadKind };

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
  /**
   * What the file is for: a catalogue item (the default), or a room's 360° panorama, which is a
   * picture only and gets no catalogue entry (an exhibition that names it makes it visible).
   */
  purpose?: UploadPurpose;
}

/** What an upload is for. */
export type UploadPurpose = "catalogue" | "room-panorama";

export interface UploadResult {
  url: string;
  /** For motion uploads (BVH, FBX): what the conversion found and made (the first take). */
  conversion?: MocapReport;
  /** The stored GLB's path for models (a zip's glTF is packed into one): the tiers are made from it. */
  glb?: string;
  kind: UploadKind;
  bytes: number;
  /** The catalogue entry (models and images); audio is referenced by URL only. */
  entry?: CatalogueEntry;
}

/** Reads an upload and says what it is (`analyseUpload`, run in the sandbox process by the server). */
export type UploadAnalyser = (path: string, title: string, declaredType: string) => Promise<UploadAnalysis>;

/**
 * Users' own files, stored content-addressed (`<sha256>.<ext>`) under the data dir and served at
 * `/uploads/`. What a file is comes from `analyseUpload` (bytes, validator, measurements,
 * conversions), which the server runs in a separate process; this class only stores what it
 * found: the file at its content address and, for models and images, a catalogue entry visible to
 * its uploader and their museum. Quality tiers and a poster are made afterwards by a job.
 */
export class UploadStore {
  /** The stored entries (uploads and imports), read once by `load`, kept as they are saved. */
  private readonly stored = new Map<string, CatalogueEntry>();
  private readonly rows: EntryRows;

  /** `rows`: where entries are kept; by default files in `<dir>/entries` (the embedded default). */
  constructor(
    readonly dir: string,
    rows?: EntryRows,
  ) {
    mkdirSync(dir, { recursive: true });
    this.rows = rows ?? new FileEntryRows(join(dir, "entries"));
  }

  /** Reads every stored entry (at start-up); an entry that fails validation is reported and left out. */
  async load(log: (l: string) => void = () => {}): Promise<void> {
    const { entries, unreadable } = await this.rows.all();
    for (const name of unreadable) log(`[uploads] ignored ${name}: not JSON`);
    for (const e of entries) {
      const r = catalogueEntry.safeParse(e);
      if (r.success) this.stored.set(r.data.id, r.data);
      else log(`[uploads] ignored ${(e as { id?: unknown })?.id ?? "an entry"}: ${r.error.issues[0]!.path.join(".")}: ${r.error.issues[0]!.message}`);
    }
  }

  /** Every stored catalogue entry. */
  entries(): CatalogueEntry[] {
    return [...this.stored.values()];
  }

  /** The stored file for `/uploads/<name>`, or null (names are only ever `<sha256>.<ext>`). */
  file(name: string): { path: string; type: string; sha256: string } | null {
    const m = /^([0-9a-f]{64})\.([a-z0-9]{2,4})$/.exec(name);
    const type = m && storedType(m[2]!);
    if (!m || !type) return null;
    const path = join(this.dir, name);
    return existsSync(path) ? { path, type, sha256: m[1]! } : null;
  }

  /** Stores an upload as `analyse` describes it and catalogues it. Temporary files are removed either way. */
  async accept(input: UploadInput, analyse: UploadAnalyser): Promise<UploadResult> {
    const found = await analyse(input.file.path, input.title, input.declaredType ?? "");
    if (input.purpose === "room-panorama" && found.kind !== "image") {
      if (found.packed) rmSync(found.packed, { force: true });
      throw new DomainError("unprocessable", "a room panorama must be a picture (JPEG, PNG or WebP)");
    }
    try {
      if (found.kind === "motion") {
        const report = found.reports[0]!;
        const title = input.title.slice(0, 120);
        const clips = found.format === "BVH" ? [{ name: title, duration: report.duration }] : found.reports.map((r) => ({ name: r.take, duration: r.duration }));
        const url = this.keepFile(found.packed, "glb");
        input.file.discard();
        const entry = uploadEntry(
          input,
          found.sourceSha256,
          { kind: "motion", src: url, clips: clips.map((c) => ({ name: c.name, duration: Math.round(c.duration * 1000) / 1000 })), figureHeight: report.figureHeight, floor: report.floor, playback: { speed: 1, autoplay: true } },
          { dimensions: { height: Math.round(report.figureHeight * 100), unit: "cm" }, capture: { fps: report.fps, hands: report.summary.hands } },
        );
        return { url, kind: "motion", bytes: found.bytes, entry: await this.saveEntry(entry), conversion: report };
      }
      const sha = found.sha256 ?? input.file.sha256;
      const url = found.packed ? this.keepFile(found.packed, found.ext) : this.keep(input.file, found.ext);
      if (found.kind === "audio") return { url, kind: "audio", bytes: found.bytes };
      if (input.purpose === "room-panorama") return { url, kind: "image", bytes: found.bytes };
      const performance = found.performance ?? null;
      const asset: CatalogueEntry["item"]["asset"] = performance ? { ...performance, src: url } : found.kind === "model" ? { kind: "model", tiers: { high: url }, unitsPerMeter: 1 } : { kind: "image", src: url };
      const entry = await this.saveEntry(uploadEntry(input, sha, asset, found.dimensions ? { dimensions: found.dimensions } : {}));
      // Performances keep their own figure: no simplified tiers (they would lose the skin's detail).
      return { url, kind: performance ? "motion" : found.kind, bytes: found.bytes, entry, ...(found.kind === "model" && !performance ? { glb: join(this.dir, url.slice("/uploads/".length)) } : {}) };
    } finally {
      if (found.packed) rmSync(found.packed, { force: true });
    }
  }

  /** Moves a received file to its content address (once) and returns its URL. */
  private keep(file: Received, ext: string): string {
    const name = `${file.sha256}.${ext}`;
    const path = join(this.dir, name);
    if (existsSync(path)) file.discard();
    else renameSync(file.path, path);
    return `/uploads/${name}`;
  }

  /** Moves a temporary file the pipeline wrote to its content address (once) and returns its URL. */
  keepFile(temp: string, ext: string): string {
    const name = `${createHash("sha256").update(readFileSync(temp)).digest("hex")}.${ext}`;
    const path = join(this.dir, name);
    if (existsSync(path)) rmSync(temp, { force: true });
    else renameSync(temp, path);
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

  /** Another process stored this entry (the catalogue bridge said so; `Catalogue.add` validated it). */
  noteStored(entry: CatalogueEntry): void {
    this.stored.set(entry.id, entry);
  }

  /** Whether this store holds the entry (an upload or an import, as opposed to built-in data). */
  hasEntry(id: string): boolean {
    return this.stored.has(id);
  }

  /** A stored entry by id (uploads and imports), or null. */
  entry(id: string): CatalogueEntry | null {
    return this.stored.get(id) ?? null;
  }

  /** Validates and stores a catalogue entry (replacing an earlier version of it); resolves once durable. */
  async saveEntry(entry: CatalogueEntry): Promise<CatalogueEntry> {
    return (await this.saveEntries([entry]))[0]!;
  }

  /** Validates and stores entries together (an import: on PostgreSQL all or none). */
  async saveEntries(entries: CatalogueEntry[]): Promise<CatalogueEntry[]> {
    const checked = entries.map((e) => catalogueEntry.parse(e));
    await this.rows.save(checked);
    for (const e of checked) this.stored.set(e.id, e);
    return checked;
  }
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
