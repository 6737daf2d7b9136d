import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ErrorCode } from "../http/errors";
import { UploadError } from "./upload-analysis";

/** Work the sandbox process does (see `asset-worker.ts`). */
export type SandboxTask =
  | { kind: "analyse-upload"; path: string; title: string; declaredType: string }
  | { kind: "tiers"; glb: string; outDir: string }
  /** A watertight STL and 3MF of a model for 3D printing, `sizeMm` along its longest side (`server/print/tactile.ts`). */
  | { kind: "tactile"; glb: string; sizeMm: number; unitsPerMeter: number; title: string; outDir: string }
  /** Tests only: run out of memory, or out of time. */
  | { kind: "crash-test"; how: "memory" | "time" };

/** The sandbox's answer to one task. */
export type SandboxAnswer =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: ErrorCode; message: string; findings?: { code: string; message: string; pointer?: string; file?: string }[] } };

/** Limits of the asset sandbox. */
export interface SandboxOptions {
  /** Processes working at once (each takes one task at a time). */
  processes: number;
  /** Memory one process may use (resident), in MB; over it the process is killed and the task refused. */
  memoryMb: number;
  /** Longest a task may take, in ms. */
  timeoutMs: number;
  /** Tasks that may wait; beyond, new ones are refused at once ("busy"). */
  maxQueue: number;
}

export const DEFAULT_SANDBOX: SandboxOptions = { processes: 1, memoryMb: 1024, timeoutMs: 120_000, maxQueue: 32 };

/** A task the sandbox refused or could not finish: a code, a reason in plain words, the validator's findings if any. */
export class SandboxError extends UploadError {}

interface Pending {
  id: number;
  task: SandboxTask;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}
interface Slot {
  child: ChildProcess | null;
  ready: Promise<void> | null;
  busy: Pending | null;
}

const WORKER = join(import.meta.dirname, "asset-worker.ts");
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/**
 * Parses and processes untrusted files (uploads, zips, motion recordings, quality tiers) in
 * separate Node processes, so that a file built to exhaust memory or CPU costs that process, not
 * the server (docs/ARCHITECTURE.md, "Bounded resources"). Each process runs one task at a time
 * under a V8 heap cap, a watchdog on its resident memory (native buffers and sharp's images
 * count too) and a time limit; a process that breaks one is killed and replaced. At most
 * `processes` tasks run at once, `maxQueue` wait, and the rest are refused with "busy".
 */
export class AssetSandbox {
  readonly options: SandboxOptions;
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    options: Partial<SandboxOptions> = {},
    private readonly log: (line: string) => void = () => {},
  ) {
    this.options = { ...DEFAULT_SANDBOX, ...options };
    this.slots = Array.from({ length: Math.max(1, this.options.processes) }, () => ({ child: null, ready: null, busy: null }));
  }

  /** Runs a task in a sandbox process; rejects with `SandboxError` when refused, over a limit, or failed. */
  run<T>(task: SandboxTask): Promise<T> {
    if (this.closed) return Promise.reject(new SandboxError("unavailable", "the server is shutting down"));
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(new SandboxError("busy", "the server is busy processing other files: try again in a few minutes"));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Tasks running and waiting. */
  load(): { running: number; waiting: number } {
    return { running: this.slots.filter((s) => s.busy).length, waiting: this.queue.length };
  }

  /** Stops every process; waiting tasks are refused. */
  close(): void {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new SandboxError("unavailable", "the server is shutting down"));
    for (const s of this.slots) {
      s.busy?.reject(new SandboxError("unavailable", "the server is shutting down"));
      s.busy = null;
      s.child?.kill("SIGKILL");
      s.child = null;
    }
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.busy = job;
      void this.start(slot, job);
    }
  }

  private spawn(slot: Slot): Promise<void> {
    // The V8 heap gets most of the budget; the watchdog holds the process to the whole of it.
    const heap = Math.max(128, Math.floor(this.options.memoryMb * 0.75));
    const child = fork(WORKER, [], { execArgv: ["--import", TSX, `--max-old-space-size=${heap}`], stdio: ["ignore", "inherit", "inherit", "ipc"], serialization: "advanced" });
    slot.child = child;
    child.unref();
    (child as unknown as { channel?: { unref(): void } }).channel?.unref();
    slot.ready = new Promise<void>((resolve, reject) => {
      const onReady = (m: { ready?: boolean }) => {
        if (!m?.ready) return;
        child.off("message", onReady);
        resolve();
      };
      child.on("message", onReady);
      child.once("exit", () => reject(new Error("the sandbox process exited while starting")));
    });
    child.once("exit", () => {
      if (slot.child !== child) return;
      slot.child = null;
      slot.ready = null;
    });
    return slot.ready;
  }

  private async start(slot: Slot, job: Pending): Promise<void> {
    try {
      if (!slot.child) await this.spawn(slot);
      else await slot.ready;
    } catch (e) {
      slot.busy = null;
      job.reject(new SandboxError("failed", `the file could not be processed: ${(e as Error).message}`));
      return this.pump();
    }
    const child = slot.child!;
    let done = false;
    const finish = (how: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(watch);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (slot.busy === job) slot.busy = null;
      how();
      this.pump();
    };
    const kill = (why: string) => {
      this.log(`[sandbox] killed the process: ${why}`);
      if (slot.child === child) {
        slot.child = null;
        slot.ready = null;
      }
      finish(() => job.reject(new SandboxError("unprocessable", why)));
      child.kill("SIGKILL");
    };
    const onMessage = (m: SandboxAnswer) => {
      if (m.id !== job.id) return;
      finish(() => (m.ok ? job.resolve(m.result) : job.reject(new SandboxError(m.error.code, m.error.message, m.error.findings))));
    };
    // A process that dies mid-task (V8's heap cap, a native crash) refuses the task; the next task starts a new one.
    const onExit = (code: number | null, signal: string | null) => {
      this.log(`[sandbox] process ended (${signal ?? code}) during a ${job.task.kind} task`);
      finish(() => job.reject(new SandboxError("unprocessable", "processing this file stopped the worker (it may be damaged, or need more memory than allowed); it was refused")));
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
    const timer = setTimeout(() => kill(`processing the file took longer than ${Math.round(this.options.timeoutMs / 1000)} s; refused`), this.options.timeoutMs);
    const watch = setInterval(() => {
      const mb = residentMb(child.pid);
      if (mb !== null && mb > this.options.memoryMb) kill(`processing the file needed more than ${this.options.memoryMb} MB of memory; refused`);
    }, 100);
    timer.unref();
    watch.unref();
    child.send({ id: job.id, task: job.task });
  }
}

/** Resident memory of a process in MB, from /proc (Linux); null where it cannot be read (the heap cap still holds). */
function residentMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
