import type { NewVersion, Persistence, StoreRequest, VersionInfo } from "./persistence";

/** Runs a batch of calls in order as one transaction (all or none); their results in order. */
export interface BatchRunner {
  run(requests: StoreRequest[]): Promise<unknown[]>;
  close(): Promise<void>;
}

interface Call {
  request: StoreRequest;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Group commit, written once for every store: calls made while a batch is committing wait and go
 * together in the next batch, one transaction and one flush to disk however many rooms and
 * updates they come from. Batches run one at a time, so calls take effect in the order they were
 * made and a `load` sees every write called before it (the `Persistence` contract). Under light
 * load a call commits at once; under heavy load a commit serves many.
 */
export class BatchedPersistence implements Persistence {
  private queue: Call[] = [];
  private running: Promise<void> | null = null;
  private closed = false;
  /** Batches committed so far (for tests and the benchmark: calls per commit). */
  commits = 0;

  constructor(private readonly runner: BatchRunner) {}

  private call<T>(request: StoreRequest): Promise<T> {
    if (this.closed) return Promise.reject(new Error("storage: closed"));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ request, resolve: resolve as (v: unknown) => void, reject });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the calls of this event-loop turn join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const results = await this.runner.run(batch.map((c) => c.request));
        this.commits++;
        batch.forEach((c, i) => c.resolve(results[i]));
      } catch (e) {
        const error = new Error(`storage: ${(e as Error).message}`);
        for (const c of batch) c.reject(error);
      }
    }
    this.running = null;
  }

  load(doc: string): Promise<Uint8Array[]> {
    return this.call({ op: "load", doc });
  }
  appendMany(doc: string, updates: Uint8Array[]): Promise<void> {
    return this.call({ op: "appendMany", doc, updates });
  }
  compact(doc: string, state: Uint8Array): Promise<void> {
    return this.call({ op: "compact", doc, state });
  }
  count(doc: string): Promise<number> {
    return this.call({ op: "count", doc });
  }
  saveVersion(doc: string, version: NewVersion): Promise<number> {
    return this.call({ op: "saveVersion", doc, version });
  }
  versions(doc: string): Promise<VersionInfo[]> {
    return this.call({ op: "versions", doc });
  }
  versionContent(doc: string, id: number): Promise<string | null> {
    return this.call({ op: "versionContent", doc, id });
  }

  /** Lets the calls made so far commit, then releases the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.running;
    await this.runner.close();
  }
}
