import type { CatalogueEntry } from "../../src/shared/exhibition";

/** Where a background job stands. */
export type JobStatus =
  | { status: "queued" | "processing" }
  | { status: "done"; result: unknown }
  | { status: "failed"; error: string };

/**
 * A job: the quality tiers and poster of an uploaded model. Plain data (it may travel through
 * Redis to another process): the entry as stored when the upload was accepted, and the model's
 * path in the uploads folder.
 */
export interface TierJob {
  kind: "tiers";
  entry: CatalogueEntry;
  glb: string;
}

/** What runs a job: `tier-job.ts` with this process's sandbox and uploads folder. */
export type JobRunner = (job: TierJob) => Promise<unknown>;

/**
 * Background work off the request path: asset processing uses seconds of CPU and must not run
 * inside a request or alongside another such job on a small server. In the embedded default the
 * jobs run in this process, one at a time (`LocalJobs`); in the scaled mode they wait in a queue
 * on Redis and any process (or `npm run worker`) takes the next (`redis-jobs.ts`).
 */
export interface Jobs {
  /** Queues a job under `id` (the entry's id: the upload answers with `/api/assets/jobs/<id>`). */
  enqueue(id: string, job: TierJob): Promise<void>;
  status(id: string): Promise<JobStatus | null>;
  /** Starts taking jobs with `runner` (a process that only queues never calls it). */
  work(runner: JobRunner): void;
  /** Resolves when every job queued so far has finished (for shutdown and tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The embedded default: jobs run in this process, one at a time, in the order queued. Status is
 * kept in memory for the UI to poll; a restart forgets unfinished jobs (the upload itself is
 * already stored and usable at its original tier).
 */
export class LocalJobs implements Jobs {
  private tail: Promise<void> = Promise.resolve();
  private readonly jobs = new Map<string, JobStatus>();
  private runner: JobRunner | null = null;
  private readonly waiting: { id: string; job: TierJob }[] = [];

  constructor(private readonly log: (line: string) => void = () => {}) {}

  async enqueue(id: string, job: TierJob): Promise<void> {
    this.jobs.set(id, { status: "queued" });
    if (this.runner) this.schedule(id, job, this.runner);
    else this.waiting.push({ id, job });
  }

  private schedule(id: string, job: TierJob, run: JobRunner): void {
    this.tail = this.tail.then(async () => {
      this.jobs.set(id, { status: "processing" });
      try {
        this.jobs.set(id, { status: "done", result: await run(job) });
      } catch (e) {
        this.log(`[jobs] ${id} failed: ${(e as Error).stack ?? e}`);
        this.jobs.set(id, { status: "failed", error: (e as Error).message });
      }
    });
  }

  work(runner: JobRunner): void {
    this.runner = runner;
    for (const { id, job } of this.waiting.splice(0)) this.schedule(id, job, runner);
  }

  async status(id: string): Promise<JobStatus | null> {
    return this.jobs.get(id) ?? null;
  }

  idle(): Promise<void> {
    return this.tail;
  }

  async close(): Promise<void> {
    await this.tail;
  }
}
