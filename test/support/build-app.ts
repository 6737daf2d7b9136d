import { join } from "node:path";
import { build } from "vite";
import { compressDir } from "../../scripts/compress-dist";
import { ROOT } from "./server";

/** Vitest global setup for the browser project: builds the app once, as `npm start` would. */
export default async function setup(): Promise<void> {
  await build({ root: ROOT, logLevel: "warn" });
  compressDir(join(ROOT, "dist"));
}
