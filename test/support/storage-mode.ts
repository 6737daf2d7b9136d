import { RedisBus, type Bus } from "../../server/scale/bus";
import { Redis } from "ioredis";
import type { Jobs } from "../../server/assets/jobs";
import { RedisJobs } from "../../server/assets/redis-jobs";
import { MemoryPersistence, type Persistence } from "../../server/sync/persistence";
import { PostgresClassStore, type ClassStore } from "../../server/classes/class-store";
import { PostgresPersistence } from "../../server/sync/postgres-persistence";
import { AccountStore } from "../../server/accounts/account-store";
import { PostgresDb } from "../../server/db/postgres-db";
import type { SqlDb } from "../../server/db/sql";
import { dropSchema, freshSchema, REDIS_URL, schemaName, schemaUrl } from "./postgres";

/**
 * Which mode the server tests run in: the embedded default (in-memory storage, one process), or,
 * with `ATRIUM_TEST_MODE=scaled` (`npm test` runs the server files a second time so), documents in
 * PostgreSQL and rooms on the Redis bus, as a process of the scaled mode runs.
 */
export const SCALED = process.env.ATRIUM_TEST_MODE === "scaled";

/** Storage (and, scaled, the bus) for one test server; `close` releases them (and the schema). */
export async function testStorage(label: string): Promise<{ persistence: Persistence; bus?: Bus; classStore?: ClassStore; jobs?: Jobs; close(): Promise<void> }> {
  if (!SCALED) return { persistence: new MemoryPersistence(), close: async () => {} };
  const schema = await freshSchema(label);
  const persistence = await PostgresPersistence.open(schema.url);
  const classStore = await PostgresClassStore.open(schema.url);
  // Each test server has its own channel prefix: test files running at once share one Redis.
  const bus = new RedisBus(REDIS_URL, `atrium-test:${schema.schema}:`);
  await bus.ready();
  // Asset jobs through a BullMQ queue of its own on the same Redis.
  const jobs = new RedisJobs(REDIS_URL, { prefix: `atrium-test:${schema.schema}:jobs` });
  return {
    persistence,
    bus,
    classStore,
    jobs,
    close: async () => {
      await jobs.close();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`atrium-test:${schema.schema}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await persistence.close();
      await classStore.close();
      await bus.close();
      await schema.drop();
    },
  };
}

/**
 * An account store for one test file or server: in memory (SQLite), or in the scaled mode in
 * PostgreSQL, in a schema of its own that `close()` drops. Made without waiting (the schema is
 * created before the first statement), so a test file can make it at its top.
 */
export function testAccounts(label: string): AccountStore {
  if (!SCALED) return new AccountStore(":memory:");
  const schema = schemaName(`acc_${label}`);
  const db = new PostgresDb(schemaUrl(schema), {
    before: async (pool) => {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    },
  });
  const dropping: SqlDb = {
    one: (sql, params) => db.one(sql, params),
    all: (sql, params) => db.all(sql, params),
    run: (sql, params) => db.run(sql, params),
    transaction: (work) => db.transaction(work),
    close: async () => {
      await db.close();
      await dropSchema(schema);
    },
  };
  return new AccountStore(dropping);
}
