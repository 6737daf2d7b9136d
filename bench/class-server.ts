/**
 * The class-session benchmark's server: the real Atrium server (accounts, class channel, sync) in
 * its own process, so its CPU time and memory are its own. Prints `{"port": N}` when listening;
 * answers each "stats" line on stdin with its CPU time and memory (after a full GC).
 *
 *   node --expose-gc --import tsx bench/class-server.ts
 */
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { WebSocketServer } from "ws";
import { setupWSConnection } from "@y/websocket-server/utils";
import { createInterface } from "node:readline";
import { AccountStore } from "../server/accounts/account-store";
import { passwordProblem } from "../server/accounts/password-policy";
import { createAtriumServer } from "../server/http-app";
import { MemoryPersistence } from "../server/sync/persistence";

const root = resolve(import.meta.dirname, "..");
/**
 * `--reference`: the unmodified reference y-websocket server instead, for the comparison over Yjs
 * awareness (everyone's state to everyone, as the design first sketched). Atrium itself relays
 * presence only from signed-in editors and commenters, checked (docs/ARCHITECTURE.md, "Presence"),
 * so a class over awareness is not something it can be configured to do.
 */
const server = process.argv.includes("--reference") ? referenceServer() : await atriumServer();
// The password checker loads its word lists (about 25 MB) on the first sign-up: load them before
// the benchmark's "before" reading, as in a server that has seen one sign-up, so they are not
// counted as memory per student.
if (!process.argv.includes("--reference")) passwordProblem("warm up the lists");

function referenceServer() {
  const http = createServer((_req, res) => res.end("ok"));
  const wss = new WebSocketServer({ noServer: true });
  wss.on("connection", (ws, req) => setupWSConnection(ws, req));
  http.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req)));
  return http;
}

async function atriumServer() {
  return (await createAtriumServer({
    distDir: join(root, "dist"),
    modelsDir: join(root, "models"),
    exhibitionsDir: join(root, "exhibitions"),
    persistence: new MemoryPersistence(),
    accounts: new AccountStore(":memory:"),
    // Every simulated student connects from 127.0.0.1: lift the per-address socket limits for the run...
    connectionLimits: { perAddress: 1_000_000, perAccount: 1_000_000, openingsPerMinute: 1_000_000 },
    // ...and the 50 teachers sign up from it.
    throttles: { signupsPerAddressPerHour: 1_000_000 },
    log: () => {},
  })).server;
}
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + "\n");
});
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() !== "stats") return;
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  process.stdout.write(JSON.stringify({ cpuMicros: process.cpuUsage(), rss: m.rss, heapUsed: m.heapUsed, external: m.external, at: performance.now() }) + "\n");
});
