/**
 * The sandbox process (see `sandbox.ts`): reads untrusted uploads and makes quality tiers, one
 * task at a time, answering over the IPC channel. It holds no secrets and no database; a file that
 * makes it run out of memory or time only ends this process.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { analyseUpload, UploadError } from "./upload-analysis";
import { makeTiers, TierPromiseError } from "./tiers";
import { tactileCopy } from "../print/tactile";
import type { SandboxAnswer, SandboxTask } from "./sandbox";

/** Writes bytes to a new temporary file in `dir` and returns its path. */
function temp(dir: string, bytes: Uint8Array): string {
  const path = join(dir, `${randomBytes(12).toString("hex")}.part`);
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
  return path;
}

async function run(task: SandboxTask): Promise<unknown> {
  switch (task.kind) {
    case "analyse-upload":
      return analyseUpload(task.path, task.title, task.declaredType);
    case "tiers": {
      const tiers = await makeTiers(readFileSync(task.glb));
      return { low: temp(task.outDir, tiers.files.low), thumb: temp(task.outDir, tiers.files.thumb), poster: temp(task.outDir, tiers.poster), stats: tiers.stats, ms: tiers.ms };
    }
    case "tactile": {
      const copy = await tactileCopy(readFileSync(task.glb), task.sizeMm, task.unitsPerMeter, task.title);
      return { stl: temp(task.outDir, copy.stl), threeMf: temp(task.outDir, copy.threeMf), triangles: copy.triangles, size: copy.size, scale: copy.scale, ms: copy.ms };
    }
    case "crash-test":
      // For the tests: what a hostile file does to this process, on demand.
      if (task.how === "memory") {
        const hog: Buffer[] = [];
        for (;;) hog.push(Buffer.alloc(64 << 20, 1));
      }
      for (;;) {
        /* spin */
      }
  }
}

process.on("message", (message: { id: number; task: SandboxTask }) => {
  run(message.task).then(
    (result) => process.send!({ id: message.id, ok: true, result } satisfies SandboxAnswer),
    (e: Error) =>
      process.send!({
        id: message.id,
        ok: false,
        error:
          e instanceof UploadError
            ? { code: e.code, message: e.message, findings: e.findings }
            : { code: e instanceof TierPromiseError ? "unprocessable" : "failed", message: String(e.message ?? e).slice(0, 600) },
      } satisfies SandboxAnswer),
  );
});
process.send!({ ready: true });
