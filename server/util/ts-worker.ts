import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * tsx's ESM hooks, as a URL a worker can import. The server runs under tsx, but a worker thread
 * does not inherit the loader (Node 20 applies `--import` only to the main thread), so each worker
 * registers it before importing its TypeScript module.
 */
function tsxApi(): string {
  if (typeof import.meta.resolve === "function") return import.meta.resolve("tsx/esm/api");
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
}

/** Starts a worker thread running the TypeScript module at `module` (a file URL). */
export function startTsWorker(module: URL, options: WorkerOptions = {}): Worker {
  const code = `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}
