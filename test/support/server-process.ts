import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./server";

/** A server process started by `startServerProcess`. */
export interface ServerProcess {
  url: string;
  ws: string;
  proc: ChildProcess;
  /** What the server logged (stderr). */
  log: string[];
  /** Resident memory of the server process, in MB (Linux /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

/** Starts `test/support/atrium-process.ts` with `options` (see there) and waits until it listens. */
export async function startServerProcess(options: Record<string, unknown> = {}): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test/support/atrium-process.ts")], {
    cwd: ROOT,
    env: { ...process.env, ATRIUM_TEST_SERVER: JSON.stringify(options) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  proc.stderr!.on("data", (d: Buffer) => log.push(...d.toString().split("\n").filter(Boolean)));
  const port = await new Promise<number>((ok, fail) => {
    proc.stdout!.once("data", (d: Buffer) => ok(JSON.parse(d.toString()).port));
    proc.once("exit", (code) => fail(new Error(`the server process exited with ${code}: ${log.join("\n")}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}`,
    proc,
    log,
    rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, "utf8"))![1]) / 1024,
    stop: () =>
      new Promise<void>((ok) => {
        if (proc.exitCode !== null) return ok();
        proc.once("exit", () => ok());
        proc.kill("SIGKILL");
      }),
  };
}

/** Polls `url` every `everyMs` until stopped; reports the slowest answer and how many failed. */
export function pollLatency(url: string, everyMs = 50) {
  let worst = 0;
  let failures = 0;
  let count = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      try {
        const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        await r.arrayBuffer();
        if (!r.ok) failures++;
      } catch {
        failures++;
      }
      worst = Math.max(worst, performance.now() - t);
      count++;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { worstMs: worst, failures, count };
    },
  };
}
