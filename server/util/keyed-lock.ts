/**
 * One-at-a-time work per key (a document id): loading a room, unloading it with its final
 * snapshot, and the documents module's writes to a document with no live room each run alone,
 * in the order they were asked for. Without it, a room could load before an API write to the same
 * document was stored, and later overwrite it with its snapshot.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` once the work queued before it under `key` has finished (failed or not). */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(work);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when everything queued so far, under every key, has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
