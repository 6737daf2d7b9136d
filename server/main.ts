/**
 * `npm start` (after the build) and `npm run serve`: one Node process serving the app, the API,
 * the collaboration endpoint, the sample exhibitions and their models.
 *
 * Environment: PORT (default 8080), HOST (default all interfaces), ATRIUM_DATA_DIR (default
 * ./data: the SQLite file of documents and accounts), ATRIUM_EXHIBITIONS_DIR (default
 * ./exhibitions), ATRIUM_MODELS_DIR (default ./models), ATRIUM_CATALOGUE_DIR (default ./catalogue:
 * museum open-data records for the studio's catalogue; uploads go to $ATRIUM_DATA_DIR/uploads), ATRIUM_DIST_DIR (default ./dist),
 * ATRIUM_ADMIN_EMAIL + ATRIUM_ADMIN_PASSWORD (create the first site administrator at start-up),
 * ATRIUM_SECURE_COOKIES=1 (behind HTTPS), ATRIUM_CLASS_MAX (students per class, default 60),
 * ATRIUM_CLASS_CODE_MINUTES (how long a join code admits students, default 180),
 * ATRIUM_PUBLIC_URL (the address visitors use; links and allowed origin), ATRIUM_ALLOWED_ORIGINS
 * (comma-separated, other sites' pages that may change things here), ATRIUM_TRUST_PROXY (reverse
 * proxies in front, default 0), ATRIUM_MAX_SOCKETS_PER_ADDRESS (default 300),
 * ATRIUM_SANDBOX_PROCESSES (default 1) and ATRIUM_SANDBOX_MEMORY_MB (default 1024),
 * ATRIUM_DATABASE_URL (postgres://...: documents, versions, accounts and classes in PostgreSQL), ATRIUM_REDIS_URL
 * (redis://...: live document updates and presence across processes, the asset job queue; needs
 * ATRIUM_DATABASE_URL), ATRIUM_RUN_JOBS=0 (this process leaves asset jobs to `npm run worker`),
 * ATRIUM_REDIS_PREFIX (default "atrium:", for several sites on one Redis): see README.
 */
import { resolve } from "node:path";
import { AccountStore } from "./accounts/account-store";
import { ensureAdmin } from "./accounts/admin";
import { createAtriumServer } from "./http-app";
import type { Persistence } from "./sync/persistence";
import { Redis } from "ioredis";
import { RedisBus } from "./scale/bus";
import { PostgresClassStore } from "./classes/class-store";
import { RedisJobs } from "./assets/redis-jobs";
import { SqlEntryRows } from "./catalogue/entry-rows";
import { PostgresPersistence } from "./sync/postgres-persistence";
import { SqlitePersistence } from "./sync/sqlite-persistence";

const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`[atrium] PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}
const host = process.env.HOST || undefined;
const dataDir = resolve(process.env.ATRIUM_DATA_DIR ?? "data");
const dbFile = resolve(dataDir, "atrium.sqlite");
// Documents in PostgreSQL when ATRIUM_DATABASE_URL is set (its schema migrated at start), else in
// the embedded SQLite file (written by a worker thread).
const databaseUrl = process.env.ATRIUM_DATABASE_URL || null;
let persistence: Persistence;
try {
  persistence = databaseUrl ? await PostgresPersistence.open(databaseUrl) : new SqlitePersistence(dbFile);
} catch (e) {
  console.error(`[atrium] cannot open the database of ATRIUM_DATABASE_URL: ${(e as Error).message}`);
  process.exit(2);
}
const redisUrl = process.env.ATRIUM_REDIS_URL || null;
if (redisUrl && !databaseUrl) {
  console.error("[atrium] ATRIUM_REDIS_URL joins processes that share one database: set ATRIUM_DATABASE_URL too");
  process.exit(2);
}
// Several sites may share one Redis: each keeps to its own keys and channels.
const redisPrefix = process.env.ATRIUM_REDIS_PREFIX || "atrium:";
const bus = redisUrl ? new RedisBus(redisUrl, redisPrefix) : undefined;
// The API's throttles count in Redis too, so a limit holds whichever process answers.
const limitsClient = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
try {
  await bus?.ready();
} catch (e) {
  console.error(`[atrium] cannot reach Redis at ATRIUM_REDIS_URL: ${(e as Error).message}`);
  process.exit(2);
}
// Class sessions go to PostgreSQL with the documents: a class goes on when its process restarts.
const classStore = databaseUrl ? await PostgresClassStore.open(databaseUrl) : undefined;
// Accounts, sessions, museums and memberships live beside the documents: in PostgreSQL, every
// process sees a sign-in or a removed membership at once.
const accounts = new AccountStore(databaseUrl ?? dbFile);
try {
  await accounts.ready();
} catch (e) {
  console.error(`[atrium] cannot open the accounts database: ${(e as Error).message}`);
  process.exit(2);
}

const adminEmail = process.env.ATRIUM_ADMIN_EMAIL;
const adminPassword = process.env.ATRIUM_ADMIN_PASSWORD;
if (adminEmail && adminPassword) console.log(`[atrium] ${await ensureAdmin(accounts, adminEmail, adminPassword)}`);

// One request must never end the process: a promise nobody awaited is logged, not fatal. A thrown
// exception nobody caught leaves the process in an unknown state: it is logged and the process
// exits, for the supervisor (systemd, see README) to start a clean one.
process.on("unhandledRejection", (reason) => console.error(`[atrium] unhandled rejection (the server carries on): ${(reason as Error)?.stack ?? reason}`));
process.on("uncaughtException", (e) => {
  console.error(`[atrium] uncaught exception, exiting for a clean restart: ${e.stack ?? e}`);
  process.exit(70);
});

const publicUrl = process.env.ATRIUM_PUBLIC_URL || null;
for (const [name, value] of [["ATRIUM_PUBLIC_URL", publicUrl], ...(process.env.ATRIUM_ALLOWED_ORIGINS ?? "").split(",").filter(Boolean).map((o) => ["ATRIUM_ALLOWED_ORIGINS", o.trim()])] as const) {
  if (value && !/^https?:\/\/[^/]+\/?$/.test(value)) {
    console.error(`[atrium] ${name} must be an origin such as https://atrium.museum.org, got "${value}"`);
    process.exit(2);
  }
}

// Asset jobs (quality tiers of uploads) wait in a queue on Redis that every process takes from,
// unless ATRIUM_RUN_JOBS=0 leaves them to `npm run worker` processes.
const jobs = redisUrl ? new RedisJobs(redisUrl, { prefix: `${redisPrefix}jobs`, log: (l) => console.error(l) }) : undefined;
const { server, library, sync, classes, stop, jobs: jobQueue } = await createAtriumServer({
  persistence,
  // Catalogue entries of uploads and imports beside the accounts (PostgreSQL in the scaled mode).
  entryRows: databaseUrl ? new SqlEntryRows(accounts.db) : undefined,
  jobs,
  runJobs: process.env.ATRIUM_RUN_JOBS !== "0",
  bus,
  classStore,
  sharedLimits: limitsClient ? { client: limitsClient, prefix: redisPrefix } : undefined,
  accounts,
  secureCookies: process.env.ATRIUM_SECURE_COOKIES === "1" || (publicUrl?.startsWith("https:") ?? false),
  site: { publicUrl, allowedOrigins: (process.env.ATRIUM_ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean) },
  trustProxy: process.env.ATRIUM_TRUST_PROXY ? nonNegative("ATRIUM_TRUST_PROXY") : 0,
  ...(process.env.ATRIUM_MAX_SOCKETS_PER_ADDRESS ? { connectionLimits: { perAddress: positive("ATRIUM_MAX_SOCKETS_PER_ADDRESS") } } : {}),
  sandbox: {
    ...(process.env.ATRIUM_SANDBOX_PROCESSES ? { processes: positive("ATRIUM_SANDBOX_PROCESSES") } : {}),
    ...(process.env.ATRIUM_SANDBOX_MEMORY_MB ? { memoryMb: positive("ATRIUM_SANDBOX_MEMORY_MB") } : {}),
  },
  distDir: resolve(process.env.ATRIUM_DIST_DIR ?? "dist"),
  modelsDir: resolve(process.env.ATRIUM_MODELS_DIR ?? "models"),
  exhibitionsDir: resolve(process.env.ATRIUM_EXHIBITIONS_DIR ?? "exhibitions"),
  catalogueDir: resolve(process.env.ATRIUM_CATALOGUE_DIR ?? "catalogue"),
  uploadsDir: resolve(dataDir, "uploads"),
  classLimits: {
    ...(process.env.ATRIUM_CLASS_MAX ? { maxStudents: positive("ATRIUM_CLASS_MAX") } : {}),
    ...(process.env.ATRIUM_CLASS_CODE_MINUTES ? { codeTtlMs: positive("ATRIUM_CLASS_CODE_MINUTES") * 60_000 } : {}),
  },
});

/** A positive whole number from the environment, or exit saying which variable is wrong. */
function positive(name: string): number {
  const n = Number(process.env[name]);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`[atrium] ${name} must be a positive whole number, got "${process.env[name]}"`);
    process.exit(2);
  }
  return n;
}

/** A whole number >= 0 from the environment, or exit saying which variable is wrong. */
function nonNegative(name: string): number {
  const n = Number(process.env[name]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`[atrium] ${name} must be a whole number, got "${process.env[name]}"`);
    process.exit(2);
  }
  return n;
}

server.listen(port, host, () => {
  const addr = server.address();
  const actual = typeof addr === "object" && addr ? addr.port : port;
  console.log(`[atrium] ${library.loaded.size} exhibition(s) loaded, ${library.broken.size} broken`);
  if (databaseUrl) console.log("[atrium] documents, accounts, catalogue entries and classes stored in PostgreSQL");
  else console.log(`[atrium] documents and accounts stored in ${dbFile}`);
  console.log(`[atrium] serving on ${publicUrl ?? `http://localhost:${actual}`}`);
  if (!publicUrl) console.log("[atrium] ATRIUM_PUBLIC_URL is not set: links use this machine's own names; set it for a public site");
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    // Close WebSockets first (the HTTP server waits for them); rooms store a final snapshot, then
    // the storage worker finishes its last commit.
    const synced = sync.close();
    classes.close();
    stop();
    server.close(() => {
      void synced
        .then(() => Promise.all([persistence.close(), bus?.close(), limitsClient?.quit(), classStore?.close(), jobQueue.close()]))
        .finally(() => accounts.close().finally(() => process.exit(0)));
    });
    server.closeAllConnections();
  });
}
