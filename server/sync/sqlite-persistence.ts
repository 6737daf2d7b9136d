import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { NewVersion, Persistence, VersionInfo } from "./persistence";

/**
 * The embedded default store: one SQLite file (better-sqlite3, WAL). `synchronous = FULL` makes
 * each append durable before it returns, so an update acknowledged as saved survives a crash of
 * the process or of the machine. Statements are prepared once; `appendMany` commits a batch with
 * one flush to disk (group commit).
 */
export class SqlitePersistence implements Persistence {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, Uint8Array]>;
  private readonly select: Database.Statement<[string], { data: Buffer }>;
  private readonly counter: Database.Statement<[string], { n: number }>;
  private readonly compactTx: (doc: string, state: Uint8Array) => void;
  private readonly appendTx: (doc: string, updates: Uint8Array[]) => void;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS doc_updates (
        seq  INTEGER PRIMARY KEY AUTOINCREMENT,
        doc  TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS doc_updates_by_doc ON doc_updates (doc, seq);
      CREATE TABLE IF NOT EXISTS doc_versions (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        doc     TEXT NOT NULL,
        name    TEXT NOT NULL,
        author  TEXT NOT NULL,
        at      INTEGER NOT NULL,
        content TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS doc_versions_by_doc ON doc_versions (doc, id);
    `);
    this.insert = this.db.prepare("INSERT INTO doc_updates (doc, data) VALUES (?, ?)");
    this.select = this.db.prepare("SELECT data FROM doc_updates WHERE doc = ? ORDER BY seq");
    this.counter = this.db.prepare("SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?");
    const remove = this.db.prepare("DELETE FROM doc_updates WHERE doc = ?");
    this.appendTx = this.db.transaction((doc: string, updates: Uint8Array[]) => {
      for (const u of updates) this.insert.run(doc, u);
    });
    this.compactTx = this.db.transaction((doc: string, state: Uint8Array) => {
      remove.run(doc);
      this.insert.run(doc, state);
    });
  }

  load(doc: string): Uint8Array[] {
    return this.select.all(doc).map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength));
  }
  append(doc: string, update: Uint8Array): void {
    this.insert.run(doc, update);
  }
  appendMany(doc: string, updates: Uint8Array[]): void {
    this.appendTx(doc, updates);
  }
  compact(doc: string, state: Uint8Array): void {
    this.compactTx(doc, state);
  }
  count(doc: string): number {
    return this.counter.get(doc)!.n;
  }
  saveVersion(doc: string, v: NewVersion): number {
    return Number(this.db.prepare("INSERT INTO doc_versions (doc, name, author, at, content) VALUES (?, ?, ?, ?, ?)").run(doc, v.name, v.author, v.at, v.content).lastInsertRowid);
  }
  versions(doc: string): VersionInfo[] {
    return this.db.prepare("SELECT id, name, author, at FROM doc_versions WHERE doc = ? ORDER BY id DESC").all(doc) as VersionInfo[];
  }
  versionContent(doc: string, id: number): string | null {
    const row = this.db.prepare("SELECT content FROM doc_versions WHERE doc = ? AND id = ?").get(doc, id) as { content: string } | undefined;
    return row?.content ?? null;
  }
  close(): void {
    this.db.close();
  }
}
