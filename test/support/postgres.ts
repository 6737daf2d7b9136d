import pg from "pg";

/** The Redis every development and CI machine runs. */
export const REDIS_URL = process.env.ATRIUM_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** The PostgreSQL every development and CI machine runs (trust auth, database `test`). */
export const POSTGRES_URL = process.env.ATRIUM_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * A schema of its own in the test database, so test files and runs never see each other's rows:
 * returns a connection URL whose sessions use it, and a function that drops it.
 */
export async function freshSchema(label: string): Promise<{ url: string; schema: string; drop: () => Promise<void> }> {
  const schema = schemaName(label);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return { url: schemaUrl(schema), schema, drop: () => dropSchema(schema) };
}

/** A schema name no other test file or run uses. */
export function schemaName(label: string): string {
  return `t_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A connection URL to the test database whose sessions use `schema`. */
export function schemaUrl(schema: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: POSTGRES_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}
