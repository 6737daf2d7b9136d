/**
 * `npm run worker`: a process of the scaled mode that serves nothing and only runs asset jobs
 * (quality tiers and posters of uploaded models) from the queue on Redis, so that uploads do not
 * take CPU from the processes serving visitors (start those with ATRIUM_RUN_JOBS=0). It needs the
 * uploads folder the servers share (ATRIUM_DATA_DIR, default ./data), ATRIUM_REDIS_URL and the
 * servers' ATRIUM_DATABASE_URL (where catalogue entries are stored); what it makes reaches every
 * server's catalogue over the bus. ATRIUM_SANDBOX_PROCESSES and
 * ATRIUM_SANDBOX_MEMORY_MB apply as for the server.
 */
import { resolve } from "node:path";
import { RedisJobs } from "./assets/redis-jobs";
import { AssetSandbox } from "./assets/sandbox";
import { runTierJob } from "./assets/tier-job";
import { UploadStore } from "./catalogue/uploads";
import { SqlEntryRows } from "./catalogue/entry-rows";
import { PostgresDb } from "./db/postgres-db";
import { RedisBus } from "./scale/bus";
import { bridgeCatalogue } from "./scale/catalogue-bridge";

const redisUrl = process.env.ATRIUM_REDIS_URL;
if (!redisUrl) {
  console.error("[worker] set ATRIUM_REDIS_URL to the Redis of the servers' queue (redis://host:6379)");
  process.exit(2);
}
const databaseUrl = process.env.ATRIUM_DATABASE_URL;
if (!databaseUrl) {
  console.error("[worker] set ATRIUM_DATABASE_URL to the servers' PostgreSQL (catalogue entries are stored there)");
  process.exit(2);
}
const prefix = process.env.ATRIUM_REDIS_PREFIX || "atrium:";
const log = (line: string) => console.error(line);
const db = new PostgresDb(databaseUrl, { maxConnections: 2 });
try {
  await db.ready();
} catch (e) {
  console.error(`[worker] cannot open the database of ATRIUM_DATABASE_URL: ${(e as Error).message}`);
  process.exit(2);
}
// The worker only saves the entries its jobs finish (the job carries the entry): nothing to load.
const uploads = new UploadStore(resolve(process.env.ATRIUM_DATA_DIR ?? "data", "uploads"), new SqlEntryRows(db));
const whole = (name: string) => (process.env[name] ? Math.max(1, Math.floor(Number(process.env[name])) || 1) : undefined);
const sandbox = new AssetSandbox({ ...(whole("ATRIUM_SANDBOX_PROCESSES") ? { processes: whole("ATRIUM_SANDBOX_PROCESSES") } : {}), ...(whole("ATRIUM_SANDBOX_MEMORY_MB") ? { memoryMb: whole("ATRIUM_SANDBOX_MEMORY_MB") } : {}) }, log);
const bus = new RedisBus(redisUrl, prefix);
try {
  await bus.ready();
} catch (e) {
  console.error(`[worker] cannot reach Redis at ATRIUM_REDIS_URL: ${(e as Error).message}`);
  process.exit(2);
}
// Publish only: the worker keeps no catalogue of its own.
const bridge = await bridgeCatalogue(bus, () => {});
const jobs = new RedisJobs(redisUrl, { prefix: `${prefix}jobs`, log });
jobs.work(async (job) => {
  const result = await runTierJob({ uploads, sandbox, saved: (entry) => bridge.publish(entry) }, job);
  log(`[worker] ${job.entry.id}: tiers and poster made in ${Math.round(result.ms)} ms`);
  return result;
});
console.log(`[worker] taking asset jobs from ${redisUrl} (uploads in ${uploads.dir})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    // The job in hand finishes first (BullMQ's close waits for it); the queue keeps the rest.
    void jobs
      .close()
      .then(() => Promise.all([bus.close(), sandbox.close(), db.close()]))
      .finally(() => process.exit(0));
  });
}
