/**
 * A real Atrium server in its own process, storing documents in SQLite under argv[2], for the
 * durability test that kills it with SIGKILL. Everyone may write and create documents here: the
 * test is about storage, not access. Prints `{"port": N}` once listening.
 */
import { join, resolve } from "node:path";
import { createAtriumServer } from "../../server/http-app";
import { SqlitePersistence } from "../../server/sync/sqlite-persistence";
import { AccountStore } from "../../server/accounts/account-store";

const dataDir = process.argv[2]!;
const root = resolve(import.meta.dirname, "../..");
const persistence = new SqlitePersistence(join(dataDir, "atrium.sqlite"));
const { server } = createAtriumServer({
  distDir: join(root, "dist"),
  modelsDir: join(root, "models"),
  exhibitionsDir: join(root, "exhibitions"),
  persistence,
  accounts: new AccountStore(":memory:"),
  authorize: () => ({ role: "curator", user: "durability-test", canCreate: true }),
  syncLimits: { messagesPerSecond: 100_000, messageBurst: 100_000, compactEvery: 200 },
  log: () => {},
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + "\n");
});
