/**
 * The persistence worker thread: owns the SQLite file and runs each batch it is sent as one
 * transaction, so the server's event loop never waits for the disk (docs/ARCHITECTURE.md,
 * "Persistence"). Batches arrive one at a time (`BatchedPersistence`).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { StoreRequest } from "./persistence";
import { SqliteStore } from "./sqlite-store";

/** A batch as posted by `SqlitePersistence`. */
export interface WorkerBatch {
  id: number;
  requests: StoreRequest[];
}
/** The answer to one batch. */
export type WorkerAnswer = { id: number; ok: true; results: unknown[] } | { id: number; ok: false; error: string };

const port = parentPort!;
const store = new SqliteStore((workerData as { file: string }).file);

port.on("message", (m: WorkerBatch | "close") => {
  if (m === "close") {
    store.close();
    port.close();
    return;
  }
  let answer: WorkerAnswer;
  try {
    answer = { id: m.id, ok: true, results: store.run(m.requests) };
  } catch (e) {
    // The transaction was rolled back: none of this batch is stored.
    answer = { id: m.id, ok: false, error: (e as Error).message };
  }
  port.postMessage(answer);
});
