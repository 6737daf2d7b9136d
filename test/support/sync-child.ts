/**
 * A real Atrium server in its own process, where everyone may write and create documents (unless
 * ATRIUM_TEST_REAL_ACCESS=1 keeps the site's own access rule): the
 * durability tests kill it with SIGKILL, the multi-process tests start three of them on one
 * PostgreSQL and one Redis, the benchmark drives it with 50 editors. Storage, not access, is what
 * they measure.
 *
 *   node --import tsx test/support/sync-child.ts sqlite <DATA_DIR> [COMPACT_EVERY]
 *   node --import tsx test/support/sync-child.ts memory [COMPACT_EVERY]
 *   node --import tsx test/support/sync-child.ts postgres <DATABASE_URL> [COMPACT_EVERY] [REDIS_URL]
 *
 * Prints `{"port": N}` once listening.
 */
import { join, resolve } from "node:path";
import { AccountStore } from "../../server/accounts/account-store";
import { createAtriumServer } from "../../server/http-app";
import { PostgresClassStore } from "../../server/classes/class-store";
import { RedisBus } from "../../server/scale/bus";
import { MemoryPersistence, type Persistence } from "../../server/sync/persistence";
import { PostgresPersistence } from "../../server/sync/postgres-persistence";
import { SqlitePersistence } from "../../server/sync/sqlite-persistence";

const [storage, location, compactArg, redisUrl] = process.argv.slice(2);
const compactEvery = Number((storage === "memory" ? location : compactArg) ?? 200);
const root = resolve(import.meta.dirname, "../..");
let persistence: Persistence;
if (storage === "sqlite") persistence = new SqlitePersistence(join(location!, "atrium.sqlite"));
else if (storage === "postgres") persistence = await PostgresPersistence.open(location!);
else persistence = new MemoryPersistence();
// Tests only: a slow disk, so that an update is on the bus well before it is stored.
const delay = Number(process.env.ATRIUM_TEST_APPEND_DELAY_MS ?? 0);
if (delay > 0) {
  const append = persistence.appendMany.bind(persistence);
  persistence.appendMany = async (doc, updates) => {
    await new Promise((r) => setTimeout(r, delay));
    return append(doc, updates);
  };
}
const bus = redisUrl ? new RedisBus(redisUrl) : undefined;
await bus?.ready();
const classStore = storage === "postgres" ? await PostgresClassStore.open(location!) : undefined;
const { server } = await createAtriumServer({
  distDir: join(root, "dist"),
  modelsDir: join(root, "models"),
  exhibitionsDir: join(root, "exhibitions"),
  persistence,
  bus,
  classStore,
  // On PostgreSQL the processes share its accounts; alone, accounts live in memory (or ATRIUM_TEST_ACCOUNTS).
  accounts: new AccountStore(process.env.ATRIUM_TEST_ACCOUNTS ?? (storage === "postgres" ? location! : ":memory:")),
  // ATRIUM_TEST_REAL_ACCESS=1: the site's own rule (sign-ins, roles, class seats), for tests of access across processes.
  ...(process.env.ATRIUM_TEST_REAL_ACCESS === "1" ? {} : { authorize: () => ({ role: "curator" as const, user: "test-writer", canCreate: true }) }),
  syncLimits: { messagesPerSecond: 100_000, messageBurst: 100_000, bytesPerSecond: 1 << 30, byteBurst: 1 << 30, workMsPerSecond: 1_000_000, workBurstMs: 1_000_000, compactEvery },
  // Every simulated editor is one account on one address: socket limits would stop the 50.
  connectionLimits: { perAddress: 1_000_000, perAccount: 1_000_000, openingsPerMinute: 1_000_000 },
  // The live-event benchmark's "class" is an audience of 1,200 following one guide.
  classLimits: { maxStudents: Number(process.env.ATRIUM_TEST_CLASS_MAX ?? 60) },
  log: () => {},
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + "\n");
});
