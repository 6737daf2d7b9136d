import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { StoreRequest, VersionInfo } from "./persistence";

/**
 * The SQLite file itself (better-sqlite3, WAL, `synchronous = FULL`: a committed write survives a
 * crash of the process or of the machine). Synchronous: it runs on the persistence worker thread
 * (`sqlite-worker.ts`), never on the server's event loop. `run` executes a batch of calls in one
 * transaction, so a batch costs one flush to disk however many documents and updates it holds
 * (group commit).
 */
export class SqliteStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, Uint8Array]>;
  private readonly select: Database.Statement<[string], { data: Buffer }>;
  private readonly counter: Database.Statement<[string], { n: number }>;
  private readonly remove: Database.Statement<[string]>;
  private readonly insertVersion: Database.Statement<[string, string, string, number, string]>;
  private readonly listVersions: Database.Statement<[string], VersionInfo>;
  private readonly versionText: Database.Statement<[string, number], { content: string }>;
  private readonly batch: (requests: StoreRequest[]) => unknown[];

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
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
    this.remove = this.db.prepare("DELETE FROM doc_updates WHERE doc = ?");
    this.insertVersion = this.db.prepare("INSERT INTO doc_versions (doc, name, author, at, content) VALUES (?, ?, ?, ?, ?)");
    this.listVersions = this.db.prepare("SELECT id, name, author, at FROM doc_versions WHERE doc = ? ORDER BY id DESC");
    this.versionText = this.db.prepare("SELECT content FROM doc_versions WHERE doc = ? AND id = ?");
    this.batch = this.db.transaction((requests: StoreRequest[]) => requests.map((r) => this.one(r)));
  }

  /** Runs the calls in order in one transaction; their results in the same order. All or none. */
  run(requests: StoreRequest[]): unknown[] {
    return this.batch(requests);
  }

  private one(r: StoreRequest): unknown {
    switch (r.op) {
      case "load":
        return this.select.all(r.doc).map((row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength));
      case "appendMany":
        for (const u of r.updates) this.insert.run(r.doc, u);
        return undefined;
      case "compact":
        this.remove.run(r.doc);
        this.insert.run(r.doc, r.state);
        return undefined;
      case "count":
        return this.counter.get(r.doc)!.n;
      case "saveVersion":
        return Number(this.insertVersion.run(r.doc, r.version.name, r.version.author, r.version.at, r.version.content).lastInsertRowid);
      case "versions":
        return this.listVersions.all(r.doc);
      case "versionContent":
        return this.versionText.get(r.doc, r.id)?.content ?? null;
    }
  }

  close(): void {
    this.db.close();
  }
}
