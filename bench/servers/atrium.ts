/** Benchmark child: Atrium's server, everyone a curator; argv[2] = "sqlite" | "memory", argv[3] = data dir. */
import { join, resolve } from "node:path";
import { AccountStore } from "../../server/accounts/account-store";
import { createAtriumServer } from "../../server/http-app";
import { MemoryPersistence } from "../../server/sync/persistence";
import { SqlitePersistence } from "../../server/sync/sqlite-persistence";

const root = resolve(import.meta.dirname, "../..");
const persistence = process.argv[2] === "sqlite" ? new SqlitePersistence(join(process.argv[3]!, "bench.sqlite")) : new MemoryPersistence();
const { server } = createAtriumServer({
  distDir: join(root, "dist"),
  modelsDir: join(root, "models"),
  exhibitionsDir: join(root, "exhibitions"),
  persistence,
  accounts: new AccountStore(":memory:"),
  authorize: () => ({ role: "curator", user: "bench", canCreate: true }),
  syncLimits: { messagesPerSecond: 10_000, messageBurst: 10_000, compactEvery: 1_000_000 },
  log: () => {},
});
server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + "\n"));
