import { join } from "node:path";
import type { CatalogueEntry } from "../../src/shared/exhibition";
import type { TierStats } from "./tiers";
import type { TierJob } from "./jobs";
import type { AssetSandbox } from "./sandbox";

/** What a tiers job answers (the job status's `result`). */
export interface TierJobResult {
  ms: number;
  tiers: Record<"thumb" | "low" | "high", TierStats>;
  poster: string;
}

/** What the job needs of the uploads store (`catalogue/uploads.ts`, which itself builds on this folder). */
export interface TierFiles {
  readonly dir: string;
  /** Moves a file the sandbox wrote to its content address; returns its URL. */
  keepFile(temp: string, ext: string): string;
  /** Validates and stores an entry; resolves with it as stored, once durable. */
  saveEntry(entry: CatalogueEntry): Promise<CatalogueEntry>;
}

/**
 * Makes an uploaded model's quality tiers and poster in the sandbox, stores them in the uploads
 * folder (content-addressed) and the entry that now names them; `saved` tells the catalogue (this
 * process's search, and the other processes' over the bus). The same code runs in a server
 * process and in `npm run worker`.
 */
export async function runTierJob(deps: { uploads: TierFiles; sandbox: AssetSandbox; saved: (entry: CatalogueEntry) => void | Promise<void> }, job: TierJob): Promise<TierJobResult> {
  const { uploads, sandbox } = deps;
  const made = await sandbox.run<{ low: string; thumb: string; poster: string; stats: TierJobResult["tiers"]; ms: number }>({ kind: "tiers", glb: job.glb, outDir: join(uploads.dir, "incoming") });
  const low = uploads.keepFile(made.low, "glb");
  const thumb = uploads.keepFile(made.thumb, "glb");
  const poster = uploads.keepFile(made.poster, "webp");
  const high = job.entry.item.asset.kind === "model" ? job.entry.item.asset.tiers.high : `/uploads/${job.glb.split("/").pop()}`;
  const next: CatalogueEntry = { ...job.entry, item: { ...job.entry.item, asset: { kind: "model", tiers: { thumb, low, high }, poster, unitsPerMeter: 1 } } };
  await deps.saved(await uploads.saveEntry(next));
  return { ms: made.ms, tiers: made.stats, poster };
}
