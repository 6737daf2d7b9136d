/** Where a background job stands. */
export type JobStatus =
  | { status: "queued" | "processing" }
  | { status: "done"; result: unknown }
  | { status: "failed"; error: string };

/**
 * An in-process job queue, one job at a time, off the request path: asset processing (quality
 * tiers) uses seconds of CPU and must not run inside a request or alongside another such job on
 * a small server. Status is kept in memory for the UI to poll; a restart forgets unfinished jobs
 * (the upload itself is already stored and usable at its original tier).
 */
export class JobQueue {
  private tail: Promise<void> = Promise.resolve();
  private readonly jobs = new Map<string, JobStatus>();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  enqueue(id: string, run: () => Promise<unknown>): void {
    this.jobs.set(id, { status: "queued" });
    this.tail = this.tail.then(async () => {
      this.jobs.set(id, { status: "processing" });
      try {
        this.jobs.set(id, { status: "done", result: await run() });
      } catch (e) {
        this.log(`[jobs] ${id} failed: ${(e as Error).stack ?? e}`);
        this.jobs.set(id, { status: "failed", error: (e as Error).message });
      }
    });
  }

  status(id: string): JobStatus | null {
    return this.jobs.get(id) ?? null;
  }

  /** Resolves when every job queued so far has finished (for shutdown and tests). */
  idle(): Promise<void> {
    return this.tail;
  }
}
