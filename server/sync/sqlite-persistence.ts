import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Worker } from "node:worker_threads";
import { startTsWorker } from "../util/ts-worker";
import { BatchedPersistence, type BatchRunner } from "./batched-persistence";
import type { StoreRequest } from "./persistence";
import type { WorkerAnswer, WorkerBatch } from "./sqlite-worker";

/**
 * Runs batches on the SQLite worker thread (`sqlite-worker.ts`). If the worker dies, the batch
 * under way fails (the rooms concerned resync) and the next batch starts a new worker.
 */
class SqliteWorkerRunner implements BatchRunner {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: (results: unknown[]) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(private readonly file: string) {
    this.start();
  }

  private start(): Worker {
    const worker = startTsWorker(new URL("./sqlite-worker.ts", import.meta.url), { workerData: { file: this.file } });
    this.worker = worker;
    worker.on("message", (a: WorkerAnswer) => {
      const w = this.waiting.get(a.id);
      if (!w) return;
      this.waiting.delete(a.id);
      if (a.ok) w.resolve(a.results);
      else w.reject(new Error(a.error));
    });
    const fail = (why: string) => {
      if (this.worker === worker) this.worker = null;
      for (const w of this.waiting.values()) w.reject(new Error(why));
      this.waiting.clear();
    };
    worker.on("error", (e) => fail(e.message));
    worker.on("exit", (code) => fail(`the storage worker stopped (exit ${code})`));
    return worker;
  }

  run(requests: StoreRequest[]): Promise<unknown[]> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, requests } satisfies WorkerBatch);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.postMessage("close");
    await exited;
  }
}

/**
 * The embedded default store: one SQLite file (WAL, `synchronous = FULL`), written by a worker
 * thread so that commits never hold the event loop: relaying edits goes on while the disk
 * flushes, and only acknowledgements wait. Group commit and ordering: `BatchedPersistence`.
 */
export class SqlitePersistence extends BatchedPersistence {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    super(new SqliteWorkerRunner(file));
  }
}
