/**
 * `npm run migrate-data`: moves an embedded installation's documents into PostgreSQL, for the
 * scaled mode. Reads the SQLite file under ATRIUM_DATA_DIR (default ./data) and writes to
 * ATRIUM_DATABASE_URL (its schema migrated first). Each document's update log is folded into one
 * snapshot; its named versions follow it. A document PostgreSQL already holds is left alone and
 * reported, so the command can be run again after a partial move. Run it with the server stopped.
 *
 *   ATRIUM_DATABASE_URL=postgres://atrium@db/atrium npm run migrate-data [-- path/to/atrium.sqlite]
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import * as Y from "yjs";
import { PostgresPersistence } from "../server/sync/postgres-persistence";

const databaseUrl = process.env.ATRIUM_DATABASE_URL;
const file = resolve(process.argv[2] ?? resolve(process.env.ATRIUM_DATA_DIR ?? "data", "atrium.sqlite"));
if (!databaseUrl) {
  console.error("[migrate-data] set ATRIUM_DATABASE_URL to the PostgreSQL database to fill (postgres://user@host/db)");
  process.exit(2);
}
if (!existsSync(file)) {
  console.error(`[migrate-data] no SQLite file at ${file} (set ATRIUM_DATA_DIR or give the file's path)`);
  process.exit(2);
}

const sqlite = new Database(file, { readonly: true, fileMustExist: true });
const hasTable = (name: string) => sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
if (!hasTable("doc_updates")) {
  console.error(`[migrate-data] ${file} holds no Atrium documents`);
  process.exit(2);
}
const target = await PostgresPersistence.open(databaseUrl);
const docs = sqlite.prepare("SELECT DISTINCT doc FROM doc_updates ORDER BY doc").all() as { doc: string }[];
const updatesOf = sqlite.prepare("SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq");
const versionsOf = hasTable("doc_versions") ? sqlite.prepare("SELECT name, author, at, content FROM doc_versions WHERE doc = ? ORDER BY id") : null;
let moved = 0;
let skipped = 0;
let versions = 0;
try {
  for (const { doc } of docs) {
    if ((await target.count(doc)) > 0) {
      console.log(`[migrate-data] ${doc}: already in PostgreSQL, left as it is`);
      skipped++;
      continue;
    }
    const updates = (updatesOf.all(doc) as { data: Buffer }[]).map((r) => new Uint8Array(r.data));
    // Folded through a Y.Doc (not just merged): what the log deleted is not carried over.
    const ydoc = new Y.Doc();
    for (const u of updates) Y.applyUpdate(ydoc, u);
    await target.compact(doc, Y.encodeStateAsUpdate(ydoc));
    ydoc.destroy();
    for (const v of (versionsOf?.all(doc) ?? []) as { name: string; author: string; at: number; content: string }[]) {
      await target.saveVersion(doc, v);
      versions++;
    }
    moved++;
    console.log(`[migrate-data] ${doc}: ${updates.length} stored update(s) moved as one snapshot`);
  }
} finally {
  await target.close();
  sqlite.close();
}
console.log(`[migrate-data] ${moved} document(s) and ${versions} named version(s) moved, ${skipped} already there. Accounts, museums and memberships stay in ${file} for now (the scaled mode reads them from there).`);
