import { RedisBus, type Bus } from "../../server/scale/bus";
import { MemoryPersistence, type Persistence } from "../../server/sync/persistence";
import { PostgresClassStore, type ClassStore } from "../../server/classes/class-store";
import { PostgresPersistence } from "../../server/sync/postgres-persistence";
import { freshSchema, REDIS_URL } from "./postgres";

/**
 * Which mode the server tests run in: the embedded default (in-memory storage, one process), or,
 * with `ATRIUM_TEST_MODE=scaled` (`npm test` runs the server files a second time so), documents in
 * PostgreSQL and rooms on the Redis bus, as a process of the scaled mode runs.
 */
export const SCALED = process.env.ATRIUM_TEST_MODE === "scaled";

/** Storage (and, scaled, the bus) for one test server; `close` releases them (and the schema). */
export async function testStorage(label: string): Promise<{ persistence: Persistence; bus?: Bus; classStore?: ClassStore; close(): Promise<void> }> {
  if (!SCALED) return { persistence: new MemoryPersistence(), close: async () => {} };
  const schema = await freshSchema(label);
  const persistence = await PostgresPersistence.open(schema.url);
  const classStore = await PostgresClassStore.open(schema.url);
  // Each test server has its own channel prefix: test files running at once share one Redis.
  const bus = new RedisBus(REDIS_URL, `atrium-test:${schema.schema}:`);
  await bus.ready();
  return {
    persistence,
    bus,
    classStore,
    close: async () => {
      await persistence.close();
      await classStore.close();
      await bus.close();
      await schema.drop();
    },
  };
}
