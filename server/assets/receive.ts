import { createHash, randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";

/** A request body saved to a temporary file. */
export interface Received {
  path: string;
  bytes: number;
  sha256: string;
  /** Deletes the temporary file (safe to call twice). */
  discard(): void;
}

/** The body was larger than allowed. */
export class TooLargeError extends Error {}

/**
 * Streams a request body to `<dir>/<random>.part`, hashing it on the way, so a 60 MB scan never
 * sits in memory as chunks while it arrives. Refuses (and deletes) a body over `limit` bytes as
 * soon as it passes the limit.
 */
export async function receiveToFile(req: IncomingMessage, dir: string, limit: number): Promise<Received> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${randomBytes(12).toString("hex")}.part`);
  const discard = () => rmSync(path, { force: true });
  const hash = createHash("sha256");
  const out = createWriteStream(path);
  // A write still in flight when the stream is destroyed (a refused or aborted upload) reports
  // an error afterwards: keep it here instead of letting it escape as an uncaught exception.
  let failed: Error | null = null;
  out.on("error", (e) => (failed ??= e));
  let bytes = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > limit) throw new TooLargeError(`the file is larger than ${Math.round(limit / 1024 / 1024)} MB`);
      hash.update(chunk);
      // Respect back-pressure: wait for the disk when its buffer is full (or the stream failed).
      // Both listeners go once either fires: a long upload must not pile up "close" listeners.
      if (!out.write(chunk))
        await new Promise<void>((resolve) => {
          const done = () => {
            out.off("drain", done);
            out.off("close", done);
            resolve();
          };
          out.on("drain", done);
          out.on("close", done);
        });
      if (failed) throw failed;
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  } catch (e) {
    out.destroy();
    discard();
    throw e;
  }
  return { path, bytes, sha256: hash.digest("hex"), discard };
}
