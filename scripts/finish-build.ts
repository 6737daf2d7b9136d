/**
 * What `npm run build` does after `vite build`: writes the service worker (`dist/sw.js`, from
 * `src/sw/service-worker.ts`, its cache named after this build), then the compressed copies of
 * the app and of the sample models (`compress-dist.ts`). Tests and benchmarks call it too.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { buildSync } from "esbuild";
import { compressDir, compressModels } from "./compress-dist";

const MODEL_OR_VENDORED = /\.(glb|gltf|bin|png|jpg|jpeg|webp|ktx2|wasm|js|json)$/;

/**
 * A name for this build's content: the built page (it names every hashed asset) and the name,
 * size and bytes' hash of every model and vendored file, which keep their URLs across builds.
 */
export function buildVersion(root: string): string {
  const hash = createHash("sha256").update(readFileSync(join(root, "dist", "index.html")));
  for (const dir of [join(root, "models"), join(root, "dist", "vendor")]) {
    let names: string[] = [];
    try {
      names = readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (!MODEL_OR_VENDORED.test(name) || !statSync(path).isFile()) continue;
      hash.update(`${name}\0`).update(createHash("sha256").update(readFileSync(path)).digest());
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/** Compiles the service worker into `dist/sw.js` with this build's version. */
export function writeServiceWorker(root: string): string {
  const source = readFileSync(join(root, "src", "sw", "service-worker.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: true } });
  const version = buildVersion(root);
  writeFileSync(join(root, "dist", "sw.js"), outputText.replace("__ATRIUM_BUILD__", version));
  return version;
}

/** Bundles the embed script (`<atrium-viewer>`, `src/embed-script/atrium-viewer.ts`) into `dist/embed.js`. */
export function writeEmbedScript(root: string): void {
  buildSync({ entryPoints: [join(root, "src", "embed-script", "atrium-viewer.ts")], bundle: true, format: "iife", target: "es2020", minify: true, outfile: join(root, "dist", "embed.js"), logLevel: "error" });
}

/** The whole step, in `root`. */
export function finishBuild(root: string): void {
  writeServiceWorker(root);
  writeEmbedScript(root);
  compressDir(join(root, "dist"));
  compressModels(join(root, "models"));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const root = process.cwd();
  const version = writeServiceWorker(root);
  writeEmbedScript(root);
  const [raw, br] = compressDir(join(root, "dist"));
  const [mraw, msent] = compressModels(join(root, "models"));
  console.log(`[build] service worker for build ${version}; app ${(raw / 1e6).toFixed(2)} MB -> ${(br / 1e6).toFixed(2)} MB, models ${(mraw / 1e6).toFixed(2)} MB -> ${(msent / 1e6).toFixed(2)} MB with Brotli`);
}
