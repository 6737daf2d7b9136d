/**
 * The class-session benchmark's server: the real Atrium server (accounts, class channel, sync) in
 * its own process, so its CPU time and memory are its own. Prints `{"port": N}` when listening;
 * answers each "stats" line on stdin with its CPU time and memory (after a full GC).
 *
 *   node --expose-gc --import tsx bench/class-server.ts
 */
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { AccountStore } from "../server/accounts/account-store";
import { createAtriumServer } from "../server/http-app";
import { MemoryPersistence } from "../server/sync/persistence";

const root = resolve(import.meta.dirname, "..");
const { server } = createAtriumServer({
  distDir: join(root, "dist"),
  modelsDir: join(root, "models"),
  exhibitionsDir: join(root, "exhibitions"),
  persistence: new MemoryPersistence(),
  accounts: new AccountStore(":memory:"),
  // Every simulated student connects from 127.0.0.1: lift the per-address socket limits for the run.
  connectionLimits: { perAddress: 1_000_000, perAccount: 1_000_000, openingsPerMinute: 1_000_000 },
  log: () => {},
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + "\n");
});
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() !== "stats") return;
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  process.stdout.write(JSON.stringify({ cpuMicros: process.cpuUsage(), rss: m.rss, heapUsed: m.heapUsed, external: m.external, at: performance.now() }) + "\n");
});
