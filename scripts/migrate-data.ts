/**
 * `npm run migrate-data`: moves an embedded installation's documents and accounts into
 * PostgreSQL, for the scaled mode. Reads the SQLite file under ATRIUM_DATA_DIR (default ./data)
 * and writes to ATRIUM_DATABASE_URL (its schema migrated first). Each document's update log is
 * folded into one snapshot; its named versions follow it. Accounts, sessions, museums,
 * memberships, invites, members waiting for sign-up and the audit log are copied row by row, and
 * the catalogue entries of uploads and imports (the JSON files in `uploads/entries/` beside the
 * SQLite file). The uploaded files themselves stay where they are: the scaled mode serves them
 * from the same folder (`ATRIUM_DATA_DIR/uploads`, shared by every process).
 * A document or row PostgreSQL already holds is left alone and reported, so the command can be
 * run again after a partial move. Run it with the server stopped.
 *
 *   ATRIUM_DATABASE_URL=postgres://atrium@db/atrium npm run migrate-data [-- path/to/atrium.sqlite]
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { catalogueEntry } from "../src/shared/exhibition";
import { FileEntryRows, SqlEntryRows } from "../server/catalogue/entry-rows";
import * as Y from "yjs";
import { PostgresPersistence } from "../server/sync/postgres-persistence";
import { PostgresDb } from "../server/db/postgres-db";

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
if (!hasTable("doc_updates") && !hasTable("users")) {
  console.error(`[migrate-data] ${file} holds no Atrium documents or accounts`);
  process.exit(2);
}
const target = await PostgresPersistence.open(databaseUrl);
const docs = (hasTable("doc_updates") ? sqlite.prepare("SELECT DISTINCT doc FROM doc_updates ORDER BY doc").all() : []) as { doc: string }[];
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
}
console.log(`[migrate-data] ${moved} document(s) and ${versions} named version(s) moved, ${skipped} already there`);

// The account tables, parents before children (foreign keys). The same columns in both databases
// (server/accounts/account-store.ts and schema step 3): rows are copied as they are.
const ACCOUNT_TABLES: { table: string; columns: string[]; key: string | null; anyConflict?: boolean }[] = [
  { table: "users", columns: ["id", "email", "name", "password", "is_admin", "created"], key: "id" },
  { table: "sessions", columns: ["token_hash", "user_id", "expires"], key: "token_hash" },
  { table: "museums", columns: ["id", "name"], key: "id" },
  { table: "museum_members", columns: ["museum_id", "user_id", "role"], key: "museum_id, user_id" },
  { table: "exhibitions", columns: ["id", "owner_kind", "owner_id", "published", "title", "created"], key: "id" },
  { table: "exhibition_members", columns: ["exhibition_id", "user_id", "role"], key: "exhibition_id, user_id" },
  { table: "invites", columns: ["token_hash", "exhibition_id", "role", "created_by", "expires"], key: "token_hash" },
  { table: "pending_members", columns: ["email", "kind", "target", "role", "added_by", "created"], key: "email, kind, target" },
  // The log has no natural key: it is copied only into an empty log, so a second run adds nothing twice.
  { table: "audit_log", columns: ["at", "actor", "action", "target", "detail"], key: null },
  // A show or artefact PostgreSQL already gave a short link to keeps that one (its code may be printed on a wall).
  { table: "short_links", columns: ["code", "exhibition_id", "placement", "created"], key: "code", anyConflict: true },
  // Visit statistics: counts already in PostgreSQL are kept (a second run adds nothing twice). The
  // day's salt is not copied: today's visitors are counted afresh after the move.
  { table: "visit_counts", columns: ["exhibition_id", "day", "placement", "metric", "n"], key: "exhibition_id, day, placement, metric" },
  { table: "visit_dwell", columns: ["exhibition_id", "day", "placement", "bucket", "n"], key: "exhibition_id, day, placement, bucket" },
  { table: "visit_visitors", columns: ["exhibition_id", "day", "visitor"], key: "exhibition_id, day, visitor" },
  { table: "surveys", columns: ["exhibition_id", "enabled", "questions", "updated"], key: "exhibition_id" },
  // Answers have no natural key: copied only into an empty table, like the log.
  { table: "survey_answers", columns: ["exhibition_id", "day", "answers"], key: null },
  { table: "teacher_surveys", columns: ["class_id", "exhibition_id", "day", "score", "comment", "lesson_plan"], key: "class_id" },
  // Collection folders: one PostgreSQL already has (moved before) is kept as it is.
  { table: "folders", columns: ["id", "owner_id", "name", "share_code", "created", "updated"], key: "id", anyConflict: true },
  { table: "folder_entries", columns: ["folder_id", "id", "position", "exhibition_id", "placement", "title", "added"], key: "folder_id, id", anyConflict: true },
];
const accounts = new PostgresDb(databaseUrl);
try {
  const report: string[] = [];
  await accounts
    .transaction(async (db) => {
      for (const { table, columns, key, anyConflict } of ACCOUNT_TABLES) {
        if (!hasTable(table)) continue;
        const rows = sqlite.prepare(`SELECT ${columns.join(", ")} FROM ${table}${key === null ? " ORDER BY id" : ""}`).all() as Record<string, unknown>[];
        if (key === null && (await db.one(`SELECT 1 FROM ${table} LIMIT 1`))) {
          report.push(`${table}: already filled, left as it is`);
          continue;
        }
        const insert = `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})${anyConflict ? " ON CONFLICT DO NOTHING" : key ? ` ON CONFLICT (${key}) DO NOTHING` : ""}`;
        let added = 0;
        for (const row of rows) added += await db.run(insert, columns.map((c) => row[c]));
        report.push(`${table}: ${added} of ${rows.length} row(s) copied`);
      }
    })
    .catch((e: Error & { table?: string; detail?: string }) => {
      // All or nothing: one clash (an e-mail PostgreSQL already has for another account) copies none.
      console.error(`[migrate-data] the accounts were not copied (none of them): ${e.message}${e.detail ? ` (${e.detail})` : ""}`);
      process.exit(1);
    });
  for (const line of report) console.log(`[migrate-data] ${line}`);
  // Catalogue entries: those PostgreSQL lacks, each checked as the server checks them.
  const entriesDir = join(dirname(file), "uploads", "entries");
  if (existsSync(entriesDir)) {
    const { entries, unreadable } = await new FileEntryRows(entriesDir).all();
    const there = new Set((await accounts.all<{ id: string }>("SELECT id FROM catalogue_entries")).map((r) => r.id));
    const valid = entries.flatMap((e) => {
      const r = catalogueEntry.safeParse(e);
      if (!r.success) console.log(`[migrate-data] catalogue entry ${(e as { id?: unknown })?.id ?? "?"} left out: ${r.error.issues[0]!.path.join(".")}: ${r.error.issues[0]!.message}`);
      return r.success && !there.has(r.data.id) ? [r.data] : [];
    });
    await new SqlEntryRows(accounts).save(valid);
    console.log(`[migrate-data] catalogue_entries: ${valid.length} of ${entries.length + unreadable.length} entr(ies) copied`);
  }
} finally {
  await accounts.close();
  sqlite.close();
}
