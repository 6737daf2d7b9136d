import { Job, Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { JobRunner, Jobs, JobStatus, TierJob } from "./jobs";

const QUEUE = "atrium-assets";

/**
 * The scaled mode's jobs: a BullMQ queue on Redis (chosen over a hand-written list: retries,
 * stalled-job recovery when a worker dies mid-job, and job state kept in Redis for any process
 * to answer a status poll). Every process can queue; processes that `work` take one job at a time
 * (a server process unless ATRIUM_RUN_JOBS=0, or `npm run worker`). A job whose worker was killed
 * is taken again by another once its lock lapses; a job that failed for a passing reason is tried
 * twice more, one that failed because of the file is not.
 */
export class RedisJobs implements Jobs {
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;

  constructor(
    redisUrl: string,
    private readonly options: { prefix?: string; log?: (line: string) => void; lockMs?: number } = {},
  ) {
    // BullMQ's blocking commands need a connection that never gives up on a request.
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix: options.prefix ?? "atrium:jobs", defaultJobOptions: { attempts: 3, backoff: { type: "exponential", delay: 2000 }, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 7 * 86_400 } } });
  }

  async enqueue(id: string, job: TierJob): Promise<void> {
    await this.queue.add(job.kind, job, { jobId: id });
  }

  async status(id: string): Promise<JobStatus | null> {
    const job = await Job.fromId(this.queue, id);
    if (!job) return null;
    const state = await job.getState();
    if (state === "completed") return { status: "done", result: job.returnvalue };
    if (state === "failed") return { status: "failed", error: job.failedReason };
    if (state === "active") return { status: "processing" };
    return state === "unknown" ? null : { status: "queued" };
  }

  work(runner: JobRunner): void {
    if (this.worker) return;
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    const run = async (job: Job<TierJob>) => {
      try {
        return await runner(job.data);
      } catch (e) {
        // What the file itself causes (refused, over a limit, a tier promise it cannot keep) fails
        // the same way every time: not tried again. A busy or closing sandbox, or a lost
        // connection, is.
        const code = (e as { code?: unknown }).code;
        if (typeof code === "string" && code !== "busy" && code !== "unavailable") throw new UnrecoverableError((e as Error).message);
        throw e;
      }
    };
    this.worker = new Worker(QUEUE, run, {
      connection: this.workerConnection,
      prefix: this.options.prefix ?? "atrium:jobs",
      concurrency: 1,
      lockDuration: this.options.lockMs ?? 60_000,
    });
    this.worker.on("failed", (job, e) => this.options.log?.(`[jobs] ${job?.id} failed (try ${job?.attemptsMade}): ${e.message}`));
    this.worker.on("error", (e) => this.options.log?.(`[jobs] ${e.message}`));
  }

  async idle(): Promise<void> {
    for (;;) {
      const c = await this.queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
      if (Object.values(c).every((n) => n === 0)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.workerConnection?.quit().catch(() => {});
    await this.queue.close();
    await this.connection.quit().catch(() => {});
  }
}
