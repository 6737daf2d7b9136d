import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CatalogueEntry } from "../../src/shared/exhibition";
import type { SqlDb } from "../db/sql";

/**
 * Where the catalogue entries of uploads and imports are kept: files beside the uploads in the
 * embedded default, rows in PostgreSQL in the scaled mode (every process and worker reads the
 * same). Rows come back as stored; `UploadStore` validates them.
 */
export interface EntryRows {
  /** Every stored entry, with what could not be read named. */
  all(): Promise<{ entries: unknown[]; unreadable: string[] }>;
  /** Stores (or replaces) entries, all or (on PostgreSQL) none; resolves once they are durable. */
  save(entries: CatalogueEntry[]): Promise<void>;
}

/** One JSON file per entry in `dir` (`<id>.json`), written under a temporary name and renamed. */
export class FileEntryRows implements EntryRows {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  async all(): Promise<{ entries: unknown[]; unreadable: string[] }> {
    const entries: unknown[] = [];
    const unreadable: string[] = [];
    for (const f of readdirSync(this.dir).filter((n) => n.endsWith(".json"))) {
      try {
        entries.push(JSON.parse(readFileSync(join(this.dir, f), "utf8")));
      } catch {
        unreadable.push(f);
      }
    }
    return { entries, unreadable };
  }

  async save(entries: CatalogueEntry[]): Promise<void> {
    for (const entry of entries) {
      const path = join(this.dir, `${entry.id}.json`);
      writeFileSync(`${path}.part`, JSON.stringify(entry, null, 1));
      renameSync(`${path}.part`, path);
    }
  }
}

/** Rows of `catalogue_entries` (schema step 4), over the scaled mode's database. */
export class SqlEntryRows implements EntryRows {
  constructor(private readonly db: SqlDb) {}

  async all(): Promise<{ entries: unknown[]; unreadable: string[] }> {
    const entries: unknown[] = [];
    const unreadable: string[] = [];
    for (const row of await this.db.all<{ id: string; entry: string }>("SELECT id, entry FROM catalogue_entries ORDER BY id")) {
      try {
        entries.push(JSON.parse(row.entry));
      } catch {
        unreadable.push(row.id);
      }
    }
    return { entries, unreadable };
  }

  async save(entries: CatalogueEntry[]): Promise<void> {
    await this.db.transaction(async (db) => {
      for (const entry of entries)
        await db.run("INSERT INTO catalogue_entries (id, museum, entry, updated) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET museum = excluded.museum, entry = excluded.entry, updated = excluded.updated", [
          entry.id,
          entry.museum.id,
          JSON.stringify(entry),
          Date.now(),
        ]);
    });
  }
}
