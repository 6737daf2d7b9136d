import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { SqlDb } from "./sql";

/** A column added to a table after its first release (constant SQL names, never input). */
export interface AddedColumn {
  table: string;
  column: string;
  type: string;
}

/**
 * `SqlDb` over a better-sqlite3 connection (the embedded default). Statements run synchronously
 * (they take microseconds on this small schema), so a transaction's awaits never let another
 * request's statement in; a lock still makes sure of it should a transaction ever await
 * something else.
 */
export class SqliteDb implements SqlDb {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private busy: Promise<unknown> | null = null;

  /**
   * Opens (creating it and its folder) the file, or an in-memory database for ":memory:", and
   * creates what `schema` says (CREATE ... IF NOT EXISTS) and the `added` columns a file made by an
   * earlier version lacks (SQLite has no ADD COLUMN IF NOT EXISTS).
   */
  constructor(file: string, schema: string, added: readonly AddedColumn[] = []) {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("foreign_keys = ON");
    this.db.exec(schema);
    for (const c of added) {
      const columns = this.db.pragma(`table_info(${c.table})`) as { name: string }[];
      if (!columns.some((col) => col.name === c.column)) this.db.exec(`ALTER TABLE ${c.table} ADD COLUMN ${c.column} ${c.type}`);
    }
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private readonly direct: SqlDb = {
    one: async <T>(sql: string, params: readonly unknown[] = []) => this.statement(sql).get(...params) as T | undefined,
    all: async <T>(sql: string, params: readonly unknown[] = []) => this.statement(sql).all(...params) as T[],
    run: async (sql: string, params: readonly unknown[] = []) => this.statement(sql).run(...params).changes,
    transaction: (work) => work(this.direct),
    close: async () => {},
  };

  async one<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    while (this.busy) await this.busy;
    return this.direct.one<T>(sql, params);
  }

  async all<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    while (this.busy) await this.busy;
    return this.direct.all<T>(sql, params);
  }

  async run(sql: string, params?: readonly unknown[]): Promise<number> {
    while (this.busy) await this.busy;
    return this.direct.run(sql, params);
  }

  async transaction<T>(work: (db: SqlDb) => Promise<T>): Promise<T> {
    while (this.busy) await this.busy;
    const done = (async () => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(this.direct);
        this.db.exec("COMMIT");
        return result;
      } catch (e) {
        this.db.exec("ROLLBACK");
        throw e;
      }
    })();
    this.busy = done.catch(() => {});
    try {
      return await done;
    } finally {
      this.busy = null;
    }
  }

  async close(): Promise<void> {
    while (this.busy) await this.busy;
    this.db.close();
  }
}
