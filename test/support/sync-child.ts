/**
 * A real Atrium server in its own process, where everyone may write and create documents: the
 * durability test kills it with SIGKILL, the benchmark drives it with 50 editors. Storage, not
 * access, is what they measure.
 *
 *   node --import tsx test/support/sync-child.ts <sqlite DATA_DIR | memory> [COMPACT_EVERY]
 *
 * Prints `{"port": N}` once listening.
 */
import { join, resolve } from "node:path";
import { AccountStore } from "../../server/accounts/account-store";
import { createAtriumServer } from "../../server/http-app";
import { MemoryPersistence } from "../../server/sync/persistence";
import { SqlitePersistence } from "../../server/sync/sqlite-persistence";

const [storage, dataDirOrCompact, compactArg] = process.argv.slice(2);
const sqlite = storage === "sqlite";
const compactEvery = Number((sqlite ? compactArg : dataDirOrCompact) ?? 200);
const root = resolve(import.meta.dirname, "../..");
const { server } = await createAtriumServer({
  distDir: join(root, "dist"),
  modelsDir: join(root, "models"),
  exhibitionsDir: join(root, "exhibitions"),
  persistence: sqlite ? new SqlitePersistence(join(dataDirOrCompact!, "atrium.sqlite")) : new MemoryPersistence(),
  accounts: new AccountStore(":memory:"),
  authorize: () => ({ role: "curator", user: "test-writer", canCreate: true }),
  syncLimits: { messagesPerSecond: 100_000, messageBurst: 100_000, bytesPerSecond: 1 << 30, byteBurst: 1 << 30, workMsPerSecond: 1_000_000, workBurstMs: 1_000_000, compactEvery },
  // Every simulated editor is one account on one address: socket limits would stop the 50.
  connectionLimits: { perAddress: 1_000_000, perAccount: 1_000_000, openingsPerMinute: 1_000_000 },
  log: () => {},
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + "\n");
});
