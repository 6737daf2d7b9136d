import pg from "pg";
import { inTransaction, migrate } from "./postgres-migrations";
import type { SqlDb } from "./sql";

/** `?` placeholders as PostgreSQL's `$1, $2, ...` (the shared statements hold no literal `?`). */
const numbered = new Map<string, string>();
function toPostgres(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, out);
  }
  return out;
}

function over(query: (sql: string, params: unknown[]) => Promise<pg.QueryResult>, transaction: SqlDb["transaction"], close: () => Promise<void>): SqlDb {
  return {
    one: async <T>(sql: string, params: readonly unknown[] = []) => (await query(toPostgres(sql), [...params])).rows[0] as T | undefined,
    all: async <T>(sql: string, params: readonly unknown[] = []) => (await query(toPostgres(sql), [...params])).rows as T[],
    run: async (sql: string, params: readonly unknown[] = []) => (await query(toPostgres(sql), [...params])).rowCount ?? 0,
    transaction,
    close,
  };
}

/**
 * `SqlDb` over a PostgreSQL pool (the scaled mode). The schema's migrations run before the first
 * statement, so the store can be made without waiting (`ready()` to wait and see errors early).
 * `before` runs once first (the tests create their schema there).
 */
export class PostgresDb implements SqlDb {
  readonly pool: pg.Pool;
  private readonly started: Promise<void>;
  private readonly db: SqlDb;

  constructor(url: string, options: { maxConnections?: number; before?: (pool: pg.Pool) => Promise<void> } = {}) {
    const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 4 });
    this.pool = pool;
    this.started = (async () => {
      await options.before?.(pool);
      await migrate(pool);
    })();
    // Nobody may be waiting yet: a failure is reported by the first statement (or `ready`).
    this.started.catch(() => {});
    this.db = over(
      async (sql, params) => {
        await this.started;
        return this.pool.query(sql, params);
      },
      (work) => this.transaction(work),
      () => this.close(),
    );
  }

  /** Resolves once the schema is up to date; rejects with why it cannot be. */
  ready(): Promise<void> {
    return this.started;
  }

  one<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.db.one<T>(sql, params);
  }
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.db.all<T>(sql, params);
  }
  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.db.run(sql, params);
  }

  async transaction<T>(work: (db: SqlDb) => Promise<T>): Promise<T> {
    await this.started;
    const client = await this.pool.connect();
    try {
      const inner: SqlDb = over(
        (sql, params) => client.query(sql, params),
        (nested) => nested(inner),
        async () => {},
      );
      return await inTransaction(client, () => work(inner));
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.started.catch(() => {});
    await this.pool.end();
  }
}
