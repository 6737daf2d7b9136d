import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { VERSION_PATTERN, type ModelVersions } from "../../src/shared/model-versions";

/** Files that are not models of their own: hidden files and the build's Brotli copies. */
const SKIP = /(^|\/)\.|\.br$|\.part$|\.map$/;

interface Entry {
  size: number;
  mtimeMs: number;
  hash: string;
}

async function hashFile(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("base64url").slice(0, 12);
}

/**
 * The content hash of every file under the models folder (`src/shared/model-versions.ts` says
 * what they are for). Files are hashed once and again only when their size or modification time
 * changes; the folder is looked at again at most every `recheckMs`, so a replaced model gets a
 * new hash within seconds and a stale hash is never marked immutable. Every process of a
 * scaled deployment computes the same table from the same files.
 */
export class ModelVersionTable {
  private entries = new Map<string, Entry>();
  private checked = -Infinity;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly dir: string,
    private readonly recheckMs = 5_000,
    private readonly now = () => Date.now(),
  ) {}

  /** The table for the page: `/models/<path>` -> hash. */
  async versions(): Promise<ModelVersions> {
    await this.fresh();
    const out: Record<string, string> = {};
    for (const [path, e] of this.entries) out[path] = e.hash;
    return out;
  }

  /** Whether `v` is the current hash of the model at `path` (`/models/...`): its answer may then be cached for good. */
  async isCurrent(path: string, v: string | null): Promise<boolean> {
    if (!v || !VERSION_PATTERN.test(v)) return false;
    await this.fresh();
    return this.entries.get(path)?.hash === v;
  }

  private fresh(): Promise<void> {
    if (this.now() - this.checked < this.recheckMs) return Promise.resolve();
    this.pending ??= this.rescan().finally(() => {
      this.checked = this.now();
      this.pending = null;
    });
    return this.pending;
  }

  private async rescan(): Promise<void> {
    const next = new Map<string, Entry>();
    let files: string[];
    try {
      files = (await readdir(this.dir, { recursive: true })) as string[];
    } catch {
      files = []; // no models folder: nothing to version
    }
    for (const name of files) {
      const rel = name.split(sep).join("/");
      if (SKIP.test(rel)) continue;
      const full = join(this.dir, name);
      const s = await stat(full).catch(() => null);
      if (!s?.isFile()) continue;
      const path = `/models/${relative(this.dir, full).split(sep).join("/")}`;
      const old = this.entries.get(path);
      next.set(path, old && old.size === s.size && old.mtimeMs === s.mtimeMs ? old : { size: s.size, mtimeMs: s.mtimeMs, hash: await hashFile(full) });
    }
    this.entries = next;
  }
}

/**
 * The `<meta>` that hands the table to the page: no script at all, so the page keeps having none
 * inline (the CSP allows none); the JSON is escaped as an attribute value.
 */
export function modelVersionsMeta(name: string, versions: ModelVersions): string {
  const json = JSON.stringify(versions).replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  return `<meta name="${name}" content="${json}">`;
}
