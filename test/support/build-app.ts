import { existsSync } from "node:fs";
import { join } from "node:path";
import { build } from "vite";
import { finishBuild } from "../../scripts/finish-build";
import { ROOT } from "./server";

/** Vitest global setup for the browser project: builds the app once, as `npm start` would. */
export default async function setup(): Promise<void> {
  // The scaled-mode pass runs right after the main run, which has just built it.
  if (process.env.ATRIUM_TEST_MODE === "scaled" && existsSync(join(ROOT, "dist", "index.html"))) return;
  await build({ root: ROOT, logLevel: "warn" });
  finishBuild(ROOT);
}
