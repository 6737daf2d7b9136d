/**
 * The little SQL the account store needs, over either database: the embedded SQLite file or the
 * scaled mode's PostgreSQL. Statements are written once, with `?` placeholders and SQL both
 * understand (`ON CONFLICT (...) DO ...`, no `INSERT OR IGNORE`); each adapter runs them its way.
 */
export interface SqlDb {
  /** The first row, or undefined. */
  one<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * Runs `work` all or nothing: committed if it returns, rolled back if it throws. `work` must use
   * the `db` it is given (on PostgreSQL, the transaction's own connection).
   */
  transaction<T>(work: (db: SqlDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
